#!/usr/bin/env python3
"""HTTP load benchmark: `rebalance serve` beside nginx, same machine, same run.

  bench/load.py [--build build] [--seconds 10] [--write docs/performance.md]

Starts `rebalance serve` on a fresh SQLite database and nginx (one worker)
serving a static file of the same size as a program document, then runs wrk
(Debian's) against GET /api/v1/programs/{id}, POST /api/v1/programs/{id}/logs
and nginx at 64 and 512 connections. Prints requests/s, p50/p99 latency,
errors and the ratio to nginx. Figures, not a timed test. Installs wrk and
nginx-light with apt-get when missing.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need(binary, package):
    if shutil.which(binary):
        return
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"), stdout=subprocess.DEVNULL)


def call(port, method, path, body=None, token=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    c.request(method, path, body=None if body is None else (body if isinstance(body, str) else json.dumps(body)), headers=headers)
    r = c.getresponse()
    data = r.read()
    return r.status, data


def parse_wrk(text):
    def to_ms(value, unit):
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    return {"rps": rps, "p50": to_ms(*p50.groups()), "p99": to_ms(*p99.groups()), "errors": errors}


def wrk(url, connections, seconds, headers=(), script=None):
    cmd = ["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--latency", "--timeout", "10s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--write", help="write the table into this markdown file")
    args = ap.parse_args()
    need("wrk", "wrk")
    need("nginx", "nginx-light")
    binary = os.path.join(args.build, "rebalance")
    tmp = tempfile.mkdtemp(prefix="rebalance-load-")
    procs = []
    try:
        port = free_port()
        server = subprocess.Popen([binary, "serve", "--db", os.path.join(tmp, "bench.db"), "--port", str(port), "--no-access-log"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        procs.append(server)
        token = None
        for _ in range(50):
            line = server.stdout.readline()
            m = re.search(r'"token": "([0-9a-f]{64})"', line)
            if m:
                token = m.group(1)
                break
        status, data = call(port, "POST", "/api/v1/auth/setup",
                            {"token": token, "email": "a@x.org", "name": "A", "password": "bench password"})
        admin = json.loads(data)["token"]
        call(port, "POST", "/api/v1/users", {"email": "p@x.org", "name": "P", "role": "practitioner", "password": "bench password"}, admin)
        _, data = call(port, "POST", "/api/v1/auth/login", {"email": "p@x.org", "password": "bench password"})
        p = json.loads(data)["token"]
        _, data = call(port, "POST", "/api/v1/clients", {"name": "Bench"}, p)
        client = json.loads(data)["id"]
        intake = open(os.path.join(os.path.dirname(__file__), "..", "examples", "office-worker.json")).read()
        call(port, "POST", "/api/v1/clients/%s/assessments" % client, intake, p)
        _, data = call(port, "POST", "/api/v1/clients/%s/programs" % client, {"start_date": "2026-11-30", "weeks": 4}, p)
        program = json.loads(data)["id"]
        _, body = call(port, "GET", "/api/v1/programs/" + program, token=p)

        # nginx, one worker, a static file of the same size.
        www = os.path.join(tmp, "www")
        os.makedirs(www)
        os.chmod(tmp, 0o755)  # nginx's worker runs as www-data
        os.chmod(www, 0o755)
        with open(os.path.join(www, "program.json"), "wb") as f:
            f.write(body)
        os.chmod(os.path.join(www, "program.json"), 0o644)
        nginx_port = free_port()
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write("worker_processes 1; daemon off; pid %s/nginx.pid; error_log %s/error.log;\n"
                    "events { worker_connections 4096; }\n"
                    "http { access_log off; keepalive_requests 1000000;\n"
                    "  server { listen 127.0.0.1:%d; root %s; location / { default_type application/json; } } }\n"
                    % (tmp, tmp, nginx_port, www))
        nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(nginx)
        time.sleep(0.5)

        post = os.path.join(tmp, "post.lua")
        with open(post, "w") as f:
            f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                    'wrk.body = \'{"week": 1, "day": 1, "date": "2026-12-01", "effort": 5, "pain": 1}\'\n')
        auth = "Authorization: Bearer " + p
        rows = []
        for conns in (64, 512):
            ng = wrk("http://127.0.0.1:%d/program.json" % nginx_port, conns, args.seconds)
            get = wrk("http://127.0.0.1:%d/api/v1/programs/%s" % (port, program), conns, args.seconds, [auth])
            log = wrk("http://127.0.0.1:%d/api/v1/programs/%s/logs" % (port, program), conns, args.seconds, [auth], post)
            rows.append(("nginx static file (%d B)" % len(body), conns, ng, None))
            rows.append(("GET program", conns, get, get["rps"] / ng["rps"]))
            rows.append(("POST session log", conns, log, log["rps"] / ng["rps"]))
        table = ["| request | connections | requests/s | p50 ms | p99 ms | errors | vs nginx |", "|---|---|---|---|---|---|---|"]
        for name, conns, r, ratio in rows:
            table.append("| %s | %d | %.0f | %.2f | %.2f | %d | %s |" % (name, conns, r["rps"], r["p50"], r["p99"], r["errors"],
                                                                       "" if ratio is None else "%.2f" % ratio))
        text = "\n".join(table)
        print(text)
        if args.write:
            cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
            with open(args.write, "w") as f:
                f.write("# Performance\n\nMeasured with `bench/load.py --seconds %d` on a %s-core machine: `rebalance serve` "
                        "(SQLite, WAL, synchronous=FULL, every read and write audited with group commit) and nginx with one "
                        "worker serving a static file of the same size, in the same run, both loaded by wrk -t2 on loopback.\n\n"
                        % (args.seconds, cpu))
                f.write(text + "\n\n")
                f.write("Engine figures (`build/bench/bench_engine`) and the command-line cold start (`bench/cold_start.sh`) "
                        "are in the README.\n")
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


main()
