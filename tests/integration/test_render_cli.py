"""`fleetcore render TEMPLATE DATA.json [--templates DIR]`: one template,
one JSON file, to standard output; clear errors otherwise."""
import json
import os
import subprocess
import tempfile
import unittest

from client import ROOT

BUILD = os.environ.get("BUILD", "build")


def render(*args):
    return subprocess.run([os.path.join(ROOT, BUILD, "fleetcore"), "render", *args],
                          capture_output=True, text=True, cwd=ROOT)


class RenderCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        with open(os.path.join(self.dir, "card.mustache"), "w") as f:
            f.write("<h2>{{title}}</h2>{{#items}}<li>{{.}}</li>{{/items}}")
        self.data = os.path.join(self.dir, "data.json")
        with open(self.data, "w") as f:
            json.dump({"title": "Véhicules <à jour>", "items": ["AB-123-CD", "EF-456-GH"]}, f)

    def test_renders_escaped_html_to_stdout(self):
        r = render("card", self.data, "--templates", self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "<h2>Véhicules &lt;à jour&gt;</h2>"
                                   "<li>AB-123-CD</li><li>EF-456-GH</li>")

    def test_the_project_templates_render(self):
        with open(self.data, "w") as f:
            json.dump({"status": 404, "title": "Page introuvable", "message": "Absente",
                       "t": json.load(open(os.path.join(ROOT, "templates/locales/fr.json"))),
                       "lang": "fr"}, f)
        r = render("errors/error", self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('<html lang="fr">', r.stdout)
        self.assertIn("Page introuvable", r.stdout)

    def test_unknown_template_fails_with_a_message(self):
        r = render("absent", self.data, "--templates", self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("absent", r.stderr)

    def test_bad_json_names_file_line_and_column(self):
        with open(self.data, "w") as f:
            f.write('{"title":\n  oops}')
        r = render("card", self.data, "--templates", self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"{self.data}:2:", r.stderr)

    def test_template_syntax_error_names_file_line_and_column(self):
        with open(os.path.join(self.dir, "broken.mustache"), "w") as f:
            f.write("ok\n{{#open}}never closed")
        r = render("card", self.data, "--templates", self.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("broken.mustache:2:1", r.stderr)

    def test_usage_without_arguments(self):
        r = render()
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage", r.stderr)


if __name__ == "__main__":
    unittest.main()
