"""Attachments of vehicle events through nginx: the event form of the
vehicle page and POST /api/v1/vehicles/:id/events (JSON, or multipart
with files `attachments`), files checked by content (never by name),
10 MB at most, a bad file refusing the whole event with nothing left on
disk, downloads served only to the organisation (404 elsewhere), to
viewers but not posted by them."""
import html
import os
import re
import unittest
import uuid

from client import VAR, multipart, request
from identity import api, csrf_of, psql, psql_one, quote, signed_in, tenant_id
import fleet_helpers as h
from fleet_helpers import jpeg_bytes, pdf_bytes, png_bytes

MB = 1024 * 1024
LINK = re.compile(r'<a href="(/event-attachments/[0-9a-f-]{36}/file)">([^<]*)</a>')


def stored_files():
    """The names of demo's files in the data folder (documents and
    attachments share it)."""
    folder = os.path.join(VAR, "data", "documents", tenant_id("demo"))
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def event_count(vehicle_id):
    return int(psql_one(f"SELECT count(*) FROM vehicle_events WHERE vehicle_id = {quote(vehicle_id)}"))


def api_post(tok, vehicle_id, fields, files):
    body, ctype = multipart(fields, files)
    return request("POST", f"/api/v1/vehicles/{vehicle_id}/events", body=body,
                   headers={"Authorization": f"Bearer {tok}", "Content-Type": ctype})


def web_post(session, vehicle_id, fields, files, csrf=True):
    """The event form of the vehicle page, as a browser sends it."""
    form = dict(fields)
    if csrf:
        form["csrf"] = csrf_of(session.get(f"/vehicles/{vehicle_id}"))
    body, ctype = multipart(form, files)
    return session.request("POST", f"/vehicles/{vehicle_id}/events", body=body,
                           headers={"Content-Type": ctype})


class EventAttachments(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tok = h.tokens()
        cls.manager = cls.tok["manager"]
        cls.web = signed_in("manager@demo.test")

    def fresh_vehicle(self):
        return h.vehicle(self.manager)["id"]

    # --- the vehicle page ------------------------------------------------

    def test_form_is_multipart_with_a_multiple_file_input(self):
        page = self.web.get(f"/vehicles/{self.fresh_vehicle()}").text
        form = re.search(r'<form[^>]*action="/vehicles/[^"]+/events"[^>]*>', page).group(0)
        self.assertIn('enctype="multipart/form-data"', form)
        self.assertRegex(page, r'<input type="file" id="event-attachments" name="attachments" multiple')
        self.assertIn("Pièces jointes", page)

    def test_web_form_with_a_pdf_and_a_png(self):
        vid = self.fresh_vehicle()
        pdf, png = pdf_bytes("facture " + uuid.uuid4().hex), png_bytes(11)
        r = web_post(self.web, vid, {"kind": "entretien", "occurred_on": "2026-03-02",
                                     "cost": "120,50", "notes": "Vidange"},
                     [("attachments", "facture été.pdf", "application/pdf", pdf),
                      ("attachments", "photo.png", "application/octet-stream", png)])
        self.assertEqual(r.status, 303, r.text[:500])
        self.assertEqual(r.header("location"), f"/vehicles/{vid}?done=event#events")
        links = LINK.findall(self.web.get(f"/vehicles/{vid}").text)
        self.assertEqual([html.unescape(n) for _, n in links], ["facture été.pdf", "photo.png"])
        for (href, _), data, media in zip(links, (pdf, png), ("application/pdf", "image/png")):
            f = self.web.get(href)
            self.assertEqual(f.status, 200, href)
            self.assertEqual(f.body, data)
            self.assertEqual(f.header("content-type"), media)
            self.assertTrue(f.header("content-disposition").startswith("attachment;"))
            self.assertIn("no-store", f.header("cache-control"))
            self.assertIn("private", f.header("cache-control"))
            self.assertEqual(f.header("x-content-type-options"), "nosniff")
        # Kept under random keys in the data folder, not under their names.
        keys = psql_one("SELECT string_agg(a.storage_key, ',' ORDER BY a.created_at)"
                        " FROM event_attachments a JOIN vehicle_events e ON e.id = a.event_id"
                        f" WHERE e.vehicle_id = {quote(vid)}").split(",")
        self.assertEqual(len(keys), 2)
        self.assertTrue(set(keys) <= stored_files())
        for k in keys:
            self.assertRegex(k, r"^[A-Za-z0-9_-]{43}$")

    def test_web_form_without_a_file_still_records_the_event(self):
        vid = self.fresh_vehicle()
        # A file input left empty: a part with an empty name and no bytes.
        r = web_post(self.web, vid, {"kind": "amende", "occurred_on": "2026-03-03"},
                     [("attachments", "", "application/octet-stream", b"")])
        self.assertEqual(r.status, 303, r.text[:500])
        self.assertEqual(event_count(vid), 1)
        self.assertEqual(LINK.findall(self.web.get(f"/vehicles/{vid}").text), [])

    def test_text_named_pdf_refuses_the_event(self):
        vid = self.fresh_vehicle()
        before = stored_files()
        r = web_post(self.web, vid, {"kind": "sinistre", "occurred_on": "2026-03-04",
                                     "notes": "Rayure portière"},
                     [("attachments", "constat.pdf", "application/pdf", pdf_bytes()),
                      ("attachments", "facture.pdf", "application/pdf",
                       b"Bonjour, je suis un fichier texte.\n")])
        self.assertEqual(r.status, 422, r.text[:500])
        page = html.unescape(r.text)
        # The message is next to the field, names the file, in French.
        m = re.search(r'<span class="error-text" id="event-attachments-error">([^<]*)</span>', page)
        self.assertIsNotNone(m, page[-3000:])
        self.assertIn("facture.pdf", m.group(1))
        self.assertIn("ni un PDF, ni une image JPEG ou PNG", m.group(1))
        self.assertRegex(page, r'id="event-attachments"[^>]*aria-invalid="true"')
        self.assertIn("Rayure portière", page)  # what was typed is kept
        self.assertEqual(event_count(vid), 0)
        self.assertEqual(stored_files(), before, "a file of the refused event was kept")

    def test_more_than_ten_megabytes_is_refused(self):
        vid = self.fresh_vehicle()
        before = stored_files()
        big = pdf_bytes() + b"0" * (10 * MB + 1 - len(pdf_bytes()))
        r = web_post(self.web, vid, {"kind": "entretien", "occurred_on": "2026-03-05"},
                     [("attachments", "gros.pdf", "application/pdf", big)])
        self.assertIn(r.status, (413, 422), r.text[:300])
        if r.status == 422:
            self.assertIn("10 Mo au plus", html.unescape(r.text))
        r = api_post(self.manager, vid, {"kind": "entretien", "occurred_on": "2026-03-05"},
                     [("attachments", "gros.pdf", "application/pdf", big)])
        self.assertIn(r.status, (413, 422), r.text[:300])
        if r.status == 422:
            self.assertIn("10 Mo", r.json()["error"]["fields"]["attachments"])
        self.assertEqual(event_count(vid), 0)
        self.assertEqual(stored_files(), before)

    def test_web_form_needs_its_csrf_token(self):
        vid = self.fresh_vehicle()
        r = web_post(self.web, vid, {"kind": "autre", "occurred_on": "2026-03-06"},
                     [("attachments", "a.pdf", "application/pdf", pdf_bytes())], csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(event_count(vid), 0)

    # --- the API ---------------------------------------------------------

    def test_api_json_still_works(self):
        vid = self.fresh_vehicle()
        r = api("POST", f"/api/v1/vehicles/{vid}/events", self.manager,
                {"kind": "carburant", "occurred_on": "2026-03-07", "cost_cents": 6500})
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["data"]["attachments"], [])
        self.assertEqual(r.json()["data"]["cost_cents"], 6500)
        r = api("POST", f"/api/v1/vehicles/{vid}/events", self.manager, {"kind": "nope"})
        self.assertEqual(r.status, 422)
        r = request("POST", f"/api/v1/vehicles/{vid}/events", body=b"kind=autre",
                    headers={"Authorization": f"Bearer {self.manager}",
                             "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 415)

    def test_api_multipart_with_files(self):
        vid = self.fresh_vehicle()
        jpg, pdf = jpeg_bytes(), pdf_bytes("pv")
        r = api_post(self.manager, vid, {"kind": "amende", "occurred_on": "2026-03-08",
                                         "cost_cents": "13500", "severity": "moyenne"},
                     [("attachments", "avis.jpg", "image/jpeg", jpg),
                      ("attachments", "pv.pdf", "text/plain", pdf)])
        self.assertEqual(r.status, 201, r.text)
        event = r.json()["data"]
        self.assertEqual((event["kind"], event["cost_cents"], event["severity"]),
                         ("amende", 13500, "moyenne"))
        got = [(a["file_name"], a["content_type"], a["size_bytes"]) for a in event["attachments"]]
        self.assertEqual(got, [("avis.jpg", "image/jpeg", len(jpg)),
                               ("pv.pdf", "application/pdf", len(pdf))])
        for a, data in zip(event["attachments"], (jpg, pdf)):
            self.assertEqual(a["url"], f"/api/v1/event-attachments/{a['id']}/file")
            f = api("GET", a["url"], self.tok["reader"])
            self.assertEqual(f.status, 200)
            self.assertEqual(f.body, data)
            self.assertEqual(f.header("content-type"), a["content_type"])
        listed = api("GET", f"/api/v1/vehicles/{vid}/events", self.manager).json()["data"]
        self.assertEqual(listed[0]["attachments"], event["attachments"])

    def test_api_bad_file_refuses_the_whole_event(self):
        vid = self.fresh_vehicle()
        before = stored_files()
        r = api_post(self.manager, vid, {"kind": "entretien", "occurred_on": "2026-03-09"},
                     [("attachments", "ok.png", "image/png", png_bytes(2)),
                      ("attachments", "script.png", "image/png", b"#!/bin/sh\necho\n")])
        self.assertEqual(r.status, 422, r.text)
        err = r.json()["error"]
        self.assertEqual(err["code"], "validation_failed")
        self.assertIn("script.png", err["fields"]["attachments"])
        self.assertEqual(event_count(vid), 0)
        self.assertEqual(stored_files(), before)
        # A field error and a good file: nothing stored either.
        r = api_post(self.manager, vid, {"kind": "entretien"},
                     [("attachments", "ok.png", "image/png", png_bytes(2))])
        self.assertEqual(r.status, 422)
        self.assertIn("occurred_on", r.json()["error"]["fields"])
        self.assertEqual(stored_files(), before)

    # --- who may see and post ---------------------------------------------

    def test_other_tenant_gets_404(self):
        vid = self.fresh_vehicle()
        r = api_post(self.manager, vid, {"kind": "autre", "occurred_on": "2026-03-10"},
                     [("attachments", "secret.pdf", "application/pdf",
                       pdf_bytes("secret " + uuid.uuid4().hex))])
        self.assertEqual(r.status, 201, r.text)
        a = r.json()["data"]["attachments"][0]
        web_path = f"/event-attachments/{a['id']}/file"
        self.assertEqual(signed_in("admin@other.test").get(web_path).status, 404)
        f = api("GET", a["url"], self.tok["other"])
        self.assertEqual(f.status, 404)
        self.assertEqual(f.json()["error"]["code"], "not_found")
        self.assertEqual(api("GET", f"/api/v1/event-attachments/{uuid.uuid4()}/file",
                             self.manager).status, 404)
        self.assertEqual(self.web.get(f"/event-attachments/{uuid.uuid4()}/file").status, 404)
        anonymous = request("GET", web_path)
        self.assertEqual((anonymous.status, anonymous.header("location")), (303, "/login"))
        self.assertEqual(api("GET", a["url"]).status, 401)
        # A driver's role is below viewer: the screens' route is closed.
        self.assertEqual(signed_in("chauffeur@demo.test").get(web_path).status, 403)

    def test_viewer_downloads_but_does_not_post(self):
        vid = self.fresh_vehicle()
        data = png_bytes(42)
        r = api_post(self.manager, vid, {"kind": "sinistre", "occurred_on": "2026-03-11"},
                     [("attachments", "choc.png", "image/png", data)])
        self.assertEqual(r.status, 201, r.text)
        a = r.json()["data"]["attachments"][0]
        viewer = signed_in("viewer@demo.test")
        links = LINK.findall(viewer.get(f"/vehicles/{vid}").text)
        self.assertEqual(len(links), 1)
        f = viewer.get(links[0][0])
        self.assertEqual((f.status, f.body), (200, data))
        f = api("GET", a["url"], self.tok["viewer"])
        self.assertEqual((f.status, f.body), (200, data))
        r = web_post(viewer, vid, {"kind": "autre", "occurred_on": "2026-03-12"},
                     [("attachments", "v.pdf", "application/pdf", pdf_bytes())])
        self.assertEqual(r.status, 403)
        r = api_post(self.tok["viewer"], vid, {"kind": "autre", "occurred_on": "2026-03-12"},
                     [("attachments", "v.pdf", "application/pdf", pdf_bytes())])
        self.assertEqual(r.status, 403)
        self.assertEqual(event_count(vid), 1)

    def test_driver_sees_only_attachments_of_their_events(self):
        """Row-level security: as fleetcore_app acting for the demo driver,
        an attachment shows only when its event does."""
        did = psql_one("SELECT d.id FROM drivers d JOIN users u ON u.id = d.user_id"
                       " WHERE u.email = 'chauffeur@demo.test'")
        if did is None:
            self.skipTest("the demo driver has no driver record")
        vid = self.fresh_vehicle()
        for kind in ("entretien", "sinistre"):
            r = api_post(self.manager, vid, {"kind": kind, "occurred_on": "2026-03-13"},
                         [("attachments", f"{kind}.pdf", "application/pdf", pdf_bytes(kind))])
            self.assertEqual(r.status, 201, r.text)
        psql_one(f"UPDATE vehicle_events SET driver_id = {quote(did)} WHERE vehicle_id = {quote(vid)}"
                 " AND kind = 'sinistre' RETURNING 1")
        events = ", ".join(quote(e) for e in psql(
            f"SELECT id FROM vehicle_events WHERE vehicle_id = {quote(vid)}"))
        uid = psql_one("SELECT id FROM users WHERE email = 'chauffeur@demo.test'")
        # No join on vehicle_events: the attachments' own policy decides.
        out = psql(f"BEGIN; SET LOCAL app.tenant_id = {quote(tenant_id('demo'))};"
                   f" SET LOCAL app.user_id = {quote(uid)};"
                   " SELECT coalesce(string_agg(file_name, ','), '-') FROM event_attachments"
                   f" WHERE event_id IN ({events}); ROLLBACK;", role="fleetcore_app")
        self.assertEqual(out, ["sinistre.pdf"])
        # The same query for a manager sees both.
        uid = psql_one("SELECT id FROM users WHERE email = 'manager@demo.test'")
        out = psql(f"BEGIN; SET LOCAL app.tenant_id = {quote(tenant_id('demo'))};"
                   f" SET LOCAL app.user_id = {quote(uid)};"
                   " SELECT count(*) FROM event_attachments"
                   f" WHERE event_id IN ({events}); ROLLBACK;", role="fleetcore_app")
        self.assertEqual(out, ["2"])

if __name__ == "__main__":
    unittest.main()
