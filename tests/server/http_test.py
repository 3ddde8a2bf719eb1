#!/usr/bin/env python3
"""The service over real HTTP: `rebalance serve` as a process.

  http_test.py PATH/TO/rebalance SOURCE_DIR

Covers: first-start setup, keep-alive, security headers, the 1 MiB body and
16 KiB header limits, HEAD, HTTPS behind a proxy (Secure, HSTS), the JSON
access log (valid JSON for any request, secrets redacted, parser-level
refusals logged, the client's address and a trusted proxy's), connection caps
and running out of file descriptors, graceful shutdown on SIGTERM, durability
of acknowledged writes across SIGKILL, a soak over 200 concurrent keep-alive
connections with flat memory, `rebalance user add`, online backup and
restore, and (when REBALANCE_TEST_POSTGRES_URL is set) two server processes on
one PostgreSQL database.
"""
import http.client
import json
import os
import re
import resource
import shutil
import socket
import signal
import subprocess
import sys
import tempfile
import threading
import time

BIN, SRC = sys.argv[1], sys.argv[2]
EXAMPLE = open(os.path.join(SRC, "examples", "office-worker.json")).read()
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


class Server:
    def __init__(self, args, env=None, max_files=None):
        self.stderr = tempfile.TemporaryFile()
        limit = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (max_files, max_files))) if max_files else None
        self.proc = subprocess.Popen([BIN, "serve", "--port", "0", "--threads", "4"] + args, stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True, env=env, preexec_fn=limit)
        self.lines = []
        deadline = time.time() + 30
        self.port = None
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
            if self.port and ("user add" in line or "log in" in line):
                break
        if not self.port:
            raise RuntimeError("server did not start: " + "".join(self.lines))
        self.setup_token = None
        for line in self.lines:
            m = re.search(r'"token": "([0-9a-f]{64})"', line)
            if m:
                self.setup_token = m.group(1)

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = "timeout"
        return code

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_lines(self):
        return [l for l in self.log().splitlines() if l.startswith("{")]

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


def request(conn, method, path, body=None, token=None, raw=None, headers=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    data = raw
    if body is not None:
        data = json.dumps(body) if not isinstance(body, str) else body
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    text = r.read()
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    return r.status, parsed, r


def bootstrap(server):
    c = server.conn()
    status, body, _ = request(c, "POST", "/api/v1/auth/setup",
                              {"token": server.setup_token, "email": "admin@x.org", "name": "Admin", "password": "admin password 1"})
    check(status == 201, "setup answers 201, got %s %s" % (status, body))
    admin = body["token"]
    status, body, _ = request(c, "POST", "/api/v1/users",
                              {"email": "p@x.org", "name": "P", "role": "practitioner", "password": "practitioner pw 1"}, admin)
    check(status == 201, "admin creates a practitioner")
    status, body, _ = request(c, "POST", "/api/v1/auth/login", {"email": "p@x.org", "password": "practitioner pw 1"})
    p = body["token"]
    status, body, _ = request(c, "POST", "/api/v1/clients", {"name": "Dana"}, p)
    client = body["id"]
    status, body, _ = request(c, "POST", "/api/v1/clients/%s/assessments" % client, EXAMPLE, p)
    check(status == 201, "assessment over HTTP")
    status, body, _ = request(c, "POST", "/api/v1/clients/%s/programs" % client, {"start_date": "2026-11-30"}, p)
    check(status == 201, "program over HTTP")
    return admin, p, client, body["id"]


def raw_exchange(port, data, timeout=10):
    """Sends raw bytes, returns what the server answers before closing (or the timeout)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(data)
    reply = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
            if b"\r\n\r\n" in reply and b"Connection: close" not in reply and b"connection: close" not in reply.lower():
                break
    except socket.timeout:
        pass
    sock.close()
    return reply.decode(errors="replace")


def check_protocol_edges(s, p):
    """HEAD, header limit, malformed requests, HTTPS behind a proxy."""
    c = s.conn()
    status, _, r = request(c, "GET", "/api/v1/guidance")
    length = int(r.getheader("Content-Length"))
    c.request("HEAD", "/api/v1/guidance")
    r = c.getresponse()
    body = r.read()
    check(r.status == 200 and body == b"" and int(r.getheader("Content-Length")) == length,
          "HEAD answers GET's headers and length without the body (%s, %s)" % (r.status, r.getheader("Content-Length")))
    c.request("HEAD", "/")
    r = c.getresponse()
    r.read()
    check(r.status == 200, "HEAD / is answered (got %s)" % r.status)
    reply = raw_exchange(s.port, b"GET /api/v1/guidance HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
    check(reply.startswith("HTTP/1.1 431"), "oversized headers answer 431: " + reply[:40])
    reply = raw_exchange(s.port, b"GARBAGE\r\n\r\n")
    check(reply.startswith("HTTP/1.1 400"), "a malformed request answers 400: " + reply[:40])
    # Behind a TLS-terminating proxy (any case, either header).
    for headers in ({"X-Forwarded-Proto": "HTTPS"}, {"Forwarded": "for=203.0.113.1;proto=https"}):
        status, _, r = request(s.conn(), "POST", "/api/v1/auth/login", {"email": "p@x.org", "password": "practitioner pw 1"},
                               headers=headers)
        check(status == 200 and "; Secure" in (r.getheader("Set-Cookie") or ""), "Secure cookie behind HTTPS: %s" % headers)
        check((r.getheader("Strict-Transport-Security") or "").startswith("max-age="), "HSTS behind HTTPS: %s" % headers)
    status, _, r = request(s.conn(), "POST", "/api/v1/auth/login", {"email": "p@x.org", "password": "practitioner pw 1"})
    check("Secure" not in (r.getheader("Set-Cookie") or "") and r.getheader("Strict-Transport-Security") is None,
          "no Secure cookie and no HSTS over plain HTTP")


def check_access_log(s, client, p):
    """Every answer is one valid JSON line with the client's address; secrets in paths are redacted."""
    status, body, _ = request(s.conn(), "POST", "/api/v1/clients/%s/calendar-feed" % client, token=p)
    feed_path = body["url"][body["url"].index("/api/v1/"):]
    token = feed_path.rsplit("/", 1)[1].split(".")[0]
    request(s.conn(), "GET", feed_path)
    raw_exchange(s.port, b"GET /caf\xc3\xa9/\xff\"quote HTTP/1.1\r\nHost: x\r\n\r\n")
    raw_exchange(s.port, b"NOT HTTP\r\n\r\n")
    raw_exchange(s.port, ("POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (2 << 20)).encode())
    time.sleep(0.3)
    parsed = []
    s.stderr.seek(0)
    for line in s.stderr.read().splitlines():
        if not line.startswith(b"{"):
            continue
        try:
            parsed.append(json.loads(line.decode("utf-8")))
        except ValueError:
            check(False, "an access-log line is not valid UTF-8 JSON: %r" % line[:120])
    check(any(e.get("path", "").startswith("/caf") for e in parsed), "a path with raw bytes is logged")
    check(token not in s.log(), "the calendar-feed secret is not in the access log")
    check(any(e.get("path") == "/api/v1/calendar/[redacted]" for e in parsed), "the feed's path is logged redacted")
    check(any(e.get("status") == 400 for e in parsed), "a parser-level 400 is logged")
    check(any(e.get("status") == 413 for e in parsed), "a parser-level 413 is logged")
    check(all(e.get("address") == "127.0.0.1" for e in parsed), "every line names the client's address")


def check_descriptor_exhaustion(tmp):
    """Out of file descriptors, the server backs off instead of spinning and keeps serving open connections."""
    s = Server(["--db", os.path.join(tmp, "fd.db"), "--no-access-log"], max_files=64)
    keep = s.conn()
    status, _, _ = request(keep, "GET", "/api/v1/guidance")
    check(status == 200, "fd: a keep-alive connection before the exhaustion")
    extra = []
    for _ in range(120):
        try:
            extra.append(socket.create_connection(("127.0.0.1", s.port), timeout=2))
        except OSError:
            break
    time.sleep(1.0)
    before = s.cpu_seconds()
    time.sleep(4.0)
    spent = s.cpu_seconds() - before
    check(spent < 0.5, "fd: accepting with no descriptors left does not spin (%.2f CPU-s in 4 s)" % spent)
    status, _, _ = request(keep, "GET", "/api/v1/guidance")
    check(status == 200, "fd: the open connection is still served while descriptors are exhausted (%s)" % status)
    for sock in extra:
        sock.close()
    time.sleep(1.5)
    status, _, _ = request(s.conn(), "GET", "/healthz")
    check(status == 200, "fd: new connections are served again once descriptors are free")
    check(s.stop() == 0, "fd: stops cleanly")


def check_connection_caps(tmp):
    """Past the per-address cap a new connection is answered 503; the open ones go on."""
    s = Server(["--db", os.path.join(tmp, "caps.db"), "--max-connections-per-address", "4"])
    conns = [s.conn() for _ in range(4)]
    for c in conns:
        status, _, _ = request(c, "GET", "/healthz")
        check(status == 200, "caps: the first four connections are served")
    reply = raw_exchange(s.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    check(reply.startswith("HTTP/1.1 503") and "Retry-After" in reply, "caps: the fifth is answered 503: " + reply[:40])
    status, _, _ = request(conns[0], "GET", "/healthz")
    check(status == 200, "caps: the open connections are still served")
    for c in conns:
        c.close()
    time.sleep(0.3)
    status, _, _ = request(s.conn(), "GET", "/healthz")
    check(status == 200, "caps: a slot freed is a slot for the next")
    s.stop()
    # Behind a trusted proxy the forwarded client is logged, with the proxy as peer.
    s = Server(["--db", os.path.join(tmp, "caps.db"), "--trusted-proxy", "127.0.0.0/8"])
    request(s.conn(), "GET", "/healthz", headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"})
    s.stop()
    entries = [json.loads(l) for l in s.log_lines()]
    check(any(e.get("address") == "203.0.113.9" and e.get("peer") == "127.0.0.1" for e in entries),
          "trusted proxy: the forwarded client is the address, the proxy the peer")
    r = subprocess.run([BIN, "serve", "--trusted-proxy", "proxy.local", "--db", os.path.join(tmp, "x.db")],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode == 2 and "--trusted-proxy" in r.stderr, "a bad --trusted-proxy is bad input: " + r.stderr)


def log_body(i):
    return {"week": 1 + i % 8, "day": 1, "date": "2026-12-01", "effort": i % 11, "pain": 0, "note": "entry %d" % i}


def start_clients(client, count=8):
    """`count` threads running client(n)."""
    threads = [threading.Thread(target=client, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    return threads


def check_stored(s, program, p, acked, what):
    """Checks that every log id in `acked` is stored; returns the stored logs."""
    status, body, _ = request(s.conn(), "GET", "/api/v1/programs/%s/logs" % program, token=p)
    check(status == 200, "%s: listing the logs answers 200 (%s)" % (what, status))
    stored = {entry["id"] for entry in body["logs"]}
    missing = [a for a in acked if a not in stored]
    check(not missing, "%s (%d missing of %d)" % (what, len(missing), len(acked)))
    return body["logs"]


def check_durability(s, restart, program, p, label):
    """Loads session-log POSTs, SIGKILLs the server mid-load, restarts it and
    checks that every write acknowledged with 201 is there, whole."""
    acked, lock, stop = [], threading.Lock(), threading.Event()

    def writer(n):
        conn = s.conn()
        i = 0
        while not stop.is_set():
            try:
                status, body, _ = request(conn, "POST", "/api/v1/programs/%s/logs" % program, log_body(n * 100000 + i), p)
            except Exception:
                return
            if status == 201:
                with lock:
                    acked.append(body["id"])
            i += 1

    threads = start_clients(writer)
    time.sleep(2.0)
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    check(len(acked) > 20, "%s: the load acknowledged writes before the kill (%d)" % (label, len(acked)))
    s = restart()
    logs = check_stored(s, program, p, acked, label + ": every acknowledged log survived SIGKILL")
    check(all(isinstance(entry["log"], dict) and "effort" in entry["log"] for entry in logs), label + ": nothing half-written")
    return s


def check_graceful_stop(s, restart, program, p):
    """SIGTERM under a load of reads and writes: every answer that arrives is
    whole and a success (an answer waiting for its group commit is still
    sent), the server exits 0, and every log answered 201 is stored."""
    acked, statuses, broken, lock, stop = [], [], [], threading.Lock(), threading.Event()

    def client(n):
        conn = s.conn()
        i = 0
        while not stop.is_set():
            try:
                if i % 2 == 0:
                    status, body, _ = request(conn, "POST", "/api/v1/programs/%s/logs" % program,
                                              log_body(n * 100000 + i), p)
                else:
                    status, body, _ = request(conn, "GET", "/api/v1/programs/" + program, token=p)
            except http.client.IncompleteRead as e:
                with lock:
                    broken.append(repr(e))
                return
            except Exception:  # the connection closed between requests: the server is stopping
                return
            with lock:
                statuses.append(status)
                if status == 201:
                    acked.append(body["id"])
            i += 1

    threads = start_clients(client)
    time.sleep(1.5)
    code = s.stop()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    check(code == 0, "SIGTERM under load stops the server cleanly (exit %s)" % code)
    check(len(statuses) > 20, "the load was answered before SIGTERM (%d answers)" % len(statuses))
    check(not broken, "no answer cut short by SIGTERM (%s)" % broken[:3])
    check(all(st in (200, 201) for st in statuses),
          "every answer during the stop is a success (%s)" % sorted(set(statuses)))
    s = restart()
    check_stored(s, program, p, acked, "every log answered 201 before SIGTERM is stored")
    return s


def main():
    tmp = tempfile.mkdtemp(prefix="rebalance-http-")
    try:
        db = os.path.join(tmp, "live.db")
        s = Server(["--db", db])
        check(s.setup_token is not None, "first start prints a setup token")
        admin, p, client, program = bootstrap(s)

        # Keep-alive, headers, errors.
        c = s.conn()
        for _ in range(5):
            status, body, r = request(c, "GET", "/api/v1/programs/" + program, token=p)
        check(status == 200 and body["schema"] == "rebalance.program/1", "program over one keep-alive connection")
        for header, value in [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer")]:
            check(r.getheader(header) == value, "security header " + header)
        csp = r.getheader("Content-Security-Policy") or ""
        check("frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0],
              "CSP without inline scripts")
        # The limit is enforced from Content-Length, before the body is read.
        import socket
        raw = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        raw.sendall(("POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %d\r\n\r\n" % (p, 1024 * 1024 + 10)).encode() + b"{" * 1000)
        reply = raw.recv(65536).decode(errors="replace")
        raw.close()
        check(reply.startswith("HTTP/1.1 413") and "too_large" in reply, "bodies over 1 MiB are refused with 413: " + reply[:80])
        c = s.conn()
        status, body, _ = request(c, "GET", "/api/v1/clients")
        check(status == 401 and body["error"]["code"] == "unauthenticated", "401 without a session")
        status, body, _ = request(c, "GET", "/healthz")
        check(status == 200, "healthz")
        # Exercise drawings: public SVG, revalidated by ETag, under a policy that runs nothing.
        c = s.conn()
        status, _, r = request(c, "GET", "/api/v1/exercises/glute_bridge/animation.svg")
        check(status == 200 and r.getheader("Content-Type") == "image/svg+xml", "an exercise drawing is served as SVG")
        etag = r.getheader("ETag") or ""
        check(etag.startswith('"') and len(etag) > 4, "a drawing has an ETag: " + etag)
        check((r.getheader("Content-Security-Policy") or "").startswith("default-src 'none'"), "a drawing runs nothing")
        check("max-age" in (r.getheader("Cache-Control") or ""), "a drawing may be cached")
        status, _, r = request(c, "GET", "/api/v1/exercises/glute_bridge/animation.svg", headers={"If-None-Match": etag})
        check(status == 304, "an unchanged drawing answers 304, not %d" % status)
        status, _, _ = request(c, "GET", "/api/v1/exercises/glute_bridge/illustration.svg", headers={"If-None-Match": etag})
        check(status == 200, "the still and the loop have their own ETags")
        check_protocol_edges(s, p)
        check_access_log(s, client, p)
        check_descriptor_exhaustion(tmp)
        check_connection_caps(tmp)

        # Durability: acknowledged writes survive SIGKILL mid-load.
        s = check_durability(s, lambda: Server(["--db", db]), program, p, "sqlite")
        s = check_graceful_stop(s, lambda: Server(["--db", db]), program, p)
        c = s.conn()

        # Online backup of the live database, then a restore.
        status, body, _ = request(c, "POST", "/api/v1/clients", {"name": "Eve"}, p)
        eve = body["id"]
        backup = os.path.join(tmp, "backup.db")
        r = subprocess.run([BIN, "backup", "--db", db, backup], capture_output=True, text=True)
        check(r.returncode == 0, "rebalance backup: " + r.stderr)

        # Soak: 200 concurrent keep-alive connections, mixed requests.
        errors, done = [], []

        def soak(n):
            try:
                conn = s.conn()
                for i in range(15):
                    if i % 3 == 0:
                        status, _, _ = request(conn, "POST", "/api/v1/programs/%s/logs" % program, log_body(i), p)
                        ok = status == 201
                    else:
                        status, _, _ = request(conn, "GET", "/api/v1/programs/" + program, token=p)
                        ok = status == 200
                    if not ok:
                        errors.append(status)
                done.append(n)
            except Exception as e:  # a refused or dropped connection is an error
                errors.append(repr(e))

        rss = []
        for round_ in range(2):
            start = time.time()
            threads = [threading.Thread(target=soak, args=(n,)) for n in range(200)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            rss.append(s.rss_kb())
            print("soak round %d: %d connections x 15 requests in %.1f s, RSS %d kB" % (round_ + 1, 200, time.time() - start, rss[-1]))
        check(not errors, "soak: zero errors (%s)" % errors[:5])
        check(len(done) == 400, "soak: every connection finished")
        check(rss[1] <= rss[0] * 1.15 + 2048, "memory flat after the soak (%d kB then %d kB)" % tuple(rss))

        # The access log: one JSON line per request, no bodies or secrets.
        code = s.stop()
        check(code == 0, "SIGTERM stops the server cleanly (exit %s)" % code)
        lines = [l for l in s.log().splitlines() if l.startswith("{")]
        check(len(lines) > 3000, "one access-log line per request (%d)" % len(lines))
        entry = json.loads(lines[-1])
        check(set(entry) == {"time", "method", "path", "status", "duration_ms", "user", "address"}, "access-log fields")
        check(p not in s.log(), "no secret in the access log")

        # Restore: a server on the backup has the data.
        s = Server(["--db", backup])
        status, body, _ = request(s.conn(), "GET", "/api/v1/programs/" + program, token=p)
        check(status == 200, "the backup restores the program and sessions")
        s.stop()

        check(os.path.exists(backup + ".retention") and "keep until" in open(backup + ".retention").read(), "the backup names its retention")

        # A restore re-applies the deletions recorded since the backup.
        s = Server(["--db", db])
        status, _, _ = request(s.conn(), "DELETE", "/api/v1/clients/" + client, token=p)
        check(status == 204, "delete the client before the restore")
        s.stop()
        r = subprocess.run([BIN, "restore", "--db", db, backup], capture_output=True, text=True)
        check(r.returncode == 0 and "re-applied 1" in r.stdout, "rebalance restore: " + r.stdout + r.stderr)
        s = Server(["--db", db])
        status, _, _ = request(s.conn(), "GET", "/api/v1/programs/" + program, token=p)
        check(status == 404, "a deleted client stays deleted after a restore (got %s)" % status)
        status, _, _ = request(s.conn(), "GET", "/api/v1/clients/" + eve, token=p)
        check(status == 200, "the restore brings back the rest")
        s.stop()
        check(os.path.exists(db + ".before-restore"), "the replaced database is kept")

        # rebalance user add reads the password from stdin.
        r = subprocess.run([BIN, "user", "add", "--db", backup, "--email", "new@x.org", "--name", "New"], input="a long password\n",
                           capture_output=True, text=True)
        check(r.returncode == 0, "user add: " + r.stderr)
        r = subprocess.run([BIN, "user", "add", "--db", backup, "--email", "short@x.org", "--name", "S"], input="short\n",
                           capture_output=True, text=True)
        check(r.returncode == 2, "user add refuses a short password")
        # An admin locked out gets back in through whoever runs the server.
        r = subprocess.run([BIN, "user", "password", "--db", backup, "--email", "new@x.org"], input="another long password\n",
                           capture_output=True, text=True)
        check(r.returncode == 0 and "sessions have ended" in r.stdout, "user password: " + r.stdout + r.stderr)
        s = Server(["--db", backup])
        status, _, _ = request(s.conn(), "POST", "/api/v1/auth/login", {"email": "new@x.org", "password": "another long password"})
        check(status == 200, "the password set on the command line logs in (got %s)" % status)
        s.stop()
        r = subprocess.run([BIN, "user", "password", "--db", backup, "--email", "nobody@x.org"], input="another long password\n",
                           capture_output=True, text=True)
        check(r.returncode == 2 and "no account" in r.stderr, "user password names an unknown email: " + r.stderr)

        # Two processes on one PostgreSQL database serve the same data.
        url = os.environ.get("REBALANCE_TEST_POSTGRES_URL")
        if url:
            a = Server(["--postgres", url])
            b = Server(["--postgres", url])
            if a.setup_token:
                _, p2, client2, program2 = bootstrap(a)
            else:
                status, body, _ = request(a.conn(), "POST", "/api/v1/auth/login", {"email": "p@x.org", "password": "practitioner pw 1"})
                p2 = body["token"]
                status, body, _ = request(a.conn(), "POST", "/api/v1/clients", {"name": "Dana"}, p2)
                client2 = body["id"]
                request(a.conn(), "POST", "/api/v1/clients/%s/assessments" % client2, EXAMPLE, p2)
                status, body, _ = request(a.conn(), "POST", "/api/v1/clients/%s/programs" % client2, {"start_date": "2026-11-30"}, p2)
                program2 = body["id"]
            status, body, _ = request(a.conn(), "POST", "/api/v1/programs/%s/logs" % program2, log_body(1), p2)
            check(status == 201, "postgres: log through server A")
            status, body, _ = request(b.conn(), "GET", "/api/v1/programs/%s/logs" % program2, token=p2)
            check(status == 200 and len(body["logs"]) >= 1, "postgres: server B sees server A's session and log")
            b.stop()
            a = check_durability(a, lambda: Server(["--postgres", url]), program2, p2, "postgres")
            a.stop()
        else:
            print("REBALANCE_TEST_POSTGRES_URL not set: the two-process PostgreSQL check is skipped")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print("%d HTTP check(s) failed" % len(FAILURES), file=sys.stderr)
        sys.exit(1)
    print("HTTP checks passed")


main()
