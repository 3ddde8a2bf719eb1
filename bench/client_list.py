#!/usr/bin/env python3
"""The client list (GET /api/v1/clients, a practitioner's home page) with
many clients, each with versions and logs: what a clinic's day asks first.

  bench/client_list.py [--build build] [--clients 100] [--versions 3] [--logs 12]

Starts `rebalance serve` on a throwaway SQLite database, makes the clients
through the API (an assessment, a program, its revisions, logged sessions),
then asks for the list ten times and prints the median and the first
(colder) time. Figures, not a timed test.
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load  # noqa: E402  (the server and request helpers)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--versions", type=int, default=3)
    ap.add_argument("--logs", type=int, default=12, help="logged sessions per client (at most 24)")
    args = ap.parse_args()
    if not 1 <= args.versions <= 20 or not 0 <= args.logs <= 24 or not 1 <= args.clients <= 5000:
        ap.error("--clients 1-5000, --versions 1-20, --logs 0-24")
    tmp = tempfile.mkdtemp()
    server = load.Server(os.path.join(args.build, "rebalance"), ["--db", os.path.join(tmp, "rebalance.db")])
    try:
        server.start()
        token, _, _ = load.set_up(server)
        intake = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "office-worker.json")).read()
        started = time.time()
        for i in range(args.clients):
            _, data = load.call(server.port, "POST", "/api/v1/clients", {"name": "Client %d" % i}, token)
            client = json.loads(data)["id"]
            load.call(server.port, "POST", "/api/v1/clients/%s/assessments" % client, intake, token)
            _, data = load.call(server.port, "POST", "/api/v1/clients/%s/programs" % client,
                                {"start_date": "2026-11-02", "weeks": 8}, token)
            program = json.loads(data)["id"]
            for _ in range(args.versions - 1):
                _, data = load.call(server.port, "POST", "/api/v1/programs/%s/revisions" % program, {"edits": []}, token)
                program = json.loads(data)["id"]
            for k in range(args.logs):
                status, data = load.call(server.port, "POST", "/api/v1/programs/%s/logs" % program,
                                         {"week": 1 + k // 3, "day": 1 + k % 3, "date": "2026-11-%02d" % (2 + k),
                                          "effort": 5, "pain": 1}, token)
                if status != 201:
                    raise SystemExit("client_list.py: a log answered %d: %s" % (status, data[:200]))
        print("made %d clients x %d versions x %d logs in %.1f s" % (args.clients, args.versions, args.logs,
                                                                   time.time() - started))
        times = []
        for _ in range(10):
            t = time.time()
            status, data = load.call(server.port, "GET", "/api/v1/clients", token=token)
            times.append((time.time() - t) * 1000)
            if status != 200:
                raise SystemExit("client_list.py: GET /api/v1/clients answered %d" % status)
        print("GET /api/v1/clients (%d bytes): median %.1f ms, first %.1f ms" % (len(data), statistics.median(times),
                                                                               times[0]))
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
