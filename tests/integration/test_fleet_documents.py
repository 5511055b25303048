"""Documents of vehicles and drivers through nginx: uploads checked by
content (never by name or sent type), size limit, files served only to
their organisation, renewals that keep the history, expiry states with
per-type thresholds, the « Documents à renouveler » page and its count in
the navigation, and the daily refresh job of the runner."""
import datetime
import os
import re
import time
import unittest
import uuid

from client import VAR, multipart, request
from identity import api, psql, psql_one, quote, signed_in, tenant_id
import fleet_helpers as h
from fleet_helpers import jpeg_bytes, pdf_bytes, png_bytes, upload

MB = 1024 * 1024


def paris_today():
    return datetime.date.fromisoformat(psql_one(
        "SELECT to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')"))


def day(offset):
    return (paris_today() + datetime.timedelta(days=offset)).isoformat()


def state_of(doc_id):
    return psql_one(f"SELECT state FROM documents WHERE id = {quote(doc_id)}")


def wait_job(job_id, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        status = psql_one(f"SELECT status FROM jobs WHERE id = {job_id}")
        if status in ("succeeded", "failed", "dead"):
            return status
        time.sleep(0.2)
    return None


class Documents(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tok = h.tokens()
        cls.manager = cls.tok["manager"]
        cls.vehicle = h.vehicle(cls.manager)

    def fresh_vehicle(self):
        return h.vehicle(self.manager)["id"]

    # --- uploads --------------------------------------------------------

    def test_each_type_by_content(self):
        vid = self.fresh_vehicle()
        formats = [(pdf_bytes(), "application/pdf"), (jpeg_bytes(), "image/jpeg"),
                   (png_bytes(3), "image/png")]
        types = ["carte_grise", "assurance", "controle_technique", "permis", "carte_vtc",
                 "piece_identite", "justificatif_domicile", "rib", "contrat", "autre"]
        for i, t in enumerate(types):
            data, media = formats[i % 3]
            # The name and the sent type say nothing true: only bytes count.
            r = upload(self.manager, "vehicle", vid, t, data, filename=f"f{i}.bin",
                       sent_type="text/plain", number=f"N-{i}")
            self.assertEqual(r.status, 201, r.text)
            d = r.json()["data"]
            self.assertEqual((d["type"], d["content_type"], d["size_bytes"], d["number"]),
                             (t, media, len(data), f"N-{i}"))
            self.assertEqual(d["owner_type"], "vehicle")
            self.assertEqual(d["vehicle_id"], vid)
            self.assertIsNone(d["driver_id"])
            self.assertTrue(d["current"])
            self.assertEqual(d["file_url"], f"/api/v1/documents/{d['id']}/file")
            self.assertEqual(d["state"], "a_jour" if d["expires_on"] else "sans_echeance")
        r = api("GET", f"/api/v1/vehicles/{vid}/documents", self.manager)
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.json()["data"]), 10)
        self.assertEqual(r.json()["pagination"]["total"], 10)

    def test_png_named_pdf_is_stored_and_served_as_png(self):
        data = png_bytes(7)
        r = upload(self.manager, "vehicle", self.vehicle["id"], "carte_grise", data,
                   filename="scan.pdf", sent_type="application/pdf")
        self.assertEqual(r.status, 201, r.text)
        d = r.json()["data"]
        self.assertEqual(d["content_type"], "image/png")
        self.assertEqual(d["file_name"], "scan.pdf")
        f = api("GET", d["file_url"], self.manager)
        self.assertEqual(f.status, 200)
        self.assertEqual(f.body, data)
        self.assertEqual(f.header("content-type"), "image/png")
        # Saved under a name that does not promise another format.
        self.assertIn('filename="scan.png"', f.header("content-disposition"))
        self.assertTrue(f.header("content-disposition").startswith("attachment;"))

    def test_text_named_pdf_is_refused(self):
        r = upload(self.manager, "vehicle", self.vehicle["id"], "carte_grise",
                   b"Bonjour, je suis un fichier texte.\n", filename="facture.pdf")
        self.assertEqual(r.status, 422, r.text)
        err = r.json()["error"]
        self.assertEqual(err["code"], "validation_failed")
        self.assertIn("PDF", err["fields"]["file"])
        # A PDF with something before its signature is not a PDF either.
        r = upload(self.manager, "vehicle", self.vehicle["id"], "carte_grise",
                   b" " + pdf_bytes(), filename="x.pdf")
        self.assertEqual(r.status, 422)

    def test_ten_megabytes_pass_one_byte_more_does_not(self):
        vid = self.fresh_vehicle()
        exact = pdf_bytes() + b"0" * (10 * MB - len(pdf_bytes()))
        r = upload(self.manager, "vehicle", vid, "contrat", exact, filename="big.pdf")
        self.assertEqual(r.status, 201, r.text[:300])
        self.assertEqual(r.json()["data"]["size_bytes"], 10 * MB)
        r = upload(self.manager, "vehicle", vid, "contrat", exact + b"1", filename="big.pdf")
        self.assertIn(r.status, (413, 422), r.text[:300])
        if r.status == 422:
            self.assertIn("10 Mo", r.json()["error"]["fields"]["file"])
        r = api("GET", f"/api/v1/vehicles/{vid}/documents", self.manager)
        self.assertEqual(len(r.json()["data"]), 1)

    def test_missing_file_and_bad_fields(self):
        vid = self.vehicle["id"]
        r = upload(self.manager, "vehicle", vid, "rib", data=False)
        self.assertEqual(r.status, 422)
        self.assertIn("file", r.json()["error"]["fields"])
        r = upload(self.manager, "vehicle", vid, "rib", data=b"")
        self.assertEqual(r.status, 422)
        self.assertIn("file", r.json()["error"]["fields"])
        r = upload(self.manager, "vehicle", vid, "passeport")
        self.assertEqual(r.status, 422)
        self.assertIn("type", r.json()["error"]["fields"])
        r = upload(self.manager, "vehicle", vid, "assurance", issued_on="2026-02-30",
                   expires_on="demain")
        fields = r.json()["error"]["fields"]
        self.assertEqual(r.status, 422)
        self.assertIn("issued_on", fields)
        self.assertIn("expires_on", fields)
        r = upload(self.manager, "vehicle", vid, "assurance", issued_on=day(10),
                   expires_on=day(5))
        fields = r.json()["error"]["fields"]
        self.assertIn("futur", fields["issued_on"])
        self.assertIn("expiration", fields["expires_on"])
        # An insurance without its end date would never be reminded.
        r = upload(self.manager, "vehicle", vid, "assurance", expires_on="")
        self.assertEqual(r.status, 422)
        self.assertIn("expires_on", r.json()["error"]["fields"])
        r = upload(self.manager, "vehicle", vid, "carte_grise", number="x" * 101)
        self.assertIn("number", r.json()["error"]["fields"])

    def test_upload_must_be_multipart(self):
        r = api("POST", f"/api/v1/vehicles/{self.vehicle['id']}/documents", self.manager,
                {"type": "rib"})
        self.assertEqual(r.status, 415)

    def test_roles_scopes_and_unknown_owners(self):
        vid = self.vehicle["id"]
        self.assertEqual(upload(self.tok["viewer"], "vehicle", vid, "rib").status, 403)
        self.assertEqual(upload(self.tok["reader"], "vehicle", vid, "rib").status, 403)
        self.assertEqual(upload(self.tok["other"], "vehicle", vid, "rib").status, 404)
        self.assertEqual(upload(self.manager, "vehicle", str(uuid.uuid4()), "rib").status, 404)
        self.assertEqual(api("GET", f"/api/v1/vehicles/{vid}/documents",
                             self.tok["other"]).status, 404)
        self.assertEqual(api("GET", f"/api/v1/vehicles/{vid}/documents",
                             self.tok["viewer"]).status, 200)
        self.assertEqual(api("GET", f"/api/v1/vehicles/{vid}/documents").status, 401)

    def test_driver_documents(self):
        did = h.driver()
        r = upload(self.manager, "driver", did, "permis", png_bytes(9), filename="permis.png",
                   number="12AB34567", issued_on="2015-06-01", expires_on=day(400))
        self.assertEqual(r.status, 201, r.text)
        d = r.json()["data"]
        self.assertEqual((d["owner_type"], d["driver_id"], d["vehicle_id"]),
                         ("driver", did, None))
        r = api("GET", f"/api/v1/drivers/{did}/documents", self.tok["viewer"])
        self.assertEqual([x["id"] for x in r.json()["data"]], [d["id"]])
        other_driver = h.driver(tenant="other")
        self.assertEqual(upload(self.manager, "driver", other_driver, "rib").status, 404)

    # --- files ----------------------------------------------------------

    def test_file_is_served_only_to_its_organisation(self):
        data = pdf_bytes("confidentiel " + uuid.uuid4().hex)
        r = upload(self.manager, "vehicle", self.vehicle["id"], "contrat", data,
                   filename="Contrat d'été; v2.pdf")
        self.assertEqual(r.status, 201, r.text)
        doc = r.json()["data"]
        self.assertEqual(doc["file_name"], "Contrat d'été; v2.pdf")
        path = f"/documents/{doc['id']}/file"
        # The file lives in the data folder under a random name, not its own.
        tid = tenant_id("demo")
        key = psql_one(f"SELECT storage_key FROM documents WHERE id = {quote(doc['id'])}")
        self.assertRegex(key, r"^[A-Za-z0-9_-]{43}$")
        with open(os.path.join(VAR, "data", "documents", tid, key), "rb") as f:
            self.assertEqual(f.read(), data)
        for email in ("manager@demo.test", "viewer@demo.test"):
            s = signed_in(email)
            f = s.get(path)
            self.assertEqual(f.status, 200, email)
            self.assertEqual(f.body, data)
            self.assertEqual(f.header("content-type"), "application/pdf")
            disp = f.header("content-disposition")
            self.assertIn('filename="Contrat d\'_t__ v2.pdf"', disp)
            self.assertIn("filename*=UTF-8''Contrat%20d%27%C3%A9t%C3%A9%3B%20v2.pdf", disp)
            self.assertEqual(f.header("x-content-type-options"), "nosniff")
            self.assertIn("no-store", f.header("cache-control"))
        other = signed_in("admin@other.test")
        self.assertEqual(other.get(path).status, 404)
        self.assertEqual(api("GET", doc["file_url"], self.tok["other"]).status, 404)
        self.assertEqual(api("GET", f"/api/v1/documents/{doc['id']}",
                             self.tok["other"]).status, 404)
        anonymous = request("GET", path)
        self.assertEqual(anonymous.status, 303)
        self.assertEqual(anonymous.header("location"), "/login")
        self.assertEqual(api("GET", doc["file_url"]).status, 401)
        self.assertEqual(signed_in("chauffeur@demo.test").get(path).status, 403)
        self.assertEqual(request("GET", f"/documents/{uuid.uuid4()}/file",
                                 headers={"Cookie": "x=y"}).status, 303)
        self.assertEqual(signed_in("manager@demo.test").get(
            f"/documents/{uuid.uuid4()}/file").status, 404)
        self.assertEqual(signed_in("manager@demo.test").get(
            "/documents/../etc/passwd/file").status, 404)

    # --- renewals -------------------------------------------------------

    def test_renewal_supersedes_and_keeps_history(self):
        vid = self.fresh_vehicle()
        first = upload(self.manager, "vehicle", vid, "assurance", expires_on=day(10),
                       filename="2025.pdf").json()["data"]
        second = upload(self.manager, "vehicle", vid, "assurance", expires_on=day(375),
                        filename="2026.pdf").json()["data"]
        other_type = upload(self.manager, "vehicle", vid, "carte_grise").json()["data"]
        a1 = upload(self.manager, "vehicle", vid, "autre", filename="a1.pdf").json()["data"]
        a2 = upload(self.manager, "vehicle", vid, "autre", filename="a2.pdf").json()["data"]
        docs = {d["id"]: d for d in api("GET", f"/api/v1/vehicles/{vid}/documents",
                                        self.manager).json()["data"]}
        self.assertEqual(docs[first["id"]]["superseded_by"], second["id"])
        self.assertFalse(docs[first["id"]]["current"])
        for d in (second, other_type, a1, a2):
            self.assertTrue(docs[d["id"]]["current"], d["file_name"])
            self.assertIsNone(docs[d["id"]]["superseded_by"])
        # Current documents come first.
        order = list(docs)
        self.assertEqual(order[-1], first["id"])
        # The old file is still there, and shown in the history.
        self.assertEqual(api("GET", first["file_url"], self.manager).status, 200)
        page = signed_in("viewer@demo.test").get(f"/vehicles/{vid}").text
        self.assertIn("Versions précédentes (1)", page)
        self.assertIn("2025.pdf", page)
        self.assertIn("Remplacé", page)
        # PostgreSQL keeps one current document per owner and type.
        out = psql("INSERT INTO documents (tenant_id, vehicle_id, type, file_name,"
                   " content_type, size_bytes, storage_key) SELECT tenant_id, vehicle_id,"
                   " type, 'x.pdf', 'application/pdf', 1, 'k' || md5(random()::text)"
                   f" FROM documents WHERE id = {quote(second['id'])}", check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("documents__type__vehicle_current", out.stderr)

    # --- screens --------------------------------------------------------

    def test_vehicle_page_upload_form(self):
        vid = self.fresh_vehicle()
        s = signed_in("manager@demo.test")
        page = f"/vehicles/{vid}"
        r = h.web_upload(s, f"{page}/documents", page, "controle_technique", jpeg_bytes(),
                         "ct.jpg", expires_on=day(20), number="CT-1")
        self.assertEqual(r.status, 303, r.text[:500])
        self.assertEqual(r.header("location"), f"{page}?done=document#documents")
        text = s.get(page).text
        self.assertIn("ct.jpg", text)
        self.assertIn("Contrôle technique", text)
        self.assertIn("À renouveler", text)
        self.assertIn("dans 20 jours", text)
        # A text file: the form comes back with the message, nothing stored.
        r = h.web_upload(s, f"{page}/documents", page, "controle_technique",
                         b"plain text", "ct.pdf", expires_on=day(20), number="CT-2")
        self.assertEqual(r.status, 422)
        self.assertIn("ni un PDF", r.text)
        self.assertIn('value="CT-2"', r.text)
        self.assertIn('aria-invalid="true"', r.text)
        # No CSRF token, no upload; a viewer may not upload.
        r = h.web_upload(s, f"{page}/documents", page, "rib", pdf_bytes(), "r.pdf",
                         csrf=False)
        self.assertEqual(r.status, 403)
        v = signed_in("viewer@demo.test")
        self.assertNotIn('enctype="multipart/form-data"', v.get(page).text)
        r = h.web_upload(v, f"{page}/documents", page, "rib", pdf_bytes(), "r.pdf")
        self.assertEqual(r.status, 403)
        docs = api("GET", f"/api/v1/vehicles/{vid}/documents", self.manager).json()["data"]
        self.assertEqual([d["number"] for d in docs], ["CT-1"])

    def test_driver_upload_form(self):
        did = h.driver()
        s = signed_in("manager@demo.test")
        body, ctype = multipart({"csrf": h.csrf_of(s.get("/profile")), "type": "rib"},
                                [("file", "rib.pdf", "application/pdf", pdf_bytes())])
        r = s.request("POST", f"/drivers/{did}/documents", body=body,
                      headers={"Content-Type": ctype})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(r.header("location"), f"/drivers/{did}?done=document#documents")
        body, ctype = multipart({"csrf": h.csrf_of(s.get("/profile")), "type": "permis"}, [])
        r = s.request("POST", f"/drivers/{did}/documents", body=body,
                      headers={"Content-Type": ctype})
        self.assertEqual(r.status, 422)
        self.assertIn("Choisissez un fichier", r.text)
        self.assertIn(f'href="/drivers/{did}#documents"', r.text)

    # --- expiry ---------------------------------------------------------

    def test_states_thresholds_and_due_page(self):
        vid = self.fresh_vehicle()
        did = h.driver(last=f"Echeance-{uuid.uuid4().hex[:6]}")
        tag = uuid.uuid4().hex[:8]
        made = {}
        for name, owner, oid, t, offset in (
                ("late", "vehicle", vid, "controle_technique", -5),
                ("soon", "vehicle", vid, "assurance", 3),
                ("fine", "vehicle", vid, "carte_vtc", 60),
                ("driver", "driver", did, "permis", 10),
                ("today", "driver", did, "carte_vtc", 0)):
            r = upload(self.manager, owner, oid, t, filename=f"{tag}-{name}.pdf",
                       expires_on=day(offset))
            self.assertEqual(r.status, 201, r.text)
            made[name] = r.json()["data"]
        self.assertEqual({k: v["state"] for k, v in made.items()},
                         {"late": "expire", "soon": "a_renouveler", "fine": "a_jour",
                          "driver": "a_renouveler", "today": "a_renouveler"})
        s = signed_in("viewer@demo.test")
        text = s.get("/documents/due?limit=100").text
        names = re.findall(rf"{tag}-(\w+)\.pdf", text)
        # Oldest expiry first; what is up to date is not listed.
        self.assertEqual(names, ["late", "today", "soon", "driver"])
        self.assertIn(f'href="/vehicles/{vid}#documents"', text)
        self.assertIn(f'href="/drivers/{did}#documents"', text)
        self.assertIn("expiré depuis 5 jours", text)
        self.assertIn("expire aujourd&#39;hui", text)
        drivers_only = s.get("/documents/due?owner=driver&limit=100").text
        self.assertEqual(re.findall(rf"{tag}-(\w+)\.pdf", drivers_only), ["today", "driver"])
        expired_only = s.get("/documents/due?state=expire&limit=100").text
        self.assertEqual(re.findall(rf"{tag}-(\w+)\.pdf", expired_only), ["late"])
        # The vehicles list's filter agrees.
        plate = api("GET", f"/api/v1/vehicles/{vid}", self.manager).json()["data"]["plate"]
        due = api("GET", f"/api/v1/vehicles?documents=due&q={plate}", self.manager)
        self.assertEqual([v["id"] for v in due.json()["data"]], [vid])
        # An archived vehicle's documents no longer call for renewal.
        self.assertEqual(api("DELETE", f"/api/v1/vehicles/{vid}", self.manager).status, 200)
        text = s.get("/documents/due?limit=100").text
        self.assertEqual(re.findall(rf"{tag}-(\w+)\.pdf", text), ["today", "driver"])

    def test_threshold_per_type(self):
        vid = self.fresh_vehicle()
        tid = tenant_id("demo")
        psql(f"INSERT INTO document_thresholds (tenant_id, type, days) VALUES ({quote(tid)},"
             " 'rib', 90) ON CONFLICT (tenant_id, type) DO UPDATE SET days = 90")
        try:
            rib = upload(self.manager, "vehicle", vid, "rib", expires_on=day(45)).json()["data"]
            contrat = upload(self.manager, "vehicle", vid, "contrat",
                             expires_on=day(45)).json()["data"]
            self.assertEqual(rib["state"], "a_renouveler")
            self.assertEqual(contrat["state"], "a_jour")
        finally:
            psql(f"DELETE FROM document_thresholds WHERE tenant_id = {quote(tid)}"
                 " AND type = 'rib'")

    def test_the_expiry_rule_at_its_boundaries(self):
        # document_state is the one rule: the trigger, the daily refresh
        # and the driver's card and licence all read it.
        tid = quote(tenant_id("demo"))
        today = paris_today()
        for days, expected in ((-1, "expire"), (0, "a_renouveler"), (30, "a_renouveler"),
                               (31, "a_jour"), (None, "sans_echeance")):
            expires = "NULL" if days is None else f"'{today + datetime.timedelta(days=days)}'"
            with self.subTest(days=days):
                self.assertEqual(psql_one(f"SELECT document_state({tid}, 'assurance', {expires},"
                                          f" '{today}')"), expected)

    def test_a_drivers_card_and_licence_follow_the_same_rule(self):
        r = api("POST", "/api/v1/drivers", self.manager, {
            "first_name": "Lina", "last_name": f"Carte-{uuid.uuid4().hex[:6]}",
            "vtc_card_expiry": day(10), "licence_expiry": day(400)})
        self.assertEqual(r.status, 201, r.text)
        d = r.json()["data"]
        self.assertEqual((d["vtc_card_state"], d["licence_state"]), ("a_renouveler", "a_jour"))
        page = signed_in("viewer@demo.test").get(f"/drivers/{d['id']}").text
        self.assertIn("badge-warn", page)

    def test_navigation_counts_what_is_due(self):
        s = signed_in("manager@demo.test")
        upload(self.manager, "vehicle", self.fresh_vehicle(), "assurance", expires_on=day(-1))
        text = s.get("/vehicles").text
        m = re.search(r'<a href="/documents/due"[^>]*>Documents <span class="nav-count"'
                      r' title="[^"]+">([\d\u202f ]+)</span>', text)
        self.assertIsNotNone(m, "no count on the Documents entry")
        shown = int(re.sub(r"\D", "", m.group(1)))
        tid = tenant_id("demo")
        expected = int(psql_one(
            "SELECT count(*) FROM documents d LEFT JOIN vehicles v ON v.id = d.vehicle_id"
            " LEFT JOIN drivers r ON r.id = d.driver_id WHERE d.superseded_by IS NULL"
            f" AND d.tenant_id = {quote(tid)} AND d.state IN ('a_renouveler', 'expire')"
            " AND v.archived_at IS NULL AND r.archived_at IS NULL"))
        self.assertEqual(shown, expected)
        total = re.search(r"([\d\u202f ]+) document\(s\)", s.get("/documents/due").text)
        self.assertEqual(int(re.sub(r"\D", "", total.group(1))), expected)

    # --- the daily refresh ----------------------------------------------

    def test_refresh_job_changes_states_when_days_pass(self):
        vid = self.fresh_vehicle()
        soon = upload(self.manager, "vehicle", vid, "assurance", expires_on=day(40)).json()["data"]
        late = upload(self.manager, "vehicle", vid, "controle_technique",
                      expires_on=day(3)).json()["data"]
        self.assertEqual((soon["state"], late["state"]), ("a_jour", "a_renouveler"))
        # Days pass: the dates come closer while the stored states stay as
        # they were (the trigger is skipped, as time passing never fires it).
        psql("SET session_replication_role = replica; "
             f"UPDATE documents SET expires_on = {quote(day(5))} WHERE id = {quote(soon['id'])}; "
             f"UPDATE documents SET expires_on = {quote(day(-1))} WHERE id = {quote(late['id'])}")
        self.assertEqual((state_of(soon["id"]), state_of(late["id"])), ("a_jour", "a_renouveler"))
        # For one organisation…
        job = psql_one("INSERT INTO jobs (kind, tenant_id) VALUES ('documents_refresh',"
                       f" {quote(tenant_id('demo'))}) RETURNING id")
        self.assertEqual(wait_job(job), "succeeded")
        self.assertEqual((state_of(soon["id"]), state_of(late["id"])), ("a_renouveler", "expire"))
        # …and for all of them, as the daily schedule enqueues it.
        psql("SET session_replication_role = replica; "
             f"UPDATE documents SET expires_on = {quote(day(-2))} WHERE id = {quote(soon['id'])}")
        other_vehicle = h.vehicle(self.tok["other"])
        other = upload(self.tok["other"], "vehicle", other_vehicle["id"], "assurance",
                       expires_on=day(2)).json()["data"]
        psql("SET session_replication_role = replica; "
             f"UPDATE documents SET expires_on = {quote(day(-3))} WHERE id = {quote(other['id'])}")
        job = psql_one("INSERT INTO jobs (kind) VALUES ('documents_refresh') RETURNING id")
        self.assertEqual(wait_job(job), "succeeded")
        self.assertEqual(state_of(soon["id"]), "expire")
        self.assertEqual(state_of(other["id"]), "expire")

    def test_runner_schedules_the_refresh_once_a_day(self):
        today = paris_today().isoformat()
        count = ("SELECT count(*) FROM jobs WHERE kind = 'documents_refresh'"
                 f" AND payload->>'scheduled_day' = {quote(today)}")
        self.assertTrue(wait_for(lambda: psql_one(count) == "1", 30))
        # Removed (as if the day had just begun): the runner enqueues it
        # again on one of its next ticks, and only once.
        psql("DELETE FROM jobs WHERE kind = 'documents_refresh'"
             f" AND payload->>'scheduled_day' = {quote(today)}")
        self.assertTrue(wait_for(lambda: psql_one(count) == "1", 40))
        time.sleep(1)
        self.assertEqual(psql_one(count), "1")
        out = psql("INSERT INTO jobs (kind, payload) VALUES ('documents_refresh',"
                   f" jsonb_build_object('scheduled_day', {quote(today)}))", check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("jobs__scheduled_day__key", out.stderr)


def wait_for(predicate, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.5)
    return False


if __name__ == "__main__":
    unittest.main()
