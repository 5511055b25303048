"""Identity through nginx: signing in and out, lockout, the session cookie,
CSRF, organisations, profile, members and invitations, password reset,
API tokens, the activity feed and the command line.

Accounts whose state changes are made here with unique addresses, so the
demo people keep working for the other tests and the suite can run again
on the same stack."""
import re
import unittest
import uuid

from client import request
from identity import (CSRF_COOKIE, PASSWORD, SESSION_COOKIE, Session, activities, add_user,
                      api, api_token, cli, cli_ok, csrf_of, ensure_tenant, last_activity_id,
                      link_in, new_plate, outbox, psql, psql_one, quote, signed_in, tenant_id, token_id,
                      unique, unique_email, user_id)

GENERIC_ERROR = "Adresse e-mail ou mot de passe incorrect."
NEW_PASSWORD = "un-nouveau-mot-de-passe"


def flash_error(page):
    m = re.search(r'class="flash flash-error"[^>]*>([^<]*)<', page.text)
    return m.group(1) if m else None


def field_errors(page):
    return re.findall(r'class="error-text"[^>]*>([^<]*)<', page.text)


def org_shown(page):
    m = re.search(r'class="org-name">([^<]*)<', page.text)
    return m.group(1) if m else None


def sessions_of(uid):
    return int(psql_one(f"SELECT count(*) FROM sessions WHERE user_id = {quote(uid)}"))


def new_org(owner_password=PASSWORD):
    """A fresh organisation with its owner: (slug, owner email, owner id)."""
    slug = unique("org-")
    ensure_tenant(slug, f"Organisation {slug}")
    email = unique_email("owner")
    return slug, email, add_user(slug, email, "owner", password=owner_password, name="Olivia Owner")


class SignInOut(unittest.TestCase):
    def test_sign_in_shows_the_french_dashboard_and_sign_out_ends_it(self):
        s = Session()
        page = s.get("/login")
        self.assertEqual(page.status, 200)
        self.assertIn('lang="fr"', page.text)
        self.assertIn("Se connecter", page.text)
        r = s.request("POST", "/login", form={"csrf": csrf_of(page), "email": "Admin@Demo.test",
                                              "password": PASSWORD})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/")
        home = s.get("/")
        self.assertEqual(home.status, 200)
        self.assertIn('lang="fr"', home.text)
        self.assertEqual(org_shown(home), "VTC Démo Paris")
        self.assertIn("Alice Martin", home.text)
        self.assertIn("Tableau de bord", home.text)
        # Signed in, the sign-in page sends home.
        self.assertEqual(s.get("/login").status, 303)
        r = s.post("/logout")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/login?notice=logout")
        self.assertFalse(s.signed_in, "the cookie is cleared")
        self.assertEqual(s.get("/").header("location"), "/login")
        self.assertIn("Vous êtes déconnecté", s.get("/login?notice=logout").text)

    def test_wrong_password_and_unknown_email_get_the_same_answer(self):
        wrong = Session().sign_in("manager@demo.test", "pas-le-bon-mot-de-passe")
        unknown = Session().sign_in(f"{unique('personne')}@demo.test", "pas-le-bon-mot-de-passe")
        self.assertEqual(wrong.status, 422)
        self.assertEqual(unknown.status, wrong.status)
        self.assertEqual(flash_error(wrong), GENERIC_ERROR)
        self.assertEqual(flash_error(unknown), GENERIC_ERROR)
        # Nothing else tells them apart: same page once the address and
        # the per-browser CSRF token are taken out.
        def scrub(r):
            return re.sub(r'value="[^"]*"', 'value=""', r.text)
        self.assertEqual(scrub(wrong), scrub(unknown))
        self.assertNotIn(SESSION_COOKIE, "".join(v for k, v in wrong.headers if k.lower() == "set-cookie"))

    def test_empty_form_asks_for_both_fields(self):
        s = Session()
        r = s.post("/login", {"email": "", "password": ""})
        self.assertEqual(r.status, 422)
        self.assertEqual(flash_error(r), "Saisissez votre adresse e-mail et votre mot de passe.")

    def test_lockout_after_ten_failures_in_fifteen_minutes(self):
        email = unique_email("lock")
        uid = add_user("demo", email, "viewer")
        s = Session()
        for _ in range(10):
            self.assertEqual(s.sign_in(email, "mauvais-mot-de-passe").status, 422)
        r = s.sign_in(email, PASSWORD)
        self.assertEqual(r.status, 429, "the right password is refused while locked")
        self.assertIn("Trop de tentatives échouées", flash_error(r))
        self.assertIn("bloqué pendant 15 minutes", flash_error(r))
        self.assertFalse(s.signed_in)
        # Failures older than the window no longer count.
        psql("UPDATE login_failures SET at = now() - interval '16 minutes'"
             f" WHERE user_id = {quote(uid)}")
        self.assertEqual(Session().sign_in(email, PASSWORD).status, 303)

    def test_an_unknown_address_locks_the_same_way(self):
        """Otherwise ten wrong passwords would tell which addresses have
        an account."""
        known, unknown = unique_email("lockk"), unique_email("locku")
        add_user("demo", known, "viewer")
        answers = {}
        for email in (known, unknown):
            s = Session()
            for i in range(10):
                r = s.sign_in(email, "mauvais-mot-de-passe")
                self.assertEqual((r.status, flash_error(r)),
                                 (422, "Adresse e-mail ou mot de passe incorrect."), f"{email} try {i}")
            r = s.sign_in(email, "mauvais-mot-de-passe")
            answers[email] = (r.status, flash_error(r))
        self.assertEqual(answers[known][0], 429)
        self.assertEqual(answers[unknown], answers[known])
        self.assertEqual(psql_one(f"SELECT count(*) FROM login_failures WHERE email = {quote(unknown)}"
                                  " AND user_id IS NULL"), "10")

    def test_a_lockout_stops_the_guessing_client_not_the_owner_elsewhere(self):
        """Otherwise anyone could lock anyone out with ten wrong passwords."""
        email = unique_email("lockip")
        add_user("demo", email, "viewer")
        guesser = Session(source="127.0.0.2")
        for _ in range(10):
            self.assertEqual(guesser.sign_in(email, "mauvais-mot-de-passe").status, 422)
        self.assertEqual(guesser.sign_in(email, PASSWORD).status, 429)
        owner = Session(source="127.0.0.3")
        self.assertEqual(owner.sign_in(email, PASSWORD).status, 303)
        self.assertTrue(owner.signed_in)

    def test_fifty_failures_from_many_clients_lock_every_client(self):
        email = unique_email("lockall")
        add_user("demo", email, "viewer")
        for n in range(5):
            s = Session(source=f"127.0.1.{n + 1}")
            for _ in range(10):
                self.assertEqual(s.sign_in(email, "mauvais-mot-de-passe").status, 422)
        r = Session(source="127.0.1.99").sign_in(email, PASSWORD)
        self.assertEqual(r.status, 429)
        self.assertIn("bloqué pendant 15 minutes", flash_error(r))

    def test_nine_failures_do_not_lock_and_a_success_starts_afresh(self):
        email = unique_email("nolock")
        uid = add_user("demo", email, "viewer")
        s = Session()
        for _ in range(9):
            self.assertEqual(s.sign_in(email, "mauvais-mot-de-passe").status, 422)
        self.assertEqual(s.sign_in(email, PASSWORD).status, 303)
        self.assertEqual(psql_one(f"SELECT count(*) FROM login_failures WHERE user_id = {quote(uid)}"), "0")

    def test_session_cookie_is_host_only_secure_httponly_lax(self):
        s = Session()
        r = s.sign_in("viewer@demo.test")
        self.assertEqual(r.status, 303)
        cookies = [v for k, v in r.headers if k.lower() == "set-cookie"
                   and v.startswith(SESSION_COOKIE + "=")]
        self.assertEqual(len(cookies), 1, cookies)
        parts = [p.strip() for p in cookies[0].split(";")]
        value = parts[0].split("=", 1)[1]
        self.assertRegex(value, r"^[A-Za-z0-9_-]{43}$")
        attrs = {p.split("=", 1)[0].lower(): (p.split("=", 1) + [""])[1] for p in parts[1:]}
        self.assertIn("secure", attrs)
        self.assertIn("httponly", attrs)
        self.assertEqual(attrs.get("samesite"), "Lax")
        self.assertEqual(attrs.get("path"), "/")
        self.assertNotIn("domain", attrs)
        self.assertGreater(int(attrs["max-age"]), 0)
        # Only its SHA-256 is stored, never the token itself.
        self.assertEqual(psql_one("SELECT count(*) FROM sessions WHERE token_hash ="
                                  f" sha256(convert_to({quote(value)}, 'UTF8'))"), "1")
        self.assertEqual(psql_one(f"SELECT count(*) FROM sessions s WHERE s::text LIKE"
                                  f" {quote('%' + value + '%')}"), "0")

    def test_a_planted_session_cookie_is_refused_and_replaced_at_sign_in(self):
        planted = "A" * 43
        s = Session()
        s.get("/login")
        s.cookies[SESSION_COOKIE] = planted
        r = s.get("/")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/login")
        self.assertNotIn(SESSION_COOKIE, s.cookies, "the stale cookie is deleted")
        s.cookies[SESSION_COOKIE] = planted
        self.assertEqual(s.sign_in("viewer@demo.test").status, 303)
        self.assertNotEqual(s.token, planted)
        self.assertEqual(s.get("/").status, 200)
        self.assertEqual(request("GET", "/", headers={"Cookie": f"{SESSION_COOKIE}={planted}"})
                         .header("location"), "/login")

    def test_the_token_changes_at_every_sign_in(self):
        s = signed_in("viewer@demo.test")
        first = s.token
        self.assertEqual(s.post("/login", {"email": "viewer@demo.test", "password": PASSWORD}).status, 303)
        self.assertNotEqual(s.token, first)
        self.assertEqual(s.get("/").status, 200)

    def test_sign_out_deletes_the_server_side_session(self):
        email = unique_email("out")
        uid = add_user("demo", email, "viewer")
        s = signed_in(email)
        old = s.token
        self.assertEqual(sessions_of(uid), 1)
        self.assertEqual(s.post("/logout").status, 303)
        self.assertEqual(sessions_of(uid), 0)
        r = request("GET", "/profile", headers={"Cookie": f"{SESSION_COOKIE}={old}"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/login")

    def test_idle_and_old_sessions_end(self):
        email = unique_email("idle")
        uid = add_user("demo", email, "viewer")
        idle, old = signed_in(email), signed_in(email)
        self.assertEqual(idle.get("/profile").status, 200)
        hash_of = "sha256(convert_to(%s, 'UTF8'))"
        psql("UPDATE sessions SET last_seen_at = now() - interval '9 hours'"
             f" WHERE token_hash = {hash_of % quote(idle.token)}")
        psql("UPDATE sessions SET expires_at = now() - interval '1 second'"
             f" WHERE token_hash = {hash_of % quote(old.token)}")
        self.assertEqual(idle.get("/profile").header("location"), "/login", "idle for 9 hours")
        self.assertEqual(old.get("/profile").header("location"), "/login", "past its 30 days")
        fresh = signed_in(email)
        self.assertEqual(fresh.get("/profile").status, 200)
        self.assertEqual(psql_one("SELECT round(extract(epoch FROM expires_at - created_at) / 86400)"
                                  f" FROM sessions WHERE user_id = {quote(uid)}"
                                  f" AND token_hash = {hash_of % quote(fresh.token)}"), "30")

    def test_sign_in_and_failure_are_in_the_activity_feed(self):
        email = unique_email("act")
        uid = add_user("demo", email, "viewer")
        since = last_activity_id()
        browser = Session()
        browser.sign_in(email, "mauvais-mot-de-passe")
        signed_in(email)
        failed = activities("demo", "auth.login_failed", since)
        self.assertEqual([a["actor"] for a in failed], [uid])
        self.assertIn(browser.login_source, failed[0]["description"])
        logins = activities("demo", "auth.login", since)
        self.assertEqual([a["actor"] for a in logins], [uid])


class Csrf(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.email = unique_email("csrf")
        cls.uid = add_user("demo", cls.email, "admin", name="Camille Csrf")

    def test_signed_in_forms_refuse_a_missing_or_wrong_token(self):
        s = signed_in(self.email)
        other = signed_in("admin@demo.test")
        foreign = other.csrf()
        forms = {
            "/profile": {"name": "Piraté", "locale": "en"},
            "/profile/password": {"current": PASSWORD, "password": "x" * 20, "confirm": "x" * 20},
            "/members": {"email": unique_email("csrf-inv"), "role": "viewer"},
            "/tokens": {"name": "csrf", "scope": "write"},
            "/orgs": {"tenant_id": tenant_id("demo")},
            "/logout": {},
        }
        tokens_before = psql_one(f"SELECT count(*) FROM api_tokens WHERE created_by = {quote(self.uid)}")
        for path, fields in forms.items():
            for label, token in (("none", None), ("wrong", "x" * 43), ("another session's", foreign)):
                with self.subTest(path=path, token=label):
                    r = s.post(path, fields, csrf=token)
                    self.assertEqual(r.status, 403)
                    self.assertIn("Accès refusé", r.text)
        # Nothing happened: still signed in, same name, no token, no invitation.
        self.assertEqual(s.get("/profile").status, 200)
        self.assertEqual(psql_one(f"SELECT name FROM users WHERE id = {quote(self.uid)}"), "Camille Csrf")
        self.assertEqual(psql_one(f"SELECT count(*) FROM api_tokens WHERE created_by = {quote(self.uid)}"),
                         tokens_before)
        self.assertEqual(psql_one(f"SELECT count(*) FROM invitations WHERE invited_by = {quote(self.uid)}"), "0")
        # The header works as well as the field.
        r = s.request("POST", "/profile", form={"name": "Camille Csrf", "locale": "fr"},
                      headers={"X-CSRF-Token": s.csrf()})
        self.assertEqual(r.status, 303)

    def test_sign_in_form_refuses_a_missing_or_wrong_token(self):
        s = Session()
        s.get("/login")
        for token in (None, "y" * 43):
            r = s.post("/login", {"email": self.email, "password": PASSWORD}, csrf=token)
            self.assertEqual(r.status, 403)
            self.assertFalse(s.signed_in)
        # The double-submit value of one browser is worthless in another.
        t = Session()
        t.get("/login")
        r = t.post("/login", {"email": self.email, "password": PASSWORD}, csrf=s.cookies[CSRF_COOKIE])
        self.assertEqual(r.status, 403)
        self.assertEqual(s.post("/login", {"email": self.email, "password": PASSWORD}).status, 303)


class Organisations(unittest.TestCase):
    def test_a_member_of_two_organisations_switches_between_them(self):
        email = unique_email("two")
        add_user("demo", email, "manager")
        add_user("other", email, "viewer")
        s = signed_in(email)
        page = s.get("/orgs")
        self.assertEqual(page.status, 200)
        self.assertIn("VTC Démo Paris", page.text)
        self.assertIn("Autre Flotte", page.text)
        for slug, name, can_add_vehicles in (("demo", "VTC Démo Paris", True),
                                             ("other", "Autre Flotte", False),
                                             ("demo", "VTC Démo Paris", True)):
            r = s.post("/orgs", {"tenant_id": tenant_id(slug)})
            self.assertEqual(r.status, 303)
            self.assertEqual(r.header("location"), "/")
            self.assertEqual(org_shown(s.get("/")), name)
            # The role is the one held in that organisation.
            self.assertEqual(s.get("/vehicles/new").status, 200 if can_add_vehicles else 403)

    def test_switching_to_an_organisation_one_is_not_in_is_404(self):
        s = signed_in("manager@demo.test")
        for target in (tenant_id("other"), str(uuid.uuid4()), "pas-un-uuid"):
            r = s.post("/orgs", {"tenant_id": target})
            self.assertEqual(r.status, 404, target)
        self.assertEqual(org_shown(s.get("/")), "VTC Démo Paris")


class Profile(unittest.TestCase):
    def test_name_and_language(self):
        email = unique_email("prof")
        uid = add_user("demo", email, "viewer", name="Avant")
        s = signed_in(email)
        page = s.get("/profile")
        self.assertEqual(page.status, 200)
        self.assertIn("Mon profil", page.text)
        self.assertIn(email, page.text)
        r = s.post("/profile", {"name": "Jeanne Après", "locale": "en"})
        self.assertEqual(r.status, 303)
        page = s.get(r.header("location"))
        self.assertIn('lang="en"', page.text)
        self.assertIn("My profile", page.text)
        self.assertIn("Your profile has been saved.", page.text)
        self.assertIn("Jeanne Après", page.text)
        self.assertIn('lang="en"', s.get("/").text)
        self.assertEqual(psql(f"SELECT name || '|' || locale FROM users WHERE id = {quote(uid)}"),
                         ["Jeanne Après|en"])
        # The setting follows the person to a new session.
        self.assertIn('lang="en"', signed_in(email).get("/").text)
        r = s.post("/profile", {"name": "", "locale": "de"})
        self.assertEqual(r.status, 422)
        self.assertEqual(psql(f"SELECT name || '|' || locale FROM users WHERE id = {quote(uid)}"),
                         ["Jeanne Après|en"])
        self.assertEqual(s.post("/profile", {"name": "Jeanne", "locale": "fr"}).status, 303)
        self.assertIn('lang="fr"', s.get("/").text)

    def test_password_change(self):
        email = unique_email("pw")
        uid = add_user("demo", email, "viewer")
        s = signed_in(email)
        elsewhere = signed_in(email)
        self.assertEqual(sessions_of(uid), 2)
        r = s.post("/profile/password", {"current": PASSWORD, "password": "trop-court", "confirm": "trop-court"})
        self.assertEqual(r.status, 422)
        self.assertIn("Au moins 12 caractères.", field_errors(r))
        r = s.post("/profile/password", {"current": "pas-le-mot-de-passe", "password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD})
        self.assertEqual(r.status, 422)
        self.assertIn("Mot de passe actuel incorrect.", field_errors(r))
        r = s.post("/profile/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD + "x"})
        self.assertEqual(r.status, 422)
        self.assertIn("Les deux mots de passe ne sont pas identiques.", field_errors(r))
        self.assertEqual(elsewhere.get("/profile").status, 200, "failed attempts close nothing")
        self.assertEqual(Session().sign_in(email, PASSWORD).status, 303, "still the old password")
        since = last_activity_id()
        r = s.post("/profile/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD})
        self.assertEqual(r.status, 303)
        self.assertIn("Votre mot de passe a été modifié", s.get(r.header("location")).text)
        self.assertEqual(s.get("/profile").status, 200, "this session stays open")
        self.assertEqual(elsewhere.get("/profile").status, 303, "the others are closed")
        self.assertEqual(sessions_of(uid), 1)
        self.assertEqual(Session().sign_in(email, PASSWORD).status, 422)
        self.assertEqual(Session().sign_in(email, NEW_PASSWORD).status, 303)
        self.assertEqual(len(activities("demo", "auth.password_changed", since)), 1)


class Members(unittest.TestCase):
    def test_invite_by_one_time_link(self):
        slug, owner, _ = new_org()
        admin = signed_in(owner)
        email = unique_email("Nouveau").replace("nouveau", "Nouveau")
        r = admin.post("/members", {"email": email, "role": "finance"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/members?done=invited")
        listing = admin.get("/members?done=invited")
        self.assertIn("Invitation envoyée.", listing.text)
        self.assertIn(email.lower(), listing.text, "listed as pending")
        # The mail, in the outbox page and the table.
        box = admin.get("/outbox")
        self.assertEqual(box.status, 200)
        self.assertIn(email.lower(), box.text)
        mails = outbox(email, "invitation")
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0]["tenant"], tenant_id(slug))
        self.assertIn(f"Invitation à rejoindre Organisation {slug}", mails[0]["subject"])
        link = link_in(mails[0]["body"], "invitations")
        self.assertIn(link, box.text)
        # The invited person opens it in their own browser.
        guest = Session()
        page = guest.get(link)
        self.assertEqual(page.status, 200)
        self.assertIn(f"Organisation {slug}", page.text)
        self.assertIn("finance", page.text)
        r = guest.post(link, {"name": "Nina Nouvelle", "password": "court"})
        self.assertEqual(r.status, 422)
        self.assertIn("Au moins 12 caractères.", field_errors(r))
        self.assertFalse(guest.signed_in)
        r = guest.post(link, {"name": "Nina Nouvelle", "password": NEW_PASSWORD})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/")
        self.assertTrue(guest.signed_in)
        profile = guest.get("/profile")
        self.assertEqual(profile.status, 200)
        self.assertIn("Nina Nouvelle", profile.text)
        self.assertIn(email.lower(), profile.text)
        uid = user_id(email)
        self.assertEqual(psql_one(f"SELECT role FROM memberships WHERE user_id = {quote(uid)}"
                                  f" AND tenant_id = {quote(tenant_id(slug))}"), "finance")
        self.assertEqual(len(activities(slug, "member.joined")), 1)
        self.assertEqual(len(activities(slug, "member.invited")), 1)
        # Once only.
        self.assertEqual(Session().get(link).status, 404)
        self.assertEqual(Session().post(link, {"name": "x", "password": NEW_PASSWORD}).status, 404)
        self.assertEqual(Session().sign_in(email, NEW_PASSWORD).status, 303)

    def test_an_invitation_to_an_existing_account_needs_that_account(self):
        slug, owner, _ = new_org()
        admin = signed_in(owner)
        email = unique_email("existing")
        uid = add_user("demo", email, "viewer")
        self.assertEqual(admin.post("/members", {"email": email, "role": "manager"}).status, 303)
        link = link_in(outbox(email, "invitation")[0]["body"], "invitations")
        # Neither a stranger nor the admin who can read the outbox gets in.
        stranger = Session()
        page = stranger.get(link)
        self.assertEqual(page.status, 200)
        self.assertIn("connectez-vous avec ce compte", page.text)
        self.assertEqual(stranger.post(link, {}).status, 403)
        self.assertFalse(stranger.signed_in)
        self.assertEqual(admin.post(link, {}).status, 403)
        self.assertEqual(psql_one(f"SELECT count(*) FROM memberships WHERE user_id = {quote(uid)}"), "1")
        # The person themself accepts it and lands in the organisation.
        person = signed_in(email)
        r = person.post(link, {})
        self.assertEqual(r.status, 303)
        self.assertEqual(org_shown(person.get("/")), f"Organisation {slug}")
        self.assertEqual(psql_one(f"SELECT role FROM memberships WHERE user_id = {quote(uid)}"
                                  f" AND tenant_id = {quote(tenant_id(slug))}"), "manager")

    def test_an_existing_member_is_not_invited_again(self):
        slug, owner, _ = new_org()
        admin = signed_in(owner)
        r = admin.post("/members", {"email": owner.upper(), "role": "viewer"})
        self.assertEqual(r.status, 422)
        self.assertIn("déjà membre", r.text)
        self.assertEqual(outbox(owner, "invitation"), [])

    def test_bad_invitations_are_refused(self):
        slug, owner, _ = new_org()
        admin = signed_in(owner)
        for fields in ({"email": "pas-une-adresse", "role": "viewer"},
                       {"email": unique_email(), "role": "empereur"}, {}):
            self.assertEqual(admin.post("/members", fields).status, 422, fields)
        self.assertEqual(psql_one(f"SELECT count(*) FROM invitations WHERE tenant_id = {quote(tenant_id(slug))}"), "0")
        self.assertEqual(Session().get("/invitations/" + "Z" * 43).status, 404)

    def test_change_role_and_remove(self):
        slug, owner, owner_id = new_org()
        email = unique_email("member")
        mid = add_user(slug, email, "viewer")
        member = signed_in(email)
        api_tok = api_token(slug, email, "read")
        self.assertEqual(api("GET", "/api/v1/me", api_tok).status, 200)
        s = signed_in(owner)
        since = last_activity_id()
        r = s.post(f"/members/{mid}/role", {"role": "manager"})
        self.assertEqual(r.status, 303)
        self.assertIn("Rôle modifié.", s.get(r.header("location")).text)
        self.assertEqual(psql_one(f"SELECT role FROM memberships WHERE user_id = {quote(mid)}"), "manager")
        self.assertEqual(member.get("/vehicles/new").status, 200, "the new role applies at once")
        self.assertEqual(api("GET", "/api/v1/me", api_tok).json()["data"]["role"], "manager")
        changed = activities(slug, "member.role_changed", since)
        self.assertEqual(len(changed), 1)
        self.assertEqual(changed[0]["actor"], owner_id)
        self.assertEqual(changed[0]["subject_id"], mid)
        self.assertIn("viewer → manager", changed[0]["title"])
        self.assertEqual(s.post(f"/members/{mid}/role", {"role": "empereur"}).status, 422)
        r = s.post(f"/members/{mid}/remove")
        self.assertEqual(r.status, 303)
        self.assertIn("Membre retiré.", s.get(r.header("location")).text)
        self.assertEqual(psql(f"SELECT role FROM memberships WHERE user_id = {quote(mid)}"), [])
        self.assertEqual(len(activities(slug, "member.removed", since)), 1)
        # Their session and tokens end with the membership.
        self.assertEqual(member.get("/profile").status, 303)
        self.assertEqual(api("GET", "/api/v1/me", api_tok).status, 401)
        self.assertEqual(s.post(f"/members/{mid}/remove").status, 404)
        self.assertEqual(s.post(f"/members/{uuid.uuid4()}/role", {"role": "viewer"}).status, 404)
        self.assertEqual(s.post("/members/pas-un-uuid/remove").status, 404)

    def test_no_one_removes_or_demotes_themself_so_the_last_owner_stays(self):
        slug, owner, owner_id = new_org()
        s = signed_in(owner)
        self.assertEqual(s.post(f"/members/{owner_id}/remove").status, 403)
        self.assertEqual(s.post(f"/members/{owner_id}/role", {"role": "admin"}).status, 403)
        self.assertEqual(psql(f"SELECT role FROM memberships WHERE tenant_id = {quote(tenant_id(slug))}"),
                         ["owner"])
        self.assertNotIn(f"/members/{owner_id}/remove", s.get("/members").text)

    def test_only_an_owner_makes_or_unmakes_owners(self):
        slug, owner, owner_id = new_org()
        admin_email = unique_email("admin")
        add_user(slug, admin_email, "admin")
        mid = add_user(slug, unique_email("m"), "viewer")
        a = signed_in(admin_email)
        self.assertEqual(a.post(f"/members/{mid}/role", {"role": "owner"}).status, 403)
        self.assertEqual(a.post(f"/members/{owner_id}/role", {"role": "viewer"}).status, 403)
        self.assertEqual(a.post(f"/members/{owner_id}/remove").status, 403)
        r = a.post("/members", {"email": unique_email("o"), "role": "owner"})
        self.assertEqual(r.status, 422)
        self.assertIn("Seul un propriétaire peut inviter un propriétaire.", field_errors(r))
        self.assertEqual(psql_one(f"SELECT role FROM memberships WHERE user_id = {quote(mid)}"), "viewer")
        self.assertEqual(psql_one(f"SELECT role FROM memberships WHERE user_id = {quote(owner_id)}"), "owner")
        # What an admin may do: other roles.
        self.assertEqual(a.post(f"/members/{mid}/role", {"role": "finance"}).status, 303)
        # The owner may make a second owner, who may then demote the first.
        o = signed_in(owner)
        self.assertEqual(o.post(f"/members/{mid}/role", {"role": "owner"}).status, 303)
        second = add_user(slug, unique_email("m2"), "viewer")
        self.assertEqual(o.post(f"/members/{second}/role", {"role": "owner"}).status, 303)
        self.assertEqual(o.post(f"/members/{second}/role", {"role": "admin"}).status, 303)
        self.assertEqual(psql_one(f"SELECT count(*) FROM memberships WHERE role = 'owner'"
                                  f" AND tenant_id = {quote(tenant_id(slug))}"), "2")

    def test_members_pages_are_for_admins(self):
        for email, status in (("manager@demo.test", 403), ("admin@demo.test", 200)):
            s = signed_in(email)
            self.assertEqual(s.get("/members").status, status, email)
            self.assertEqual(s.get("/outbox").status, status, email)


class PasswordReset(unittest.TestCase):
    def request_link(self, email):
        s = Session()
        form = s.get("/password/forgot")
        self.assertEqual(form.status, 200)
        r = s.post("/password/forgot", {"email": email})
        self.assertEqual(r.status, 200)
        return r, link_in(outbox(email, "password_reset")[0]["body"], "password/reset")

    def test_reset_by_a_one_time_link_closes_old_sessions(self):
        email = unique_email("reset")
        uid = add_user("demo", email, "viewer")
        old = signed_in(email)
        sent, link = self.request_link(email)
        self.assertIn("Si un compte correspond à cette adresse", sent.text)
        self.assertEqual(outbox(email, "password_reset")[0]["tenant"], tenant_id("demo"))
        s = Session()
        self.assertEqual(s.get(link).status, 200)
        r = s.post(link, {"password": "court", "confirm": "court"})
        self.assertEqual(r.status, 422)
        r = s.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"})
        self.assertEqual(r.status, 422)
        self.assertEqual(old.get("/profile").status, 200, "nothing changed yet")
        r = s.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/login?notice=reset")
        self.assertEqual(old.get("/profile").status, 303, "the old session is gone")
        self.assertEqual(sessions_of(uid), 0)
        self.assertEqual(Session().sign_in(email, PASSWORD).status, 422)
        self.assertEqual(Session().sign_in(email, NEW_PASSWORD).status, 303)
        # Valid once.
        again = Session().get(link)
        self.assertEqual(again.status, 404)
        self.assertIn("invalide ou a expiré", again.text)
        self.assertEqual(Session().post(link, {"password": PASSWORD + "x", "confirm": PASSWORD + "x"}).status, 404)
        self.assertEqual(Session().sign_in(email, NEW_PASSWORD).status, 303)

    def test_a_link_expires_after_an_hour(self):
        email = unique_email("expire")
        uid = add_user("demo", email, "viewer")
        _, link = self.request_link(email)
        self.assertEqual(psql_one("SELECT round(extract(epoch FROM expires_at - created_at) / 60)"
                                  f" FROM password_resets WHERE user_id = {quote(uid)}"), "60")
        psql("UPDATE password_resets SET expires_at = now() - interval '1 minute'"
             f" WHERE user_id = {quote(uid)}")
        s = Session()
        self.assertEqual(s.get(link).status, 404)
        self.assertEqual(s.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status, 404)
        self.assertEqual(Session().sign_in(email, PASSWORD).status, 303, "password unchanged")

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self):
        known = unique_email("known")
        add_user("demo", known, "viewer")
        unknown = unique_email("unknown")
        a = Session().post("/password/forgot", {"email": known})
        b = Session().post("/password/forgot", {"email": unknown})
        self.assertEqual((a.status, b.status), (200, 200))
        self.assertEqual(a.text, b.text)
        self.assertEqual(len(outbox(known, "password_reset")), 1)
        self.assertEqual(outbox(unknown), [])

    def test_admins_see_the_mail_in_the_outbox_but_not_someone_elses_link(self):
        slug, owner, _ = new_org()
        email = unique_email("victim")
        add_user(slug, email, "viewer")
        _, link = self.request_link(email)
        box = signed_in(owner).get("/outbox")
        self.assertEqual(box.status, 200)
        self.assertIn(email, box.text)
        self.assertIn("Réinitialisation de votre mot de passe", box.text)
        self.assertNotIn(link, box.text)
        self.assertNotIn("/password/reset/", box.text)
        self.assertIn("[lien réservé au destinataire]", box.text)
        # The mail itself still carries the link for its recipient.
        self.assertEqual(Session().get(link).status, 200)

    def test_a_made_up_link_is_refused(self):
        self.assertEqual(Session().get("/password/reset/" + "Q" * 43).status, 404)


class ApiTokens(unittest.TestCase):
    def test_created_in_the_screen_shown_once_and_usable(self):
        email = unique_email("tok")
        add_user("demo", email, "admin", name="Théo Token")
        s = signed_in(email)
        since = last_activity_id()
        name = unique("jeton-")
        r = s.post("/tokens", {"name": name, "scope": "read"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("cache-control"), "no-store")
        m = re.search(r'<code id="new-token">(fc_[A-Za-z0-9_-]{43})</code>', r.text)
        self.assertIsNotNone(m, "the new token is shown")
        tok = m.group(1)
        listing = s.get("/tokens")
        self.assertEqual(listing.status, 200)
        self.assertIn(name, listing.text)
        self.assertIn(tok[:11], listing.text, "its prefix identifies it")
        self.assertNotIn(tok, listing.text, "never shown again")
        self.assertNotIn(tok[11:30], listing.text)
        self.assertEqual(psql_one(f"SELECT count(*) FROM api_tokens WHERE name = {quote(name)}"
                                  f" AND token_hash = sha256(convert_to({quote(tok)}, 'UTF8'))"), "1")
        r = api("GET", "/api/v1/me", tok)
        self.assertEqual(r.status, 200)
        body = r.json()
        self.assertTrue(body["success"])
        data = body["data"]
        self.assertEqual(data["user"]["email"], email)
        self.assertEqual(data["user"]["name"], "Théo Token")
        self.assertEqual(data["organisation"], {"id": tenant_id("demo"), "name": "VTC Démo Paris",
                                                "slug": "demo"})
        self.assertEqual(data["role"], "admin")
        self.assertEqual(data["scope"], "read")
        created = activities("demo", "token.created", since)
        self.assertEqual(len(created), 1)
        self.assertIn(name, created[0]["title"])
        self.assertEqual(created[0]["subject_id"], tok[:11])
        # Revoked: refused from then on.
        tid = token_id(tok)
        r = s.post(f"/tokens/{tid}/revoke")
        self.assertEqual(r.status, 303)
        r = api("GET", "/api/v1/me", tok)
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()["error"]["code"], "unauthorized")
        self.assertEqual(s.post(f"/tokens/{tid}/revoke").status, 404, "once")
        revoked = activities("demo", "token.revoked", since)
        self.assertEqual([a["subject_id"] for a in revoked], [tid])
        self.assertIn(name, revoked[0]["title"])

    def test_bad_token_forms(self):
        s = signed_in("admin@demo.test")
        for fields in ({"name": "", "scope": "read"}, {"name": "x", "scope": "admin"},
                       {"name": "x" * 101, "scope": "write"}):
            r = s.post("/tokens", fields)
            self.assertEqual(r.status, 422, fields)
            self.assertNotIn('id="new-token"', r.text)

    def test_without_or_with_a_bad_token_the_answer_is_401_json(self):
        for headers in ({}, {"Authorization": "Bearer fc_" + "A" * 43}, {"Authorization": "Bearer "},
                        {"Authorization": "Basic YWRtaW46YWRtaW4="}):
            r = request("GET", "/api/v1/me", headers=headers)
            self.assertEqual(r.status, 401, headers)
            self.assertIn("application/json", r.header("content-type"))
            body = r.json()
            self.assertIs(body["success"], False)
            self.assertEqual(body["error"]["code"], "unauthorized")
            self.assertTrue(body["error"]["message"])
        # A session cookie is no credential for the API.
        s = signed_in("admin@demo.test")
        self.assertEqual(s.get("/api/v1/me").status, 401)

    def test_a_read_token_cannot_write(self):
        reader = api_token("demo", "manager@demo.test", "read")
        writer = api_token("demo", "manager@demo.test", "write")
        plate = new_plate()
        body = {"plate": plate, "make": "Renault", "model": "Zoé", "energy": "electrique"}
        r = api("POST", "/api/v1/vehicles", reader, body)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "insufficient_scope")
        self.assertEqual(psql_one(f"SELECT count(*) FROM vehicles WHERE plate = {quote(plate)}"), "0")
        for method in ("PATCH", "DELETE"):
            r = api(method, f"/api/v1/vehicles/{uuid.uuid4()}", reader, {} if method == "PATCH" else None)
            self.assertEqual(r.status, 403, method)
            self.assertEqual(r.json()["error"]["code"], "insufficient_scope")
        self.assertEqual(api("GET", "/api/v1/vehicles", reader).status, 200, "reading is fine")
        self.assertEqual(api("GET", "/api/v1/me", reader).json()["data"]["scope"], "read")
        # The same request with write scope passes the scope check.
        r = api("POST", "/api/v1/vehicles", writer, body)
        self.assertEqual(r.status, 201, r.text)
        # The router answers 405 for a method a path does not have, before
        # any credential is looked at.
        r = api("POST", "/api/v1/me", reader, {})
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("allow"), "GET, HEAD")

    def test_a_token_never_outranks_its_maker(self):
        slug, owner, _ = new_org()
        email = unique_email("maker")
        mid = add_user(slug, email, "manager")
        tok = api_token(slug, email, "write")
        self.assertEqual(api("GET", "/api/v1/me", tok).json()["data"]["role"], "manager")
        psql(f"UPDATE memberships SET role = 'viewer' WHERE user_id = {quote(mid)}")
        self.assertEqual(api("GET", "/api/v1/me", tok).json()["data"]["role"], "viewer")
        r = api("POST", "/api/v1/vehicles", tok, {"plate": "AB-123-CD", "make": "A", "model": "B",
                                                  "energy": "gpl"})
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "forbidden")

    def test_token_pages_are_for_admins(self):
        self.assertEqual(signed_in("manager@demo.test").get("/tokens").status, 403)
        self.assertEqual(signed_in("admin@demo.test").get("/tokens").status, 200)


class CommandLine(unittest.TestCase):
    def test_tenant_create(self):
        slug = unique("cli-")
        out = cli("tenant", "create", "--name", "Flotte CLI", "--slug", slug)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stdout, r"^[0-9a-f-]{36}\n$")
        self.assertEqual(out.stdout.strip(), tenant_id(slug))
        again = cli("tenant", "create", "--name", "Encore", "--slug", slug)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("tenants__slug__key", again.stderr)
        bad = cli("tenant", "create", "--name", "Mauvais", "--slug", "Pas Un Slug!")
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("slug", bad.stderr)
        usage = cli("tenant", "create", "--name", "Sans slug")
        self.assertEqual(usage.returncode, 2)
        self.assertIn("usage:", usage.stderr)
        self.assertEqual(usage.stdout, "")

    def test_user_add_with_a_password_on_stdin(self):
        email = unique_email("Cli").replace("cli", "CLI")
        out = cli("user", "add", "--tenant", "demo", "--email", email, "--role", "finance",
                  "--name", "Chloé Cli", "--password-stdin", stdin=NEW_PASSWORD + "\n")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(psql(f"SELECT u.email || '|' || u.name || '|' || m.role FROM users u"
                              " JOIN memberships m ON m.user_id = u.id"
                              f" WHERE u.email = {quote(email.lower())}"),
                         [f"{email.lower()}|Chloé Cli|finance"])
        self.assertEqual(Session().sign_in(email.lower(), NEW_PASSWORD).status, 303)
        for args, stdin, message in (
                (["--tenant", "demo", "--role", "viewer"], "x" * 11, "at least 12"),
                (["--tenant", "demo", "--role", "viewer"], "", "no password"),
                (["--tenant", "nulle-part", "--role", "viewer"], NEW_PASSWORD, 'no organisation "nulle-part"'),
                (["--tenant", "demo", "--role", "empereur"], NEW_PASSWORD, "member_role"),
        ):
            with self.subTest(args=args, stdin=stdin):
                other = unique_email("clibad")
                out = cli("user", "add", "--email", other, *args, "--password-stdin",
                          stdin=(stdin + "\n") if stdin else "")
                self.assertNotEqual(out.returncode, 0)
                self.assertIn(message, out.stderr)
                self.assertEqual(psql_one("SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id"
                                          f" WHERE u.email = {quote(other)}"), "0")
        usage = cli("user", "add", "--tenant", "demo")
        self.assertEqual(usage.returncode, 2)
        self.assertIn("usage:", usage.stderr)

    def test_token_create_prints_only_the_token(self):
        out = cli("token", "create", "--tenant", "demo", "--user", "finance@demo.test",
                  "--name", unique("cli-"), "--scope", "write")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stdout, r"^fc_[A-Za-z0-9_-]{43}\n$")
        self.assertEqual(out.stderr, "")
        r = api("GET", "/api/v1/me", out.stdout.strip())
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["data"]["role"], "finance")
        self.assertEqual(r.json()["data"]["scope"], "write")
        default = cli_ok("token", "create", "--tenant", "demo", "--user", "finance@demo.test",
                         "--name", unique("cli-")).strip()
        self.assertEqual(api("GET", "/api/v1/me", default).json()["data"]["scope"], "read")
        for args, code, message in (
                (["--tenant", "demo", "--user", "personne@demo.test"], 1, "is not a member"),
                (["--tenant", "other", "--user", "finance@demo.test"], 1, "is not a member"),
                (["--tenant", "demo", "--user", "finance@demo.test", "--scope", "admin"], 2, "read or write"),
                (["--tenant", "demo"], 2, "usage:")):
            with self.subTest(args=args):
                out = cli("token", "create", "--name", unique("cli-"), *args)
                self.assertEqual(out.returncode, code)
                self.assertIn(message, out.stderr)
                self.assertEqual(out.stdout, "")


if __name__ == "__main__":
    unittest.main()
