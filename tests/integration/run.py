#!/usr/bin/env python3
"""Runs every tests/integration/test_*.py against the stack that
tests/run-all started (HTTPS_PORT, HTTP_PORT, VAR in the environment) and
ends with one line: "integration: N passed, N failed"."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main():
    only = sys.argv[1:]
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    # "test_x" runs a file, "test_x.Class.test_y" one test; nothing, all.
    tests = [n for n in only if "." in n]
    files = [n for n in only if "." not in n]
    for name in tests:
        suite.addTests(loader.loadTestsFromName(name))
    for name in sorted(os.listdir(HERE)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        if (files or tests) and name[:-3] not in files:
            continue
        suite.addTests(loader.loadTestsFromName(name[:-3]))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors)
    # A class whose set-up failed counts an error but runs no test.
    passed = max(0, result.testsRun - failed - len(result.skipped))
    print(f"integration: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
