"""File sources that fetch their file from an address: a local HTTP server
(this test's own, on 127.0.0.1) serves an Uber export and requires an
Authorization header.  The secret is sealed in the database and masked on
screens and in the API, never in a run's message or the stack's logs; a
sync without a file fetches it; 401, 500 and a slow server end the way
the job rules say; the runner starts scheduled runs of due sources in
« mode automatique », once."""
import glob
import http.server
import os
import threading
import time
import unittest
import uuid

from client import VAR, wait_for
from identity import csrf_of, psql, psql_one, quote, signed_in
from test_sources import SourcesBase, api, count_keys, fixture, fresh, uber_rows

MASK = "••••••••"


class FileServer:
    """Serves registered paths; each path says which Authorization value
    it wants, or how to fail.  Every request is recorded."""

    def __init__(self):
        self.routes = {}
        self.seen = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path
                server.seen.append({"path": path,
                                    "authorization": self.headers.get("Authorization"),
                                    "user_agent": self.headers.get("User-Agent")})
                route = server.routes.get(path)
                if route is None:
                    return self._send(404, b"not found")
                if route.get("status"):
                    return self._send(route["status"], b"boom")
                if self.headers.get("Authorization") != route["auth"]:
                    return self._send(401, b"denied")
                data = route["data"]
                if route.get("stall"):
                    # Half the file, then silence longer than the timeout.
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[:len(data) // 2])
                    self.wfile.flush()
                    time.sleep(route["stall"])
                    try:
                        self.wfile.write(data[len(data) // 2:])
                    except OSError:
                        pass
                    return None
                return self._send(200, data)

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return None

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def add(self, data=b"", auth=None, status=None, stall=None):
        path = f"/exports/{uuid.uuid4().hex}/uber.csv"
        self.routes[path] = {"data": data, "auth": auth, "status": status, "stall": stall}
        return path, f"http://127.0.0.1:{self.port}{path}"

    def requests_to(self, path):
        return [r for r in self.seen if r["path"] == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def secret():
    return f"Bearer sk-{uuid.uuid4().hex}"


def logs_contain(text):
    for name in glob.glob(os.path.join(VAR, "log", "*")):
        with open(name, "rb") as f:
            if text.encode() in f.read():
                return name
    return None


class SourcesFetch(SourcesBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FileServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def uber_data(self):
        p = fresh()
        return p, fixture("uber_payments_en.csv", [("6b1f3c1e", p)])

    def fetching_source(self, url, auth):
        return self.source("uber_csv", url=url, authorization=auth)

    def sync_now(self, source_id):
        r = api("POST", f"/sources/{source_id}/sync", self.manager, {})
        self.assertEqual(r.status, 202, r.text)
        return r.json()["data"]["run_id"]

    def test_secret_is_sealed_masked_and_sync_now_fetches(self):
        key = secret()
        prefix, data = self.uber_data()
        path, url = self.server.add(data, auth=key)
        s = self.fetching_source(url, key)
        self.assertEqual(s["config"]["url"], url)
        self.assertEqual(s["config"]["authorization"], MASK)
        shown = api("GET", f"/sources/{s['id']}", self.viewer)
        self.assertNotIn(key, shown.text)
        self.assertEqual(shown.json()["data"]["config"]["authorization"], MASK)
        # Sealed at rest: neither the secrets column nor config holds it.
        row = psql_one(f"SELECT coalesce(secrets, '') || ' ' || config::text FROM sources "
                       f"WHERE id = {quote(s['id'])}")
        self.assertNotIn(key, row)
        self.assertNotIn(key.split()[1], row)
        self.assertTrue(psql_one(f"SELECT secrets FROM sources WHERE id = {quote(s['id'])}"))
        web = signed_in("manager@demo.test")
        page = web.get(f"/sources/{s['id']}")
        self.assertNotIn(key.split()[1], page.text)
        self.assertIn(url, page.text)
        edit = web.get(f"/sources/{s['id']}/edit")
        self.assertIn('name="url"', edit.text)
        self.assertIn('name="authorization"', edit.text)
        self.assertNotIn(key.split()[1], edit.text)

        # « Tester la connexion » without a sample fetches the file.
        r = api("POST", f"/sources/{s['id']}/check", self.manager, {})
        self.assertEqual(r.status, 200, r.text)
        self.assertTrue(r.json()["data"]["ok"], r.text)

        run = self.wait(self.sync_now(s["id"]))
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["trigger"], "api")
        self.assertEqual((run["rows_extracted"], run["rows_inserted"], run["rows_rejected"]),
                         (5, 5, 0))
        self.assertTrue(run["totals_match"])
        self.assertEqual(run["file_name"], "uber.csv")
        self.assertEqual(run["file_bytes"], len(data))
        self.assertEqual(run["bytes_read"], len(data))
        self.assertEqual(count_keys("trips", prefix), 5)
        seen = self.server.requests_to(path)
        self.assertEqual([x["authorization"] for x in seen], [key, key])
        self.assertTrue(all(x["user_agent"] == "FleetCore" for x in seen))

        # Saving the form with the secret left blank keeps it.
        form = web.get(f"/sources/{s['id']}/edit")
        r = web.post(f"/sources/{s['id']}", {
            "name": s["name"], "encoding": "auto", "delimiter": "auto", "decimal": "auto",
            "currency": "EUR", "url": url, "authorization": ""}, csrf=csrf_of(form))
        self.assertEqual(r.status, 303, r.text[:300])
        again = self.wait(self.sync_now(s["id"]))
        self.assertEqual(again["status"], "reussi", again)
        self.assertEqual(again["rows_unchanged"], 5)
        self.assertEqual(self.server.requests_to(path)[-1]["authorization"], key)

        # The screen's « Synchroniser maintenant » without a file works too.
        page = web.get(f"/sources/{s['id']}")
        self.assertNotIn('accept=".csv,.tsv,.txt,.json,text/csv" required', page.text)
        r = web.post(f"/sources/{s['id']}/sync", {}, csrf=csrf_of(page))
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertTrue(r.header("location").startswith("/sync-runs/"), r.header("location"))
        run_id = r.header("location").split("/")[-1]
        self.assertEqual(self.wait(run_id)["status"], "reussi")

        # « Relancer » on a fetched run fetches the address anew.
        page = web.get(f"/sync-runs/{run_id}")
        self.assertIn(f'action="/sync-runs/{run_id}/retry"', page.text)
        fetched = len(self.server.requests_to(path))
        r = web.post(f"/sync-runs/{run_id}/retry", {}, csrf=csrf_of(page))
        self.assertEqual(r.status, 303, r.text[:300])
        again_id = r.header("location").split("/")[-1]
        self.assertNotEqual(again_id, run_id)
        again = self.wait(again_id)
        self.assertEqual((again["status"], again["rows_unchanged"]), ("reussi", 5), again)
        self.assertEqual(len(self.server.requests_to(path)), fetched + 1)

    def test_wrong_secret_fails_as_configuration_without_leaking(self):
        wanted, wrong = secret(), secret()
        prefix, data = self.uber_data()
        path, url = self.server.add(data, auth=wanted)
        s = self.fetching_source(url, wrong)
        run = self.wait(self.sync_now(s["id"]))
        self.assertEqual(run["status"], "echec", run)
        self.assertEqual(run["failure"], "configuration")
        self.assertEqual(run["message"],
                         "Le serveur refuse l'accès : vérifiez l'en-tête d'autorisation.")
        self.assertIn("401", run["detail"])
        self.assertEqual(run["attempts"], 1)  # never retried
        shown = api("GET", f"/sync-runs/{run['id']}", self.viewer).text
        self.assertNotIn(wrong.split()[1], shown)
        self.assertEqual(count_keys("trips", prefix), 0)
        self.assertEqual(self.server.requests_to(path)[-1]["authorization"], wrong)
        r = api("POST", f"/sources/{s['id']}/check", self.manager, {})
        self.assertFalse(r.json()["data"]["ok"])
        self.assertIn("vérifiez l'en-tête d'autorisation", r.json()["data"]["message"])
        self.assertIsNone(logs_contain(wrong.split()[1]), "secret found in the stack's logs")

    def test_server_error_is_transient_and_retried(self):
        key = secret()
        path, url = self.server.add(auth=key, status=500)
        s = self.fetching_source(url, key)
        run_id = self.sync_now(s["id"])
        # Retried with backoff (2, 4, 8, 16 s) until the attempts run out.
        run = self.wait(run_id, timeout=120)
        self.assertEqual(run["status"], "echec", run)
        self.assertEqual(run["failure"], "transient")
        self.assertIn("indisponible", run["message"])
        self.assertIn("500", run["detail"])
        self.assertGreater(run["attempts"], 1)
        self.assertEqual(len(self.server.requests_to(path)), run["attempts"])
        self.assertNotIn(key.split()[1], run["detail"] + run["message"])

    def test_slow_server_times_out_and_loads_nothing(self):
        key = secret()
        prefix, data = self.uber_data()
        path, url = self.server.add(data, auth=key, stall=12)
        s = self.fetching_source(url, key)
        run_id = self.sync_now(s["id"])

        seen = {}

        def timed_out():
            seen["run"] = api("GET", f"/sync-runs/{run_id}", self.viewer).json()["data"]
            return seen["run"].get("failure") == "transient"
        self.assertTrue(wait_for(timed_out, 60, 0.3), "no transient failure recorded")
        run = seen["run"]
        # Retried: the timeout passes by itself, nothing was loaded meanwhile.
        self.assertEqual(run["status"], "en_cours", run)
        self.assertIn("à temps", run["message"])
        self.assertEqual(count_keys("trips", prefix), 0)
        # Stop the retries: cancel from the screen.
        web = signed_in("manager@demo.test")
        page = web.get(f"/sync-runs/{run_id}")
        r = web.post(f"/sync-runs/{run_id}/cancel", {}, csrf=csrf_of(page))
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertIn(self.wait(run_id, timeout=60)["status"], ("annule", "echec"))
        self.assertEqual(count_keys("trips", prefix), 0)

    def test_check_downloads_only_the_head_of_a_large_file(self):
        # 80 000 rows (5.6 MB): the server sends half, then nothing for
        # longer than any timeout.  The check reads a sample of rows, so it
        # stops after the first MiB (a row cut there is not the file's
        # fault) and answers instead of waiting for the rest.
        key = secret()
        prefix = fresh()
        path, url = self.server.add(uber_rows(prefix, 80000), auth=key, stall=40)
        s = self.fetching_source(url, key)
        r = api("POST", f"/sources/{s['id']}/check", self.manager, {})
        self.assertEqual(r.status, 200, r.text)
        answer = r.json()["data"]
        self.assertTrue(answer["ok"], r.text)
        self.assertEqual(answer["dialect"]["problems"], [], r.text)
        self.assertIn("0 rejetée", answer["message"])
        self.assertLessEqual(answer["dialect"]["bytes"], 1024 * 1024)
        self.assertEqual(len(self.server.requests_to(path)), 1)
        self.assertEqual(count_keys("trips", prefix), 0)

    def test_address_rules_and_no_file_no_address(self):
        for bad in ("http://example.com/x.csv", "ftp://example.com/x.csv",
                    "https://user:pw@example.com/x.csv", "example.com/x.csv"):
            r = api("POST", "/sources", self.manager, {
                "type": "bolt_csv", "name": f"Bad {fresh()}", "config": {"url": bad}})
            self.assertEqual(r.status, 422, bad)
            self.assertIn("url", r.json()["error"]["fields"], r.text)
        r = api("POST", "/sources", self.manager, {
            "type": "heetch_csv", "name": f"Hdr {fresh()}",
            "config": {"url": "https://example.com/x.csv", "authorization": "a\r\nX-Evil: 1"}})
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("authorization", r.json()["error"]["fields"])
        s = self.source("generic_csv", url="https://example.com/export.csv")
        self.assertEqual(s["config"]["url"], "https://example.com/export.csv")
        plain = self.source("uber_csv")
        r = api("POST", f"/sources/{plain['id']}/sync", self.manager, {})
        self.assertEqual(r.status, 422, r.text)

    def test_scheduled_sync_starts_once_when_due(self):
        key = secret()
        prefix, data = self.uber_data()
        path, url = self.server.add(data, auth=key)
        s = self.fetching_source(url, key)
        idle = self.fetching_source(self.server.add(data, auth=key)[1], key)
        no_url = self.source("uber_csv")
        web = signed_in("manager@demo.test")
        for src in (s, idle, no_url):
            self.assertEqual(web.post(f"/sources/{src['id']}/schedule",
                                      {"schedule": "horaire"}).status, 303)
            self.assertEqual(web.post(f"/sources/{src['id']}/auto", {"on": "1"}).status, 303)
        ids = ", ".join(quote(x["id"]) for x in (s, no_url))
        psql(f"UPDATE sources SET next_sync_at = now() - interval '5 minutes' WHERE id IN ({ids})")

        def runs_of(source_id, trigger="schedule"):
            return int(psql_one(f"SELECT count(*) FROM sync_runs WHERE source_id = "
                                f"{quote(source_id)} AND trigger = {quote(trigger)}"))
        self.assertTrue(wait_for(lambda: runs_of(s["id"]) > 0, 30, 0.3),
                        "no scheduled run started")
        run_id = psql_one(f"SELECT id FROM sync_runs WHERE source_id = {quote(s['id'])}")
        run = self.wait(run_id)
        self.assertEqual(run["status"], "reussi", run)
        self.assertEqual(run["trigger"], "schedule")
        self.assertEqual(run["rows_inserted"], 5)
        self.assertEqual(count_keys("trips", prefix), 5)
        self.assertEqual(psql_one(f"SELECT next_sync_at > now() FROM sources "
                                  f"WHERE id = {quote(s['id'])}"), "t")
        time.sleep(7)  # several ticks of the runner (2 s under test)
        self.assertEqual(runs_of(s["id"]), 1)
        self.assertEqual(len(self.server.requests_to(path)), 1)
        # Not due, or nothing to fetch: nothing started.
        self.assertEqual(runs_of(idle["id"]), 0)
        self.assertEqual(runs_of(no_url["id"]), 0)
        history = web.get(f"/sources/{s['id']}/runs")
        self.assertIn(f"/sync-runs/{run_id}", history.text)


if __name__ == "__main__":
    unittest.main()
