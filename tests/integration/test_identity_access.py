"""Access and tenancy, derived from the route table so that every new
route is covered the day it is added:

(a) cross-tenant: every route with an object in its path, tried by the
    owner of "other" (session, or API token) on an object of "demo":
    404, never 200 or 403, and the object is left as it was;
(b) the role matrix: every route, each role and anonymous, allowed or
    denied exactly as its `access` says;
(c) row-level security in PostgreSQL itself, as fleetcore_app, on every
    table that has a tenant_id column, and the rules that keep it so.

Test methods are generated from `fleetcore routes` and from the
catalogue when this module is loaded; a route or table that cannot be
exercised is skipped with its reason, never passed silently."""
import json
import os
import random
import re
import secrets
import string
import time
import unittest
import uuid

from client import VAR
from identity import (PASSWORD, Session, add_user, api, api_token, csrf_of, ensure_tenant,
                      new_plate, psql, psql_one, quote, routes, signed_in, tenant_id, token_id,
                      unique, user_id)

ROLE_ORDER = ["driver", "viewer", "finance", "manager", "admin", "owner"]
ANONYMOUS = "anonymous"
# The demo people by role; the demo has no "admin", one is added.
ADMIN_EMAIL = "role-admin@demo.test"
ROLE_USERS = {
    "owner": "admin@demo.test",
    "admin": ADMIN_EMAIL,
    "manager": "manager@demo.test",
    "finance": "finance@demo.test",
    "viewer": "viewer@demo.test",
    "driver": "chauffeur@demo.test",
}
PARAM = re.compile(r":([A-Za-z_]+)")


def key(route):
    return f"{route['method']} {route['pattern']}"


def expected_for(access):
    """allow (True) or deny (False) for each role and anonymous."""
    if access == "public":
        return {role: True for role in ROLE_ORDER + [ANONYMOUS]}
    least = ROLE_ORDER.index(access)
    out = {role: ROLE_ORDER.index(role) >= least for role in ROLE_ORDER}
    out[ANONYMOUS] = False
    return out


ROUTES = routes()
# The role matrix: expected["METHOD /pattern"][role] -> allowed?
EXPECTED = {key(r): expected_for(r["access"]) for r in ROUTES
            if not r["dev"] and r["access"] != "local"}
# Finance acts through finance, admin and owner only: a manager, above
# finance in the order of roles, reads these screens but their handlers
# refuse the manager's actions (fcgi/app/finance, finance_may_act).
FINANCE_ACTIONS = ("POST /finance/weeks/:week/validate", "POST /finance/settlements/:id/validate",
                   "POST /finance/settlements/:id/lines", "POST /api/v1/settlements/:id/validate",
                   "POST /api/v1/settlements/:id/lines",
                   # invoices and their accounting sync
                   "POST /finance/invoices/:id/payments", "POST /api/v1/invoices/:id/payments",
                   "POST /finance/accounting-sync/:id/retry",
                   "POST /api/v1/accounting-sync/:id/retry")
for _k in FINANCE_ACTIONS:
    EXPECTED[_k]["manager"] = False
# Payouts likewise; their bank file too, which holds every driver's
# account (fcgi/app/finance/payouts_api.c).
PAYOUT_ACTIONS = ("POST /finance/payouts", "GET /finance/payouts/:id/file",
                  "POST /finance/payouts/:id/sent", "POST /finance/payouts/:id/lines/:line/paid",
                  "POST /finance/payouts/:id/lines/:line/rejected", "POST /api/v1/payout-batches",
                  "GET /api/v1/payout-batches/:id/file", "POST /api/v1/payout-batches/:id/sent",
                  "POST /api/v1/payout-batches/:id/lines/:line/paid",
                  "POST /api/v1/payout-batches/:id/lines/:line/rejected")
for _k in PAYOUT_ACTIONS:
    EXPECTED[_k]["manager"] = False

# Bodies that would succeed on an object of one's own: a cross-tenant
# attempt must fail because of the tenant, not because of the body.
ATTACK_BODIES = {
    "POST /members/:id/role": {"role": "viewer"},
    "POST /vehicles/:id": {"plate": "PLATE", "make": "Pirate", "model": "X", "energy": "essence",
                           "category": "berline", "acquisition": "propriete"},
    "POST /vehicles/:id/events": {"kind": "autre", "occurred_on": "2026-11-01", "notes": "pirate"},
    "PATCH /api/v1/vehicles/:id": {"color": "Rouge"},
    "POST /api/v1/vehicles/:id/events": {"kind": "autre", "occurred_on": "2026-11-01"},
    "POST /sources/:id": {"name": "Pirate", "encoding": "auto"},
    "POST /sources/:id/schedule": {"schedule": "horaire"},
    "POST /sources/:id/auto": {"on": "1"},
    "POST /api/v1/invoices/:id/payments": {"amount_cents": 1, "method": "virement"},
    "POST /finance/invoices/:id/payments": {"amount": "0,01", "method": "virement",
                                            "paid_on": "2026-11-30"},
    "POST /api/v1/settlements/:id/lines": {"kind": "bonus", "amount_cents": 100,
                                           "reason": "pirate"},
    "POST /sources/:id/login": {"action": "start"},
    "POST /api/v1/sources/:id/login": {},
}

# Path segments whose table is not named after them: segment -> (table,
# column holding the id in the path).
TABLE_ALIASES = {"members": ("memberships", "user_id"), "tokens": ("api_tokens", "id")}
# Payout batches and their lines (fcgi/app/finance/payouts*.c).
TABLE_ALIASES.update({"payouts": ("payout_batches", "id"), "payout-batches": ("payout_batches", "id"),
                      "lines": ("payout_lines", "id")})

# Routes that answer otherwise than 404 to another tenant, on purpose;
# what is checked instead is that the object is untouched.
NOT_404 = {
    "POST /vehicles/import/:token/cancel":
        (303, "dropping a staged import answers the same redirect for any token; "
              "the staged file is per organisation, so another tenant's stays"),
    "POST /drivers/import/:token/cancel":
        (303, "dropping a staged import answers the same redirect for any token; "
              "the staged file is per organisation, so another tenant's stays"),
}


def random_token():
    return secrets.token_urlsafe(32)[:43].ljust(43, "A")


def table_columns():
    rows = psql("SELECT table_name || '.' || column_name FROM information_schema.columns"
                " WHERE table_schema = 'public'")
    cols = {}
    for r in rows:
        t, c = r.split(".", 1)
        cols.setdefault(t, set()).add(c)
    return cols


class World:
    """Everything the generated tests share, made once per run."""

    def __init__(self):
        self.demo = tenant_id("demo")
        self.other = tenant_id("other")
        add_user("demo", ADMIN_EMAIL, "admin", name="Adèle Admin")
        self._sessions = {}
        self._tokens = {}
        self._objects = {}
        self.columns = table_columns()

    # -- identities ---------------------------------------------------------
    def session(self, role):
        s = self._sessions.get(role)
        if s is None or not s.signed_in:
            s = Session() if role == ANONYMOUS else signed_in(ROLE_USERS[role])
            if role == ANONYMOUS:
                s.get("/login")  # the double-submit CSRF cookie
            self._sessions[role] = s
        return s

    def attacker(self):
        s = self._sessions.get("attacker")
        if s is None or not s.signed_in:
            s = self._sessions["attacker"] = signed_in("admin@other.test")
        return s

    def token(self, role):
        if role not in self._tokens:
            email = "admin@other.test" if role == "attacker" else ROLE_USERS[role]
            self._tokens[role] = api_token("other" if role == "attacker" else "demo", email, "write")
        return self._tokens[role]

    # -- demo's objects -----------------------------------------------------
    def demo_member(self):
        if "member" not in self._objects:
            self._objects["member"] = add_user("demo", f"{unique('cible-')}@demo.test", "viewer")
        return self._objects["member"]

    def demo_token(self):
        if "token" not in self._objects:
            self._objects["token"] = token_id(api_token("demo", "admin@demo.test", "read"))
        return self._objects["token"]

    def demo_vehicle(self):
        if "vehicle" not in self._objects:
            r = api("POST", "/api/v1/vehicles", self.token("manager"),
                    {"plate": new_plate(), "make": "Peugeot", "model": "508", "energy": "hybride"})
            assert r.status == 201, r.text
            vid = r.json()["data"]["id"]
            r = api("POST", f"/api/v1/vehicles/{vid}/events", self.token("manager"),
                    {"kind": "entretien", "occurred_on": "2026-10-01", "odometer_km": 1000})
            assert r.status == 201, r.text
            self._objects["vehicle"] = vid
        return self._objects["vehicle"]

    def demo_event_attachment(self):
        """An event of demo's vehicle with a file attached (multipart)."""
        if "event_attachment" not in self._objects:
            from client import multipart, request as raw_request
            vid = self.demo_vehicle()
            body, ctype = multipart({"kind": "sinistre", "occurred_on": "2026-10-02"},
                                    [("attachments", "constat.pdf", "application/pdf",
                                      b"%PDF-1.4\n% access\n%%EOF\n")])
            r = raw_request("POST", f"/api/v1/vehicles/{vid}/events", body=body, headers={
                "Authorization": f"Bearer {self.token('manager')}", "Content-Type": ctype})
            assert r.status == 201, r.text
            self._objects["event_attachment"] = r.json()["data"]["attachments"][0]["id"]
        return self._objects["event_attachment"]

    def demo_import(self):
        """A CSV staged for import by demo's manager: its token."""
        if "import" not in self._objects:
            s = self.session("manager")
            boundary = "----fleetcoreAccess"
            csv = f"plate;make;model;energy\r\n{new_plate()};Dacia;Jogger;gpl\r\n"
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                    f"{s.csrf()}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\";"
                    f" filename=\"v.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n"
                    f"--{boundary}--\r\n").encode()
            r = s.request("POST", "/vehicles/import", body=body,
                          headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
            m = re.search(r"/vehicles/import/([A-Za-z0-9_-]{43})/confirm", r.text)
            assert r.status == 200 and m, (r.status, r.text[:500])
            self._objects["import"] = m.group(1)
        return self._objects["import"]

    def demo_payout_batch(self):
        """A batch of demo paying one validated settlement, written
        straight into the tables (the payouts' own tests make them
        through the API)."""
        if "payout_batch" not in self._objects:
            demo, user = quote(self.demo), quote(user_id("finance@demo.test"))
            driver = psql_one("INSERT INTO drivers (tenant_id, first_name, last_name, status, iban)"
                              f" VALUES ({demo}, 'Lot', 'Matrice', 'actif',"
                              " 'DE89370400440532013000') RETURNING id")
            monday = "2019-01-07"
            psql("INSERT INTO earnings (tenant_id, source, source_key, platform, driver_id, period,"
                 f" period_start, period_end, net_cents) VALUES ({demo}, 'matrix', {quote(driver)},"
                 f" 'bolt', {quote(driver)}, 'semaine', '{monday}', '2019-01-13', 5000)")
            sid = psql(f"BEGIN; SET LOCAL app.tenant_id = {demo}; SET LOCAL app.user_id = {user};"
                       f" SELECT settlement_compute('{monday}'::date, {quote(driver)}::uuid);"
                       f" SELECT settlement_validate(id) FROM settlements WHERE driver_id = {quote(driver)};"
                       f" SELECT id FROM settlements WHERE driver_id = {quote(driver)}; COMMIT;",
                       role="fleetcore_app")[-1]
            batch = psql_one(
                "INSERT INTO payout_batches (tenant_id, number, format, currency, msg_id, pmt_inf_id,"
                " execution_date, line_count, total_cents, file_name, file_type, file_content,"
                f" file_created_at) SELECT {demo}, coalesce(max(number), 0) + 1, 'sepa', 'EUR',"
                " 'MX' || left(md5(random()::text), 30), 'MX' || left(md5(random()::text), 30), current_date,"
                " 1, 5000, 'matrix-' || md5(random()::text) || '.xml', 'application/xml', '<x/>',"
                f" now() FROM payout_batches WHERE tenant_id = {demo} RETURNING id")
            psql("INSERT INTO payout_lines (tenant_id, batch_id, position, settlement_id, driver_id,"
                 f" amount_cents, end_to_end_id, name, account) VALUES ({demo}, {quote(batch)}, 1,"
                 f" {quote(sid)}, {quote(driver)}, 5000, left(md5(random()::text), 30), 'Lot Matrice',"
                 " 'DE89370400440532013000')")
            self._objects["payout_batch"] = batch
        return self._objects["payout_batch"]

    def demo_source(self):
        """A source of demo with one ended run (a file of one row)."""
        if "source" not in self._objects:
            tok = self.token("manager")
            r = api("POST", "/api/v1/sources", tok, {"type": "uber_csv", "name": unique("Cible ")})
            assert r.status == 201, r.text
            sid = r.json()["data"]["id"]
            boundary = "----fleetcoreAccessSource"
            csv = (f"Transaction UUID,Paid to you : Your earnings\r\n{unique('acc-')},1.00\r\n")
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\";"
                    f" filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n"
                    f"--{boundary}--\r\n").encode()
            from client import request as raw_request
            r = raw_request("POST", f"/api/v1/sources/{sid}/sync", body=body, headers={
                "Authorization": f"Bearer {tok}",
                "Content-Type": f"multipart/form-data; boundary={boundary}"})
            assert r.status == 202, r.text
            run = r.json()["data"]["run_id"]
            for _ in range(300):
                if api("GET", f"/api/v1/sync-runs/{run}", tok).json()["data"]["status"] != "en_cours":
                    break
                time.sleep(0.1)
            self._objects["source"] = sid
        return self._objects["source"]

    def ensure(self, name, maker):
        """maker() once; a failure is remembered and raised again at once
        (an AssertionError naming the object) instead of being retried by
        every route that needs it."""
        failures = self.__dict__.setdefault("_failures", {})
        if name not in failures:
            try:
                return maker()
            except Exception as e:  # noqa: BLE001 - reported below
                failures[name] = f"{type(e).__name__}: {e}"
        raise AssertionError(f"could not make demo's {name}: {failures[name]}")

    def import_file(self, tok):
        return os.path.join(VAR, "data", "imports", self.demo, f"{tok}.csv")

    # -- filling a route's parameters ---------------------------------------
    def table_for(self, segment, previous=""):
        """(table, id column) for a path segment, or None."""
        if segment in TABLE_ALIASES:
            return TABLE_ALIASES[segment]
        names = [segment, segment.replace("-", "_"), segment + "s"]
        if previous:
            names.append(f"{previous.rstrip('s')}_{segment.replace('-', '_')}")
        for t in names:
            if {"tenant_id", "id"} <= self.columns.get(t, set()):
                return t, "id"
        return None

    def fill(self, route):
        """Values of demo for each parameter of a route, and a function
        returning the state of those objects.  Raises unittest.SkipTest
        with the reason when a parameter cannot be filled."""
        pattern = route["pattern"]
        parts = pattern.strip("/").split("/")
        values, states = [], []
        previous = None  # (table, value) of the parameter before
        for i, part in enumerate(parts):
            if not part.startswith(":"):
                continue
            segment = parts[i - 1] if i > 0 else ""
            if segment == "import" and part == ":token":
                tok = self.ensure("import", self.demo_import)
                path = self.import_file(tok)
                if not os.path.exists(path):
                    raise unittest.SkipTest(f"{key(route)}: cannot see the staged file {path}")
                values.append(tok)
                states.append(lambda path=path: os.path.exists(path))
                continue
            if segment == "members":
                # A person only in demo: a member of both would rightly be
                # reachable from "other".
                uid = self.ensure("member", self.demo_member)
                values.append(uid)
                previous = ("memberships", uid)
                states.append(lambda v=uid: self.row_state("memberships", "user_id", v))
                continue
            if segment == "tokens":
                self.ensure("token", self.demo_token)
            if segment == "vehicles":
                self.ensure("vehicle", self.demo_vehicle)
            if segment in ("sources", "sync-runs"):
                self.ensure("source", self.demo_source)
            if segment == "event-attachments":
                self.ensure("event_attachment", self.demo_event_attachment)
            if segment in ("payouts", "payout-batches"):
                self.ensure("payout_batch", self.demo_payout_batch)
            found = self.table_for(segment, previous[0] if previous else "")
            if found is None:
                raise unittest.SkipTest(
                    f"{key(route)}: no way to fill {part} (no table for '{segment}' and no"
                    " filler in test_identity_access.World.fill); add one")
            table, column = found
            where = f"tenant_id = {quote(self.demo)}"
            if previous and f"{previous[0].rstrip('s')}_id" in self.columns.get(table, set()):
                where += f" AND {previous[0].rstrip('s')}_id = {quote(previous[1])}"
            value = psql_one(f"SELECT {column} FROM {table} WHERE {where} ORDER BY random() LIMIT 1")
            if value is None:
                raise unittest.SkipTest(f"{key(route)}: tenant demo has no row in {table} to aim at")
            values.append(value)
            previous = (table, value)
            states.append(lambda t=table, c=column, v=value: self.row_state(t, c, v))
        return values, lambda: [s() for s in states]

    def row_state(self, table, column, value):
        """The row and the number of rows of demo that point at it."""
        row = psql(f"SELECT to_jsonb(x) FROM {table} x WHERE tenant_id = {quote(self.demo)}"
                   f" AND {column} = {quote(value)}")
        children = {}
        fk = f"{table.rstrip('s')}_id"
        for t, cols in sorted(self.columns.items()):
            if fk in cols and "tenant_id" in cols and t != table:
                children[t] = psql_one(f"SELECT count(*) FROM {t} WHERE {fk}::text = {quote(value)}")
        return row, children


_world = None


def world():
    global _world
    if _world is None:
        _world = World()
    return _world


def tearDownModule():
    """The write tokens made for the matrix do not outlive the run."""
    if _world is not None and _world._tokens:
        ids = [token_id(t) for t in _world._tokens.values()]
        psql("DELETE FROM api_tokens WHERE id IN (%s)" % ", ".join(quote(i) for i in ids if i))


def fill_path(pattern, values):
    it = iter(values)
    return PARAM.sub(lambda m: next(it), pattern)


def random_values(pattern):
    return [random_token() if name == "token" else str(uuid.uuid4())
            for name in PARAM.findall(pattern)]


def send(route, path, session=None, token=None, body=None):
    """One request the way a browser (form with CSRF) or an API client
    (JSON with a bearer token) would send it."""
    method = route["method"]
    if route["api"]:
        return api(method, path, token, body if method not in ("GET", "HEAD", "DELETE") else None)
    if method in ("GET", "HEAD"):
        return session.request(method, path)
    fields = dict(body or {})
    fields["csrf"] = session.csrf()
    return session.request(method, path, form=fields)


# ---- (a) cross-tenant --------------------------------------------------------

class CrossTenant(unittest.TestCase):
    """The owner of "other" on the objects of "demo"."""

    def test_lists_of_another_tenant_show_nothing_of_demo(self):
        w = world()
        member_email = psql_one(f"SELECT email FROM users WHERE id = {quote(w.demo_member())}")
        token_name = psql_one(f"SELECT name FROM api_tokens WHERE id = {quote(w.demo_token())}")
        vid = w.demo_vehicle()
        plate = api("GET", f"/api/v1/vehicles/{vid}", w.token("owner")).json()["data"]["plate"]
        s = w.attacker()
        for path, secret in (("/members", member_email), ("/tokens", token_name),
                             ("/vehicles", plate),
                             ("/outbox", member_email), ("/", "Alice Martin")):
            r = s.get(path)
            self.assertEqual(r.status, 200, path)
            self.assertNotIn(secret, r.text, path)
        r = api("GET", f"/api/v1/vehicles?q={plate}", w.token("attacker"))
        self.assertEqual(r.json()["data"], [])
        # The same lists do show them to demo.
        self.assertIn(member_email, w.session("owner").get("/members").text)
        self.assertIn(token_name, w.session("owner").get("/tokens").text)


def make_cross_tenant_test(route):
    k = key(route)

    def test(self):
        if route["access"] == "public":
            self.skipTest(f"{k}: public; the {PARAM.findall(route['pattern'])} in its path is a"
                          " one-time credential, not an object of a tenant (tested in test_identity)")
        w = world()
        values, state = w.fill(route)
        path = fill_path(route["pattern"], values)
        before = state()
        body = dict(ATTACK_BODIES.get(k, {}))
        if "plate" in body:
            body["plate"] = new_plate()
        r = send(route, path, session=w.attacker(), token=w.token("attacker"), body=body)
        want = NOT_404.get(k, (404, None))[0]
        self.assertEqual(r.status, want, f"{k} as another tenant: {r.status} {r.text[:200]}")
        if route["api"]:
            self.assertEqual(r.json()["error"]["code"], "not_found")
        self.assertEqual(state(), before, f"{k}: demo's object changed")
        if route["method"] == "GET":
            # Control: the same path is demo's own object.
            own = send(route, path, session=w.session("owner"), token=w.token("owner"))
            self.assertEqual(own.status, 200, f"{k}: demo itself does not reach {path}")

    test.__doc__ = f"{k}: another tenant gets 404 and changes nothing"
    return test


# ---- (b) the role matrix -----------------------------------------------------

def verdict(route, r):
    """'allowed' or 'denied' from an answer, or raise on something else."""
    location = r.header("location") or ""
    if r.status == 401 or r.status == 403 or (r.status == 303 and location == "/login"):
        return "denied"
    return "allowed"


class RoleMatrix(unittest.TestCase):
    def test_the_matrix_covers_every_route_but_dev_and_local_ones(self):
        for r in ROUTES:
            if r["dev"] or r["access"] == "local":
                self.assertNotIn(key(r), EXPECTED)
            else:
                self.assertIn(key(r), EXPECTED)
                self.assertIn(r["access"], ROLE_ORDER + ["public"], key(r))

    def test_the_matrix_is_derived_from_the_role_order(self):
        self.assertEqual(EXPECTED["GET /members"], {
            "driver": False, "viewer": False, "finance": False, "manager": False,
            "admin": True, "owner": True, ANONYMOUS: False})
        self.assertEqual(EXPECTED["GET /profile"][ANONYMOUS], False)
        self.assertTrue(all(EXPECTED["GET /profile"][role] for role in ROLE_ORDER))
        self.assertTrue(all(EXPECTED["GET /login"].values()))


def make_matrix_test(route):
    k = key(route)

    def test(self):
        w = world()
        for role in ROLE_ORDER + [ANONYMOUS]:
            allowed = EXPECTED[k][role]
            with self.subTest(role=role):
                values = random_values(route["pattern"])
                if route["method"] == "GET" and route["access"] != "public" and values:
                    try:
                        values = w.fill(route)[0]
                    except (unittest.SkipTest, AssertionError):
                        pass  # a random id still tells allowed (404) from denied (403)
                path = fill_path(route["pattern"], values)
                token = None if role == ANONYMOUS else w.token(role)
                r = send(route, path, session=w.session(role), token=token)
                self.assertNotEqual(r.status // 100, 5, f"{role}: {r.status}")
                got = verdict(route, r)
                self.assertEqual(got, "allowed" if allowed else "denied",
                                 f"{k} as {role}: {r.status} {r.header('location') or ''}")
                if not allowed:
                    if role == ANONYMOUS and route["api"]:
                        self.assertEqual(r.status, 401)
                        self.assertEqual(r.json()["error"]["code"], "unauthorized")
                    elif role == ANONYMOUS:
                        self.assertEqual((r.status, r.header("location")), (303, "/login"))
                    else:
                        self.assertEqual(r.status, 403)
                        if route["api"]:
                            self.assertEqual(r.json()["error"]["code"], "forbidden")

    test.__doc__ = f"{k}: " + ", ".join(
        f"{role} {'yes' if ok else 'no'}" for role, ok in EXPECTED[k].items())
    return test


def make_skipped(reason):
    def test(self):
        self.skipTest(reason)
    return test


def slug(route):
    s = re.sub(r"[^A-Za-z0-9]+", "_", route["pattern"]).strip("_") or "root"
    return f"{route['method'].lower()}_{s}"


for _route in ROUTES:
    _k = key(_route)
    if _route["dev"]:
        reason = f"{_k}: dev-only route (404 in production), not part of the product's access rules"
        setattr(RoleMatrix, f"test_matrix_{slug(_route)}", make_skipped(reason))
        continue
    if _route["access"] == "local":
        reason = f"{_k}: 'local' access depends on the client address, not on a role (test_site_platform)"
        setattr(RoleMatrix, f"test_matrix_{slug(_route)}", make_skipped(reason))
        continue
    setattr(RoleMatrix, f"test_matrix_{slug(_route)}", make_matrix_test(_route))
    if PARAM.search(_route["pattern"]):
        setattr(CrossTenant, f"test_cross_tenant_{slug(_route)}", make_cross_tenant_test(_route))


# ---- (c) row-level security in PostgreSQL --------------------------------------

RLS_A, RLS_B = "rls-a", "rls-b"
RLS_ERROR = "violates row-level security policy"
# Tables with a tenant_id column that are not tenant-owned (the column may
# be NULL), each with its reason.  Anything else with tenant_id must have
# row-level security.
NOT_TENANT_OWNED = {
    "jobs": "the platform's job queue: the runner (fleetcore_app) claims jobs of every"
            " organisation; tenant_id is nullable routing information",
}


def tenant_tables():
    return psql("SELECT c.table_name FROM information_schema.columns c"
                " JOIN information_schema.tables t ON t.table_schema = c.table_schema"
                " AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'"
                " WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'"
                " ORDER BY 1")


# Rows of an organisation in the tables that identity and fleet define;
# a later table without a seed here is still checked for INSERT, and its
# read/write test says it has nothing to aim at.
SEEDS = {
    "vehicles": "INSERT INTO vehicles (tenant_id, plate, make, model, energy)"
                " VALUES (@T@, 'RL-' || (100 + floor(random() * 800))::int || '-SA', 'Renault', 'Clio', 'essence')",
    "drivers": "INSERT INTO drivers (tenant_id, first_name, last_name) VALUES (@T@, 'Rémi', 'Rls')",
    "assignments": "INSERT INTO assignments (tenant_id, vehicle_id, driver_id, starts_at)"
                   " SELECT @T@, (SELECT id FROM vehicles WHERE tenant_id = @T@ LIMIT 1),"
                   " (SELECT id FROM drivers WHERE tenant_id = @T@ LIMIT 1), now()",
    "vehicle_events": "INSERT INTO vehicle_events (tenant_id, vehicle_id, kind, occurred_at, driver_id)"
                      " SELECT @T@, (SELECT id FROM vehicles WHERE tenant_id = @T@ LIMIT 1), 'autre', now(),"
                      " (SELECT id FROM drivers WHERE tenant_id = @T@ LIMIT 1)",
    "event_attachments": "INSERT INTO event_attachments (tenant_id, event_id, file_name, content_type,"
                         " size_bytes, storage_key) SELECT @T@, (SELECT id FROM vehicle_events"
                         " WHERE tenant_id = @T@ LIMIT 1), 'facture.pdf', 'application/pdf', 1000,"
                         " md5(random()::text)",
    "documents": "INSERT INTO documents (tenant_id, driver_id, type, file_name, content_type, size_bytes,"
                 " storage_key) SELECT @T@, (SELECT id FROM drivers WHERE tenant_id = @T@ LIMIT 1),"
                 " 'permis', 'permis.pdf', 'application/pdf', 1000, md5(random()::text)",
    "document_thresholds": "INSERT INTO document_thresholds (tenant_id, type, days) VALUES (@T@, 'assurance', 45)",
    "company_mapping": "INSERT INTO company_mapping (tenant_id, source, external_id) VALUES (@T@, 'rls-test', @T@)",
    "invitations": "INSERT INTO invitations (tenant_id, email, role, token_hash, expires_at)"
                   " VALUES (@T@, 'invite-' || @T@ || '@rls.test', 'viewer',"
                   " sha256(convert_to(random()::text, 'UTF8')), now() + interval '7 days')",
    "email_outbox": "INSERT INTO email_outbox (tenant_id, recipient, subject, body, kind)"
                    " VALUES (@T@, 'x@rls.test', 'Sujet', 'Corps', 'test')",
    "activities": "INSERT INTO activities (tenant_id, type, title) VALUES (@T@, 'test.rls', 'RLS')",
    "api_tokens": "INSERT INTO api_tokens (tenant_id, token_hash, prefix, name, scope, created_by)"
                  " VALUES (@T@, sha256(convert_to(random()::text, 'UTF8')), 'fc_rlsrlsrl', 'rls', 'read', @U@)",
    "sessions": "INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, expires_at)"
                " VALUES (sha256(convert_to(random()::text, 'UTF8')), @U@, @T@, 'csrf', now() + interval '1 day')",
    "sources": "INSERT INTO sources (tenant_id, type, name) VALUES (@T@, 'uber_csv', 'RLS ' || @T@)",
    "sync_runs": "INSERT INTO sync_runs (tenant_id, source_id, trigger, status, ended_at)"
                 " SELECT @T@, (SELECT id FROM sources WHERE tenant_id = @T@ LIMIT 1), 'manual',"
                 " 'reussi', now()",
    "sync_rejects": "INSERT INTO sync_rejects (tenant_id, run_id, line, reason)"
                    " SELECT @T@, (SELECT id FROM sync_runs WHERE tenant_id = @T@ LIMIT 1), 2, 'RLS'",
    "source_mode_periods": "INSERT INTO source_mode_periods (tenant_id, source_id)"
                           " SELECT @T@, (SELECT id FROM sources WHERE tenant_id = @T@ LIMIT 1)",
    "trips": "INSERT INTO trips (tenant_id, platform, source, source_key, driver_id)"
             " SELECT @T@, 'uber', 'rls', md5(random()::text),"
             " (SELECT id FROM drivers WHERE tenant_id = @T@ LIMIT 1)",
    "earnings": "INSERT INTO earnings (tenant_id, platform, source, source_key, period, period_start,"
                " period_end) VALUES (@T@, 'heetch', 'rls', md5(random()::text), 'semaine',"
                " '2026-11-02', '2026-11-08')",
    "driver_matches": "INSERT INTO driver_matches (tenant_id, platform, driver_ref, driver_id)"
                      " SELECT @T@, 'uber', md5(random()::text),"
                      " (SELECT id FROM drivers WHERE tenant_id = @T@ LIMIT 1)",
    # Payouts: the settings, and a batch alone (a line needs a validated
    # settlement).
    "organisation_settings": "INSERT INTO organisation_settings (tenant_id, bank_name) VALUES (@T@, 'RLS')"
                             " ON CONFLICT (tenant_id) DO NOTHING",
    "payout_batches": "INSERT INTO payout_batches (tenant_id, number, format, currency, msg_id, pmt_inf_id,"
                      " execution_date, line_count, total_cents, file_name, file_type, file_content,"
                      " file_created_at) VALUES (@T@, 1 + floor(random() * 1000000)::int, 'sepa', 'EUR',"
                      " left(md5(random()::text), 30), left(md5(random()::text), 30), current_date, 1, 100,"
                      " md5(random()::text) || '.xml', 'application/xml', '<x/>', now())",
}


class Tenancy:
    """Two organisations with a row in every seedable table."""

    def __init__(self):
        self.t = {}
        self.u = {}
        self.seed_errors = {}
        for slug_ in (RLS_A, RLS_B):
            self.t[slug_] = ensure_tenant(slug_, f"RLS {slug_}")
            email = f"owner@{slug_}.test"
            self.u[slug_] = user_id(email) or add_user(slug_, email, "owner")
            for table, sql in SEEDS.items():
                have = psql(f"SELECT 1 FROM {table} WHERE tenant_id = {quote(self.t[slug_])} LIMIT 1",
                            role="fleetcore_owner", check=False)
                if have.returncode == 0 and have.stdout.strip():
                    continue
                out = psql(sql.replace("@T@", quote(self.t[slug_])).replace("@U@", quote(self.u[slug_])),
                           role="fleetcore_owner", check=False)
                if out.returncode != 0:
                    self.seed_errors[table] = out.stderr.strip()

    def as_app(self, slug_, sql, user=None):
        """Run sql as fleetcore_app in a transaction acting for slug_
        (SET LOCAL, as the application does), rolled back.  Returns the
        CompletedProcess."""
        uid = self.u[user or slug_]
        script = (f"BEGIN; SET LOCAL app.tenant_id = {quote(self.t[slug_])};"
                  f" SET LOCAL app.user_id = {quote(uid)}; {sql}; ROLLBACK;")
        return psql(script, role="fleetcore_app", check=False)

    def count_as_app(self, slug_, sql):
        out = self.as_app(slug_, sql)
        if out.returncode != 0:
            raise AssertionError(f"as fleetcore_app: {out.stderr.strip()}\n{sql}")
        return int(out.stdout.split()[-1])


_tenancy = None


def tenancy():
    global _tenancy
    if _tenancy is None:
        _tenancy = Tenancy()
    return _tenancy


def insertable_columns(table):
    return psql("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                f" AND table_name = {quote(table)} AND is_generated = 'NEVER'"
                " AND coalesce(identity_generation, '') <> 'ALWAYS' ORDER BY ordinal_position")


def make_rls_insert_test(table):
    def test(self):
        w = tenancy()
        a, b = w.t[RLS_A], w.t[RLS_B]
        cols = insertable_columns(table)
        visible = w.count_as_app(RLS_A, f"SELECT count(*) FROM {table}")

        def copy_as(target):
            # A row A may see, copied with only its tenant changed: every
            # other value is valid, so only the policy can refuse it.
            if visible:
                select = ", ".join(f"{quote(target)}::uuid" if c == "tenant_id" else c for c in cols)
                return (f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM {table}"
                        f" WHERE tenant_id = {quote(a)} LIMIT 1")
            return f"INSERT INTO {table} (tenant_id) VALUES ({quote(target)})"

        out = w.as_app(RLS_A, copy_as(b))
        self.assertNotEqual(out.returncode, 0, f"{table}: a row of {RLS_B} was inserted while acting for {RLS_A}")
        if "permission denied" in out.stderr:
            # A table the application may not write at all (kept by
            # triggers): that it cannot insert its own rows either is
            # the control.
            self.assertIn("permission denied", w.as_app(RLS_A, copy_as(a)).stderr)
            return
        self.assertIn(RLS_ERROR, out.stderr, out.stderr)
        # Control: the same statement for one's own organisation is not
        # refused by the policy (a unique key or NOT NULL may still object).
        own = w.as_app(RLS_A, copy_as(a))
        self.assertNotIn(RLS_ERROR, own.stderr, f"{table}: the policy refuses one's own rows too")

    test.__doc__ = f"{table}: INSERT with another tenant's id fails WITH CHECK"
    return test


def make_rls_rw_test(table):
    def test(self):
        w = tenancy()
        a, b = w.t[RLS_A], w.t[RLS_B]
        n_b = int(psql_one(f"SELECT count(*) FROM {table} WHERE tenant_id = {quote(b)}",
                           role="fleetcore_owner"))
        if n_b == 0:
            why = w.seed_errors.get(table, "no seed for it in test_identity_access.SEEDS")
            self.skipTest(f"{table}: tenant {RLS_B} has no row to aim at ({why});"
                          " INSERT is still checked")
        where = f"WHERE tenant_id = {quote(b)}"
        # Control: acting for B, the same SELECT finds B's rows.
        self.assertGreater(w.count_as_app(RLS_B, f"SELECT count(*) FROM {table} {where}"), 0,
                           f"{table}: B cannot see its own rows, the test proves nothing")
        self.assertEqual(w.count_as_app(RLS_A, f"SELECT count(*) FROM {table} {where}"), 0,
                         f"{table}: SELECT sees another tenant's rows")
        for verb, sql in (
                ("UPDATE", f"WITH x AS (UPDATE {table} SET tenant_id = tenant_id {where} RETURNING 1)"
                           " SELECT count(*) FROM x"),
                ("UPDATE to A", f"WITH x AS (UPDATE {table} SET tenant_id = {quote(a)} {where} RETURNING 1)"
                                " SELECT count(*) FROM x"),
                ("DELETE", f"WITH x AS (DELETE FROM {table} {where} RETURNING 1) SELECT count(*) FROM x")):
            out = w.as_app(RLS_A, sql)
            if out.returncode != 0:
                # A table the application may not write at all is fine too.
                self.assertIn("permission denied", out.stderr, f"{table} {verb}: {out.stderr}")
                continue
            self.assertEqual(int(out.stdout.split()[-1]), 0, f"{table}: {verb} touched another tenant's rows")
        self.assertEqual(int(psql_one(f"SELECT count(*) FROM {table} WHERE tenant_id = {quote(b)}",
                                      role="fleetcore_owner")), n_b)

    test.__doc__ = f"{table}: SELECT, UPDATE and DELETE of another tenant's rows touch nothing"
    return test


class RowLevelSecurity(unittest.TestCase):
    def test_every_table_with_a_tenant_id_has_rls_and_a_policy(self):
        rows = psql("SELECT c.relname || '|' || c.relrowsecurity || '|' ||"
                    " (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) || '|' ||"
                    " (SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = c.oid"
                    "  AND a.attname = 'tenant_id')"
                    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
                    " AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid"
                    "  AND a.attname = 'tenant_id' AND NOT a.attisdropped) ORDER BY 1")
        self.assertGreater(len(rows), 5)
        checked = []
        for row in rows:
            table, rls, policies, not_null = row.split("|")
            with self.subTest(table=table):
                if table in NOT_TENANT_OWNED:
                    self.assertEqual(not_null, "false", f"{table} has tenant_id NOT NULL: it is"
                                     " tenant-owned and needs row-level security")
                    continue
                self.assertEqual(not_null, "true", f"{table}: tenant_id must be NOT NULL")
                self.assertEqual(rls, "true", f"{table}: row-level security is not enabled")
                self.assertGreater(int(policies), 0, f"{table}: no policy")
                checked.append(table)
        print(f"\n    RLS checked on {len(checked)} tables: {', '.join(checked)};"
              f" not tenant-owned: {', '.join(sorted(NOT_TENANT_OWNED))}")

    def test_the_application_role_owns_nothing_and_bypasses_nothing(self):
        self.assertEqual(psql("SELECT rolsuper || '|' || rolbypassrls || '|' || rolcreaterole"
                              " FROM pg_roles WHERE rolname = 'fleetcore_app'"), ["false|false|false"])
        self.assertEqual(psql("SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
                              " WHERE r.rolname = 'fleetcore_app'"), [])
        self.assertEqual(psql("SELECT p.proname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner"
                              " WHERE r.rolname = 'fleetcore_app'"), [])
        self.assertEqual(psql("SELECT n.nspname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner"
                              " WHERE r.rolname = 'fleetcore_app'"), [])
        # Tables with row-level security are not FORCEd, so they must not
        # be owned by the application: checked above; and the app is in no
        # role that could own or bypass.
        self.assertEqual(psql("SELECT b.rolname FROM pg_auth_members m JOIN pg_roles a ON a.oid = m.member"
                              " JOIN pg_roles b ON b.oid = m.roleid WHERE a.rolname = 'fleetcore_app'"), [])

    def test_security_definer_functions_are_the_owners_with_a_fixed_search_path(self):
        rows = psql("SELECT p.proname || '|' || r.rolname || '|' ||"
                    " coalesce(array_to_string(p.proconfig, ','), '')"
                    " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    " JOIN pg_roles r ON r.oid = p.proowner"
                    " WHERE n.nspname = 'public' AND p.prosecdef ORDER BY 1")
        self.assertIn("auth_session", [r.split("|")[0] for r in rows])
        for row in rows:
            name, owner, config = row.split("|")
            with self.subTest(function=name):
                self.assertEqual(owner, "fleetcore_owner")
                self.assertIn("search_path=", config)

    def test_tenants_and_users_of_another_organisation(self):
        w = tenancy()
        b, ub = w.t[RLS_B], w.u[RLS_B]
        self.assertEqual(w.count_as_app(RLS_A, "SELECT count(*) FROM tenants"), 1)
        self.assertEqual(w.count_as_app(RLS_A, f"SELECT count(*) FROM tenants WHERE id = {quote(b)}"), 0)
        self.assertEqual(w.count_as_app(RLS_B, f"SELECT count(*) FROM tenants WHERE id = {quote(b)}"), 1)
        self.assertEqual(w.count_as_app(
            RLS_A, f"WITH x AS (UPDATE tenants SET name = 'pris' WHERE id = {quote(b)} RETURNING 1)"
                   " SELECT count(*) FROM x"), 0)
        self.assertEqual(w.count_as_app(RLS_A, f"SELECT count(*) FROM users WHERE id = {quote(ub)}"), 0)
        self.assertEqual(w.count_as_app(RLS_B, f"SELECT count(*) FROM users WHERE id = {quote(ub)}"), 1)
        self.assertEqual(w.count_as_app(
            RLS_A, f"WITH x AS (UPDATE users SET name = 'pris' WHERE id = {quote(ub)} RETURNING 1)"
                   " SELECT count(*) FROM x"), 0)
        for sql in ("INSERT INTO tenants (name, slug) VALUES ('x', 'rls-x')",
                    f"DELETE FROM users WHERE id = {quote(ub)}",
                    f"UPDATE users SET password_hash = 'x' WHERE id = {quote(w.u[RLS_A])}"):
            out = w.as_app(RLS_A, sql)
            self.assertIn("permission denied", out.stderr, sql)

    def test_private_tables_are_closed_to_the_application(self):
        w = tenancy()
        for table in ("password_resets", "login_failures"):
            out = w.as_app(RLS_A, f"SELECT count(*) FROM {table}")
            self.assertIn("permission denied", out.stderr, table)

    def test_without_a_tenant_nothing_is_visible(self):
        w = tenancy()
        for table in tenant_tables():
            if table in NOT_TENANT_OWNED or table == "sessions":
                continue
            out = psql(f"SELECT count(*) FROM {table}", role="fleetcore_app", check=False)
            if out.returncode != 0:
                self.assertIn("permission denied", out.stderr)
                continue
            self.assertEqual(out.stdout.strip(), "0", f"{table} without app.tenant_id")
        self.assertTrue(w.t)


for _table in tenant_tables():
    if _table in NOT_TENANT_OWNED:
        continue
    setattr(RowLevelSecurity, f"test_rls_{_table}_insert_for_another_tenant",
            make_rls_insert_test(_table))
    setattr(RowLevelSecurity, f"test_rls_{_table}_read_write_of_another_tenant",
            make_rls_rw_test(_table))


if __name__ == "__main__":
    unittest.main()
