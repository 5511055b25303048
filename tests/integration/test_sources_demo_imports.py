"""The demo's platform data, as `make run` loads it: four weeks of Uber,
Bolt and Heetch exports imported through real sources and sync runs, with
rows of an unknown driver and exactly one rejected line, totals that
reconcile, and nothing loaded twice when the demo step runs again."""
import re
import unittest

from identity import cli, psql, psql_one, signed_in

NAMES = ("Uber — paiements", "Bolt — courses", "Bolt — gains hebdomadaires",
         "Heetch — revenus")
IN_DEMO = "tenant_id = (SELECT id FROM tenants WHERE slug = 'demo')"
DEMO_SOURCES = f"SELECT id FROM sources WHERE {IN_DEMO} AND name IN (%s)" % ", ".join(
    "'" + n + "'" for n in NAMES)


def counts():
    """What the demo step could have added, table by table."""
    out = {}
    for table in ("sources", "sync_runs", "sync_rejects", "trips", "earnings", "drivers",
                  "vehicles", "documents", "assignments"):
        out[table] = int(psql_one(f"SELECT count(*) FROM {table} WHERE {IN_DEMO}"))
    return out


class DemoImports(unittest.TestCase):
    def runs(self):
        rows = psql("SELECT json_build_object('source', s.name, 'type', s.type, 'file', r.file_name,"
                    " 'status', r.status, 'rejected', r.rows_rejected, 'inserted', r.rows_inserted,"
                    " 'match', r.file_totals = r.loaded_totals, 'trigger', r.trigger)"
                    f" FROM sync_runs r JOIN sources s ON s.id = r.source_id WHERE s.id IN ({DEMO_SOURCES})"
                    " ORDER BY r.created_at")
        import json
        return [json.loads(r) for r in rows]

    def test_four_sources_with_their_runs(self):
        runs = self.runs()
        self.assertEqual(sorted({r["source"] for r in runs}), sorted(NAMES))
        self.assertEqual({r["type"] for r in runs},
                         {"uber_csv", "bolt_orders_csv", "bolt_csv", "heetch_csv"})
        # One Bolt earnings file per week, its period from its name.
        weekly = [r["file"] for r in runs if r["type"] == "bolt_csv"]
        self.assertEqual(len(weekly), 4)
        for name in weekly:
            self.assertRegex(name, r"^bolt_gains_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$")
        for r in runs:
            self.assertIn(r["status"], ("reussi", "partiel"), r)
            self.assertTrue(r["match"], f"{r['file']}: the file's totals are what was stored")
            self.assertGreater(r["inserted"], 0, r)

    def test_exactly_one_rejected_line(self):
        runs = self.runs()
        self.assertEqual(sum(r["rejected"] for r in runs), 1)
        partial = [r for r in runs if r["status"] == "partiel"]
        self.assertEqual(len(partial), 1)
        self.assertEqual(partial[0]["type"], "uber_csv")
        reject = psql("SELECT column_name || '|' || value FROM sync_rejects x JOIN sync_runs r"
                      f" ON r.id = x.run_id WHERE r.source_id IN ({DEMO_SOURCES})")
        self.assertEqual(reject, ["Paid to you|12.3.4"])

    def test_trips_and_earnings_of_demo_drivers_and_some_unmatched(self):
        for table, platforms in (("trips", ("uber", "bolt")), ("earnings", ("bolt", "heetch"))):
            for platform in platforms:
                with self.subTest(table=table, platform=platform):
                    matched, unmatched = psql(
                        f"SELECT count(*) FILTER (WHERE driver_id IS NOT NULL) || '|' ||"
                        f" count(*) FILTER (WHERE driver_id IS NULL) FROM {table}"
                        f" WHERE source_id IN ({DEMO_SOURCES}) AND platform = '{platform}'")[0].split("|")
                    self.assertGreater(int(matched), 0)
                    self.assertGreater(int(unmatched), 0)
        # Matched to demo drivers by their platform id.
        self.assertEqual(psql_one(
            "SELECT count(*) FROM trips t JOIN drivers d ON d.id = t.driver_id"
            f" WHERE t.source_id IN ({DEMO_SOURCES}) AND t.platform = 'uber'"
            " AND d.uber_driver_uuid IS DISTINCT FROM t.driver_ref"), "0")

    def test_the_screens_show_them(self):
        web = signed_in("manager@demo.test")
        name = psql_one("SELECT d.first_name || ' ' || d.last_name FROM trips t JOIN drivers d"
                        f" ON d.id = t.driver_id WHERE t.source_id IN ({DEMO_SOURCES})"
                        " ORDER BY t.started_at DESC LIMIT 1")
        r = web.get("/trips")
        self.assertEqual(r.status, 200)
        self.assertIn(name, r.text)
        r = web.get("/earnings")
        self.assertEqual(r.status, 200)
        self.assertRegex(r.text, r"Bolt|Heetch")
        r = web.get("/sources")
        for n in NAMES:
            self.assertIn(n, r.text)
        self.assertIn("Ferhat", web.get("/sources/unmatched").text)

    def test_the_demo_step_again_changes_nothing(self):
        before = counts()
        out = cli("demo", "--once")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertNotIn("imported", out.stderr)
        self.assertEqual(counts(), before)


if __name__ == "__main__":
    unittest.main()
