#!/usr/bin/env python3
"""A fake of Armado's bill API, as strict as what is known of it
(connectors.md §4.1, from the one public integration):

  GET /v1/bill?reference=<ref>   header ApiKey  → 200, a JSON array of the
                                 bills with that reference ([] when none)
  PUT /v1/bill/<id>              header ApiKey, Content-Type
                                 application/json, body exactly
                                 {"paymentType": 1-8, "paymentDate":
                                 "YYYY-MM-DDTHH:MM:SS.ffffff"} → 200, the bill

Each API key is an account of its own, with its own bills (an
organisation's invoices are numbered from 1 every year, so two accounts
share references).  Errors: 401 {"message"} without a known ApiKey; 404 {"message"} for an
unknown bill or path; 422 {"message"} for a missing reference or a body
that is not exactly the above; 405 for another method.  On demand: the
next requests answer a given status (5xx, 401, 404, 422...), answer late
(timeouts) or have their connection dropped.

In a test:   fake = FakeArmado(port=N).start(); fake.add_bill("F2026-00001")
From a shell (e.g. beside `make run`):
    python3 tests/fakes/armado.py --port 9555 --key ma-cle --bill F2026-00001
and FLEETCORE_ARMADO_URL=http://127.0.0.1:9555.  Another process drives a
running fake through /_fake/ (never called by the code under test):
POST /_fake/accounts {"key"}, POST /_fake/bills {"reference", "key"},
POST /_fake/fail {"status", "times",
"delay"}, GET /_fake/bills, GET /_fake/requests.

Python 3 standard library only."""
import argparse
import http.server
import json
import re
import threading
import time
import urllib.parse

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$")
PAYMENT_TYPES = range(1, 9)


def public(bill):
    """A bill as Armado shows it (without the account it belongs to)."""
    return {k: v for k, v in bill.items() if not k.startswith("_")}


class FakeArmado:
    def __init__(self, key="armado-test-key", host="127.0.0.1", port=0):
        self.key = key
        self.lock = threading.RLock()
        self.accounts = {key}    # the API keys Armado knows
        self.bills = {}          # id -> bill (with its account's key)
        self.next_id = 1000
        self.requests = []       # (method, path, query, headers, body)
        self.failures = []       # [status or "drop", times, delay]
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                url = urllib.parse.urlsplit(self.path)
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n > 0 else b""
                status, answer = fake.dispatch(self.command, url.path, url.query,
                                               self.headers, body)
                if status == 0:
                    self.close_connection = True
                    return
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = _serve

        class Server(http.server.ThreadingHTTPServer):
            allow_reuse_address = True

            def handle_error(self, request, client_address):
                pass    # a client that gave up on a slow answer

        self.httpd = Server((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"

    # ---- life -----------------------------------------------------------
    def start(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---- world ----------------------------------------------------------
    def add_account(self, key):
        with self.lock:
            self.accounts.add(key)

    def add_bill(self, reference, amount_cents=None, key=None):
        with self.lock:
            self.next_id += 1
            bill = {"id": self.next_id, "reference": reference, "status": "unpaid",
                    "paymentType": None, "paymentDate": None, "_key": key or self.key}
            if amount_cents is not None:
                bill["amount"] = amount_cents / 100
            self.bills[self.next_id] = bill
            return self.next_id

    def bill(self, reference, key=None):
        with self.lock:
            for b in self.bills.values():
                if b["reference"] == reference and b["_key"] == (key or self.key):
                    return public(b)
        return None

    def fail(self, status, times=1, delay=0.0, method=None):
        """The next `times` API requests (of that method, when given)
        answer status (after delay seconds); status "drop" closes the
        connection unanswered, "slow" answers normally after delay."""
        with self.lock:
            self.failures.append([status, times, delay, method])

    def clear(self):
        with self.lock:
            self.failures.clear()
            self.requests.clear()

    def calls(self, method=None):
        with self.lock:
            return [r for r in self.requests if method is None or r[0] == method]

    # ---- the API --------------------------------------------------------
    def dispatch(self, method, path, query, headers, body):
        if path.startswith("/_fake/"):
            return self.control(method, path, body)
        with self.lock:
            self.requests.append((method, path, query, dict(headers.items()), body))
            failure = next((f for f in self.failures if f[3] in (None, method)), None)
            if failure is not None:
                failure[1] -= 1
                if failure[1] <= 0:
                    self.failures.remove(failure)
        if failure is not None:
            status, _, delay, _ = failure
            if delay:
                time.sleep(delay)
            if status == "drop":
                return 0, None
            if status != "slow":
                return status, {"message": f"Simulated error {status}"}
        key = headers.get("ApiKey")
        with self.lock:
            known = key in self.accounts
        if not known:
            return 401, {"message": "Invalid API key"}
        if path == "/v1/bill":
            if method != "GET":
                return 405, {"message": "Method not allowed"}
            return self.lookup(key, query)
        m = re.fullmatch(r"/v1/bill/([^/]+)", path)
        if m is None:
            return 404, {"message": "Not found"}
        if method != "PUT":
            return 405, {"message": "Method not allowed"}
        return self.update(key, m.group(1), headers, body)

    def lookup(self, key, query):
        q = urllib.parse.parse_qs(query, keep_blank_values=True)
        refs = q.get("reference", [])
        if len(refs) != 1 or refs[0] == "":
            return 422, {"message": "reference is required"}
        with self.lock:
            return 200, [public(b) for b in self.bills.values()
                         if b["reference"] == refs[0] and b["_key"] == key]

    def update(self, key, bill_id, headers, body):
        with self.lock:
            bill = self.bills.get(int(bill_id)) if bill_id.isdigit() else None
        if bill is None or bill["_key"] != key:
            return 404, {"message": "Bill not found"}
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return 422, {"message": "Content-Type must be application/json"}
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return 422, {"message": "Body is not JSON"}
        if not isinstance(data, dict) or set(data) != {"paymentType", "paymentDate"}:
            return 422, {"message": "Body must hold exactly paymentType and paymentDate"}
        t, d = data["paymentType"], data["paymentDate"]
        if not isinstance(t, int) or isinstance(t, bool) or t not in PAYMENT_TYPES:
            return 422, {"message": "paymentType must be an integer from 1 to 8"}
        if not isinstance(d, str) or not DATE_RE.match(d):
            return 422, {"message": "paymentDate must be YYYY-MM-DDTHH:MM:SS.ffffff"}
        with self.lock:
            bill.update(paymentType=t, paymentDate=d, status="paid")
            return 200, public(bill)

    # ---- control, for another process -----------------------------------
    def control(self, method, path, body):
        try:
            data = json.loads(body.decode("utf-8")) if body else {}
        except ValueError:
            return 400, {"message": "bad control body"}
        if path == "/_fake/bills" and method == "POST":
            return 200, {"id": self.add_bill(data["reference"], key=data.get("key"))}
        if path == "/_fake/bills" and method == "GET":
            with self.lock:
                return 200, [public(b) for b in self.bills.values()]
        if path == "/_fake/accounts" and method == "POST":
            self.add_account(data["key"])
            return 200, {}
        if path == "/_fake/fail" and method == "POST":
            self.fail(data["status"], data.get("times", 1), data.get("delay", 0),
                      data.get("method"))
            return 200, {}
        if path == "/_fake/requests" and method == "GET":
            with self.lock:
                return 200, [[m, p, q] for m, p, q, _, _ in self.requests]
        return 404, {"message": "unknown control"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=9555)
    ap.add_argument("--key", default="armado-test-key")
    ap.add_argument("--bill", action="append", default=[], help="a reference to know")
    args = ap.parse_args()
    fake = FakeArmado(key=args.key, port=args.port)
    for ref in args.bill:
        fake.add_bill(ref)
    print(f"fake Armado on {fake.url} (ApiKey {args.key})", flush=True)
    try:
        fake.httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
