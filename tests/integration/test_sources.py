"""Sources de données through nginx: connector sources by API and by the
screens, file imports run by fleetcore-jobs (re-import changes nothing, a
malformed file loads nothing, rejected rows are listed, the file's money
agrees with the table's), one run per source, cancel, pause, automatic
mode periods, driver matching and the « non rapprochés » list, trips and
earnings lists, roles and tenant isolation."""
import io
import json
import os
import signal
import subprocess
import time
import unittest
import uuid

from client import ROOT, VAR, multipart, pidfile, request, stack, wait_for
from identity import api_token, csrf_of, psql, psql_one, quote, signed_in, tenant_id

BUILD = os.environ.get("BUILD", "build")
FIX = os.path.join(ROOT, "tests", "fixtures", "sources")
UBER_HEADER = ("Transaction UUID,Driver UUID,Description,Date/Time,"
               "Paid to you,Paid to you : Your earnings\r\n")


def api(method, path, tok, body=None, files=None, timeout=60):
    headers = {"Authorization": f"Bearer {tok}"}
    data = None
    if files is not None:
        data, ctype = multipart({}, files, boundary=f"----src{uuid.uuid4().hex}")
        headers["Content-Type"] = ctype
    elif body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    return request(method, "/api/v1" + path, body=data, headers=headers, timeout=timeout)


def fixture(name, replace=()):
    """A fixture's bytes with some text replaced (fresh keys per test: the
    key spaces of Uber, Bolt and Heetch are shared by the whole tenant)."""
    with open(os.path.join(FIX, name), "rb") as f:
        data = f.read()
    for old, new in replace:
        data = data.replace(old.encode(), new.encode())
    return data


def fresh():
    return uuid.uuid4().hex[:8]


def uber_rows(prefix, n, amount="10.00", start=0):
    """A minimal Uber payments file of n rows with keys prefix-<i>."""
    out = io.StringIO()
    out.write(UBER_HEADER)
    for i in range(start, start + n):
        out.write(f"{prefix}-{i},drv-{prefix},trip completed order,"
                  f"2026-11-02 10:00:00,{amount},{amount}\r\n")
    return out.getvalue().encode()


def count_keys(table, prefix):
    return int(psql_one(f"SELECT count(*) FROM {table} WHERE source_key LIKE "
                        f"{quote(prefix + '%')}"))


class SourcesBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manager = api_token("demo", "manager@demo.test")
        cls.viewer = api_token("demo", "viewer@demo.test")
        cls.reader = api_token("demo", "manager@demo.test", scope="read")
        cls.other = api_token("other", "admin@other.test")

    def source(self, type_="uber_csv", tok=None, **config):
        r = api("POST", "/sources", tok or self.manager,
                {"type": type_, "name": f"Source {fresh()}", "config": config})
        self.assertEqual(r.status, 201, r.text)
        return r.json()["data"]

    def start(self, source_id, data, name="export.csv", tok=None):
        r = api("POST", f"/sources/{source_id}/sync", tok or self.manager,
                files=[("file", name, "text/csv", data)])
        self.assertEqual(r.status, 202, r.text)
        return r.json()["data"]["run_id"]

    def wait(self, run_id, timeout=90):
        end = time.time() + timeout
        while time.time() < end:
            run = api("GET", f"/sync-runs/{run_id}", self.viewer).json()["data"]
            if run["status"] != "en_cours":
                return run
            time.sleep(0.2)
        self.fail(f"run {run_id} still running after {timeout}s")

    def sync(self, source_id, data, name="export.csv"):
        return self.wait(self.start(source_id, data, name))


class SourcesApi(SourcesBase):
    def test_create_list_show_and_validation(self):
        s = self.source("bolt_orders_csv", delimiter="tabulation")
        self.assertEqual(s["config"]["delimiter"], "tabulation")
        self.assertEqual(s["platform"], "bolt")
        self.assertEqual(s["table"], "trips")
        self.assertEqual(s["health"], "sain")
        listed = api("GET", "/sources?limit=100", self.viewer).json()
        self.assertIn(s["id"], [x["id"] for x in listed["data"]])
        self.assertIn("pagination", listed)
        self.assertEqual(api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]["name"],
                         s["name"])
        r = api("POST", "/sources", self.manager, {"type": "myspace_csv", "name": "x"})
        self.assertEqual(r.status, 422)
        self.assertIn("type", r.json()["error"]["fields"])
        r = api("POST", "/sources", self.manager, {"type": "uber_csv", "name": "",
                                                   "config": {"encoding": "latin9"}})
        self.assertEqual(r.status, 422)
        self.assertEqual(set(r.json()["error"]["fields"]), {"name", "encoding"})
        r = api("POST", "/sources", self.manager, {"type": "uber_csv", "name": s["name"]})
        self.assertEqual(r.status, 409)
        self.assertIn("name", r.json()["error"]["fields"])
        # Undeclared settings are not kept.
        t = self.source("uber_csv", password="hunter2", encoding="cp1252")
        self.assertNotIn("password", t["config"])
        self.assertEqual(t["config"]["encoding"], "cp1252")

    def test_uber_import_then_reimport_changes_nothing(self):
        s = self.source()
        p = fresh()
        data = fixture("uber_payments_en.csv", [("6b1f3c1e", p)])
        run = self.sync(s["id"], data, "uber.csv")
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual((run["rows_extracted"], run["rows_inserted"], run["rows_rejected"]),
                         (5, 5, 0))
        self.assertTrue(run["totals_match"])
        # The trap: revenue is "Your earnings", the settlement is apart.
        self.assertEqual(run["loaded_totals"]["net_earnings_cents"], 9015)
        self.assertEqual(run["loaded_totals"]["payout_cents"], 6415)
        self.assertEqual(run["file_totals"], run["loaded_totals"])
        self.assertEqual(run["dialect"]["encoding"], "UTF-8 (BOM)")
        self.assertEqual(run["cursor_after"], "2026-11-05 22:30:00+00")
        again = self.sync(s["id"], data, "uber.csv")
        self.assertEqual(again["status"], "reussi")
        self.assertEqual((again["rows_inserted"], again["rows_updated"], again["rows_unchanged"]),
                         (0, 0, 5))
        self.assertIn("0 nouvelle(s) ligne(s)", again["message"])
        self.assertTrue(again["totals_match"])
        self.assertEqual(count_keys("trips", p), 5)
        # A changed amount is an update, not a new row.
        changed = data.replace(b"36.00,36.00,40.00", b"36.00,37.00,40.00")
        third = self.sync(s["id"], changed, "uber.csv")
        self.assertEqual((third["rows_inserted"], third["rows_updated"], third["rows_unchanged"]),
                         (0, 1, 4))
        self.assertEqual(count_keys("trips", p), 5)

    def test_french_windows_1252_semicolon_file(self):
        s = self.source()
        p = fresh()[:7]
        run = self.sync(s["id"], fixture("uber_payments_fr_cp1252.csv", [("f000000", p)]))
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["dialect"]["encoding"], "Windows-1252")
        self.assertEqual(run["dialect"]["delimiter"], "point_virgule")
        self.assertEqual(run["dialect"]["decimal"], "virgule")
        self.assertEqual(run["loaded_totals"]["net_earnings_cents"], 121230)
        name = psql_one(f"SELECT driver_name FROM trips WHERE source_key = {quote(p + '2-aaaa-4bbb-8ccc-000000000002')}")
        self.assertEqual(name, "Hélène Gérard")

    def test_malformed_file_is_refused_whole_and_loads_nothing(self):
        s = self.source()
        p = fresh()
        good = uber_rows(p, 20000)
        bad = good + f'{p}-x,d,"trip "bad" order",2026-11-02 10:00:00,1.00,1.00\r\n'.encode()
        run = self.sync(s["id"], bad)
        self.assertEqual(run["status"], "echec")
        self.assertEqual(run["failure"], "configuration")
        self.assertIn("Ligne 20002, colonne 3", run["message"])
        self.assertIn("rien n'a été chargé", run["message"])
        self.assertEqual(run["dialect"]["error"]["line"], 20002)
        self.assertEqual(count_keys("trips", p), 0)
        for name, line in (("uber_wrong_columns.csv", 4), ("uber_malformed_quote.csv", 3)):
            run = self.sync(s["id"], fixture(name))
            self.assertEqual(run["status"], "echec", name)
            self.assertIn(f"Ligne {line}", run["message"])
        run = self.sync(s["id"], fixture("uber_settlement_only.csv"))
        self.assertEqual(run["status"], "echec")
        self.assertIn("paid to you:your earnings", run["message"])
        run = self.sync(s["id"], b"PK\x03\x04binary", "export.xlsx")
        self.assertEqual(run["status"], "echec")
        self.assertIn("Excel", run["message"])
        self.assertEqual(api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]["health"],
                         "en_echec")

    def test_rejected_rows_are_listed_and_the_run_is_partial(self):
        s = self.source()
        p = fresh()
        run = self.sync(s["id"], fixture("uber_rejects.csv", [("r-", p + "-")]))
        self.assertEqual(run["status"], "partiel", run)
        self.assertEqual((run["rows_extracted"], run["rows_inserted"], run["rows_rejected"]),
                         (6, 2, 4))
        rejects = [(x["line"], x["column"], x["value"]) for x in run["rejects"]]
        self.assertEqual(rejects, [(3, "Paid to you", "12.3.4"),
                                   (4, "Date/Time", "31/02/2026 11:00"),
                                   (5, "Transaction UUID", ""),
                                   (6, "Transaction UUID", p + "-1")])
        self.assertIn("ligne 2", run["rejects"][3]["reason"])
        self.assertTrue(run["totals_match"])
        self.assertEqual(run["file_totals"]["net_earnings_cents"], 1650)

    def test_bolt_orders_and_heetch_earnings_in_both_shapes(self):
        p = fresh()
        bolt = self.source("bolt_orders_csv")
        run = self.sync(bolt["id"], fixture("bolt_orders.tsv", [("B-100", f"B{p}-")]), "bolt.tsv")
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["dialect"]["delimiter"], "tabulation")
        self.assertEqual(run["loaded_totals"]["cash_collected_cents"], 2550)
        self.assertEqual(run["loaded_totals"]["gross_fare_cents"], 4450)
        heetch = self.source("heetch_csv")
        csv = fixture("heetch_earnings_fr.csv", [("example.fr", f"{p}.example.fr"),
                                                 ("Example.fr", f"{p}.Example.fr")])
        run = self.sync(heetch["id"], csv)
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["rows_inserted"], 2)
        self.assertEqual(run["loaded_totals"]["gross_cents"], 196560)
        # The portal's JSON answer for the same week is the same rows.
        js = fixture("heetch_earnings.json", [("example.fr", f"{p}.example.fr")])
        run = self.sync(heetch["id"], js, "earnings.json")
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual((run["rows_inserted"], run["rows_updated"], run["rows_unchanged"]),
                         (0, 0, 2))
        r = api("GET", f"/earnings?platform=heetch&from=2025-12-22&to=2025-12-28&limit=100",
                self.viewer)
        self.assertEqual(r.status, 200)
        mine = [e for e in r.json()["data"] if p in e["driver_ref"]]
        self.assertEqual(sorted(e["period"] for e in mine), ["semaine", "semaine"])
        self.assertEqual(sorted(e["rides_done"] for e in mine), [41, 52])

    def test_bolt_weekly_earnings_with_the_period_in_the_file_name(self):
        p = fresh()
        email = f"karim.{p}@bolt-fixture.test"
        drv = psql_one("INSERT INTO drivers (tenant_id, first_name, last_name, email, status)"
                       f" VALUES ({quote(tenant_id('demo'))}, 'Karim', 'Bolt-{p}',"
                       f" {quote(email)}, 'actif') RETURNING id")
        data = fixture("bolt_earnings_2026-11-09_2026-11-15.csv",
                       [("BE-1001", f"BE{p}-1"), ("BE-1002", f"BE{p}-2"),
                        ("karim.benali@bolt-fixture.test", email)])
        bolt = self.source("bolt_csv")
        self.assertEqual(bolt["platform"], "bolt")
        run = self.sync(bolt["id"], data, f"Bolt gains {p} 2026-11-09_2026-11-15.csv")
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["rows_inserted"], 2)
        self.assertEqual(run["file_totals"], run["loaded_totals"])
        self.assertEqual(run["loaded_totals"]["net_cents"], 161100)
        self.assertEqual(run["loaded_totals"]["commission_card_cents"], 49310)
        again = self.sync(bolt["id"], data, f"Bolt gains {p} 2026-11-09_2026-11-15.csv")
        self.assertEqual((again["rows_inserted"], again["rows_updated"], again["rows_unchanged"]),
                         (0, 0, 2))
        r = api("GET", "/earnings?platform=bolt&from=2026-11-09&to=2026-11-15&limit=100",
                self.viewer)
        mine = {e["driver_ref"]: e for e in r.json()["data"] if p in e["driver_ref"]}
        self.assertEqual(set(mine), {f"BE{p}-1", f"BE{p}-2"})
        karim = mine[f"BE{p}-1"]
        self.assertEqual((karim["period"], karim["period_end"]), ("semaine", "2026-11-15"))
        self.assertEqual((karim["gross_cents"], karim["cash_collected_cents"], karim["tips_cents"],
                          karim["bonuses_cents"], karim["rides_done"]), (123450, 33450, 1200, 2500, 61))
        # Matched by e-mail; the other driver waits in « non rapprochés ».
        self.assertEqual(karim["driver_id"], drv)
        self.assertIsNone(mine[f"BE{p}-2"]["driver_id"])
        # The same week named as an ISO week, in French with a decimal comma.
        fr = fixture("bolt_earnings_fr_2026-W46.csv", [("nadia.haddad", f"nadia.{p}")])
        run = self.sync(bolt["id"], fr, f"gains-{p}-2026-W46.csv")
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["loaded_totals"]["gross_cents"], 105040)

    def test_bolt_earnings_without_a_period_load_nothing_and_say_why(self):
        p = fresh()
        bolt = self.source("bolt_csv")
        data = fixture("bolt_earnings_undated.csv", [("karim.benali", f"k{p}")])
        run = self.sync(bolt["id"], data, "export.csv")
        self.assertNotEqual(run["status"], "reussi", run)
        self.assertEqual(run["rows_inserted"], 0)
        web = signed_in("manager@demo.test").get(f"/sync-runs/{run['id']}")
        self.assertIn("nommez le fichier avec ses dates", web.text)
        self.assertEqual(psql_one("SELECT count(*) FROM earnings WHERE source_key LIKE "
                                  f"{quote('%' + p + '%')}"), "0")

    def test_one_run_per_source_at_a_time(self):
        s = self.source()
        p = fresh()
        first = self.start(s["id"], uber_rows(p, 20000))
        r = api("POST", f"/sources/{s['id']}/sync", self.manager,
                files=[("file", "again.csv", "text/csv", uber_rows(p, 10))])
        self.assertEqual(r.status, 409, r.text)
        self.assertIn("déjà en cours", r.json()["error"]["message"])
        self.assertEqual(self.wait(first)["status"], "reussi")
        self.assertEqual(count_keys("trips", p), 20000)

    def test_sync_needs_a_file(self):
        s = self.source()
        r = api("POST", f"/sources/{s['id']}/sync", self.manager,
                files=[("other", "x.csv", "text/csv", b"a,b\n")])
        self.assertEqual(r.status, 422)
        self.assertIn("file", r.json()["error"]["fields"])

    def test_check_reads_a_sample_without_importing(self):
        s = self.source()
        r = api("POST", f"/sources/{s['id']}/check", self.manager)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.json()["data"]["ok"])
        p = fresh()
        r = api("POST", f"/sources/{s['id']}/check", self.manager,
                files=[("file", "s.csv", "text/csv",
                        fixture("uber_payments_fr_cp1252.csv", [("f000000", p[:7])]))])
        data = r.json()["data"]
        self.assertTrue(data["ok"], data)
        self.assertIn("Windows-1252", data["message"])
        self.assertIn("point-virgule", data["message"])
        self.assertEqual(count_keys("trips", p[:7]), 0)
        r = api("POST", f"/sources/{s['id']}/check", self.manager,
                files=[("file", "h.csv", "text/csv", fixture("heetch_earnings_fr.csv"))])
        self.assertFalse(r.json()["data"]["ok"])
        self.assertIn("Colonne obligatoire absente", r.json()["data"]["message"])
        shown = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]
        self.assertFalse(shown["last_check_ok"])

    def test_trips_list_filters(self):
        s = self.source("bolt_orders_csv")
        p = fresh()
        self.sync(s["id"], fixture("bolt_orders.tsv", [("B-100", f"B{p}-"),
                                                       ("b01d0000-0000", f"{p}-0000")]))
        r = api("GET", "/trips?platform=bolt&from=2026-11-05&to=2026-11-05&limit=100", self.viewer)
        self.assertEqual(r.status, 200)
        keys = [t["source_key"] for t in r.json()["data"] if t["source_key"].startswith(f"B{p}")]
        self.assertEqual(sorted(keys), [f"B{p}-1", f"B{p}-2"])
        r = api("GET", "/trips?platform=bolt&from=2026-11-06&to=2026-11-06&limit=100", self.viewer)
        keys = [t["source_key"] for t in r.json()["data"] if t["source_key"].startswith(f"B{p}")]
        self.assertEqual(keys, [f"B{p}-3"])
        for q in ("platform=lyft", "from=2026-13-01", "driver_id=abc", "limit=500"):
            self.assertEqual(api("GET", f"/trips?{q}", self.viewer).status, 422, q)
            self.assertEqual(api("GET", f"/earnings?{q}", self.viewer).status, 422, q)


class SourcesAccess(SourcesBase):
    def test_another_tenant_gets_404_never_403(self):
        s = self.source()
        run_id = self.start(s["id"], uber_rows(fresh(), 3))
        self.wait(run_id)
        for method, path, files in (("GET", f"/sources/{s['id']}", None),
                                    ("POST", f"/sources/{s['id']}/check", None),
                                    ("POST", f"/sources/{s['id']}/sync",
                                     [("file", "x.csv", "text/csv", uber_rows("x", 1))]),
                                    ("GET", f"/sync-runs/{run_id}", None)):
            r = api(method, path, self.other, files=files)
            self.assertEqual(r.status, 404, f"{method} {path}")
        self.assertNotIn(s["id"], [x["id"] for x in
                                   api("GET", "/sources?limit=100", self.other).json()["data"]])
        other = signed_in("admin@other.test")
        for path in (f"/sources/{s['id']}", f"/sources/{s['id']}/runs", f"/sync-runs/{run_id}",
                     f"/sync-runs/{run_id}/progress", f"/sources/{s['id']}/edit"):
            self.assertEqual(other.get(path).status, 404, path)
        for path in (f"/sources/{s['id']}/pause", f"/sync-runs/{run_id}/cancel",
                     f"/sync-runs/{run_id}/retry", f"/sources/{s['id']}/auto"):
            self.assertEqual(other.post(path, {"on": "1"}).status, 404, path)
        self.assertNotIn(s["name"], other.get("/sources").text)

    def test_roles_and_scopes(self):
        s = self.source()
        r = api("POST", "/sources", self.viewer, {"type": "uber_csv", "name": fresh()})
        self.assertEqual(r.status, 403)
        r = api("POST", f"/sources/{s['id']}/sync", self.reader,
                files=[("file", "x.csv", "text/csv", uber_rows("x", 1))])
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "insufficient_scope")
        self.assertEqual(api("GET", "/sources", self.reader).status, 200)
        viewer = signed_in("viewer@demo.test")
        page = viewer.get("/sources")
        self.assertEqual(page.status, 200)
        self.assertNotIn('href="/sources/new"', page.text)
        self.assertEqual(viewer.get("/sources/new").status, 403)
        self.assertEqual(viewer.post(f"/sources/{s['id']}/pause").status, 403)
        driver = signed_in("chauffeur@demo.test")
        for path in ("/sources", "/trips", "/earnings", f"/sources/{s['id']}"):
            self.assertEqual(driver.get(path).status, 403, path)


class SourcesScreens(SourcesBase):
    def test_add_sync_by_upload_watch_progress_and_history(self):
        web = signed_in("manager@demo.test")
        self.assertEqual(web.get("/sources/new").status, 200)
        form = web.get("/sources/new?type=uber_csv")
        self.assertIn('name="encoding"', form.text)
        name = f"Uber web {fresh()}"
        r = web.post("/sources", {"type": "uber_csv", "name": name, "encoding": "auto",
                                  "delimiter": "auto", "decimal": "auto", "currency": "EUR"},
                     csrf=csrf_of(form))
        self.assertEqual(r.status, 303, r.text[:300])
        page_path = r.header("location").split("?")[0]
        page = web.get(page_path)
        self.assertIn(name, page.text)
        p = fresh()
        body, ctype = multipart({"csrf": csrf_of(page)},
                                [("file", "uber.csv", "text/csv",
                                  fixture("uber_payments_en.csv", [("6b1f3c1e", p)]))])
        r = web.request("POST", page_path + "/sync", body=body, headers={"Content-Type": ctype})
        self.assertEqual(r.status, 303)
        run_path = r.header("location")
        self.assertTrue(run_path.startswith("/sync-runs/"))
        run_page = web.get(run_path)
        self.assertEqual(run_page.status, 200)
        wait_for(lambda: web.get(run_path + "/progress").header("HX-Refresh") == "true", 60)
        done = web.get(run_path)
        self.assertIn("concordent au centime", done.text)
        self.assertNotIn('hx-get', done.text)
        history = web.get(page_path + "/runs")
        self.assertIn(run_path, history.text)
        self.assertIn(name, web.get("/sources").text)

    def test_progress_fragment_polls_while_running(self):
        s = self.source()
        run_id = self.start(s["id"], uber_rows(fresh(), 5))
        web = signed_in("viewer@demo.test")
        frag = web.get(f"/sync-runs/{run_id}/progress")
        self.assertEqual(frag.status, 200)
        if frag.header("HX-Refresh") is None:
            self.assertIn(f'hx-get="/sync-runs/{run_id}/progress"', frag.text)
            # The run may end between the two requests: the page refreshes
            # itself exactly while the run is going on.
            page = web.get(f"/sync-runs/{run_id}").text
            if 'http-equiv="refresh"' not in page:
                self.assertEqual(web.get(f"/sync-runs/{run_id}/progress").header("HX-Refresh"),
                                 "true")
        self.wait(run_id)
        self.assertEqual(web.get(f"/sync-runs/{run_id}/progress").header("HX-Refresh"), "true")

    def test_generic_csv_mapping_is_saved_for_next_time(self):
        s = self.source("generic_csv", target="trips", platform="autre")
        web = signed_in("manager@demo.test")
        page = web.get(f"/sources/{s['id']}")
        p = fresh()
        data = fixture("generic_trips.csv", [("G-", f"G{p}-")])
        body, ctype = multipart({"csrf": csrf_of(page)}, [("file", "maison.csv", "text/csv", data)])
        r = web.request("POST", f"/sources/{s['id']}/sync", body=body,
                        headers={"Content-Type": ctype})
        self.assertEqual(r.status, 303)
        self.assertIn("/mapping?file=", r.header("location"))
        mapping = web.get(r.header("location"))
        self.assertEqual(mapping.status, 200)
        self.assertIn("Réf course", mapping.text)
        key = r.header("location").split("file=")[1].split("&")[0]
        fields = {"file": key, "file_name": "maison.csv", "map_source_key": "Réf course",
                  "map_driver_name": "Chauffeur", "map_driver_email": "Mail",
                  "map_started_at": "Date", "map_gross_fare_cents": "Montant TTC",
                  "map_net_earnings_cents": "Net chauffeur", "map_payment_method": "Paiement",
                  "map_status": "Statut"}
        r = web.post(f"/sources/{s['id']}/mapping", dict(fields, map_source_key=""),
                     csrf=csrf_of(mapping))
        self.assertEqual(r.status, 422)
        r = web.post(f"/sources/{s['id']}/mapping", fields, csrf=csrf_of(mapping))
        self.assertEqual(r.status, 303, r.text[:300])
        run = self.wait(r.header("location").split("/")[-1])
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["rows_inserted"], 3)
        self.assertEqual(run["loaded_totals"]["gross_fare_cents"], 5550)
        saved = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]["config"]["mapping"]
        self.assertEqual(saved["source_key"], "Réf course")
        # The next file goes straight in with the saved mapping.
        p2 = fresh()
        run = self.sync(s["id"], fixture("generic_trips.csv", [("G-", f"G{p2}-")]))
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["rows_inserted"], 3)
        status = psql_one(f"SELECT status FROM trips WHERE source_key = {quote(f'G{p2}-3')}")
        self.assertEqual(status, "annulee")

    def test_pause_resume_and_automatic_mode_periods(self):
        s = self.source()
        web = signed_in("manager@demo.test")
        self.assertEqual(web.post(f"/sources/{s['id']}/pause").status, 303)
        shown = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]
        self.assertEqual(shown["health"], "en_pause")
        r = api("POST", f"/sources/{s['id']}/sync", self.manager,
                files=[("file", "x.csv", "text/csv", uber_rows(fresh(), 1))])
        self.assertEqual(r.status, 409)
        self.assertIn("pause", r.json()["error"]["message"])
        self.assertEqual(web.post(f"/sources/{s['id']}/resume").status, 303)
        r = web.post(f"/sources/{s['id']}/schedule", {"schedule": "hebdomadaire", "time": "25:00"})
        self.assertEqual(r.status, 422)
        r = web.post(f"/sources/{s['id']}/schedule",
                     {"schedule": "hebdomadaire", "time": "07:30", "weekday": "1"})
        self.assertEqual(r.status, 303)
        self.assertEqual(web.post(f"/sources/{s['id']}/auto", {"on": "1"}).status, 303)
        shown = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]
        self.assertTrue(shown["auto_mode"])
        self.assertIsNotNone(shown["next_sync_at"])
        # Next Monday 07:30 in Paris.
        dow = psql_one(f"SELECT extract(isodow FROM next_sync_at AT TIME ZONE 'Europe/Paris')"
                       f" || ' ' || to_char(next_sync_at AT TIME ZONE 'Europe/Paris', 'HH24:MI')"
                       f" FROM sources WHERE id = {quote(s['id'])}")
        self.assertEqual(dow, "1 07:30")
        self.assertEqual(web.post(f"/sources/{s['id']}/auto", {"on": "0"}).status, 303)
        self.assertEqual(web.post(f"/sources/{s['id']}/auto", {"on": "1"}).status, 303)
        periods = psql(f"SELECT ended_at IS NULL, started_by IS NOT NULL FROM source_mode_periods"
                       f" WHERE source_id = {quote(s['id'])} ORDER BY started_at")
        self.assertEqual(periods, ["f|t", "t|t"])
        titles = psql(f"SELECT title FROM activities WHERE subject_id = {quote(s['id'])}"
                      f" ORDER BY id")
        self.assertIn(f"Mode automatique activé : {shown['name']}", titles)
        self.assertIn(f"Mode automatique désactivé : {shown['name']}", titles)
        self.assertIn(f"Source mise en pause : {shown['name']}", titles)
        page = web.get(f"/sources/{s['id']}")
        self.assertIn('id="auto-periods"', page.text)
        # Past its time without a file: late; a file moves the expectation on.
        psql(f"UPDATE sources SET next_sync_at = now() - interval '1 hour'"
             f" WHERE id = {quote(s['id'])}")
        self.assertEqual(api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]["health"],
                         "en_retard")
        self.assertEqual(self.sync(s["id"], uber_rows(fresh(), 2))["status"], "reussi")
        shown = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]
        self.assertEqual(shown["health"], "sain")
        self.assertEqual(psql_one(f"SELECT next_sync_at > now() FROM sources WHERE id = {quote(s['id'])}"),
                         "t")
        # Paused, it expects no sync (not a time in the past, not « en
        # retard »); resumed, the next one is set again from that moment.
        self.assertEqual(web.post(f"/sources/{s['id']}/pause").status, 303)
        psql(f"UPDATE sources SET paused_at = now() - interval '3 days'"
             f" WHERE id = {quote(s['id'])}")
        shown = api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]
        self.assertIsNone(shown["next_sync_at"])
        self.assertEqual(shown["health"], "en_pause")
        self.assertIn('<div class="kpi-value kpi-small">En pause</div>',
                      web.get(f"/sources/{s['id']}").text)
        self.assertEqual(web.post(f"/sources/{s['id']}/auto", {"on": "0"}).status, 303)
        self.assertEqual(web.post(f"/sources/{s['id']}/auto", {"on": "1"}).status, 303)
        self.assertIsNone(api("GET", f"/sources/{s['id']}", self.viewer).json()["data"]["next_sync_at"])
        self.assertEqual(web.post(f"/sources/{s['id']}/resume").status, 303)
        self.assertEqual(psql_one(
            f"SELECT extract(isodow FROM next_sync_at AT TIME ZONE 'Europe/Paris')"
            f" || ' ' || to_char(next_sync_at AT TIME ZONE 'Europe/Paris', 'HH24:MI')"
            f" || ' ' || (next_sync_at > now() AND next_sync_at <= now() + interval '7 days')"
            f" FROM sources WHERE id = {quote(s['id'])}"), "1 07:30 true")

    def test_cancel_a_queued_run_and_retry(self):
        s = self.source()
        p = fresh()
        run_id = self.start(s["id"], uber_rows(p, 50))
        web = signed_in("manager@demo.test")
        r = web.post(f"/sync-runs/{run_id}/cancel")
        self.assertEqual(r.status, 303)
        run = self.wait(run_id)
        if run["status"] == "annule":
            self.assertEqual(count_keys("trips", p), 0)
        else:  # the runner was quicker than the click
            self.assertEqual(run["status"], "reussi")
        r = web.post(f"/sync-runs/{run_id}/retry")
        self.assertEqual(r.status, 303)
        again = self.wait(r.header("location").split("/")[-1])
        self.assertEqual(again["status"], "reussi")
        self.assertEqual(count_keys("trips", p), 50)
        self.assertEqual(web.post(f"/sync-runs/{run_id}/cancel").status, 303)


class CancelRunning(SourcesBase):
    def test_cancel_while_the_file_is_read_loads_nothing(self):
        s = self.source()
        p = fresh()
        run_id = self.start(s["id"], uber_rows(p, 300000), "gros.csv")
        self.assertTrue(wait_for(lambda: api("GET", f"/sync-runs/{run_id}", self.viewer)
                                 .json()["data"]["bytes_read"] > 0, 60, 0.05))
        web = signed_in("manager@demo.test")
        self.assertEqual(web.post(f"/sync-runs/{run_id}/cancel").status, 303)
        run = self.wait(run_id)
        self.assertEqual(run["status"], "annule", run)
        self.assertIsNotNone(run["ended_at"])
        self.assertEqual(count_keys("trips", p), 0)
        # The source is free again.
        self.assertEqual(self.sync(s["id"], uber_rows(p, 3))["status"], "reussi")


class DriverMatching(SourcesBase):
    def test_rules_then_unmatched_list_and_remembered_choice(self):
        p = fresh()
        tid = tenant_id("demo")
        uber_uuid = f"{p}-uuid"
        psql(f"INSERT INTO drivers (tenant_id, first_name, last_name, uber_driver_uuid)"
             f" VALUES ({quote(tid)}, 'Amine', 'Uuid{p}', {quote(uber_uuid)});"
             f"INSERT INTO drivers (tenant_id, first_name, last_name, phone)"
             f" VALUES ({quote(tid)}, 'Karim', 'Phone{p}', '+3369{int(p, 16) % 10**7:07d}');"
             f"INSERT INTO drivers (tenant_id, first_name, last_name, email)"
             f" VALUES ({quote(tid)}, 'Chloé', 'Mail{p}', {quote(f'chloe.{p}@example.fr')});",
             role="fleetcore_owner")
        phone = psql_one(f"SELECT phone FROM drivers WHERE last_name = {quote('Phone' + p)}")
        uber = self.source()
        data = (UBER_HEADER + f"{p}-1,{uber_uuid},trip completed order,2026-11-02 10:00:00,5.00,5.00\r\n"
                f"{p}-2,{p}-stranger,trip completed order,2026-11-02 11:00:00,7.00,7.00\r\n").encode()
        self.assertEqual(self.sync(uber["id"], data)["status"], "reussi")
        by_uuid = psql_one(f"SELECT d.last_name FROM trips t JOIN drivers d ON d.id = t.driver_id"
                           f" WHERE t.source_key = {quote(p + '-1')}")
        self.assertEqual(by_uuid, f"Uuid{p}")
        bolt = self.source("bolt_orders_csv")
        tsv = ("order_reference\tdriver_name\tdriver_phone\tdriver_email\tride_price\n"
               f"B{p}\tK\t0{phone[3:]}\t\t10.00\n"
               f"C{p}\tC\t\tChloe.{p}@Example.fr\t12.00\n").encode()
        self.assertEqual(self.sync(bolt["id"], tsv, "b.tsv")["status"], "reussi")
        rows = psql(f"SELECT t.source_key, d.last_name FROM trips t JOIN drivers d"
                    f" ON d.id = t.driver_id WHERE t.source_key IN ({quote('B' + p)},"
                    f" {quote('C' + p)}) ORDER BY 1")
        self.assertEqual(rows, [f"B{p}|Phone{p}", f"C{p}|Mail{p}"])
        # The stranger waits in « non rapprochés »; pick Chloé once.
        web = signed_in("manager@demo.test")
        page = web.get("/sources/unmatched")
        self.assertIn(f"{p}-stranger", page.text)
        chloe = psql_one(f"SELECT id FROM drivers WHERE last_name = {quote('Mail' + p)}")
        r = web.post("/sources/unmatched", {"platform": "uber", "driver_ref": f"{p}-stranger",
                                            "driver_id": chloe})
        self.assertEqual(r.status, 303)
        self.assertIn("matched=1", r.header("location"))
        self.assertNotIn(f"{p}-stranger", web.get("/sources/unmatched").text)
        r = api("GET", f"/trips?driver_id={chloe}&limit=100", self.viewer)
        self.assertEqual(sorted(t["source_key"] for t in r.json()["data"]), sorted([f"C{p}", f"{p}-2"]))
        # Re-import: nothing changes; a new row of the stranger is matched.
        again = self.sync(uber["id"], data)
        self.assertEqual(again["rows_unchanged"], 2)
        more = (UBER_HEADER + f"{p}-3,{p}-stranger,trip completed order,2026-11-03 10:00:00,"
                "3.00,3.00\r\n").encode()
        self.assertEqual(self.sync(uber["id"], more)["status"], "reussi")
        self.assertEqual(psql_one(f"SELECT driver_id FROM trips WHERE source_key = {quote(p + '-3')}"),
                         chloe)
        r = web.post("/sources/unmatched", {"platform": "uber", "driver_ref": "x",
                                            "driver_id": "not-a-uuid"})
        self.assertEqual(r.status, 422)


def gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return True


class KilledRunner(SourcesBase):
    """kill -9 of fleetcore-jobs in the middle of a large import: the
    reaper fails the run, nothing of it is kept, and a re-run loads every
    row exactly once."""

    def test_reaper_fails_the_run_and_a_rerun_loads_every_row_once(self):
        s = self.source()
        p = fresh()
        n = 400000
        data = uber_rows(p, n)
        run_id = self.start(s["id"], data, "big.csv")
        started = wait_for(lambda: api("GET", f"/sync-runs/{run_id}", self.viewer)
                           .json()["data"]["bytes_read"] > 0, 60, 0.05)
        self.assertTrue(started, "the import never started")
        pid = pidfile("fleetcore-jobs")
        os.kill(pid, signal.SIGKILL)
        try:
            # Until init reaps it the killed runner is a zombie, which
            # "kill -0" (the stack's liveness check) takes for alive.
            self.assertTrue(wait_for(lambda: gone(pid), 10))
            os.unlink(os.path.join(VAR, "run", "fleetcore-jobs.pid"))
            time.sleep(1)
            run = api("GET", f"/sync-runs/{run_id}", self.viewer).json()["data"]
            self.assertEqual(run["status"], "en_cours", "the import ended before the kill")
            self.assertEqual(count_keys("trips", p), 0)
        finally:
            out = stack("start")
            self.assertEqual(out.returncode, 0, out.stderr)
        run = self.wait(run_id, timeout=120)
        self.assertEqual(run["status"], "echec")
        self.assertEqual(run["failure"], "transient")
        self.assertIn("heartbeat lost", run["detail"])
        self.assertEqual(count_keys("trips", p), 0)
        web = signed_in("manager@demo.test")
        r = web.post(f"/sync-runs/{run_id}/retry")
        self.assertEqual(r.status, 303)
        again = self.wait(r.header("location").split("/")[-1], timeout=300)
        self.assertEqual(again["status"], "reussi", again)
        self.assertEqual(again["rows_inserted"], n)
        self.assertTrue(again["totals_match"])
        self.assertEqual(count_keys("trips", p), n)


if __name__ == "__main__":
    unittest.main()
