"""The schemas and list parameters of the resources in the OpenAPI document
are written from the resources' descriptions: checked here against what
the API itself answers, so that neither can drift from the other."""
import unittest

from client import get
from identity import api, api_token, new_plate

RESOURCES = {
    "Vehicle": ("/vehicles", {"plate": None, "make": "Renault", "model": "Zoé",
                              "energy": "electrique"}),
    "Driver": ("/drivers", {"first_name": "Ada", "last_name": None}),
}


def call(tok, method, path, body=None):
    return api(method, "/api/v1" + path, tok, body)


class ResourceSchemas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.doc = get("/api/v1/openapi.json").json()
        cls.tok = api_token("demo", "manager@demo.test")

    def body(self, schema):
        path, body = RESOURCES[schema]
        body = dict(body)
        if "plate" in body:
            body["plate"] = new_plate()
        if "last_name" in body:
            body["last_name"] = "Schema" + new_plate().replace("-", "")
        return path, body

    def test_schema_properties_are_the_members_the_api_answers(self):
        for schema in RESOURCES:
            path, body = self.body(schema)
            r = call(self.tok, "POST", path, body)
            self.assertEqual(r.status, 201, r.text)
            got = r.json()["data"]
            props = self.doc["components"]["schemas"][schema]["properties"]
            self.assertEqual(set(props), set(got), schema)
            shown = call(self.tok, "GET", f"{path}/{got['id']}").json()["data"]
            self.assertEqual(set(props), set(shown), schema)

    def test_required_members_are_those_a_create_refuses_without(self):
        for schema in RESOURCES:
            path, _ = self.body(schema)
            r = call(self.tok, "POST", path, {})
            self.assertEqual(r.status, 422, r.text)
            refused = set(r.json()["error"]["fields"])
            required = set(self.doc["components"]["schemas"][schema]["required"])
            self.assertTrue(required, schema)
            self.assertEqual(refused, required, schema)

    def test_read_only_members_are_not_taken(self):
        for schema in RESOURCES:
            path, body = self.body(schema)
            created = call(self.tok, "POST", path, body).json()["data"]
            props = self.doc["components"]["schemas"][schema]["properties"]
            for name, prop in props.items():
                if prop.get("readOnly") and name in ("created_at", "currency"):
                    r = call(self.tok, "PATCH", f"{path}/{created['id']}",
                            {name: "2001-01-01T00:00:00Z" if name == "created_at" else "USD"})
                    self.assertEqual(r.status, 200, r.text)
                    self.assertEqual(r.json()["data"][name], created[name], name)

    def test_enums_of_the_schema_are_what_the_api_accepts(self):
        path, body = self.body("Vehicle")
        created = call(self.tok, "POST", path, body).json()["data"]
        energy = self.doc["components"]["schemas"]["Vehicle"]["properties"]["energy"]
        for value in energy["enum"]:
            r = call(self.tok, "PATCH", f"{path}/{created['id']}", {"energy": value})
            self.assertEqual(r.status, 200, f"{value}: {r.text}")
        r = call(self.tok, "PATCH", f"{path}/{created['id']}", {"energy": "vapeur"})
        self.assertEqual(r.status, 422)
        self.assertIn("energy", r.json()["error"]["fields"])

    def test_list_parameters_are_what_the_list_accepts(self):
        for path in ("/vehicles", "/drivers"):
            params = self.doc["paths"]["/api/v1" + path]["get"]["parameters"]
            named = {p["name"]: p for p in params if "name" in p}
            self.assertIn("sort", named)
            for value in named["sort"]["schema"]["enum"]:
                r = call(self.tok, "GET", f"{path}?sort={value}&limit=1")
                self.assertEqual(r.status, 200, f"{path} sort={value}: {r.text}")
            r = call(self.tok, "GET", f"{path}?sort=nowhere")
            self.assertEqual(r.status, 422)
            for name, p in named.items():
                for value in p["schema"].get("enum", []):
                    r = call(self.tok, "GET", f"{path}?{name}={value}&limit=1")
                    self.assertEqual(r.status, 200, f"{path} {name}={value}")
                if "enum" in p["schema"] and name != "sort":
                    r = call(self.tok, "GET", f"{path}?{name}=nowhere")
                    self.assertEqual(r.status, 422, f"{path} {name}")
                    self.assertIn(name, r.json()["error"]["fields"])


if __name__ == "__main__":
    unittest.main()
