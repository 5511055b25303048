"""Shared helpers of the identity and tenancy tests: a browser-like
session (cookie jar, CSRF token), psql against the stack's private
cluster, the fleetcore command line and its route table."""
import html
import json
import os
import random
import re
import subprocess
import time
import uuid
from urllib.parse import urlencode

from client import ROOT, VAR, request

BUILD = os.environ.get("BUILD", "build")
PASSWORD = "fleetcore-demo"
SESSION_COOKIE = "__Host-fleetcore"
CSRF_COOKIE = "__Host-fleetcore-csrf"
DB_OWNER = f"host={VAR}/run dbname=fleetcore user=fleetcore_owner"
DB_APP = f"host={VAR}/run dbname=fleetcore user=fleetcore_app"

_CSRF_RE = re.compile(r'<input type="hidden" name="csrf" value="([^"]*)"')


def csrf_of(page):
    """The CSRF token of the first form of a page (str or Response)."""
    text = page if isinstance(page, str) else page.text
    m = _CSRF_RE.search(text)
    if m is None:
        raise AssertionError("no csrf field in the page")
    return html.unescape(m.group(1))


def unique(prefix="t"):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def unique_email(prefix="user"):
    return f"{unique(prefix)}@ident.test"


class Session:
    """One browser: a cookie jar over client.request(), no redirects
    followed.  Set-Cookie with Max-Age=0 deletes the cookie."""

    def __init__(self, source=None):
        self.cookies = {}
        self.source = source
        # nginx limits /login per client address (LOGIN_RATE); each browser
        # signs in from a loopback address of its own, as people would
        # from their own machines (127.0.0.2 and .3 are test_site_platform's).
        self.login_source = source or f"127.0.{random.randint(1, 254)}.{random.randint(4, 254)}"
        self.last = None

    def request(self, method, path, form=None, body=None, headers=None, json_body=None):
        h = dict(headers or {})
        if form is not None:
            body = urlencode(form).encode()
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            h.setdefault("Content-Type", "application/json")
        if self.cookies and "Cookie" not in h:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        source = self.login_source if path.split("?")[0] == "/login" else self.source
        for delay in (0.1, 0.2, 0.4, 0.8, 1.6, 0):
            r = request(method, path, body=body, headers=h, source=source)
            # nginx's own 429 (not the lockout page of the application).
            if r.status != 429 or "<title>Trop de requêtes" not in r.text or not delay:
                break
            time.sleep(delay)
        for k, v in r.headers:
            if k.lower() == "set-cookie":
                self._store(v)
        self.last = r
        return r

    def _store(self, header):
        first, *attrs = [p.strip() for p in header.split(";")]
        name, _, value = first.partition("=")
        attrs = {a.partition("=")[0].lower(): a.partition("=")[2] for a in attrs}
        if attrs.get("max-age") == "0" or value == "":
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def csrf(self, path=None):
        """A valid CSRF token for this browser: from the profile page when
        signed in, from the sign-in page otherwise."""
        if path is None:
            path = "/profile" if self.signed_in else "/login"
        r = self.get(path)
        return csrf_of(r)

    def post(self, path, fields=None, csrf=True, **kw):
        """POST a form; csrf=True adds a valid token, a string sends that
        token, False/None sends none."""
        fields = dict(fields or {})
        if csrf is True:
            fields["csrf"] = self.csrf()
        elif csrf:
            fields["csrf"] = csrf
        return self.request("POST", path, form=fields, **kw)

    @property
    def token(self):
        return self.cookies.get(SESSION_COOKIE)

    @property
    def signed_in(self):
        return SESSION_COOKIE in self.cookies

    def sign_in(self, email, password=PASSWORD):
        """GET /login, then POST it with the form's CSRF token.  Returns
        the POST's response (303 to / when it worked)."""
        page = self.get("/login")
        if page.status == 303:  # already signed in
            return page
        return self.request("POST", "/login", form={
            "csrf": csrf_of(page), "email": email, "password": password})


def signed_in(email, password=PASSWORD, source=None):
    s = Session(source=source)
    r = s.sign_in(email, password)
    # A driver lands on the portal, everyone else on the dashboard.
    if r.status != 303 or r.header("location") not in ("/", "/portal"):
        raise AssertionError(f"sign-in of {email} failed: {r.status} {r.text[:300]}")
    return s


def _as_run_user(cmd, env_vars):
    if os.geteuid() == 0:
        return ["runuser", "-u", "fleetcore", "--", "env"] + \
            [f"{k}={v}" for k, v in env_vars.items()] + cmd
    return cmd


def psql(sql, role="postgres", check=True):
    """Run SQL (one or more statements) as a role of the stack's cluster;
    returns the unaligned, tuples-only output lines.  role: postgres (the
    superuser), fleetcore_owner or fleetcore_app."""
    cmd = ["psql", "-h", f"{VAR}/run", "-U", role, "-d", "fleetcore", "-X", "-q",
           "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "fleetcore", "--"] + cmd
    out = subprocess.run(cmd, capture_output=True, text=True)
    if check and out.returncode != 0:
        raise AssertionError(f"psql as {role} failed: {out.stderr.strip()}\n{sql}")
    if not check:
        return out
    return [l for l in out.stdout.splitlines() if l != ""]


def psql_one(sql, role="postgres"):
    rows = psql(sql, role)
    return rows[0] if rows else None


def quote(value):
    """A SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def cli(*args, stdin=None, env=None):
    """build/fleetcore ARGS with the stack's environment (and env's
    variables), as the run user.  Returns the CompletedProcess (text)."""
    env_vars = {"FLEETCORE_DB_OWNER": DB_OWNER, "FLEETCORE_DB": DB_APP, **(env or {})}
    cmd = _as_run_user([os.path.join(ROOT, BUILD, "fleetcore")] + list(args), env_vars)
    env = dict(os.environ, **env_vars)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, input=stdin)


def cli_ok(*args, stdin=None):
    out = cli(*args, stdin=stdin)
    if out.returncode != 0:
        raise AssertionError(f"fleetcore {' '.join(args)}: {out.returncode} {out.stderr}")
    return out.stdout


_routes = None


def routes():
    """The route table as `fleetcore routes` prints it (list of dicts)."""
    global _routes
    if _routes is None:
        out = subprocess.run([os.path.join(ROOT, BUILD, "fleetcore"), "routes"],
                             capture_output=True, text=True, check=True)
        _routes = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    return _routes


def add_user(tenant, email, role, password=PASSWORD, name=None):
    """A member made by the command line; returns the user id."""
    args = ["user", "add", "--tenant", tenant, "--email", email, "--role", role]
    if name:
        args += ["--name", name]
    args.append("--password-stdin")
    cli_ok(*args, stdin=password + "\n")
    return user_id(email)


def user_id(email):
    return psql_one(f"SELECT id FROM users WHERE email = {quote(email.lower())}")


def tenant_id(slug):
    return psql_one(f"SELECT id FROM tenants WHERE slug = {quote(slug)}")


def ensure_tenant(slug, name):
    """The id of an organisation, created by the command line when absent."""
    tid = tenant_id(slug)
    if tid is None:
        tid = cli_ok("tenant", "create", "--name", name, "--slug", slug).strip()
    return tid


def api_token(tenant, email, scope="write", name=None):
    """A fresh API token from the command line."""
    return cli_ok("token", "create", "--tenant", tenant, "--user", email,
                  "--name", name or unique("test-"), "--scope", scope).strip()


def token_id(token):
    """The id of an API token (only its SHA-256 is stored)."""
    return psql_one("SELECT id FROM api_tokens WHERE token_hash = "
                    f"sha256(convert_to({quote(token)}, 'UTF8'))")


def api(method, path, tok=None, body=None, headers=None):
    h = dict(headers or {})
    if tok is not None:
        h["Authorization"] = f"Bearer {tok}"
    data = None
    if body is not None:
        h["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    return request(method, path, body=data, headers=h)


def new_plate():
    """A valid SIV plate that is almost surely free."""
    letters = "ABCDEFGHJKLMNPQRSTVXYZ"
    while True:
        n = uuid.uuid4().int
        pick = [letters[(n >> (5 * i)) % 22] for i in range(4)]
        # SS is never issued (fleet_valid.c): such a plate is refused.
        if "SS" not in (pick[0] + pick[1], pick[2] + pick[3]):
            return f"{pick[0]}{pick[1]}-{(n >> 40) % 900 + 100}-{pick[2]}{pick[3]}"


def outbox(recipient, kind=None):
    """Mails to recipient in the outbox, newest first: (subject, body)."""
    where = f"recipient = {quote(recipient.lower())}"
    if kind:
        where += f" AND kind = {quote(kind)}"
    rows = psql(f"SELECT json_build_object('subject', subject, 'body', body, 'tenant', tenant_id)"
                f" FROM email_outbox WHERE {where} ORDER BY created_at DESC, id DESC")
    return [json.loads(r) for r in rows]


def link_in(body, kind):
    """The path of the first /invitations/… or /password/reset/… link of a mail."""
    m = re.search(r"https://[^/\s]+(/%s/[A-Za-z0-9_-]+)" % kind, body)
    if m is None:
        raise AssertionError(f"no /{kind}/ link in: {body}")
    return m.group(1)


def activities(tenant_slug, type_, since_id=0):
    """Activities of a type in an organisation after an id: list of dicts."""
    rows = psql("SELECT json_build_object('id', a.id, 'title', a.title, 'description',"
                " a.description, 'actor', a.actor_id, 'subject_type', a.subject_type,"
                " 'subject_id', a.subject_id) FROM activities a JOIN tenants t"
                f" ON t.id = a.tenant_id WHERE t.slug = {quote(tenant_slug)}"
                f" AND a.type = {quote(type_)} AND a.id > {int(since_id)} ORDER BY a.id",
                role="fleetcore_owner")
    return [json.loads(r) for r in rows]


def last_activity_id():
    return int(psql_one("SELECT coalesce(max(id), 0) FROM activities", role="fleetcore_owner"))
