"""Heetch's portal (heetch_portal) against tests/fakes/heetch.py: « Se
connecter » runs the login from the job runner and asks for the SMS code
with its expiry; a wrong code says so and can be typed again, an expired
one says so; a wrong password, a locked account and a reCAPTCHA each say
what to do; once connected the first run pulls the weekly earnings of
the ISO weeks (Europe/Paris) not yet loaded, keyed on e-mail and period
start; a session pasted from a browser works too and the page says which
path is in use; a 307 to the login, a 401 or a 403 marks the session
expired (« reconnexion nécessaire »), with an activity and a message to
the owner, and nothing of the week is half-loaded; cookies are sealed,
never shown or logged."""
import datetime
import os
import sys
import time
import unittest
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fakes"))

from heetch import HeetchFake, driver  # noqa: E402
from identity import csrf_of, psql, psql_one, quote, signed_in  # noqa: E402
from test_sources import SourcesBase, api, fresh  # noqa: E402

PORT = int(os.environ.get("FAKE_HEETCH_PORT", "0"))
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def last_monday(weeks_back=1):
    """The Monday of the complete ISO week weeks_back before this one."""
    today = datetime.datetime.now(PARIS).date()
    return today - datetime.timedelta(days=today.weekday() + 7 * weeks_back)


def setUpModule():
    global FAKE
    FAKE = HeetchFake(port=PORT).start()


def tearDownModule():
    FAKE.close()


class HeetchBase(SourcesBase):
    def account(self, weeks=2, **kw):
        a = FAKE.account(**kw)
        p = fresh()
        a.emails = [f"nadia.{p}@example.fr", f"paul.{p}@example.fr"]
        for w in range(1, weeks + 1):
            a.week(last_monday(w), [driver(a.emails[0], gross=100.0 * w, net=80.25, cash=20),
                                    driver(a.emails[1], first="Paul", last="Roux", gross=50,
                                           net=40, cash=0)])
        return a

    def heetch(self, a, weeks="2", **config):
        return self.source("heetch_portal", phone_number=a.phone, password=a.password,
                           backfill_weeks=weeks, **config)

    def login(self, sid, body=None, want=202):
        r = api("POST", f"/sources/{sid}/login", self.manager, body or {})
        self.assertEqual(r.status, want, r.text)
        return r.json()

    def show(self, sid):
        return api("GET", f"/sources/{sid}", self.viewer).json()["data"]

    def session_until(self, sid, *states, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            s = self.show(sid)
            if s["session"] and s["session"]["state"] in states:
                return s
            time.sleep(0.2)
        self.fail(f"session of {sid} never reached {states}: {self.show(sid)['session']}")

    def last_run(self, sid, timeout=90):
        end = time.time() + timeout
        while time.time() < end:
            s = self.show(sid)
            if s["last_run"] and not s.get("running_run_id"):
                return self.wait(s["last_run"]["id"])
            time.sleep(0.2)
        self.fail("no run")

    def earnings(self, email, monday=None):
        where = f"driver_ref = {quote(email)}"
        if monday:
            where += f" AND period_start = {quote(str(monday))}"
        return int(psql_one("SELECT count(*) FROM earnings WHERE source = 'heetch_driver_period'"
                            f" AND {where}"))


class HeetchLogin(HeetchBase):
    def test_sms_login_wrong_code_again_then_first_run(self):
        a = self.account()
        s = self.heetch(a)
        self.assertEqual(self.login(s["id"])["data"]["session"]["state"], "connexion")
        s1 = self.session_until(s["id"], "code_sms")
        expires = datetime.datetime.fromisoformat(s1["session"]["code_expires_at"])
        left = (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertTrue(240 < left <= 300, left)
        # The page asks for it, with the expiry.
        page = signed_in("manager@demo.test").get(f"/sources/{s['id']}")
        self.assertIn('id="sms-code"', page.text)
        self.assertIn("Le code expire", page.text)
        # A wrong code says so, and the code can be typed again.
        self.login(s["id"], {"sms_code": "000000" if FAKE.last_sms(a.phone) != "000000" else "111111"})
        s2 = self.session_until(s["id"], "code_sms", "deconnecte")
        self.assertEqual(s2["session"]["state"], "code_sms")
        self.assertIn("Code SMS incorrect", s2["session"]["message"])
        # Not a code at all: refused before anything is sent.
        r = api("POST", f"/sources/{s['id']}/login", self.manager, {"sms_code": "12ab"})
        self.assertEqual(r.status, 422)
        self.assertIn("sms_code", r.json()["error"]["fields"])
        self.login(s["id"], {"sms_code": FAKE.last_sms(a.phone)})
        s3 = self.session_until(s["id"], "connecte", "deconnecte")
        self.assertEqual(s3["session"]["state"], "connecte", s3["session"])
        self.assertEqual(s3["session"]["path"], "connexion")
        run = self.last_run(s["id"])
        self.assertEqual(run["status"], "reussi", run)
        for w in (1, 2):
            self.assertEqual(self.earnings(a.emails[0], last_monday(w)), 1)
        self.assertEqual(psql_one("SELECT gross_cents || '/' || net_cents || '/' || period_end"
                                  " FROM earnings WHERE source = 'heetch_driver_period' AND"
                                  f" driver_ref = {quote(a.emails[0])} AND period_start ="
                                  f" {quote(str(last_monday(1)))}"),
                         f"10000/8025/{last_monday(1) + datetime.timedelta(days=6)}")
        # The cookies are sealed, never shown.
        cookie = [c for c in FAKE.sessions if FAKE.sessions[c]["phone"] == a.phone][0]
        self.assertNotIn(cookie, api("GET", f"/sources/{s['id']}", self.viewer).text)
        self.assertNotIn(cookie, psql_one(f"SELECT secrets FROM sources WHERE id = {quote(s['id'])}"))
        page = signed_in("manager@demo.test").get(f"/sources/{s['id']}")
        self.assertNotIn(cookie, page.text)
        self.assertIn("connexion avec code SMS", page.text)
        for name in os.listdir(os.path.join(os.environ.get("VAR", "var"), "log")):
            with open(os.path.join(os.environ.get("VAR", "var"), "log", name), "rb") as f:
                self.assertNotIn(cookie.encode(), f.read(), name)
        # A second run: no week left to load, nothing changes.
        r = api("POST", f"/sources/{s['id']}/sync", self.manager, {})
        again = self.wait(r.json()["data"]["run_id"])
        self.assertEqual((again["status"], again["rows_inserted"]), ("reussi", 0), again)

    def test_expired_code_says_so_and_login_can_start_again(self):
        a = self.account(weeks=1)
        s = self.heetch(a)
        self.login(s["id"])
        self.session_until(s["id"], "code_sms")
        # Expired on our side: refused at once.
        psql("UPDATE source_sessions SET code_expires_at = now() - interval '1 second'"
             f" WHERE source_id = {quote(s['id'])}")
        r = api("POST", f"/sources/{s['id']}/login", self.manager, {"sms_code": "123456"})
        self.assertEqual(r.status, 409, r.text)
        self.assertIn("expiré", r.json()["error"]["message"])
        page = signed_in("manager@demo.test").get(f"/sources/{s['id']}")
        self.assertIn('id="code-expired"', page.text)
        # Expired on Heetch's side (its clock ahead): said too.
        self.login(s["id"])
        self.session_until(s["id"], "code_sms")
        FAKE.clock_offset = 400
        try:
            self.login(s["id"], {"sms_code": FAKE.last_sms(a.phone)})
            s2 = self.session_until(s["id"], "deconnecte", "code_sms", "connecte")
        finally:
            FAKE.clock_offset = 0
        self.assertEqual(s2["session"]["state"], "deconnecte")
        self.assertIn("expiré", s2["session"]["message"])
        # Asked again: a new code works.
        self.login(s["id"])
        self.session_until(s["id"], "code_sms")
        self.login(s["id"], {"sms_code": FAKE.last_sms(a.phone)})
        self.assertEqual(self.session_until(s["id"], "connecte", "deconnecte")["session"]["state"],
                         "connecte")

    def test_wrong_password_locked_account_and_recaptcha_say_what_to_do(self):
        cases = [({"password": "wrong"}, "mot de passe", True),
                 ({"state": "locked"}, "verrouillé", False),
                 ({"recaptcha": True}, "cookie de session", False)]
        for change, words, sms in cases:
            a = self.account(weeks=1, **({k: v for k, v in change.items() if k != "password"}))
            s = self.heetch(a) if "password" not in change else self.source(
                "heetch_portal", phone_number=a.phone, password="wrong-password")
            self.login(s["id"])
            if sms:
                self.session_until(s["id"], "code_sms")
                self.login(s["id"], {"sms_code": FAKE.last_sms(a.phone)})
            st = self.session_until(s["id"], "deconnecte")
            self.assertIn(words, st["session"]["message"], change)
        # The phone number must be E.164.
        r = api("POST", "/sources", self.manager, {"type": "heetch_portal", "name": f"H {fresh()}",
                                                   "config": {"phone_number": "06 12 34 56 78",
                                                              "password": "x"}})
        self.assertEqual(r.status, 422)
        self.assertIn("phone_number", r.json()["error"]["fields"])
        # Only portal sources log in.
        other = self.source("uber_csv")
        r = api("POST", f"/sources/{other['id']}/login", self.manager, {})
        self.assertEqual(r.status, 409)

    def test_check_needs_a_session_then_says_it_is_valid(self):
        a = self.account(weeks=1)
        s = self.heetch(a)
        c = api("POST", f"/sources/{s['id']}/check", self.manager, {}).json()["data"]
        self.assertFalse(c["ok"])
        self.assertIn("Se connecter", c["message"])
        jar = FAKE.new_session(a.phone)
        self.login(s["id"], {"session_cookie": "heetch_driver_session="
                             + jar["heetch_driver_session"]})
        c = api("POST", f"/sources/{s['id']}/check", self.manager, {}).json()["data"]
        self.assertTrue(c["ok"], c)
        self.assertIn("Session Heetch valide : 2 chauffeurs", c["message"])


class HeetchSession(HeetchBase):
    def test_pasted_cookie_path_loads_and_says_so(self):
        a = self.account()
        s = self.heetch(a)
        r = api("POST", f"/sources/{s['id']}/login", self.manager,
                {"session_cookie": "not a cookie"})
        self.assertEqual(r.status, 422)
        self.assertIn("session_cookie", r.json()["error"]["fields"])
        jar = FAKE.new_session(a.phone)
        data = self.login(s["id"], {"session_cookie": "Cookie: heetch_driver_session="
                                    f"{jar['heetch_driver_session']}; heetch_auth_token="
                                    f"{jar['heetch_auth_token']}"})["data"]
        self.assertEqual((data["session"]["state"], data["session"]["path"]), ("connecte", "cookie"))
        run = self.wait(data["run_id"])
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(self.earnings(a.emails[1]), 2)
        page = signed_in("viewer@demo.test").get(f"/sources/{s['id']}")
        self.assertIn("Session collée depuis un navigateur", page.text)
        self.assertNotIn(jar["heetch_driver_session"], page.text)
        # Pasted through the page's form too.
        manager = signed_in("manager@demo.test")
        page = manager.get(f"/sources/{s['id']}")
        jar2 = FAKE.new_session(a.phone)
        r = manager.post(f"/sources/{s['id']}/login", {"csrf": csrf_of(page), "action": "paste",
                                                       "session_cookie": jar2["heetch_driver_session"]})
        self.assertEqual(r.status, 303, r.text)
        self.assertIn("done=session_pasted", r.header("location"))

    def test_a_session_heetch_renews_is_kept_for_the_next_run(self):
        a = self.account(weeks=2, rotate_every=1)
        s = self.heetch(a)
        jar = FAKE.new_session(a.phone)
        data = self.login(s["id"], {"session_cookie": jar["heetch_driver_session"]})["data"]
        self.assertEqual(self.wait(data["run_id"])["status"], "reussi")
        # Each answer renewed the cookie and made the old one useless.
        self.assertNotIn(jar["heetch_driver_session"], FAKE.sessions)
        stored = psql_one(f"SELECT secrets FROM sources WHERE id = {quote(s['id'])}")
        self.assertNotIn(jar["heetch_driver_session"], stored)
        # The next run reads again with the renewed session.
        psql(f"DELETE FROM source_streams WHERE source_id = {quote(s['id'])}")
        r = api("POST", f"/sources/{s['id']}/sync", self.manager, {})
        again = self.wait(r.json()["data"]["run_id"])
        self.assertEqual(again["status"], "reussi", again)
        self.assertEqual(self.show(s["id"])["session"]["state"], "connecte")

    def test_expiry_marks_reconnect_tells_the_owner_and_loads_whole_weeks_only(self):
        for mode in ("307", "401", "403"):
            # Four weeks asked, the oldest empty: the session ends after
            # the second answer.
            a = self.account(weeks=3, expiry=mode, expire_after=2)
            s = self.heetch(a, weeks="4")
            jar = FAKE.new_session(a.phone)
            data = self.login(s["id"], {"session_cookie": jar["heetch_driver_session"]})["data"]
            run = self.wait(data["run_id"])
            self.assertEqual((run["status"], run["failure"]), ("echec", "configuration"), run)
            self.assertIn("expiré", run["message"])
            # The oldest week, read before the session ended, is whole; the
            # next ones are not there at all.
            self.assertEqual(self.earnings(a.emails[0], last_monday(3)), 1, mode)
            self.assertEqual(self.earnings(a.emails[1], last_monday(3)), 1, mode)
            self.assertEqual(self.earnings(a.emails[0], last_monday(2)), 0, mode)
            shown = self.show(s["id"])
            self.assertEqual(shown["health"], "reconnexion", mode)
            self.assertEqual(shown["session"]["state"], "expiree")
            self.assertEqual(psql_one("SELECT count(*) FROM activities WHERE type ="
                                      f" 'source.session_expired' AND subject_id = {quote(s['id'])}"),
                             "1")
            mail = psql(f"SELECT recipient FROM email_outbox WHERE kind = 'source_session_expired'"
                        f" AND body LIKE {quote('%' + s['name'] + '%')}")
            self.assertEqual(mail, ["admin@demo.test"], mode)
            page = signed_in("viewer@demo.test").get(f"/sources/{s['id']}")
            self.assertIn("Reconnexion nécessaire", page.text)
            # Reconnected, the next run starts at the first week missing.
            a.expire_after = 0
            jar = FAKE.new_session(a.phone)
            data = self.login(s["id"], {"session_cookie": jar["heetch_driver_session"]})["data"]
            self.assertEqual(self.wait(data["run_id"])["status"], "reussi")
            self.assertEqual(self.earnings(a.emails[0]), 3, mode)
            self.assertEqual(self.show(s["id"])["health"], "sain")


if __name__ == "__main__":
    unittest.main()
