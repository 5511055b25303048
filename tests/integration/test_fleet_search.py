"""The lists' search goes through vehicles_matching and drivers_matching
(migration 0011), which run as the tables' owner so that the trigram
indexes serve: they must apply the organisation's rule themselves, never
answer a driver, and search what the lists promise."""
import re
import unittest
import uuid

from identity import api, api_token, new_plate, psql, quote, tenant_id, user_id

TENANT = "demo"


def as_app(tenant, email, sql):
    """One value a statement gives, acting for email in tenant."""
    rows = psql(f"BEGIN; SET LOCAL app.tenant_id = {quote(tenant_id(tenant))};"
                f" SET LOCAL app.user_id = {quote(user_id(email))};"
                f" SELECT 'v=' || ({sql}); ROLLBACK;", role="fleetcore_app")
    return [r[2:] for r in rows if r.startswith("v=")][0]


class Search(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tok = api_token(TENANT, "manager@demo.test")
        cls.other = api_token("other", "admin@other.test")
        cls.vin = "VF1" + uuid.uuid4().hex[:14].upper().replace("I", "J").replace("O", "P")
        r = api("POST", "/api/v1/vehicles", cls.other,
                {"plate": new_plate(), "make": "Dacia", "model": "Jogger", "energy": "gpl",
                 "vin": cls.vin})
        assert r.status == 201, r.text
        cls.foreign = r.json()["data"]
        r = api("POST", "/api/v1/drivers", cls.other,
                {"first_name": "Odile", "last_name": f"Ailleurs{uuid.uuid4().hex[:6]}"})
        assert r.status == 201, r.text
        cls.foreign_driver = r.json()["data"]

    def ids(self, path, tok=None):
        r = api("GET", path, tok or self.tok)
        self.assertEqual(r.status, 200, r.text)
        return [x["id"] for x in r.json()["data"]]

    def test_vehicles_by_plate_make_model_or_vin_in_any_case(self):
        v = self.foreign
        plate = v["plate"]
        for q in (plate[:6].lower(), "dacia", "JOGGER", self.vin[5:12].lower()):
            with self.subTest(q=q):
                self.assertIn(v["id"], self.ids(f"/api/v1/vehicles?q={q}&limit=100", self.other))
        self.assertEqual(self.ids("/api/v1/vehicles?q=_", self.other), [], "_ is text, not a wildcard")

    def test_a_filtered_list_counts_every_match_on_every_page(self):
        """The total of a filtered list rides on its page's rows; a page
        past the end has none and still tells the total."""
        expected = int(as_app(TENANT, "manager@demo.test",
                              "SELECT count(*) FROM vehicles WHERE archived_at IS NULL"
                              " AND status = 'actif' AND lower(plate || ' ' || make || ' ' ||"
                              " model || ' ' || coalesce(vin, '')) LIKE '%e%'"))
        self.assertGreater(expected, 3)
        seen = []
        for page in range(1, expected // 3 + 3):
            r = api("GET", f"/api/v1/vehicles?q=e&status=actif&limit=3&page={page}", self.tok)
            self.assertEqual(r.status, 200, r.text)
            body = r.json()
            self.assertEqual(body["pagination"]["total"], expected, f"page {page}")
            self.assertEqual(body["pagination"]["has_next"], page * 3 < expected)
            seen += [x["id"] for x in body["data"]]
        self.assertEqual(len(seen), expected)
        self.assertEqual(len(set(seen)), expected)
        empty = api("GET", "/api/v1/vehicles?q=zzzzqqqq&status=actif", self.tok).json()
        self.assertEqual((empty["data"], empty["pagination"]["total"]), ([], 0))

    def test_another_organisation_finds_nothing(self):
        self.assertEqual(self.ids(f"/api/v1/vehicles?q={self.foreign['plate']}"), [])
        self.assertEqual(self.ids(f"/api/v1/drivers?q={self.foreign_driver['last_name']}"), [])
        # The functions themselves, acting for demo: nothing of "other".
        self.assertEqual(as_app(TENANT, "manager@demo.test",
                                f"SELECT count(*) FROM vehicles_matching({quote(self.vin)})"), "0")
        self.assertEqual(as_app(TENANT, "manager@demo.test",
                                "SELECT count(*) FROM drivers_matching("
                                f"{quote(self.foreign_driver['last_name'])}, '')"), "0")
        # Control: acting for "other", they find them.
        self.assertEqual(as_app("other", "admin@other.test",
                                f"SELECT count(*) FROM vehicles_matching({quote(self.vin)})"), "1")
        self.assertEqual(as_app("other", "admin@other.test",
                                "SELECT count(*) FROM drivers_matching("
                                f"{quote(self.foreign_driver['last_name'])}, '')"), "1")

    def test_a_driver_gets_nothing_from_them(self):
        self.assertNotEqual(as_app(TENANT, "manager@demo.test",
                                   "SELECT count(*) FROM vehicles_matching('')"), "0")
        self.assertEqual(as_app(TENANT, "chauffeur@demo.test",
                                "SELECT count(*) FROM vehicles_matching('')"), "0")
        self.assertEqual(as_app(TENANT, "chauffeur@demo.test",
                                "SELECT count(*) FROM drivers_matching('', '6')"), "0")

    def test_the_indexes_serve_a_search(self):
        """Each function's own LIKE condition, explained alone with only
        bitmap scans allowed: only a trigram index can serve it, and only
        if its expression is the index's."""
        for fn, table, index in (("vehicles_matching", "vehicles v", "vehicles__search__idx"),
                                 ("drivers_matching", "drivers d", "drivers__search__idx"),
                                 ("drivers_matching", "drivers d", "drivers__phone__idx")):
            body = " ".join(psql(f"SELECT prosrc FROM pg_proc WHERE proname = {quote(fn)}"))
            likes = re.findall(r"AND\s+((?:lower\(.*?\)|d\.phone)\s+LIKE '%' \|\| [^\n]*?'%')", body)
            self.assertTrue(likes, body)
            hit = False
            for like in likes:
                like = like.replace("lower(p_pattern)", "'karim'").replace("p_digits", "'612'")
                plan = psql(f"BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;"
                            f" SET LOCAL enable_indexonlyscan = off; EXPLAIN SELECT 1 FROM {table}"
                            f" WHERE {like}; ROLLBACK;")
                hit = hit or any(index in line for line in plan)
            with self.subTest(fn=fn, index=index):
                self.assertTrue(hit, f"{index} serves none of {likes}")


if __name__ == "__main__":
    unittest.main()
