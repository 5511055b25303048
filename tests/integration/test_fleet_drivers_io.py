"""Drivers as files, driven as a person would through the screens: the
list's export (CSV with BOM, ';' and formula-safe cells in French; XLSX)
honouring its filters, and the CSV import with its preview (per-line and
per-column errors in French, duplicates within the file and against the
organisation, Windows-1252 files), confirmed all lines or none, or
cancelled (the kept file is dropped).  Vehicles share the same flow: a
short check at the end keeps them working."""
import html
import io
import os
import re
import unittest
import uuid
import zipfile

from client import VAR, multipart
from identity import api, api_token, new_plate, psql_one, quote, signed_in, tenant_id
from test_fleet_drivers import iban, national, new_email, new_phone

BOM = b"\xef\xbb\xbf"
PROBLEM = re.compile(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>'
                     r'<td>([^<]*)</td></tr>')


def problems(page):
    """[(line, column, value, message)] of the preview's error table."""
    return [(int(m.group(1)), html.unescape(m.group(2)), html.unescape(m.group(3)),
             html.unescape(m.group(4))) for m in PROBLEM.finditer(page.text)]


def token_of(page):
    m = re.search(r"/drivers/import/([A-Za-z0-9_-]{43})/cancel", page.text)
    assert m, page.text[:800]
    return m.group(1)


def count(where):
    return int(psql_one(f"SELECT count(*) FROM drivers WHERE {where}"))


def emails_in(*emails):
    return "email IN (%s)" % ", ".join(quote(e) for e in emails)


class DriversIo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manager = signed_in("manager@demo.test")
        cls.viewer = signed_in("viewer@demo.test")
        cls.token = api_token("demo", "manager@demo.test")
        cls.demo = tenant_id("demo")

    def upload(self, data, session=None, csrf=True, filename="chauffeurs.csv"):
        s = session or self.manager
        fields = {"csrf": s.csrf()} if csrf else {}
        body, ctype = multipart(fields, [("file", filename, "text/csv", data)])
        return s.request("POST", "/drivers/import", body=body, headers={"Content-Type": ctype})

    def confirm(self, tok, session=None):
        return (session or self.manager).post(f"/drivers/import/{tok}/confirm")

    def kept(self, tok):
        return os.path.exists(os.path.join(VAR, "data", "imports", self.demo, f"{tok}.csv"))

    def create(self, **fields):
        body = {"first_name": "Inès", "last_name": "Export", "phone": new_phone()}
        body.update(fields)
        r = api("POST", "/api/v1/drivers", self.token, body)
        self.assertEqual(r.status, 201, r.text)
        return r.json()["data"]

    # -- the list page -----------------------------------------------------
    def test_the_list_links_to_import_and_to_exports_with_its_filters(self):
        page = self.manager.get("/drivers?q=dupont&status=actif")
        self.assertEqual(page.status, 200)
        self.assertIn('href="/drivers/import"', page.text)
        self.assertIn("/drivers/export?q=dupont&amp;status=actif&amp;format=csv", page.text)
        self.assertIn("/drivers/export?q=dupont&amp;status=actif&amp;format=xlsx", page.text)
        page = self.viewer.get("/drivers")
        self.assertNotIn('href="/drivers/import"', page.text)
        self.assertIn("/drivers/export?format=csv", page.text)
        self.assertEqual(self.viewer.get("/drivers/import").status, 403)

    # -- export ------------------------------------------------------------
    def test_csv_export_follows_the_filters_and_is_safe_in_a_spreadsheet(self):
        mark = "Exp" + uuid.uuid4().hex[:8]
        active = self.create(last_name=mark, status="actif", notes="=SUM(A1:A9)",
                             collaboration="commission", commission_rate_bp=1250,
                             iban=iban(), email=new_email())
        self.create(last_name=mark, first_name="Candice")  # a candidate: filtered out
        r = self.manager.get(f"/drivers/export?q={mark}&status=actif&format=csv")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("content-type").startswith("text/csv"))
        self.assertIn("chauffeurs.csv", r.header("content-disposition"))
        self.assertTrue(r.body.startswith(BOM))
        lines = r.body[3:].decode().split("\r\n")
        header = lines[0].split(";")
        self.assertEqual(header[:4], ["Prénom", "Nom", "Adresse e-mail", "Téléphone"])
        rows = [dict(zip(header, l.split(";"))) for l in lines[1:] if l]
        self.assertEqual(len(rows), 1, lines)
        row = rows[0]
        self.assertEqual(row["Nom"], mark)
        self.assertEqual(row["Statut"], "Actif")
        self.assertEqual(row["Collaboration"], "Commission")
        self.assertEqual(row["Taux de commission"], "12,5")
        self.assertEqual(row["IBAN"], iban())
        # What a spreadsheet would run as a formula gets an apostrophe.
        self.assertEqual(row["Notes"], "'=SUM(A1:A9)")
        self.assertEqual(row["Téléphone"], "'" + active["phone"])
        # A viewer reads the bank details masked, as on the driver's page.
        r = self.viewer.get(f"/drivers/export?q={mark}&status=actif&format=csv")
        self.assertEqual(r.status, 200)
        self.assertNotIn(iban(), r.body.decode())
        self.assertIn(iban()[-3:], r.body.decode())

    def test_xlsx_export_follows_the_filters(self):
        mark = "Xls" + uuid.uuid4().hex[:8]
        self.create(last_name=mark, status="suspendu")
        self.create(last_name=mark, first_name="Autre" + mark)  # candidat
        r = self.manager.get(f"/drivers/export?q={mark}&status=suspendu&format=xlsx")
        self.assertEqual(r.status, 200)
        self.assertIn("spreadsheetml", r.header("content-type"))
        self.assertIn("chauffeurs.xlsx", r.header("content-disposition"))
        with zipfile.ZipFile(io.BytesIO(r.body)) as z:
            text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        self.assertIn(mark, text)
        self.assertIn("Suspendu", text)
        self.assertNotIn("Autre" + mark, text)
        self.assertEqual(self.manager.get("/drivers/export?format=pdf").status, 400)
        self.assertEqual(self.manager.get("/drivers/export?status=retraite").status, 400)

    def test_the_model_file_has_the_importable_columns_only(self):
        r = self.manager.get("/drivers/import/template?format=csv")
        self.assertEqual(r.status, 200)
        self.assertIn("modele-import-chauffeurs.csv", r.header("content-disposition"))
        header = r.body[3:].decode().strip().split(";")
        self.assertIn("Taux de commission", header)
        self.assertNotIn("Véhicule actuel", header)

    # -- import --------------------------------------------------------------
    def good_file(self):
        e1, e2 = new_email("import"), new_email("import")
        p1, p2 = new_phone(), new_phone()
        spaced = " ".join(iban()[i:i + 4] for i in range(0, 27, 4))
        text = ("first_name;last_name;email;phone;birth_date;status;collaboration;"
                "commission_rate;weekly_rent;iban;bic;start_date;notes\r\n"
                f"Nadia;Importée;{e1.upper()};{national(p1)};15/03/1990;Actif;Commission;"
                f"12,5;;{spaced};bnpafrpp;2026-01-05;Venue par import\r\n"
                f"Rayan;Importé;{e2};{p2};;;Location (auto-entrepreneur);;150,00;;;;\r\n"
                ";;;;;;;;;;;;\r\n")  # a blank row as a spreadsheet saves it
        return text, (e1, e2), (p1, p2)

    def test_a_good_file_is_previewed_then_stored_on_confirmation(self):
        text, (e1, e2), (p1, p2) = self.good_file()
        page = self.upload(text.encode())
        self.assertEqual(page.status, 200, page.text[:500])
        self.assertEqual(problems(page), [])
        self.assertIn("<strong>2</strong> ligne(s) lue(s)", page.text)
        self.assertIn(p1, page.text)  # the phone as it will be stored
        tok = token_of(page)
        self.assertIn(f"/drivers/import/{tok}/confirm", page.text)
        self.assertIn('name="csrf"', page.text)
        self.assertEqual(count(emails_in(e1, e2)), 0, "nothing is stored before confirming")
        r = self.confirm(tok)
        self.assertEqual((r.status, r.header("location")), (303, "/drivers?imported=2"))
        self.assertFalse(self.kept(tok))
        row = psql_one("SELECT row_to_json(d) FROM (SELECT status, phone, iban, bic, birth_date,"
                       " collaboration, commission_rate_bp, start_date, notes, onboarding_step"
                       f" FROM drivers WHERE email = {quote(e1)}) d")
        self.assertEqual(row, '{"status":"actif","phone":"%s","iban":"%s","bic":"BNPAFRPP",'
                              '"birth_date":"1990-03-15","collaboration":"commission",'
                              '"commission_rate_bp":1250,"start_date":"2026-01-05",'
                              '"notes":"Venue par import","onboarding_step":4}' % (p1, iban()))
        self.assertEqual(psql_one("SELECT status || ' ' || weekly_rent_cents || ' ' || phone FROM"
                                  f" drivers WHERE email = {quote(e2)}"), f"candidat 15000 {p2}")
        flash = self.manager.get("/drivers?imported=2")
        self.assertIn("Chauffeurs importés : 2", flash.text)
        # The same file again: every line is a duplicate of a stored driver.
        page = self.upload(text.encode())
        self.assertEqual(page.status, 200)
        got = {(line, col, msg) for line, col, _, msg in problems(page)}
        self.assertIn((2, "email", "Un chauffeur utilise déjà cette adresse e-mail."), got)
        self.assertIn((3, "phone", "Un chauffeur utilise déjà ce numéro de téléphone."), got)
        self.assertNotIn("/confirm", page.text)
        r = self.confirm(token_of(page))
        self.assertEqual(r.status, 422)
        self.assertEqual(count(emails_in(e1, e2)), 2)

    def test_bad_lines_are_listed_by_line_and_column_and_nothing_is_stored(self):
        good, twice = new_email("bon"), new_email("deux")
        bad_iban = iban()[:-1] + ("0" if iban()[-1] != "0" else "1")
        text = ("Prénom;Nom;Adresse e-mail;Téléphone;IBAN;Statut;Début;Fin;Couleur\r\n"
                f"Bon;Élève;{good};{new_phone()};;;;;bleu\r\n"
                f"Paul;;pas-une-adresse;12345;{bad_iban};retraité;32/01/2026;;\r\n"
                f"Léa;Double;{twice};;;;2026-03-01;2026-02-01;\r\n"
                f"Léo;Double;{twice};;;;;;\r\n")
        page = self.upload(text.encode())
        self.assertEqual(page.status, 200)
        got = {(line, col): (value, msg) for line, col, value, msg in problems(page)}
        self.assertEqual(got[(1, "Couleur")][1], "Colonne inconnue : elle sera ignorée.")
        self.assertEqual(got[(3, "Nom")][1], "Ce champ est obligatoire.")
        self.assertEqual(got[(3, "Adresse e-mail")], ("pas-une-adresse", "Adresse e-mail invalide."))
        self.assertIn("Numéro de téléphone invalide", got[(3, "Téléphone")][1])
        self.assertIn("IBAN invalide", got[(3, "IBAN")][1])
        self.assertTrue(got[(3, "Statut")][1].startswith("Choix invalide."), got[(3, "Statut")])
        self.assertIn("Candidat, Actif, Suspendu, Parti", got[(3, "Statut")][1])
        self.assertIn((3, "Début"), got)
        self.assertIn("précéder", got[(4, "Fin")][1])
        self.assertEqual(got[(5, "Adresse e-mail")][1],
                         "Adresse e-mail déjà présente plus haut dans le fichier.")
        self.assertNotIn((2, "Nom"), got)
        self.assertIn("<strong>4</strong> ligne(s) lue(s) · <strong>1</strong> ligne(s) valide(s)",
                      page.text)
        self.assertIn("rien n&#39;a été enregistré", page.text.replace("&#x27;", "&#39;"))
        self.assertNotIn("/confirm", page.text)
        # Confirming anyway stores nothing, not even the good line.
        r = self.confirm(token_of(page))
        self.assertEqual(r.status, 422)
        self.assertIn("Ce champ est obligatoire.", r.text)
        self.assertEqual(count(emails_in(good, twice)), 0)

    def test_a_file_without_the_name_columns_is_refused(self):
        page = self.upload(f"email\r\n{new_email()}\r\n".encode())
        self.assertEqual(page.status, 200)
        messages = [m for _, _, _, m in problems(page)]
        self.assertIn("La colonne first_name (Prénom) est obligatoire.", messages)
        self.assertIn("La colonne last_name (Nom) est obligatoire.", messages)
        self.assertNotIn("/confirm", page.text)

    def test_cancel_drops_the_kept_file_and_stores_nothing(self):
        text, emails, _ = self.good_file()
        page = self.upload(text.encode())
        tok = token_of(page)
        self.assertTrue(self.kept(tok))
        r = self.manager.post(f"/drivers/import/{tok}/cancel")
        self.assertEqual((r.status, r.header("location")), (303, "/drivers"))
        self.assertFalse(self.kept(tok))
        self.assertEqual(self.confirm(tok).status, 404)
        self.assertEqual(count(emails_in(*emails)), 0)

    def test_a_windows_1252_file_is_read(self):
        email = new_email("cp1252")
        text = f"Prénom;Nom;Adresse e-mail\r\nÉmilie;Lefèvre-Œuvray;{email}\r\n"
        page = self.upload(text.encode("cp1252"))
        self.assertEqual(page.status, 200)
        self.assertEqual(problems(page), [])
        self.assertIn("Lefèvre-Œuvray", html.unescape(page.text))
        self.assertEqual(self.confirm(token_of(page)).status, 303)
        self.assertEqual(psql_one(f"SELECT first_name || ' ' || last_name FROM drivers"
                                  f" WHERE email = {quote(email)}"), "Émilie Lefèvre-Œuvray")

    def test_an_exported_file_comes_back_in(self):
        mark = "Ret" + uuid.uuid4().hex[:8]
        d = self.create(last_name=mark, status="actif", collaboration="location_auto_entrepreneur",
                        weekly_rent_cents=32050, birth_date="1985-07-14", email=new_email())
        csv = self.manager.get(f"/drivers/export?q={mark}&format=csv").body
        # Read back as is: only the stored driver's unique values are refused.
        page = self.upload(csv)
        got = {(col, msg) for _, col, _, msg in problems(page)}
        self.assertEqual(got, {("Adresse e-mail", "Un chauffeur utilise déjà cette adresse e-mail."),
                               ("Téléphone", "Un chauffeur utilise déjà ce numéro de téléphone.")})
        # With new contact details, the copy is stored with the same terms.
        email, phone = new_email(), new_phone()
        text = csv.decode("utf-8-sig").replace(d["email"], email).replace(d["phone"], phone)
        page = self.upload(text.encode())
        self.assertEqual(problems(page), [])
        self.assertEqual(self.confirm(token_of(page)).status, 303)
        self.assertEqual(psql_one("SELECT status || ' ' || collaboration || ' ' || weekly_rent_cents"
                                  f" || ' ' || birth_date FROM drivers WHERE email = {quote(email)}"),
                         "actif location_auto_entrepreneur 32050 1985-07-14")

    def test_forms_without_csrf_are_refused(self):
        text, emails, _ = self.good_file()
        self.assertEqual(self.upload(text.encode(), csrf=False).status, 403)
        tok = token_of(self.upload(text.encode()))
        r = self.manager.post(f"/drivers/import/{tok}/confirm", csrf=False)
        self.assertEqual(r.status, 403)
        r = self.manager.post(f"/drivers/import/{tok}/cancel", csrf=False)
        self.assertEqual(r.status, 403)
        self.assertTrue(self.kept(tok))
        self.assertEqual(count(emails_in(*emails)), 0)
        self.manager.post(f"/drivers/import/{tok}/cancel")

    def test_an_empty_upload_is_a_form_error(self):
        page = self.upload(b"")
        self.assertEqual(page.status, 422)
        self.assertIn("Choisissez un fichier CSV.", html.unescape(page.text))


class VehiclesImportStillWorks(unittest.TestCase):
    """The vehicles' import runs on the same shared flow."""

    def test_preview_confirm_and_duplicates(self):
        s = signed_in("manager@demo.test")
        plate = new_plate()
        text = f"Immatriculation;Marque;Modèle;Énergie\r\n{plate};Dacia;Jogger;GPL\r\n".encode()
        body, ctype = multipart({"csrf": s.csrf()}, [("file", "v.csv", "text/csv", text)])
        page = s.request("POST", "/vehicles/import", body=body, headers={"Content-Type": ctype})
        self.assertEqual(page.status, 200, page.text[:500])
        self.assertEqual(problems(page), [])
        m = re.search(r"/vehicles/import/([A-Za-z0-9_-]{43})/confirm", page.text)
        self.assertTrue(m)
        r = s.post(f"/vehicles/import/{m.group(1)}/confirm")
        self.assertEqual((r.status, r.header("location")), (303, "/vehicles?imported=1"))
        self.assertEqual(psql_one(f"SELECT energy FROM vehicles WHERE plate = {quote(plate)}"), "gpl")
        body, ctype = multipart({"csrf": s.csrf()}, [("file", "v.csv", "text/csv", text)])
        page = s.request("POST", "/vehicles/import", body=body, headers={"Content-Type": ctype})
        self.assertIn((2, "Immatriculation", plate, "Un véhicule porte déjà cette immatriculation."),
                      problems(page))


if __name__ == "__main__":
    unittest.main()
