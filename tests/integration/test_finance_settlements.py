"""Weekly settlements through the API and the screens, like a user: one
source per platform and week, Uber's Monday 04:00, prorated rent, a
cash-heavy driver's debt carried, manual lines, validation posting a
balanced ledger once (also when two requests validate at once), data that
arrives after validation becoming an adjustment on the next open week,
and who may act."""
import re
import threading
import unittest
import uuid

from finance_helpers import driver_balance, ledger_total, new_driver
from identity import api, api_token, new_plate, psql, psql_one, quote, signed_in

TENANT = "demo"
_weeks = iter(range(1, 50))


def fresh_week():
    """A week of its own (2031) for each test, far from the demo's."""
    n = next(_weeks)
    return f"2031-W{n:02d}", psql_one(f"SELECT to_date('2031-W{n:02d}', 'IYYY-\"W\"IW')")


def week_after(monday):
    return psql_one(f"SELECT to_char({quote(monday)}::date + 7, 'IYYY-\"W\"IW')")


def trip(driver_id, platform, at, net, cash=0, tips=0):
    """A trip as an import writes it; at is Paris wall time."""
    psql("INSERT INTO trips (tenant_id, source, source_key, platform, driver_id, status,"
         " started_at, net_earnings_cents, cash_collected_cents, tips_cents) SELECT id,"
         f" 'test', {quote(uuid.uuid4())}, {quote(platform)}, {quote(driver_id)}, 'terminee',"
         f" {quote(at)}::timestamp AT TIME ZONE 'Europe/Paris', {net}, {cash}, {tips}"
         f" FROM tenants WHERE slug = {quote(TENANT)}", role="fleetcore_owner")


def earning(driver_id, platform, monday, net, cash=0, bonuses=0, tips=0):
    psql("INSERT INTO earnings (tenant_id, source, source_key, platform, driver_id, period,"
         " period_start, period_end, net_cents, cash_collected_cents, bonuses_cents, tips_cents)"
         f" SELECT id, 'test', {quote(uuid.uuid4())}, {quote(platform)}, {quote(driver_id)},"
         f" 'semaine', {quote(monday)}::date, {quote(monday)}::date + 6, {net}, {cash},"
         f" {bonuses}, {tips} FROM tenants WHERE slug = {quote(TENANT)}", role="fleetcore_owner")


def terms(driver_id, **cols):
    sets = ", ".join(f"{k} = {quote(v) if isinstance(v, str) else v}" for k, v in cols.items())
    psql(f"UPDATE drivers SET {sets} WHERE id = {quote(driver_id)}", role="fleetcore_owner")


def vehicle_held_by(tok, driver_id, monday, days=7):
    """A vehicle the driver holds from Monday 00:00 for days days."""
    v = api("POST", "/api/v1/vehicles", tok, {"plate": new_plate(), "make": "Toyota",
                                              "model": "Corolla", "energy": "hybride"})
    assert v.status == 201, v.text
    vid = v.json()["data"]["id"]
    psql("INSERT INTO assignments (tenant_id, vehicle_id, driver_id, starts_at, ends_at)"
         f" SELECT tenant_id, {quote(vid)}, {quote(driver_id)},"
         f" {quote(monday)}::date::timestamp AT TIME ZONE 'Europe/Paris',"
         f" ({quote(monday)}::date + {days})::timestamp AT TIME ZONE 'Europe/Paris'"
         f" FROM drivers WHERE id = {quote(driver_id)}", role="fleetcore_owner")
    return vid


class Settlements(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fin = api_token(TENANT, "finance@demo.test")
        cls.man = api_token(TENANT, "manager@demo.test")

    def settlement(self, week, driver_id, tok=None):
        r = api("GET", f"/api/v1/settlements?week={week}&driver_id={driver_id}", tok or self.fin)
        self.assertEqual(r.status, 200, r.text)
        data = r.json()["data"]
        self.assertEqual(len(data), 1, r.text)
        return data[0]

    def validate(self, sid, tok=None):
        return api("POST", f"/api/v1/settlements/{sid}/validate", tok or self.fin)

    def test_one_source_per_platform_and_uber_week(self):
        week, monday = fresh_week()
        d = new_driver()
        terms(d, collaboration="commission", commission_rate_bp=2000)
        # Bolt sends both trips and the week's earnings: only earnings count.
        trip(d, "bolt", f"{monday} 10:00", 5000, cash=1000)
        earning(d, "bolt", monday, 12345, cash=2000, bonuses=500, tips=300)
        # Uber's week starts Monday 04:00: 02:00 is last week's.
        trip(d, "uber", f"{monday} 02:00", 9999)
        trip(d, "uber", f"{monday} 05:00", 4000, cash=4000, tips=200)
        s = self.settlement(week, d)
        plats = {p["platform"]: p for p in s["platforms"]}
        self.assertEqual(plats["bolt"]["source"], "earnings")
        self.assertEqual(plats["bolt"]["net_cents"], 12345)
        self.assertEqual(plats["bolt"]["cash_collected_cents"], 2000)
        self.assertEqual(plats["uber"]["source"], "trips")
        self.assertEqual(plats["uber"]["net_cents"], 4000)
        self.assertEqual(s["platform_net_cents"], 16345)
        self.assertEqual(s["cash_collected_cents"], 6000)
        # 20 % of the net without tips and bonuses, 20 % of those too.
        self.assertEqual(s["commission_cents"], round(16345 * 0.2))
        for k in ("id", "driver_id", "week", "period_start", "period_end", "platform_net_cents",
                  "cash_collected_cents", "rent_cents", "commission_cents", "charges_cents",
                  "adjustments_cents", "opening_balance_cents", "amount_due_cents", "currency",
                  "status", "platforms"):
            self.assertIn(k, s)
        self.assertEqual(s["period_start"], monday)
        self.assertEqual(s["amount_due_cents"], 16345 - 6000 - s["commission_cents"])
        self.assertEqual(s["status"], "brouillon")

    def test_rent_prorated_and_debt_carried(self):
        week, monday = fresh_week()
        d = new_driver()
        terms(d, collaboration="location_auto_entrepreneur", weekly_rent_cents=35000)
        # Held Wednesday 00:00 to Saturday 00:00: three days of seven.
        vehicle_held_by(self.man, d, psql_one(f"SELECT {quote(monday)}::date + 2"), days=3)
        # A cash-heavy week: more cash in hand than the net.
        trip(d, "heetch", f"{monday} 12:00", 10000, cash=30000)
        s = self.settlement(week, d)
        self.assertEqual(s["rent_cents"], 15000)
        self.assertEqual(s["amount_due_cents"], 10000 - 30000 - 15000)
        r = self.validate(s["id"])
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(driver_balance(d), -35000)
        nxt = self.settlement(week_after(monday), d)
        self.assertEqual(nxt["opening_balance_cents"], -35000)
        self.assertEqual(nxt["amount_due_cents"], -35000)
        self.assertEqual(ledger_total(), 0)

    def test_validation_posts_once_even_at_once(self):
        week, monday = fresh_week()
        d = new_driver()
        terms(d, collaboration="commission", commission_rate_bp=1500)
        trip(d, "uber", f"{monday} 12:00", 20000, cash=5000)
        s = self.settlement(week, d)
        entries_before = int(psql_one("SELECT count(*) FROM ledger_entries"))
        results = []

        def go():
            results.append(self.validate(s["id"]).status)
        threads = [threading.Thread(target=go) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [200, 409])
        posted = int(psql_one("SELECT count(*) FROM ledger_transactions WHERE key ="
                              f" 'settlement:{s['id']}:validate'"))
        self.assertEqual(posted, 1)
        self.assertGreater(int(psql_one("SELECT count(*) FROM ledger_entries")), entries_before)
        got = api("GET", f"/api/v1/settlements/{s['id']}", self.fin).json()["data"]
        self.assertEqual(got["status"], "valide")
        self.assertEqual(driver_balance(d), got["amount_due_cents"])
        self.assertEqual(ledger_total(), 0)
        again = self.validate(s["id"])
        self.assertEqual(again.status, 409)
        self.assertEqual(again.json()["error"]["code"], "already_validated")
        # The entries of the driver through the API add up to the balance.
        e = api("GET", f"/api/v1/ledger/entries?account=driver:{d}&limit=100", self.fin)
        self.assertEqual(e.status, 200, e.text)
        self.assertEqual(-sum(x["amount_cents"] for x in e.json()["data"]), driver_balance(d))

    def test_late_import_becomes_an_adjustment_next_week(self):
        week, monday = fresh_week()
        d = new_driver()
        terms(d, collaboration="commission", commission_rate_bp=1000)
        trip(d, "bolt", f"{monday} 12:00", 10000)
        s = self.settlement(week, d)
        self.assertEqual(self.validate(s["id"]).status, 200)
        trip(d, "bolt", f"{monday} 18:00", 3000, cash=1000)   # arrives late
        frozen = api("GET", f"/api/v1/settlements/{s['id']}", self.fin).json()["data"]
        self.assertEqual(frozen["platform_net_cents"], 10000)
        nxt = self.settlement(week_after(monday), d)
        adj = [l for l in nxt["lines"] if l["origin"] == "import"]
        self.assertEqual(sorted(l["amount_cents"] for l in adj), [-300, 2000])
        self.assertEqual(nxt["adjustments_cents"], 1700)
        # Computing again does not add them twice.
        again = self.settlement(week_after(monday), d)
        self.assertEqual(again["adjustments_cents"], 1700)
        self.assertEqual(self.validate(nxt["id"]).status, 200)
        self.assertEqual(driver_balance(d), 9000 + 1700)
        self.assertEqual(ledger_total(), 0)

    def test_manual_lines_and_roles(self):
        week, monday = fresh_week()
        d = new_driver()
        trip(d, "heetch", f"{monday} 12:00", 8000)
        s = self.settlement(week, d)
        bad = api("POST", f"/api/v1/settlements/{s['id']}/lines", self.fin,
                  {"kind": "bonus", "amount_cents": -5})
        self.assertEqual(bad.status, 422, bad.text)
        self.assertIn("amount_cents", bad.json()["error"]["fields"])
        self.assertIn("reason", bad.json()["error"]["fields"])
        r = api("POST", f"/api/v1/settlements/{s['id']}/lines", self.fin,
                {"kind": "avance", "amount_cents": 2500, "reason": "Avance du mardi"})
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["data"]["amount_cents"], -2500)
        self.assertEqual(self.settlement(week, d)["amount_due_cents"], 8000 - 2500)
        # A manager reads but does not act.
        self.assertEqual(self.settlement(week, d, self.man)["id"], s["id"])
        no = api("POST", f"/api/v1/settlements/{s['id']}/lines", self.man,
                 {"kind": "bonus", "amount_cents": 100, "reason": "x"})
        self.assertEqual(no.status, 403)
        self.assertEqual(self.validate(s["id"], self.man).status, 403)
        self.assertEqual(api("GET", "/api/v1/settlements?week=2031-W99", self.fin).status, 422)
        self.assertEqual(api("GET", "/api/v1/settlements?week=nope", self.fin).status, 422)
        # Validated: no line any more.
        self.assertEqual(self.validate(s["id"]).status, 200)
        late = api("POST", f"/api/v1/settlements/{s['id']}/lines", self.fin,
                   {"kind": "bonus", "amount_cents": 100, "reason": "trop tard"})
        self.assertEqual(late.status, 409, late.text)

    def test_fines_find_the_driver_and_late_ones_go_to_the_next_week(self):
        week, monday = fresh_week()
        d = new_driver()
        vid = vehicle_held_by(self.man, d, monday, days=14)
        trip(d, "uber", f"{monday} 12:00", 10000)
        fine = api("POST", f"/api/v1/vehicles/{vid}/events", self.man,
                   {"kind": "amende", "occurred_on": psql_one(f"SELECT {quote(monday)}::date + 2"),
                    "cost_cents": 13500, "reason": "Stationnement"})
        self.assertEqual(fine.status, 201, fine.text)
        s = self.settlement(week, d)
        fines = [l for l in s["lines"] if l["kind"] == "amende"]
        self.assertEqual([l["amount_cents"] for l in fines], [-13500])
        self.assertEqual(s["charges_cents"], 13500)
        self.assertEqual(s["amount_due_cents"], 10000 - 13500)
        self.assertEqual(self.validate(s["id"]).status, 200)
        # A fine of that week entered after its validation: next week.
        late = api("POST", f"/api/v1/vehicles/{vid}/events", self.man,
                   {"kind": "amende", "occurred_on": psql_one(f"SELECT {quote(monday)}::date + 4"),
                    "cost_cents": 3500})
        self.assertEqual(late.status, 201, late.text)
        self.assertEqual(api("GET", f"/api/v1/settlements/{s['id']}", self.fin)
                         .json()["data"]["charges_cents"], 13500)
        nxt = self.settlement(week_after(monday), d)
        self.assertEqual(nxt["charges_cents"], 3500)
        self.assertEqual(nxt["opening_balance_cents"], -3500)
        self.assertEqual(nxt["amount_due_cents"], -7000)
        self.assertEqual(ledger_total(), 0)

    def test_a_driver_reads_only_their_own_settlements(self):
        week, monday = fresh_week()
        own = psql_one("SELECT d.id FROM drivers d JOIN users u ON u.id = d.user_id"
                       " WHERE u.email = 'chauffeur@demo.test'")
        trip(own, "bolt", f"{monday} 12:00", 4000)
        other = new_driver()
        trip(other, "bolt", f"{monday} 12:00", 5000)
        theirs = self.settlement(week, other)
        mine = self.settlement(week, own)
        tok = api_token(TENANT, "chauffeur@demo.test", scope="read")
        r = api("GET", f"/api/v1/settlements?week={week}&limit=100", tok)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual([x["id"] for x in r.json()["data"]], [mine["id"]])
        self.assertEqual(api("GET", f"/api/v1/settlements/{theirs['id']}", tok).status, 404)
        self.assertEqual(api("GET", f"/api/v1/settlements/{mine['id']}", tok).status, 200)
        self.assertEqual(api("POST", f"/api/v1/settlements/{mine['id']}/validate", tok).status, 403)
        self.assertEqual(api("GET", "/api/v1/ledger/entries", tok).status, 403)

    def test_reconciliation_of_a_generated_week(self):
        """Σ platform money of the week's rows = Σ of the settlements'
        platform lines; the ledger balances; each driver's balance is Σ of
        their entries, after « Tout valider » from the screen."""
        week, monday = fresh_week()
        drivers = [new_driver() for _ in range(6)]
        expected = 0
        for i, d in enumerate(drivers):
            terms(d, collaboration=["commission", "location_auto_entrepreneur", "salarie"][i % 3],
                  commission_rate_bp=1200, weekly_rent_cents=21000)
            for k in range(5):
                net, cash = 1000 + 137 * i + 11 * k, (900 * i * k) % 2500
                trip(d, ["uber", "bolt", "heetch"][k % 3], f"{monday} {10 + k}:15", net, cash=cash)
                expected += net
        data, page = [], 1
        while True:
            r = api("GET", f"/api/v1/settlements?week={week}&limit=100&page={page}", self.fin)
            self.assertEqual(r.status, 200, r.text)
            data += r.json()["data"]
            if not r.json()["pagination"]["has_next"]:
                break
            page += 1
        ours = [s for s in data if s["driver_id"] in drivers]
        self.assertEqual(len(ours), 6)
        self.assertEqual(sum(p["net_cents"] for s in data for p in s["platforms"]),
                         int(psql_one("SELECT coalesce(sum(net_earnings_cents), 0) FROM trips t"
                                      " JOIN tenants o ON o.id = t.tenant_id WHERE o.slug = 'demo'"
                                      f" AND t.driver_id IS NOT NULL AND t.started_at >="
                                      f" ({quote(monday)}::date + time '04:00') AT TIME ZONE"
                                      " 'Europe/Paris' AND t.started_at < ("
                                      f"{quote(monday)}::date + 7) AT TIME ZONE 'Europe/Paris'")))
        self.assertEqual(sum(s["platform_net_cents"] for s in ours), expected)
        # « Tout valider » from the week's page, as finance.
        browser = signed_in("finance@demo.test")
        page = browser.get(f"/finance?week={week}")
        self.assertEqual(page.status, 200)
        self.assertIn("Tout valider", page.text)
        no_csrf = browser.post(f"/finance/weeks/{week}/validate", csrf=False)
        self.assertEqual(no_csrf.status, 403)
        done = browser.post(f"/finance/weeks/{week}/validate",
                            csrf=re.search(r'name="csrf" value="([^"]+)"', page.text).group(1))
        self.assertEqual(done.status, 303, done.text[:300])
        for s in ours:
            got = api("GET", f"/api/v1/settlements/{s['id']}", self.fin).json()["data"]
            self.assertEqual(got["status"], "valide")
            if got["payroll"] == "oui":
                self.assertEqual(got["amount_due_cents"], 0)
                self.assertEqual(driver_balance(s["driver_id"]), 0)
            else:
                self.assertEqual(driver_balance(s["driver_id"]), got["amount_due_cents"])
        self.assertEqual(ledger_total(), 0)
        ledger = browser.get("/finance/ledger")
        self.assertEqual(ledger.status, 200)
        self.assertIn("cash_held", ledger.text)
        # One driver's entries as CSV: theirs alone (a salaried driver has
        # no account of their own, so a renting one).
        paid = [s for s in ours if s["payroll"] == "non"]
        csv = browser.get(f"/finance/ledger/export?format=csv&driver_id={paid[0]['driver_id']}")
        self.assertEqual(csv.status, 200, csv.text[:300])
        self.assertIn("driver:" + paid[0]["driver_id"], csv.text)
        self.assertNotIn("driver:" + paid[1]["driver_id"], csv.text)
        # The salaried drivers' week, for payroll: theirs alone.
        pay = browser.get(f"/finance/export?week={week}&payroll=oui&format=csv")
        self.assertEqual(pay.status, 200, pay.text[:300])
        names = {s["driver"] for s in ours}
        salaried = {s["driver"] for s in ours if s["payroll"] == "oui"}
        self.assertEqual(len(salaried), 2)
        self.assertEqual({n for n in names if n in pay.text}, salaried)


class Screens(unittest.TestCase):
    def test_statement_page_and_manual_line_form(self):
        week, monday = fresh_week()
        d = new_driver()
        trip(d, "bolt", f"{monday} 12:00", 4242, cash=1000)
        fin = api_token(TENANT, "finance@demo.test")
        s = api("GET", f"/api/v1/settlements?week={week}&driver_id={d}", fin).json()["data"][0]
        browser = signed_in("finance@demo.test")
        page = browser.get(f"/finance/settlements/{s['id']}")
        self.assertEqual(page.status, 200)
        self.assertIn("Relevé hebdomadaire", page.text)
        self.assertIn("42,42", page.text)
        self.assertIn("Somme des courses", page.text)
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        bad = browser.post(f"/finance/settlements/{s['id']}/lines",
                           {"kind": "bonus", "amount": "abc", "reason": ""}, csrf=token)
        self.assertEqual(bad.status, 422)
        self.assertIn('aria-invalid="true"', bad.text)
        ok = browser.post(f"/finance/settlements/{s['id']}/lines",
                          {"kind": "bonus", "amount": "12,50", "reason": "Prime qualité"},
                          csrf=token)
        self.assertEqual(ok.status, 303, ok.text[:300])
        after = browser.get(ok.header("location"))
        self.assertIn("Prime qualité", after.text)
        self.assertIn("12,50", after.text)
        manager = signed_in("manager@demo.test")
        self.assertEqual(manager.get(f"/finance/settlements/{s['id']}").status, 200)
        refused = manager.post(f"/finance/settlements/{s['id']}/validate")
        self.assertEqual(refused.status, 403)
        viewer = signed_in("viewer@demo.test")
        self.assertEqual(viewer.get("/finance").status, 403)


if __name__ == "__main__":
    unittest.main()
