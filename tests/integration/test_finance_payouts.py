"""Payout batches through the API, as a consumer: validated settlements
become a SEPA pain.001.001.03 file (validated against the official
schema, and on the rules the schema cannot see: NbOfTxs, CtrlSum, unique
ids, dates, EPC text and lengths, IBANs) or a WPS salary file; what
cannot be paid is refused by name; the states move forward only; a paid
line posts the payment once, a rejected line keeps the money owed to the
driver; roles and organisations are kept apart."""
import datetime
import re
import threading
import unittest
import uuid
import xml.etree.ElementTree as ET

from bank_schemas import validate_pain_001
from finance_helpers import driver_balance
from identity import (add_user, api, api_token, csrf_of, ensure_tenant, psql, psql_one,
                      quote, signed_in, unique, unique_email, user_id)

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
EPC = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]*$")
ORG_IBAN = "FR7630006000011234567890189"
IBANS = ["DE89370400440532013000", "FR1420041010050500013M02606", "GB29NWBK60161331926819",
         "BE68539007547034", "NL91ABNA0417164300", "ES9121000418450200051332"]


def as_member(tenant_id, email, sql):
    pre = (f"BEGIN; SET LOCAL app.tenant_id = {quote(tenant_id)};"
           f" SET LOCAL app.user_id = {quote(user_id(email))}; ")
    return psql(pre + sql + "; COMMIT;", role="fleetcore_app")


class Org:
    """An organisation of its own, with its members and API tokens."""

    def __init__(self, name, currency="EUR"):
        self.slug = unique("pay-")
        self.id = ensure_tenant(self.slug, name)
        psql(f"UPDATE tenants SET currency = {quote(currency)} WHERE id = {quote(self.id)}")
        self.email, self.tok = {}, {}
        for role in ("owner", "finance", "manager", "viewer"):
            self.email[role] = unique_email(role)
            add_user(self.slug, self.email[role], role)
            self.tok[role] = api_token(self.slug, self.email[role])
        self.tok["reader"] = api_token(self.slug, self.email["finance"], scope="read")
        self.weeks = iter(range(400))

    def api(self, method, path, body=None, who="finance"):
        return api(method, path, self.tok[who], body)

    def driver(self, first="Awa", last=None, iban=None, bic=None, **wps):
        cols = {"first_name": first, "last_name": last or f"Ndiaye-{uuid.uuid4().hex[:4]}",
                "status": "actif", "iban": iban, "bic": bic, **wps}
        names = ", ".join(k for k, v in cols.items() if v is not None)
        values = ", ".join(quote(v) for v in cols.values() if v is not None)
        return psql_one(f"INSERT INTO drivers (tenant_id, {names}) VALUES ({quote(self.id)},"
                        f" {values}) RETURNING id")

    def settlement(self, driver_id, net_cents, cash_cents=0, validate=True, monday=None):
        """A week of earnings for the driver, computed and (by default)
        validated by the settlements' own functions."""
        if monday is None:
            monday = datetime.date(2024, 1, 1) + datetime.timedelta(weeks=next(self.weeks))
        psql("INSERT INTO earnings (tenant_id, source, source_key, platform, driver_id,"
             " period, period_start, period_end, net_cents, cash_collected_cents, currency)"
             f" VALUES ({quote(self.id)}, 'test', {quote(uuid.uuid4().hex)}, 'bolt',"
             f" {quote(driver_id)}, 'semaine', {quote(monday)}, {quote(monday + datetime.timedelta(days=6))},"
             f" {net_cents}, {cash_cents}, (SELECT currency FROM tenants WHERE id = {quote(self.id)}))")
        sid = as_member(self.id, self.email["finance"],
                        f"SELECT settlement_compute({quote(monday)}::date, {quote(driver_id)}::uuid);"
                        f" SELECT id FROM settlements WHERE driver_id = {quote(driver_id)}"
                        f" AND week_start = {quote(monday)}")[-1]
        if validate:
            as_member(self.id, self.email["finance"], f"SELECT settlement_validate({quote(sid)})")
        return sid

    def settings(self, **body):
        r = api("PATCH", "/api/v1/organisation", self.tok["owner"], body)
        assert r.status == 200, r.text


def today_paris():
    return psql_one("SELECT (now() AT TIME ZONE 'Europe/Paris')::date")


class Sepa(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.org = Org("Flotte Virements")
        cls.org.settings(bank_iban=ORG_IBAN, bank_bic="BNPAFRPP", bank_name="Flotte Virements & Fils SAS")
        cls.other = Org("Autre Flotte Virements")

    def make(self, ids, who="finance", **extra):
        return self.org.api("POST", "/api/v1/payout-batches",
                            dict({"settlement_ids": ids, "format": "sepa"}, **extra), who)

    def payable(self, n=3, names=None):
        out = []
        for i in range(n):
            first, last = (names or [])[i] if names and i < len(names) else ("Awa", None)
            d = self.org.driver(first, last, iban=IBANS[i % len(IBANS)], bic="DEUTDEFF" if i % 2 else None)
            out.append((d, self.org.settlement(d, 10000 + 1234 * i + i)))
        return out

    def test_file_is_valid_and_exact(self):
        long = "Étienne de la Fontaine-Dupont-Aignan de Saint-Exupéry-Montmorency des Forêts"
        rows = self.payable(3, names=[("Émilie", "Lefèvre-Çağlar"), ("Zoë", "Ørsted & Cie"),
                                      ("Jean-Baptiste", long)])
        ids = [s for _, s in rows]
        r = self.make(ids)
        self.assertEqual(r.status, 201, r.text)
        b = r.json()["data"]
        self.assertEqual(b["status"], "brouillon")
        self.assertEqual(b["format"], "sepa")
        self.assertEqual(b["line_count"], 3)
        amounts = [10000, 11235, 12470]
        self.assertEqual([l["amount_cents"] for l in b["lines"]], amounts)
        self.assertEqual(b["total_cents"], sum(amounts))
        self.assertEqual([l["settlement_id"] for l in b["lines"]], ids)
        f = self.org.api("GET", f"/api/v1/payout-batches/{b['id']}/file")
        self.assertEqual(f.status, 200, f.text)
        self.assertIn("application/xml", f.header("content-type"))
        self.assertIn(b["file_name"], f.header("content-disposition"))
        ok, report = validate_pain_001(f.body)
        self.assertTrue(ok, report)
        doc = ET.fromstring(f.body)
        # The rules the schema does not check.
        for where in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
            self.assertEqual(doc.find(where + "/p:NbOfTxs", NS).text, "3")
            self.assertEqual(doc.find(where + "/p:CtrlSum", NS).text, "337.05")
        tx = doc.findall(".//p:CdtTrfTxInf", NS)
        self.assertEqual([t.find("p:Amt/p:InstdAmt", NS).text for t in tx], ["100.00", "112.35", "124.70"])
        self.assertEqual({t.find("p:Amt/p:InstdAmt", NS).get("Ccy") for t in tx}, {"EUR"})
        e2e = [t.find("p:PmtId/p:EndToEndId", NS).text for t in tx]
        self.assertEqual(e2e, [l["end_to_end_id"] for l in b["lines"]])
        self.assertEqual(e2e, [s.replace("-", "") + "-1" for s in ids])
        self.assertEqual(doc.find(".//p:ReqdExctnDt", NS).text, today_paris())
        self.assertEqual(doc.find(".//p:DbtrAcct/p:Id/p:IBAN", NS).text, ORG_IBAN)
        self.assertEqual(doc.find(".//p:DbtrAgt/p:FinInstnId/p:BIC", NS).text, "BNPAFRPP")
        self.assertEqual([t.find("p:CdtrAcct/p:Id/p:IBAN", NS).text for t in tx], IBANS[:3])
        names = [t.find("p:Cdtr/p:Nm", NS).text for t in tx]
        self.assertTrue(names[0].startswith("Emilie Lefevre-Caglar"), names[0])
        self.assertTrue(names[1].startswith("Zoe Orsted + Cie"), names[1])
        self.assertEqual(len(names[2]), 70)
        self.assertEqual(doc.find(".//p:Dbtr/p:Nm", NS).text, "Flotte Virements + Fils SAS")
        for el in doc.iter():
            if el.tag.split("}")[1] in ("Nm", "Ustrd", "MsgId", "PmtInfId", "EndToEndId"):
                self.assertRegex(el.text, EPC, el.tag)
        for u in doc.findall(".//p:Ustrd", NS):
            self.assertLessEqual(len(u.text), 140)
            self.assertIn("Reglement hebdomadaire", u.text)
        # One BIC-less driver goes by IBAN alone.
        self.assertIsNone(tx[0].find("p:CdtrAgt", NS))
        self.assertEqual(tx[1].find("p:CdtrAgt/p:FinInstnId/p:BIC", NS).text, "DEUTDEFF")
        # The same file at every download; the first made the batch exporte.
        again = self.org.api("GET", f"/api/v1/payout-batches/{b['id']}/file")
        self.assertEqual(again.body, f.body)
        self.assertEqual(self.org.api("GET", f"/api/v1/payout-batches/{b['id']}").json()["data"]["status"],
                         "exporte")
        # Two batches never share MsgId nor PmtInfId.
        r2 = self.make([s for _, s in self.payable(1)])
        b2 = r2.json()["data"]
        self.assertNotEqual(b2["msg_id"], b["msg_id"])
        self.assertNotEqual(b2["pmt_inf_id"], b["pmt_inf_id"])
        f2 = self.org.api("GET", f"/api/v1/payout-batches/{b2['id']}/file")
        self.assertTrue(validate_pain_001(f2.body)[0])
        self.assertEqual(ET.fromstring(f2.body).find(".//p:GrpHdr/p:MsgId", NS).text, b2["msg_id"])

    def test_execution_date(self):
        later = str(datetime.date.fromisoformat(today_paris()) + datetime.timedelta(days=3))
        r = self.make([s for _, s in self.payable(1)], execution_date=later)
        self.assertEqual(r.status, 201, r.text)
        f = self.org.api("GET", f"/api/v1/payout-batches/{r.json()['data']['id']}/file")
        self.assertEqual(ET.fromstring(f.body).find(".//p:ReqdExctnDt", NS).text, later)
        past = str(datetime.date.fromisoformat(today_paris()) - datetime.timedelta(days=1))
        r = self.make([s for _, s in self.payable(1)], execution_date=past)
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("execution_date", r.json()["error"]["fields"])

    def test_what_cannot_be_paid_is_refused_by_name(self):
        good = self.payable(1)[0][1]
        d1 = self.org.driver("Brice", "Brouillon", iban=IBANS[0])
        draft = self.org.settlement(d1, 5000, validate=False)
        d2 = self.org.driver("Dette", "Reportée", iban=IBANS[0])
        owing = self.org.settlement(d2, 1000, cash_cents=3000)  # negative: nothing due
        d3 = self.org.driver("Sans", "Compte")
        no_iban = self.org.settlement(d3, 5000)
        other = self.other.settlement(self.other.driver(iban=IBANS[0]), 5000)
        before = int(psql_one("SELECT count(*) FROM payout_batches"))
        r = self.make([good, draft, owing, other])
        self.assertEqual(r.status, 422, r.text)
        err = r.json()["error"]
        self.assertEqual(err["code"], "settlements_refused")
        self.assertEqual(set(err["fields"]), {draft, owing, other})
        self.assertIn("Brice Brouillon", err["message"])
        self.assertIn("pas encore validé", err["fields"][draft])
        self.assertIn("Dette Reportée", err["message"])
        self.assertIn("aucun montant dû", err["fields"][owing])
        self.assertIn("introuvable", err["fields"][other])  # another organisation's
        # A driver without an IBAN, or with one whose key is wrong (the
        # database's own check is only its shape), stops the file.
        r = self.make([good, no_iban])
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("Sans Compte", r.json()["error"]["message"])
        self.assertIn("IBAN", r.json()["error"]["fields"][no_iban])
        d4 = self.org.driver("Clé", "Fausse", iban="DE89370400440532013001", bic="DEUTDEFF")
        bad_key = self.org.settlement(d4, 5000)
        r = self.make([bad_key])
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("Clé Fausse", r.json()["error"]["message"])
        self.assertIn("clé de contrôle", r.json()["error"]["fields"][bad_key])
        d5 = self.org.driver("Bic", "Test", iban=IBANS[1], bic="DEUTDE1F")
        r = self.make([self.org.settlement(d5, 5000)])
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("BIC", r.json()["error"]["message"])
        # Malformed requests.
        for body in ({"settlement_ids": [], "format": "sepa"}, {"settlement_ids": ["x"], "format": "sepa"},
                     {"settlement_ids": [good, good], "format": "sepa"},
                     {"settlement_ids": [good], "format": "cheque"}, {"format": "sepa"}):
            r = self.org.api("POST", "/api/v1/payout-batches", body)
            self.assertEqual(r.status, 422, (body, r.text))
        # An EUR organisation does not make a WPS file.
        r = self.org.api("POST", "/api/v1/payout-batches", {"settlement_ids": [good], "format": "wps"})
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("format", r.json()["error"]["fields"])
        self.assertEqual(int(psql_one("SELECT count(*) FROM payout_batches")), before)

    def test_organisation_bank_is_required(self):
        org = Org("Flotte Sans Banque")
        d = org.driver(iban=IBANS[0])
        sid = org.settlement(d, 5000)
        r = org.api("POST", "/api/v1/payout-batches", {"settlement_ids": [sid], "format": "sepa"})
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("bank_name", r.json()["error"]["fields"])
        org.settings(bank_name="Flotte", bank_iban=ORG_IBAN)
        r = org.api("POST", "/api/v1/payout-batches", {"settlement_ids": [sid], "format": "sepa"})
        self.assertIn("bank_bic", r.json()["error"]["fields"])

    def test_same_request_again_and_overlaps(self):
        ids = [s for _, s in self.payable(2)]
        first = self.make(ids)
        self.assertEqual(first.status, 201, first.text)
        again = self.make(ids)
        self.assertEqual(again.status, 200, again.text)
        self.assertEqual(again.json()["data"]["id"], first.json()["data"]["id"])
        more = self.payable(1)[0][1]
        r = self.make([ids[0], more])
        self.assertEqual(r.status, 422, r.text)
        self.assertIn(f"lot de virements n° {first.json()['data']['number']}",
                      r.json()["error"]["fields"][ids[0]])
        # Two requests at once for the same settlements: one batch.
        ids = [s for _, s in self.payable(2)]
        answers = []
        threads = [threading.Thread(target=lambda: answers.append(self.make(ids))) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(a.status for a in answers), [200, 201], [a.text for a in answers])
        self.assertEqual(len({a.json()["data"]["id"] for a in answers}), 1)
        self.assertEqual(psql_one("SELECT count(*) FROM payout_lines WHERE settlement_id ="
                                  f" {quote(ids[0])}"), "1")

    def test_states_payment_and_rejection(self):
        rows = self.payable(3)
        (d0, s0), (d1, s1), (d2, s2) = rows
        b = self.make([s0, s1, s2]).json()["data"]
        base = f"/api/v1/payout-batches/{b['id']}"
        l0, l1, l2 = [l["id"] for l in b["lines"]]
        self.assertEqual(driver_balance(d0), 10000)
        # Nothing is paid before the bank has the file.
        r = self.org.api("POST", f"{base}/lines/{l0}/paid")
        self.assertEqual(r.status, 409, r.text)
        r = self.org.api("POST", f"{base}/sent")
        self.assertEqual(r.status, 409, r.text)
        self.assertIn("Téléchargez", r.json()["error"]["message"])
        self.org.api("GET", f"{base}/file")
        r = self.org.api("POST", f"{base}/sent")
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["data"]["status"], "envoye")
        self.assertEqual(self.org.api("POST", f"{base}/sent").status, 200)  # again: as it is
        # Paid: posted once, under its key; the settlement is paye.
        r = self.org.api("POST", f"{base}/lines/{l0}/paid", {"paid_on": today_paris()})
        self.assertEqual(r.status, 200, r.text)
        line = r.json()["data"]["lines"][0]
        self.assertEqual(line["status"], "paye")
        self.assertIsNotNone(line["transaction_id"])
        self.assertEqual(driver_balance(d0), 0)
        key = f"payout:{b['id']}:{l0}:paid"
        self.assertEqual(psql_one(f"SELECT count(*) FROM ledger_transactions WHERE key = {quote(key)}"), "1")
        self.assertEqual(psql_one(f"SELECT status FROM settlements WHERE id = {quote(s0)}"), "paye")
        self.assertEqual(self.org.api("POST", f"{base}/lines/{l0}/paid").status, 200)
        self.assertEqual(psql_one(f"SELECT count(*) FROM ledger_transactions WHERE key = {quote(key)}"), "1")
        self.assertEqual(driver_balance(d0), 0)
        future = str(datetime.date.fromisoformat(today_paris()) + datetime.timedelta(days=2))
        self.assertEqual(self.org.api("POST", f"{base}/lines/{l1}/paid", {"paid_on": future}).status, 422)
        self.assertEqual(self.org.api("POST", f"{base}/lines/{l0}/rejected", {"reason": "x"}).status, 409)
        # Rejected: the reason kept, the money still owed, the settlement
        # free for a later batch.
        self.assertEqual(self.org.api("POST", f"{base}/lines/{l1}/rejected", {}).status, 422)
        r = self.org.api("POST", f"{base}/lines/{l1}/rejected", {"reason": "AC04 compte clôturé"})
        self.assertEqual(r.status, 200, r.text)
        data = r.json()["data"]
        self.assertEqual(data["lines"][1]["status"], "rejete")
        self.assertEqual(data["lines"][1]["reason"], "AC04 compte clôturé")
        self.assertEqual(data["status"], "envoye")  # a line still waits
        self.assertEqual(driver_balance(d1), 11235)
        self.assertEqual(psql_one(f"SELECT status FROM settlements WHERE id = {quote(s1)}"), "valide")
        self.assertEqual(self.org.api("POST", f"{base}/lines/{l1}/paid").status, 409)
        self.assertIn("AC04", psql_one("SELECT description FROM activities WHERE type ="
                                       f" 'payouts.rejected' AND subject_id = {quote(b['id'])}"))
        # The last line decided closes the batch.
        r = self.org.api("POST", f"{base}/lines/{l2}/paid")
        data = r.json()["data"]
        self.assertEqual(data["status"], "paye")
        self.assertEqual((data["paid_cents"], data["rejected_cents"]), (10000 + 12470, 11235))
        self.assertIsNotNone(data["closed_at"])
        # The rejected settlement goes into a new batch, as a new transfer.
        r = self.make([s1])
        self.assertEqual(r.status, 201, r.text)
        self.assertEqual(r.json()["data"]["lines"][0]["end_to_end_id"], s1.replace("-", "") + "-2")
        # The ledger balances, and no state goes back.
        self.assertEqual(psql_one("SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries"
                                  f" WHERE tenant_id = {quote(self.org.id)}"), "0")
        out = psql(f"UPDATE payout_batches SET status = 'brouillon' WHERE id = {quote(b['id'])}", check=False)
        self.assertNotEqual(out.returncode, 0)
        out = psql(f"UPDATE payout_lines SET amount_cents = 1 WHERE id = {quote(l2)}", check=False)
        self.assertNotEqual(out.returncode, 0)

    def test_a_draft_made_by_mistake_is_undone_by_rejecting_its_lines(self):
        sid = self.payable(1)[0][1]
        b = self.make([sid]).json()["data"]
        r = self.org.api("POST", f"/api/v1/payout-batches/{b['id']}/lines/{b['lines'][0]['id']}/rejected",
                         {"reason": "Lot fait par erreur"})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["data"]["status"], "rejete")
        self.assertEqual(self.org.api("POST", f"/api/v1/payout-batches/{b['id']}/sent").status, 409)
        again = self.make([sid])
        self.assertEqual(again.status, 201, again.text)
        self.assertNotEqual(again.json()["data"]["id"], b["id"])

    def test_roles_and_organisations(self):
        sid = self.payable(1)[0][1]
        self.assertEqual(self.make([sid], who="manager").status, 403)
        self.assertEqual(self.make([sid], who="viewer").status, 403)
        self.assertEqual(self.make([sid], who="reader").status, 403)
        r = self.make([sid], who="owner")
        self.assertEqual(r.status, 201, r.text)
        b = r.json()["data"]
        base = f"/api/v1/payout-batches/{b['id']}"
        for who in ("manager", "finance", "owner"):
            self.assertEqual(self.org.api("GET", base, who=who).status, 200, who)
            self.assertEqual(self.org.api("GET", "/api/v1/payout-batches", who=who).status, 200, who)
        self.assertEqual(self.org.api("GET", base, who="viewer").status, 403)
        self.assertEqual(self.org.api("GET", f"{base}/file", who="manager").status, 403)
        self.assertEqual(self.org.api("POST", f"{base}/sent", who="manager").status, 403)
        self.assertEqual(self.org.api("GET", base, who="manager").json()["data"]["status"], "brouillon")
        # Another organisation sees nothing of it.
        for method, path in (("GET", base), ("GET", f"{base}/file"), ("POST", f"{base}/sent"),
                             ("POST", f"{base}/lines/{b['lines'][0]['id']}/paid")):
            self.assertEqual(self.other.api(method, path).status, 404, path)
        listed = self.other.api("GET", "/api/v1/payout-batches").json()["data"]
        self.assertNotIn(b["id"], [x["id"] for x in listed])
        self.assertEqual(self.org.api("GET", "/api/v1/payout-batches/" + str(uuid.uuid4())).status, 404)
        page = self.org.api("GET", "/api/v1/payout-batches?status=brouillon&limit=100").json()
        self.assertIn(b["id"], [x["id"] for x in page["data"]])
        self.assertTrue(all(x["status"] == "brouillon" for x in page["data"]))


class Screens(unittest.TestCase):
    """« Virements »: the same through the pages, with CSRF, as finance;
    a manager reads."""

    @classmethod
    def setUpClass(cls):
        cls.org = Org("Flotte Écrans Virements")
        cls.org.settings(bank_iban=ORG_IBAN, bank_bic="BNPAFRPP", bank_name="Flotte Écrans")

    def test_make_a_batch_and_decide_its_lines(self):
        d1 = self.org.driver("Élodie", "Marchand", iban=IBANS[0])
        d2 = self.org.driver("Karim", "Benali", iban=IBANS[1])
        s1, s2 = self.org.settlement(d1, 45678), self.org.settlement(d2, 12300)
        web = signed_in(self.org.email["finance"])
        page = web.get("/finance/payouts")
        self.assertEqual(page.status, 200)
        self.assertIn("Élodie Marchand", page.text)
        self.assertIn("456,78", page.text)
        form = {"settlement_ids": s1, "format": "sepa"}
        self.assertEqual(web.post("/finance/payouts", form, csrf=False).status, 403)
        r = web.request("POST", "/finance/payouts", body=(
            f"csrf={csrf_of(page)}&format=sepa&settlement_ids={s1}&settlement_ids={s2}").encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 303, r.text[:500])
        where = r.header("location").split("?")[0]
        page = web.get(r.header("location"))
        self.assertEqual(page.status, 200)
        self.assertIn("Lot créé", page.text)
        self.assertIn("Karim Benali", page.text)
        self.assertIn("579,78", page.text)  # the total
        f = web.get(where + "/file")
        self.assertEqual(f.status, 200)
        self.assertTrue(validate_pain_001(f.body)[0])
        page = web.get(where)
        self.assertIn("Exporté", page.text)
        r = web.post(where + "/sent", {}, csrf=csrf_of(page))
        self.assertEqual(r.status, 303, r.text[:500])
        page = web.get(r.header("location"))
        self.assertIn("remis à la banque", page.text)
        lines = api("GET", "/api/v1/payout-batches/" + where.rsplit("/", 1)[1],
                    self.org.tok["finance"]).json()["data"]["lines"]
        r = web.post(f"{where}/lines/{lines[0]['id']}/paid", {}, csrf=csrf_of(page))
        self.assertEqual(r.status, 303, r.text[:500])
        self.assertEqual(driver_balance(d1), 0)
        # A rejection without its reason is refused on the page, then kept.
        r = web.post(f"{where}/lines/{lines[1]['id']}/rejected", {"reason": " "}, csrf=csrf_of(page))
        self.assertEqual(r.status, 422)
        self.assertIn("motif du rejet est obligatoire", r.text)
        r = web.post(f"{where}/lines/{lines[1]['id']}/rejected", {"reason": "MS03 raison non précisée"},
                     csrf=csrf_of(page))
        self.assertEqual(r.status, 303, r.text[:500])
        page = web.get(where)
        self.assertIn("MS03 raison non précisée", page.text)
        self.assertIn("Payé", page.text)
        self.assertEqual(driver_balance(d2), 12300)
        # A manager reads without a form to act, and cannot post.
        m = signed_in(self.org.email["manager"])
        page = m.get(where)
        self.assertEqual(page.status, 200)
        self.assertNotIn("/file", page.text)
        listing = m.get("/finance/payouts")
        self.assertEqual(listing.status, 200)
        self.assertNotIn('name="settlement_ids"', listing.text)
        self.assertEqual(m.get(where + "/file").status, 403)
        self.assertEqual(m.post("/finance/payouts", form, csrf=csrf_of(listing)).status, 403)
        self.assertEqual(signed_in(self.org.email["viewer"]).get("/finance/payouts").status, 403)


class Wps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.org = Org("Dubai Fleet LLC", currency="AED")
        cls.org.settings(wps_employer_id="9103", wps_routing_code="302210101")

    def make(self, ids):
        return self.org.api("POST", "/api/v1/payout-batches", {"settlement_ids": ids, "format": "wps"})

    def test_sif_file(self):
        a = self.org.driver("Ahmed", "Khan", iban="AE070331234567890123456",
                            wps_person_id="10001016594125", wps_routing_code="640110101")
        c = self.org.driver("Ravi", "Kumar", wps_person_id="915012345663",
                            wps_routing_code="802420101", wps_card_number="4551902459")
        # A week inside November, and one from 30 November to 6 December:
        # its salary month is December, from the 1st.
        s1 = self.org.settlement(a, 122192, monday=datetime.date(2026, 11, 23))
        s2 = self.org.settlement(c, 400000, monday=datetime.date(2026, 11, 30))
        r = self.make([s1, s2])
        self.assertEqual(r.status, 422, r.text)  # two salary months
        self.assertIn("même mois", r.json()["error"]["message"])
        s3 = self.org.settlement(c, 400000, monday=datetime.date(2026, 11, 16))
        r = self.make([s1, s3])
        self.assertEqual(r.status, 201, r.text)
        b = r.json()["data"]
        f = self.org.api("GET", f"/api/v1/payout-batches/{b['id']}/file")
        self.assertEqual(f.status, 200, f.text)
        self.assertRegex(b["file_name"], r"^0000000009103\d{12}\.SIF$")
        self.assertIn(b["file_name"], f.header("content-disposition"))
        text = f.body.decode("ascii")
        lines = text.split("\r\n")
        self.assertEqual(lines[-1], "")
        self.assertEqual(lines[0], "EDR,10001016594125,640110101,AE070331234567890123456,"
                                   "2026-11-23,2026-11-29,7,1221.92,0.00,0")
        self.assertEqual(lines[1], "EDR,00915012345663,802420101,4551902459,"
                                   "2026-11-16,2026-11-22,7,4000.00,0.00,0")
        scr = lines[2].split(",")
        self.assertEqual(scr[0], "SCR")
        self.assertEqual(scr[1:3], ["0000000009103", "302210101"])
        self.assertEqual(scr[5:9], ["112026", "2", "5221.92", "AED"])
        self.assertEqual(b["file_name"][13:19], scr[3][2:4] + scr[3][5:7] + scr[3][8:10])
        self.assertEqual(len(lines), 4)  # SCR is the last record
        # The week across two months, alone: its December days.
        r = self.make([s2])
        self.assertEqual(r.status, 201, r.text)
        text = self.org.api("GET", f"/api/v1/payout-batches/{r.json()['data']['id']}/file").text
        self.assertIn(",2026-12-01,2026-12-06,6,4000.00,", text)
        self.assertIn(",122026,1,4000.00,AED", text)

    def test_driver_wps_fields_through_the_drivers_api(self):
        d = self.org.driver("Yusuf", "Ali")
        r = api("PATCH", f"/api/v1/drivers/{d}", self.org.tok["owner"],
                {"wps_person_id": "1234 5678", "wps_routing_code": "640110101",
                 "wps_card_number": "4551902459"})
        self.assertEqual(r.status, 200, r.text)
        got = r.json()["data"]
        self.assertEqual((got["wps_person_id"], got["wps_routing_code"], got["wps_card_number"]),
                         ("12345678", "640110101", "4551902459"))
        r = api("PATCH", f"/api/v1/drivers/{d}", self.org.tok["owner"],
                {"wps_person_id": "123456789012345", "wps_routing_code": "6401101",
                 "wps_card_number": "45519A"})
        self.assertEqual(r.status, 422, r.text)
        self.assertEqual(set(r.json()["error"]["fields"]),
                         {"wps_person_id", "wps_routing_code", "wps_card_number"})

    def test_driver_without_wps_ids_is_named(self):
        d = self.org.driver("Omar", "Sans-Identifiant", iban="AE070331234567890123456",
                            wps_routing_code="640110101")
        sid = self.org.settlement(d, 10000, monday=datetime.date(2026, 10, 5))
        r = self.make([sid])
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("Omar Sans-Identifiant", r.json()["error"]["message"])
        self.assertIn("Person ID", r.json()["error"]["fields"][sid])
        d = self.org.driver("Lina", "Iban-France", iban="FR7630006000011234567890189",
                            wps_person_id="123", wps_routing_code="640110101")
        r = self.make([self.org.settlement(d, 10000, monday=datetime.date(2026, 10, 5))])
        self.assertIn("AE", r.json()["error"]["message"])
        r = self.org.api("POST", "/api/v1/payout-batches", {"settlement_ids": [sid], "format": "sepa"})
        self.assertEqual(r.status, 422, r.text)
        self.assertIn("format", r.json()["error"]["fields"])


if __name__ == "__main__":
    unittest.main()
