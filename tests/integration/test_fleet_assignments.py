"""Assignments vehicle ↔ driver through nginx: the API's shapes, overlaps
refused with 409 naming the vehicle's assignment (and refused by
PostgreSQL itself, whoever inserts), ending and cancelling, tenant
isolation, and the vehicle page's assign and end forms."""
import re
import unittest
import uuid

from identity import api, csrf_of, psql, quote, signed_in, tenant_id
import fleet_helpers as h


class Assignments(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tok = h.tokens()
        cls.manager = cls.tok["manager"]

    def assign(self, vehicle_id, driver_id, starts_at, ends_at=None, tok=None, **extra):
        body = {"vehicle_id": vehicle_id, "driver_id": driver_id, "starts_at": starts_at}
        if ends_at is not None:
            body["ends_at"] = ends_at
        body.update(extra)
        return api("POST", "/api/v1/assignments", tok or self.manager, body)

    def test_create_and_show(self):
        v = h.vehicle(self.manager)
        d = h.driver(first="Awa", last=f"Ndiaye-{uuid.uuid4().hex[:4]}")
        r = self.assign(v["id"], d, "2026-01-05T08:00", "2026-01-10T18:30:00+01:00",
                        notes="Remplacement")
        self.assertEqual(r.status, 201, r.text)
        a = r.json()["data"]
        self.assertEqual(a["vehicle"], {"id": v["id"], "plate": v["plate"]})
        self.assertEqual(a["driver"]["id"], d)
        self.assertTrue(a["driver"]["name"].startswith("Awa Ndiaye-"))
        self.assertEqual((a["vehicle_id"], a["driver_id"]), (v["id"], d))
        # Paris time without a zone: 08:00 in January is 07:00 UTC.
        self.assertTrue(a["starts_at"].startswith("2026-01-05T07:00:00"), a["starts_at"])
        self.assertTrue(a["ends_at"].startswith("2026-01-10T17:30:00"), a["ends_at"])
        self.assertEqual(a["status"], "terminee")
        self.assertEqual(a["notes"], "Remplacement")
        r = api("GET", f"/api/v1/assignments/{a['id']}", self.tok["viewer"])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["data"]["id"], a["id"])
        self.assertEqual(api("GET", f"/api/v1/assignments/{a['id']}", self.tok["other"]).status, 404)

    def test_overlap_is_409_naming_the_assignment(self):
        v = h.vehicle(self.manager)
        d1 = h.driver(first="Moussa", last=f"Traoré-{uuid.uuid4().hex[:4]}")
        d2 = h.driver()
        first = self.assign(v["id"], d1, "2026-02-01T08:00", "2026-02-10T08:00")
        self.assertEqual(first.status, 201, first.text)
        r = self.assign(v["id"], d2, "2026-02-09T20:00", "2026-02-12T08:00")
        self.assertEqual(r.status, 409, r.text)
        err = r.json()["error"]
        self.assertEqual(err["code"], "conflict")
        self.assertIn(v["plate"], err["message"])
        self.assertIn("Moussa Traoré-", err["message"])
        self.assertIn("01/02/2026 08:00", err["message"])
        self.assertIn("10/02/2026 08:00", err["message"])
        self.assertEqual(err["fields"]["starts_at"], err["message"])
        # Back to back is no overlap: a period ends where the next begins.
        r = self.assign(v["id"], d2, "2026-02-10T08:00", "2026-02-12T08:00")
        self.assertEqual(r.status, 201, r.text)
        # An open-ended assignment blocks everything after it.
        self.assertEqual(self.assign(v["id"], d1, "2026-03-01T08:00").status, 201)
        r = self.assign(v["id"], d2, "2027-06-01")
        self.assertEqual(r.status, 409)
        self.assertIn("sans date de fin", r.json()["error"]["message"])
        # Another vehicle is free; the same driver may take it.
        other = h.vehicle(self.manager)
        self.assertEqual(self.assign(other["id"], d2, "2026-02-09T20:00").status, 201)

    def test_postgresql_refuses_overlaps_whoever_inserts(self):
        v = h.vehicle(self.manager)
        d1, d2 = h.driver(), h.driver()
        self.assertEqual(self.assign(v["id"], d1, "2026-04-01T08:00").status, 201)
        tid = tenant_id("demo")
        out = psql("INSERT INTO assignments (tenant_id, vehicle_id, driver_id, starts_at)"
                   f" VALUES ({quote(tid)}, {quote(v['id'])}, {quote(d2)}, '2026-05-01')",
                   check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("assignments__vehicle_id__overlap", out.stderr)
        # The application role under its tenant gets the same answer.
        out = psql(f"BEGIN; SET LOCAL app.tenant_id = {quote(tid)};"
                   " INSERT INTO assignments (tenant_id, vehicle_id, driver_id, starts_at)"
                   f" VALUES ({quote(tid)}, {quote(v['id'])}, {quote(d2)}, '2030-01-01');"
                   " COMMIT", role="fleetcore_app", check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("assignments__vehicle_id__overlap", out.stderr)

    def test_end_and_cancel(self):
        v = h.vehicle(self.manager)
        d = h.driver()
        a = self.assign(v["id"], d, "2026-01-01T08:00").json()["data"]
        self.assertEqual(a["status"], "en_cours")
        self.assertEqual(api("GET", f"/api/v1/vehicles/{v['id']}",
                             self.manager).json()["data"]["current_driver"]["id"], d)
        self.assertEqual(api("POST", f"/api/v1/assignments/{a['id']}/end",
                             self.tok["viewer"]).status, 403)
        r = api("POST", f"/api/v1/assignments/{a['id']}/end", self.manager)
        self.assertEqual(r.status, 200, r.text)
        ended = r.json()["data"]
        self.assertEqual(ended["status"], "terminee")
        self.assertIsNotNone(ended["ends_at"])
        self.assertIsNone(api("GET", f"/api/v1/vehicles/{v['id']}",
                              self.manager).json()["data"]["current_driver"])
        r = api("POST", f"/api/v1/assignments/{a['id']}/end", self.manager)
        self.assertEqual(r.status, 409)
        # One that has not begun is cancelled: it disappears.
        future = self.assign(v["id"], d, "2099-01-01T08:00").json()["data"]
        self.assertEqual(future["status"], "a_venir")
        r = api("POST", f"/api/v1/assignments/{future['id']}/end", self.manager)
        self.assertEqual(r.json()["data"]["status"], "annulee")
        self.assertEqual(api("GET", f"/api/v1/assignments/{future['id']}",
                             self.manager).status, 404)
        self.assertEqual(api("POST", f"/api/v1/assignments/{uuid.uuid4()}/end",
                             self.manager).status, 404)
        self.assertEqual(api("POST", f"/api/v1/assignments/{a['id']}/end",
                             self.tok["other"]).status, 404)

    def test_bad_input_is_422_field_by_field(self):
        v = h.vehicle(self.manager)
        d = h.driver()
        r = api("POST", "/api/v1/assignments", self.manager, {})
        self.assertEqual(r.status, 422)
        self.assertEqual(set(r.json()["error"]["fields"]), {"vehicle_id", "driver_id", "starts_at"})
        r = self.assign("nope", d, "01/03/2026", "2026-13-01")
        fields = r.json()["error"]["fields"]
        self.assertEqual(r.status, 422)
        self.assertIn("vehicle_id", fields)
        self.assertIn("starts_at", fields)
        self.assertIn("ends_at", fields)
        r = self.assign(v["id"], d, "2026-03-02T10:00", "2026-03-02T09:00")
        self.assertEqual(r.json()["error"]["fields"], {"ends_at": "La fin doit suivre le début."})
        # 02:30 on the last Sunday of March does not exist in Paris.
        r = self.assign(v["id"], d, "2026-03-29T02:30")
        self.assertIn("heure", r.json()["error"]["fields"]["starts_at"])
        for status in ("suspendu", "parti", "candidat"):
            r = self.assign(v["id"], h.driver(status=status), "2026-03-02T10:00")
            self.assertEqual(r.status, 422)
            self.assertIn("actif", r.json()["error"]["fields"]["driver_id"])
        archived = h.vehicle(self.manager)
        api("DELETE", f"/api/v1/vehicles/{archived['id']}", self.manager)
        r = self.assign(archived["id"], d, "2026-03-02T10:00")
        self.assertIn("archivé", r.json()["error"]["fields"]["vehicle_id"])
        r = api("POST", "/api/v1/assignments", self.manager, [1])
        self.assertEqual(r.status, 400)

    def test_other_tenants_ids_read_as_unknown(self):
        mine = h.vehicle(self.manager)
        theirs = h.vehicle(self.tok["other"])
        their_driver = h.driver(tenant="other")
        my_driver = h.driver()
        r1 = self.assign(theirs["id"], my_driver, "2026-03-02T10:00")
        r2 = self.assign(str(uuid.uuid4()), my_driver, "2026-03-02T10:00")
        self.assertEqual((r1.status, r2.status), (422, 422))
        self.assertEqual(r1.json()["error"], r2.json()["error"])
        r3 = self.assign(mine["id"], their_driver, "2026-03-02T10:00")
        self.assertEqual(r3.status, 422)
        self.assertEqual(r3.json()["error"]["fields"], {"driver_id": "Chauffeur introuvable."})
        self.assertEqual(self.assign(mine["id"], my_driver, "2026-03-02T10:00",
                                     tok=self.tok["other"]).status, 422)
        self.assertEqual(self.assign(mine["id"], my_driver, "2026-03-02T10:00",
                                     tok=self.tok["viewer"]).status, 403)
        self.assertEqual(self.assign(mine["id"], my_driver, "2026-03-02T10:00",
                                     tok=self.tok["reader"]).status, 403)

    def test_list_filters_and_pagination(self):
        v = h.vehicle(self.manager)
        d = h.driver()
        for start, end in (("2025-01-01", "2025-02-01"), ("2025-02-01", "2025-03-01"),
                           ("2025-03-01", None)):
            self.assertEqual(self.assign(v["id"], d, start, end).status, 201)
        r = api("GET", f"/api/v1/assignments?vehicle_id={v['id']}&limit=2", self.tok["viewer"])
        self.assertEqual(r.status, 200)
        body = r.json()
        self.assertEqual(body["pagination"], {"page": 1, "limit": 2, "total": 3, "has_next": True})
        starts = [a["starts_at"][:10] for a in body["data"]]
        self.assertEqual(starts, ["2025-02-28", "2025-01-31"])  # newest first, in UTC
        r = api("GET", f"/api/v1/assignments?driver_id={d}&status=en_cours", self.manager)
        self.assertEqual([a["status"] for a in r.json()["data"]], ["en_cours"])
        r = api("GET", f"/api/v1/assignments?vehicle_id={v['id']}", self.tok["other"])
        self.assertEqual(r.json()["data"], [])
        r = api("GET", "/api/v1/assignments?vehicle_id=x&status=fini", self.manager)
        self.assertEqual(r.status, 422)
        self.assertEqual(set(r.json()["error"]["fields"]), {"vehicle_id", "status"})

    def test_vehicle_page_assign_and_end(self):
        v = h.vehicle(self.manager)
        name = f"Zoé Martin-{uuid.uuid4().hex[:4]}"
        d = h.driver(first="Zoé", last=name.split(" ", 1)[1])
        busy = h.driver()
        s = signed_in("manager@demo.test")
        page = f"/vehicles/{v['id']}"
        text = s.get(page).text
        self.assertIn(f'<option value="{d}">{name}</option>', text)
        r = s.post(f"{page}/assignments", {"csrf": csrf_of(text), "driver_id": d,
                                           "starts_at": "2026-01-03T09:15"}, csrf=False)
        self.assertEqual(r.status, 303, r.text[:400])
        self.assertEqual(r.header("location"), f"{page}?done=assigned#assignments")
        text = s.get(page).text
        self.assertRegex(text, rf"Chauffeur actuel</div><div class=\"kpi-value\">{name}<")
        self.assertIn("03/01/2026 09:15", text)
        self.assertIn("En cours", text)
        listing = s.get(f"/vehicles?q={v['plate']}").text
        self.assertIn(name, listing)
        # The select says where a driver is now.
        self.assertIn(f"{name} (actuellement sur {v['plate']})", text)
        # Overlap: the page comes back with the message, nothing stored.
        r = s.post(f"{page}/assignments", {"csrf": csrf_of(text), "driver_id": busy,
                                           "starts_at": "2026-02-01T10:00"}, csrf=False)
        self.assertEqual(r.status, 409)
        self.assertIn(f"Le véhicule {v['plate']} est déjà attribué à {name}", r.text)
        self.assertIn(f'<option value="{busy}" selected>', r.text)
        r = s.post(f"{page}/assignments", {"csrf": csrf_of(text), "driver_id": "",
                                           "starts_at": ""}, csrf=False)
        self.assertEqual(r.status, 422)
        self.assertIn("Ce champ est obligatoire.", r.text)
        # End it from the page.
        aid = re.search(r'action="/assignments/([0-9a-f-]{36})/end\?from=vehicle"', text).group(1)
        r = s.post(f"/assignments/{aid}/end?from=vehicle", {"csrf": csrf_of(text)}, csrf=False)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), f"{page}?done=ended#assignments")
        text = s.get(page).text
        self.assertIn("Terminée", text)
        self.assertNotIn(f"/assignments/{aid}/end", text)
        # From the driver's page, back to the driver's page.
        a2 = self.assign(v["id"], d, "2099-01-01T08:00").json()["data"]
        r = s.post(f"/assignments/{a2['id']}/end?from=driver", {"csrf": csrf_of(text)},
                   csrf=False)
        self.assertEqual(r.header("location"), f"/drivers/{d}?done=ended#assignments")
        # A viewer sees the history, not the forms.
        viewer = signed_in("viewer@demo.test")
        text = viewer.get(page).text
        self.assertIn("Attributions", text)
        self.assertNotIn("assign-driver", text)
        self.assertEqual(viewer.post(f"{page}/assignments", {"driver_id": d}).status, 403)
        self.assertEqual(s.post(f"/vehicles/{uuid.uuid4()}/assignments",
                                {"driver_id": d, "starts_at": "2026-01-01"}).status, 404)


if __name__ == "__main__":
    unittest.main()
