#!/usr/bin/env python3
"""The fake of Bolt's API (tests/fakes/bolt.py) for tests/bench/run-bolt:
one client and one company of DRIVERS drivers with PER_DAY orders each a
day over WEEKS weeks, on PORT.  Every request is written to LOG as
"<unix time> <operation> <status>"; "ready" on stdout once it serves.

  bolt-fake.py PORT LOG DRIVERS WEEKS PER_DAY"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
import bolt  # noqa: E402


def main():
    port, log, drivers, weeks, per_day = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
    fake = bolt.BoltFake(port=int(port))
    fake.add_client("bench", "bench-secret", [1])
    fake.populate(1, drivers=drivers, days=weeks * 7 - 1, per_day=per_day, logs_per_day=2,
                  decimals=2, prefix="bench")
    out = open(log, "a", buffering=1)
    seen = 0
    print("ready", len(fake.orders(1)), flush=True)
    while True:
        time.sleep(0.2)
        with fake.lock:
            new = fake.log[seen:]
            seen = len(fake.log)
        for e in new:
            out.write(f"{e[4]:.3f} {e[1]} {e[2]}\n")


if __name__ == "__main__":
    main()
