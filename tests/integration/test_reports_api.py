"""« Rapports »: the list of reports, each report as JSON whose rows and
totals agree with a direct SQL computation over the trips, as CSV, XLSX
and PDF (read back with pdftotext: it holds the totals the page shows,
on the page count pdfinfo gives), as a page; unknown reports and formats,
bad periods, who may read them."""
import html
import os
import re
import subprocess
import tempfile
import unittest
import uuid

from identity import add_user, api, api_token, ensure_tenant, psql, psql_one, quote, signed_in, unique

NAMES = ["revenue-by-driver", "revenue-by-vehicle", "revenue-by-platform",
         "vehicle-profitability", "documents-due", "imports"]


def euros(cents):
    s = f"{abs(cents) // 100:,}".replace(",", "\u202f") + f",{abs(cents) % 100:02d}\u00a0€"
    return ("-" if cents < 0 else "") + s


class Reports(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.slug = unique("rep")
        cls.tenant = ensure_tenant(cls.slug, "Rapports " + cls.slug)
        T = quote(cls.tenant)
        cls.manager = f"manager-{cls.slug}@test.test"
        add_user(cls.slug, cls.manager, "manager")
        cls.tok = api_token(cls.slug, cls.manager, scope="read")
        cls.vehicles = psql(
            "INSERT INTO vehicles (tenant_id, plate, make, model, energy, monthly_cost_cents)"
            f" SELECT {T}, 'RP-' || lpad(g::text, 3, '0') || '-AA', 'Renault', 'Zoe', 'electrique',"
            " 60000 FROM generate_series(1, 3) g RETURNING plate")
        cls.drivers = psql("INSERT INTO drivers (tenant_id, first_name, last_name, status)"
                           f" SELECT {T}, 'Rapport', 'D' || g, 'actif' FROM generate_series(1, 3) g"
                           " RETURNING id")
        rows = []
        for i in range(60):
            d, plate = cls.drivers[i % 3], cls.vehicles[i % 3]
            rows.append(f"({T}, 'r', {quote(uuid.uuid4())}, {quote(['uber', 'bolt', 'heetch'][i % 3])},"
                        f" {quote(d)}, {quote(plate)}, 'terminee', ('2026-11-02'::date + {i % 7}"
                        f" + time '12:00')::timestamp AT TIME ZONE 'Europe/Paris', {1000 + i * 37},"
                        f" {800 + i * 29})")
        psql("INSERT INTO trips (tenant_id, source, source_key, platform, driver_id, vehicle_plate,"
             " status, started_at, gross_fare_cents, net_earnings_cents) VALUES " + ", ".join(rows),
             role="fleetcore_owner")
        cls.q = "from=2026-11-02&to=2026-11-08"

    def get(self, name, fmt="json", q=None):
        return api("GET", f"/api/v1/reports/{name}?{q or self.q}&format={fmt}", self.tok)

    def test_the_list(self):
        r = api("GET", "/api/v1/reports", self.tok)
        self.assertEqual(r.status, 200)
        self.assertEqual([x["name"] for x in r.json()["data"]], NAMES)
        for x in r.json()["data"]:
            self.assertEqual(x["formats"], ["json", "csv", "xlsx", "pdf"])

    def test_every_report_answers_json(self):
        for name in NAMES:
            r = self.get(name)
            self.assertEqual(r.status, 200, name)
            self.assertIsInstance(r.json()["data"]["rows"], list)

    def test_revenue_by_driver_against_sql(self):
        data = self.get("revenue-by-driver").json()["data"]
        want = psql("SELECT d.first_name || ' ' || d.last_name, sum(t.gross_fare_cents),"
                    " sum(t.net_earnings_cents), count(*) FROM trips t JOIN drivers d ON d.id ="
                    f" t.driver_id WHERE t.tenant_id = {quote(self.tenant)} GROUP BY 1 ORDER BY 2 DESC")
        got = [f"{r['name']}|{r['gross_cents']}|{r['net_cents']}|{r['trips']}" for r in data["rows"]]
        self.assertEqual(got, want)
        self.assertEqual(data["totals"]["gross_cents"], sum(r["gross_cents"] for r in data["rows"]))

    def test_revenue_by_vehicle_and_platform_total_the_same(self):
        total = int(psql_one(f"SELECT sum(gross_fare_cents) FROM trips WHERE tenant_id = {quote(self.tenant)}"))
        for name in ("revenue-by-vehicle", "revenue-by-platform", "revenue-by-driver"):
            self.assertEqual(self.get(name).json()["data"]["totals"]["gross_cents"], total, name)

    def test_vehicle_profitability(self):
        rows = self.get("vehicle-profitability").json()["data"]["rows"]
        self.assertEqual(len(rows), 3)
        for r in rows:
            self.assertEqual(r["rent_cents"], round(60000 * 12 * 7 / 365))
            self.assertEqual(r["margin_cents"], r["revenue_cents"] - r["events_cents"] - r["rent_cents"])

    def test_csv_and_xlsx(self):
        r = self.get("revenue-by-driver", "csv")
        self.assertEqual(r.status, 200)
        text = r.body.decode("utf-8-sig")
        lines = [l for l in text.splitlines() if l]
        self.assertEqual(len(lines), 4)          # head and three drivers
        self.assertIn("Rapport D", text)
        r = self.get("revenue-by-driver", "xlsx")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b"PK"))

    def test_pdf_holds_the_pages_totals(self):
        r = self.get("revenue-by-platform", "pdf")
        self.assertEqual((r.status, r.header("content-type")), (200, "application/pdf"))
        total = self.get("revenue-by-platform").json()["data"]["totals"]["gross_cents"]
        page = signed_in(self.manager).get(f"/reports/revenue-by-platform?{self.q}")
        self.assertEqual(page.status, 200)
        foot = html.unescape(page.text[page.text.index("<tfoot>"):page.text.index("</tfoot>")])
        self.assertIn(euros(total), foot)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.pdf")
            with open(path, "wb") as f:
                f.write(r.body)
            text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                                  text=True, check=True).stdout
            info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
        self.assertIn("Chiffre d'affaires par plateforme", text)
        self.assertIn(euros(total).replace("\u202f", " ").replace("\u00a0", " "),
                      text.replace("\u202f", " ").replace("\u00a0", " "))
        self.assertRegex(info, r"Pages:\s+1\n")

    def test_the_page_and_its_downloads(self):
        s = signed_in(self.manager)
        index = s.get("/reports")
        self.assertEqual(index.status, 200)
        for name in NAMES:
            self.assertIn(f'href="/reports/{name}"', index.text)
        page = s.get(f"/reports/revenue-by-driver?{self.q}")
        self.assertEqual(len(re.findall(r"<tr>", page.text[page.text.index("<tbody>"):])), 3)
        self.assertIn("format=pdf", page.text)
        self.assertEqual(s.get(f"/reports/revenue-by-driver?{self.q}&format=pdf").header("content-type"),
                         "application/pdf")

    def test_errors(self):
        self.assertEqual(api("GET", "/api/v1/reports/nope", self.tok).status, 404)
        r = self.get("revenue-by-driver", "doc")
        self.assertEqual(r.status, 422)
        self.assertIn("format", r.json()["error"]["fields"])
        r = self.get("revenue-by-driver", q="from=2026-11-08&to=2026-11-01")
        self.assertEqual(r.status, 422)
        self.assertIn("to", r.json()["error"]["fields"])
        driver = api_token("demo", "chauffeur@demo.test", scope="read")
        self.assertEqual(api("GET", "/api/v1/reports", driver).status, 403)

    def test_another_organisation_sees_none_of_it(self):
        tok = api_token("other", "admin@other.test")
        rows = api("GET", f"/api/v1/reports/revenue-by-driver?{self.q}", tok).json()["data"]["rows"]
        self.assertFalse(any(r["name"].startswith("Rapport D") for r in rows))


if __name__ == "__main__":
    unittest.main()
