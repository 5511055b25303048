"""The supervisor and the database connection under stress: a database
restart, a worker killed under load, a rolling reload, a clean stop."""
import os
import signal
import threading
import time
import unittest

from client import children, get, pg_ctl, pidfile, stack, wait_for


class Load:
    """Background clients hammering a URL; records every status."""

    def __init__(self, path="/healthz", threads=8):
        self.path = path
        self.statuses = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.loop) for _ in range(threads)]

    def loop(self):
        while not self.stop.is_set():
            try:
                s = get(self.path, timeout=10).status
            except Exception as e:  # a refused connection counts as a failure
                s = repr(e)
            with self.lock:
                self.statuses.append(s)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()

    def failures(self):
        return [s for s in self.statuses if s != 200]


def supervisor():
    return pidfile("fleetcore-fcgi")


class DatabaseOutage(unittest.TestCase):
    def test_503_while_down_then_200_with_the_same_workers(self):
        self.assertEqual(get("/healthz").status, 200)
        before = children(supervisor())
        self.assertEqual(pg_ctl("stop").returncode, 0)
        try:
            r = get("/healthz")
            self.assertEqual(r.status, 503)
            self.assertEqual(r.json()["error"]["code"], "unavailable")
            page = get("/status")
            self.assertEqual(page.status, 503)
            self.assertIn("indisponible", page.text)
        finally:
            self.assertEqual(pg_ctl("start").returncode, 0)
        self.assertEqual(get("/healthz").status, 200)
        self.assertEqual(get("/status").status, 200)
        self.assertEqual(children(supervisor()), before)


class WorkerDeath(unittest.TestCase):
    def test_killed_worker_is_replaced_and_only_its_request_fails(self):
        sup = supervisor()
        workers = children(sup)
        self.assertGreaterEqual(len(workers), 1)
        with Load() as load:
            time.sleep(1.0)
            os.kill(workers[0], signal.SIGKILL)
            time.sleep(2.0)
        self.assertGreater(len(load.statuses), 50)
        self.assertLessEqual(len(load.failures()), 1, load.failures())
        self.assertTrue(wait_for(lambda: len(children(sup)) == len(workers)))
        self.assertNotIn(workers[0], children(sup))
        metrics = get("/metrics").text
        line = [l for l in metrics.splitlines() if l.startswith("fleetcore_worker_restarts_total")][0]
        self.assertGreaterEqual(int(line.split()[1]), 1)


class RollingReload(unittest.TestCase):
    def test_sighup_replaces_every_worker_without_refusing_a_request(self):
        sup = supervisor()
        before = children(sup)
        with Load() as load:
            time.sleep(0.5)
            os.kill(sup, signal.SIGHUP)
            self.assertTrue(wait_for(lambda: not set(before) & set(children(sup))))
            time.sleep(0.5)
        self.assertEqual(load.failures(), [])
        self.assertEqual(len(children(sup)), len(before))


class CleanStop(unittest.TestCase):
    def test_sigterm_lets_the_request_in_flight_finish(self):
        sup = supervisor()
        result = {}

        def slow():
            result["r"] = get("/_test/sleep?ms=1500")

        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.5)
        os.kill(sup, signal.SIGTERM)
        t.join()
        try:
            self.assertEqual(result["r"].status, 200)
            self.assertEqual(result["r"].json()["data"]["slept_ms"], 1500)
            self.assertTrue(wait_for(lambda: not os.path.exists(f"/proc/{sup}")))
        finally:
            out = stack("start")
            self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(get("/healthz").status, 200)


if __name__ == "__main__":
    unittest.main()
