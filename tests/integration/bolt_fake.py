"""The one fake of Bolt's API for the whole test run (tests/fakes/bolt.py),
on the port tests/run-all gave it (FAKE_BOLT_PORT), where the stack's
FLEETCORE_BOLT_*_URL point.  Started by the first test module that asks."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
import bolt  # noqa: E402

_FAKE = None


def fake():
    global _FAKE
    if _FAKE is None:
        port = int(os.environ.get("FAKE_BOLT_PORT", "0"))
        if not port:
            raise unittest.SkipTest("FAKE_BOLT_PORT is not set (tests/run-all sets it)")
        _FAKE = bolt.BoltFake(port=port)
    return _FAKE
