"""The portal's earnings, as a driver of an organisation of their own sees
them: my week by day and platform (an SVG chart with its table) whose
total is the one of their trips this week, my weeks and months, my
trips, my statements with their PDF and my balance — and nothing of
another driver of the same organisation: their trips and statements are
not listed, their statement's PDF and their document's file answer 404,
and row-level security itself returns none of their rows."""
import html
import re
import unittest
import uuid

from identity import add_user, ensure_tenant, psql, psql_one, quote, signed_in, unique


def euros(cents):
    s = f"{abs(cents) // 100:,}".replace(",", "\u202f") + f",{abs(cents) % 100:02d}\u00a0€"
    return ("-" if cents < 0 else "") + s


class Portal(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.slug = unique("portal")
        cls.tenant = ensure_tenant(cls.slug, "Portail " + cls.slug)
        T = quote(cls.tenant)
        cls.email = f"driver-{cls.slug}@test.test"
        uid = add_user(cls.slug, cls.email, "driver")
        cls.me, cls.other = psql(
            "INSERT INTO drivers (tenant_id, first_name, last_name, status, user_id) VALUES"
            f" ({T}, 'Moi', 'Même', 'actif', {quote(uid)}),"
            f" ({T}, 'Autre', 'Chauffeur', 'actif', NULL) RETURNING id")
        cls.monday = psql_one("SELECT date_trunc('week', (now() AT TIME ZONE 'Europe/Paris')::date)::date")
        rows = []
        # Mine: this week on two platforms, one cancelled, one last month; theirs: one
        # this week with an amount nobody else has.
        for d, platform, status, gross, day in [
                (cls.me, "uber", "terminee", 2345, 0), (cls.me, "bolt", "terminee", 1200, 1),
                (cls.me, "bolt", "annulee", 500, 1), (cls.me, "uber", "terminee", 9900, -35),
                (cls.other, "uber", "terminee", 777777, 0)]:
            rows.append(f"({T}, 'p', {quote(uuid.uuid4())}, {quote(platform)}, {quote(d)},"
                        f" {quote(status)}, 'carte', ({quote(cls.monday)}::date + {day}"
                        f" + time '10:00')::timestamp AT TIME ZONE 'Europe/Paris', {gross},"
                        f" {gross * 3 // 4})")
        psql("INSERT INTO trips (tenant_id, source, source_key, platform, driver_id, status,"
             " payment_method, started_at, gross_fare_cents, net_earnings_cents) VALUES "
             + ", ".join(rows), role="fleetcore_owner")
        cls.mine_st, cls.their_st = psql(
            "INSERT INTO settlements (tenant_id, driver_id, week_start, week, collaboration,"
            " rent_days, rent_cents, opening_balance_cents, amount_due_cents, status) VALUES"
            f" ({T}, {quote(cls.me)}, '2031-04-07', '2031-W15', 'location_auto_entrepreneur',"
            " 7, 2000, 0, -2000, 'valide'),"
            f" ({T}, {quote(cls.other)}, '2031-04-07', '2031-W15', 'location_auto_entrepreneur',"
            " 7, 3000, 0, -3000, 'brouillon') RETURNING id")
        cls.their_doc = psql_one(
            "INSERT INTO documents (tenant_id, driver_id, type, expires_on, file_name,"
            f" content_type, size_bytes, storage_key) VALUES ({T}, {quote(cls.other)}, 'permis',"
            f" '2030-01-01', 'p.pdf', 'application/pdf', 10, {quote(uuid.uuid4().hex + 'portal')})"
            " RETURNING id")
        # A live source's online time: mine this week, and the other driver's.
        psql("INSERT INTO driver_activity_days (tenant_id, platform, driver_ref, day, driver_id,"
             f" online_seconds, busy_seconds) VALUES ({T}, 'bolt', 'me', {quote(cls.monday)},"
             f" {quote(cls.me)}, 45300, 30000), ({T}, 'uber', 'me', {quote(cls.monday)},"
             f" {quote(cls.me)}, 3600, 600), ({T}, 'bolt', 'other', {quote(cls.monday)},"
             f" {quote(cls.other)}, 80000, 70000)")
        cls.s = signed_in(cls.email)
        cls.page = cls.s.get("/portal")

    def test_my_week_is_my_trips_of_this_week(self):
        self.assertEqual(self.page.status, 200)
        section = self.page.text[self.page.text.index('id="week"'):]
        section = section[:section.index("</section>")]
        self.assertIn('role="img"', section)
        self.assertIn('data-chart="chart-week"', section)
        # 23,45 + 12,00 + the cancelled 5,00 (what the platform paid that day).
        self.assertIn(euros(2345 + 1200 + 500), html.unescape(section))
        line = re.search(r'<p class="kpi-line">(.*?)</p>', section).group(1)
        self.assertIn("· 2 Courses", html.unescape(re.sub(r"<[^>]+>", "", line)))

    def test_my_online_hours_this_week(self):
        # 45 300 + 3 600 s online = 13 h 35; 30 000 + 600 s busy = 8 h 30.
        m = re.search(r'<p id="online">(.*?)</p>', self.page.text)
        self.assertIsNotNone(m)
        self.assertEqual(html.unescape(m.group(1)), "En ligne 13 h 35 · en course 8 h 30")

    def test_weeks_months_and_trips(self):
        text = html.unescape(self.page.text)
        week = psql_one(f"SELECT to_char({quote(self.monday)}::date, 'IYYY-\"W\"IW')")
        self.assertIn(week, text)
        self.assertIn(euros(9900), text)           # last month's trip, in its week and month
        trips = self.page.text[self.page.text.index('id="trips"'):]
        trips = html.unescape(trips[:trips.index("</section>")])
        self.assertEqual(trips.count("<li>"), 4)
        day = psql_one(f"SELECT to_char({quote(self.monday)}::date + 1, 'DD/MM/YYYY')")
        self.assertIn(f"<strong>{day} 10:00</strong>", trips)
        self.assertNotIn(euros(777777), self.page.text)

    def test_my_statements_and_balance(self):
        section = self.page.text[self.page.text.index('id="statements"'):]
        section = html.unescape(section[:section.index("</section>")])
        self.assertIn("2031-W15", section)
        self.assertIn(f'/portal/statements/{self.mine_st}/statement.pdf', section)
        self.assertNotIn(self.their_st, section)
        self.assertIn(euros(-2000), section)
        r = self.s.get(f"/portal/statements/{self.mine_st}/statement.pdf")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type"), "application/pdf")
        self.assertTrue(r.body.startswith(b"%PDF"))

    def test_another_drivers_statement_and_document_are_404(self):
        self.assertEqual(self.s.get(f"/portal/statements/{self.their_st}/statement.pdf").status, 404)
        self.assertEqual(self.s.get(f"/portal/documents/{self.their_doc}/file").status, 404)

    def test_row_level_security_returns_none_of_their_rows(self):
        uid = psql_one(f"SELECT id FROM users WHERE email = {quote(self.email)}")
        pre = (f"BEGIN; SET LOCAL app.tenant_id = {quote(self.tenant)};"
               f" SET LOCAL app.user_id = {quote(uid)}; ")
        for table in ("trips", "settlements", "documents", "analytics_daily"):
            out = psql(pre + f"SELECT count(*) FROM {table} WHERE driver_id = {quote(self.other)};"
                       " COMMIT;", role="fleetcore_app")
            self.assertEqual(out, ["0"], table)
        out = psql(pre + f"SELECT count(*) FROM trips WHERE driver_id = {quote(self.me)}; COMMIT;",
                   role="fleetcore_app")
        self.assertEqual(out, ["4"])

    def test_english(self):
        psql(f"UPDATE users SET locale = 'en' WHERE email = {quote(self.email)}")
        try:
            page = signed_in(self.email).get("/portal")
        finally:
            psql(f"UPDATE users SET locale = 'fr' WHERE email = {quote(self.email)}")
        self.assertIn("My week", page.text)
        self.assertIn("My statements", page.text)


if __name__ == "__main__":
    unittest.main()
