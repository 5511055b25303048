"""Shared by the invoice and accounting-sync tests: a driver's week
written as a brouillon settlement with the figures a test chooses, then
validated through the settlements' own settlement_freeze (which posts it
and calls the invoices' hook), and what the invoices tables hold."""
import datetime
import json
import time

from finance_helpers import as_member, driver_balance
from fleet_helpers import driver
from identity import (add_user, api, api_token, ensure_tenant, psql, psql_one, quote,
                      tenant_id, unique, unique_email)

TENANT = "demo"

# Weeks far from any demo data, one after the other per test.
_next_week = [datetime.date(2031, 1, 6)]


def next_monday():
    d = _next_week[0]
    _next_week[0] = d + datetime.timedelta(days=7)
    return d


def renter(tenant=TENANT):
    d = driver(tenant=tenant)
    psql(f"UPDATE drivers SET collaboration = 'location_auto_entrepreneur' WHERE id = {quote(d)}")
    return d


def validated_week(d, net=0, cash=0, rent=0, commission=0, charges=(), tenant=TENANT,
                   week_start=None, payroll=False, email="finance@demo.test"):
    """A validated settlement of driver d: platform net and cash (Uber),
    rent and commission in cents, charges as (kind, cents > 0, reason).
    Returns the settlement's id."""
    week_start = week_start or next_monday()
    iso = week_start.isocalendar()
    week = f"{iso[0]}-W{iso[1]:02d}"
    opening = driver_balance(d)
    charges_cents = sum(c for _, c, _ in charges)
    due = net - cash - rent - commission - charges_cents + opening
    t = quote(tenant_id(tenant))
    sid = psql_one(
        "INSERT INTO settlements (tenant_id, driver_id, week_start, week, collaboration, payroll,"
        " rent_days, platform_net_cents, cash_collected_cents, rent_cents, commission_cents,"
        " charges_cents, opening_balance_cents, amount_due_cents)"
        f" VALUES ({t}, {quote(d)}, {quote(str(week_start))}, {quote(week)},"
        f" 'location_auto_entrepreneur', {str(payroll).lower()}, 7, {net}, {cash}, {rent},"
        f" {commission}, {charges_cents}, {opening}, {due}) RETURNING id")
    if net or cash:
        psql("INSERT INTO settlement_platforms (tenant_id, settlement_id, platform, source,"
             f" period_start, period_end, net_cents, cash_collected_cents) VALUES ({t},"
             f" {quote(sid)}, 'uber', 'trips', {quote(str(week_start))},"
             f" {quote(str(week_start + datetime.timedelta(days=7)))}, {net}, {cash})")
    for kind, cents, reason in charges:
        psql("INSERT INTO settlement_lines (tenant_id, settlement_id, kind, origin,"
             f" amount_cents, reason) VALUES ({t}, {quote(sid)}, {quote(kind)}, 'manuel',"
             f" {-cents}, {quote(reason)})")
    as_member(f"SELECT settlement_freeze({quote(sid)})", email=email, tenant=tenant)
    return sid


class Organisation:
    """An organisation of its own for a test class (numbering starts at 1
    there), with a member of each office role and their API tokens."""

    def __init__(self, name="Flotte Factures"):
        self.slug = unique("inv-")
        self.tid = ensure_tenant(self.slug, name)
        self.email, self.tok = {}, {}
        for role in ("owner", "admin", "finance", "manager", "viewer"):
            self.email[role] = unique_email(role)
            add_user(self.slug, self.email[role], role)
            self.tok[role] = api_token(self.slug, self.email[role])

    def api(self, method, path, body=None, who="finance", lang=None):
        headers = {"Accept-Language": lang} if lang else None
        return api(method, path, self.tok[who], body, headers=headers)

    def renter(self):
        return renter(tenant=self.slug)

    def week(self, d, **kw):
        return validated_week(d, tenant=self.slug, email=self.email["finance"], **kw)

    def next_number(self):
        """The number the next invoice of this organisation will get."""
        n = psql_one("SELECT coalesce(max(seq), 0) + 1 FROM invoices"
                     f" WHERE tenant_id = {quote(self.tid)} AND year ="
                     " extract(year FROM now() AT TIME ZONE 'Europe/Paris')")
        year = psql_one("SELECT extract(year FROM now() AT TIME ZONE 'Europe/Paris')::int")
        return f"F{year}-{int(n):05d}"

    def set_armado_key(self, key):
        r = self.api("PATCH", "/api/v1/organisation", {"armado_api_key": key}, who="owner")
        assert r.status == 200, r.text


def invoice_of(settlement_id):
    """The invoice of a settlement as a dict, or None."""
    row = psql_one("SELECT coalesce((SELECT row_to_json(i) FROM invoices i"
                   f" WHERE settlement_id = {quote(settlement_id)})::text, '')")
    return json.loads(row) if row else None


def sync_rows(invoice_id):
    return [json.loads(r) for r in psql(
        "SELECT row_to_json(s) FROM accounting_sync s WHERE invoice_id ="
        f" {quote(invoice_id)} ORDER BY id")]


def payments(invoice_id):
    return [json.loads(r) for r in psql(
        "SELECT row_to_json(p) FROM invoice_payments p WHERE invoice_id ="
        f" {quote(invoice_id)} ORDER BY n")]


def wait_for(pred, timeout=20.0, step=0.2):
    """pred()'s first true value, or AssertionError after timeout."""
    end = time.time() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.time() > end:
            raise AssertionError("condition not met in time")
        time.sleep(step)
