#!/usr/bin/env python3
"""HTTP load benchmark: `rebalance serve` beside nginx, same machine, same run.

  bench/load.py [--build build] [--seconds 10] [--connections 64] [--rounds 3]
                [--backends sqlite,postgres] [--write docs/performance.md]

For each backend (SQLite, and PostgreSQL on a throwaway server with fsync on,
started as the postgres user like scripts/with-postgres.sh):

1. Starts `rebalance serve` on a fresh database, makes a practitioner, a
   client, an assessment and a program, and starts nginx (one worker) serving
   the program's JSON bytes as a static file.
2. Runs wrk (Debian's, -t2) at --connections against nginx, then
   GET /api/v1/programs/{id}, then POST /api/v1/programs/{id}/logs, --rounds
   times in turn, and prints requests/s, p50/p99 latency, errors and the
   ratio to nginx of the median round (ratios are taken within a round).
3. Durability: POSTs logs with wrk, kills the server with SIGKILL in the
   middle, starts it again on the same database and counts how many of the
   logs that got a 201 are there (every one must be: zero lost).

Figures, not a timed test. Installs wrk and nginx-light with apt-get when
missing; PostgreSQL must be installed (scripts/with-postgres.sh installs it).
"""
import argparse
import glob
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

LOG_BODY = '{"week": 1, "day": 1, "date": "2026-12-01", "effort": 5, "pain": 1}'


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


def wrk_command(url, connections, seconds, headers=(), script=None):
    cmd = ["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--latency", "--timeout", "10s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    return cmd


def wrk(url, connections, seconds, headers=(), script=None):
    out = subprocess.run(wrk_command(url, connections, seconds, headers, script), capture_output=True, text=True,
                         check=True).stdout
    return parse_wrk(out)


class Postgres:
    """A throwaway PostgreSQL server in a temporary directory, fsync on (the
    default), run as the postgres user when we are root, as
    scripts/with-postgres.sh does."""

    def __init__(self, tmp):
        dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: [int(x) for x in re.findall(r"\d+", d)])
        if not dirs:
            raise SystemExit("load.py: PostgreSQL is not installed (scripts/with-postgres.sh true installs it)")
        self.bin = dirs[-1]
        os.chmod(tmp, 0o755)  # the postgres user reaches its directory through ours
        self.dir = os.path.join(tmp, "pg")
        os.makedirs(self.dir)
        self.data = os.path.join(self.dir, "data")
        self.root = os.getuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")
        self.as_owner([os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                       "--no-locale"])
        self.port = free_port()
        self.as_owner([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.dir, "server.log"), "-w",
                       "-t", "60", "-o", "-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s "
                       "-c max_connections=200" % (self.port, self.dir), "start"])
        self.as_owner([os.path.join(self.bin, "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                       "rebalance_bench"])
        self.url = "postgresql://postgres@127.0.0.1:%d/rebalance_bench" % self.port

    def as_owner(self, cmd):
        if self.root:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        r = subprocess.run(cmd, cwd=self.dir, capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit("load.py: %s failed:\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))

    def setting(self, name):
        out = subprocess.run(([ "runuser", "-u", "postgres", "--"] if self.root else []) +
                             [os.path.join(self.bin, "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                              "-At", "-c", "SHOW " + name, "rebalance_bench"], capture_output=True, text=True, cwd=self.dir)
        return out.stdout.strip()

    def stop(self):
        try:
            self.as_owner([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop"])
        except SystemExit as e:
            print(e, file=sys.stderr)


class Server:
    """`rebalance serve` on a database (`--db PATH` or `--postgres URL`)."""

    def __init__(self, binary, store_args):
        self.binary = binary
        self.store_args = store_args
        self.port = free_port()
        self.proc = None
        self.setup_token = None

    def start(self):
        self.proc = subprocess.Popen([self.binary, "serve"] + self.store_args + ["--port", str(self.port), "--no-access-log"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for _ in range(50):
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("load.py: the server exited at start")
            m = re.search(r'"token": "([0-9a-f]{64})"', line)
            if m:
                self.setup_token = m.group(1)
                break
            if line.startswith("Open "):
                break
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def set_up(server):
    """Admin, practitioner, client, assessment, program; returns (token, program id, program bytes)."""
    call(server.port, "POST", "/api/v1/auth/setup",
         {"token": server.setup_token, "email": "a@x.org", "name": "A", "password": "bench password"})
    _, data = call(server.port, "POST", "/api/v1/auth/login", {"email": "a@x.org", "password": "bench password"})
    admin = json.loads(data)["token"]
    call(server.port, "POST", "/api/v1/users",
         {"email": "p@x.org", "name": "P", "role": "practitioner", "password": "bench password"}, admin)
    _, data = call(server.port, "POST", "/api/v1/auth/login", {"email": "p@x.org", "password": "bench password"})
    token = json.loads(data)["token"]
    _, data = call(server.port, "POST", "/api/v1/clients", {"name": "Bench"}, token)
    client = json.loads(data)["id"]
    intake = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "office-worker.json")).read()
    call(server.port, "POST", "/api/v1/clients/%s/assessments" % client, intake, token)
    _, data = call(server.port, "POST", "/api/v1/clients/%s/programs" % client, {"start_date": "2026-11-30", "weeks": 4}, token)
    program = json.loads(data)["id"]
    status, body = call(server.port, "GET", "/api/v1/programs/" + program, token=token)
    if status != 200:
        raise SystemExit("load.py: GET program answered %d" % status)
    return token, program, body


def start_nginx(tmp, body):
    """nginx, one worker, serving `body` as /program.json; returns (process, port)."""
    www = os.path.join(tmp, "www")
    os.makedirs(www, exist_ok=True)
    os.chmod(tmp, 0o755)  # nginx's worker runs as www-data
    os.chmod(www, 0o755)
    with open(os.path.join(www, "program.json"), "wb") as f:
        f.write(body)
    os.chmod(os.path.join(www, "program.json"), 0o644)
    port = free_port()
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write("worker_processes 1; daemon off; pid %s/nginx.pid; error_log %s/error.log;\n"
                "events { worker_connections 4096; }\n"
                "http { access_log off; keepalive_requests 1000000;\n"
                "  server { listen 127.0.0.1:%d; root %s; location / { default_type application/json; } } }\n"
                % (tmp, tmp, port, www))
    proc = subprocess.Popen(["nginx", "-c", conf, "-p", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return proc, port


# wrk script for the durability check: POSTs logs and writes the id of every
# log answered 201 to a file per wrk thread when the run ends.
DURABILITY_LUA = r'''
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end
function init(args)
  acked = {}
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '%s'
end
function response(status, headers, body)
  if status == 201 then
    local id = string.match(body, '"id"%%s*:%%s*"(l_[0-9a-f]+)"')
    if id then acked[#acked + 1] = id end
  end
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local f = io.open("%s/acked-" .. thread:get("index") .. ".txt", "w")
    local ids = thread:get("acked")
    for i = 1, #ids do f:write(ids[i], "\n") end
    f:close()
  end
end
'''


def durability(server, token, program, connections, seconds, tmp):
    """POSTs logs for `seconds`, SIGKILLs the server halfway, restarts it;
    returns (acknowledged, present of those acknowledged, logs stored in all)."""
    out = os.path.join(tmp, "durability")
    os.makedirs(out, exist_ok=True)
    script = os.path.join(out, "durability.lua")
    with open(script, "w") as f:
        f.write(DURABILITY_LUA % (LOG_BODY, out))
    _, data = call(server.port, "GET", "/api/v1/programs/%s/logs" % program, token=token)
    before = {log["id"] for log in json.loads(data)["logs"]}
    load = subprocess.Popen(wrk_command("http://127.0.0.1:%d/api/v1/programs/%s/logs" % (server.port, program), connections,
                                        seconds, ["Authorization: Bearer " + token], script),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds / 2.0)
    server.kill()
    load.wait()
    server.start()
    acked = set()
    for name in glob.glob(os.path.join(out, "acked-*.txt")):
        with open(name) as f:
            acked.update(line.strip() for line in f if line.strip())
    status, data = call(server.port, "GET", "/api/v1/programs/%s/logs" % program, token=token)
    if status != 200:
        raise SystemExit("load.py: listing logs after the restart answered %d" % status)
    stored = {log["id"] for log in json.loads(data)["logs"]} - before
    return len(acked), len(acked & stored), len(stored)


def bench_backend(name, binary, store_args, args, tmp):
    server = Server(binary, store_args)
    nginx = None
    try:
        server.start()
        token, program, body = set_up(server)
        nginx, nginx_port = start_nginx(tmp, body)
        post = os.path.join(tmp, "post.lua")
        with open(post, "w") as f:
            f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = \'%s\'\n' % LOG_BODY)
        auth = "Authorization: Bearer " + token
        conns = args.connections
        # Rounds of nginx, GET and POST in turn: a shared machine's speed
        # drifts, so each ratio is taken within a round, and the table shows
        # the median round (by the GET ratio) with every round's ratios.
        rounds = []
        for i in range(args.rounds):
            ng = wrk("http://127.0.0.1:%d/program.json" % nginx_port, conns, args.seconds)
            get = wrk("http://127.0.0.1:%d/api/v1/programs/%s" % (server.port, program), conns, args.seconds, [auth])
            log = wrk("http://127.0.0.1:%d/api/v1/programs/%s/logs" % (server.port, program), conns, args.seconds, [auth],
                      post)
            rounds.append((ng, get, log))
            print("  %s round %d: nginx %.0f/s, GET %.0f/s (%.2f), POST %.0f/s" % (
                name, i + 1, ng["rps"], get["rps"], get["rps"] / ng["rps"], log["rps"]), file=sys.stderr, flush=True)
        rounds.sort(key=lambda r: r[1]["rps"] / r[0]["rps"])
        ng, get, log = rounds[len(rounds) // 2]
        rows = [("nginx static file (%d B)" % len(body), ng, None),
                ("GET /api/v1/programs/{id}", get, get["rps"] / ng["rps"]),
                ("POST /api/v1/programs/{id}/logs", log, log["rps"] / ng["rps"])]
        ratios = ", ".join("%.2f" % (r[1]["rps"] / r[0]["rps"]) for r in rounds)
        acked, present, stored = durability(server, token, program, conns, args.durability_seconds, tmp)
        return rows, ratios, (acked, present, stored)
    finally:
        server.stop()
        if nginx:
            nginx.send_signal(signal.SIGTERM)
            nginx.wait(timeout=20)


def table(name, conns, rows):
    lines = ["%s, %d connections:" % (name, conns), "",
             "| request | requests/s | p50 ms | p99 ms | errors | vs nginx |", "|---|---|---|---|---|---|"]
    for label, r, ratio in rows:
        lines.append("| %s | %.0f | %.2f | %.2f | %d | %s |" % (label, r["rps"], r["p50"], r["p99"], r["errors"],
                                                                "" if ratio is None else "%.2f" % ratio))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of nginx, GET and POST in turn (median shown)")
    ap.add_argument("--durability-seconds", type=int, default=6, help="length of the POST run the server is killed in")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--write", help="write the tables into this markdown file, between its bench/load.py markers")
    args = ap.parse_args()
    need("wrk", "wrk")
    need("nginx", "nginx-light")
    binary = os.path.abspath(os.path.join(args.build, "rebalance"))
    sections = []
    lost_any = False
    for backend in args.backends.split(","):
        tmp = tempfile.mkdtemp(prefix="rebalance-load-")
        pg = None
        try:
            if backend == "sqlite":
                store_args, name = ["--db", os.path.join(tmp, "bench.db")], "SQLite (WAL, synchronous=FULL)"
            elif backend == "postgres":
                pg = Postgres(tmp)
                store_args = ["--postgres", pg.url]
                name = "PostgreSQL %s (fsync=%s, synchronous_commit=%s)" % (
                    os.path.basename(os.path.dirname(pg.bin)), pg.setting("fsync"), pg.setting("synchronous_commit"))
            else:
                raise SystemExit("load.py: unknown backend " + backend)
            rows, ratios, (acked, present, stored) = bench_backend(name, binary, store_args, args, tmp)
            text = table(name, args.connections, rows)
            text += "\n\nThe median of %d rounds by GET ratio; the GET ratios of all rounds, lowest first: %s." % (
                args.rounds, ratios)
            text += ("\n\nDurability (SIGKILL during %d s of POSTs at %d connections, then a restart): %d logs "
                     "acknowledged with 201, %d of them present after the restart, **%d lost**; %d stored in all "
                     "(those beyond the acknowledged were in flight when the server died: committed, never "
                     "answered)." % (args.durability_seconds, args.connections, acked, present, acked - present, stored))
            lost_any = lost_any or acked != present
            print(text + "\n", flush=True)
            sections.append(text)
        finally:
            if pg:
                pg.stop()
            shutil.rmtree(tmp, ignore_errors=True)
    if args.write:
        write_section(args, sections)
    if lost_any:
        print("load.py: an acknowledged log was lost", file=sys.stderr)
        sys.exit(1)


BEGIN = "<!-- bench/load.py: begin -->"
END = "<!-- bench/load.py: end -->"


def write_section(args, sections):
    """Replaces what lies between the BEGIN and END markers of the markdown
    file (the figures of its service section), or appends a service section."""
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()[0]
    text = ("Measured with `bench/load.py --seconds %d --connections %d --rounds %d` on a %s-core machine (load average %.1f "
            "when it ended) shared by wrk, nginx and the server: `rebalance serve` (every read and write audited, "
            "writes group-committed) and nginx with one worker serving the same bytes as a static file, in the same "
            "run, both loaded by wrk -t2 on loopback.\n\n" % (args.seconds, args.connections, args.rounds, cpu, load)
            ) + "\n\n".join(sections)
    old = open(args.write).read() if os.path.exists(args.write) else "# Performance\n"
    if BEGIN in old and END in old:
        new = old[:old.index(BEGIN) + len(BEGIN)] + "\n" + text + "\n" + old[old.index(END):]
    else:
        new = old.rstrip("\n") + "\n\n## Service\n\n" + BEGIN + "\n" + text + "\n" + END + "\n"
    with open(args.write, "w") as f:
        f.write(new)


if __name__ == "__main__":
    main()
