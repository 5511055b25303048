"""Drivers through nginx: /api/v1/drivers with bearer tokens (envelope,
201/404/409/422, validation of every field), the screens over HTML forms
with CSRF (list, page, edit, departure), the three-step onboarding wizard
(saved and resumable at each step), the invitation to the driver portal
(an outbox mail, a driver-role invitation that links the account), and
tenant isolation."""
import datetime
import html
import random
import re
import unittest
import uuid

import fleet_helpers
from identity import (Session, activities, add_user, api, api_token, last_activity_id,
                      link_in, new_plate, outbox, psql, psql_one, quote, signed_in, tenant_id)

NEW_PASSWORD = "portail-chauffeur-2026"
TODAY = datetime.date.today()


def new_phone():
    """A French mobile no demo driver has (the demo uses 06 and 07 5x-8x)."""
    return f"+3379{random.randint(0, 9999999):07d}"


def national(phone):
    """+33791234567 as a person types it: 07 91 23 45 67."""
    digits = "0" + phone[3:]
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


def new_email(prefix="chauffeur"):
    return f"{prefix}.{uuid.uuid4().hex[:10]}@drivers.test"


def iban(bban="30006000011234567890"):
    """A valid French IBAN around a BBAN (RIB key computed, then mod 97)."""
    bank, branch, account = int(bban[:5]), int(bban[5:10]), int(bban[10:])
    rib = 97 - (89 * bank + 15 * branch + 3 * account) % 97
    full = f"{bban}{rib:02d}"
    check = 98 - int(full + "152700") % 97
    return f"FR{check:02d}{full}"


def years_ago(n, days=0):
    d = TODAY.replace(year=TODAY.year - n) if not (TODAY.month == 2 and TODAY.day == 29) \
        else TODAY.replace(year=TODAY.year - n, day=28)
    return (d + datetime.timedelta(days=days)).isoformat()


def in_days(n):
    return (TODAY + datetime.timedelta(days=n)).isoformat()


def field_errors(page):
    """{field id: message} of the error texts next to the inputs."""
    return {m.group(1): html.unescape(m.group(2)) for m in re.finditer(
        r'<span class="error-text" id="([a-z_]+)-error">([^<]*)</span>', page.text)}


def driver_row(driver_id):
    return psql_one("SELECT row_to_json(d) FROM (SELECT status, onboarding_step, email, phone,"
                    " commission_rate_bp, weekly_rent_cents, collaboration, archived_at, user_id"
                    f" FROM drivers WHERE id = {quote(driver_id)}) d")


class DriversBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manager = api_token("demo", "manager@demo.test")
        cls.viewer = api_token("demo", "viewer@demo.test")
        cls.reader = api_token("demo", "manager@demo.test", scope="read")
        cls.other = api_token("other", "admin@other.test")

    def create(self, **fields):
        body = {"first_name": "Yanis", "last_name": "Test" + uuid.uuid4().hex[:6],
                "phone": new_phone()}
        body.update(fields)
        r = api("POST", "/api/v1/drivers", self.manager, body)
        self.assertEqual(r.status, 201, r.text)
        return r.json()["data"]


class DriversApi(DriversBase):
    def test_create_answers_201_with_the_normalised_object(self):
        phone, email = new_phone(), new_email()
        d = self.create(phone=national(phone), email=email.upper(),
                        iban=" ".join(iban()[i:i + 4] for i in range(0, 27, 4)).lower(),
                        bic="bnpafrpp", birth_date="12/03/1988", heetch_email=email.upper(),
                        collaboration="location_auto_entrepreneur", weekly_rent_cents=32000,
                        start_date="2026-01-05")
        self.assertEqual(d["phone"], phone)
        self.assertEqual(d["email"], email)
        self.assertEqual(d["heetch_email"], email)
        self.assertEqual(d["iban"], iban())
        self.assertEqual(d["bic"], "BNPAFRPP")
        self.assertEqual(d["birth_date"], "1988-03-12")
        self.assertEqual(d["weekly_rent_cents"], 32000)
        self.assertEqual((d["status"], d["onboarding_step"]), ("candidat", 2))
        self.assertIsNone(d["current_vehicle"])
        self.assertEqual(d["documents_due"], 0)
        r = api("GET", f"/api/v1/drivers/{d['id']}", self.viewer)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["data"]["phone"], phone)
        # Created as already working: nothing left to onboard.
        self.assertEqual(self.create(status="actif")["onboarding_step"], 4)

    def test_every_bad_field_gets_its_own_message(self):
        bad_iban = iban()[:-1] + ("0" if iban()[-1] != "0" else "1")
        r = api("POST", "/api/v1/drivers", self.manager, {
            "last_name": "", "email": "pas-une-adresse", "phone": "12345",
            "birth_date": "31/02/1990", "iban": bad_iban, "bic": "BNP",
            "collaboration": "freelance", "weekly_rent_cents": -5,
            "commission_rate_bp": 20000, "status": "retraite", "start_date": "demain",
            "vtc_card_expiry": "2026-13-01", "heetch_email": "x@", "onboarding_step": 9,
            "notes": "x" * 5001, "address": ["pas", "un", "texte"]})
        self.assertEqual(r.status, 422)
        err = r.json()["error"]
        self.assertEqual(err["code"], "validation_failed")
        for field in ("first_name", "last_name", "email", "phone", "birth_date", "iban", "bic",
                      "collaboration", "weekly_rent_cents", "commission_rate_bp", "status",
                      "start_date", "vtc_card_expiry", "heetch_email", "onboarding_step", "notes",
                      "address"):
            self.assertIn(field, err["fields"], field)
            self.assertIsInstance(err["fields"][field], str)
        self.assertIn("clé", err["fields"]["iban"])

    def test_rules_between_fields(self):
        cases = [
            ({"birth_date": in_days(3)}, "birth_date", "passé"),
            ({"birth_date": years_ago(18, days=1)}, "birth_date", "18 ans"),
            ({"birth_date": "1850-01-01"}, "birth_date", "invraisemblable"),
            ({"start_date": "2026-03-01", "end_date": "2026-02-28"}, "end_date", "précéder"),
            ({"collaboration": "location_auto_entrepreneur"}, "weekly_rent_cents", "loyer"),
            ({"collaboration": "commission"}, "commission_rate_bp", "commission"),
        ]
        for extra, field, words in cases:
            with self.subTest(field=field, extra=extra):
                body = {"first_name": "Léa", "last_name": "Règles", "phone": new_phone()}
                body.update(extra)
                r = api("POST", "/api/v1/drivers", self.manager, body)
                self.assertEqual(r.status, 422, r.text)
                self.assertIn(words, r.json()["error"]["fields"][field])
        # Exactly 18 today is old enough.
        self.assertEqual(self.create(birth_date=years_ago(18))["birth_date"], years_ago(18))

    def test_duplicates_are_409_naming_the_field(self):
        email = new_email()
        d = self.create(email=email, uber_driver_uuid=str(uuid.uuid4()),
                        bolt_driver_uuid=str(random.randint(10**6, 10**7)),
                        heetch_email=new_email("heetch"))
        for field, value in (("email", email.upper()), ("phone", national(d["phone"])),
                             ("uber_driver_uuid", d["uber_driver_uuid"]),
                             ("bolt_driver_uuid", d["bolt_driver_uuid"]),
                             ("heetch_email", d["heetch_email"])):
            with self.subTest(field=field):
                body = {"first_name": "Double", "last_name": "Doublon", field: value}
                if field != "phone":
                    body["phone"] = new_phone()
                r = api("POST", "/api/v1/drivers", self.manager, body)
                self.assertEqual(r.status, 409, r.text)
                self.assertEqual(r.json()["error"]["code"], "conflict")
                self.assertIn(field, r.json()["error"]["fields"])
        other = self.create()
        r = api("PATCH", f"/api/v1/drivers/{other['id']}", self.manager, {"phone": d["phone"]})
        self.assertEqual(r.status, 409)
        self.assertIn("phone", r.json()["error"]["fields"])
        # The same values in another organisation are free.
        r = api("POST", "/api/v1/drivers", self.other, {"first_name": "Même", "last_name": "Numéro",
                                                        "phone": d["phone"], "email": email})
        self.assertEqual(r.status, 201, r.text)

    def test_patch_changes_only_what_is_sent_and_null_clears(self):
        email = new_email()
        d = self.create(email=email, address="3 rue de Crimée, 75019 Paris")
        r = api("PATCH", f"/api/v1/drivers/{d['id']}", self.manager,
                {"collaboration": "commission", "commission_rate_bp": 1250, "email": None})
        self.assertEqual(r.status, 200, r.text)
        data = r.json()["data"]
        self.assertEqual((data["collaboration"], data["commission_rate_bp"]), ("commission", 1250))
        self.assertIsNone(data["email"])
        self.assertEqual(data["address"], "3 rue de Crimée, 75019 Paris")
        self.assertEqual(data["phone"], d["phone"])
        r = api("PATCH", f"/api/v1/drivers/{d['id']}", self.manager, {"first_name": None, "status": None})
        self.assertEqual(r.status, 422)
        self.assertEqual(set(r.json()["error"]["fields"]), {"first_name", "status"})
        r = api("PATCH", f"/api/v1/drivers/{d['id']}", self.manager, {"commission_rate_bp": None})
        self.assertEqual(r.status, 422)
        self.assertIn("commission_rate_bp", r.json()["error"]["fields"])

    def test_list_search_filter_sort_and_pagination(self):
        marker = "Zq" + uuid.uuid4().hex[:6]
        made = [self.create(first_name=first, last_name=marker, start_date=start, status=status)
                for first, start, status in (("Amine", "2026-03-01", "actif"),
                                             ("Bérénice", "2025-06-01", "actif"),
                                             ("Cheikh", "2026-09-01", "suspendu"))]
        r = api("GET", f"/api/v1/drivers?q={marker}&sort=-start_date&limit=2", self.viewer)
        self.assertEqual(r.status, 200)
        body = r.json()
        self.assertEqual([x["first_name"] for x in body["data"]], ["Cheikh", "Amine"])
        self.assertEqual(body["pagination"], {"page": 1, "limit": 2, "total": 3, "has_next": True})
        r = api("GET", f"/api/v1/drivers?q={marker}&sort=-start_date&limit=2&page=2", self.viewer)
        self.assertEqual([x["first_name"] for x in r.json()["data"]], ["Bérénice"])
        r = api("GET", f"/api/v1/drivers?q={marker}&status=suspendu", self.viewer)
        self.assertEqual([x["id"] for x in r.json()["data"]], [made[2]["id"]])
        r = api("GET", f"/api/v1/drivers?q={marker}&sort=last_name", self.viewer)
        self.assertEqual([x["first_name"] for x in r.json()["data"]], ["Amine", "Bérénice", "Cheikh"])
        # Either order of the names, the e-mail, the phone as typed.
        for q in (f"amine%20{marker}", f"{marker}%20Amine"):
            self.assertEqual([x["id"] for x in api("GET", f"/api/v1/drivers?q={q}",
                                                   self.viewer).json()["data"]], [made[0]["id"]])
        email = new_email("recherche")
        d = self.create(email=email)
        for q in (email.split("@")[0].upper(), national(d["phone"])[:11].replace(" ", "%20"),
                  d["phone"].replace("+", "%2B")):
            with self.subTest(q=q):
                ids = [x["id"] for x in api("GET", f"/api/v1/drivers?q={q}&limit=100",
                                            self.viewer).json()["data"]]
                self.assertIn(d["id"], ids)
        # A percent sign is text, not a wildcard.
        self.assertEqual(api("GET", "/api/v1/drivers?q=%25", self.viewer).json()["data"], [])

    def test_documents_due_and_current_vehicle(self):
        d = self.create(status="actif")
        tid = tenant_id("demo")
        soon = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
        r = fleet_helpers.upload(self.manager, "driver", d["id"], "carte_vtc", filename="vtc.pdf",
                                 expires_on=soon)
        self.assertEqual(r.status, 201, r.text)
        r = api("POST", "/api/v1/vehicles", self.manager,
                {"plate": new_plate(), "make": "Toyota", "model": "Corolla", "energy": "hybride"})
        self.assertEqual(r.status, 201, r.text)
        v = r.json()["data"]
        psql("INSERT INTO assignments (tenant_id, vehicle_id, driver_id, starts_at) VALUES"
             f" ({quote(tid)}, {quote(v['id'])}, {quote(d['id'])}, now() - interval '1 day')",
             role="fleetcore_owner")
        got = api("GET", f"/api/v1/drivers/{d['id']}", self.viewer).json()["data"]
        self.assertEqual(got["documents_due"], 1)
        self.assertEqual(got["current_vehicle"]["plate"], v["plate"])
        due = api("GET", "/api/v1/drivers?documents=due&limit=100", self.viewer).json()["data"]
        self.assertIn(d["id"], [x["id"] for x in due])
        self.assertTrue(all(x["documents_due"] > 0 for x in due))
        page = signed_in("viewer@demo.test").get(f"/drivers?q={d['last_name']}")
        self.assertIn(v["plate"], page.text)
        # Leaving hands the vehicle back.
        r = api("DELETE", f"/api/v1/drivers/{d['id']}", self.manager)
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.json()["data"]["current_vehicle"])
        self.assertEqual(psql_one(f"SELECT count(*) FROM assignments WHERE driver_id = {quote(d['id'])}"
                                  " AND ends_at IS NOT NULL AND ends_at <= now()"), "1")

    def test_bad_list_parameters_are_422(self):
        for query in ("limit=101", "page=0", "sort=age", "status=retraite", "documents=all",
                      "q=" + "x" * 101):
            r = api("GET", f"/api/v1/drivers?{query}", self.viewer)
            self.assertEqual(r.status, 422, query)
            self.assertEqual(r.json()["error"]["code"], "validation_failed")

    def test_delete_archives_and_hides_from_the_list(self):
        d = self.create(status="actif")
        r = api("DELETE", f"/api/v1/drivers/{d['id']}", self.manager)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["data"]["status"], "parti")
        self.assertIsNotNone(r.json()["data"]["archived_at"])
        self.assertEqual(api("GET", f"/api/v1/drivers?q={d['last_name']}", self.viewer).json()["data"], [])
        gone = api("GET", f"/api/v1/drivers?q={d['last_name']}&status=parti", self.viewer).json()["data"]
        self.assertEqual([x["id"] for x in gone], [d["id"]])
        # Coming back un-archives.
        r = api("PATCH", f"/api/v1/drivers/{d['id']}", self.manager, {"status": "actif"})
        self.assertIsNone(r.json()["data"]["archived_at"])
        self.assertEqual(api("DELETE", f"/api/v1/drivers/{uuid.uuid4()}", self.manager).status, 404)

    def test_another_tenant_gets_404_never_403(self):
        d = self.create()
        for method, path, body in (("GET", f"/api/v1/drivers/{d['id']}", None),
                                   ("PATCH", f"/api/v1/drivers/{d['id']}", {"notes": "pirate"}),
                                   ("DELETE", f"/api/v1/drivers/{d['id']}", None)):
            r = api(method, path, self.other, body)
            self.assertEqual(r.status, 404, f"{method} {path}")
            self.assertEqual(r.json()["error"]["code"], "not_found")
        self.assertNotIn(d["id"], [x["id"] for x in api("GET", f"/api/v1/drivers?q={d['last_name']}",
                                                         self.other).json()["data"]])
        self.assertEqual(api("GET", f"/api/v1/drivers/{d['id']}", self.viewer).json()["data"]["notes"], "")
        attacker = signed_in("admin@other.test")
        for path in ("", "/edit", "/onboarding/1", "/onboarding/2", "/onboarding/3"):
            self.assertEqual(attacker.get(f"/drivers/{d['id']}{path}").status, 404, path)
        for path, form in (("", {"first_name": "Pirate", "last_name": "X"}), ("/archive", {}),
                           ("/invite", {}), ("/onboarding/1", {"first_name": "P", "last_name": "X",
                                                               "phone": new_phone()}),
                           ("/onboarding/2", {}), ("/onboarding/3", {})):
            self.assertEqual(attacker.post(f"/drivers/{d['id']}{path}", form).status, 404, path)
        self.assertEqual(api("GET", f"/api/v1/drivers/{d['id']}", self.viewer).json()["data"]["status"],
                         "candidat")

    def test_roles_and_scopes(self):
        body = {"first_name": "A", "last_name": "B"}
        self.assertEqual(api("POST", "/api/v1/drivers", self.viewer, body).status, 403)
        r = api("POST", "/api/v1/drivers", self.reader, body)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "insufficient_scope")
        self.assertEqual(api("GET", "/api/v1/drivers", "fc_nope").status, 401)
        self.assertEqual(api("GET", "/api/v1/drivers", self.reader).status, 200)

    def test_body_must_be_a_json_object(self):
        from client import request
        r = request("POST", "/api/v1/drivers", body=b"first_name=A",
                    headers={"Authorization": f"Bearer {self.manager}",
                             "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 415)
        self.assertEqual(api("POST", "/api/v1/drivers", self.manager, ["a"]).status, 400)
        self.assertEqual(api("GET", "/api/v1/drivers/not-a-uuid", self.viewer).status, 404)


class DriversScreens(DriversBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.web = signed_in("manager@demo.test")

    def test_only_managers_are_offered_to_resume_an_onboarding(self):
        d = self.create()
        self.assertEqual(d["status"], "candidat")
        resume = f'href="/drivers/{d["id"]}/onboarding/'
        for email in ("viewer@demo.test", "finance@demo.test"):
            web = signed_in(email)
            self.assertNotIn(resume, web.get(f"/drivers?q={d['last_name']}").text, email)
            self.assertNotIn(resume, web.get(f"/drivers/{d['id']}").text, email)
            self.assertEqual(web.get(f"/drivers/{d['id']}/onboarding/2").status, 403, email)
        self.assertIn(resume, self.web.get(f"/drivers?q={d['last_name']}").text)
        self.assertIn(resume, self.web.get(f"/drivers/{d['id']}").text)

    def test_list_and_page_for_a_viewer(self):
        d = self.create(email=new_email(), status="actif", iban=iban(), bic="BNPAFRPP",
                        collaboration="commission", commission_rate_bp=1250)
        viewer = signed_in("viewer@demo.test")
        page = viewer.get("/drivers")
        self.assertEqual(page.status, 200)
        self.assertNotIn('href="/drivers/new"', page.text)
        self.assertIn("chauffeur(s)", page.text)
        page = viewer.get(f"/drivers?q={d['last_name']}&status=actif&documents=&sort=-last_name")
        self.assertIn(d["last_name"], page.text)
        self.assertIn("Commission · 12,5\u202f%", html.unescape(page.text))
        shown = viewer.get(f"/drivers/{d['id']}")
        self.assertEqual(shown.status, 200)
        p = d["phone"]
        self.assertIn(f"+33 7 {p[4:6]} {p[6:8]} {p[8:10]} {p[10:12]}", shown.text)
        # A viewer reads a masked IBAN and sees no edit action.
        self.assertNotIn(iban()[4:8], shown.text)
        self.assertIn(iban()[-3:], shown.text)
        self.assertNotIn(f"/drivers/{d['id']}/edit", shown.text)
        self.assertIn(" ".join(iban()[i:i + 4] for i in range(0, 27, 4)),
                      self.web.get(f"/drivers/{d['id']}").text)
        self.assertEqual(viewer.get("/drivers/new").status, 403)
        self.assertEqual(viewer.get(f"/drivers/{uuid.uuid4()}").status, 404)
        self.assertEqual(viewer.get("/drivers?sort=age").status, 400)

    def test_forms_need_the_csrf_token(self):
        r = self.web.post("/drivers/new", {"first_name": "Sans", "last_name": "Jeton",
                                           "phone": new_phone()}, csrf=False)
        self.assertEqual(r.status, 403)
        r = self.web.post("/drivers/new", {"first_name": "Faux", "last_name": "Jeton",
                                           "phone": new_phone()}, csrf="faux")
        self.assertEqual(r.status, 403)

    def test_onboarding_in_three_steps_resumable_at_each(self):
        page = self.web.get("/drivers/new")
        self.assertEqual(page.status, 200)
        self.assertIn("Informations personnelles", page.text)
        self.assertIn('aria-current="step"', page.text)
        # Step 1 with mistakes: each message next to its field, values kept.
        r = self.web.post("/drivers/new", {"first_name": "Nour", "last_name": "",
                                           "phone": "06 12", "email": "nour@",
                                           "birth_date": years_ago(17)})
        self.assertEqual(r.status, 422)
        errors = field_errors(r)
        self.assertEqual(set(errors), {"last_name", "phone", "email", "birth_date"})
        self.assertIn('value="Nour"', r.text)
        self.assertIn('value="06 12"', r.text)
        phone, email = new_phone(), new_email("nour")
        last = "Integration" + uuid.uuid4().hex[:6]
        r = self.web.post("/drivers/new", {"first_name": "Nour", "last_name": last,
                                           "phone": national(phone), "email": email,
                                           "birth_date": "1990-05-17", "address": ""})
        self.assertEqual(r.status, 303, r.text[:500])
        m = re.fullmatch(r"/drivers/([0-9a-f-]{36})/onboarding/2", r.header("location"))
        self.assertIsNotNone(m, r.header("location"))
        did = m.group(1)
        row = api("GET", f"/api/v1/drivers/{did}", self.viewer).json()["data"]
        self.assertEqual((row["status"], row["onboarding_step"], row["phone"]), ("candidat", 2, phone))
        # Stopped here: the list and the page offer to resume at step 2.
        listing = self.web.get(f"/drivers?q={last}")
        self.assertIn(f'href="/drivers/{did}/onboarding/2"', listing.text)
        self.assertIn("Reprendre l&#39;intégration", listing.text)
        self.assertIn(f'href="/drivers/{did}/onboarding/2"', self.web.get(f"/drivers/{did}").text)
        # Finishing before the documents is refused.
        r = self.web.post(f"/drivers/{did}/onboarding/3", {
            "collaboration": "salarie", "start_date": in_days(1)})
        self.assertEqual(r.status, 422)
        self.assertIn("Documents", r.text)
        # Step 2: required numbers and dates, no expired card.
        r = self.web.post(f"/drivers/{did}/onboarding/2", {"vtc_card_number": "",
                          "vtc_card_expiry": in_days(-1), "licence_number": "120375200123",
                          "licence_expiry": "pas une date"})
        self.assertEqual(r.status, 422)
        self.assertEqual(set(field_errors(r)), {"vtc_card_number", "vtc_card_expiry", "licence_expiry"})
        self.assertIn("expirée", field_errors(r)["vtc_card_expiry"])
        self.assertEqual(api("GET", f"/api/v1/drivers/{did}", self.viewer).json()["data"]["onboarding_step"], 2)
        r = self.web.post(f"/drivers/{did}/onboarding/2", {"vtc_card_number": "0752400123",
                          "vtc_card_expiry": in_days(900), "licence_number": "120375200123",
                          "licence_expiry": in_days(3000)})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), f"/drivers/{did}/onboarding/3")
        self.assertIn(f'href="/drivers/{did}/onboarding/3"', self.web.get(f"/drivers?q={last}").text)
        # Back to step 1 and forward again keeps the progress.
        page = self.web.get(f"/drivers/{did}/onboarding/1")
        self.assertIn(f'value="{email}"', page.text)
        r = self.web.post(f"/drivers/{did}/onboarding/1", {"first_name": "Nour", "last_name": last,
                          "phone": phone, "email": email, "birth_date": "1990-05-17", "address": "1 rue Oberkampf"})
        self.assertEqual(r.header("location"), f"/drivers/{did}/onboarding/2")
        self.assertEqual(api("GET", f"/api/v1/drivers/{did}", self.viewer).json()["data"]["onboarding_step"], 3)
        # Step 3: terms; a commission needs its rate; then done.
        r = self.web.post(f"/drivers/{did}/onboarding/3", {"collaboration": "", "start_date": "",
                          "iban": "FR76 0000", "commission_rate": "12,555"})
        self.assertEqual(r.status, 422)
        self.assertEqual(set(field_errors(r)), {"collaboration", "start_date", "iban", "commission_rate"})
        r = self.web.post(f"/drivers/{did}/onboarding/3", {"collaboration": "commission",
                          "start_date": in_days(2), "commission_rate": ""})
        self.assertEqual(r.status, 422)
        self.assertIn("taux", field_errors(r)["commission_rate"])
        since = last_activity_id()
        r = self.web.post(f"/drivers/{did}/onboarding/3", {
            "collaboration": "commission", "commission_rate": "12,5 %", "weekly_rent": "",
            "start_date": in_days(2), "end_date": "", "iban": iban().lower(), "bic": "bnpafrpp",
            "uber_driver_uuid": str(uuid.uuid4()), "bolt_driver_uuid": "", "heetch_email": ""})
        self.assertEqual(r.status, 303, r.text[:800])
        self.assertEqual(r.header("location"), f"/drivers/{did}?done=onboarded")
        data = api("GET", f"/api/v1/drivers/{did}", self.viewer).json()["data"]
        self.assertEqual((data["status"], data["onboarding_step"], data["commission_rate_bp"]),
                         ("actif", 4, 1250))
        self.assertEqual(data["iban"], iban())
        done = activities("demo", "driver.onboarded", since)
        self.assertEqual([a["subject_id"] for a in done], [did])
        page = self.web.get(f"/drivers/{did}?done=onboarded")
        self.assertIn("Inviter au portail chauffeur", page.text)
        self.assertIn(f'action="/drivers/{did}/invite"', page.text)
        self.assertNotIn(f"/drivers/{did}/onboarding/", page.text.split("<main")[1])
        self.assertNotIn(f"/drivers/{did}/onboarding/", self.web.get(f"/drivers?q={last}").text)

    def test_duplicate_phone_in_the_wizard_is_shown_next_to_the_field(self):
        d = self.create()
        r = self.web.post("/drivers/new", {"first_name": "Deux", "last_name": "Fois",
                                           "phone": national(d["phone"])})
        self.assertEqual(r.status, 409)
        self.assertIn("déjà", field_errors(r)["phone"])
        self.assertIn('value="Deux"', r.text)

    def test_edit_form_saves_clears_and_shows_errors(self):
        d = self.create(email=new_email(), collaboration="location_auto_entrepreneur",
                        weekly_rent_cents=30000, status="actif")
        page = self.web.get(f"/drivers/{d['id']}/edit")
        self.assertEqual(page.status, 200)
        self.assertIn('value="300,00"', page.text)
        form = {"first_name": d["first_name"], "last_name": d["last_name"], "phone": d["phone"],
                "email": "", "collaboration": "location_auto_entrepreneur", "weekly_rent": "abc",
                "commission_rate": "101", "status": "suspendu", "notes": "Pause"}
        r = self.web.post(f"/drivers/{d['id']}", form)
        self.assertEqual(r.status, 422)
        self.assertEqual(set(field_errors(r)), {"weekly_rent", "commission_rate"})
        self.assertIn('value="abc"', r.text)
        form.update(weekly_rent="275,50", commission_rate="")
        r = self.web.post(f"/drivers/{d['id']}", form)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), f"/drivers/{d['id']}?done=saved")
        data = api("GET", f"/api/v1/drivers/{d['id']}", self.viewer).json()["data"]
        self.assertEqual((data["weekly_rent_cents"], data["status"], data["email"], data["notes"]),
                         (27550, "suspendu", None, "Pause"))
        self.assertIn("Enregistré.", self.web.get(f"/drivers/{d['id']}?done=saved").text)

    def test_departure_from_the_page(self):
        d = self.create(status="actif")
        r = self.web.post(f"/drivers/{d['id']}/archive")
        self.assertEqual((r.status, r.header("location")), (303, "/drivers"))
        self.assertIn('"parti"', driver_row(d["id"]))
        shown = f"<strong>{d['last_name']}</strong>"
        self.assertNotIn(shown, self.web.get(f"/drivers?q={d['last_name']}").text)
        self.assertIn(shown, self.web.get(f"/drivers?q={d['last_name']}&status=parti").text)


class DriverPortalInvitation(DriversBase):
    def test_invite_creates_an_outbox_mail_and_links_the_account(self):
        web = signed_in("manager@demo.test")
        email = new_email("portail")
        d = self.create(first_name="Ilyès", email=email, status="actif")
        since = last_activity_id()
        r = web.post(f"/drivers/{d['id']}/invite")
        self.assertEqual((r.status, r.header("location")), (303, f"/drivers/{d['id']}?done=invited"))
        mails = outbox(email, "invitation")
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0]["tenant"], tenant_id("demo"))
        self.assertIn("portail chauffeur", mails[0]["subject"])
        self.assertIn("Bonjour Ilyès", mails[0]["body"])
        self.assertEqual(psql_one("SELECT role || ' ' || (driver_id = " + quote(d["id"]) + ")"
                                  f" FROM invitations WHERE email = {quote(email)}"), "driver true")
        self.assertEqual(len(activities("demo", "driver.invited", since)), 1)
        page = web.get(f"/drivers/{d['id']}?done=invited")
        self.assertIn("Invitation envoyée le", page.text)
        self.assertIn("Renvoyer l&#39;invitation", page.text)
        # Sent again: a new link, the first one no longer works.
        first = link_in(mails[0]["body"], "invitations")
        self.assertEqual(web.post(f"/drivers/{d['id']}/invite").status, 303)
        mails = outbox(email, "invitation")
        self.assertEqual(len(mails), 2)
        link = link_in(mails[0]["body"], "invitations")
        self.assertEqual(Session().get(first).status, 404)
        # The driver accepts in their own browser: the account is theirs.
        guest = Session()
        self.assertEqual(guest.get(link).status, 200)
        r = guest.post(link, {"name": "Ilyès Portail", "password": NEW_PASSWORD})
        self.assertEqual(r.status, 303, r.text[:300])
        uid = psql_one(f"SELECT id FROM users WHERE email = {quote(email)}")
        self.assertEqual(psql_one(f"SELECT role FROM memberships WHERE user_id = {quote(uid)}"), "driver")
        self.assertEqual(psql_one(f"SELECT user_id FROM drivers WHERE id = {quote(d['id'])}"), uid)
        self.assertEqual(api("GET", f"/api/v1/drivers/{d['id']}", self.viewer).json()["data"]["user_id"], uid)
        self.assertIn("Accès au portail activé", web.get(f"/drivers/{d['id']}").text)
        # Row-level security now shows this driver their own record only.
        tid = tenant_id("demo")
        seen = psql(f"BEGIN; SET LOCAL app.tenant_id = {quote(tid)}; SET LOCAL app.user_id = {quote(uid)};"
                    " SELECT id FROM drivers; ROLLBACK;", role="fleetcore_app")
        self.assertEqual(seen, [d["id"]])
        r = web.post(f"/drivers/{d['id']}/invite")
        self.assertEqual(r.status, 409)
        self.assertIn("déjà accès", html.unescape(r.text))

    def test_invite_needs_an_email_that_is_not_a_member(self):
        web = signed_in("manager@demo.test")
        d = self.create(status="actif")
        page = web.get(f"/drivers/{d['id']}")
        self.assertIn("enregistrez d&#39;abord son adresse e-mail", page.text)
        r = web.post(f"/drivers/{d['id']}/invite")
        self.assertEqual(r.status, 422)
        self.assertIn("adresse e-mail", html.unescape(r.text))
        member = new_email("membre")
        add_user("demo", member, "viewer")
        d = self.create(email=member, status="actif")
        r = web.post(f"/drivers/{d['id']}/invite")
        self.assertEqual(r.status, 422)
        self.assertIn("membre", html.unescape(r.text))
        self.assertEqual(psql_one("SELECT count(*) FROM invitations WHERE driver_id = " + quote(d["id"])), "0")
        viewer = signed_in("viewer@demo.test")
        self.assertEqual(viewer.post(f"/drivers/{d['id']}/invite").status, 403)


class DemoFleet(unittest.TestCase):
    def test_the_demo_has_a_realistic_fleet(self):
        tid = quote(tenant_id("demo"))
        self.assertGreaterEqual(int(psql_one(f"SELECT count(*) FROM drivers WHERE tenant_id = {tid}"
                                             " AND email LIKE '%@demo-vtc.test'")), 100)
        self.assertGreaterEqual(int(psql_one(f"SELECT count(DISTINCT status) FROM drivers WHERE tenant_id = {tid}")), 4)
        self.assertGreaterEqual(int(psql_one(f"SELECT count(*) FROM vehicles WHERE tenant_id = {tid}")), 60)
        self.assertGreater(int(psql_one(f"SELECT count(*) FROM vehicle_events WHERE tenant_id = {tid}")), 100)
        self.assertGreater(int(psql_one(f"SELECT count(*) FROM assignments WHERE tenant_id = {tid}"
                                        " AND ends_at IS NULL")), 30)
        self.assertGreater(int(psql_one(f"SELECT count(*) FROM assignments WHERE tenant_id = {tid}"
                                        " AND ends_at < now()")), 30)
        # The chauffeur of the demo is a driver with a vehicle now.
        self.assertEqual(psql_one("SELECT d.first_name || ' ' || d.last_name FROM drivers d JOIN users u"
                                  " ON u.id = d.user_id WHERE u.email = 'chauffeur@demo.test'"),
                         "Moussa Diallo")
        # Every IBAN and phone passes the application's own checks.
        ibans = psql(f"SELECT iban FROM drivers WHERE tenant_id = {tid} AND iban IS NOT NULL"
                     " AND email LIKE '%@demo-vtc.test'")
        self.assertGreater(len(ibans), 50)
        for value in ibans:
            self.assertEqual(int(value[4:] + str(int(value[0], 36)) + str(int(value[1], 36)) + value[2:4]) % 97,
                             1, value)
        self.assertEqual(psql_one(f"SELECT count(*) FROM drivers WHERE tenant_id = {tid}"
                                  " AND email LIKE '%@demo-vtc.test' AND phone !~ '^\\+33[67][0-9]{8}$'"), "0")
        self.assertEqual(psql_one(f"SELECT count(*) FROM vehicles WHERE tenant_id = {tid}"
                                  " AND country = 'FR'"
                                  " AND plate !~ '^[A-HJ-NP-TV-Z]{2}-[0-9]{3}-[A-HJ-NP-TV-Z]{2}$'"), "0")

    def test_loading_the_demo_again_changes_nothing(self):
        from identity import cli_ok
        count = "SELECT (SELECT count(*) FROM drivers) || ' ' || (SELECT count(*) FROM vehicles)"
        before = psql_one(count)
        cli_ok("demo", "--once")
        self.assertEqual(psql_one(count), before)


if __name__ == "__main__":
    unittest.main()
