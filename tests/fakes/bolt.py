"""A stand-in for Bolt's Fleet Integration API (platforms reference §2.1),
Python 3 standard library only, as strict as the reference:

  POST /token                     client credentials (form body, or HTTP
                                  Basic), scope fleet-integration:api;
                                  {access_token, expires_in, token_type,
                                  scope}; tokens expire (token_ttl)
  GET  …/fleetIntegration/v1/getCompanies        (POST → 404)
  POST …/fleetIntegration/v1/getFleetOrders      company_ids[] required,
       start_ts, end_ts, offset, limit 1–1000, time_range_filter_type
       created | price_review; data.orders, data.total_orders
  POST …/getDrivers, getVehicles (limit ≤ 100), getFleetStateLogs
       company_id, start_ts, end_ts, offset, limit

Every answer is the envelope {code, message, data}; business errors come
inside an HTTP 200: 503 NOT_AUTHORIZED / COMPANIES_NOT_ALLOWED for a
company the credentials may not read, 498806 INVALID_DATE_RANGE for a
window longer than the limit, 498805 INVALID_START_DATE before the
history.  An expired or unknown token gets HTTP 401.

What a test arranges (in the same process): clients and their companies,
generated drivers, vehicles, orders and state logs, failures queued per
operation (HTTP status with or without Retry-After, or an envelope code),
a revised price, a delay per request, and the request log."""
import base64
import http.server
import json
import random
import secrets
import threading
import time
import urllib.parse

PREFIX = "/fleet-integration-gateway/fleetIntegration/v1/"
SCOPE = "fleet-integration:api"
HISTORY = 16 * 31 * 86400
STATES = ("waiting_orders", "has_order", "busy", "inactive")
STATUSES = ("finished", "finished", "finished", "finished", "client_cancelled",
            "driver_cancelled_after_accept")


class Company:
    def __init__(self, cid, name):
        self.id = cid
        self.name = name
        self.orders = {}        # reference -> order (the API's shape)
        self.reviewed = {}      # reference -> price review instant
        self.drivers = []
        self.vehicles = []
        self.state_logs = []


class BoltFake:
    def __init__(self, port=0, token_ttl=600, max_order_range=7 * 86400,
                 max_range=31 * 86400):
        self.lock = threading.RLock()
        self.token_ttl = token_ttl
        self.max_order_range = max_order_range
        self.max_range = max_range
        self.clients = {}       # id -> {"secret", "companies", "locked"}
        self.companies = {}     # id -> Company
        self.tokens = {}        # token -> (client id, expires at)
        self.failures = []      # [op, times, kind, value, retry_after]
        self.log = []           # (method, op, http status, envelope code, when)
        self.delay = 0.0
        self.twice = set()      # order references listed twice (moved while paging)
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._serve(self, "GET")

            def do_POST(self):
                fake._serve(self, "POST")

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---- what a test arranges ---------------------------------------------

    def add_client(self, client_id, secret, companies, locked=False):
        with self.lock:
            self.clients[client_id] = {"secret": secret, "companies": list(companies),
                                       "locked": locked}

    def add_company(self, cid, name=None):
        with self.lock:
            self.companies.setdefault(cid, Company(cid, name or f"Flotte {cid}"))
            return self.companies[cid]

    def fail(self, op, status=None, code=None, times=1, retry_after=None):
        """The next `times` calls of op ("token" for the token endpoint)
        answer HTTP `status` (with Retry-After when given), or an HTTP 200
        envelope with `code`."""
        with self.lock:
            self.failures.append([op, times, status, code, retry_after])

    def expire_tokens(self):
        """Every token issued so far is refused from now on (HTTP 401)."""
        with self.lock:
            self.tokens.clear()

    def calls(self, op):
        with self.lock:
            return [e for e in self.log if e[1] == op]

    def populate(self, cid, drivers=5, days=14, per_day=4, seed=1, plates=None,
                 end=None, decimals=3, logs_per_day=4, prefix=None):
        """Drivers, their vehicles, orders over the `days` before `end`
        (now) and state logs.  Prices have up to `decimals` decimals
        (euros), a share paid cash, some cancelled with a fee."""
        rnd = random.Random(seed)
        end = int(end or time.time())
        comp = self.add_company(cid)
        tag = prefix or f"c{cid}s{seed}"
        with self.lock:
            for d in range(drivers):
                uuid = f"{tag}-drv-{d:04d}"
                plate = plates[d] if plates and d < len(plates) else \
                    f"{chr(65 + d % 26)}{chr(65 + (d // 26) % 26)}-{100 + d % 900}-ZZ"
                comp.drivers.append({
                    "driver_uuid": uuid, "partner_uuid": f"{tag}-partner",
                    "first_name": f"Prénom{d}", "last_name": f"Nom{tag}{d}",
                    "email": f"{uuid}@drivers.example", "phone": f"+3361{d:07d}",
                    "state": "active", "has_cash_payment": True,
                    "active_vehicle": {"id": 1000 + d, "uuid": f"{tag}-veh-{d:04d}",
                                       "model": "Toyota Corolla", "year": 2021,
                                       "reg_number": plate, "state": "active"}})
                comp.vehicles.append({
                    "id": 1000 + d, "uuid": f"{tag}-veh-{d:04d}", "model": "Toyota Corolla",
                    "year": 2021, "seats": 4, "color": "Noir", "reg_number": plate,
                    "vin": f"VF1{tag[:6].upper()}{d:08d}"[:17], "state": "active"})
            n = 0
            for day in range(days):
                base = end - (days - day) * 86400
                for d in range(drivers):
                    uuid = f"{tag}-drv-{d:04d}"
                    for k in range(per_day):
                        created = base + rnd.randrange(0, 86000)
                        self._order(comp, rnd, f"{tag}-o{n:07d}", comp.drivers[d],
                                    created, min(created + 1800, end - 1), decimals)
                        n += 1
                    t = base
                    for k in range(logs_per_day):
                        t += rnd.randrange(600, 86400 // (logs_per_day + 1))
                        comp.state_logs.append({
                            "created": t, "state": STATES[k % len(STATES)],
                            "driver_uuid": uuid, "vehicle_uuid": f"{tag}-veh-{d:04d}",
                            "lat": 48.85, "lng": 2.35, "active_categories": ["Bolt"]})
        return comp

    def _order(self, comp, rnd, ref, drv, created, finished, decimals):
        status = rnd.choice(STATUSES)
        cash = rnd.random() < 0.3
        q = 10 ** decimals

        def money(lo, hi):
            return round(rnd.randrange(lo * q, hi * q) / q, decimals)
        done = status == "finished"
        price = {"ride_price": money(8, 60) if done else None,
                 "booking_fee": money(0, 2) if done else None,
                 "toll_fee": money(0, 5) if done and rnd.random() < 0.1 else None,
                 "cancellation_fee": None if done else money(3, 8),
                 "tip": money(0, 5) if done and rnd.random() < 0.2 else None,
                 "net_earnings": None, "cash_discount": money(0, 2) if cash and done else None,
                 "in_app_discount": None, "commission": None}
        gross = (price["ride_price"] or price["cancellation_fee"] or 0)
        price["commission"] = -round(gross * 0.25, 2)
        price["net_earnings"] = round(gross + price["commission"], 2)
        order = {
            "order_reference": ref, "driver_name": f"{drv['first_name']} {drv['last_name']}",
            "driver_uuid": drv["driver_uuid"], "partner_uuid": drv["partner_uuid"],
            "driver_phone": drv["phone"], "payment_method": "cash" if cash else "in_app",
            "payment_confirmed_timestamp": finished, "order_created_timestamp": created,
            "order_status": status, "driver_cancelled_reason": None,
            "vehicle_model": drv["active_vehicle"]["model"],
            "vehicle_license_plate": drv["active_vehicle"]["reg_number"],
            "price_review_reason": None, "pickup_address": "1 rue de Rivoli, Paris",
            "destination_address": "Gare de Lyon, Paris", "order_stops": [],
            "ride_distance": rnd.randrange(1000, 30000) if done else 0,
            "order_accepted_timestamp": created + 30,
            "order_pickup_timestamp": created + 300 if done else None,
            "order_drop_off_timestamp": finished if done else None,
            "order_finished_timestamp": finished,
            "is_scheduled": False,
            "category_info": {"name": "Bolt", "seats": 4, "vehicle_type": "car"},
            "order_price": price}
        comp.orders[ref] = order
        comp.reviewed[ref] = finished

    def revise_price(self, cid, ref, reason="route_change", at=None, **price):
        """A price review after the fact: new amounts, and the order now
        falls in the window of its review time."""
        with self.lock:
            comp = self.companies[cid]
            comp.orders[ref]["order_price"].update(price)
            comp.orders[ref]["price_review_reason"] = reason
            comp.reviewed[ref] = int(at or time.time() - 60)

    def orders(self, cid):
        with self.lock:
            return list(self.companies[cid].orders.values())

    # ---- serving ---------------------------------------------------------------

    def _send(self, h, status, body, extra=()):
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _envelope(self, h, op, method, code, message, data=None, hint=None):
        body = {"code": code, "message": message}
        if hint:
            body["error_hint"] = hint
        if data is not None:
            body["data"] = data
        self.log.append((method, op, 200, code, time.time()))
        self._send(h, 200, body)

    def _http(self, h, op, method, status, body, extra=()):
        self.log.append((method, op, status, None, time.time()))
        self._send(h, status, body, extra)

    def _failure(self, op):
        with self.lock:
            for f in self.failures:
                if f[0] == op and f[1] > 0:
                    f[1] -= 1
                    return f
        return None

    def _serve(self, h, method):
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        path = urllib.parse.urlsplit(h.path).path
        if self.delay:
            time.sleep(self.delay)
        if path == "/token":
            return self._token(h, method, raw)
        if not path.startswith(PREFIX):
            return self._http(h, path, method, 404, {"message": "Not Found"})
        op = path[len(PREFIX):]
        f = self._failure(op)
        if f is not None:
            if f[2]:
                extra = [("Retry-After", str(f[4]))] if f[4] is not None else []
                return self._http(h, op, method, f[2], {"message": "failure"}, extra)
            return self._envelope(h, op, method, f[3], "FAILURE")
        client = self._bearer(h)
        if client is None:
            return self._http(h, op, method, 401, {"code": 401, "message": "UNAUTHORIZED"})
        handler = {"getCompanies": ("GET", self._companies),
                   "getFleetOrders": ("POST", self._fleet_orders),
                   "getDrivers": ("POST", self._list("drivers", 1000, self.max_range)),
                   "getVehicles": ("POST", self._list("vehicles", 100, self.max_range)),
                   "getFleetStateLogs": ("POST", self._list("state_logs", 1000,
                                                            self.max_range))}.get(op)
        if handler is None or handler[0] != method:
            return self._http(h, op, method, 404, {"message": "Not Found"})
        body = None
        if method == "POST":
            if not (h.headers.get("Content-Type") or "").startswith("application/json"):
                return self._http(h, op, method, 415, {"message": "Unsupported Media Type"})
            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return self._http(h, op, method, 400, {"code": 400, "message": "BAD_REQUEST"})
            if not isinstance(body, dict):
                return self._http(h, op, method, 400, {"code": 400, "message": "BAD_REQUEST"})
        return handler[1](h, op, method, client, body)

    def _token(self, h, method, raw):
        f = self._failure("token")
        if f is not None and f[2]:
            extra = [("Retry-After", str(f[4]))] if f[4] is not None else []
            return self._http(h, "token", method, f[2], {"error": "temporarily_unavailable"}, extra)
        if method != "POST":
            return self._http(h, "token", method, 405, {"error": "invalid_request"})
        if not (h.headers.get("Content-Type") or "").startswith(
                "application/x-www-form-urlencoded"):
            return self._http(h, "token", method, 400, {"error": "invalid_request"})
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode("ascii", "replace")).items()}
        cid, secret = form.get("client_id"), form.get("client_secret")
        auth = h.headers.get("Authorization") or ""
        if auth.startswith("Basic "):
            try:
                cid, secret = base64.b64decode(auth[6:]).decode().split(":", 1)
            except ValueError:
                pass
        if form.get("grant_type") != "client_credentials":
            return self._http(h, "token", method, 400, {"error": "unsupported_grant_type"})
        c = self.clients.get(cid)
        if c is None or not secrets.compare_digest((secret or "").encode(), c["secret"].encode()):
            return self._http(h, "token", method, 401, {
                "error": "invalid_client", "error_description": "Client authentication failed"})
        if form.get("scope") != SCOPE:
            return self._http(h, "token", method, 400, {"error": "invalid_scope"})
        if c["locked"]:
            return self._http(h, "token", method, 403, {
                "error": "access_denied", "error_description": "Client is blocked"})
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = (cid, time.time() + self.token_ttl)
        return self._http(h, "token", method, 200, {
            "access_token": token, "expires_in": self.token_ttl,
            "token_type": "Bearer", "scope": SCOPE})

    def _bearer(self, h):
        auth = h.headers.get("Authorization") or ""
        if not auth.startswith("Bearer "):
            return None
        with self.lock:
            t = self.tokens.get(auth[7:])
            if t is None or t[1] <= time.time():
                self.tokens.pop(auth[7:], None)
                return None
            return self.clients.get(t[0])

    def _companies(self, h, op, method, client, body):
        return self._envelope(h, op, method, 0, "OK", {"company_ids": client["companies"]})

    def _range(self, h, op, method, body, limit_max, range_max):
        """start_ts, end_ts, offset, limit checked; None when answered."""
        fields = [body.get(k) for k in ("start_ts", "end_ts", "offset", "limit")]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in fields):
            self._http(h, op, method, 400, {"code": 400, "message": "BAD_REQUEST",
                                            "error_hint": "start_ts, end_ts, offset, limit"})
            return None
        start, end, offset, limit = fields
        if limit < 1 or limit > limit_max or offset < 0 or end <= start:
            self._http(h, op, method, 400, {"code": 400, "message": "BAD_REQUEST"})
            return None
        if start < time.time() - HISTORY:
            self._envelope(h, op, method, 498805, "INVALID_START_DATE")
            return None
        if end - start > range_max:
            self._envelope(h, op, method, 498806, "INVALID_DATE_RANGE")
            return None
        return start, end, offset, limit

    def _allowed(self, h, op, method, client, ids):
        bad = [c for c in ids if c not in client["companies"] or c not in self.companies]
        if bad:
            self._envelope(h, op, method, 503, "NOT_AUTHORIZED", {}, "COMPANIES_NOT_ALLOWED")
            return False
        return True

    def _fleet_orders(self, h, op, method, client, body):
        ids = body.get("company_ids")
        if not isinstance(ids, list) or not ids or not all(isinstance(c, int) for c in ids):
            return self._http(h, op, method, 400, {"code": 400, "message": "BAD_REQUEST",
                                                   "error_hint": "company_ids"})
        kind = body.get("time_range_filter_type", "created")
        if kind not in ("created", "price_review"):
            return self._http(h, op, method, 400, {"code": 400, "message": "BAD_REQUEST"})
        r = self._range(h, op, method, body, 1000, self.max_order_range)
        if r is None or not self._allowed(h, op, method, client, ids):
            return None
        start, end, offset, limit = r
        rows = []
        with self.lock:
            for cid in ids:
                comp = self.companies[cid]
                for ref, o in comp.orders.items():
                    t = comp.reviewed[ref] if kind == "price_review" else \
                        o["order_created_timestamp"]
                    if start <= t < end:
                        rows.append((t, ref, o))
                        if ref in self.twice:
                            rows.append((t, ref + "~", o))
        rows.sort(key=lambda x: (x[0], x[1]))
        page = [json.loads(json.dumps(x[2])) for x in rows[offset:offset + limit]]
        comp = self.companies[ids[0]]
        return self._envelope(h, op, method, 0, "OK", {
            "company_id": comp.id, "company_name": comp.name,
            "total_orders": len(rows), "orders": page})

    def _list(self, key, limit_max, range_max):
        def serve(h, op, method, client, body):
            cid = body.get("company_id")
            if not isinstance(cid, int) or isinstance(cid, bool):
                return self._http(h, op, method, 400, {"code": 400, "message": "BAD_REQUEST",
                                                       "error_hint": "company_id"})
            r = self._range(h, op, method, body, limit_max, range_max)
            if r is None or not self._allowed(h, op, method, client, [cid]):
                return None
            start, end, offset, limit = r
            with self.lock:
                rows = getattr(self.companies[cid], key)
                if key == "state_logs":
                    rows = sorted((x for x in rows if start <= x["created"] < end),
                                  key=lambda x: (x["created"], x["driver_uuid"]))
                page = json.loads(json.dumps(rows[offset:offset + limit]))
            return self._envelope(h, op, method, 0, "OK", {key: page})
        return serve
