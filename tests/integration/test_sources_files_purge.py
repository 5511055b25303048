"""What uploads leave behind, purged by the daily job files_purge: a sync
run lets go of its file 90 days after it ended, a file no run refers to
goes once a day old, an abandoned bulk import's file too; what is recent
or still referred to stays."""
import os
import time
import unittest
import uuid

import fleet_helpers
from client import VAR
from identity import psql_one, quote, signed_in, tenant_id
from test_sources import SourcesBase, fresh, uber_rows
from test_fleet_documents import wait_job

DAY = 24 * 60 * 60


def data_path(*parts):
    return os.path.join(VAR, "data", *parts)


def age(path, days):
    """Make a file look days old, as time would."""
    when = time.time() - days * DAY
    os.utime(path, (when, when))


def write(path, data=b"x"):
    """A file left in the data folder, its folders the stack's own (the
    tests may run as root, the job runner as the stack's user, which must
    be able to remove what it finds)."""
    owner = os.stat(data_path())
    folder, made = os.path.dirname(path), []
    while not os.path.isdir(folder):
        made.append(folder)
        folder = os.path.dirname(folder)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for d in made:
        os.chown(d, owner.st_uid, owner.st_gid)
    with open(path, "wb") as f:
        f.write(data)


def purge():
    job = psql_one("INSERT INTO jobs (kind) VALUES ('files_purge') RETURNING id")
    return wait_job(job, timeout=60)


def run_key(run_id):
    return psql_one(f"SELECT coalesce(file_key, 'none') FROM sync_runs WHERE id = {quote(run_id)}")


def end_long_ago(run_id, days):
    psql_one(f"UPDATE sync_runs SET started_at = now() - interval '{days} days',"
             f" ended_at = now() - interval '{days} days' WHERE id = {quote(run_id)}"
             " RETURNING 1")


class FilesPurge(SourcesBase):
    def setUp(self):
        self.tenant = tenant_id("demo")
        self.folder = data_path("sources", self.tenant)

    def test_a_run_lets_go_of_its_file_after_90_days_and_the_file_goes_last(self):
        s = self.source()
        first = self.sync(s["id"], uber_rows(fresh(), 3))
        self.assertEqual(first["status"], "reussi")
        key = run_key(first["id"])
        path = os.path.join(self.folder, key + ".dat")
        self.assertTrue(os.path.exists(path))
        # « Relancer »: a second run reads the same file.
        web = signed_in("manager@demo.test")
        r = web.post(f"/sync-runs/{first['id']}/retry")
        self.assertEqual(r.status, 303)
        second = self.wait(r.header("location").split("/")[-1])
        self.assertEqual(run_key(second["id"]), key)
        age(path, 100)

        # The old run lets go; the recent one still needs the file.
        end_long_ago(first["id"], 91)
        self.assertEqual(purge(), "succeeded")
        self.assertEqual(run_key(first["id"]), "none")
        self.assertEqual(run_key(second["id"]), key)
        self.assertTrue(os.path.exists(path))
        page = web.get(f"/sync-runs/{first['id']}")
        self.assertEqual(page.status, 200)
        self.assertNotIn(f"/sync-runs/{first['id']}/retry", page.text)
        self.assertEqual(web.post(f"/sync-runs/{first['id']}/retry").status, 404)

        # Once the last run has let go, the file goes.
        end_long_ago(second["id"], 91)
        self.assertEqual(purge(), "succeeded")
        self.assertEqual(run_key(second["id"]), "none")
        self.assertFalse(os.path.exists(path))
        # The history stays.
        self.assertEqual(psql_one(f"SELECT status FROM sync_runs WHERE id = {quote(first['id'])}"),
                         "reussi")

    def test_a_recent_run_keeps_its_file_even_when_the_file_is_old(self):
        s = self.source()
        run = self.sync(s["id"], uber_rows(fresh(), 2))
        path = os.path.join(self.folder, run_key(run["id"]) + ".dat")
        age(path, 30)
        self.assertEqual(purge(), "succeeded")
        self.assertTrue(os.path.exists(path))
        self.assertNotEqual(run_key(run["id"]), "none")

    def test_orphans_go_once_a_day_old_and_strangers_stay(self):
        old = os.path.join(self.folder, uuid.uuid4().hex + ".dat")
        young = os.path.join(self.folder, uuid.uuid4().hex + ".dat")
        stranger = os.path.join(self.folder, "notes.txt")
        for p in (old, young, stranger):
            write(p)
        age(old, 2)
        age(stranger, 2)
        self.assertEqual(purge(), "succeeded")
        self.assertFalse(os.path.exists(old))
        self.assertTrue(os.path.exists(young))
        self.assertTrue(os.path.exists(stranger))
        for p in (young, stranger):
            os.unlink(p)

    def test_a_document_file_without_its_row_goes_and_documents_stay(self):
        tok = fleet_helpers.tokens()["manager"]
        v = fleet_helpers.vehicle(tok)
        r = fleet_helpers.upload(tok, "vehicle", v["id"], "carte_grise")
        self.assertEqual(r.status, 201, r.text)
        key = psql_one(f"SELECT storage_key FROM documents WHERE id = {quote(r.json()['data']['id'])}")
        folder = data_path("documents", self.tenant)
        kept = os.path.join(folder, key)
        lost = os.path.join(folder, uuid.uuid4().hex)
        write(lost)
        age(kept, 400)
        age(lost, 2)
        self.assertEqual(purge(), "succeeded")
        self.assertTrue(os.path.exists(kept))
        self.assertFalse(os.path.exists(lost))
        self.assertEqual(fleet_helpers.request(
            "GET", f"/api/v1/documents/{r.json()['data']['id']}/file",
            headers={"Authorization": f"Bearer {tok}"}).status, 200)

    def test_abandoned_import_files_go_after_a_day(self):
        folder = data_path("imports", self.tenant)
        old = os.path.join(folder, uuid.uuid4().hex + ".csv")
        young = os.path.join(folder, uuid.uuid4().hex + ".csv")
        write(old)
        write(young)
        age(old, 2)
        self.assertEqual(purge(), "succeeded")
        self.assertFalse(os.path.exists(old))
        self.assertTrue(os.path.exists(young))
        os.unlink(young)

    def test_the_runner_schedules_it_every_day(self):
        def scheduled():
            return psql_one("SELECT count(*) FROM jobs WHERE kind = 'files_purge' AND"
                            " payload->>'scheduled_day' = to_char(now() AT TIME ZONE"
                            " 'Europe/Paris', 'YYYY-MM-DD')")
        end = time.time() + 30
        while scheduled() == "0" and time.time() < end:
            time.sleep(0.5)
        self.assertEqual(scheduled(), "1")

if __name__ == "__main__":
    unittest.main()
