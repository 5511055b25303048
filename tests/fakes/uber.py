#!/usr/bin/env python3
"""Fake of Uber's Vehicle Suppliers (fleet) API and its token endpoint,
after platforms.md §2.2, errors included.

  POST /oauth/v2/token              client credentials (form body:
                                    grant_type, client_id, client_secret,
                                    scope space-separated)
  GET  /v1/vehicle-suppliers/orgs   the encrypted org ids (always first)
  GET  /v1/vehicle-suppliers/drivers?org_id&include_assigned_vehicles&page_size&page_token
  GET  /v1/vehicle-suppliers/drivers/actions?org_id&page_size&page_token
  GET  /v2/vehicle-suppliers/vehicles?org_id&page_size&page_token
  GET  /v1/vehicle-suppliers/earners/payments?org_id&start_time&end_time&page_size&page_token[&driver_id]

Strict where the real one is:
  - every API call needs "Authorization: Bearer <token>" of a token that
    is not expired and holds the endpoint's scope (401 "unauthorized"
    otherwise; 403 "forbidden" for a scope the token lacks or an org it
    may not read);
  - org ids are opaque base64 with '+', '/' and '=': sent without
    percent-encoding they arrive mangled and the org is unknown (403);
  - payments: start_time and end_time in epoch milliseconds; only the
    transactions processed in the last 24 hours are ever returned —
    a window reaching further back is not refused, its older part is
    simply empty; a window in seconds reads as 1970 and is empty;
    end before start is a 400; page_size above 50 answers 200 with an
    empty list (as observed by implementers), not an error;
  - money is {"amountE5": "<int64 as a string>", "currencyCode"}: units
    times 10^5, so it need not be a whole number of cents;
  - paging by an opaque nextPageToken, absent on the last page; a token
    of another query is a 400;
  - 401/429/5xx/slow/dropped on demand (FakeServer.fail), Retry-After
    with or without.

The per-transaction fields of a payment (transactionUuid, tripUuid,
processedAt, description) are those of the Reports API's payments
report (Transaction UUID, Trip UUID…), which the payments CSV shares;
the category tree under "earnings" mirrors the CSV's columns: earnings →
net_fare (the fare before Uber's fee), service_fee (negative), tip,
taxes; reimbursements → toll; cash_collected (negative: cash the driver
already holds).  Payout = the sum of the top-level categories.

Use in a test:  fake = UberFake().start(); acct = fake.account();
acct.org().driver(...); fake.base is the URL of both hosts.
Standalone:     python3 tests/fakes/uber.py --port 0 (control: /_fake/*).
"""
import base64
import hashlib
import json
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fakebase import FakeServer, Reply, serve_main  # noqa: E402

TOKEN_PATH = "/oauth/v2/token"
DAY_MS = 24 * 3600 * 1000

SCOPES = {
    "/v1/vehicle-suppliers/orgs": "vehicle_suppliers.organizations.read",
    "/v1/vehicle-suppliers/drivers": "solutions.suppliers.drivers.status.read",
    "/v1/vehicle-suppliers/drivers/actions": "solutions.suppliers.drivers.status.read",
    "/v2/vehicle-suppliers/vehicles": "vehicle_suppliers.vehicles.read",
    "/v1/vehicle-suppliers/earners/payments": "supplier.partner.payments",
}
# What a fleet's application is usually granted (§2.2's list).
DEFAULT_GRANTED = sorted(set(SCOPES.values()) | {
    "solutions.suppliers.metrics.read", "vehicle_suppliers.drivers.transfer",
    "vehicle_suppliers.shifts.management"})

STATUSES = ("DRIVER_STATUS_ONLINE", "DRIVER_STATUS_ONTRIP", "DRIVER_STATUS_OFFLINE")


def api_error(status, code, message):
    return Reply(status, {"code": code, "message": message})


def oauth_error(status, error, description):
    return Reply(status, {"error": error, "error_description": description})


def encrypted_id():
    """Opaque, URL-unsafe on purpose."""
    while True:
        s = base64.b64encode(os.urandom(25)).decode()
        if "+" in s or "/" in s:
            return s


def money(e5, currency):
    return {"amountE5": str(int(e5)), "currencyCode": currency}


class Org:
    def __init__(self, name):
        self.id = encrypted_id()
        self.name = name
        self.drivers = []
        self.vehicles = []
        self.payments = []
        self.status = {}

    def driver(self, first="Amine", last="Benali", email=None, phone=None,
               driver_id=None, plate=None, status="DRIVER_STATUS_OFFLINE"):
        d = {"driverId": driver_id or str(uuid.uuid4()), "firstName": first,
             "lastName": last, "email": email, "phoneNumber": phone}
        d = {k: v for k, v in d.items() if v is not None}
        self.drivers.append(d)
        if plate:
            v = self.vehicle(plate=plate)
            d["_vehicles"] = [v["vehicleId"]]
        self.set_status(d, status)
        return d

    def set_status(self, driver, status, at_ms=None):
        """A status change, at at_ms (now by default): drivers/actions
        gives the time of the change, not of the call."""
        import time as _time
        self.status[driver["driverId"]] = (status, int(at_ms if at_ms is not None
                                                       else _time.time() * 1000))

    def vehicle(self, plate, make="Toyota", model="Corolla", year=2022,
                vin=None, color="Noir"):
        v = {"vehicleId": str(uuid.uuid4()), "make": make, "model": model,
             "year": year, "vin": vin or ("JTD" + uuid.uuid4().hex[:14].upper()),
             "licensePlate": plate, "color": color}
        self.vehicles.append(v)
        return v

    def payment(self, driver, processed_ms, fare_e5, service_fee_e5=0,
                tip_e5=0, taxes_e5=0, toll_e5=0, cash_e5=0, currency="EUR",
                transaction_uuid=None, trip_uuid=None,
                description="trip completed order"):
        """Amounts in units × 10^5; service_fee and cash as Uber writes
        them (negative)."""
        earnings = fare_e5 + service_fee_e5 + tip_e5 + taxes_e5
        kids = [("net_fare", fare_e5), ("service_fee", service_fee_e5),
                ("tip", tip_e5), ("taxes", taxes_e5)]
        tree = [{"categoryName": "earnings", "amount": money(earnings, currency),
                 "children": [{"categoryName": n, "amount": money(a, currency)}
                              for n, a in kids if a]}]
        if toll_e5:
            tree.append({"categoryName": "reimbursements",
                         "amount": money(toll_e5, currency),
                         "children": [{"categoryName": "toll",
                                       "amount": money(toll_e5, currency)}]})
        if cash_e5:
            tree.append({"categoryName": "cash_collected",
                         "amount": money(cash_e5, currency)})
        p = {"transactionUuid": transaction_uuid or str(uuid.uuid4()),
             "tripUuid": trip_uuid or str(uuid.uuid4()),
             "earnerUuid": driver["driverId"],
             "earnerMetadata": {"uuid": driver["driverId"],
                                "name": f"{driver.get('firstName', '')} {driver.get('lastName', '')}".strip()},
             "processedAt": str(int(processed_ms)),
             "description": description,
             "paymentBreakdowns": tree}
        self.payments.append(p)
        return p


class Account:
    def __init__(self, client_id, secret, granted, state="active", token_ttl=2592000):
        self.client_id = client_id
        self.secret = secret
        self.granted = set(granted)
        self.state = state            # active | suspended
        self.token_ttl = token_ttl    # one user observed 30 days
        self.orgs = []

    def org(self, name="Flotte Démo"):
        o = Org(name)
        self.orgs.append(o)
        return o

    def find_org(self, org_id):
        for o in self.orgs:
            if o.id == org_id:
                return o
        return None


class UberFake(FakeServer):
    """Uber Vehicle Suppliers API (fake)."""

    name = "uber"

    def __init__(self, host="127.0.0.1", port=0):
        super().__init__(host, port)
        self.accounts = {}
        self.tokens = {}      # token -> (client_id, scopes, expires_at)

    # ---- the world --------------------------------------------------------
    def account(self, client_id=None, secret=None, granted=DEFAULT_GRANTED,
                state="active", token_ttl=2592000, org=True):
        with self.lock:
            a = Account(client_id or ("cid-" + uuid.uuid4().hex[:12]),
                        secret or ("sec-" + uuid.uuid4().hex), granted, state,
                        token_ttl)
            if org:
                a.org()
            self.accounts[a.client_id] = a
            return a

    def expire_tokens(self, client_id):
        """Every token of this client answers 401 from now on."""
        with self.lock:
            for t, (cid, scopes, _) in list(self.tokens.items()):
                if cid == client_id:
                    self.tokens[t] = (cid, scopes, 0)

    def now_ms(self):
        return int(self.now() * 1000)

    # ---- control from another process ----------------------------------------
    def control(self, op, data):
        if op == "account":
            a = self.account(data.get("client_id"), data.get("client_secret"),
                             data.get("granted", DEFAULT_GRANTED),
                             data.get("state", "active"),
                             int(data.get("token_ttl", 2592000)))
            o = a.orgs[0]
            for d in data.get("drivers", []):
                o.driver(**d)
            return {"client_id": a.client_id, "client_secret": a.secret,
                    "org_id": o.id, "drivers": o.drivers}
        a = self.accounts.get(data.get("client_id"))
        if a is None:
            raise LookupError("no such account")
        if op == "payment":
            o = a.orgs[0]
            d = next(x for x in o.drivers if x["driverId"] == data.pop("driver_id"))
            data.pop("client_id")
            return o.payment(d, **data)
        if op == "expire_tokens":
            self.expire_tokens(a.client_id)
            return {"ok": True}
        if op == "state":
            a.state = data["state"]
            return {"ok": True}
        raise LookupError(f"no control {op}")

    # ---- the token endpoint ---------------------------------------------------
    def token(self, req):
        if req.method != "POST":
            return Reply(405, b"")
        ctype = (req.headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype != "application/x-www-form-urlencoded":
            return oauth_error(400, "invalid_request",
                               "body must be application/x-www-form-urlencoded")
        f = req.form()
        if f is None:
            return oauth_error(400, "invalid_request", "malformed body")
        if f.get("grant_type") != "client_credentials":
            return oauth_error(400, "unsupported_grant_type",
                               "grant_type must be client_credentials")
        cid, secret = f.get("client_id"), f.get("client_secret")
        if not cid or not secret:
            return oauth_error(400, "invalid_request", "client_id and client_secret are required")
        with self.lock:
            a = self.accounts.get(cid)
            if a is None or a.secret != secret:
                return oauth_error(401, "invalid_client", "Invalid client credentials")
            if a.state != "active":
                return oauth_error(400, "unauthorized_client", "client is suspended")
            wanted = set((f.get("scope") or "").split())
            if not wanted <= a.granted:
                return oauth_error(400, "invalid_scope",
                                   "scope not granted: " + " ".join(sorted(wanted - a.granted)))
            t = base64.urlsafe_b64encode(os.urandom(30)).decode()
            self.tokens[t] = (cid, wanted, self.now() + a.token_ttl)
        return Reply(200, {"access_token": t, "token_type": "Bearer",
                           "expires_in": a.token_ttl, "scope": " ".join(sorted(wanted))})

    # ---- the API -------------------------------------------------------------------
    def route(self, req):
        if req.path == TOKEN_PATH:
            return self.token(req)
        scope = SCOPES.get(req.path)
        if scope is None:
            return api_error(404, "not_found", "Not found")
        if req.method != "GET":
            return api_error(405, "method_not_allowed", "Method not allowed")
        auth = req.headers.get("Authorization") or ""
        if not auth.startswith("Bearer "):
            return api_error(401, "unauthorized", "No authentication provided.")
        with self.lock:
            tok = self.tokens.get(auth[7:])
            if tok is None or tok[2] <= self.now():
                return api_error(401, "unauthorized", "Invalid OAuth 2.0 credentials provided.")
            a = self.accounts[tok[0]]
            if a.state != "active":
                return api_error(401, "unauthorized", "Invalid OAuth 2.0 credentials provided.")
            if scope not in tok[1]:
                return api_error(403, "forbidden",
                                 f"This endpoint requires at least one of the following scopes: {scope}")
            if req.path == "/v1/vehicle-suppliers/orgs":
                return Reply(200, {"organizations": [
                    {"id": o.id, "name": o.name, "types": ["FLEET"]} for o in a.orgs]})
            org_id = req.arg("org_id")
            if not org_id:
                return api_error(400, "invalid_argument", "org_id is required")
            o = a.find_org(org_id)
            if o is None:
                return api_error(403, "forbidden", "Caller is not authorized to access this organization")
            handler = {
                "/v1/vehicle-suppliers/drivers": self.drivers,
                "/v1/vehicle-suppliers/drivers/actions": self.actions,
                "/v2/vehicle-suppliers/vehicles": self.vehicles,
                "/v1/vehicle-suppliers/earners/payments": self.payments,
            }[req.path]
            return handler(req, o)

    def page(self, req, rows, key, default_size, max_size, over_max_empty=False):
        """One page of rows under key, the token binding the query."""
        raw = req.arg("page_size")
        try:
            size = int(raw) if raw is not None else default_size
        except ValueError:
            return api_error(400, "invalid_argument", "page_size must be an integer")
        if size < 1:
            return api_error(400, "invalid_argument", "page_size must be positive")
        if size > max_size:
            if over_max_empty:
                return Reply(200, {key: [], "paginationResult": {}})
            return api_error(400, "invalid_argument", f"page_size must be at most {max_size}")
        q = {k: v for k, v in sorted(req.query.items()) if k not in ("page_token", "page_size")}
        bind = hashlib.sha256((req.path + json.dumps(q)).encode()).hexdigest()[:16]
        start = 0
        pt = req.arg("page_token")
        if pt:
            try:
                d = json.loads(base64.urlsafe_b64decode(pt.encode()).decode())
                start, ok = int(d["o"]), d["b"] == bind
            except (ValueError, KeyError, TypeError):
                ok = False
            if not ok or start < 0:
                return api_error(400, "invalid_argument", "invalid page_token")
        chunk = rows[start:start + size]
        pag = {}
        if start + size < len(rows):
            pag["nextPageToken"] = base64.urlsafe_b64encode(json.dumps(
                {"o": start + size, "b": bind}).encode()).decode()
        return Reply(200, {key: chunk, "paginationResult": pag})

    def drivers(self, req, o):
        with_vehicles = req.arg("include_assigned_vehicles") == "true"
        rows = []
        for d in o.drivers:
            r = {k: v for k, v in d.items() if not k.startswith("_")}
            if with_vehicles:
                r["assignedVehicles"] = [
                    {"vehicleId": v["vehicleId"], "licensePlate": v["licensePlate"],
                     "make": v["make"], "model": v["model"]}
                    for v in o.vehicles if v["vehicleId"] in d.get("_vehicles", [])]
            rows.append(r)
        return self.page(req, rows, "driverInformation", 50, 100)

    def actions(self, req, o):
        rows = [{"driverInfo": {"driverUuid": d["driverId"], "firstName": d.get("firstName"),
                                "lastName": d.get("lastName")},
                 "onboardingStatus": "ONBOARDING_STATUS_ACTIVE",
                 "statusEntries": [{"status": o.status[d["driverId"]][0],
                                    "timestamp": str(o.status[d["driverId"]][1])}]}
                for d in o.drivers]
        return self.page(req, rows, "driverStatusOverviews", 50, 100)

    def vehicles(self, req, o):
        return self.page(req, list(o.vehicles), "vehicles", 50, 100)

    def payments(self, req, o):
        try:
            start = int(req.arg("start_time"))
            end = int(req.arg("end_time"))
        except (TypeError, ValueError):
            return api_error(400, "invalid_argument",
                             "start_time and end_time are required (epoch milliseconds)")
        if end < start:
            return api_error(400, "invalid_argument", "end_time must not be before start_time")
        now = self.now_ms()
        # Only the last 24 hours exist for this endpoint.
        lo, hi = max(start, now - DAY_MS), min(end, now)
        driver = req.arg("driver_id")
        rows = sorted((p for p in o.payments
                       if lo <= int(p["processedAt"]) < hi
                       and (driver is None or p["earnerUuid"] == driver)),
                      key=lambda p: (int(p["processedAt"]), p["transactionUuid"]))
        return self.page(req, rows, "earnerPaymentBreakdowns", 50, 50, over_max_empty=True)


if __name__ == "__main__":
    sys.exit(serve_main(UberFake))
