"""Bolt's Fleet Integration API as a live source (bolt_api), against the
fake of tests/fakes/bolt.py on the port tests/run-all gave it (the stack's
FLEETCORE_BOLT_*_URL point there): created through the API and the
screens; « Tester la connexion » says what to fix; the first sync
backfills, a re-run changes nothing, a revised price updates the stored
trip; retries of 429 (with and without Retry-After), 5xx and a 401; a
business error inside an HTTP 200 fails the run; a window too long is
split; a page of exactly `limit` rows asks for the next; kill -9 of the
job runner mid-sync, then every order exactly once; the Bolt orders CSV
and the API share one key space, both ways round; secrets never shown;
tenants and roles."""
import decimal
import os
import random
import signal
import time
import unittest

from client import VAR, pidfile, stack, wait_for
from identity import csrf_of, psql, psql_one, quote, signed_in
import bolt_fake
from test_sources import SourcesBase, api, fresh, gone

FAKE = None
MASK = "••••••••"
RANDOM = random.SystemRandom()


def cents(v):
    """Euros (as the fake sends them) to cents, as the README says: six
    decimals written, then half away from zero at the third."""
    if v is None:
        return None
    d = decimal.Decimal(f"{v:.6f}")
    return int((d * 100).quantize(decimal.Decimal("1"), rounding=decimal.ROUND_HALF_UP))


def trips_of(prefix):
    return int(psql_one(f"SELECT count(*) FROM trips WHERE source = 'bolt_order' "
                        f"AND source_key LIKE {quote(prefix + '%')}"))


def gross_of(prefix):
    return int(psql_one(f"SELECT coalesce(sum(gross_fare_cents), 0) FROM trips WHERE "
                        f"source = 'bolt_order' AND source_key LIKE {quote(prefix + '%')}"))


def expected_gross(orders):
    total = 0
    for o in orders:
        p = o["order_price"]
        g = cents(p["ride_price"]) if p["ride_price"] is not None else cents(p["cancellation_fee"])
        total += g or 0
    return total


class BoltBase(SourcesBase):
    @classmethod
    def setUpClass(cls):
        global FAKE
        FAKE = bolt_fake.fake()
        super().setUpClass()

    def account(self, companies=1, **populate):
        """A client of the fake with its own companies and data; the
        prefix of its keys."""
        p = "b" + fresh()
        cids = [RANDOM.randrange(10**6, 10**9) for i in range(companies)]
        for cid in cids:
            FAKE.add_company(cid)
            if populate:
                FAKE.populate(cid, prefix=f"{p}{cid}", **populate)
        cid_s = f"cli-{p}"
        FAKE.add_client(cid_s, f"secret-{p}", cids)
        return p, cids, cid_s, f"secret-{p}"

    def bolt_source(self, client_id, secret, tok=None, **config):
        config.setdefault("backfill_weeks", "2")
        return self.source("bolt_api", tok=tok, client_id=client_id,
                           client_secret=secret, **config)

    def sync_live(self, source_id, timeout=180):
        r = api("POST", f"/sources/{source_id}/sync", self.manager)
        self.assertEqual(r.status, 202, r.text)
        return self.wait(r.json()["data"]["run_id"], timeout=timeout)

    def check(self, source_id):
        r = api("POST", f"/sources/{source_id}/check", self.manager)
        self.assertEqual(r.status, 200, r.text)
        return r.json()["data"]


class BoltCheck(BoltBase):
    def test_check_says_what_to_fix(self):
        p, cids, cid, secret = self.account(companies=2)
        ok = self.bolt_source(cid, secret)
        r = self.check(ok["id"])
        self.assertTrue(r["ok"], r)
        self.assertIn("Connexion à Bolt réussie : 2 société(s)", r["message"])
        self.assertIn(str(cids[0]), r["message"])
        # Wrong secret.
        bad = self.bolt_source(cid, "not-the-secret")
        r = self.check(bad["id"])
        self.assertFalse(r["ok"])
        self.assertIn("Identifiants Bolt refusés", r["message"])
        # Valid credentials, company not entitled: named, the others listed.
        other = self.bolt_source(cid, secret, company_ids=f"{cids[0]}, 4242")
        r = self.check(other["id"])
        self.assertFalse(r["ok"])
        self.assertIn("la société 4242 n'y est pas rattachée", r["message"])
        self.assertIn(str(cids[1]), r["message"])
        # Account locked.
        FAKE.add_client(f"locked-{p}", "s", cids, locked=True)
        locked = self.bolt_source(f"locked-{p}", "s")
        r = self.check(locked["id"])
        self.assertFalse(r["ok"])
        self.assertIn("bloqué", r["message"])
        # Platform down: 503 on every try of the check.
        FAKE.fail("getCompanies", status=503, times=2)
        r = self.check(ok["id"])
        self.assertFalse(r["ok"])
        self.assertIn("Bolt est indisponible pour le moment (erreur 503)", r["message"])
        # Remembered on the source.
        s = api("GET", f"/sources/{ok['id']}", self.viewer).json()["data"]
        self.assertFalse(s["last_check_ok"])

    def test_configuration_is_validated_and_the_secret_masked(self):
        r = api("POST", "/sources", self.manager, {"type": "bolt_api", "name": f"B {fresh()}",
                                                   "config": {"client_id": "x"}})
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("client_secret", r.json()["error"]["fields"])
        r = api("POST", "/sources", self.manager, {
            "type": "bolt_api", "name": f"B {fresh()}",
            "config": {"client_id": "x", "client_secret": "y", "company_ids": "12; DROP"}})
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("company_ids", r.json()["error"]["fields"])
        s = self.bolt_source("x", "very-secret-value")
        self.assertEqual(s["config"]["client_secret"], MASK)
        self.assertEqual(s["file_based"], False)
        shown = api("GET", f"/sources/{s['id']}", self.viewer)
        self.assertNotIn("very-secret-value", shown.text)
        stored = psql_one(f"SELECT config::text || coalesce(secrets, '') FROM sources "
                          f"WHERE id = {quote(s['id'])}")
        self.assertNotIn("very-secret-value", stored)


class BoltSync(BoltBase):
    def test_first_sync_rerun_and_revised_price(self):
        p, cids, cid, secret = self.account(drivers=3, days=10, per_day=3)
        s = self.bolt_source(cid, secret)
        run = self.sync_live(s["id"])
        self.assertEqual(run["status"], "reussi", run)
        orders = FAKE.orders(cids[0])
        self.assertEqual(trips_of(p), len(orders))
        self.assertEqual(gross_of(p), expected_gross(orders))
        # Every order_price field to its column, cash collected for cash.
        o = next(x for x in orders if x["payment_method"] == "cash"
                 and x["order_status"] == "finished")
        row = psql_one(f"SELECT gross_fare_cents, booking_fee_cents, commission_cents, "
                   f"net_earnings_cents, cash_collected_cents, cash_discount_cents, "
                   f"payment_method, status FROM trips WHERE source = 'bolt_order' "
                   f"AND source_key = {quote(o['order_reference'])}").split("|")
        pr = o["order_price"]
        self.assertEqual(row[:6], [str(cents(pr["ride_price"])), str(cents(pr["booking_fee"])),
                                   str(abs(cents(pr["commission"]))),
                                   str(cents(pr["net_earnings"])), str(cents(pr["ride_price"])),
                                   str(cents(pr["cash_discount"]))])
        self.assertEqual(row[6:], ["especes", "terminee"])
        # The streams' cursors, drivers offered, plates reported, activity.
        streams = psql_one(f"SELECT string_agg(stream, ',' ORDER BY stream) FROM "
                           f"source_streams WHERE source_id = {quote(s['id'])}")
        self.assertEqual(streams, "drivers,orders,state_logs,vehicles")
        self.assertEqual(int(psql_one(f"SELECT count(*) FROM platform_drivers WHERE "
                                      f"driver_ref LIKE {quote(p + '%')} AND driver_id IS NULL")), 3)
        web = signed_in("manager@demo.test")
        self.assertIn(f"{p}{cids[0]}-drv-0001", web.get("/sources/unmatched").text)
        self.assertEqual(len(run["notes"]["unknown_plates"]), 3)
        plate = run["notes"]["unknown_plates"][0]
        self.assertIn(f"<li>{plate}</li>", web.get(f"/sync-runs/{run['id']}").text)
        days = psql(f"SELECT online_seconds, busy_seconds FROM driver_activity_days "
                    f"WHERE driver_ref LIKE {quote(p + '%')}")
        self.assertTrue(days)
        for d in days:
            online, busy = map(int, d.split("|"))
            self.assertTrue(0 < online <= 86400 and 0 <= busy <= online, d)
        # Again: nothing changes.
        again = self.sync_live(s["id"])
        self.assertEqual(again["status"], "reussi", again)
        self.assertEqual((again["rows_inserted"], again["rows_updated"]), (0, 0), again)
        self.assertEqual(trips_of(p), len(orders))
        # A price reviewed after the first sync updates the stored trip.
        ref = orders[0]["order_reference"]
        FAKE.revise_price(cids[0], ref, ride_price=99.99, net_earnings=75.0)
        revised = self.sync_live(s["id"])
        self.assertEqual(revised["status"], "reussi", revised)
        self.assertGreaterEqual(revised["rows_updated"], 1)
        self.assertEqual(trips_of(p), len(orders))
        self.assertEqual(psql_one(f"SELECT gross_fare_cents || '/' || net_earnings_cents FROM "
                                  f"trips WHERE source = 'bolt_order' AND source_key = "
                                  f"{quote(ref)}"), "9999/7500")
        # The secret is in no log of the stack.
        for name in os.listdir(os.path.join(VAR, "log")):
            with open(os.path.join(VAR, "log", name), "rb") as f:
                self.assertNotIn(secret.encode(), f.read(), name)

    def test_retries_of_429_5xx_and_a_401(self):
        p, cids, cid, secret = self.account(drivers=2, days=3, per_day=2)
        s = self.bolt_source(cid, secret, backfill_weeks="1")
        FAKE.fail("getDrivers", status=500)
        FAKE.fail("getFleetOrders", status=429, retry_after=1)
        FAKE.fail("getFleetOrders", status=429)
        FAKE.fail("getFleetOrders", status=502)
        FAKE.fail("getVehicles", status=401)
        tokens = len(FAKE.calls("token"))
        run = self.sync_live(s["id"])
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(trips_of(p), len(FAKE.orders(cids[0])))
        statuses = [c[2] for c in FAKE.calls("getFleetOrders")]
        self.assertIn(429, statuses)
        self.assertIn(502, statuses)
        # One token for the run, one more after the 401.
        self.assertEqual(len(FAKE.calls("token")) - tokens, 2)

    def test_a_business_error_in_an_http_200_fails_the_run(self):
        p, cids, cid, secret = self.account(drivers=1, days=2, per_day=1)
        s = self.bolt_source(cid, secret, backfill_weeks="1")
        FAKE.fail("getFleetOrders", code=498810)
        run = self.sync_live(s["id"])
        self.assertEqual(run["status"], "echec", run)
        self.assertEqual(run["failure"], "configuration")
        self.assertIn(f"société {cids[0]}", run["message"])
        FAKE.fail("getDrivers", code=777001)
        run = self.sync_live(s["id"])
        self.assertEqual(run["status"], "echec", run)
        self.assertIn("code 777001", run["message"])
        self.assertEqual(trips_of(p), 0)

    def test_a_window_too_long_is_split(self):
        p, cids, cid, secret = self.account(drivers=2, days=6, per_day=2)
        s = self.bolt_source(cid, secret, backfill_weeks="1")
        FAKE.max_order_range = 2 * 86400
        try:
            run = self.sync_live(s["id"])
        finally:
            FAKE.max_order_range = 7 * 86400
        self.assertEqual(run["status"], "reussi", run)
        self.assertIn(498806, [c[3] for c in FAKE.calls("getFleetOrders")])
        self.assertEqual(trips_of(p), len(FAKE.orders(cids[0])))

    def test_a_page_of_exactly_limit_rows_asks_for_the_next(self):
        p, cids, cid, secret = self.account(drivers=10, days=1, per_day=100,
                                            logs_per_day=0)
        self.assertEqual(len(FAKE.orders(cids[0])), 1000)
        s = self.bolt_source(cid, secret, backfill_weeks="1")
        before = len(FAKE.calls("getFleetOrders"))
        run = self.sync_live(s["id"])
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(trips_of(p), 1000)
        # One window: the full page, then the empty one that ends it.
        self.assertEqual(len(FAKE.calls("getFleetOrders")) - before, 2)


class BoltSchedule(BoltBase):
    def test_scheduled_run_and_a_missed_schedule_says_late(self):
        p, cids, cid, secret = self.account(drivers=1, days=2, per_day=2)
        s = self.bolt_source(cid, secret, backfill_weeks="1")
        web = signed_in("manager@demo.test")
        self.assertEqual(web.post(f"/sources/{s['id']}/schedule",
                                  {"schedule": "horaire"}).status, 303)
        self.assertEqual(web.post(f"/sources/{s['id']}/auto", {"on": "1"}).status, 303)
        # The runner stopped: the schedule passes, the source says so.
        pid = pidfile("fleetcore-jobs")
        os.kill(pid, signal.SIGSTOP)
        try:
            psql(f"UPDATE sources SET next_sync_at = now() - interval '5 minutes' "
                 f"WHERE id = {quote(s['id'])}")
            shown = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]
            self.assertEqual(shown["health"], "en_retard")
            self.assertIn("En retard", web.get(f"/sources/{s['id']}").text)
        finally:
            os.kill(pid, signal.SIGCONT)
        # Running again, it starts the run that was due, once.
        def runs():
            return int(psql_one(f"SELECT count(*) FROM sync_runs WHERE source_id = "
                                f"{quote(s['id'])} AND trigger = 'schedule'"))
        self.assertTrue(wait_for(lambda: runs() > 0, 30, 0.3), "no scheduled run started")
        run_id = psql_one(f"SELECT id FROM sync_runs WHERE source_id = {quote(s['id'])}")
        self.assertEqual(self.wait(run_id)["status"], "reussi")
        self.assertEqual(trips_of(p), len(FAKE.orders(cids[0])))
        time.sleep(5)
        self.assertEqual(runs(), 1)
        self.assertNotEqual(api("GET", f"/sources/{s['id']}", self.viewer)
                            .json()["data"]["health"], "en_retard")


class BoltPagingShift(BoltBase):
    def test_an_order_seen_twice_while_paging_is_one_trip(self):
        p, cids, cid, secret = self.account(drivers=2, days=3, per_day=3)
        orders = FAKE.orders(cids[0])
        FAKE.twice.add(orders[1]["order_reference"])
        s = self.bolt_source(cid, secret, backfill_weeks="1")
        try:
            run = self.sync_live(s["id"])
        finally:
            FAKE.twice.discard(orders[1]["order_reference"])
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["rows_rejected"], 0, run)
        self.assertEqual(trips_of(p), len(orders))
        self.assertEqual(gross_of(p), expected_gross(orders))


class BoltKeySpace(BoltBase):
    def orders_csv(self, orders):
        lines = ["order_reference,driver_uuid,payment_method,order_status,"
                 "order_created_timestamp,ride_price,booking_fee,cancellation_fee,commission,"
                 "net_earnings"]
        for o in orders:
            pr = o["order_price"]
            lines.append(",".join(str(x if x is not None else "") for x in (
                o["order_reference"], o["driver_uuid"], o["payment_method"], o["order_status"],
                o["order_created_timestamp"], pr["ride_price"], pr["booking_fee"],
                pr["cancellation_fee"], pr["commission"], pr["net_earnings"])))
        return ("\r\n".join(lines) + "\r\n").encode()

    def test_csv_then_api_and_api_then_csv_count_once(self):
        for csv_first in (True, False):
            with self.subTest(csv_first=csv_first):
                p, cids, cid, secret = self.account(drivers=2, days=4, per_day=3)
                orders = FAKE.orders(cids[0])
                live = self.bolt_source(cid, secret, backfill_weeks="1")
                csv = self.source("bolt_orders_csv", decimal="point")
                if csv_first:
                    self.assertEqual(self.sync(csv["id"], self.orders_csv(orders))["status"],
                                     "reussi")
                    self.assertEqual(trips_of(p), len(orders))
                    run = self.sync_live(live["id"])
                    self.assertEqual(run["status"], "reussi", run)
                else:
                    run = self.sync_live(live["id"])
                    self.assertEqual(trips_of(p), len(orders))
                    run = self.sync(csv["id"], self.orders_csv(orders))
                    self.assertEqual(run["status"], "reussi", run)
                    self.assertEqual(run["rows_inserted"], 0, run)
                self.assertEqual(trips_of(p), len(orders))
                self.assertEqual(gross_of(p), expected_gross(orders))


class BoltKilledRunner(BoltBase):
    """kill -9 of fleetcore-jobs while a long first sync reads its
    windows: the windows committed stay with their cursors, the reaper
    ends the run saying so, and the next run loads every order exactly
    once."""

    def test_kill_mid_sync_then_every_order_once(self):
        p, cids, cid, secret = self.account(drivers=4, days=55, per_day=3)
        orders = FAKE.orders(cids[0])
        s = self.bolt_source(cid, secret, backfill_weeks="8")
        FAKE.delay = 0.15
        try:
            r = api("POST", f"/sources/{s['id']}/sync", self.manager)
            self.assertEqual(r.status, 202, r.text)
            run_id = r.json()["data"]["run_id"]
            committed = wait_for(lambda: psql_one(
                f"SELECT count(*) FROM source_streams WHERE source_id = {quote(s['id'])} "
                f"AND stream = 'orders'") == "1", 120, 0.05)
            self.assertTrue(committed, "no window of orders was committed")
            pid = pidfile("fleetcore-jobs")
            os.kill(pid, signal.SIGKILL)
        finally:
            FAKE.delay = 0
        try:
            self.assertTrue(wait_for(lambda: gone(pid), 10))
            os.unlink(os.path.join(VAR, "run", "fleetcore-jobs.pid"))
            run = api("GET", f"/sync-runs/{run_id}", self.viewer).json()["data"]
            self.assertEqual(run["status"], "en_cours", "the sync ended before the kill")
            kept = trips_of(p)
            self.assertTrue(0 < kept < len(orders), kept)
        finally:
            out = stack("start")
            self.assertEqual(out.returncode, 0, out.stderr)
        run = self.wait(run_id, timeout=180)
        self.assertEqual(run["status"], "echec", run)
        self.assertIn("gardées", run["message"])
        again = self.sync_live(s["id"], timeout=300)
        self.assertEqual(again["status"], "reussi", again)
        self.assertEqual(trips_of(p), len(orders))
        self.assertEqual(gross_of(p), expected_gross(orders))
        self.assertEqual(int(psql_one(
            f"SELECT count(DISTINCT source_key) FROM trips WHERE source = 'bolt_order' "
            f"AND source_key LIKE {quote(p + '%')}")), len(orders))


class BoltScreensAndAccess(BoltBase):
    def test_create_sync_and_see_it_on_the_screens(self):
        p, cids, cid, secret = self.account(drivers=1, days=2, per_day=2)
        web = signed_in("manager@demo.test")
        page = web.get("/sources/new?type=bolt_api")
        self.assertEqual(page.status, 200)
        self.assertIn('name="client_secret"', page.text)
        self.assertIn('name="backfill_weeks"', page.text)
        name = f"Bolt {p}"
        r = web.post("/sources", {"csrf": csrf_of(page.text), "type": "bolt_api", "name": name,
                                  "client_id": cid, "client_secret": secret,
                                  "company_ids": "", "backfill_weeks": "1"})
        self.assertEqual(r.status, 303, r.text)
        sid = r.header("location").split("/")[-1].split("?")[0]
        show = web.get(f"/sources/{sid}")
        self.assertNotIn('type="file"', show.text)
        self.assertNotIn(secret, show.text)
        r = web.post(f"/sources/{sid}/check", {"csrf": csrf_of(show.text)})
        self.assertEqual(r.status, 200)
        self.assertIn("Connexion à Bolt réussie", r.text)
        r = web.post(f"/sources/{sid}/sync", {"csrf": csrf_of(show.text)})
        self.assertEqual(r.status, 303, r.text)
        run_id = r.header("location").split("/")[-1]
        self.assertEqual(self.wait(run_id)["status"], "reussi")
        edit = web.get(f"/sources/{sid}/edit")
        self.assertNotIn(secret, edit.text)
        self.assertIn("••••", edit.text)
        self.assertEqual(trips_of(p), len(FAKE.orders(cids[0])))

    def test_other_tenants_and_roles(self):
        p, cids, cid, secret = self.account(drivers=1, days=1, per_day=1)
        s = self.bolt_source(cid, secret)
        for method, path in (("GET", f"/sources/{s['id']}"), ("POST", f"/sources/{s['id']}/sync"),
                             ("POST", f"/sources/{s['id']}/check")):
            self.assertEqual(api(method, path, self.other).status, 404, path)
        self.assertEqual(api("POST", f"/sources/{s['id']}/sync", self.viewer).status, 403)
        self.assertEqual(api("POST", f"/sources/{s['id']}/sync", self.reader).status, 403)
        self.assertEqual(api("POST", f"/sources/{s['id']}/check", self.viewer).status, 403)
        self.assertEqual(api("POST", "/sources", self.viewer, {
            "type": "bolt_api", "name": "x", "config": {}}).status, 403)


if __name__ == "__main__":
    unittest.main()
