"""The accounting sync: an invoice that becomes fully paid writes one
outbox row in the same transaction (none while it is partly paid); the
job runner finds the bill in Armado by its reference and marks it paid,
against tests/fakes/armado.py on the address FLEETCORE_ARMADO_URL names.
Each of Armado's errors: 5xx, timeouts and dropped connections retried
(then dead after FLEETCORE_ARMADO_ATTEMPTS, 3 under test), 401, 404 and
422 not retried and shown with what to fix; « Relancer » through the API
and the screen."""
import os
import sys
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "fakes"))

from armado import FakeArmado  # noqa: E402
from identity import cli, csrf_of, psql, quote, signed_in, unique  # noqa: E402
from invoice_helpers import Organisation, invoice_of, sync_rows, wait_for  # noqa: E402

KEY = "armado-" + "s3cret" * 4
URL = os.environ.get("FLEETCORE_ARMADO_URL", "http://127.0.0.1:9555")


def setUpModule():
    global FAKE
    FAKE = FakeArmado(key=KEY, port=urllib.parse.urlsplit(URL).port).start()


def tearDownModule():
    FAKE.close()


def row_state(invoice_id, states, timeout=25):
    """The invoice's sync row once its state is one of states."""
    def ready():
        rows = sync_rows(invoice_id)
        return rows[0] if rows and rows[0]["state"] in states else None
    return wait_for(ready, timeout=timeout)


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.org = Organisation()
        cls.key = "armado-" + unique()
        FAKE.add_account(cls.key)
        cls.org.set_armado_key(cls.key)

    def setUp(self):
        FAKE.clear()

    def paid_invoice(self, with_bill=True, method="virement"):
        """An invoice of 300,00 € paid in full by a recorded payment."""
        d = self.org.renter()
        inv = invoice_of(self.org.week(d, net=0, rent=30000))
        if with_bill:
            FAKE.add_bill(inv["number"], key=self.key)
        r = self.org.api("POST", f"/api/v1/invoices/{inv['id']}/payments",
                         {"amount_cents": 30000, "method": method, "paid_on": "2026-11-30"})
        self.assertEqual(r.status, 201, r.text)
        return inv


class Outbox(Base):
    def test_partial_then_full_payment_writes_exactly_one_row(self):
        d = self.org.renter()
        inv = invoice_of(self.org.week(d, net=0, rent=30000))
        FAKE.add_bill(inv["number"], key=self.key)
        path = f"/api/v1/invoices/{inv['id']}/payments"
        r = self.org.api("POST", path, {"amount_cents": 10000, "method": "especes",
                                        "paid_on": "2026-11-28"})
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(sync_rows(inv["id"]), [])
        self.assertEqual(psql(f"SELECT count(*) FROM jobs WHERE kind = 'accounting_sync' AND"
                              f" payload->>'sync_id' IN (SELECT id::text FROM accounting_sync"
                              f" WHERE invoice_id = {quote(inv['id'])})"), ["0"])
        r = self.org.api("POST", path, {"amount_cents": 20000, "method": "cheque",
                                        "paid_on": "2026-11-29"})
        self.assertEqual(r.status, 201, r.text)
        row = row_state(inv["id"], ("done",))
        self.assertEqual(len(sync_rows(inv["id"])), 1)
        self.assertEqual(row["reference"], inv["number"])
        bill = FAKE.bill(inv["number"], key=self.key)
        self.assertEqual(bill["status"], "paid")
        # The method and date of the payment that completed the invoice.
        self.assertEqual(bill["paymentType"], 1)
        self.assertEqual(bill["paymentDate"], "2026-11-29T00:00:00.000000")
        gets = FAKE.calls("GET")
        self.assertEqual(len(gets), 1)
        self.assertEqual(urllib.parse.parse_qs(gets[0][2])["reference"], [inv["number"]])
        self.assertEqual(gets[0][3].get("ApiKey"), self.key)
        # A payment on a paid invoice is refused: no second row.
        r = self.org.api("POST", path, {"amount_cents": 1, "method": "cheque",
                                        "paid_on": "2026-11-29"})
        self.assertEqual(r.status, 409, r.text)
        self.assertEqual(len(sync_rows(inv["id"])), 1)

    def test_netting_by_the_settlement_syncs_as_autre(self):
        d = self.org.renter()
        FAKE.add_bill(self.org.next_number(), key=self.key)
        inv = invoice_of(self.org.week(d, net=100000, rent=30000))
        row = row_state(inv["id"], ("done",))
        self.assertEqual(row["method"], "compensation")
        self.assertEqual(FAKE.bill(inv["number"], key=self.key)["paymentType"], 8)


class Errors(Base):
    def test_5xx_is_retried_then_done(self):
        FAKE.fail(503, times=1)
        inv = self.paid_invoice()
        row = row_state(inv["id"], ("done",))
        self.assertEqual(row["attempts"], 2)
        self.assertEqual(FAKE.bill(inv["number"], key=self.key)["status"], "paid")

    def test_timeouts_and_drops_until_dead(self):
        # FLEETCORE_ARMADO_TIMEOUT is 2 s under test: a 3 s answer is late.
        FAKE.fail("slow", times=1, delay=3)
        FAKE.fail("drop", times=1)
        FAKE.fail(500, times=1)
        inv = self.paid_invoice()
        row = row_state(inv["id"], ("dead",), timeout=40)
        self.assertEqual(row["attempts"], 3)
        self.assertIn("Abandon après 3 tentatives", row["last_error"])
        self.assertEqual(row["last_status"], 500)
        self.assertIsNotNone(row["fix"])
        self.assertEqual(FAKE.bill(inv["number"], key=self.key)["status"], "unpaid")
        # « Relancer » once Armado answers again.
        r = self.org.api("POST", f"/api/v1/accounting-sync/{row['id']}/retry")
        self.assertEqual(r.status, 200, r.text)
        row = row_state(inv["id"], ("done",))
        self.assertEqual(FAKE.bill(inv["number"], key=self.key)["status"], "paid")

    def test_401_is_not_retried_and_says_what_to_fix(self):
        FAKE.fail(401, times=1)
        inv = self.paid_invoice()
        row = row_state(inv["id"], ("failed",))
        self.assertEqual(row["attempts"], 1)
        self.assertEqual(row["last_status"], 401)
        self.assertIn("clé API", row["fix"])
        self.assertEqual(len(FAKE.calls()), 1)

    def test_wrong_key_is_a_401(self):
        org = Organisation()
        org.set_armado_key("not-the-key")
        d = org.renter()
        inv = invoice_of(org.week(d, net=0, rent=12000))
        FAKE.add_bill(inv["number"], key=self.key)
        r = org.api("POST", f"/api/v1/invoices/{inv['id']}/payments",
                    {"amount_cents": 12000, "method": "carte", "paid_on": "2026-11-30"})
        self.assertEqual(r.status, 201, r.text)
        row = row_state(inv["id"], ("failed",))
        self.assertEqual(row["last_status"], 401)
        self.assertEqual(FAKE.bill(inv["number"], key=self.key)["status"], "unpaid")
        # The key never reaches the row, the job or the log.
        self.assertNotIn("not-the-key", str(row))

    def test_no_key_fails_with_what_to_fix(self):
        org = Organisation()
        d = org.renter()
        inv = invoice_of(org.week(d, net=0, rent=12000))
        r = org.api("POST", f"/api/v1/invoices/{inv['id']}/payments",
                    {"amount_cents": 12000, "method": "carte", "paid_on": "2026-11-30"})
        self.assertEqual(r.status, 201, r.text)
        row = row_state(inv["id"], ("failed",))
        self.assertIn("Aucune clé API Armado", row["last_error"])
        self.assertEqual(FAKE.calls(), [])

    def test_bill_not_found_then_relaunched(self):
        inv = self.paid_invoice(with_bill=False)
        row = row_state(inv["id"], ("failed",))
        self.assertEqual(row["attempts"], 1)
        self.assertIn(inv["number"], row["last_error"])
        self.assertIn("Créez la facture", row["fix"])
        self.assertEqual(len(FAKE.calls("PUT")), 0)
        FAKE.add_bill(inv["number"], key=self.key)
        r = self.org.api("POST", f"/api/v1/accounting-sync/{row['id']}/retry")
        self.assertEqual(r.status, 200, r.text)
        row = row_state(inv["id"], ("done",))
        self.assertIsNone(row["fix"])
        # Done is done: no second relaunch.
        r = self.org.api("POST", f"/api/v1/accounting-sync/{row['id']}/retry")
        self.assertEqual(r.status, 409, r.text)

    def test_422_is_not_retried_and_shows_armados_message(self):
        FAKE.fail(422, method="PUT")
        inv = self.paid_invoice()
        row = row_state(inv["id"], ("failed",))
        self.assertEqual(row["last_status"], 422)
        self.assertIn("Simulated error 422", row["last_error"])
        self.assertIn("modes de paiement", row["fix"])
        self.assertEqual(row["attempts"], 1)
        self.assertEqual(len(FAKE.calls("PUT")), 1)
        # The bill found stays known for the relaunch.
        self.assertIsNotNone(row["bill_id"])
        r = self.org.api("POST", f"/api/v1/accounting-sync/{row['id']}/retry")
        self.assertEqual(r.status, 200, r.text)
        row_state(inv["id"], ("done",))
        self.assertEqual(len(FAKE.calls("GET")), 1)

    def test_404_on_update_looks_the_bill_up_again(self):
        FAKE.fail(404, method="PUT")
        inv = self.paid_invoice()
        row = row_state(inv["id"], ("failed",))
        self.assertEqual(row["last_status"], 404)
        self.assertIn("disparu", row["last_error"])
        self.assertIsNone(row["bill_id"])
        r = self.org.api("POST", f"/api/v1/accounting-sync/{row['id']}/retry")
        self.assertEqual(r.status, 200, r.text)
        row_state(inv["id"], ("done",))
        self.assertEqual(len(FAKE.calls("GET")), 2)

    def test_422_of_the_fake_on_a_malformed_update(self):
        """The fake is strict: what the client sends passes it (checked in
        the successful tests), and what it must not send does not."""
        bill = FAKE.add_bill("F-STRICT-1")
        import json
        import urllib.request
        req = urllib.request.Request(f"{URL}/v1/bill/{bill}", method="PUT",
                                     data=json.dumps({"paymentType": 9,
                                                      "paymentDate": "2026-11-30"}).encode(),
                                     headers={"ApiKey": KEY, "Content-Type": "application/json"})
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=5)
        self.assertEqual(e.exception.code, 422)
        req = urllib.request.Request(f"{URL}/v1/bill?reference=F-STRICT-1")
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=5)
        self.assertEqual(e.exception.code, 401)

    def test_a_relaunch_while_waiting_is_refused(self):
        FAKE.fail("slow", times=1, delay=1.5)
        inv = self.paid_invoice()
        row = wait_for(lambda: sync_rows(inv["id"]) and sync_rows(inv["id"])[0])
        r = self.org.api("POST", f"/api/v1/accounting-sync/{row['id']}/retry")
        self.assertEqual(r.status, 409, r.text)
        row_state(inv["id"], ("done",))


class Api(Base):
    def test_list_filters_and_roles(self):
        FAKE.fail(401, times=1)
        inv = self.paid_invoice()
        row = row_state(inv["id"], ("failed",))
        r = self.org.api("GET", "/api/v1/accounting-sync?state=failed", who="manager")
        self.assertEqual(r.status, 200, r.text)
        items = r.json()["data"]
        mine = [i for i in items if i["id"] == row["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["invoice_number"], inv["number"])
        self.assertEqual(mine[0]["state"], "failed")
        self.assertTrue(mine[0]["can_retry"])
        self.assertIn("clé API", mine[0]["fix"])
        self.assertTrue(all(i["state"] == "failed" for i in items))
        # Managers read, they do not relaunch; viewers see nothing.
        r = self.org.api("POST", f"/api/v1/accounting-sync/{row['id']}/retry", who="manager")
        self.assertEqual(r.status, 403, r.text)
        r = self.org.api("GET", "/api/v1/accounting-sync", who="viewer")
        self.assertEqual(r.status, 403, r.text)
        r = self.org.api("GET", "/api/v1/accounting-sync?state=nope")
        self.assertEqual(r.status, 422, r.text)
        # Another organisation's row is unknown here.
        other = Organisation()
        r = other.api("POST", f"/api/v1/accounting-sync/{row['id']}/retry")
        self.assertEqual(r.status, 404, r.text)


class Screen(Base):
    def test_relancer_from_the_screen(self):
        inv = self.paid_invoice(with_bill=False)
        row = row_state(inv["id"], ("failed",))
        s = signed_in(self.org.email["finance"])
        page = s.get("/finance/accounting-sync")
        self.assertEqual(page.status, 200, page.text)
        self.assertIn(inv["number"], page.text)
        self.assertIn("Créez la facture", page.text)
        self.assertIn("Relancer", page.text)
        FAKE.add_bill(inv["number"], key=self.key)
        # Without the CSRF token: refused.
        r = s.post(f"/finance/accounting-sync/{row['id']}/retry", {}, csrf=False)
        self.assertEqual(r.status, 403)
        r = s.post(f"/finance/accounting-sync/{row['id']}/retry", {"csrf": csrf_of(page)},
                   csrf=False)
        self.assertEqual(r.status, 303, r.text)
        row_state(inv["id"], ("done",))
        m = signed_in(self.org.email["manager"])
        page = m.get("/finance/accounting-sync?state=done")
        self.assertEqual(page.status, 200)
        self.assertIn(inv["number"], page.text)
        self.assertNotIn("Relancer</button>", page.text)


# The test stack points the platforms' endpoints at their fakes; in
# production those would be refused too, so they are left blank here.
PRODUCTION = {"FLEETCORE_ENV": "production",
              **{f"FLEETCORE_{p}_{k}_URL": "" for p in ("BOLT", "UBER", "HEETCH")
                 for k in ("AUTH", "API")}}


class Configuration(unittest.TestCase):
    def test_armado_url_is_fixed_in_production(self):
        out = cli("config", env={**PRODUCTION,
                                 "FLEETCORE_ARMADO_URL": "http://127.0.0.1:9"})
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("FLEETCORE_ARMADO_URL: fixed to https://api.myarmado.fr", out.stderr)
        out = cli("config", env={**PRODUCTION,
                                 "FLEETCORE_ARMADO_URL": "https://api.myarmado.fr"})
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("FLEETCORE_ARMADO_URL=https://api.myarmado.fr", out.stdout)
        out = cli("config", env={"FLEETCORE_ENV": "development",
                                 "FLEETCORE_ARMADO_URL": "http://127.0.0.1:9"})
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("FLEETCORE_ARMADO_URL=http://127.0.0.1:9", out.stdout)
        self.assertIn("FLEETCORE_ARMADO_ATTEMPTS=10", out.stdout)


if __name__ == "__main__":
    unittest.main()
