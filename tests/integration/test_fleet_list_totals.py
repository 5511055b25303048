"""The totals of the unfiltered vehicles and drivers lists come from a
table kept by triggers (migration 0010), not from a count at every
request: after every kind of change they must still equal what a count
of the rows finds, through the API and the screens, for one organisation
only."""
import re
import unittest

from identity import (api, api_token, ensure_tenant, new_plate, psql, psql_one, quote,
                      signed_in, tenant_id, unique, user_id)

TENANT = "demo"


def counted(table, tenant=TENANT):
    """The truth: the rows a count finds (as the owner, no policy)."""
    return int(psql_one(f"SELECT count(*) FROM {table} t JOIN tenants o ON o.id = t.tenant_id"
                        f" WHERE o.slug = {quote(tenant)} AND t.archived_at IS NULL"))


def kept(table, tenant=TENANT):
    out = psql_one(f"SELECT coalesce((SELECT total FROM list_totals l JOIN tenants o ON"
                   f" o.id = l.tenant_id WHERE o.slug = {quote(tenant)} AND l.list = {quote(table)}), 0)")
    return int(out)


class ListTotals(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tok = api_token(TENANT, "manager@demo.test")
        cls.other = api_token("other", "admin@other.test")

    def api_total(self, path, tok=None):
        r = api("GET", path, tok or self.tok)
        self.assertEqual(r.status, 200, r.text)
        return r.json()["pagination"]["total"]

    def assert_agree(self, table):
        truth = counted(table)
        self.assertEqual(kept(table), truth, f"{table}: kept total differs from the count")
        self.assertEqual(self.api_total(f"/api/v1/{table}?limit=1"), truth)
        return truth

    def test_vehicles_created_archived_and_deleted(self):
        before = self.assert_agree("vehicles")
        other_before = self.api_total("/api/v1/vehicles?limit=1", self.other)
        ids = []
        for _ in range(3):
            r = api("POST", "/api/v1/vehicles", self.tok,
                    {"plate": new_plate(), "make": "Kia", "model": "Niro", "energy": "hybride"})
            self.assertEqual(r.status, 201, r.text)
            ids.append(r.json()["data"]["id"])
        self.assertEqual(self.assert_agree("vehicles"), before + 3)
        self.assertEqual(api("DELETE", f"/api/v1/vehicles/{ids[0]}", self.tok).status, 200)
        self.assertEqual(self.assert_agree("vehicles"), before + 2)
        # An update that does not archive changes nothing.
        r = api("PATCH", f"/api/v1/vehicles/{ids[1]}", self.tok, {"color": "Gris"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.assert_agree("vehicles"), before + 2)
        # Rows removed for good (as a tenant's deletion or a cleanup would).
        psql(f"DELETE FROM vehicles WHERE id IN ({quote(ids[1])}, {quote(ids[2])})")
        self.assertEqual(self.assert_agree("vehicles"), before)
        self.assertEqual(self.api_total("/api/v1/vehicles?limit=1", self.other), other_before)

    def test_several_rows_in_one_statement(self):
        before = self.assert_agree("vehicles")
        tag = unique("TT")[:8].upper()
        psql("INSERT INTO vehicles (tenant_id, plate, make, model, energy)"
             f" SELECT o.id, {quote(tag)} || '-' || i, 'Skoda', 'Octavia', 'diesel'"
             f" FROM tenants o, generate_series(1, 5) i WHERE o.slug = {quote(TENANT)}")
        self.assertEqual(self.assert_agree("vehicles"), before + 5)
        psql(f"UPDATE vehicles SET archived_at = now(), status = 'archive' WHERE plate LIKE {quote(tag + '-%')}"
             " AND plate <> " + quote(tag + "-1"))
        self.assertEqual(self.assert_agree("vehicles"), before + 1)
        psql(f"UPDATE vehicles SET archived_at = NULL, status = 'actif' WHERE plate LIKE {quote(tag + '-%')}")
        self.assertEqual(self.assert_agree("vehicles"), before + 5)
        psql(f"DELETE FROM vehicles WHERE plate LIKE {quote(tag + '-%')}")
        self.assertEqual(self.assert_agree("vehicles"), before)

    def test_drivers_created_departed_and_back(self):
        before = self.assert_agree("drivers")
        r = api("POST", "/api/v1/drivers", self.tok,
                {"first_name": "Lina", "last_name": unique("Total"), "status": "actif"})
        self.assertEqual(r.status, 201, r.text)
        did = r.json()["data"]["id"]
        self.assertEqual(self.assert_agree("drivers"), before + 1)
        self.assertEqual(api("DELETE", f"/api/v1/drivers/{did}", self.tok).status, 200)
        self.assertEqual(self.assert_agree("drivers"), before)
        # A status other than « parti » brings the driver back.
        r = api("PATCH", f"/api/v1/drivers/{did}", self.tok, {"status": "actif"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.assert_agree("drivers"), before + 1)

    def test_filtered_lists_still_count_their_rows(self):
        total = self.assert_agree("vehicles")
        actifs = int(psql_one("SELECT count(*) FROM vehicles v JOIN tenants o ON o.id = v.tenant_id"
                              f" WHERE o.slug = {quote(TENANT)} AND v.archived_at IS NULL"
                              " AND v.status = 'actif'"))
        self.assertLess(actifs, total)
        self.assertEqual(self.api_total("/api/v1/vehicles?limit=1&status=actif"), actifs)

    def test_the_screens_show_the_same_totals(self):
        s = signed_in("manager@demo.test")
        for table in ("vehicles", "drivers"):
            page = s.get(f"/{table}")
            self.assertEqual(page.status, 200)
            shown = re.sub(r"\D", "", re.search(r'<p class="help" role="status">([^<]+)</p>',
                                                 page.text).group(1))
            self.assertEqual(int(shown), counted(table), table)

    def test_a_driver_cannot_read_the_fleet_size(self):
        tid = tenant_id(TENANT)

        def seen_by(email):
            rows = psql(f"BEGIN; SET LOCAL app.tenant_id = {quote(tid)};"
                        f" SET LOCAL app.user_id = {quote(user_id(email))};"
                        " SELECT 'n=' || count(*) FROM list_totals; ROLLBACK;", role="fleetcore_app")
            return [r for r in rows if r.startswith("n=")]
        self.assertEqual(seen_by("viewer@demo.test"), ["n=2"])
        self.assertEqual(seen_by("chauffeur@demo.test"), ["n=0"])

    def test_an_organisation_deleted_takes_its_totals(self):
        slug = unique("tot")
        tid = ensure_tenant(slug, "Totaux")
        psql("INSERT INTO vehicles (tenant_id, plate, make, model, energy)"
             f" VALUES ({quote(tid)}, 'TO-123-TA', 'Kia', 'Niro', 'hybride')")
        self.assertEqual(kept("vehicles", slug), 1)
        psql(f"DELETE FROM tenants WHERE id = {quote(tid)}")
        self.assertEqual(psql_one(f"SELECT count(*) FROM list_totals WHERE tenant_id = {quote(tid)}"), "0")


if __name__ == "__main__":
    unittest.main()
