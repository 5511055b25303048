"""The dashboard's numbers: every indicator of GET /api/v1/analytics/overview
checked against a direct SQL computation over the trips and earnings
themselves (not the rollup), over generated data — an ordinary week, an
empty period, a period across the autumn DST change, a driver with only
cash trips — and the rollup kept up to date when trips are inserted,
moved to another day and deleted; the period's checks; who may read it;
the page itself."""
import random
import re
import unittest
import uuid

from identity import (add_user, api, api_token, ensure_tenant, psql, psql_one, quote,
                      signed_in, unique)

KPIS = ["gross_revenue_cents", "net_revenue_cents", "trips_done", "cancellation_rate",
        "active_drivers", "active_vehicles", "revenue_per_driver_cents", "vehicle_utilisation",
        "cash_held_cents", "documents_due"]


def expected(tenant, start, end):
    """The ten indicators of [start, end] (Paris days) straight from trips,
    earnings, vehicles and documents, by the definitions of the overview."""
    T, F, E = quote(tenant), quote(start), quote(end)
    row = psql(f"""
WITH t AS (
    SELECT t.*, v.id AS vehicle_id, (t.started_at AT TIME ZONE 'Europe/Paris')::date AS day
      FROM trips t LEFT JOIN vehicles v ON v.tenant_id = t.tenant_id AND v.plate = t.vehicle_plate
     WHERE t.tenant_id = {T}
       AND t.started_at >= ({F}::date::timestamp AT TIME ZONE 'Europe/Paris')
       AND t.started_at < (({E}::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')
), e AS (
    SELECT e.*, a.vehicle_id FROM earnings e
      LEFT JOIN assignments a ON a.tenant_id = e.tenant_id AND a.driver_id = e.driver_id
     WHERE e.tenant_id = {T} AND e.period = 'jour' AND e.period_start BETWEEN {F} AND {E}
       AND NOT EXISTS (SELECT 1 FROM trips x WHERE x.tenant_id = e.tenant_id
             AND x.platform = e.platform AND x.driver_id = e.driver_id
             AND (x.started_at AT TIME ZONE 'Europe/Paris')::date = e.period_start)
), done AS (
    SELECT driver_id, vehicle_id, day FROM t WHERE status = 'terminee'
    UNION ALL SELECT driver_id, vehicle_id, period_start FROM e WHERE rides_done > 0
), n AS (
    SELECT (SELECT coalesce(sum(gross_fare_cents), 0) FROM t)
           + (SELECT coalesce(sum(gross_cents), 0) FROM e) AS gross,
           (SELECT coalesce(sum(net_earnings_cents), 0) FROM t)
           + (SELECT coalesce(sum(net_cents), 0) FROM e) AS net,
           (SELECT count(*) FROM t WHERE status = 'terminee')
           + (SELECT coalesce(sum(rides_done), 0) FROM e) AS done,
           (SELECT count(*) FROM t WHERE status = 'annulee')
           + (SELECT coalesce(sum(rides_cancelled), 0) FROM e) AS cancelled,
           (SELECT count(DISTINCT driver_id) FROM done) AS drivers,
           (SELECT count(DISTINCT vehicle_id) FROM done) AS vehicles,
           (SELECT count(*) FROM (SELECT DISTINCT vehicle_id, day FROM done
                                   WHERE vehicle_id IS NOT NULL) x) AS vdays,
           (SELECT count(*) FROM vehicles WHERE tenant_id = {T} AND archived_at IS NULL
               AND status NOT IN ('hors_service', 'archive')) * ({E}::date - {F}::date + 1)
               AS fleet_days,
           (SELECT coalesce(sum(CASE WHEN cash_collected_cents IS NOT NULL THEN cash_collected_cents
                                     WHEN payment_method = 'especes' THEN gross_fare_cents
                                     ELSE 0 END), 0) FROM t)
           + (SELECT coalesce(sum(cash_collected_cents), 0) FROM e) AS cash,
           (SELECT count(*) FROM documents d WHERE d.tenant_id = {T} AND superseded_by IS NULL
               AND expires_on <= least({E}::date, (now() AT TIME ZONE 'Europe/Paris')::date) + 30)
               AS docs
)
SELECT gross, net, done, cancelled, drivers, vehicles, vdays, fleet_days, cash, docs FROM n""")[0]
    gross, net, done, cancelled, drivers, vehicles, vdays, fleet_days, cash, docs = \
        [int(x) for x in row.split("|")]
    return {
        "gross_revenue_cents": gross, "net_revenue_cents": net, "trips_done": done,
        "cancellation_rate": None if done + cancelled == 0 else round(cancelled / (done + cancelled), 4),
        "active_drivers": drivers, "active_vehicles": vehicles,
        "revenue_per_driver_cents": None if drivers == 0 else int(psql_one(
            f"SELECT round({gross}::numeric / {drivers})")),
        "vehicle_utilisation": None if fleet_days == 0 else round(vdays / fleet_days, 4),
        "cash_held_cents": cash, "documents_due": docs,
    }


class Fleet:
    """An organisation of its own with generated drivers, vehicles, trips
    (around midnight and the DST change of 25 October 2026 too), daily
    Heetch earnings, documents and vehicle costs."""

    def __init__(self):
        self.slug = unique("dash")
        self.tenant = ensure_tenant(self.slug, "Tableau de bord " + self.slug)
        self.manager = f"manager-{self.slug}@test.test"
        add_user(self.slug, self.manager, "manager")
        self.tok = api_token(self.slug, self.manager, scope="read")
        T = quote(self.tenant)
        self.vehicles = psql(
            "INSERT INTO vehicles (tenant_id, plate, make, model, energy, monthly_cost_cents)"
            f" SELECT {T}, 'DB-' || lpad(g::text, 3, '0') || '-AA', 'Toyota', 'Corolla', 'hybride',"
            " CASE WHEN g = 1 THEN 300000 ELSE 40000 END FROM generate_series(1, 5) g"
            " RETURNING id || '|' || plate")
        self.vehicles = [v.split("|") for v in self.vehicles]
        psql(f"INSERT INTO vehicles (tenant_id, plate, make, model, energy, status) VALUES"
             f" ({T}, 'DB-999-ZZ', 'Dacia', 'Logan', 'essence', 'hors_service')")
        self.drivers = psql(
            "INSERT INTO drivers (tenant_id, first_name, last_name, status)"
            f" SELECT {T}, 'Chauffeur', 'N' || g, 'actif' FROM generate_series(1, 6) g"
            " RETURNING id")
        # Drivers 0-4 drive vehicles 0-4; driver 5 drives none.
        for d, (v, _) in zip(self.drivers[:5], self.vehicles):
            psql("INSERT INTO assignments (tenant_id, vehicle_id, driver_id, starts_at) VALUES"
                 f" ({T}, {quote(v)}, {quote(d)}, '2026-01-01')")
        self.cash_driver = self.drivers[4]
        rng = random.Random(15)
        rows = []
        for day in range(1, 40):          # 2026-10-01 .. 2026-11-08
            for _ in range(rng.randint(0, 9)):
                di = rng.randrange(5)
                d = self.drivers[di]
                plate = self.vehicles[di][1]
                hour = rng.choice([0, 1, 2, 3, 8, 12, 18, 22, 23])
                at = f"2026-{10 + (day - 1) // 31:02d}-{(day - 1) % 31 + 1:02d} {hour:02d}:{rng.randint(0, 59):02d}"
                status = rng.choice(["terminee"] * 6 + ["annulee", "autre"])
                gross = rng.randint(800, 6000) if status != "annulee" else rng.choice([0, 500])
                platform = rng.choice(["uber", "bolt", "heetch"])
                if d == self.cash_driver:
                    pay, cash = "especes", rng.choice(["NULL", str(gross)])
                else:
                    pay = rng.choice(["carte", "carte", "especes"])
                    cash = str(gross) if pay == "especes" else "NULL"
                rows.append(f"({T}, 'gen', {quote(uuid.uuid4())}, {quote(platform)}, {quote(d)},"
                            f" {quote(plate)}, {quote(status)}, {quote(pay)},"
                            f" {quote(at)}::timestamp AT TIME ZONE 'Europe/Paris', {gross},"
                            f" {gross * 3 // 4}, {cash})")
        # The autumn change: 02:30 happens twice on 25 October; both are that day.
        for at in ("2026-10-25 00:10:00+00", "2026-10-25 01:10:00+00", "2026-10-25 22:59:59+00",
                   "2026-10-25 23:00:00+00"):
            rows.append(f"({T}, 'gen', {quote(uuid.uuid4())}, 'uber', {quote(self.drivers[0])},"
                        f" {quote(self.vehicles[0][1])}, 'terminee', 'carte', {quote(at)}, 1000,"
                        " 750, NULL)")
        psql("INSERT INTO trips (tenant_id, source, source_key, platform, driver_id,"
             " vehicle_plate, status, payment_method, started_at, gross_fare_cents,"
             " net_earnings_cents, cash_collected_cents) VALUES " + ", ".join(rows),
             role="fleetcore_owner")
        # Daily Heetch earnings of driver 5 (no vehicle), and one of driver 0 on a day
        # they have Heetch trips (the trips win) or not (the earnings count).
        psql("INSERT INTO earnings (tenant_id, source, source_key, platform, driver_id, period,"
             " period_start, period_end, gross_cents, net_cents, cash_collected_cents,"
             " rides_done, rides_cancelled)"
             f" SELECT {T}, 'gen-e', 'e' || g, 'heetch', {quote(self.drivers[5])}, 'jour',"
             " '2026-10-01'::date + g, '2026-10-01'::date + g, 10000 + g, 8000 + g, 1000, 4, 1"
             " FROM generate_series(0, 30, 3) g", role="fleetcore_owner")
        psql("INSERT INTO earnings (tenant_id, source, source_key, platform, driver_id, period,"
             " period_start, period_end, gross_cents, net_cents, rides_done)"
             f" SELECT {T}, 'gen-e', 'd0-' || g, 'heetch', {quote(self.drivers[0])}, 'jour',"
             " '2026-10-01'::date + g, '2026-10-01'::date + g, 7000, 6000, 3"
             " FROM generate_series(0, 30) g", role="fleetcore_owner")
        # Costs: vehicle 0 (dear monthly cost) and a repair on vehicle 1.
        psql("INSERT INTO vehicle_events (tenant_id, vehicle_id, kind, occurred_at, cost_cents)"
             f" VALUES ({T}, {quote(self.vehicles[1][0])}, 'entretien', '2026-10-14 10:00+02', 250000)")
        for i, exp in enumerate(["2026-01-01", "2027-06-01", None]):
            psql("INSERT INTO documents (tenant_id, vehicle_id, type, expires_on, file_name,"
                 " content_type, size_bytes, storage_key) VALUES"
                 f" ({T}, {quote(self.vehicles[i][0])}, 'assurance', {quote(exp) if exp else 'NULL'},"
                 f" 'a.pdf', 'application/pdf', 10, {quote(uuid.uuid4().hex + 'dash')})")

    def overview(self, query):
        r = api("GET", "/api/v1/analytics/overview?" + query, self.tok)
        if r.status != 200:
            raise AssertionError(f"overview {query}: {r.status} {r.text}")
        return r.json()["data"]


FLEET = None


def setUpModule():
    global FLEET
    FLEET = Fleet()


class Indicators(unittest.TestCase):
    def check(self, start, end, prev_start, prev_end, query=None):
        data = FLEET.overview(query or f"from={start}&to={end}")
        self.assertEqual((data["from"], data["to"]), (start, end))
        self.assertEqual((data["previous_from"], data["previous_to"]), (prev_start, prev_end))
        self.assertEqual(sorted(data["kpis"]), sorted(KPIS))
        self.assertEqual(data["kpis"], expected(FLEET.tenant, start, end))
        self.assertEqual(data["previous"], expected(FLEET.tenant, prev_start, prev_end))
        return data

    def test_an_ordinary_week(self):
        data = self.check("2026-10-12", "2026-10-18", "2026-10-05", "2026-10-11",
                          "period=week&from=2026-10-15")
        k = data["kpis"]
        self.assertGreater(k["trips_done"], 0)
        self.assertGreater(k["cash_held_cents"], 0)
        self.assertIsNotNone(k["cancellation_rate"])

    def test_a_month_against_the_previous_month(self):
        self.check("2026-10-01", "2026-10-31", "2026-09-01", "2026-09-30",
                   "period=month&from=2026-10-20")

    def test_an_empty_period(self):
        data = self.check("2025-03-03", "2025-03-09", "2025-02-24", "2025-03-02")
        k = data["kpis"]
        self.assertEqual((k["gross_revenue_cents"], k["trips_done"], k["active_drivers"]), (0, 0, 0))
        self.assertIsNone(k["cancellation_rate"])
        self.assertIsNone(k["revenue_per_driver_cents"])
        self.assertEqual((data["by_day"], data["top_drivers"]), ([], []))

    def test_a_period_across_the_dst_change(self):
        data = self.check("2026-10-24", "2026-10-26", "2026-10-21", "2026-10-23")
        # 00:10Z and 01:10Z on the 25th are 02:10 CEST and 02:10 CET: both the 25th;
        # 22:59:59Z is 23:59:59 CET the 25th; 23:00Z is already the 26th.
        day = psql_one(
            "SELECT count(*) FROM trips WHERE tenant_id = " + quote(FLEET.tenant) +
            " AND (started_at AT TIME ZONE 'Europe/Paris')::date = '2026-10-25'"
            " AND platform = 'uber'")
        trips = sum(d["trips"] for d in data["by_day"]
                    if d["date"] == "2026-10-25" and d["platform"] == "uber")
        done_that_day = int(psql_one(
            "SELECT count(*) FROM trips WHERE tenant_id = " + quote(FLEET.tenant) +
            " AND status = 'terminee' AND platform = 'uber' AND started_at >="
            " '2026-10-25 00:00'::timestamp AT TIME ZONE 'Europe/Paris' AND started_at <"
            " '2026-10-26 00:00'::timestamp AT TIME ZONE 'Europe/Paris'"))
        self.assertEqual(trips, done_that_day)
        self.assertGreaterEqual(int(day), 3)

    def test_a_custom_range_against_the_same_length_before(self):
        self.check("2026-10-03", "2026-10-16", "2026-09-19", "2026-10-02")

    def test_a_driver_with_only_cash_trips(self):
        # Their cash with no amount collected given counts their fare.
        T, D = quote(FLEET.tenant), quote(FLEET.cash_driver)
        start, end = "2026-10-01", "2026-10-31"
        cash = int(psql_one(
            "SELECT coalesce(sum(coalesce(cash_collected_cents, gross_fare_cents)), 0) FROM trips"
            f" WHERE tenant_id = {T} AND driver_id = {D} AND started_at >= '2026-10-01'::timestamp"
            " AT TIME ZONE 'Europe/Paris' AND started_at < '2026-11-01'::timestamp AT TIME ZONE"
            " 'Europe/Paris'"))
        self.assertEqual(psql_one(f"SELECT DISTINCT payment_method FROM trips WHERE driver_id = {D}"),
                         "especes")
        rolled = int(psql_one(f"SELECT sum(cash_cents) FROM analytics_daily WHERE driver_id = {D}"
                              " AND day BETWEEN '2026-10-01' AND '2026-10-31'"))
        self.assertEqual(rolled, cash)
        self.assertGreater(cash, 0)
        self.check(start, end, "2026-09-01", "2026-09-30", f"period=month&from={start}")

    def test_by_day_and_top_drivers(self):
        data = FLEET.overview("from=2026-10-01&to=2026-10-31")
        self.assertEqual(sum(d["gross_cents"] for d in data["by_day"]),
                         data["kpis"]["gross_revenue_cents"])
        self.assertEqual(sum(d["net_cents"] for d in data["by_day"]),
                         data["kpis"]["net_revenue_cents"])
        self.assertEqual(sum(d["trips"] for d in data["by_day"]), data["kpis"]["trips_done"])
        for d in data["by_day"]:
            self.assertEqual(sorted(d), ["date", "gross_cents", "net_cents", "platform", "trips"])
        top = data["top_drivers"]
        self.assertEqual(len(top), 6)
        self.assertEqual([t["gross_cents"] for t in top],
                         sorted((t["gross_cents"] for t in top), reverse=True))
        first = top[0]
        self.assertEqual(sorted(first), ["driver_id", "gross_cents", "name", "trips"])
        self.assertTrue(first["name"].startswith("Chauffeur N"))

    def test_vehicles_losing_money(self):
        data = FLEET.overview("from=2026-10-12&to=2026-10-18")
        losing = {v["plate"]: v for v in data["losing_vehicles"]}
        # DB-001-AA costs 3 000 € a month, DB-002-AA had a 2 500 € repair that week.
        self.assertIn("DB-001-AA", losing)
        self.assertIn("DB-002-AA", losing)
        v = losing["DB-002-AA"]
        self.assertEqual(v["margin_cents"], v["revenue_cents"] - v["costs_cents"])
        self.assertEqual(v["costs_cents"], 250000 + round(40000 * 12 * 7 / 365))
        for v in data["losing_vehicles"]:
            self.assertLess(v["margin_cents"], 0)


class Rollup(unittest.TestCase):
    def day(self, date):
        return psql(f"SELECT platform, sum(gross_cents), sum(trips_done) FROM analytics_daily"
                    f" WHERE tenant_id = {quote(FLEET.tenant)} AND day = {quote(date)}"
                    " GROUP BY platform ORDER BY platform")

    def test_insert_move_and_delete_keep_the_rollup_right(self):
        T = quote(FLEET.tenant)
        key = quote(uuid.uuid4())
        before_a, before_b = self.day("2027-02-01"), self.day("2027-02-02")
        psql("INSERT INTO trips (tenant_id, source, source_key, platform, driver_id, status,"
             f" started_at, gross_fare_cents) VALUES ({T}, 'gen', {key}, 'bolt',"
             f" {quote(FLEET.drivers[1])}, 'terminee', '2027-02-01 12:00+01', 4321)",
             role="fleetcore_owner")
        self.assertEqual(self.day("2027-02-01"), ["bolt|4321|1"])
        psql(f"UPDATE trips SET started_at = '2027-02-02 08:00+01' WHERE tenant_id = {T}"
             f" AND source_key = {key}", role="fleetcore_owner")
        self.assertEqual((self.day("2027-02-01"), self.day("2027-02-02")), (before_a, ["bolt|4321|1"]))
        psql(f"DELETE FROM trips WHERE tenant_id = {T} AND source_key = {key}", role="fleetcore_owner")
        self.assertEqual(self.day("2027-02-02"), before_b)

    def test_the_rollup_equals_the_trips_everywhere(self):
        self.assertEqual(self.differences(quote(FLEET.tenant)), [])

    def test_the_demos_imports_kept_the_rollup(self):
        # The demo's exports went through the job runner's loading code.
        T = "(SELECT id FROM tenants WHERE slug = 'demo')"
        self.assertGreater(int(psql_one(f"SELECT count(*) FROM analytics_daily WHERE tenant_id = {T}")), 0)
        self.assertEqual(self.differences(T), [])

    def differences(self, T):
        diff = psql(f"""
SELECT day, platform FROM (
  SELECT (started_at AT TIME ZONE 'Europe/Paris')::date AS day, platform,
         sum(gross_fare_cents) AS g, count(*) FILTER (WHERE status = 'terminee') AS n
    FROM trips WHERE tenant_id = {T} GROUP BY 1, 2) t
FULL JOIN (
  SELECT day, platform, sum(gross_cents) AS g, sum(trips_done) AS n FROM analytics_daily
   WHERE tenant_id = {T} AND NOT EXISTS (SELECT 1 FROM earnings e WHERE e.tenant_id = {T}
         AND e.period = 'jour' AND e.period_start = analytics_daily.day
         AND e.platform = analytics_daily.platform)
   GROUP BY 1, 2) r USING (day, platform)
WHERE t.g IS DISTINCT FROM r.g OR t.n IS DISTINCT FROM r.n""")
        return [d for d in diff if "|heetch" not in d]

    def test_the_application_role_cannot_write_the_rollup(self):
        out = psql(f"INSERT INTO analytics_daily VALUES ({quote(FLEET.tenant)}, '2027-01-01',"
                   " 'uber', NULL, NULL, 1, 1, 1, 1, 1)", role="fleetcore_app", check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("permission denied", out.stderr)


class Access(unittest.TestCase):
    def test_bad_periods_answer_422_naming_the_field(self):
        for query, field in [("from=2026-13-01&to=2026-12-01", "from"),
                             ("from=2026-10-10&to=2026-10-01", "to"),
                             ("from=2025-01-01&to=2026-12-31", "to"),
                             ("period=year", "period"),
                             ("period=custom&from=2026-10-10", "to")]:
            r = api("GET", "/api/v1/analytics/overview?" + query, FLEET.tok)
            self.assertEqual(r.status, 422, query)
            err = r.json()["error"]
            self.assertEqual(err["code"], "validation_failed")
            self.assertIn(field, err["fields"], query)

    def test_english_messages(self):
        r = api("GET", "/api/v1/analytics/overview?from=nope&to=2026-01-01", FLEET.tok,
                headers={"Accept-Language": "en"})
        self.assertEqual(r.json()["error"]["fields"]["from"], "Invalid date: type DD/MM/YYYY.")

    def test_default_is_this_week(self):
        data = FLEET.overview("")
        today = psql_one("SELECT (now() AT TIME ZONE 'Europe/Paris')::date")
        monday = psql_one(f"SELECT date_trunc('week', {quote(today)}::date)::date")
        self.assertEqual(data["from"], monday)
        self.assertEqual(psql_one(f"SELECT {quote(data['to'])}::date - {quote(monday)}::date"), "6")

    def test_another_organisation_sees_nothing_of_it(self):
        tok = api_token("other", "admin@other.test")
        data = api("GET", "/api/v1/analytics/overview?from=2026-10-01&to=2026-10-31", tok).json()["data"]
        names = [t["name"] for t in data["top_drivers"]]
        self.assertFalse(any(n.startswith("Chauffeur N") for n in names))

    def test_a_driver_is_refused(self):
        r = api("GET", "/api/v1/analytics/overview", api_token("demo", "chauffeur@demo.test", scope="read"))
        self.assertEqual(r.status, 403)


class Page(unittest.TestCase):
    def test_the_page_shows_the_cards_charts_and_tables(self):
        s = signed_in(FLEET.manager)
        page = s.get("/?period=week&from=2026-10-14")
        self.assertEqual(page.status, 200)
        text = page.text
        self.assertEqual(len(re.findall(r'data-kpi="', text)), 10)
        self.assertIn('href="/trips?from=2026-10-12&amp;to=2026-10-18"', text)
        self.assertIn('href="/documents/due"', text)
        for chart in ("chart-days", "chart-split"):
            self.assertIn(f'aria-labelledby="{chart}-title {chart}-desc"', text)
            self.assertIn(f'data-chart="{chart}"', text)
        self.assertEqual(text.count('role="img"'), 2)
        # The week's gross as the card shows it, in French.
        gross = FLEET.overview("from=2026-10-12&to=2026-10-18")["kpis"]["gross_revenue_cents"]
        euros = f"{gross // 100:,}".replace(",", "\u202f") + f",{gross % 100:02d}"
        self.assertIn(euros, text)
        self.assertIn("12/10/2026", text)

    def test_a_bad_period_on_the_page(self):
        s = signed_in(FLEET.manager)
        self.assertEqual(s.get("/?from=2026-10-10&to=2026-10-01").status, 422)


if __name__ == "__main__":
    unittest.main()
