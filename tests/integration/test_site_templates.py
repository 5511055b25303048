"""Templates: `fleetcore render TEMPLATE DATA.json [--templates DIR]` (one
template, one JSON file, to standard output; clear errors otherwise), the
partials' markup, and /_styleguide through the running stack."""
import json
import os
import re
import subprocess
import tempfile
import unittest
import urllib.parse

from client import ROOT, get

BUILD = os.environ.get("BUILD", "build")


def render(*args):
    return subprocess.run([os.path.join(ROOT, BUILD, "fleetcore"), "render", *args],
                          capture_output=True, text=True, cwd=ROOT)


def catalogue(lang="fr"):
    with open(os.path.join(ROOT, "templates", "locales", f"{lang}.json"), encoding="utf-8") as f:
        return json.load(f)


class RenderCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        with open(os.path.join(self.dir, "card.mustache"), "w") as f:
            f.write("<h2>{{title}}</h2>{{#items}}<li>{{.}}</li>{{/items}}")
        self.data = os.path.join(self.dir, "data.json")
        self.write({"title": "Véhicules <à jour>", "items": ["AB-123-CD", "EF-456-GH"]})

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, data):
        with open(self.data, "w", encoding="utf-8") as f:
            json.dump(data, f)

    def test_renders_escaped_html_to_stdout(self):
        r = render("card", self.data, "--templates", self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "<h2>Véhicules &lt;à jour&gt;</h2>"
                                   "<li>AB-123-CD</li><li>EF-456-GH</li>")
        self.assertEqual(r.stderr, "")

    def test_the_project_templates_render(self):
        self.write({"status": 404, "title": "Page introuvable", "message": "Absente",
                    "t": catalogue(), "lang": "fr"})
        r = render("errors/error", self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('<html lang="fr">', r.stdout)
        self.assertIn("Page introuvable", r.stdout)

    def test_unknown_template_fails_with_a_message(self):
        r = render("absent", self.data, "--templates", self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, "")
        self.assertIn("absent", r.stderr)

    def test_bad_json_names_file_line_and_column(self):
        with open(self.data, "w") as f:
            f.write('{"title":\n  oops}')
        r = render("card", self.data, "--templates", self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertRegex(r.stderr, re.escape(self.data) + r":2:\d+: ")

    def test_template_syntax_error_names_file_line_and_column(self):
        with open(os.path.join(self.dir, "broken.mustache"), "w") as f:
            f.write("ok\n{{#open}}never closed")
        r = render("card", self.data, "--templates", self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("broken.mustache:2:1", r.stderr)

    def test_missing_partial_names_file_line_and_column(self):
        with open(os.path.join(self.dir, "page.mustache"), "w") as f:
            f.write("<p>\n  {{>partials/absent}}\n")
        r = render("card", self.data, "--templates", self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("page.mustache:2:3", r.stderr)
        self.assertIn("partials/absent", r.stderr)

    def test_usage_without_arguments(self):
        r = render()
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage", r.stderr)


class Partials(unittest.TestCase):
    """Each partial rendered alone from the project's templates."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.data = os.path.join(self.tmp.name, "data.json")

    def tearDown(self):
        self.tmp.cleanup()

    def html(self, name, context):
        with open(self.data, "w", encoding="utf-8") as f:
            json.dump(context, f)
        r = render(f"partials/{name}", self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("{{", r.stdout)
        self.assertNotIn("}}", r.stdout)
        return r.stdout

    def test_field_without_help_or_error_points_nowhere(self):
        out = self.html("field", {"id": "f", "name": "n", "label": "Nom", "value": "a<b"})
        self.assertIn('<label for="f">Nom</label>', out)
        self.assertIn('<input type="text" id="f" name="n" value="a&lt;b">', out)
        self.assertNotIn("aria-", out)

    def test_field_error_and_help_are_described(self):
        out = self.html("field", {"id": "f", "name": "n", "label": "E-mail", "type": "email",
                                  "value": "x", "help": "Aide", "error": "Invalide",
                                  "required": True})
        self.assertIn('class="field field-error"', out)
        self.assertIn('type="email"', out)
        self.assertIn(' required aria-invalid="true" aria-describedby="f-help f-error"', out)
        self.assertIn('<span class="help" id="f-help">Aide</span>', out)
        self.assertIn('<span class="error-text" id="f-error">Invalide</span>', out)
        self.assertIn('<span class="required" aria-hidden="true">*</span>', out)
        out = self.html("field", {"id": "f", "name": "n", "label": "L", "error": "Invalide"})
        self.assertIn('aria-describedby="f-error"', out)

    def test_select_marks_the_chosen_option(self):
        out = self.html("select", {"id": "s", "name": "energy", "label": "Énergie", "options": [
            {"value": "", "label": "Choisir…", "selected": False},
            {"value": "diesel", "label": "Diesel", "selected": True}], "error": "Choisissez"})
        self.assertIn('<select id="s" name="energy" aria-invalid="true" aria-describedby="s-error">', out)
        self.assertIn('<option value="diesel" selected>Diesel</option>', out)

    def test_date_money_and_file_inputs(self):
        out = self.html("date", {"id": "d", "name": "d", "label": "Date", "value": "2026-11-22"})
        self.assertIn('<input type="date" id="d" name="d" value="2026-11-22">', out)
        out = self.html("money", {"id": "m", "name": "m", "label": "Coût", "value": "1 234,56"})
        self.assertIn('inputmode="decimal"', out)
        self.assertIn('value="1 234,56" aria-describedby="m-unit"', out)
        self.assertIn('<span class="unit" id="m-unit">€</span>', out)
        out = self.html("file", {"id": "c", "name": "file", "label": "Fichier", "accept": ".csv",
                                 "help": "20 Mo au plus."})
        self.assertIn('<input type="file" id="c" name="file" accept=".csv" aria-describedby="c-help">', out)

    def test_badge_kpi_flash_and_confirm(self):
        self.assertEqual(self.html("badge", {"label": "Expiré", "tone": "danger"}).strip(),
                         '<span class="badge badge-danger">Expiré</span>')
        out = self.html("kpi", {"label": "Courses", "value": "12 873", "trend": "+12 %"})
        self.assertIn('<div class="kpi-value">12 873</div><div class="kpi-trend">+12 %</div>', out)
        out = self.html("flash", {"type": "error", "message": "Non", "error": True})
        self.assertIn('<div class="flash flash-error" role="alert">Non</div>', out)
        out = self.html("confirm", {"action": "/vehicles/1/archive", "label": "Archiver",
                                    "question": "Sûr ?", "button": "Confirmer", "csrf": "tok"})
        self.assertIn('<details class="confirm">', out)
        self.assertIn('<form method="post" action="/vehicles/1/archive">', out)
        self.assertIn('<input type="hidden" name="csrf" value="tok">', out)

    def test_table_sorts_paginates_and_shows_an_empty_state(self):
        ctx = {"t": catalogue(), "caption": "Véhicules", "colspan": 2,
               "columns": [{"label": "Immatriculation", "href": "?sort=-plate",
                            "aria_sort": "ascending", "asc": True},
                           {"label": "Coût", "num": True}],
               "rows": [{"cells": [{"text": "AB-123-CD", "href": "/v/1"},
                                   {"text": "489,00 €", "num": True}]}],
               "pagination": {"page": 2, "pages": 3, "several": True,
                              "prev_href": "?page=1", "next_href": "?page=3"}}
        out = self.html("table", ctx)
        self.assertIn('<caption>Véhicules</caption>', out)
        self.assertIn('<th scope="col" aria-sort="ascending"><a href="?sort=-plate">', out)
        self.assertIn('<th scope="col" class="num">Coût</th>', out)
        self.assertIn('<td><a href="/v/1">AB-123-CD</a></td><td class="num">489,00 €</td>', out)
        self.assertIn('<nav aria-label="Pagination">', out)
        self.assertIn('<span aria-current="page">Page 2 sur 3</span>', out)
        self.assertIn('rel="prev"', out)
        self.assertNotIn("empty-state", out)
        ctx["rows"] = []
        ctx["pagination"] = {"page": 1, "pages": 1, "several": False}
        out = self.html("table", ctx)
        self.assertIn('<td colspan="2" class="empty-state">Aucun élément à afficher</td>', out)
        self.assertNotIn("<nav", out)


class Styleguide(unittest.TestCase):
    """/_styleguide through nginx (the stack runs outside production)."""

    def test_every_partial_is_on_the_page(self):
        r = get("/_styleguide")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/html"))
        html = r.text
        for markup in ['<html lang="fr">', "<h1>Guide de style</h1>",
                       'class="flash flash-success" role="status"', 'class="flash flash-error" role="alert"',
                       '<div class="card kpi">', 'class="badge badge-ok"', 'class="badge badge-warn"',
                       'class="badge badge-danger"', 'class="badge badge-info"',
                       'type="email"', 'type="tel"', 'type="number"', 'type="password"',
                       'aria-invalid="true" aria-describedby="sg-plate-help sg-plate-error"',
                       '<select id="sg-energy"', '<input type="date"', 'inputmode="decimal"',
                       '<input type="file"', '<details class="confirm">', 'name="csrf"',
                       'aria-sort="ascending"', 'aria-current="page"', 'rel="prev"', 'rel="next"',
                       'class="empty-state"',
                       # formatted in C: fmt_money, fmt_number, fmt_date, fmt_relative
                       "48\u202f291,50\u00a0€", "12\u202f873", "31/03/2027", "il y a 5 min"]:
            self.assertIn(markup, html, markup)
        self.assertNotIn("{{", html)
        self.assertNotIn("}}", html)

    def test_sort_and_page_come_from_the_query(self):
        html = get("/_styleguide?sort=-cost&page=3").text
        self.assertIn('aria-sort="descending"><a href="/_styleguide?page=3&amp;sort=cost">', html)
        costs = re.findall(r'<td class="num">([^<]*)</td>', html)
        self.assertEqual(costs[0], "1\u202f234,56\u00a0€")
        self.assertIn("Page 3 sur 5", html)
        # Unknown values fall back instead of failing.
        self.assertEqual(get("/_styleguide?sort=password&page=-1").status, 200)

    def test_the_language_switch_turns_the_page_english(self):
        r = get("/lang?to=en&back=/_styleguide")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/_styleguide")
        cookie = r.header("Set-Cookie")
        self.assertRegex(cookie, r"^fleetcore_lang=en;")
        self.assertIn("HttpOnly", cookie)
        html = get("/_styleguide", headers={"Cookie": cookie.split(";")[0]}).text
        for markup in ['<html lang="en">', "<h1>Style guide</h1>", "Skip to content",
                       "Next page", "Page 2 of 5", "€48,291.50", "2027-03-31", "Invalid plate"]:
            self.assertIn(markup, html)
        self.assertNotIn("Guide de style", html)
        # Without the cookie the page stays French.
        self.assertIn('<html lang="fr">', get("/_styleguide").text)

    def test_the_language_switch_keeps_the_query_and_stays_on_the_site(self):
        html = get("/_styleguide?sort=-cost&page=3").text
        link = re.search(r'<a href="(/lang\?to=en&amp;back=[^"]*)"', html).group(1)
        r = get(link.replace("&amp;", "&"))
        self.assertEqual(r.header("Location"), "/_styleguide?sort=-cost&page=3")
        for elsewhere in ("//evil.test/x", "/\\evil.test", "https://evil.test/", "evil"):
            r = get("/lang?to=en&back=" + urllib.parse.quote(elsewhere, safe=""))
            self.assertEqual(r.status, 303, elsewhere)
            self.assertEqual(r.header("Location"), "/", elsewhere)


if __name__ == "__main__":
    unittest.main()
