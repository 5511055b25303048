"""The platform through nginx: health, routing, errors, headers, limits,
parsing, TLS redirect, metrics."""
import json
import os
import re
import unittest
import uuid

from client import get, multipart, plain_http, raw, request, HTTPS_PORT, ROOT, VAR
from identity import api_token, routes

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'",
    "strict-transport-security": "max-age=",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}


class Health(unittest.TestCase):
    def test_healthz_answers_ok_with_the_database(self):
        r = get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"success": True, "data": {"db": "ok"}})
        self.assertIn("application/json", r.header("content-type"))

    def test_head_is_served_from_get_without_a_body(self):
        r = request("HEAD", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        self.assertGreater(int(r.header("content-length")), 0)

    def test_status_page_reads_the_database_and_speaks_french(self):
        r = get("/status")
        self.assertEqual(r.status, 200)
        self.assertIn('lang="fr"', r.text)
        latest = sorted(os.listdir(os.path.join(ROOT, "sql", "migrations")))[-1]
        self.assertIn(latest, r.text)

    def test_server_does_not_say_its_version(self):
        r = get("/healthz")
        self.assertEqual(r.header("server"), "nginx")


class Routing(unittest.TestCase):
    def test_unknown_path_is_a_french_404_page_with_the_layout(self):
        r = get("/nulle-part")
        self.assertEqual(r.status, 404)
        self.assertIn("text/html", r.header("content-type"))
        self.assertIn('lang="fr"', r.text)
        self.assertIn("Page introuvable", r.text)
        self.assertIn("<nav", r.text)

    def test_unknown_api_path_is_a_json_404(self):
        r = get("/api/v1/nulle-part")
        self.assertEqual(r.status, 404)
        body = r.json()
        self.assertFalse(body["success"])
        self.assertEqual(body["error"]["code"], "not_found")

    def test_wrong_method_is_405_with_allow(self):
        r = request("POST", "/healthz", body=b"", headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("allow"), "GET, HEAD")
        self.assertIn("Méthode non autorisée", r.text)

    def test_english_when_the_browser_prefers_it(self):
        r = get("/nulle-part", headers={"Accept-Language": "en-GB,en;q=0.9"})
        self.assertEqual(r.status, 404)
        self.assertIn('lang="en"', r.text)
        self.assertIn("Page not found", r.text)


class Headers(unittest.TestCase):
    def assert_security_headers(self, r):
        for name, fragment in SECURITY_HEADERS.items():
            value = r.header(name)
            self.assertIsNotNone(value, f"{name} missing on {r.status}")
            self.assertIn(fragment, value)

    def test_on_200(self):
        r = get("/healthz")
        self.assertEqual(r.status, 200)
        self.assert_security_headers(r)

    def test_on_404(self):
        r = get("/absent")
        self.assertEqual(r.status, 404)
        self.assert_security_headers(r)

    def test_on_500_without_internals(self):
        r = get("/_test/error")
        self.assertEqual(r.status, 500)
        self.assert_security_headers(r)
        self.assertIn("Erreur interne", r.text)
        for leak in ("SELECT", "sqlstate", ".c:", "Traceback", "stack"):
            self.assertNotIn(leak, r.text)

    def test_on_static_files_with_long_cache(self):
        r = get("/static/css/app.css")
        self.assertEqual(r.status, 200)
        self.assert_security_headers(r)
        self.assertIn("max-age=31536000", r.header("cache-control"))

    def test_text_is_gzipped(self):
        r = get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.header("content-encoding"), "gzip")


class Redirect(unittest.TestCase):
    def test_http_redirects_to_https(self):
        r = plain_http("GET", "/vehicles?x=1")
        self.assertEqual(r.status, 301)
        self.assertEqual(r.header("location"), f"https://localhost:{HTTPS_PORT}/vehicles?x=1")


class Limits(unittest.TestCase):
    def test_oversized_body_is_413_in_french(self):
        r = request("POST", "/_test/echo", body=b"x" * (33 * 1024 * 1024),
                    headers={"Content-Type": "application/octet-stream"})
        self.assertEqual(r.status, 413)
        self.assertIn("trop volumineux", r.text)

    def test_platform_exports_may_exceed_the_general_limit_and_only_they(self):
        # The same rule in two places: the route table's upload flag (the
        # workers) and nginx's locations for those paths.
        conf = open(os.path.join(VAR, "nginx", "nginx.conf")).read()
        large = [re.compile(m) for m in re.findall(
            r"location ~ (\S+) \{\s*client_max_body_size 512m;", conf)]
        self.assertTrue(large)
        for route in [r for r in routes() if r["method"] not in ("GET", "HEAD")]:
            path = re.sub(r":\w+", "0b7e1c3a-5f2d-4a8e-9c61-2d3f4e5a6b7c", route["pattern"])
            with self.subTest(route=route["pattern"]):
                self.assertEqual(any(rx.search(path) for rx in large), route["upload"])

    def test_a_large_export_reaches_its_route_and_nothing_else(self):
        tok = api_token("demo", "manager@demo.test")
        r = request("POST", "/api/v1/sources", body=json.dumps(
            {"type": "uber_csv", "name": f"Gros export {uuid.uuid4().hex[:6]}"}).encode(),
            headers={"Authorization": f"Bearer {tok}", "Content-Type": "application/json"})
        self.assertEqual(r.status, 201, r.text)
        source = r.json()["data"]["id"]
        row = b"a" * 99 + b"\r\n"
        data = (b"Transaction UUID,Driver UUID,Description,Date/Time,Paid to you,"
                b"Paid to you : Your earnings\r\n" + b"t-1,d-1,trip,2026-11-02 10:00:00,1.00,1.00\r\n"
                + row * (40 * 1024 * 1024 // len(row)))
        body, ctype = multipart({}, [("file", "export.csv", "text/csv", data)])
        self.assertGreater(len(body), 33 * 1024 * 1024)
        auth = {"Authorization": f"Bearer {tok}", "Content-Type": ctype}
        r = request("POST", f"/api/v1/sources/{source}/check", body=body, headers=auth,
                    timeout=120)
        self.assertNotEqual(r.status, 413, r.text[:300])
        self.assertEqual(r.status // 100, 2, r.text[:300])
        r = request("POST", "/api/v1/sources", body=body, headers=auth, timeout=120)
        self.assertEqual(r.status, 413)
        self.assertEqual(r.json()["error"]["code"], "payload_too_large")

    def test_too_many_fields_is_413(self):
        body = "&".join(f"f{i}=1" for i in range(400)).encode()
        r = request("POST", "/_test/echo", body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 413)

    def test_sign_in_is_rate_limited(self):
        # In parallel, from an address of its own so other tests keep their
        # budget: more attempts than the burst allows, faster than refill.
        from concurrent.futures import ThreadPoolExecutor

        def attempt(_):
            return request("POST", "/login", body=b"", headers={"Content-Type": "text/plain"},
                           source="127.0.0.3")

        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(attempt, range(80)))
        limited = [a for a in answers if a.status == 429]
        self.assertTrue(limited, sorted({a.status for a in answers}))
        self.assertIn("Trop de requêtes", limited[0].text)

    def test_password_reset_requests_are_rate_limited(self):
        # Each one writes a mail; from an address of its own, as above.
        from concurrent.futures import ThreadPoolExecutor

        def attempt(_):
            return request("GET", "/password/forgot", source="127.0.0.4")

        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(attempt, range(80)))
        self.assertIn(200, {a.status for a in answers})
        limited = [a for a in answers if a.status == 429]
        self.assertTrue(limited, sorted({a.status for a in answers}))
        self.assertIn("Trop de requêtes", limited[0].text)


class Parsing(unittest.TestCase):
    def test_form_fields_are_decoded(self):
        r = request("POST", "/_test/echo?q=caf%C3%A9",
                    body="nom=%C3%89lodie+Dupont&ville=Paris".encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 200)
        data = r.json()["data"]
        self.assertEqual(data["form"], {"nom": "Élodie Dupont", "ville": "Paris"})
        self.assertEqual(data["query"], {"q": "café"})

    def test_multipart_with_files_small_in_memory_large_on_disk(self):
        small = b"%PDF-1.4 small"
        large = bytes(range(256)) * 1024  # 256 KiB, binary with CR and LF
        body, ctype = multipart({"titre": "Carte grise"},
                                [("doc", "petit.pdf", "application/pdf", small),
                                 ("scan", "C:\\docs\\grand.bin", "application/octet-stream", large)])
        r = request("POST", "/_test/echo", body=body, headers={"Content-Type": ctype})
        self.assertEqual(r.status, 200, r.text)
        data = r.json()["data"]
        self.assertEqual(data["form"], {"titre": "Carte grise"})
        files = {f["field"]: f for f in data["files"]}
        self.assertEqual(files["doc"]["size"], len(small))
        self.assertFalse(files["doc"]["on_disk"])
        self.assertEqual(files["scan"]["filename"], "grand.bin")
        self.assertEqual(files["scan"]["size"], len(large))
        self.assertTrue(files["scan"]["on_disk"])

    def test_malformed_multipart_is_400_with_a_clear_message(self):
        r = request("POST", "/_test/echo", body=b"--abc\r\nno headers end",
                    headers={"Content-Type": "multipart/form-data; boundary=abc"})
        self.assertEqual(r.status, 400)
        self.assertIn("multipart", r.json()["error"]["message"])

    def test_multipart_without_boundary_is_400(self):
        r = request("POST", "/_test/echo", body=b"whatever",
                    headers={"Content-Type": "multipart/form-data"})
        self.assertEqual(r.status, 400)

    def test_invalid_utf8_in_the_query_is_400(self):
        r = get("/healthz?nom=%FF%FE")
        self.assertEqual(r.status, 400)
        self.assertIn("UTF-8", r.text)

    def test_nul_in_a_form_value_is_400(self):
        r = request("POST", "/_test/echo", body=b"a=x%00y",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 400)

    def test_invalid_utf8_in_the_path_is_400(self):
        answer = raw(b"GET /caf\xff HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        self.assertTrue(answer.startswith(b"HTTP/1.1 400"), answer[:80])

    def test_json_body_is_parsed_and_bad_json_refused(self):
        r = request("POST", "/_test/echo", body=json.dumps({"plate": "AB-123-CD"}).encode(),
                    headers={"Content-Type": "application/json"})
        self.assertEqual(r.json()["data"]["json"], {"plate": "AB-123-CD"})
        r = request("POST", "/_test/echo", body=b'{"plate": ',
                    headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["code"], "bad_request")

    def test_cookies_are_read(self):
        r = get("/_test/echo", headers={"Cookie": "a=1; b=\"deux\""})
        self.assertEqual(r.status, 200)


class Metrics(unittest.TestCase):
    def test_prometheus_text_from_localhost(self):
        get("/healthz")
        r = get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertIn('fleetcore_requests_total{method="GET",route="/healthz",status="200"}', r.text)
        self.assertIn("fleetcore_request_duration_seconds_bucket", r.text)
        self.assertIn("fleetcore_worker_restarts_total", r.text)
        self.assertIn("fleetcore_db_errors_total", r.text)

    def test_refused_to_other_addresses(self):
        r = get("/metrics", source="127.0.0.2")
        self.assertEqual(r.status, 403)


if __name__ == "__main__":
    unittest.main()
