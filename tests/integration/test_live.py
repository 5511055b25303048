"""« En direct » (/live, /live/board, /api/v1/live): after a sync of a Bolt
source whose state logs say one driver waits for orders, one is busy and
one is on a trip, the API and the page count and list them with their
state; the board refreshes itself with htmx and the page without
JavaScript; the « mode automatique » periods of sources show with who
turned them on; another tenant sees none of it."""
import time
import unittest

import bolt_fake
from identity import signed_in
from test_sources import api
from test_sources_bolt_api import BoltBase

FAKE = None


def setUpModule():
    global FAKE
    FAKE = bolt_fake.fake()


class Live(BoltBase):
    def test_drivers_now_counts_and_automatic_periods(self):
        p, cids, cid, secret = self.account(drivers=3, days=1, per_day=1, logs_per_day=0)
        comp = FAKE.companies[cids[0]]
        now = int(time.time())
        for d, state in enumerate(("waiting_orders", "busy", "has_order")):
            drv = comp.drivers[d]
            comp.state_logs.append({"created": now - 3600, "state": "inactive",
                                    "driver_uuid": drv["driver_uuid"]})
            comp.state_logs.append({"created": now - 600 + d, "state": state,
                                    "driver_uuid": drv["driver_uuid"],
                                    "vehicle_uuid": drv["active_vehicle"]["uuid"]})
        before = api("GET", "/live", self.viewer).json()["data"]["counts"]
        s = self.bolt_source(cid, secret, backfill_weeks="1")
        self.assertEqual(self.sync_live(s["id"])["status"], "reussi")
        web = signed_in("manager@demo.test")
        self.assertEqual(web.post(f"/sources/{s['id']}/auto", {"on": "1"}).status, 303)

        live = api("GET", "/live", self.viewer)
        self.assertEqual(live.status, 200, live.text)
        data = live.json()["data"]
        mine = {d["driver_ref"]: d["state"] for d in data["drivers"]
                if d["driver_ref"].startswith(p)}
        refs = [x["driver_uuid"] for x in comp.drivers]
        self.assertEqual(mine, {refs[0]: "en_ligne", refs[1]: "occupe", refs[2]: "en_course"})
        for k in ("en_ligne", "occupe", "en_course"):
            self.assertEqual(data["counts"][k], before[k] + 1, k)
        self.assertGreaterEqual(data["today"]["online_seconds"], 3 * 540)
        period = next(x for x in data["auto_periods"] if x["source_id"] == s["id"])
        self.assertIsNone(period["ended_at"])
        self.assertTrue(period["started_by"])

        page = web.get("/live")
        self.assertEqual(page.status, 200)
        self.assertIn('hx-get="/live/board"', page.text)
        self.assertIn('hx-trigger="every 15s"', page.text)
        self.assertIn('<meta http-equiv="refresh" content="15">', page.text)
        name = comp.drivers[2]["first_name"] + " " + comp.drivers[2]["last_name"]
        self.assertIn(name, page.text)
        self.assertIn("En course", page.text)
        self.assertIn(s["name"], page.text)
        board = web.get("/live/board")
        self.assertEqual(board.status, 200)
        self.assertTrue(board.text.lstrip().startswith('<div id="live-board"'))
        self.assertNotIn("<html", board.text)
        self.assertIn(name, board.text)
        # Another organisation sees none of it.
        other = api("GET", "/live", self.other).json()["data"]
        self.assertFalse([d for d in other["drivers"] if d["driver_ref"].startswith(p)])
        self.assertFalse([x for x in other["auto_periods"] if x["source_id"] == s["id"]])


if __name__ == "__main__":
    unittest.main()
