"""Shared by the finance tests: postings through ledger_post as the
application role inside an organisation, a driver made for a test, and
the sums the ledger must agree with."""
import json

from identity import psql, psql_one, quote, tenant_id, user_id
from fleet_helpers import driver

TENANT = "demo"


def as_member(sql, email="finance@demo.test", tenant=TENANT, check=True):
    """SQL in one transaction of the application role, as a member of an
    organisation (what a request does before its handler)."""
    pre = (f"BEGIN; SET LOCAL app.tenant_id = {quote(tenant_id(tenant))};"
           f" SET LOCAL app.user_id = {quote(user_id(email))}; ")
    return psql(pre + sql + "; COMMIT;", role="fleetcore_app", check=check)


def lines(*pairs):
    return json.dumps([{"account": a, "amount_cents": n} for a, n in pairs])


def post(key, pairs, kind="test", memo="test", check=True, **kw):
    sql = (f"SELECT ledger_post({quote(key)}, {quote(kind)}, {quote(memo)},"
           f" {quote(lines(*pairs))}::jsonb)")
    out = as_member(sql, check=check, **kw)
    return out[0] if check else out


def entries_count(tenant=TENANT):
    return int(psql_one("SELECT count(*) FROM ledger_entries e JOIN tenants t ON t.id ="
                        f" e.tenant_id WHERE t.slug = {quote(tenant)}"))


def ledger_total(tenant=TENANT):
    """Σ of every entry of an organisation: 0 when the ledger balances."""
    return int(psql_one("SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries e"
                        f" JOIN tenants t ON t.id = e.tenant_id WHERE t.slug = {quote(tenant)}"))


def driver_balance(driver_id):
    """What the fleet owes a driver: minus Σ of their account's entries."""
    return int(psql_one("SELECT coalesce(-sum(e.amount_cents), 0) FROM ledger_entries e"
                        " JOIN ledger_accounts a ON a.tenant_id = e.tenant_id AND a.id ="
                        f" e.account_id WHERE a.code = 'driver:' || {quote(driver_id)}"))


def new_driver(**kw):
    return driver(**kw)
