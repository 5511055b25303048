"""The ledger (migration 0016): postings balance, are idempotent on their
key, and are never changed — PostgreSQL refuses it, not only the C code."""
import threading
import unittest
import uuid

from finance_helpers import (as_member, driver_balance, entries_count, ledger_total, new_driver,
                             post)
from identity import psql, quote


class Posting(unittest.TestCase):
    def setUp(self):
        self.d = new_driver()
        self.acct = f"driver:{self.d}"

    def test_balanced_posting_is_written_once(self):
        key = f"test:{uuid.uuid4()}"
        before = entries_count()
        tx = post(key, [("bank", 12345), (self.acct, -12345)])
        again = post(key, [("bank", 12345), (self.acct, -12345)])
        self.assertEqual(tx, again)
        self.assertEqual(entries_count(), before + 2)
        self.assertEqual(driver_balance(self.d), 12345)
        self.assertEqual(ledger_total(), 0)

    def test_unbalanced_posting_is_refused_by_postgresql(self):
        before = entries_count()
        out = post(f"test:{uuid.uuid4()}", [("bank", 100), (self.acct, -99)], check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("déséquilibrée", out.stderr)
        self.assertEqual(entries_count(), before)

    def test_unbalanced_direct_insert_is_refused_at_commit(self):
        """Past ledger_post (as the owner, who may insert): the deferred
        constraint trigger still refuses the transaction."""
        post(f"test:{uuid.uuid4()}", [("bank", 5), (self.acct, -5)])
        before = entries_count()
        out = psql(
            "BEGIN; INSERT INTO ledger_transactions (tenant_id, key, kind, posted_on, lines_hash)"
            " SELECT tenant_id, 'raw:' || gen_random_uuid(), 'test', current_date, ''"
            " FROM ledger_accounts WHERE code = " + quote(self.acct) + ";"
            " INSERT INTO ledger_entries (tenant_id, transaction_id, account_id, posted_on,"
            " amount_cents) SELECT t.tenant_id, t.id, a.id, current_date, 42 FROM"
            " ledger_transactions t JOIN ledger_accounts a ON a.tenant_id = t.tenant_id"
            f" AND a.code = {quote(self.acct)} WHERE t.key LIKE 'raw:%' AND t.xact ="
            " pg_current_xact_id(); COMMIT;", role="fleetcore_owner", check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("déséquilibrée", out.stderr)
        self.assertEqual(entries_count(), before)

    def test_a_single_line_or_zero_amount_is_refused(self):
        out = post(f"test:{uuid.uuid4()}", [("bank", 0), (self.acct, 0)], check=False)
        self.assertNotEqual(out.returncode, 0)
        out = as_member(f"SELECT ledger_post('test:{uuid.uuid4()}', 'test', '',"
                        " '[{\"account\":\"bank\",\"amount_cents\":1}]')", check=False)
        self.assertNotEqual(out.returncode, 0)

    def test_unknown_account_is_refused(self):
        out = post(f"test:{uuid.uuid4()}", [("nope", 1), ("bank", -1)], check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("Compte inconnu", out.stderr)
        other = str(uuid.uuid4())
        out = post(f"test:{uuid.uuid4()}", [(f"driver:{other}", 1), ("bank", -1)], check=False)
        self.assertNotEqual(out.returncode, 0)

    def test_key_reused_for_other_lines_is_refused(self):
        key = f"test:{uuid.uuid4()}"
        post(key, [("bank", 10), (self.acct, -10)])
        out = post(key, [("bank", 11), (self.acct, -11)], check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("sert déjà", out.stderr)
        self.assertEqual(driver_balance(self.d), 10)

    def test_same_key_at_once_posts_once(self):
        key = f"test:{uuid.uuid4()}"
        before = entries_count()
        results = []

        def go():
            results.append(post(key, [("bank", 700), (self.acct, -700)]))
        threads = [threading.Thread(target=go) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(results), 4)
        self.assertEqual(len(set(results)), 1)
        self.assertEqual(entries_count(), before + 2)
        self.assertEqual(driver_balance(self.d), 700)

    def test_reversal_cancels_and_is_idempotent(self):
        tx = post(f"test:{uuid.uuid4()}", [("bank", 300), (self.acct, -300)])
        key = f"test:{uuid.uuid4()}:reverse"
        r1 = as_member(f"SELECT ledger_reverse({quote(key)}, {quote(tx)}, 'extourne')")[0]
        r2 = as_member(f"SELECT ledger_reverse({quote(key)}, {quote(tx)}, 'extourne')")[0]
        self.assertEqual(r1, r2)
        self.assertEqual(driver_balance(self.d), 0)
        self.assertEqual(psql(f"SELECT reverses FROM ledger_transactions WHERE id = {quote(r1)}"),
                         [tx])

    def test_a_driver_cannot_post(self):
        out = post(f"test:{uuid.uuid4()}", [("bank", 1), (self.acct, -1)],
                   email="chauffeur@demo.test", check=False)
        self.assertNotEqual(out.returncode, 0)


class Immutable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = new_driver()
        post(f"test:{uuid.uuid4()}", [("bank", 50), (f"driver:{cls.d}", -50)])

    def test_application_role_cannot_update_or_delete(self):
        for sql in ("UPDATE ledger_entries SET amount_cents = 1",
                    "DELETE FROM ledger_entries",
                    "UPDATE ledger_transactions SET memo = 'x'",
                    "INSERT INTO ledger_entries (tenant_id, transaction_id, account_id,"
                    " posted_on, amount_cents) SELECT tenant_id, transaction_id, account_id,"
                    " posted_on, 1 FROM ledger_entries LIMIT 1"):
            out = as_member(sql, check=False)
            self.assertNotEqual(out.returncode, 0, sql)
            self.assertIn("permission denied", out.stderr)

    def test_even_the_owner_cannot_update_or_delete(self):
        before = entries_count()
        for sql in ("UPDATE ledger_entries SET amount_cents = amount_cents * 2",
                    "DELETE FROM ledger_entries",
                    "DELETE FROM ledger_transactions",
                    "TRUNCATE ledger_entries CASCADE"):
            out = psql(sql, role="fleetcore_owner", check=False)
            self.assertNotEqual(out.returncode, 0, sql)
        self.assertEqual(entries_count(), before)
        self.assertEqual(driver_balance(self.d), 50)

    def test_no_line_joins_a_committed_posting(self):
        before = entries_count()
        out = psql("BEGIN; INSERT INTO ledger_entries (tenant_id, transaction_id, account_id,"
                   " posted_on, amount_cents) SELECT tenant_id, transaction_id, account_id,"
                   " posted_on, 1 FROM ledger_entries LIMIT 1; COMMIT;",
                   role="fleetcore_owner", check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("déjà passée", out.stderr)
        self.assertEqual(entries_count(), before)


if __name__ == "__main__":
    unittest.main()
