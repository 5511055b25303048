"""What the platform fakes share: a threaded HTTP server on loopback, the
request log, failures queued on demand, and the control routes under
/_fake/ that a test in another process (the browser tests) uses to set up
a world.  The client under test never calls /_fake/: everything it sees
is the platform's own shape.

Python 3 standard library only."""
import http.server
import json
import threading
import time
import urllib.parse


class Reply:
    """An answer: status, headers (list of pairs, Set-Cookie may repeat)
    and a body (bytes, or anything JSON)."""

    def __init__(self, status, body=b"", headers=None, ctype=None):
        self.status = status
        self.headers = list(headers or [])
        if isinstance(body, (bytes, bytearray)):
            self.body = bytes(body)
            self.ctype = ctype or "text/plain; charset=utf-8"
        else:
            self.body = json.dumps(body).encode()
            self.ctype = ctype or "application/json"


class Request:
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query          # dict: name -> list of values
        self.headers = headers      # http.client.HTTPMessage (case-insensitive)
        self.body = body            # bytes

    def arg(self, name):
        v = self.query.get(name)
        return v[0] if v else None

    def json(self):
        try:
            v = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return v

    def form(self):
        try:
            return {k: v[0] for k, v in urllib.parse.parse_qs(
                self.body.decode("ascii"), keep_blank_values=True,
                strict_parsing=False).items()}
        except UnicodeDecodeError:
            return None


class FakeServer:
    """Subclasses define route(request) -> Reply and control(op, data) ->
    JSON-able answer.  Failures: fail(path_prefix, status, times,
    retry_after, body) answers status to the next `times` requests whose
    path starts with path_prefix (before any other check, as a load
    balancer would)."""

    name = "fake"

    def __init__(self, host="127.0.0.1", port=0):
        self.lock = threading.RLock()
        self.requests = []
        self.failures = []
        self.clock_offset = 0.0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                url = urllib.parse.urlsplit(self.path)
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n > 0 else b""
                req = Request(self.command, url.path,
                              urllib.parse.parse_qs(url.query, keep_blank_values=True),
                              self.headers, body)
                try:
                    reply = server.dispatch(req)
                except Exception:  # a fake that breaks says so loudly
                    import traceback
                    traceback.print_exc()
                    reply = Reply(599, b"the fake itself failed")
                if reply.status == 0:   # drop the connection, no answer
                    self.close_connection = True
                    return
                # One answer per connection: a fake replaced by another on
                # the same port (the next test class) is never reached
                # through a connection the client kept open.
                self.close_connection = True
                self.send_response(reply.status)
                self.send_header("Connection", "close")
                self.send_header("Content-Type", reply.ctype)
                self.send_header("Content-Length", str(len(reply.body)))
                for k, v in reply.headers:
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        self.httpd = http.server.ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self.thread = None

    # ---- life -----------------------------------------------------------
    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def now(self):
        return time.time() + self.clock_offset

    # ---- what tests set ---------------------------------------------------
    def fail(self, path_prefix, status, times=1, retry_after=None, body=None,
             delay=0):
        """status 0 drops the connection; delay sleeps before answering
        (a slow platform, for timeouts)."""
        with self.lock:
            self.failures.append({"prefix": path_prefix, "status": status,
                                  "times": times, "retry_after": retry_after,
                                  "body": body, "delay": delay})

    def seen(self, path_prefix=""):
        with self.lock:
            return [r for r in self.requests if r["path"].startswith(path_prefix)]

    # ---- dispatch -------------------------------------------------------
    def dispatch(self, req):
        if req.path.startswith("/_fake/"):
            return self._control(req)
        with self.lock:
            self.requests.append({"method": req.method, "path": req.path,
                                  "query": {k: v[0] for k, v in req.query.items()},
                                  "headers": {k.lower(): v for k, v in req.headers.items()},
                                  "body": req.body.decode("utf-8", "replace"),
                                  "at": self.now()})
            failure = None
            for f in self.failures:
                if req.path.startswith(f["prefix"]) and f["times"] > 0:
                    f["times"] -= 1
                    failure = dict(f)
                    break
            self.failures = [f for f in self.failures if f["times"] > 0]
        if failure is not None:
            if failure["delay"]:
                time.sleep(failure["delay"])
            if failure["status"] == 0:
                return Reply(0)
            headers = []
            if failure["retry_after"] is not None:
                headers.append(("Retry-After", str(failure["retry_after"])))
            return self.failure_reply(failure["status"], failure["body"], headers)
        return self.route(req)

    def failure_reply(self, status, body, headers):
        return Reply(status, body if body is not None else b"", headers)

    def _control(self, req):
        op = req.path[len("/_fake/"):]
        data = req.json() if req.body else {}
        if data is None:
            return Reply(400, {"error": "control body must be JSON"})
        try:
            if op == "fail":
                self.fail(data["path"], int(data["status"]), int(data.get("times", 1)),
                          data.get("retry_after"), data.get("body"),
                          float(data.get("delay", 0)))
                return Reply(200, {"ok": True})
            if op == "clock":
                self.clock_offset = float(data.get("offset", 0))
                return Reply(200, {"ok": True, "now": self.now()})
            if op == "requests":
                return Reply(200, {"requests": self.seen(data.get("path", ""))})
            return Reply(200, self.control(op, data))
        except KeyError as e:
            return Reply(400, {"error": f"missing {e}"})
        except LookupError as e:
            return Reply(404, {"error": str(e)})


def serve_main(cls, argv=None):
    """python3 tests/fakes/NAME.py [--port N] [--port-file PATH]: serve
    until killed; the port is printed on stdout (and written to
    PATH) once the server listens."""
    import argparse
    import os
    import signal
    import sys

    p = argparse.ArgumentParser(description=cls.__doc__)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    a = p.parse_args(argv)
    fake = cls(port=a.port)
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{fake.port}\n")
        os.replace(tmp, a.port_file)
    print(fake.port, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        fake.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
