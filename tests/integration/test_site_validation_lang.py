"""Validation messages in the request's language: the API's error.fields
follow Accept-Language, the forms follow the signed-in person's own
setting, French staying the default."""
import html
import re
import unittest
import uuid

from client import multipart, request
from identity import (add_user, api, api_token, new_plate, psql, quote,
                      signed_in, unique_email)

EN = {"Accept-Language": "en-GB,en;q=0.9"}
BAD_VEHICLE = {"plate": "AB-12A-CD", "make": "Toyota", "model": "Corolla",
               "energy": "hybride", "year": 1800, "vin": "VF1OFB00X56789012"}


def field_errors(page):
    """{field id: message} of the error texts next to the inputs."""
    return {m.group(1): html.unescape(m.group(2)) for m in re.finditer(
        r'<span class="error-text" id="([a-z_]+)-error">([^<]*)</span>', page.text)}


class ApiFieldsFollowAcceptLanguage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manager = api_token("demo", "manager@demo.test")

    def fields(self, method, path, body, headers=None, status=422):
        r = api(method, "/api/v1" + path, self.manager, body, headers=headers)
        self.assertEqual(r.status, status, r.text)
        return r.json()["error"]["fields"]

    def test_vehicle_in_english(self):
        f = self.fields("POST", "/vehicles", dict(BAD_VEHICLE, make=""), EN)
        self.assertEqual(f["plate"], "Invalid plate (format AA-123-AA).")
        self.assertEqual(f["vin"], "Invalid VIN: the letters I, O and Q never appear in a VIN.")
        self.assertEqual(f["year"], "Value outside the allowed range.")
        self.assertEqual(f["make"], "This field is required.")

    def test_vehicle_in_french_by_default(self):
        for headers in (None, {"Accept-Language": "fr-FR"}, {"Accept-Language": "de"}):
            f = self.fields("POST", "/vehicles", dict(BAD_VEHICLE, make=""), headers)
            self.assertEqual(f["plate"], "Immatriculation invalide (format AA-123-AA).")
            self.assertEqual(f["vin"], "Numéro VIN invalide : les lettres I, O et Q "
                                       "n'existent pas dans un VIN.")
            self.assertEqual(f["year"], "Valeur hors des limites permises.")
            self.assertEqual(f["make"], "Ce champ est obligatoire.")

    def test_vehicle_rules_and_duplicates_in_english(self):
        f = self.fields("POST", "/vehicles", {"plate": new_plate(), "make": "Kia", "model": "Niro",
                        "energy": "hybride", "acquisition": "propriete",
                        "lease_end_date": "2030-01-01"}, EN)
        self.assertEqual(f["lease_end_date"], "A contract end only applies to a lease or a rental.")
        plate = new_plate()
        body = {"plate": plate, "make": "Kia", "model": "Niro", "energy": "hybride"}
        self.assertEqual(api("POST", "/api/v1/vehicles", self.manager, body).status, 201)
        f = self.fields("POST", "/vehicles", body, EN, status=409)
        self.assertEqual(f["plate"], "A vehicle already has this plate.")
        f = self.fields("POST", "/vehicles", body, status=409)
        self.assertEqual(f["plate"], "Un véhicule porte déjà cette immatriculation.")

    def test_list_filters_in_english(self):
        r = api("GET", "/api/v1/vehicles?status=volant&sort=couleur", self.manager, headers=EN)
        self.assertEqual(r.status, 422)
        f = r.json()["error"]["fields"]
        self.assertEqual((f["status"], f["sort"]), ("Unknown status.", "Unknown sort order."))

    def test_driver_in_english(self):
        f = self.fields("POST", "/drivers", {"first_name": "Ana", "last_name": "Lopes",
                        "phone": "612345678", "iban": "FR76 3000 6000 0112 3456 7890 188",
                        "bic": "BNPAFRP", "email": "ana@", "birth_date": "2100-01-01"}, EN)
        self.assertEqual(f["phone"], "Invalid phone number (international format "
                                     "+33 6 12 34 56 78).")
        self.assertEqual(f["iban"], "Invalid IBAN: the check digits do not match.")
        self.assertEqual(f["bic"], "Invalid BIC: 8 or 11 characters.")
        self.assertEqual(f["email"], "Invalid e-mail address.")
        self.assertEqual(f["birth_date"], "The birth date must be in the past.")
        f = self.fields("POST", "/drivers", {"first_name": "Ana", "last_name": "Lopes",
                        "phone": "612345678"})
        self.assertEqual(f["phone"], "Numéro de téléphone invalide (format international "
                                     "+33 6 12 34 56 78).")

    def test_assignment_in_english(self):
        v = api("POST", "/api/v1/vehicles", self.manager, {"plate": new_plate(), "make": "Kia",
                "model": "Niro", "energy": "hybride"}).json()["data"]
        f = self.fields("POST", "/assignments", {"vehicle_id": v["id"],
                        "driver_id": str(uuid.uuid4()), "starts_at": "2026-03-29T02:30",
                        "ends_at": "2026-03-01T08:00"}, EN)
        self.assertEqual(f["driver_id"], "Driver not found.")
        self.assertEqual(f["starts_at"],
                         "This time does not exist in Paris (the clocks go forward).")

    def test_document_upload_in_english(self):
        v = api("POST", "/api/v1/vehicles", self.manager, {"plate": new_plate(), "make": "Kia",
                "model": "Niro", "energy": "hybride"}).json()["data"]
        body, ctype = multipart({"type": "assurance", "issued_on": "2090-01-01",
                                 "expires_on": "2091-01-01"},
                                [("file", "vide.pdf", "application/pdf", b"")])
        r = request("POST", f"/api/v1/vehicles/{v['id']}/documents", body=body,
                    headers=dict(EN, Authorization=f"Bearer {self.manager}",
                                 **{"Content-Type": ctype}))
        self.assertEqual(r.status, 422, r.text)
        f = r.json()["error"]["fields"]
        self.assertEqual(f["file"], "The file is empty.")
        self.assertEqual(f["issued_on"], "The issue date cannot be in the future.")


class FormsFollowTheUsersLanguage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.email = unique_email("english")
        uid = add_user("demo", cls.email, "manager")
        psql(f"UPDATE users SET locale = 'en' WHERE id = {quote(uid)}")

    def test_vehicle_form_shows_english_next_to_the_field(self):
        web = signed_in(self.email)
        form = {"plate": "AB-12A-CD", "make": "Toyota", "model": "", "energy": "hybride",
                "year": "20x2", "monthly_cost": "12€"}
        r = web.post("/vehicles", form)
        self.assertEqual(r.status, 422)
        errors = field_errors(r)
        self.assertEqual(errors["plate"], "Invalid plate (format AA-123-AA).")
        self.assertEqual(errors["model"], "This field is required.")
        self.assertEqual(errors["year"], "A whole number is expected.")
        self.assertEqual(errors["cost"], "Invalid amount (example: 1234.56).")
        # A French-speaking manager posting the same form reads French.
        r = signed_in("manager@demo.test").post("/vehicles", form)
        self.assertEqual(field_errors(r)["plate"], "Immatriculation invalide (format AA-123-AA).")
        self.assertEqual(field_errors(r)["cost"], "Montant invalide (exemple : 1 234,56).")


if __name__ == "__main__":
    unittest.main()
