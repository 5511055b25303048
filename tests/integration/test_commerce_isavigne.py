"""iSaVigne exports through the API: the four files uploaded as several
parts or one zip fill customers, products, sales lines and stock levels
with their normalisations (UTF-8 with BOM and Windows-1252, decimal
commas, French dates, names split on the first space, phones in E.164,
labels and packagings to our words, quantities in bottles and 75 cl
equivalents from the packaging table); a re-run changes nothing; stock
is a full snapshot; a header that appears or disappears is schema drift;
a malformed file loads nothing; the lists, their filters and each row by
id; another tenant and a driver see none of it."""
import unittest

from commerce_helpers import ALL, CommerceBase, fixture, zipped
from identity import psql, psql_one, quote, signed_in, tenant_id
from test_sources import api


class Isavigne(CommerceBase):
    def test_four_files_fill_the_commerce_tables(self):
        s = self.isavigne()
        run = self.sync_files(s["id"], ALL)
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["rows_inserted"], 6 + 4 + 6 + 4)

        products = {p["source_key"]: p for p in self.listed("/products", s["id"])}
        self.assertEqual(set(products), {"VR-2019", "VB-2022", "RS-2023", "MG-2018",
                                         "BIB-ROUGE", "CR-BRUT"})
        vr = products["VR-2019"]
        self.assertEqual((vr["category"], vr["price_segment"], vr["list_price_cents"]),
                         ("rouge", "entree", 1250))
        self.assertEqual(vr["product_key"], "isavigne:VR-2019")
        self.assertEqual(vr["alcohol_pct"], 14.5)
        self.assertEqual(vr["vintage"], 2019)
        self.assertEqual(products["VB-2022"]["category"], "blanc")
        self.assertEqual(products["VB-2022"]["price_segment"], "standard")
        self.assertEqual(products["RS-2023"]["category"], "rose")
        self.assertEqual(products["MG-2018"]["category"], "rouge")
        self.assertEqual(products["MG-2018"]["packaging"], "magnum")
        self.assertEqual(products["MG-2018"]["price_segment"], "premium")
        self.assertEqual(products["BIB-ROUGE"]["packaging"], "bib3l")
        cr = products["CR-BRUT"]
        self.assertEqual((cr["category"], cr["list_price_cents"], cr["price_segment"],
                          cr["active"]), ("mousseux", 118000, "luxe", False))

        customers = {c["source_key"]: c for c in self.listed("/customers", s["id"])}
        jp = customers["C001"]
        self.assertEqual((jp["first_name"], jp["last_name"]), ("Jean-Pierre", "de La Tour"))
        self.assertEqual(jp["email"], "jp.delatour@example.fr")
        self.assertEqual((jp["phone"], jp["mobile"]), ("+33145678910", "+33612345678"))
        self.assertEqual(jp["segment"], "PROSPECT")
        self.assertEqual(jp["source"], f"isavigne_{s['id']}")
        self.assertEqual(jp["customer_key"], "isavigne:C001")
        el = customers["C002"]
        self.assertEqual((el["first_name"], el["last_name"]), ("Élodie", "Marchand"))
        self.assertTrue(el["optout_email"])
        self.assertFalse(el["optout_sms"])
        self.assertEqual(el["mobile"], "+33781223344")
        self.assertEqual(customers["C003"]["last_name"], "Œnologie Pérignon")
        self.assertEqual(customers["C003"]["phone"], "+33490112233")
        self.assertTrue(customers["C003"]["optout_sms"])
        self.assertEqual((customers["C004"]["first_name"], customers["C004"]["last_name"]),
                         (None, "Müller"))
        # Purchase figures from the lines.
        self.assertEqual(jp["total_spent_cents"], 20600)
        self.assertEqual(jp["purchase_count"], 2)
        self.assertEqual(jp["average_order_cents"], 10300)
        self.assertEqual(jp["preferred_category"], "rouge")
        self.assertEqual((jp["first_purchase_on"], jp["last_purchase_on"]),
                         ("2026-11-03", "2026-11-15"))

        lines = self.listed("/sales-lines", s["id"])
        self.assertEqual(len(lines), 6)
        by = {(l["order_ref"], l["product_ref"]): l for l in lines}
        case = by[("F2026-001", "VR-2019")]
        self.assertEqual((case["quantity_units"], case["quantity_bottles"],
                          case["quantity_75cl_eq"]), (2, 12, 12))
        self.assertEqual((case["unit_price_cents"], case["total_cents"]), (7500, 15000))
        self.assertEqual(case["sold_on"], "2026-11-03")
        self.assertEqual(case["customer"]["id"], jp["id"])
        self.assertEqual(case["product"]["id"], vr["id"])
        mg = by[("F2026-001", "MG-2018")]
        self.assertEqual((mg["quantity_bottles"], mg["quantity_75cl_eq"]), (1, 2))
        bib = by[("F2026-003", "BIB-ROUGE")]
        self.assertEqual((bib["quantity_bottles"], bib["quantity_75cl_eq"]), (4, 16))
        demi = by[("F2026-004", "RS-2023")]
        self.assertEqual((demi["packaging"], demi["quantity_75cl_eq"]), ("demi", 1))
        orphan = by[("F2026-005", "VR-2019")]
        self.assertIsNone(orphan["customer_id"])
        self.assertEqual(orphan["customer_ref"], "C999")
        # The file's money reconciles with what was loaded.
        self.assertEqual(run["file_totals"]["total_cents"], 36850)
        self.assertEqual(run["loaded_totals"]["total_cents"], 36850)
        # Filters: a customer's lines, the lines without one, a period.
        mine = self.listed("/sales-lines", s["id"], customer_id=jp["id"])
        self.assertEqual(len(mine), 3)
        self.assertEqual(len(self.listed("/sales-lines", s["id"], customer_id="none")), 1)
        self.assertEqual(len(self.listed("/sales-lines", s["id"], **{"from": "2026-11-10",
                                                                     "to": "2026-11-16"})), 2)
        self.assertEqual(api("GET", "/sales-lines?customer_id=abc", self.viewer).status, 422)

        stock = {k["source_key"]: k for k in self.listed("/stock-levels", s["id"])}
        self.assertEqual(stock["VR-2019@Chai"]["quantity"], 120)
        self.assertEqual(stock["VR-2019@Chai"]["available"], 108)
        self.assertEqual(stock["RS-2023@Boutique"]["quantity"], 36.5)
        self.assertEqual(stock["VR-2019@Chai"]["product"]["id"], vr["id"])

        # Search and one row by id.
        found = self.listed("/customers", s["id"], q="marchand")
        self.assertEqual([c["source_key"] for c in found], ["C002"])
        one = api("GET", f"/customers/{jp['id']}", self.viewer)
        self.assertEqual(one.status, 200)
        self.assertEqual(one.json()["data"]["email"], "jp.delatour@example.fr")
        self.assertEqual(api("GET", f"/sales-lines/{case['id']}", self.viewer)
                         .json()["data"]["quantity_75cl_eq"], 12)
        self.assertEqual(len(self.listed("/products", s["id"], category="rouge")), 3)
        self.assertEqual(len(self.listed("/products", s["id"], active="active")), 5)

        # The same files again change nothing.
        again = self.sync_files(s["id"], ALL)
        self.assertEqual(again["status"], "reussi", again)
        self.assertEqual((again["rows_inserted"], again["rows_updated"]), (0, 0))
        self.assertEqual(again["rows_unchanged"], 20)

    def test_zip_stock_snapshot_and_schema_drift(self):
        s = self.isavigne()
        run = self.sync_zip(s["id"], zipped(ALL, {"ventes.csv": "export/Ventes_2026-11.csv"}))
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(len(self.listed("/sales-lines", s["id"])), 6)
        # The next stock file no longer lists RS-2023: its row is zero.
        nxt = self.sync_zip(s["id"], zipped(["stock_suivant.csv"],
                                            {"stock_suivant.csv": "stock.csv"}))
        self.assertEqual(nxt["status"], "reussi", nxt)
        stock = {k["source_key"]: k for k in self.listed("/stock-levels", s["id"])}
        self.assertEqual(stock["RS-2023@Boutique"]["quantity"], 0)
        self.assertEqual(stock["VR-2019@Chai"]["quantity"], 100)
        self.assertEqual(nxt["rows_updated"], 2)
        # A column that appeared and one that disappeared since the last
        # sales file.
        drift = self.sync_files(s["id"], ["ventes_drift.csv"])
        self.assertEqual(drift["status"], "reussi", drift)
        f = drift["dialect"]["files"][0]
        self.assertEqual(f["stream"], "ventes")
        self.assertEqual(f["schema_drift"], {"added": ["remise"], "removed": ["canal"]})

    def test_bad_files_load_nothing(self):
        s = self.isavigne()
        run = self.sync_files(s["id"], ["produits.csv", "ventes_guillemet.csv"])
        self.assertEqual(run["status"], "echec", run)
        self.assertIn("Fichier refusé", run["message"])
        self.assertEqual(len(self.listed("/products", s["id"])), 0)
        odd = api("POST", f"/sources/{s['id']}/sync", self.manager,
                  files=[("file", "factures.csv", "text/csv", fixture("ventes.csv"))])
        self.assertEqual(odd.status, 202)
        failed = self.wait(odd.json()["data"]["run_id"])
        self.assertEqual(failed["status"], "echec")
        self.assertIn("Aucun fichier iSaVigne reconnu", failed["message"])
        broken = self.sync_zip(s["id"], b"PK\x03\x04" + b"\x00" * 60)
        self.assertEqual(broken["status"], "echec")
        self.assertIn("zip", broken["message"])

    def test_tenants_roles_and_pages(self):
        s = self.isavigne()
        self.assertEqual(self.sync_files(s["id"], ALL)["status"], "reussi")
        cid = self.listed("/customers", s["id"])[0]["id"]
        for path in ("/customers", "/products", "/sales-lines", "/stock-levels",
                     "/contact-history"):
            r = api("GET", f"{path}?source_id={s['id']}", self.other)
            self.assertEqual(r.status, 200, path)
            self.assertEqual(r.json()["data"], [], path)
            self.assertEqual(api("GET", path, None).status, 401, path)
        self.assertEqual(api("GET", f"/customers/{cid}", self.other).status, 404)
        # Only managers start syncs.
        r = api("POST", f"/sources/{s['id']}/sync", self.viewer,
                files=[("file", "clients.csv", "text/csv", fixture("clients.csv"))])
        self.assertEqual(r.status, 403)
        # A driver reaches none of it, and row-level security hides
        # every commerce row from a driver's connection.
        driver = signed_in("chauffeur@demo.test")
        self.assertEqual(driver.get("/customers").status, 403)
        tid = tenant_id("demo")
        uid = psql_one("SELECT id FROM users WHERE email = 'chauffeur@demo.test'")
        for table in ("customers", "product_catalog", "sales_lines", "stock_levels",
                      "contact_history", "packaging_units"):
            seen = psql(f"BEGIN; SET LOCAL app.tenant_id = {quote(tid)};"
                        f" SET LOCAL app.user_id = {quote(uid)};"
                        f" SELECT count(*) FROM {table}; ROLLBACK;", role="fleetcore_app")
            self.assertEqual(seen, ["0"], table)
            staff = psql(f"BEGIN; SET LOCAL app.tenant_id = {quote(tid)};"
                         f" SELECT count(*) > 0 FROM {table}; ROLLBACK;", role="fleetcore_app")
            if table != "contact_history":
                self.assertEqual(staff, ["t"], table)
        web = signed_in("viewer@demo.test")
        for path, text in (("/customers", "Jean-Pierre de La Tour"),
                           ("/products", "Cuvée des Coteaux rouge 2019"),
                           ("/sales-lines", "F2026-001"),
                           ("/stock-levels", "Chai"),
                           ("/contact-history", "Historique des contacts")):
            page = web.get(f"{path}?source_id={s['id']}")
            self.assertEqual(page.status, 200, path)
            self.assertIn(text, page.text, path)
        products = web.get("/products?source_id=" + s["id"]).text
        self.assertIn("Luxe (≥ 75 €)", products)
        self.assertIn("Mousseux", products)


if __name__ == "__main__":
    unittest.main()
