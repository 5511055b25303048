"""Shared by the documents and assignments tests: vehicles and drivers
made for a test, small files of each accepted format, uploads through the
API and through the screens."""
import struct
import uuid
import zlib

from client import multipart, request
from identity import api, api_token, csrf_of, new_plate, psql_one, quote

TENANT = "demo"


def pdf_bytes(text="FleetCore"):
    body = (f"%PDF-1.4\n1 0 obj <</Type/Catalog>> endobj\n% {text}\n"
            "trailer <</Root 1 0 R>>\n%%EOF\n")
    return body.encode()


def png_bytes(seed=0):
    """A real 1×1 PNG (the seed changes its colour, so its bytes)."""
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c))
    raw = b"\x00" + bytes([seed % 256, 80, 160])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg_bytes():
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + \
        uuid.uuid4().bytes + b"\xff\xd9"


def tokens():
    return {
        "manager": api_token(TENANT, "manager@demo.test"),
        "viewer": api_token(TENANT, "viewer@demo.test"),
        "reader": api_token(TENANT, "manager@demo.test", scope="read"),
        "other": api_token("other", "admin@other.test"),
    }


def vehicle(tok, **fields):
    body = {"plate": new_plate(), "make": "Toyota", "model": "Corolla", "energy": "hybride"}
    body.update(fields)
    r = api("POST", "/api/v1/vehicles", tok, body)
    if r.status != 201:
        raise AssertionError(f"vehicle: {r.status} {r.text}")
    return r.json()["data"]


def driver(tenant=TENANT, status="actif", first="Test", last=None):
    """A driver written straight into the database (the drivers screens
    are another area's)."""
    last = last or f"Chauffeur-{uuid.uuid4().hex[:6]}"
    return psql_one(
        "INSERT INTO drivers (tenant_id, first_name, last_name, status) "
        f"SELECT id, {quote(first)}, {quote(last)}, {quote(status)}::driver_status "
        f"FROM tenants WHERE slug = {quote(tenant)} RETURNING id")


def upload(tok, owner, owner_id, doc_type="assurance", data=None, filename="doc.pdf",
           sent_type="application/pdf", **fields):
    """POST /api/v1/{owner}s/{id}/documents as multipart."""
    form = {"type": doc_type}
    if doc_type in ("assurance", "controle_technique", "permis", "carte_vtc",
                    "piece_identite") and "expires_on" not in fields:
        fields["expires_on"] = "2031-12-31"
    form.update({k: v for k, v in fields.items() if v is not None})
    files = [] if data is False else [("file", filename, sent_type,
                                       pdf_bytes() if data is None else data)]
    body, ctype = multipart(form, files)
    return request("POST", f"/api/v1/{owner}s/{owner_id}/documents", body=body,
                   headers={"Authorization": f"Bearer {tok}", "Content-Type": ctype})


def web_upload(session, path, page_path, doc_type, data, filename, csrf=True, **fields):
    """The vehicle page's upload form, as a browser sends it."""
    form = {"type": doc_type}
    form.update(fields)
    if csrf:
        form["csrf"] = csrf_of(session.get(page_path))
    body, ctype = multipart(form, [("file", filename, "application/octet-stream", data)])
    return session.request("POST", path, body=body, headers={"Content-Type": ctype})
