"""What a person or an API consumer reads in answer to their own request,
beyond the per-field validation of test_site_validation_lang: the API's
error.message, the sources' and lists' fields, the flashes and the
sign-in page follow the request's language, French staying the default."""
import html
import random
import re
import unittest

from client import multipart, request
from identity import (Session, add_user, api, api_token, psql, quote,
                      signed_in, unique, unique_email)

EN = {"Accept-Language": "en-GB,en;q=0.9"}


def english_user(role):
    email = unique_email("english")
    uid = add_user("demo", email, role)
    psql(f"UPDATE users SET locale = 'en' WHERE id = {quote(uid)}")
    return email


def error_texts(page):
    """{id or "": message} of the error texts of a page."""
    return {m.group(1) or "": html.unescape(m.group(2)) for m in re.finditer(
        r'<span class="error-text"(?: id="([a-z_-]+)-error")?>([^<]*)</span>', page.text)}


def flashes(page):
    return [html.unescape(m) for m in re.findall(
        r'<div class="flash flash-[a-z]+"[^>]*>([^<]*)</div>', page.text)]


class ApiMessages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manager = api_token("demo", "manager@demo.test")

    def call(self, method, path, body=None, headers=None, tok=None):
        return api(method, "/api/v1" + path, tok or self.manager, body, headers=headers)

    def error(self, r, status):
        self.assertEqual(r.status, status, r.text)
        return r.json()["error"]

    def test_body_and_envelope_in_english(self):
        r = request("POST", "/api/v1/vehicles", body=b"plate=x", headers=dict(
            EN, Authorization=f"Bearer {self.manager}",
            **{"Content-Type": "application/x-www-form-urlencoded"}))
        self.assertEqual(self.error(r, 415)["message"],
                         "A JSON body is expected (Content-Type: application/json).")
        self.assertEqual(self.error(self.call("POST", "/vehicles", [], EN), 400)["message"],
                         "A JSON object is expected.")
        self.assertEqual(self.error(self.call("POST", "/vehicles", {}, EN), 422)["message"],
                         "Some values are invalid.")
        self.assertEqual(self.error(self.call("POST", "/vehicles", {}), 422)["message"],
                         "Certaines valeurs sont invalides.")

    def test_pagination_in_english(self):
        e = self.error(self.call("GET", "/vehicles?page=0&limit=500", headers=EN), 422)
        self.assertEqual(e["message"], "Invalid pagination parameters.")
        self.assertEqual(e["fields"], {"page": "Must be a whole number of at least 1.",
                                       "limit": "Must be a whole number between 1 and 100."})
        e = self.error(self.call("GET", "/vehicles?page=0"), 422)
        self.assertEqual(e["fields"]["page"], "Doit être un entier supérieur ou égal à 1.")

    def test_tokens_in_english(self):
        e = self.error(self.call("GET", "/vehicles", headers=EN, tok="fc_nonsense"), 401)
        self.assertEqual(e["message"], "Invalid, expired or revoked API token.")
        reader = api_token("demo", "manager@demo.test", scope="read")
        e = self.error(self.call("POST", "/vehicles", {}, EN, tok=reader), 403)
        self.assertEqual(e["message"], "This token is read-only.")
        e = self.error(self.call("POST", "/vehicles", {}, tok=reader), 403)
        self.assertEqual(e["message"], "Ce jeton est en lecture seule.")

    def test_document_upload_needs_multipart_in_english(self):
        v = self.call("GET", "/vehicles?limit=1").json()["data"][0]
        e = self.error(self.call("POST", f"/vehicles/{v['id']}/documents", {}, EN), 415)
        self.assertEqual(e["message"], "A multipart/form-data body is expected, "
                                       "with the file in the file field.")

    def test_trip_and_earning_filters_in_english(self):
        for path in ("/trips", "/earnings"):
            e = self.error(self.call("GET", f"{path}?driver_id=x&platform=myspace&from=hier"
                                            "&to=2026-13-01", headers=EN), 422)
            self.assertEqual(e["fields"], {
                "driver_id": "A driver ID is expected (or “none”).",
                "platform": "Unknown platform.",
                "from": "A date is expected (YYYY-MM-DD or DD/MM/YYYY).",
                "to": "A date is expected (YYYY-MM-DD or DD/MM/YYYY)."})
        e = self.error(self.call("GET", "/trips?platform=myspace"), 422)
        self.assertEqual(e["fields"], {"platform": "Plateforme inconnue."})

    def test_source_fields_in_english(self):
        e = self.error(self.call("POST", "/sources", {"type": "myspace_csv"}, EN), 422)
        self.assertEqual(e["fields"]["type"], "Unknown source type "
                                              "(uber_csv, bolt_csv, heetch_csv, generic_csv).")
        e = self.error(self.call("POST", "/sources", {"type": "uber_csv", "config": []}, EN), 422)
        self.assertEqual(e["fields"]["config"], "An object is expected.")
        e = self.error(self.call("POST", "/sources", {
            "type": "generic_csv", "name": unique("src"), "config": {
                "url": "http://example.com/x.csv", "authorization": "Bearer a\nb",
                "target": "nowhere"}}, EN), 422)
        self.assertEqual(e["fields"]["url"], "The address must start with https:// "
                         "(http:// is only accepted for this machine: localhost, 127.0.0.1).")
        self.assertEqual(e["fields"]["authorization"],
                         "Control characters are not allowed in the header.")
        self.assertEqual(e["fields"]["target"], "Unknown choice.")
        e = self.error(self.call("POST", "/sources", {
            "type": "uber_csv", "name": unique("src"), "config": {"url": "ftp://x"}}), 422)
        self.assertEqual(e["fields"]["url"], "L'adresse doit commencer par https://.")

    def test_source_conflicts_in_english(self):
        name = unique("src")
        s = self.call("POST", "/sources", {"type": "uber_csv", "name": name}).json()["data"]
        e = self.error(self.call("POST", "/sources", {"type": "uber_csv", "name": name}, EN), 409)
        self.assertEqual(e["message"], "A source already has this name.")
        self.assertEqual(e["fields"]["name"], "A source already has this name.")
        e = self.error(self.call("POST", "/sources", {"type": "uber_csv", "name": name}), 409)
        self.assertEqual(e["message"], "Une source porte déjà ce nom.")
        e = self.error(self.sync(s["id"], EN, with_file=False), 422)
        self.assertEqual(e["fields"]["file"], "Choose the file to import.")
        self.assertEqual(signed_in("manager@demo.test").post(
            f"/sources/{s['id']}/pause").status, 303)
        e = self.error(self.sync(s["id"], EN), 409)
        self.assertEqual(e["message"], "This source is paused: resume it to sync.")
        e = self.error(self.sync(s["id"], {}), 409)
        self.assertEqual(e["message"], "Cette source est en pause : reprenez-la pour "
                                       "synchroniser.")

    def sync(self, source_id, headers, with_file=True):
        files = [("file", "x.csv", "text/csv", b"a,b\n1,2\n")] if with_file else []
        body, ctype = multipart({}, files)
        return request("POST", f"/api/v1/sources/{source_id}/sync", body=body,
                       headers=dict(headers, Authorization=f"Bearer {self.manager}",
                                    **{"Content-Type": ctype}))


class PagesOfAnEnglishSpeaker(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manager = english_user("manager")
        cls.admin = english_user("admin")

    def test_profile_password(self):
        form = {"current": "not-my-password", "password": "a-long-new-password",
                "confirm": "another-long-password"}
        r = signed_in(self.manager).post("/profile/password", form)
        self.assertEqual(r.status, 422)
        errors = error_texts(r)
        self.assertEqual(errors["current"], "The current password is incorrect.")
        self.assertIn("The two passwords do not match.", errors.values())
        r = signed_in(add_user_fr("manager")).post("/profile/password", form)
        self.assertEqual(error_texts(r)["current"], "Mot de passe actuel incorrect.")
        self.assertIn("Les deux mots de passe ne sont pas identiques.", error_texts(r).values())

    def test_source_schedule(self):
        tok = api_token("demo", "manager@demo.test")
        s = api("POST", "/api/v1/sources", tok, {"type": "uber_csv",
                "name": unique("src")}).json()["data"]
        r = signed_in(self.manager).post(f"/sources/{s['id']}/schedule",
                                         {"schedule": "hebdomadaire", "time": "25:00"})
        self.assertEqual(r.status, 422)
        errors = error_texts(r)
        self.assertEqual(errors["schedule-time"], "A time is expected (HH:MM).")
        self.assertEqual(errors[""], "Choose the day.")
        r = signed_in("manager@demo.test").post(f"/sources/{s['id']}/schedule",
                                                {"schedule": "quotidien", "time": "7h"})
        self.assertEqual(error_texts(r)["schedule-time"], "Heure attendue (HH:MM).")

    def test_flashes(self):
        web = signed_in(self.admin)
        self.assertEqual(flashes(web.get("/members?done=invited")), ["Invitation sent."])
        self.assertEqual(flashes(web.get("/members?done=removed")), ["Member removed."])
        self.assertEqual(flashes(web.get("/tokens?done=1")), ["Token revoked."])
        french = signed_in("admin@demo.test")
        self.assertEqual(flashes(french.get("/members?done=role")), ["Rôle modifié."])

    def test_driver_portal_invitation(self):
        tok = api_token("demo", "manager@demo.test")
        phone = "+33 6 " + " ".join(f"{random.randint(0, 99):02d}" for _ in range(4))
        r = api("POST", "/api/v1/drivers", tok, {"first_name": "Ana", "last_name": "Lopes",
                "phone": phone})
        self.assertEqual(r.status, 201, r.text)
        d = r.json()["data"]
        r = signed_in(self.manager).post(f"/drivers/{d['id']}/invite")
        self.assertEqual(r.status, 422)
        self.assertIn("Add the driver's e-mail address first: the invitation is sent there.",
                      flashes(r))

    def test_sign_in_page(self):
        web = Session()
        page = web.get("/login", headers=EN)
        r = web.request("POST", "/login", headers=EN, form={
            "csrf": re.search(r'name="csrf" value="([^"]+)"', page.text).group(1),
            "email": "nobody-" + unique_email("x"), "password": "wrong password"})
        self.assertEqual(r.status, 422)
        self.assertIn("Incorrect e-mail address or password.", r.text)
        r = web.request("POST", "/login", headers=EN, form={
            "csrf": re.search(r'name="csrf" value="([^"]+)"', page.text).group(1),
            "email": "", "password": ""})
        self.assertIn("Enter your e-mail address and password.", r.text)
        page = web.get("/login")
        r = web.request("POST", "/login", form={
            "csrf": re.search(r'name="csrf" value="([^"]+)"', page.text).group(1),
            "email": "nobody-" + unique_email("x"), "password": "wrong password"})
        self.assertIn("Adresse e-mail ou mot de passe incorrect.", html.unescape(r.text))


def add_user_fr(role):
    email = unique_email("french")
    add_user("demo", email, role)
    return email


if __name__ == "__main__":
    unittest.main()
