#!/usr/bin/env python3
"""Fake of Heetch's fleet-manager portal, after platforms.md §2.3: the
auth gateway (auth-gw.heetch.com) and the driver portal's API
(driver.heetch.com), errors included.  Both hosts are served on one port.

Auth gateway (headers "device-id: <uuid>" and "origin:
https://auth.heetch.com" required on POST; JSON bodies):
  GET  /session        {state, phone_number, authentication_provider};
                       with "authorization: Token <t>" the state of that
                       login
  POST /web/session    {client:"web", phone_number, action:"login",
                       challenge:"score", recaptcha_token?}
                         → 201 {state:"sms_code_required", token,
                           phone_number (masked), code_length, expires_in}
                         and an SMS is "sent" (FakeHeetch.last_sms)
                       {client:"web", action:"verify_code", code}
                       + authorization: Token <t>
                         → 200 {state:"password_required"}; a wrong code
                           422 invalid_code (attempts_left), five wrong
                           429 too_many_attempts, after expires_in 410
                           code_expired
                       {client:"web", action:"verify_password", password}
                       + authorization: Token <t>
                         → 200 {state:"authenticated", redirect_url:
                           "https://driver.heetch.com/auth_callback?code=…"}
                           (the real host, whatever host served it); a
                           wrong password 401 invalid_credentials
                       Errors are {"error": code, "message": text}; an
                       unknown number 404 unknown_phone_number, a locked
                       account 403 account_locked, an account that
                       demands reCAPTCHA 403 recaptcha_required.
Driver portal:
  GET /auth_callback?code=…   302 to /dashboard with Set-Cookie
                       heetch_driver_session (required later) and
                       heetch_auth_token; the code is single-use, valid
                       60 s, otherwise 307 to the login
  GET /api/earnings?date=YYYY-MM-DD&period=weekly|monthly
                       cookie heetch_driver_session required; "accept:
                       application/json" required (otherwise the
                       portal's HTML shell, 200 text/html).  The
                       fleet-manager account sees all its drivers:
                       {currency, summary: {weekly: {start_date,
                       end_date}}, drivers: [{email, first_name,
                       last_name, image_url, earnings: {…}}]}; weeks are
                       ISO weeks from Monday 00:00 Europe/Paris, the end
                       the next Monday 00:00 (exclusive).  A missing,
                       unknown or expired session answers as the account
                       is set to: 307 to https://auth.heetch.com/…, 401
                       or 403.  The session may be rotated by a
                       Set-Cookie on any answer (rotate_every); the old
                       value then stops working.

Use in a test:  fake = HeetchFake().start(); a = fake.account(password=…);
a.week("2026-11-16", [driver(...)]); fake.last_sms(a.phone).
Standalone:     python3 tests/fakes/heetch.py --port 0 (control: /_fake/*).
"""
import datetime
import os
import re
import secrets
import sys
import urllib.parse
import uuid
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fakebase import FakeServer, Reply, serve_main  # noqa: E402

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AUTH_ORIGIN = "https://auth.heetch.com"
PORTAL = "https://driver.heetch.com"
LOGIN_URL = (AUTH_ORIGIN + "/?client_id=driver-portal&redirect_uri="
             + urllib.parse.quote(PORTAL + "/auth_callback", safe=""))
CODE_TTL = 300
CALLBACK_TTL = 60
SESSION_TTL = 30 * 86400
MAX_CODE_TRIES = 5
E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
MONEY_KEYS = ("gross_earnings", "net_earnings", "cash_collected", "card_gross_earnings",
              "cash_commission_fees", "card_commission_fees", "cancellation_fees",
              "cancellation_fee_adjustments", "bonuses", "cash_discount",
              "unpaid_cash_rides_refunds", "debt", "money_transfer_amount")


def err(status, code, message, **extra):
    body = {"error": code, "message": message}
    body.update(extra)
    return Reply(status, body)


def driver(email, first="Nadia", last="Kaci", gross=845.6, net=676.48, cash=210,
           card_gross=635.6, cash_fees=42, card_fees=127.12, cancellation=15,
           bonuses=30, rides=41, cancelled=3, **more):
    """A driver line of the earnings answer, amounts in euros as Heetch
    sends them (numbers, not always with two decimals)."""
    e = {"gross_earnings": gross, "net_earnings": net, "cash_collected": cash,
         "card_gross_earnings": card_gross, "cash_commission_fees": cash_fees,
         "card_commission_fees": card_fees, "cancellation_fees": cancellation,
         "cancellation_fee_adjustments": 0, "bonuses": bonuses,
         "terminated_rides": rides, "cancelled_rides": cancelled, "cash_discount": 0,
         "unpaid_cash_rides_refunds": 0, "debt": 0,
         "money_transfer_amount": round(net - cash, 2)}
    e.update(more)
    return {"email": email, "first_name": first, "last_name": last,
            "image_url": None, "earnings": e}


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def paris_midnight(day):
    return datetime.datetime(day.year, day.month, day.day, tzinfo=PARIS).isoformat()


class Account:
    def __init__(self, phone, password, state="active", expiry="307",
                 recaptcha=False, rotate_every=0, expire_after=0):
        self.phone = phone
        self.password = password
        self.state = state          # active | locked
        self.expiry = expiry        # how an expired session answers: 307, 401, 403
        self.recaptcha = recaptcha  # the login demands a reCAPTCHA token
        self.rotate_every = rotate_every
        self.expire_after = expire_after  # a session ends after this many answers (0: never)
        self.weeks = {}             # Monday (date) -> [driver lines]
        self.sms = []               # codes sent, last last

    def week(self, day, drivers):
        """The earnings of the ISO week holding day (date or "YYYY-MM-DD")."""
        if isinstance(day, str):
            day = datetime.date.fromisoformat(day)
        self.weeks[monday_of(day)] = list(drivers)


class HeetchFake(FakeServer):
    """Heetch auth gateway and driver portal (fake)."""

    name = "heetch"

    def __init__(self, host="127.0.0.1", port=0):
        super().__init__(host, port)
        self.accounts = {}
        self.logins = {}      # token -> {phone, state, code, code_at, tries, device}
        self.callbacks = {}   # code -> (phone, at)
        self.sessions = {}    # heetch_driver_session -> {phone, expires, uses}

    # ---- the world --------------------------------------------------------
    def account(self, phone=None, password=None, **kw):
        with self.lock:
            a = Account(phone or ("+336" + "".join(secrets.choice("0123456789")
                                                   for _ in range(8))),
                        password or secrets.token_urlsafe(12), **kw)
            self.accounts[a.phone] = a
            return a

    def last_sms(self, phone):
        with self.lock:
            a = self.accounts[phone]
            return a.sms[-1] if a.sms else None

    def new_session(self, phone):
        """Cookies as a browser that signed in holds them (the pasted path)."""
        with self.lock:
            v = secrets.token_urlsafe(32)
            self.sessions[v] = {"phone": phone, "expires": self.now() + SESSION_TTL, "uses": 0}
            return {"heetch_driver_session": v, "heetch_auth_token": secrets.token_hex(20)}

    def expire_sessions(self, phone):
        with self.lock:
            for s in self.sessions.values():
                if s["phone"] == phone:
                    s["expires"] = 0

    def control(self, op, data):
        if op == "account":
            a = self.account(data.get("phone"), data.get("password"),
                             state=data.get("state", "active"),
                             expiry=str(data.get("expiry", "307")),
                             recaptcha=bool(data.get("recaptcha", False)),
                             rotate_every=int(data.get("rotate_every", 0)),
                             expire_after=int(data.get("expire_after", 0)))
            for day, lines in data.get("weeks", {}).items():
                a.week(day, [driver(**d) for d in lines])
            return {"phone": a.phone, "password": a.password}
        a = self.accounts.get(data.get("phone"))
        if a is None:
            raise LookupError("no such account")
        if op == "sms":
            return {"code": self.last_sms(a.phone)}
        if op == "session":
            return self.new_session(a.phone)
        if op == "expire_sessions":
            self.expire_sessions(a.phone)
            return {"ok": True}
        if op == "week":
            a.week(data["day"], [driver(**d) for d in data.get("drivers", [])])
            return {"ok": True}
        if op == "set":
            for k in ("state", "expiry", "recaptcha", "rotate_every", "expire_after"):
                if k in data:
                    setattr(a, k, data[k] if k != "expiry" else str(data[k]))
            return {"ok": True}
        raise LookupError(f"no control {op}")

    # ---- dispatch -------------------------------------------------------------
    def route(self, req):
        if req.path == "/session" and req.method == "GET":
            return self.get_session(req)
        if req.path == "/web/session":
            if req.method != "POST":
                return err(405, "method_not_allowed", "Method not allowed")
            return self.post_session(req)
        if req.path == "/auth_callback" and req.method == "GET":
            return self.callback(req)
        if req.path == "/api/earnings" and req.method == "GET":
            return self.earnings(req)
        return err(404, "not_found", "Not found")

    # ---- auth gateway -----------------------------------------------------------
    def login_of(self, req):
        auth = req.headers.get("authorization") or ""
        if not auth.startswith("Token "):
            return None
        return self.logins.get(auth[6:])

    def get_session(self, req):
        if not req.headers.get("device-id"):
            return err(400, "missing_device_id", "device-id header is required")
        with self.lock:
            lg = self.login_of(req)
            if lg is None:
                return Reply(200, {"state": "authentication_required", "phone_number": None,
                                   "authentication_provider": "phone_number-password"})
            return Reply(200, {"state": lg["state"], "phone_number": mask(lg["phone"]),
                               "authentication_provider": "phone_number-password"})

    def post_session(self, req):
        device = req.headers.get("device-id")
        if not device:
            return err(400, "missing_device_id", "device-id header is required")
        if req.headers.get("origin") != AUTH_ORIGIN:
            return err(403, "invalid_origin", "Invalid origin")
        ctype = (req.headers.get("Content-Type") or "").split(";")[0].strip()
        body = req.json() if ctype == "application/json" else None
        if not isinstance(body, dict) or body.get("client") != "web":
            return err(400, "invalid_request", "JSON body with client \"web\" expected")
        action = body.get("action")
        with self.lock:
            if action == "login":
                return self.start_login(body, device)
            lg = self.login_of(req)
            if lg is None:
                return err(401, "invalid_token", "Unknown or missing login token")
            if lg["device"] != device:
                return err(401, "invalid_token", "Login token belongs to another device")
            if action == "verify_code":
                return self.verify_code(lg, body)
            if action == "verify_password":
                return self.verify_password(lg, body)
        return err(400, "invalid_request", "Unknown action")

    def start_login(self, body, device):
        phone = body.get("phone_number")
        if not isinstance(phone, str) or not E164.match(phone):
            return err(422, "invalid_phone_number", "Phone number must be in E.164 format")
        if body.get("challenge") != "score":
            return err(400, "invalid_request", "challenge must be \"score\"")
        a = self.accounts.get(phone)
        if a is None:
            return err(404, "unknown_phone_number", "No account for this phone number")
        if a.state == "locked":
            return err(403, "account_locked", "This account is locked")
        if a.recaptcha and not body.get("recaptcha_token"):
            return err(403, "recaptcha_required", "A reCAPTCHA challenge is required")
        token = secrets.token_urlsafe(24)
        code = "".join(secrets.choice("0123456789") for _ in range(6))
        a.sms.append(code)
        self.logins[token] = {"phone": phone, "state": "sms_code_required", "code": code,
                              "code_at": self.now(), "tries": 0, "device": device}
        return Reply(201, {"state": "sms_code_required", "token": token,
                           "phone_number": mask(phone), "code_length": 6,
                           "expires_in": CODE_TTL})

    def verify_code(self, lg, body):
        if lg["state"] != "sms_code_required":
            return err(409, "invalid_state", "No code is awaited")
        if lg["tries"] >= MAX_CODE_TRIES:
            return err(429, "too_many_attempts", "Too many attempts, start again")
        if self.now() - lg["code_at"] > CODE_TTL:
            return err(410, "code_expired", "The code has expired")
        if body.get("code") != lg["code"]:
            lg["tries"] += 1
            if lg["tries"] >= MAX_CODE_TRIES:
                return err(429, "too_many_attempts", "Too many attempts, start again")
            return err(422, "invalid_code", "Wrong code",
                       attempts_left=MAX_CODE_TRIES - lg["tries"])
        lg["state"] = "password_required"
        return Reply(200, {"state": "password_required"})

    def verify_password(self, lg, body):
        if lg["state"] != "password_required":
            return err(409, "invalid_state", "No password is awaited")
        a = self.accounts[lg["phone"]]
        if a.state == "locked":
            return err(403, "account_locked", "This account is locked")
        if body.get("password") != a.password:
            return err(401, "invalid_credentials", "Wrong phone number or password")
        lg["state"] = "authenticated"
        code = secrets.token_urlsafe(18)
        self.callbacks[code] = (lg["phone"], self.now())
        return Reply(200, {"state": "authenticated",
                           "redirect_url": PORTAL + "/auth_callback?code=" + code})

    # ---- driver portal ----------------------------------------------------------
    def callback(self, req):
        code = req.arg("code")
        with self.lock:
            got = self.callbacks.pop(code, None) if code else None
            if got is None or self.now() - got[1] > CALLBACK_TTL:
                return Reply(307, b"", [("Location", LOGIN_URL)])
            cookies = self.new_session(got[0])
        return Reply(302, b"", [("Location", "/dashboard")] + set_cookies(cookies, self.now()))

    def earnings(self, req):
        with self.lock:
            jar = parse_cookie(req.headers.get("cookie") or "")
            s = self.sessions.get(jar.get("heetch_driver_session", ""))
            if s is None or s["expires"] <= self.now():
                a = self.accounts.get(s["phone"]) if s else None
                return expired(a.expiry if a else "307")
            a = self.accounts[s["phone"]]
            if a.state == "locked":
                return expired("403")
            if a.expire_after and s["uses"] >= a.expire_after:
                s["expires"] = 0
                return expired(a.expiry)
            accept = req.headers.get("accept") or ""
            if "application/json" not in accept:
                return Reply(200, b"<!doctype html><html><head><title>Heetch Driver</title>"
                             b"</head><body><div id=\"root\"></div></body></html>",
                             ctype="text/html; charset=utf-8")
            period = req.arg("period")
            if period not in ("weekly", "monthly"):
                return err(400, "invalid_period", "period must be weekly or monthly")
            try:
                day = datetime.date.fromisoformat(req.arg("date") or "")
            except ValueError:
                return err(400, "invalid_date", "date must be YYYY-MM-DD")
            headers = []
            s["uses"] += 1
            if a.rotate_every and s["uses"] % a.rotate_every == 0:
                old = jar["heetch_driver_session"]
                new = self.new_session(a.phone)
                self.sessions[new["heetch_driver_session"]]["uses"] = s["uses"]
                del self.sessions[old]
                headers = set_cookies({"heetch_driver_session": new["heetch_driver_session"]},
                                      self.now())
            if period == "weekly":
                start = monday_of(day)
                end = start + datetime.timedelta(days=7)
                lines = a.weeks.get(start, [])
            else:
                start = day.replace(day=1)
                end = (start + datetime.timedelta(days=32)).replace(day=1)
                lines = monthly(a, start, end)
            body = {"currency": "EUR",
                    "summary": {period: {"start_date": paris_midnight(start),
                                         "end_date": paris_midnight(end)}},
                    "drivers": lines}
        return Reply(200, body, headers)


def monthly(a, start, end):
    """The sum of the weeks that start in the month (enough for a fake)."""
    by = {}
    for monday, lines in a.weeks.items():
        if start <= monday < end:
            for d in lines:
                cur = by.setdefault(d["email"], {**d, "earnings": dict.fromkeys(d["earnings"], 0)})
                for k, v in d["earnings"].items():
                    cur["earnings"][k] = round(cur["earnings"][k] + v, 2)
    return list(by.values())


def mask(phone):
    return phone[:3] + "•" * (len(phone) - 5) + phone[-2:]


def expired(how):
    if how == "401":
        return err(401, "unauthorized", "Session expired")
    if how == "403":
        return err(403, "forbidden", "Access denied")
    return Reply(307, b"", [("Location", LOGIN_URL)])


def set_cookies(cookies, now):
    out = []
    exp = datetime.datetime.fromtimestamp(now + SESSION_TTL, datetime.timezone.utc)
    for name, value in cookies.items():
        if name == "heetch_driver_session":
            out.append(("Set-Cookie", f"{name}={value}; Path=/; Expires="
                        f"{exp.strftime('%a, %d %b %Y %H:%M:%S GMT')}; Secure; HttpOnly; "
                        f"SameSite=Lax"))
        else:
            out.append(("Set-Cookie", f"{name}={value}; Domain=.heetch.com; Path=/; "
                        f"Max-Age={SESSION_TTL}; Secure"))
    return out


def parse_cookie(header):
    jar = {}
    for part in header.split(";"):
        name, eq, value = part.strip().partition("=")
        if eq and name:
            jar[name] = value
    return jar


if __name__ == "__main__":
    sys.exit(serve_main(HeetchFake))
