"""« Mapping & Normalisation » of an iSaVigne source: each file's
canonical fields beside the headers the last run read them from, their
transformation, the unmapped ones, ignored columns and schema drift; a
header added on the page is saved in the source's mapping and recognised
by the next file; « Réappliquer » runs the last file again; managers only:
a viewer is refused, another tenant finds nothing."""
import html
import unittest

from commerce_helpers import ALL, CommerceBase
from identity import psql_one, quote, signed_in
from test_sources import api


class Mapping(CommerceBase):
    def test_page_alias_and_reapply(self):
        s = self.isavigne()
        web = signed_in("manager@demo.test")
        empty = web.get(f"/sources/{s['id']}/mapping")
        self.assertEqual(empty.status, 200)
        self.assertIn('id="no-run"', empty.text)
        self.assertEqual(self.sync_files(s["id"], ALL)["status"], "reussi")
        page = web.get(f"/sources/{s['id']}/mapping")
        self.assertEqual(page.status, 200)
        text = html.unescape(page.text)
        self.assertIn("Mapping & Normalisation", text)
        self.assertIn("<code>N° facture</code>", text)
        self.assertIn("Téléphone → E.164", text)
        self.assertIn("Coupé au premier espace", text)
        self.assertIn("non mappé", text)          # e.g. the products' body
        self.assertIn("caisse6", text)            # the packaging table
        self.assertIn('id="reapply"', text)

        # A file whose quantity is "Nb cols" is refused until the header
        # is added on the page.
        bad = self.sync_files(s["id"], ["ventes_nb_cols.csv"])
        self.assertEqual(bad["status"], "echec", bad)
        r = web.post(f"/sources/{s['id']}/mapping", {"alias_ventes_quantity": "Nb cols"})
        self.assertEqual(r.status, 303)
        self.assertEqual(psql_one("SELECT config -> 'mapping' -> 'ventes' ->> 'quantity'"
                                  f" FROM sources WHERE id = {quote(s['id'])}"), "Nb cols")
        self.assertIn('value="Nb cols"', web.get(f"/sources/{s['id']}/mapping").text)
        good = self.sync_files(s["id"], ["ventes_nb_cols.csv"])
        self.assertEqual(good["status"], "reussi", good)
        line = [x for x in self.listed("/sales-lines", s["id"]) if x["order_ref"] == "F2026-030"]
        self.assertEqual((line[0]["quantity_units"], line[0]["quantity_bottles"]), (3, 18))

        # « Réappliquer »: the last file again, as a new run.
        page = web.get(f"/sources/{s['id']}/mapping")
        last = page.text.split('action="/sync-runs/')[1].split("/retry")[0]
        r = web.post(f"/sync-runs/{last}/retry", {})
        self.assertEqual(r.status, 303, r.text)
        run_id = r.header("Location").rsplit("/", 1)[1]
        again = self.wait(run_id)
        self.assertEqual(again["status"], "reussi", again)
        self.assertEqual(again["rows_unchanged"], 1)

        viewer = signed_in("viewer@demo.test")
        self.assertEqual(viewer.get(f"/sources/{s['id']}/mapping").status, 403)
        self.assertEqual(signed_in("admin@other.test").get(f"/sources/{s['id']}/mapping").status,
                         404)


if __name__ == "__main__":
    unittest.main()
