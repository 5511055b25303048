"""The OpenAPI document and the router agree: every /api/v1 route is
documented and every documented operation is routed."""
import json
import os
import re
import subprocess
import unittest

from client import ROOT, get

BUILD = os.environ.get("BUILD", "build")
METHODS = ("get", "post", "put", "patch", "delete")


def api_routes():
    out = subprocess.run([os.path.join(ROOT, BUILD, "fleetcore"), "routes"],
                         capture_output=True, text=True, check=True).stdout
    routes = set()
    for line in out.splitlines():
        r = json.loads(line)
        if r["pattern"].startswith("/api/v1/"):
            path = re.sub(r":([a-z_]+)", r"{\1}", r["pattern"])
            routes.add((r["method"].lower(), path))
    return routes


class OpenApi(unittest.TestCase):
    def test_document_is_served_as_openapi_3_1(self):
        r = get("/api/v1/openapi.json")
        self.assertEqual(r.status, 200)
        self.assertIn("application/json", r.header("content-type"))
        doc = r.json()
        self.assertEqual(doc["openapi"], "3.1.0")
        self.assertIn("bearer", doc["components"]["securitySchemes"])

    def test_router_and_document_agree(self):
        doc = get("/api/v1/openapi.json").json()
        documented = {(m, p) for p, ops in doc["paths"].items() for m in ops
                      if m in METHODS}
        routed = api_routes()
        self.assertEqual(routed - documented, set(), "routes missing from the document")
        self.assertEqual(documented - routed, set(), "documented operations with no route")

    def test_every_operation_documents_its_answers(self):
        doc = get("/api/v1/openapi.json").json()
        for path, ops in doc["paths"].items():
            for method, op in ops.items():
                if method not in METHODS:
                    continue  # path-level "parameters"
                self.assertIn("responses", op, f"{method} {path}")
                self.assertTrue(any(code.startswith("2") for code in op["responses"]),
                                f"{method} {path} has no success answer")


if __name__ == "__main__":
    unittest.main()
