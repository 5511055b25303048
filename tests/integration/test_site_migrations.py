"""Schema migrations keep the checksum of the file they applied: an
applied migration whose file changed afterwards is refused, before
anything pending is applied, since that database would no longer match
the ones created from the files (a change goes in a new migration)."""
import hashlib
import os
import shutil
import tempfile
import unittest

from client import ROOT
from identity import cli, psql, psql_one

SOURCE = os.path.join(ROOT, "sql", "migrations")
PROBE = "migrate_probe_table"


class ChangedMigrations(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="fleetcore-migrations-")
        os.chmod(self.dir, 0o755)
        for name in os.listdir(SOURCE):
            shutil.copy(os.path.join(SOURCE, name), self.dir)
        psql(f"DROP TABLE IF EXISTS {PROBE}")

    def tearDown(self):
        shutil.rmtree(self.dir)
        psql(f"DROP TABLE IF EXISTS {PROBE}")
        psql("DELETE FROM schema_migrations WHERE version = '9999_probe.sql'")

    def migrate(self, *args):
        return cli("migrate", *args, env={"FLEETCORE_MIGRATIONS": self.dir})

    def test_checksums_are_the_files_sha256(self):
        for name in sorted(os.listdir(SOURCE)):
            with open(os.path.join(SOURCE, name), "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            self.assertEqual(psql_one(f"SELECT checksum FROM schema_migrations"
                                      f" WHERE version = '{name}'"), digest, name)

    def test_unchanged_files_apply_nothing(self):
        out = self.migrate()
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("0 applied", out.stdout)

    def test_a_changed_file_is_refused_and_nothing_pending_is_applied(self):
        with open(os.path.join(self.dir, "0003_fleet.sql"), "a") as f:
            f.write("\n-- edited after it was applied\n")
        with open(os.path.join(self.dir, "9999_probe.sql"), "w") as f:
            f.write(f"CREATE TABLE {PROBE} (id int);\n")
        out = self.migrate()
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("0003_fleet.sql has changed since it was applied", out.stdout)
        self.assertIsNone(psql_one(f"SELECT to_regclass('{PROBE}')"))
        self.assertIsNone(psql_one("SELECT version FROM schema_migrations"
                                   " WHERE version = '9999_probe.sql'"))
        status = self.migrate("--status")
        self.assertEqual(status.returncode, 0, status.stdout + status.stderr)
        self.assertIn("changed  0003_fleet.sql", status.stdout)
        self.assertIn("pending  9999_probe.sql", status.stdout)
        self.assertIn("applied  0002_identity.sql", status.stdout)
        # The file as it was: the pending migration goes in.
        shutil.copy(os.path.join(SOURCE, "0003_fleet.sql"), self.dir)
        out = self.migrate()
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("applied 9999_probe.sql", out.stdout)
        self.assertEqual(psql_one(f"SELECT to_regclass('{PROBE}')::text"), PROBE)


if __name__ == "__main__":
    unittest.main()
