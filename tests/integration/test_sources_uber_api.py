"""Uber's Vehicle Suppliers API (uber_api) against tests/fakes/uber.py:
check answers in French for each way it can fail; a sync reads the
organisations first, then drivers (with their vehicles, page by page),
vehicles, payments (epoch milliseconds, pages of 50, amountE5 to exact
cents, never further back than Uber's 24 hours) and driver status; a
re-run changes nothing; the days the API can no longer give are gaps,
shown on the source's page and filled by an Uber payments CSV; the API and
the CSV share the Transaction UUID whichever comes first; a 401 fetches a
new token once, 429 and 5xx are retried, a 403 is a configuration error
naming what is not allowed; the secret is never shown."""
import datetime
import os
import sys
import time
import unittest
import urllib.parse
import uuid
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fakes"))

from identity import psql, psql_one, quote, signed_in  # noqa: E402
from test_sources import SourcesBase, api, fresh  # noqa: E402
from uber import DEFAULT_GRANTED, UberFake  # noqa: E402

PORT = int(os.environ.get("FAKE_UBER_PORT", "0"))
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MASK = "••••••••"
HOUR_MS = 3600 * 1000


def paris_day(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, PARIS).date()


class UberBase(SourcesBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = UberFake(port=PORT).start()

    @classmethod
    def tearDownClass(cls):
        cls.fake.close()

    def uber(self, acct, **config):
        return self.source("uber_api", client_id=acct.client_id,
                           client_secret=acct.secret, **config)

    def check(self, sid):
        r = api("POST", f"/sources/{sid}/check", self.manager, {})
        self.assertEqual(r.status, 200, r.text)
        return r.json()["data"]

    def sync_now(self, sid, want="reussi"):
        r = api("POST", f"/sources/{sid}/sync", self.manager, {})
        self.assertEqual(r.status, 202, r.text)
        run = self.wait(r.json()["data"]["run_id"])
        if want is not None:
            self.assertEqual(run["status"], want, run)
        return run

    def api_requests(self, acct, since, path=""):
        """What the fake saw of this account's calls since a moment (the
        token's calls carry the client id; the others its org)."""
        org = acct.orgs[0].id
        return [r for r in self.fake.seen(path) if r["at"] >= since and (
            r["query"].get("org_id") == org or r["path"] == "/v1/vehicle-suppliers/orgs"
            or r["path"] == "/oauth/v2/token")]

    def trips(self, key_like):
        return int(psql_one("SELECT count(*) FROM trips WHERE source = 'uber_transaction'"
                            f" AND source_key LIKE {quote(key_like)}"))


class UberCheck(UberBase):
    def test_check_says_what_to_do(self):
        ok = self.fake.account()
        ok.orgs[0].name = f"Flotte {fresh()}"
        s = self.uber(ok)
        c = self.check(s["id"])
        self.assertTrue(c["ok"], c)
        self.assertIn("Connexion à Uber réussie", c["message"])
        self.assertIn(ok.orgs[0].name, c["message"])
        # Wrong credentials.
        bad = self.source("uber_api", client_id=ok.client_id, client_secret="sec-wrong")
        c = self.check(bad["id"])
        self.assertFalse(c["ok"])
        self.assertIn("refuse ces identifiants", c["message"])
        # Valid credentials, the application not entitled to payments.
        partial = self.fake.account(granted=[g for g in DEFAULT_GRANTED
                                             if g != "supplier.partner.payments"])
        c = self.check(self.uber(partial)["id"])
        self.assertFalse(c["ok"])
        self.assertIn("Identifiants valides, mais", c["message"])
        # The application suspended (account locked).
        locked = self.fake.account(state="suspended")
        c = self.check(self.uber(locked)["id"])
        self.assertFalse(c["ok"])
        self.assertIn("suspendue", c["message"])
        # Credentials that reach no organisation.
        empty = self.fake.account(org=False)
        c = self.check(self.uber(empty)["id"])
        self.assertFalse(c["ok"])
        self.assertIn("aucune organisation", c["message"])
        # Uber down.
        down = self.fake.account()
        self.fake.fail("/oauth/v2/token", 503, times=5)
        c = self.check(self.uber(down)["id"])
        self.fake.failures.clear()
        self.assertFalse(c["ok"])
        self.assertRegex(c["message"], "Uber (est indisponible|ne répond pas)")

    def test_secret_is_masked_and_never_logged(self):
        acct = self.fake.account()
        s = self.uber(acct)
        shown = api("GET", f"/sources/{s['id']}", self.viewer).text
        self.assertNotIn(acct.secret, shown)
        self.assertIn(MASK, shown)
        stored = psql_one(f"SELECT secrets FROM sources WHERE id = {quote(s['id'])}")
        self.assertNotIn(acct.secret, stored)
        self.sync_now(s["id"])
        for name in os.listdir(os.path.join(os.environ.get("VAR", "var"), "log")):
            with open(os.path.join(os.environ.get("VAR", "var"), "log", name), "rb") as f:
                self.assertNotIn(acct.secret.encode(), f.read(), name)


class UberSync(UberBase):
    def world(self, drivers=3, payments=3):
        acct = self.fake.account()
        org = acct.orgs[0]
        p = fresh()
        ds = [org.driver(first=f"D{i}", last=p, email=f"d{i}.{p}@example.fr",
                         plate=f"ZZ-{i:03d}-{p[:2].upper()}" if i < 2 else None,
                         status="DRIVER_STATUS_ONTRIP" if i == 0 else "DRIVER_STATUS_OFFLINE")
              for i in range(drivers)]
        now = self.fake.now_ms()
        for i in range(payments):
            org.payment(ds[i % drivers], now - HOUR_MS - i * 1000, 3000000, -750000, 150000,
                        transaction_uuid=f"{p}-{i}", trip_uuid=f"trip-{p}-{i}")
        return acct, org, ds, p

    def test_sync_reads_every_stream_in_order_and_rerun_changes_nothing(self):
        acct, org, ds, p = self.world(drivers=105, payments=55)
        now = self.fake.now_ms()
        # Not whole cents: 12,345 € rounds half away from zero.
        org.payment(ds[0], now - 2 * HOUR_MS, 1234500, transaction_uuid=f"{p}-half")
        # Older than Uber's 24 hours: the API never gives it.
        org.payment(ds[0], now - 30 * HOUR_MS, 5000000, transaction_uuid=f"{p}-old")
        s = self.uber(acct)
        since = self.fake.now()
        run = self.sync_now(s["id"])
        self.assertEqual(self.trips(f"{p}-%"), 56)
        self.assertEqual(self.trips(f"{p}-old"), 0)
        row = psql(f"SELECT net_earnings_cents, gross_fare_cents, commission_cents, tips_cents,"
                   f" payout_cents, payment_method, trip_ref, driver_ref, currency FROM trips"
                   f" WHERE source = 'uber_transaction' AND source_key = {quote(p + '-0')}")[0]
        self.assertEqual(row.split("|"), ["2400", "3000", "750", "150", "2400", "carte",
                                          f"trip-{p}-0", ds[0]["driverId"], "EUR"])
        self.assertEqual(psql_one("SELECT net_earnings_cents FROM trips WHERE source ="
                                  f" 'uber_transaction' AND source_key = {quote(p + '-half')}"),
                         "1235")
        self.assertEqual(psql_one("SELECT count(*) FROM platform_drivers WHERE source ="
                                  f" 'uber_driver' AND source_id = {quote(s['id'])}"), "105")
        self.assertEqual(psql_one("SELECT vehicle_plate FROM platform_drivers WHERE source ="
                                  f" 'uber_driver' AND source_key = {quote(ds[1]['driverId'])}"),
                         f"ZZ-001-{p[:2].upper()}")
        self.assertEqual(psql_one("SELECT state FROM driver_states WHERE source ="
                                  f" 'uber_driver_state' AND driver_ref = {quote(ds[0]['driverId'])}"),
                         "busy")
        self.assertEqual(psql_one("SELECT count(*) FROM platform_vehicles WHERE source ="
                                  f" 'uber_vehicle' AND source_id = {quote(s['id'])}"), "2")
        # The order and shape of the calls.
        seen = self.api_requests(acct, since)
        paths = [r["path"] for r in seen]
        self.assertEqual(paths[0], "/oauth/v2/token")
        self.assertEqual(paths[1], "/v1/vehicle-suppliers/orgs")
        drivers = [r for r in seen if r["path"] == "/v1/vehicle-suppliers/drivers"]
        self.assertEqual(len(drivers), 2)
        self.assertTrue(all(r["query"]["include_assigned_vehicles"] == "true" for r in drivers))
        pays = [r for r in seen if r["path"] == "/v1/vehicle-suppliers/earners/payments"]
        self.assertEqual(len(pays), 2)
        for r in pays:
            self.assertEqual(r["query"]["page_size"], "50")
            start, end = int(r["query"]["start_time"]), int(r["query"]["end_time"])
            self.assertGreater(start, 10 ** 12)          # milliseconds
            self.assertLessEqual(end - start, 24 * HOUR_MS)
        self.assertIn("/v2/vehicle-suppliers/vehicles", paths)
        self.assertIn("/v1/vehicle-suppliers/drivers/actions", paths)
        self.assertEqual(run["rows_rejected"], 0)
        # The second run reads again from just before its cursor: nothing
        # new, nothing counted twice.
        again = self.sync_now(s["id"])
        self.assertEqual(again["rows_inserted"], 0, again)
        self.assertEqual(self.trips(f"{p}-%"), 56)

    def test_unknown_plates_are_reported(self):
        acct, org, ds, p = self.world(drivers=2, payments=1)
        s = self.uber(acct)
        run = self.sync_now(s["id"])
        plates = (run.get("notes") or {}).get("unknown_plates", [])
        self.assertIn(org.vehicles[0]["licensePlate"], plates)

    def test_gaps_are_recorded_shown_and_filled_by_the_csv(self):
        acct, org, ds, p = self.world(drivers=1, payments=1)
        s = self.uber(acct, backfill_weeks="1")
        self.sync_now(s["id"])
        # A first sync cannot reach the chosen depth: those days are gaps.
        first = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]["missing_days"]
        now = self.fake.now_ms()
        self.assertIn(str(paris_day(now - 5 * 24 * HOUR_MS)), first)
        self.assertNotIn(str(paris_day(now)), first)
        # Three days without a run: those days are lost to the API.
        psql("DELETE FROM source_gaps WHERE source_id = " + quote(s["id"]))
        three_days = now - 3 * 24 * HOUR_MS
        psql(f"UPDATE source_streams SET cursor = '{three_days}' WHERE source_id ="
             f" {quote(s['id'])} AND stream = 'payments'")
        self.sync_now(s["id"])
        days = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]["missing_days"]
        want = sorted({str(paris_day(t)) for t in range(three_days, now - 24 * HOUR_MS, HOUR_MS)})
        self.assertEqual(days, want)
        # The page names them and offers the CSV.
        page = signed_in("manager@demo.test").get(f"/sources/{s['id']}")
        self.assertIn("Jours manquants", page.text)
        d0 = datetime.date.fromisoformat(days[0])
        self.assertIn(d0.strftime("%d/%m/%Y"), page.text)
        self.assertIn("/sources/new?type=uber_csv", page.text)
        # Not read every day by itself: the page says it will miss days.
        self.assertIn('id="daily-warning"', page.text)
        psql("UPDATE sources SET schedule = 'quotidien', schedule_time = '03:00', auto_mode = true"
             f" WHERE id = {quote(s['id'])}")
        self.assertNotIn('id="daily-warning"',
                         signed_in("viewer@demo.test").get(f"/sources/{s['id']}").text)
        # An Uber payments CSV with trips on those days fills them.
        rows = ["Transaction UUID,Driver UUID,Description,Date/Time,Paid to you,"
                "Paid to you : Your earnings"]
        for i, d in enumerate(days):
            rows.append(f"{p}-csv-{i},{ds[0]['driverId']},trip completed order,{d} 12:00:00,10.00,10.00")
        csv_source = self.source("uber_csv")
        run = self.sync(csv_source["id"], ("\r\n".join(rows) + "\r\n").encode(), "uber.csv")
        self.assertEqual(run["status"], "reussi", run)
        left = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]["missing_days"]
        self.assertIsNone(left)
        self.assertNotIn("Jours manquants",
                         signed_in("viewer@demo.test").get(f"/sources/{s['id']}").text)

    def test_api_and_csv_share_the_transaction_uuid_both_ways(self):
        acct, org, ds, p = self.world(drivers=1, payments=0)
        s = self.uber(acct)
        csv_source = self.source("uber_csv")
        now = self.fake.now_ms()
        day = paris_day(now - HOUR_MS).isoformat()

        def csv(key):
            return (f"Transaction UUID,Driver UUID,Description,Date/Time,Paid to you,"
                    f"Paid to you : Your earnings\r\n{key},{ds[0]['driverId']},"
                    f"trip completed order,{day} 08:00:00,24.00,24.00\r\n").encode()

        # The API first, then the CSV.
        org.payment(ds[0], now - HOUR_MS, 2400000, transaction_uuid=f"{p}-a")
        self.sync_now(s["id"])
        self.assertEqual(self.sync(csv_source["id"], csv(f"{p}-a"))["status"], "reussi")
        self.assertEqual(self.trips(f"{p}-a"), 1)
        # The CSV first, then the API.
        self.assertEqual(self.sync(csv_source["id"], csv(f"{p}-b"))["status"], "reussi")
        org.payment(ds[0], now - HOUR_MS, 2400000, transaction_uuid=f"{p}-b")
        self.sync_now(s["id"])
        self.assertEqual(self.trips(f"{p}-b"), 1)
        self.assertEqual(psql_one("SELECT sum(net_earnings_cents) FROM trips WHERE source ="
                                  f" 'uber_transaction' AND source_key LIKE {quote(p + '-%')}"),
                         "4800")

    def test_401_once_then_retries_and_a_403_names_what_is_refused(self):
        acct, org, ds, p = self.world(drivers=2, payments=2)
        s = self.uber(acct)
        since = self.fake.now()
        self.fake.fail("/v1/vehicle-suppliers/drivers", 401, times=1)
        self.fake.fail("/v2/vehicle-suppliers/vehicles", 503, times=1)
        self.fake.fail("/v1/vehicle-suppliers/earners/payments", 429, times=1, retry_after=1)
        self.sync_now(s["id"])
        seen = self.fake.seen()
        tokens = [r for r in seen if r["at"] >= since and r["path"] == "/oauth/v2/token"]
        self.assertGreaterEqual(len(tokens), 2)      # a new token after the 401
        self.assertEqual(self.trips(f"{p}-%"), 2)
        # Payments refused for good: a configuration error saying so.
        self.fake.fail("/v1/vehicle-suppliers/earners/payments", 403, times=10,
                       body={"code": "forbidden", "message": "scope"})
        run = self.sync_now(s["id"], want="echec")
        self.fake.failures.clear()
        self.assertEqual(run["failure"], "configuration")
        self.assertIn("sans droit sur les paiements", run["message"])


if __name__ == "__main__":
    unittest.main()
