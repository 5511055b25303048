"""/api/v1/vehicles and events through nginx with bearer tokens: the
same validation as the screens, the envelope, 201/404/409/422, tenant
isolation and role limits."""
import json
import unittest
import uuid

from client import request
from identity import api_token

def api(method, path, tok, body=None):
    headers = {"Authorization": f"Bearer {tok}"}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    return request(method, "/api/v1" + path, body=data, headers=headers)


_plates = iter(range(100, 999))


def new_plate():
    """A valid SIV plate no other test uses (letters vary per run)."""
    letters = "ABCDEFGHJKLMNPQRSTVXYZ"
    while True:
        a = uuid.uuid4().int
        left = f"{letters[a % 22]}{letters[(a // 22) % 22]}"
        right = f"{letters[(a // 484) % 22]}{letters[(a // 10648) % 22]}"
        # SS is never issued (fleet_valid.c): such a plate is refused.
        if "SS" not in (left, right):
            return f"{left}-{next(_plates)}-{right}"


class VehiclesApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manager = api_token("demo", "manager@demo.test")
        cls.viewer = api_token("demo", "viewer@demo.test")
        cls.reader = api_token("demo", "manager@demo.test", scope="read")
        cls.other = api_token("other", "admin@other.test")

    def create(self, **fields):
        body = {"plate": new_plate(), "make": "Toyota", "model": "Corolla",
                "year": 2022, "energy": "hybride"}
        body.update(fields)
        r = api("POST", "/vehicles", self.manager, body)
        self.assertEqual(r.status, 201, r.text)
        return r.json()["data"]

    def test_create_answers_201_with_the_normalised_object(self):
        plate = new_plate()
        v = self.create(plate=plate.lower().replace("-", " "), monthly_cost_cents=45000)
        self.assertEqual(v["plate"], plate)
        self.assertEqual(v["country"], "FR")
        self.assertEqual(v["monthly_cost_cents"], 45000)
        self.assertEqual(v["status"], "actif")
        r = api("GET", f"/vehicles/{v['id']}", self.viewer)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["data"]["plate"], plate)

    def test_every_bad_field_gets_its_own_message(self):
        r = api("POST", "/vehicles", self.manager,
                {"plate": "AI-123-CD", "make": "", "energy": "charbon", "year": 1800,
                 "vin": "VF1OFB00X56789012", "seats": 12, "lease_end_date": "31/02/2026"})
        self.assertEqual(r.status, 422)
        err = r.json()["error"]
        self.assertEqual(err["code"], "validation_failed")
        for field in ("plate", "make", "model", "energy", "year", "vin", "seats", "lease_end_date"):
            self.assertIn(field, err["fields"], field)

    def test_foreign_plate_accepted_when_country_is_not_france(self):
        v = self.create(plate=f"b-ab {uuid.uuid4().int % 9000 + 1000}", country="BE")
        self.assertTrue(v["plate"].startswith("B-AB "))

    def test_north_american_vin_check_digit(self):
        r = api("POST", "/vehicles", self.manager, {"plate": new_plate(), "make": "Ford",
                "model": "Mustang", "energy": "essence", "vin": "1M8GDM9A1KP042788"})
        self.assertEqual(r.status, 422)
        self.assertIn("vin", r.json()["error"]["fields"])

    def test_duplicate_plate_or_vin_is_409_naming_the_field(self):
        v = self.create(vin=f"VF1RFB00X5{uuid.uuid4().int % 10**7:07d}")
        r = api("POST", "/vehicles", self.manager, {"plate": v["plate"], "make": "Kia",
                "model": "Niro", "energy": "hybride"})
        self.assertEqual(r.status, 409)
        self.assertEqual(r.json()["error"]["code"], "conflict")
        self.assertIn("plate", r.json()["error"]["fields"])
        r = api("POST", "/vehicles", self.manager, {"plate": new_plate(), "make": "Kia",
                "model": "Niro", "energy": "hybride", "vin": v["vin"]})
        self.assertEqual(r.status, 409)
        self.assertIn("vin", r.json()["error"]["fields"])

    def test_patch_changes_only_what_is_sent(self):
        v = self.create(color="Noir")
        r = api("PATCH", f"/vehicles/{v['id']}", self.manager, {"odometer_km": 12000})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["data"]["odometer_km"], 12000)
        self.assertEqual(r.json()["data"]["color"], "Noir")

    def test_odometer_never_goes_down_without_a_correction(self):
        v = self.create(odometer_km=50000)
        r = api("PATCH", f"/vehicles/{v['id']}", self.manager, {"odometer_km": 40000})
        self.assertEqual(r.status, 422)
        self.assertIn("odometer_km", r.json()["error"]["fields"])
        r = api("POST", f"/vehicles/{v['id']}/events", self.manager,
                {"kind": "entretien", "occurred_on": "2026-11-01", "odometer_km": 40000})
        self.assertEqual(r.status, 422)
        r = api("POST", f"/vehicles/{v['id']}/events", self.manager,
                {"kind": "correction_odometre", "occurred_on": "2026-11-01", "odometer_km": 40000})
        self.assertEqual(r.status, 422)
        self.assertIn("reason", r.json()["error"]["fields"])
        r = api("POST", f"/vehicles/{v['id']}/events", self.manager,
                {"kind": "correction_odometre", "occurred_on": "2026-11-01",
                 "odometer_km": 40000, "reason": "Compteur remplacé"})
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(api("GET", f"/vehicles/{v['id']}", self.viewer).json()["data"]["odometer_km"], 40000)

    def test_events_raise_the_odometer_and_list_newest_first(self):
        v = self.create(odometer_km=1000)
        for day, km, cost in (("2026-10-01", 2000, 12000), ("2026-10-15", 3000, 4550)):
            r = api("POST", f"/vehicles/{v['id']}/events", self.manager,
                    {"kind": "entretien", "occurred_on": day, "odometer_km": km, "cost_cents": cost})
            self.assertEqual(r.status, 201, r.text)
        r = api("GET", f"/vehicles/{v['id']}/events", self.viewer)
        events = r.json()["data"]
        self.assertEqual([e["occurred_on"] for e in events], ["2026-10-15", "2026-10-01"])
        self.assertEqual(events[0]["cost_cents"], 4550)
        self.assertEqual(api("GET", f"/vehicles/{v['id']}", self.viewer).json()["data"]["odometer_km"], 3000)

    def test_list_search_filter_sort_and_pagination(self):
        marker = f"Marque{uuid.uuid4().hex[:6]}"
        for year in (2019, 2021, 2023):
            self.create(make=marker, year=year, category="van")
        r = api("GET", f"/vehicles?q={marker}&sort=-year&limit=2", self.viewer)
        self.assertEqual(r.status, 200)
        body = r.json()
        self.assertEqual([v["year"] for v in body["data"]], [2023, 2021])
        self.assertEqual(body["pagination"], {"page": 1, "limit": 2, "total": 3, "has_next": True})
        r = api("GET", f"/vehicles?q={marker}&sort=-year&limit=2&page=2", self.viewer)
        self.assertEqual([v["year"] for v in r.json()["data"]], [2019])
        self.assertFalse(r.json()["pagination"]["has_next"])
        r = api("GET", f"/vehicles?q={marker}&category=berline", self.viewer)
        self.assertEqual(r.json()["pagination"]["total"], 0)

    def test_bad_list_parameters_are_422(self):
        for query in ("limit=101", "page=0", "sort=plaque", "status=vendu", "category=bus"):
            r = api("GET", f"/vehicles?{query}", self.viewer)
            self.assertEqual(r.status, 422, query)
            self.assertEqual(r.json()["error"]["code"], "validation_failed")

    def test_delete_archives_and_hides_from_the_list(self):
        v = self.create()
        r = api("DELETE", f"/vehicles/{v['id']}", self.manager)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["data"]["status"], "archive")
        self.assertIsNotNone(r.json()["data"]["archived_at"])
        listed = api("GET", f"/vehicles?q={v['plate']}", self.viewer).json()["data"]
        self.assertEqual(listed, [])
        archived = api("GET", f"/vehicles?q={v['plate']}&status=archive", self.viewer).json()["data"]
        self.assertEqual([x["id"] for x in archived], [v["id"]])

    def test_another_tenant_gets_404_never_403(self):
        v = self.create()
        for method, path, body in (("GET", f"/vehicles/{v['id']}", None),
                                   ("PATCH", f"/vehicles/{v['id']}", {"color": "Rouge"}),
                                   ("DELETE", f"/vehicles/{v['id']}", None),
                                   ("GET", f"/vehicles/{v['id']}/events", None),
                                   ("POST", f"/vehicles/{v['id']}/events",
                                    {"kind": "autre", "occurred_on": "2026-11-01"})):
            r = api(method, path, self.other, body)
            self.assertEqual(r.status, 404, f"{method} {path}")
        self.assertNotIn(v["id"], [x["id"] for x in api("GET", "/vehicles?limit=100", self.other).json()["data"]])

    def test_roles_and_scopes(self):
        r = api("POST", "/vehicles", self.viewer, {"plate": new_plate(), "make": "A",
                "model": "B", "energy": "gpl"})
        self.assertEqual(r.status, 403)
        r = api("POST", "/vehicles", self.reader, {"plate": new_plate(), "make": "A",
                "model": "B", "energy": "gpl"})
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "insufficient_scope")
        self.assertEqual(api("GET", "/vehicles", "fc_nope").status, 401)

    def test_body_must_be_a_json_object(self):
        r = request("POST", "/api/v1/vehicles", body=b"plate=AB-123-CD",
                    headers={"Authorization": f"Bearer {self.manager}",
                             "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 415)
        r = api("POST", "/vehicles", self.manager, ["not", "an", "object"])
        self.assertEqual(r.status, 400)
        self.assertEqual(api("GET", "/vehicles/not-a-uuid", self.viewer).status, 404)


if __name__ == "__main__":
    unittest.main()
