"""A small HTTPS client for the integration tests: the real stack through
nginx, certificate not verified (it is self-signed), no redirects
followed, and raw sockets for requests no library would send."""
import http.client
import json
import os
import socket
import ssl
import subprocess
import time

HTTPS_PORT = int(os.environ.get("HTTPS_PORT", "8443"))
HTTP_PORT = int(os.environ.get("HTTP_PORT", "8080"))
VAR = os.environ.get("VAR", "var")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_ctx = ssl.create_default_context()
_ctx.check_hostname = False
_ctx.verify_mode = ssl.CERT_NONE


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


def request(method, path, body=None, headers=None, source=None, timeout=30):
    """One HTTPS request; source binds the client to another loopback
    address (e.g. 127.0.0.2) to look like a non-local caller."""
    conn = http.client.HTTPSConnection(
        "localhost", HTTPS_PORT, context=_ctx, timeout=timeout,
        source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


def get(path, **kw):
    return request("GET", path, **kw)


def plain_http(method, path):
    conn = http.client.HTTPConnection("localhost", HTTP_PORT, timeout=10)
    try:
        conn.request(method, path)
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


def raw(data, timeout=10):
    """Send bytes as they are over TLS and return the raw answer."""
    with socket.create_connection(("127.0.0.1", HTTPS_PORT), timeout=timeout) as s:
        with _ctx.wrap_socket(s, server_hostname="localhost") as t:
            t.sendall(data)
            chunks = []
            while True:
                try:
                    c = t.recv(65536)
                except (ssl.SSLError, ConnectionResetError):
                    break
                if not c:
                    break
                chunks.append(c)
            return b"".join(chunks)


def multipart(fields, files, boundary="----fleetcoreTestBoundary"):
    """Encode fields {name: value} and files [(field, filename, type, bytes)]."""
    out = []
    for k, v in fields.items():
        out.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n".encode())
        out.append(v if isinstance(v, bytes) else v.encode())
        out.append(b"\r\n")
    for field, filename, ctype, data in files:
        out.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
                   f"filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n".encode())
        out.append(data)
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def pidfile(name):
    with open(os.path.join(VAR, "run", f"{name}.pid")) as f:
        return int(f.read().strip())


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return sorted(int(p) for p in out.stdout.split())


def wait_for(predicate, timeout=15.0, step=0.1):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


def stack(command):
    # A stack a test restarts keeps the test settings (short fetch
    # timeouts, ...) even when the shell that runs the tests has not
    # exported them: the suite's timings assume them.
    env = dict(os.environ, FLEETCORE_ENV="test")
    return subprocess.run([os.path.join(ROOT, "fcgi/bin/fleetcore-stack"), command],
                          env=env, capture_output=True, text=True)


def pg_ctl(action):
    """Stop or start the stack's PostgreSQL as its run user."""
    pgbin = sorted(p for p in os.listdir("/usr/lib/postgresql"))[-1]
    cmd = [f"/usr/lib/postgresql/{pgbin}/bin/pg_ctl", "-D", os.path.join(VAR, "pg"), "-w"]
    if action == "stop":
        cmd += ["-m", "fast", "stop"]
    else:
        cmd += ["-l", os.path.join(VAR, "log", "postgres.log"),
                "-o", f"-k {os.path.join(VAR, 'run')}", "start"]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "fleetcore", "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True)
