"""Invoices: issued by the validation of a week for drivers who rent or
pay commission (none for salaried drivers), numbered without gaps per
organisation and year — also when weeks are validated at once or a
validation rolls back —, netted by the settlement, paid by recorded
payments (partial ones kept, posted to the ledger under their key), with
the API's checks, roles and tenants, the « Factures » screens with CSRF,
and the weekly statement as a PDF read back with pdftotext."""
import os
import subprocess
import tempfile
import threading
import unittest

from finance_helpers import as_member, driver_balance, ledger_total
from identity import csrf_of, psql, psql_one, quote, signed_in
from invoice_helpers import Organisation, invoice_of, next_monday, payments, sync_rows

NNBSP = "\u202f"
NBSP = "\u00a0"


def eur(text):
    """French money as fmt writes it: "1 234,56 €" with its no-break
    spaces."""
    whole, cents = text.split(",")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return NNBSP.join(groups) + "," + cents + NBSP + "€"


def pdftotext(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", f.name, "-"],
                             capture_output=True, check=True)
    # pdftotext writes the no-break spaces of the amounts as spaces.
    return out.stdout.decode("utf-8")


class Issuing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.org = Organisation("Flotte Numérotée")

    def test_lines_total_and_numbering_start_at_one(self):
        d = self.org.renter()
        expected = self.org.next_number()
        s = self.org.week(d, net=100000, rent=30000, commission=5000,
                          charges=[("amende", 13500, "PV stationnement rue de Rivoli"),
                                   ("carburant", 4200, "Plein du 12/11")])
        inv = invoice_of(s)
        self.assertEqual(inv["number"], expected)
        year = psql_one("SELECT extract(year FROM now() AT TIME ZONE 'Europe/Paris')::int")
        self.assertEqual(psql_one(f"SELECT min(number) FROM invoices WHERE tenant_id ="
                                  f" {quote(self.org.tid)}"), f"F{year}-00001")
        self.assertEqual(inv["total_cents"], 30000 + 5000 + 13500 + 4200)
        r = self.org.api("GET", f"/api/v1/invoices/{inv['id']}", who="manager")
        self.assertEqual(r.status, 200, r.text)
        got = r.json()["data"]
        kinds = [(l["kind"], l["amount_cents"]) for l in got["lines"]]
        self.assertEqual(kinds, [("loyer", 30000), ("commission", 5000),
                                 ("amende", 13500), ("carburant", 4200)])
        self.assertIn("PV stationnement rue de Rivoli", got["lines"][2]["label"])
        self.assertEqual(sum(l["amount_cents"] for l in got["lines"]), got["total_cents"])
        # Earnings cover it: netted by the settlement, fully paid.
        self.assertEqual(got["status"], "paid")
        self.assertEqual([(p["method"], p["amount_cents"]) for p in got["payments"]],
                         [("compensation", got["total_cents"])])

    def test_salaried_and_nothing_to_invoice_get_no_invoice_and_no_number(self):
        before = psql_one(f"SELECT coalesce(max(seq), 0) FROM invoices"
                          f" WHERE tenant_id = {quote(self.org.tid)}")
        d = self.org.renter()
        self.assertIsNone(invoice_of(self.org.week(d, net=50000)))
        d2 = self.org.renter()
        psql(f"UPDATE drivers SET collaboration = 'salarie' WHERE id = {quote(d2)}")
        self.assertIsNone(invoice_of(self.org.week(d2, net=50000, rent=10000, payroll=True)))
        after = psql_one(f"SELECT coalesce(max(seq), 0) FROM invoices"
                         f" WHERE tenant_id = {quote(self.org.tid)}")
        self.assertEqual(before, after)

    def test_concurrent_validations_number_without_gaps(self):
        drivers = [self.org.renter() for _ in range(8)]
        errors = []

        def go(d):
            try:
                self.org.week(d, net=0, rent=1000)
            except AssertionError as e:  # psql failed
                errors.append(e)
        threads = [threading.Thread(target=go, args=(d,)) for d in drivers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        seqs = [int(x) for x in psql(f"SELECT seq FROM invoices WHERE tenant_id ="
                                      f" {quote(self.org.tid)} ORDER BY seq")]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        numbers = psql(f"SELECT number FROM invoices WHERE tenant_id = {quote(self.org.tid)}")
        self.assertEqual(len(numbers), len(set(numbers)))

    def test_a_rolled_back_validation_gives_its_number_back(self):
        before = int(psql_one(f"SELECT coalesce(max(seq), 0) FROM invoices"
                              f" WHERE tenant_id = {quote(self.org.tid)}"))
        d = self.org.renter()
        # Validated, then rolled back: no invoice, the number is not lost.
        sid = self._brouillon(d)
        out = as_member(f"SELECT settlement_freeze({quote(sid)}); SELECT 1/0",
                        email=self.org.email["finance"], tenant=self.org.slug, check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIsNone(invoice_of(sid))
        as_member(f"SELECT settlement_freeze({quote(sid)})",
                  email=self.org.email["finance"], tenant=self.org.slug)
        self.assertEqual(invoice_of(sid)["seq"], before + 1)

    def _brouillon(self, d):
        monday = next_monday()
        iso = monday.isocalendar()
        return psql_one(
            "INSERT INTO settlements (tenant_id, driver_id, week_start, week, collaboration,"
            " rent_days, rent_cents, opening_balance_cents, amount_due_cents) VALUES"
            f" ({quote(self.org.tid)}, {quote(d)}, {quote(str(monday))},"
            f" '{iso[0]}-W{iso[1]:02d}', 'location_auto_entrepreneur', 7, 2000,"
            f" {driver_balance(d)}, {driver_balance(d) - 2000}) RETURNING id")

    def test_issuing_twice_is_the_same_invoice(self):
        d = self.org.renter()
        s = self.org.week(d, rent=1500)
        first = invoice_of(s)
        again = as_member(f"SELECT invoice_issue({quote(s)})", email=self.org.email["finance"],
                          tenant=self.org.slug)
        self.assertEqual(again, [first["id"]])


class Paying(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.org = Organisation("Flotte Paiements")

    def test_debt_leaves_the_rest_open_then_partial_then_full(self):
        d = self.org.renter()
        inv = invoice_of(self.org.week(d, net=10000, rent=30000))
        # Earned 100 €, owed 300 € of rent: 100 € netted, 200 € open.
        self.assertEqual((inv["paid_cents"], inv["status"]), (10000, "partly_paid"))
        self.assertEqual(driver_balance(d), -20000)
        path = f"/api/v1/invoices/{inv['id']}/payments"
        r = self.org.api("POST", path, {"amount_cents": 5000, "method": "especes",
                                        "paid_on": "2026-11-20"})
        self.assertEqual(r.status, 201, r.text)
        got = r.json()["data"]
        self.assertEqual((got["paid_cents"], got["remaining_cents"], got["status"]),
                         (15000, 15000, "partly_paid"))
        self.assertEqual(sync_rows(inv["id"]), [])
        self.assertEqual(driver_balance(d), -15000)
        r = self.org.api("POST", path, {"amount_cents": 15000, "method": "virement"})
        self.assertEqual(r.status, 201, r.text)
        got = r.json()["data"]
        self.assertEqual(got["status"], "paid")
        self.assertEqual([(p["n"], p["method"], p["amount_cents"]) for p in got["payments"]],
                         [(1, "compensation", 10000), (2, "especes", 5000),
                          (3, "virement", 15000)])
        self.assertEqual(driver_balance(d), 0)
        self.assertEqual(ledger_total(self.org.slug), 0)
        self.assertEqual(len(sync_rows(inv["id"])), 1)
        # Each recorded payment is posted once, under its key.
        keys = psql("SELECT key FROM ledger_transactions WHERE key LIKE"
                    f" {quote('invoice:' + inv['id'] + ':payment:%')} ORDER BY key")
        self.assertEqual(keys, [f"invoice:{inv['id']}:payment:2",
                                f"invoice:{inv['id']}:payment:3"])

    def test_next_week_nets_an_old_debt_oldest_first(self):
        d = self.org.renter()
        old = invoice_of(self.org.week(d, net=0, rent=20000))
        self.assertEqual(old["status"], "open")
        new = invoice_of(self.org.week(d, net=100000, rent=20000))
        self.assertEqual(invoice_of(old["settlement_id"])["status"], "paid")
        self.assertEqual(new["status"], "paid")
        self.assertEqual([p["method"] for p in payments(old["id"])], ["compensation"])

    def test_refused_payments(self):
        d = self.org.renter()
        inv = invoice_of(self.org.week(d, net=0, rent=10000))
        path = f"/api/v1/invoices/{inv['id']}/payments"
        cases = [
            ({"amount_cents": 10001, "method": "virement"}, "amount_cents"),
            ({"amount_cents": 0, "method": "virement"}, "amount_cents"),
            ({"amount_cents": 12.5, "method": "virement"}, "amount_cents"),
            ({"amount_cents": 100, "method": "bitcoin"}, "method"),
            ({"amount_cents": 100, "method": "compensation"}, "method"),
            ({"amount_cents": 100, "method": "cheque", "paid_on": "2999-01-01"}, "paid_on"),
            ({"amount_cents": 100, "method": "cheque", "paid_on": "31/02/2026"}, "paid_on"),
            ({"method": "cheque"}, "amount_cents"),
        ]
        for body, field in cases:
            r = self.org.api("POST", path, body)
            self.assertEqual(r.status, 422, f"{body}: {r.text}")
            err = r.json()["error"]
            self.assertEqual(err["code"], "validation_failed")
            self.assertIn(field, err["fields"], body)
        r = self.org.api("POST", path, {"amount_cents": 10001, "method": "virement"}, lang="en")
        self.assertIn("left to pay", r.json()["error"]["fields"]["amount_cents"])
        self.assertEqual(payments(inv["id"]), [])
        r = self.org.api("POST", "/api/v1/invoices/00000000-0000-0000-0000-000000000000/payments",
                         {"amount_cents": 1, "method": "virement"})
        self.assertEqual(r.status, 404, r.text)

    def test_roles_and_tenants(self):
        d = self.org.renter()
        inv = invoice_of(self.org.week(d, net=0, rent=10000))
        path = f"/api/v1/invoices/{inv['id']}/payments"
        body = {"amount_cents": 100, "method": "virement"}
        self.assertEqual(self.org.api("POST", path, body, who="manager").status, 403)
        self.assertEqual(self.org.api("POST", path, body, who="viewer").status, 403)
        self.assertEqual(self.org.api("GET", "/api/v1/invoices", who="viewer").status, 403)
        for who in ("owner", "admin"):
            r = self.org.api("POST", path, body, who=who)
            self.assertEqual(r.status, 201, f"{who}: {r.text}")
        other = Organisation()
        self.assertEqual(other.api("GET", f"/api/v1/invoices/{inv['id']}").status, 404)
        self.assertEqual(other.api("POST", path, body).status, 404)
        r = other.api("GET", "/api/v1/invoices")
        self.assertEqual(r.json()["data"], [])

    def test_list_filters(self):
        d = self.org.renter()
        inv = invoice_of(self.org.week(d, net=0, rent=7000))
        r = self.org.api("GET", f"/api/v1/invoices?driver_id={d}", who="manager")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual([i["id"] for i in r.json()["data"]], [inv["id"]])
        r = self.org.api("GET", f"/api/v1/invoices?week={inv['week']}&status=open")
        self.assertEqual([i["id"] for i in r.json()["data"]], [inv["id"]])
        r = self.org.api("GET", f"/api/v1/invoices?week={inv['week']}&status=paid")
        self.assertEqual(r.json()["data"], [])
        for bad in ("week=2026-48", "week=2026-W54", "status=nope", "driver_id=x"):
            r = self.org.api("GET", f"/api/v1/invoices?{bad}")
            self.assertEqual(r.status, 422, bad)
            self.assertIn(bad.split("=")[0], r.json()["error"]["fields"])


class Screens(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.org = Organisation("Flotte Écrans")

    def test_list_invoice_and_payment_form(self):
        d = self.org.renter()
        inv = invoice_of(self.org.week(d, net=0, rent=123456))
        s = signed_in(self.org.email["finance"])
        page = s.get("/finance/invoices")
        self.assertEqual(page.status, 200)
        self.assertIn(inv["number"], page.text)
        self.assertIn(eur("1234,56"), page.text)
        page = s.get(f"/finance/invoices/{inv['id']}")
        self.assertEqual(page.status, 200)
        self.assertIn("Loyer du véhicule", page.text)
        self.assertIn("Enregistrer un paiement", page.text)
        path = f"/finance/invoices/{inv['id']}/payments"
        form = {"amount": "234,56", "method": "cheque", "paid_on": "2026-11-30"}
        self.assertEqual(s.post(path, form, csrf=False).status, 403)
        self.assertEqual(payments(inv["id"]), [])
        bad = s.post(path, dict(form, amount="9 999,00", csrf=csrf_of(page)), csrf=False)
        self.assertEqual(bad.status, 422)
        self.assertIn("ne pas dépasser ce qui reste à payer", bad.text)
        self.assertIn('value="9 999,00"', bad.text)
        r = s.post(path, dict(form, csrf=csrf_of(page)), csrf=False)
        self.assertEqual(r.status, 303, r.text)
        page = s.get(r.header("Location"))
        self.assertIn("Paiement enregistré", page.text)
        self.assertIn("Chèque", page.text)
        self.assertIn(eur("1000,00"), page.text)
        m = signed_in(self.org.email["manager"])
        page = m.get(f"/finance/invoices/{inv['id']}")
        self.assertEqual(page.status, 200)
        self.assertNotIn("Enregistrer un paiement", page.text)
        r = m.post(path, dict(form, csrf=csrf_of(page)), csrf=False)
        self.assertEqual(r.status, 403)
        en = s.get(f"/finance/invoices/{inv['id']}", headers={"Accept-Language": "en"})
        self.assertEqual(en.status, 200)

    def test_statement_pdf(self):
        d = self.org.renter()
        psql(f"UPDATE drivers SET first_name = 'Amélie', last_name = 'Œuvray-Süß' WHERE id = {quote(d)}")
        sid = self.org.week(d, net=123456, cash=20000, rent=30000, commission=6170,
                            charges=[("amende", 13500, "Stationnement gênant, rue de Belleville")])
        r = self.org.api("GET", f"/api/v1/settlements/{sid}/statement.pdf", who="manager")
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertTrue(r.body.startswith(b"%PDF-"))
        text = pdftotext(r.body)
        self.assertIn("Relevé hebdomadaire — Amélie Œuvray-Süß", text)
        self.assertIn("Flotte Écrans", text)
        # fmt's no-break spaces come back as spaces.
        plain = text.replace(NNBSP, " ").replace(NBSP, " ")
        for amount in ("1 234,56 €", "-200,00 €", "-300,00 €", "-61,70 €", "-135,00 €"):
            self.assertIn(amount, plain)
        self.assertRegex(plain, r"Totaux +1 234,56 € +200,00 €")
        due = 123456 - 20000 - 30000 - 6170 - 13500
        self.assertRegex(plain, rf"Solde de clôture +{due // 100},{due % 100:02d} €")
        self.assertIn("Stationnement gênant, rue de Belleville", text)
        self.assertIn("Solde de clôture", text)
        self.assertIn("Page 1 / 1", text)
        week = psql_one(f"SELECT week_start FROM settlements WHERE id = {quote(sid)}")
        y, m, dd = week.split("-")
        self.assertIn(f"{dd}/{m}/{y}", text)
        # No word cut in the head rows of the tables.
        self.assertIn("Plateforme", text)
        self.assertIn("Pourboires", text)
        # The screen's link; in English through the API.
        s = signed_in(self.org.email["finance"])
        page = s.get(f"/finance/settlements/{sid}")
        self.assertIn(f"/finance/settlements/{sid}/statement.pdf", page.text)
        r = s.get(f"/finance/settlements/{sid}/statement.pdf")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b"%PDF-"))
        r = self.org.api("GET", f"/api/v1/settlements/{sid}/statement.pdf", lang="en")
        en = pdftotext(r.body).replace(NNBSP, " ").replace(NBSP, " ")
        self.assertIn("Weekly statement", en)
        self.assertIn("€1,234.56", en)
        other = Organisation()
        self.assertEqual(other.api("GET", f"/api/v1/settlements/{sid}/statement.pdf").status, 404)


if __name__ == "__main__":
    unittest.main()
