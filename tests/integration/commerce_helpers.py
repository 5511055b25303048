"""What the commerce tests share: the iSaVigne fixtures, a source of that
type, and a sync of several files (as several "file" parts or one zip)."""
import io
import os
import zipfile

from client import ROOT
from test_sources import SourcesBase, api

FIX = os.path.join(ROOT, "tests", "fixtures", "commerce")
ALL = ("produits.csv", "clients.csv", "ventes.csv", "stock.csv")


def fixture(name):
    with open(os.path.join(FIX, name), "rb") as f:
        return f.read()


def zipped(names, rename=None):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr((rename or {}).get(n, n), fixture(n))
    return out.getvalue()


class CommerceBase(SourcesBase):
    def isavigne(self, tok=None, **config):
        return self.source("isavigne_csv", tok=tok, **config)

    def sync_files(self, source_id, names, tok=None):
        files = [("file", n, "text/csv", fixture(n)) for n in names]
        r = api("POST", f"/sources/{source_id}/sync", tok or self.manager, files=files)
        self.assertEqual(r.status, 202, r.text)
        return self.wait(r.json()["data"]["run_id"])

    def sync_zip(self, source_id, data, tok=None):
        r = api("POST", f"/sources/{source_id}/sync", tok or self.manager,
                files=[("file", "export.zip", "application/zip", data)])
        self.assertEqual(r.status, 202, r.text)
        return self.wait(r.json()["data"]["run_id"])

    def listed(self, path, source_id, tok=None, **params):
        q = "&".join([f"source_id={source_id}", "limit=100"] +
                     [f"{k}={v}" for k, v in params.items()])
        r = api("GET", f"{path}?{q}", tok or self.viewer)
        self.assertEqual(r.status, 200, r.text)
        return r.json()["data"]
