"""« Qualité des données »: a sync of iSaVigne files is followed by its
report (a job): each check with its status, observed value, thresholds,
failing count and percentage, and up to 20 failing rows linked to their
record; a report on demand; an organisation's thresholds; schema drift
after a column change; history per source on the page; another tenant
sees no report."""
import time
import unittest

from commerce_helpers import ALL, CommerceBase
from identity import psql, quote, signed_in, tenant_id
from test_sources import api


class Quality(CommerceBase):
    def reports(self, source_id, tok=None, want=1, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            r = api("GET", f"/quality/reports?source_id={source_id}", tok or self.viewer)
            self.assertEqual(r.status, 200, r.text)
            if len(r.json()["data"]) >= want:
                return r.json()["data"]
            time.sleep(0.3)
        self.fail(f"no {want} report(s) for {source_id} after {timeout}s")

    def report(self, rid):
        r = api("GET", f"/quality/reports/{rid}", self.viewer)
        self.assertEqual(r.status, 200, r.text)
        return {c["check"]: c for c in r.json()["data"]["results"]}

    def test_report_after_sync_on_demand_thresholds_and_drift(self):
        s = self.isavigne()
        run = self.sync_files(s["id"], ALL)
        self.assertEqual(run["status"], "reussi")
        [rep] = self.reports(s["id"])
        self.assertEqual(rep["run_id"], run["id"])
        self.assertEqual(rep["trigger"], "synchronisation")
        checks = self.report(rep["id"])
        orphan = checks["sales_without_customer"]
        self.assertEqual((orphan["failing"], orphan["total"]), (1, 6))
        self.assertEqual(orphan["failing_pct"], 16.67)
        self.assertEqual(orphan["status"], "echec")      # above 5 %
        self.assertEqual(orphan["samples"][0]["value"], "C999")
        line = api("GET", f"/sales-lines/{orphan['samples'][0]['id']}", self.viewer)
        self.assertEqual(line.json()["data"]["customer_ref"], "C999")
        self.assertEqual(checks["sales_without_product"]["status"], "reussi")
        self.assertEqual(checks["customers_email_valid"]["failing"], 0)
        self.assertEqual(checks["customers_phone_e164"]["failing"], 0)
        self.assertEqual(checks["customers_contact_missing"]["failing"], 0)
        self.assertEqual(checks["runs_reconciliation"]["status"], "reussi")
        self.assertEqual(checks["runs_schema_drift"]["status"], "reussi")
        self.assertEqual(checks["runs_freshness"]["status"], "reussi")
        self.assertNotIn("trips_without_driver", checks)   # no trips here
        self.assertEqual(rep["status"], "echec")
        self.assertEqual(rep["checks"], len(checks))

        # The organisation's threshold for that check: now a pass.
        tid = tenant_id("demo")
        psql("INSERT INTO quality_thresholds (tenant_id, check_code, warn_pct, fail_pct)"
             f" VALUES ({quote(tid)}, 'sales_without_customer', 20, 50)"
             " ON CONFLICT (tenant_id, check_code) DO UPDATE SET warn_pct = 20, fail_pct = 50")
        try:
            r = api("POST", "/quality/reports", self.manager, {"source_id": s["id"]})
            self.assertEqual(r.status, 202, r.text)
            latest = self.reports(s["id"], want=2)[0]
            self.assertEqual(latest["trigger"], "manuel")
            again = self.report(latest["id"])
            self.assertEqual(again["sales_without_customer"]["status"], "reussi")
            self.assertEqual(again["sales_without_customer"]["warn_pct"], 20)
        finally:
            psql("DELETE FROM quality_thresholds WHERE check_code = 'sales_without_customer'"
                 f" AND tenant_id = {quote(tid)}")

        drift = self.sync_files(s["id"], ["ventes_drift.csv"])
        self.assertEqual(drift["status"], "reussi")
        newest = self.reports(s["id"], want=3)[0]
        d = self.report(newest["id"])["runs_schema_drift"]
        self.assertEqual(d["status"], "avertissement")
        self.assertIn("remise", d["observed"])

        # Validation, roles, tenants.
        self.assertEqual(api("POST", "/quality/reports", self.viewer,
                             {"source_id": s["id"]}).status, 403)
        self.assertEqual(api("POST", "/quality/reports", self.manager,
                             {"source_id": "nope"}).status, 422)
        self.assertEqual(api("GET", "/quality/reports?source_id=nope", self.viewer).status, 422)
        self.assertEqual(api("GET", f"/quality/reports?source_id={s['id']}", self.other)
                         .json()["data"], [])
        self.assertEqual(api("GET", f"/quality/reports/{rep['id']}", self.other).status, 404)

        # The pages: the source with its trend, the report with its rows.
        web = signed_in("manager@demo.test")
        page = web.get("/quality")
        self.assertEqual(page.status, 200)
        self.assertIn(s["name"], page.text)
        self.assertIn(f"/quality/reports/{newest['id']}", page.text)
        shown = web.get(f"/quality/reports/{rep['id']}")
        self.assertEqual(shown.status, 200)
        self.assertIn("Ventes sans client connu", shown.text)
        self.assertIn(f"/api/v1/sales-lines/{orphan['samples'][0]['id']}", shown.text)
        asked = web.post("/quality/run", {"source_id": s["id"]})
        self.assertEqual(asked.status, 303)
        self.reports(s["id"], want=4)
        self.assertEqual(web.post("/quality/run", {"source_id": s["id"]}, csrf=False).status, 403)
        self.assertEqual(signed_in("chauffeur@demo.test").get("/quality").status, 403)


if __name__ == "__main__":
    unittest.main()
