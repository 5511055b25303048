"""The driver's landing page: a driver signs in onto /portal (and "/" leads
there), sees their own record, documents and current vehicle and nothing
of another driver's, downloads their own files only."""
import html
import re
import unittest

from identity import Session, add_user, psql, psql_one, quote, signed_in, unique

DRIVER = "chauffeur@demo.test"


def demo(sql):
    return psql_one(sql.replace("DEMO", "(SELECT id FROM tenants WHERE slug = 'demo')"))


def text_of(page):
    main = page.text[page.text.index("<main"):]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


class DriverLanding(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.driver_id = demo("SELECT d.id FROM drivers d JOIN users u ON u.id = d.user_id"
                             f" WHERE u.email = {quote(DRIVER)} AND d.tenant_id = DEMO")
        cls.s = signed_in(DRIVER)
        cls.page = cls.s.get("/portal")

    def test_sign_in_and_the_home_lead_a_driver_to_the_portal(self):
        s = Session()
        r = s.sign_in(DRIVER)
        self.assertEqual((r.status, r.header("location")), (303, "/portal"))
        r = s.get("/")
        self.assertEqual((r.status, r.header("location")), (303, "/portal"))
        self.assertEqual(s.get("/login").header("location"), "/portal")
        # The others still land on the dashboard.
        r = Session().sign_in("manager@demo.test")
        self.assertEqual((r.status, r.header("location")), (303, "/"))

    def test_the_page_shows_the_drivers_own_record(self):
        self.assertEqual(self.page.status, 200)
        text = text_of(self.page)
        row = psql(f"SELECT first_name || ' ' || last_name, phone, right(iban, 4) FROM drivers"
                   f" WHERE id = {quote(self.driver_id)}")[0].split("|")
        self.assertIn(f"Bonjour {row[0]}", text)
        self.assertIn(row[1], text)
        self.assertIn(f"•••• {row[2]}", text)
        # The full IBAN is not on a page a phone may leave open.
        full = psql_one(f"SELECT iban FROM drivers WHERE id = {quote(self.driver_id)}")
        self.assertNotIn(full, self.page.text)

    def test_the_vehicle_driven_now(self):
        plate = demo("SELECT v.plate FROM assignments a JOIN vehicles v ON v.id = a.vehicle_id"
                     f" WHERE a.driver_id = {quote(self.driver_id)} AND a.starts_at <= now()"
                     " AND (a.ends_at IS NULL OR a.ends_at > now())")
        self.assertIsNotNone(plate, "the demo's chauffeur drives a vehicle")
        section = self.page.text[self.page.text.index('id="vehicle"'):]
        section = section[:section.index("</section>")]
        self.assertIn(plate, section)
        # Vehicles driven before are not « Mon véhicule ».
        for old in psql("SELECT v.plate FROM assignments a JOIN vehicles v ON v.id = a.vehicle_id"
                        f" WHERE a.driver_id = {quote(self.driver_id)} AND a.ends_at < now()"
                        f" AND v.plate <> {quote(plate)}"):
            self.assertNotIn(old, section)

    def test_own_documents_only_and_their_files(self):
        mine = psql("SELECT file_name FROM documents WHERE superseded_by IS NULL"
                    f" AND driver_id = {quote(self.driver_id)}")
        self.assertTrue(mine, "the demo loads documents for its chauffeur")
        text = text_of(self.page)
        for name in mine:
            self.assertIn(name, text)
        others = psql("SELECT id || '|' || file_name FROM documents WHERE tenant_id ="
                      " (SELECT id FROM tenants WHERE slug = 'demo') AND (driver_id IS NULL OR"
                      f" driver_id <> {quote(self.driver_id)}) LIMIT 5")
        self.assertTrue(others)
        for row in others:
            doc_id, name = row.split("|", 1)
            self.assertNotIn(doc_id, self.page.text)
            # Another driver's or a vehicle's file: as if it did not exist.
            self.assertEqual(self.s.get(f"/portal/documents/{doc_id}/file").status, 404)
        links = re.findall(r'href="(/portal/documents/[0-9a-f-]{36}/file)"', self.page.text)
        self.assertTrue(links)
        r = self.s.get(links[0])
        self.assertEqual(r.status, 200)
        self.assertIn(r.header("content-type"), ("application/pdf", "image/png", "image/jpeg"))
        # The fleet's own download route stays for members.
        self.assertEqual(self.s.get(links[0].replace("/portal", "")).status, 403)

    def test_no_form_to_change_anything(self):
        main = self.page.text[self.page.text.index("<main"):]
        self.assertNotIn("<form", main)

    def test_english(self):
        # The driver's own setting (« Mon profil ») decides the language.
        was = psql_one(f"SELECT locale FROM users WHERE email = {quote(DRIVER)}")
        psql(f"UPDATE users SET locale = 'en' WHERE email = {quote(DRIVER)}")
        try:
            text = text_of(signed_in(DRIVER).get("/portal"))
        finally:
            psql(f"UPDATE users SET locale = {quote(was)} WHERE email = {quote(DRIVER)}")
        self.assertIn("My vehicle", text)
        self.assertIn("My documents", text)
        self.assertNotIn("Mon véhicule", text)

    def test_a_member_without_a_driver_record_is_told_so(self):
        r = signed_in("manager@demo.test").get("/portal")
        self.assertEqual(r.status, 200)
        self.assertIn("aucune fiche chauffeur", text_of(r))
        # A driver account not linked to a record yet, likewise.
        email = f"{unique('portail-')}@demo.test"
        add_user("demo", email, "driver")
        r = signed_in(email).get("/portal")
        self.assertEqual(r.status, 200)
        self.assertIn("aucune fiche chauffeur", text_of(r))


if __name__ == "__main__":
    unittest.main()
