"""The organisation's settings through the API and the settings screen:
bank details checked (IBAN mod-97 and country length, BIC shape, WPS
identifiers), normalised, cleared by null; the Armado key sealed at rest,
answered masked and never echoed nor logged; roles (owner and admin
change, finance and managers read, viewers nothing); another
organisation's settings never seen."""
import glob
import os
import unittest

from client import VAR
from identity import (add_user, api, api_token, csrf_of, ensure_tenant,
                      psql_one, quote, signed_in, unique, unique_email)

IBAN = "FR76 3000 6000 0112 3456 7890 189"
KEY = "armado-" + "k3y" * 6


class Organisation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.slug = unique("org-")
        cls.tid = ensure_tenant(cls.slug, "Flotte Réglages")
        cls.emails = {}
        cls.tok = {}
        for role in ("owner", "admin", "finance", "manager", "viewer"):
            email = unique_email(role)
            add_user(cls.slug, email, role)
            cls.emails[role] = email
            cls.tok[role] = api_token(cls.slug, email)
        cls.tok["reader"] = api_token(cls.slug, cls.emails["owner"], scope="read")
        cls.tok["other"] = api_token("other", "admin@other.test")

    def patch(self, body, who="owner", lang=None):
        headers = {"Accept-Language": lang} if lang else None
        return api("PATCH", "/api/v1/organisation", self.tok[who], body, headers=headers)

    def get(self, who="owner"):
        return api("GET", "/api/v1/organisation", self.tok[who])

    def test_1_fresh_organisation_has_nothing_set(self):
        r = self.get()
        self.assertEqual(r.status, 200, r.text)
        o = r.json()["data"]
        self.assertEqual(o["currency"], "EUR")
        self.assertEqual(o["name"], "Flotte Réglages")
        for k in ("bank_iban", "bank_bic", "bank_name", "armado_api_key",
                  "wps_employer_id", "wps_routing_code"):
            self.assertIsNone(o[k], k)

    def test_2_values_are_checked_and_normalised(self):
        r = self.patch({"bank_iban": IBAN, "bank_bic": "bnpa fr pp", "bank_name": "Flotte Réglages SAS",
                        "wps_employer_id": "9103", "wps_routing_code": "302210101"})
        self.assertEqual(r.status, 200, r.text)
        o = r.json()["data"]
        self.assertEqual(o["bank_iban"], "FR7630006000011234567890189")
        self.assertEqual(o["bank_bic"], "BNPAFRPP")
        self.assertEqual(o["bank_name"], "Flotte Réglages SAS")
        self.assertEqual(o["wps_employer_id"], "0000000009103")
        self.assertEqual(o["wps_routing_code"], "302210101")
        # Absent members keep their value; null clears.
        r = self.patch({"bank_name": None})
        self.assertEqual(r.status, 200, r.text)
        o = r.json()["data"]
        self.assertIsNone(o["bank_name"])
        self.assertEqual(o["bank_iban"], "FR7630006000011234567890189")
        self.assertEqual(self.get().json()["data"]["bank_bic"], "BNPAFRPP")

    def test_3_bad_values_are_refused_field_by_field(self):
        before = self.get().json()["data"]
        r = self.patch({"bank_iban": "FR76 3000 6000 0112 3456 7890 188",
                        "bank_bic": "BNPAFR1P", "wps_employer_id": "12345678901234",
                        "wps_routing_code": "30221010", "currency": "USD",
                        "bank_name": "x" * 71, "armado_api_key": "has space inside"})
        self.assertEqual(r.status, 422, r.text)
        err = r.json()["error"]
        self.assertEqual(err["code"], "validation_failed")
        self.assertEqual(set(err["fields"]), {"bank_iban", "bank_bic", "wps_employer_id",
                                              "wps_routing_code", "currency", "bank_name",
                                              "armado_api_key"})
        self.assertIn("clé de contrôle", err["fields"]["bank_iban"])
        self.assertIn("localisation", err["fields"]["bank_bic"])
        self.assertIn("13 chiffres", err["fields"]["wps_employer_id"])
        self.assertIn("9 chiffres", err["fields"]["wps_routing_code"])
        # A right key on the wrong length for France; a country the
        # registry does not know.  In English when asked.
        r = self.patch({"bank_iban": "FR2330006000011234567890"}, lang="en")
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("length", r.json()["error"]["fields"]["bank_iban"])
        r = self.patch({"bank_iban": "XX74 3000 6000 0112 3456 78"}, lang="en")
        self.assertIn("IBAN registry", r.json()["error"]["fields"]["bank_iban"])
        # The currency cannot be cleared.
        r = self.patch({"currency": None})
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("currency", r.json()["error"]["fields"])
        # Nothing of a refused request was kept.
        self.assertEqual(self.get().json()["data"], before)
        # Not a JSON object.
        self.assertEqual(api("PATCH", "/api/v1/organisation", self.tok["owner"], [1]).status, 400)

    def test_4_the_armado_key_is_sealed_masked_and_never_logged(self):
        r = self.patch({"armado_api_key": KEY})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["data"]["armado_api_key"], "••••")
        self.assertNotIn(KEY, r.text)
        for who in ("owner", "finance", "manager"):
            g = self.get(who)
            self.assertEqual(g.json()["data"]["armado_api_key"], "••••")
            self.assertNotIn(KEY, g.text)
        stored = psql_one("SELECT armado_api_key FROM organisation_settings"
                          f" WHERE tenant_id = {quote(self.tid)}")
        self.assertNotIn(KEY, stored)
        self.assertNotIn("k3yk3y", stored)
        self.assertGreater(len(stored), len(KEY))  # nonce and MAC around it
        # Changing something else keeps the key.
        self.patch({"bank_name": "Autre nom"})
        self.assertEqual(self.get().json()["data"]["armado_api_key"], "••••")
        for path in glob.glob(os.path.join(VAR, "log", "*")):
            with open(path, errors="replace") as f:
                self.assertNotIn(KEY, f.read(), path)
        # The screen neither shows it.
        s = signed_in(self.emails["owner"])
        page = s.get("/settings/organisation")
        self.assertEqual(page.status, 200)
        self.assertNotIn(KEY, page.text)
        self.assertIn("Une clé est enregistrée", page.text)
        # Cleared by null.
        r = self.patch({"armado_api_key": None})
        self.assertIsNone(r.json()["data"]["armado_api_key"])
        self.assertEqual(psql_one("SELECT count(*) FROM organisation_settings WHERE"
                                  f" tenant_id = {quote(self.tid)} AND armado_api_key IS NOT NULL"), "0")

    def test_5_roles(self):
        for who in ("finance", "manager", "admin"):
            self.assertEqual(self.get(who).status, 200, who)
        self.assertEqual(self.get("viewer").status, 403)
        for who in ("finance", "manager", "viewer"):
            self.assertEqual(self.patch({"bank_name": "Pirate"}, who).status, 403, who)
        self.assertEqual(self.patch({"bank_name": "Pirate"}, "reader").status, 403)
        self.assertEqual(self.patch({"bank_name": "Par l'admin"}, "admin").status, 200)
        self.assertEqual(api("GET", "/api/v1/organisation").status, 401)

    def test_6_another_organisation_sees_only_its_own(self):
        self.patch({"bank_iban": IBAN})
        o = self.get("other").json()["data"]
        self.assertNotEqual(o["name"], "Flotte Réglages")
        r = api("PATCH", "/api/v1/organisation", self.tok["other"], {"bank_name": "Autre"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.get().json()["data"]["bank_iban"], "FR7630006000011234567890189")
        self.assertNotEqual(self.get().json()["data"]["bank_name"], "Autre")

    def test_7_screen_saves_with_csrf_and_shows_errors(self):
        s = signed_in(self.emails["admin"])
        page = s.get("/settings/organisation")
        self.assertEqual(page.status, 200)
        self.assertIn('name="bank_iban"', page.text)
        form = {"currency": "EUR", "bank_name": "Flotte Écran", "bank_iban": IBAN,
                "bank_bic": "BNPAFRPP", "wps_employer_id": "", "wps_routing_code": "",
                "armado_api_key": ""}
        self.assertEqual(s.post("/settings/organisation", form, csrf=False).status, 403)
        bad = dict(form, bank_iban="FR76 3000 6000 0112 3456 7890 188")
        r = s.post("/settings/organisation", bad, csrf=csrf_of(page))
        self.assertEqual(r.status, 422)
        self.assertIn("la clé de contrôle ne correspond pas", r.text)
        self.assertIn("FR76 3000 6000 0112 3456 7890 188", r.text)  # kept as typed
        r = s.post("/settings/organisation", form, csrf=csrf_of(page))
        self.assertEqual(r.status, 303, r.text[:500])
        o = self.get().json()["data"]
        self.assertEqual(o["bank_name"], "Flotte Écran")
        self.assertIsNone(o["wps_employer_id"])  # blank clears
        # A blank key keeps the stored one; the box clears it.
        self.patch({"armado_api_key": KEY})
        s.post("/settings/organisation", form, csrf=csrf_of(page))
        self.assertEqual(self.get().json()["data"]["armado_api_key"], "••••")
        s.post("/settings/organisation", dict(form, armado_clear="1"), csrf=csrf_of(page))
        self.assertIsNone(self.get().json()["data"]["armado_api_key"])
        self.assertIn("organisation.updated", psql_one(
            "SELECT string_agg(type, ',') FROM activities WHERE"
            f" tenant_id = {quote(self.tid)}"))
        # A manager reads the screen without a save button, and cannot post.
        m = signed_in(self.emails["manager"])
        page = m.get("/settings/organisation")
        self.assertEqual(page.status, 200)
        self.assertNotIn('type="submit"', page.text.split("<main")[-1].split("</form>")[0])
        self.assertEqual(m.post("/settings/organisation", form, csrf=csrf_of(page)).status, 403)
        self.assertEqual(signed_in(self.emails["viewer"]).get("/settings/organisation").status, 403)


if __name__ == "__main__":
    unittest.main()
