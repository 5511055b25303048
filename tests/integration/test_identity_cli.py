"""The command line as the README shows it: every `build/fleetcore …` line
of README.md's shell blocks, run as written from the checkout against the
running stack, with nothing of the stack's FLEETCORE_* settings in the
environment (only VAR, the stack's folder, as tests/run-all and the
Makefile name it).  The examples are read from README.md itself, so the
README and this test cannot drift apart."""
import os
import re
import shlex
import subprocess
import unittest

from client import ROOT, VAR
from identity import api, psql_one

# What the stack script sets for its own programs: a person at a shell has
# none of it.
STACK_SETTINGS = ("FLEETCORE_DB", "FLEETCORE_DB_OWNER", "FLEETCORE_DATA_DIR",
                  "FLEETCORE_SECRET_KEY_FILE", "FLEETCORE_VAR")


def readme_commands():
    """The `build/fleetcore` lines of README.md's ```sh blocks."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    lines = []
    for block in re.findall(r"^[ \t]*```sh\n(.*?)^[ \t]*```", text, re.S | re.M):
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("build/fleetcore "):
                lines.append(line)
    return lines


def shell_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in STACK_SETTINGS}
    env.update(extra)
    return env


def run_as_written(line, **extra):
    return subprocess.run(shlex.split(line, comments=True), cwd=ROOT, env=shell_env(**extra),
                          capture_output=True, text=True, timeout=60)


class ReadmeCommands(unittest.TestCase):
    def test_the_readme_shows_the_commands_of_the_operations_section(self):
        names = [shlex.split(l)[1] for l in readme_commands()]
        for name in ("config", "migrate", "user", "token"):
            self.assertIn(name, names)

    def test_every_readme_command_runs_against_the_stack_as_written(self):
        for line in readme_commands():
            with self.subTest(line=line):
                out = run_as_written(line)
                self.assertEqual(out.returncode, 0, f"{line}: {out.stderr}")
                self.assertNotIn("/var/run/postgresql", out.stderr)
                words = shlex.split(line, comments=True)
                if words[1:3] == ["token", "create"]:
                    self.check_token(words, out.stdout.strip())
                if words[1:3] == ["user", "add"]:
                    email = words[words.index("--email") + 1]
                    tenant = words[words.index("--tenant") + 1]
                    role = words[words.index("--role") + 1]
                    self.assertEqual(psql_one(
                        "SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id"
                        " JOIN tenants t ON t.id = m.tenant_id"
                        f" WHERE u.email = '{email}' AND t.slug = '{tenant}'"), role)
                if words[1:3] == ["migrate", "--status"]:
                    listed = out.stdout.splitlines()
                    self.assertTrue(listed)
                    self.assertEqual([l.split()[0] for l in listed], ["applied"] * len(listed))

    def check_token(self, words, token):
        """The printed token is one the API takes, for that person."""
        self.assertRegex(token, r"^fc_[A-Za-z0-9_-]{40,}$")
        r = api("GET", "/api/v1/me", token)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()["data"]["user"]["email"], words[words.index("--user") + 1])


class StackFolder(unittest.TestCase):
    """How the command line chooses the cluster (README, Configuration)."""

    def config(self, **extra):
        out = run_as_written("build/fleetcore config", **extra)
        self.assertEqual(out.returncode, 0, out.stderr)
        return dict(l.split("=", 1) for l in out.stdout.splitlines() if "=" in l)

    def test_the_stacks_folder_gives_its_socket_and_files(self):
        c = self.config()
        var = os.path.realpath(VAR)
        self.assertEqual(c["FLEETCORE_DB_OWNER"],
                         f"host={var}/run dbname=fleetcore user=fleetcore_owner")
        self.assertEqual(c["FLEETCORE_DB"], f"host={var}/run dbname=fleetcore user=fleetcore_app")
        self.assertEqual(c["FLEETCORE_DATA_DIR"], f"{var}/data")
        self.assertEqual(c["FLEETCORE_SECRET_KEY_FILE"], f"{var}/secret.key")

    def test_fleetcore_var_names_the_folder_and_a_setting_always_wins(self):
        c = self.config(VAR="/nonexistent", FLEETCORE_VAR=VAR,
                        FLEETCORE_DB_OWNER="dbname=elsewhere user=someone")
        self.assertEqual(c["FLEETCORE_DB_OWNER"], "dbname=elsewhere user=someone")
        self.assertIn(f"host={os.path.realpath(VAR)}/run", c["FLEETCORE_DB"])

    def test_without_a_stack_folder_the_defaults_are_libpqs(self):
        c = self.config(VAR="/nonexistent")
        self.assertEqual(c["FLEETCORE_DB_OWNER"], "dbname=fleetcore user=fleetcore_owner")
        self.assertEqual(c["FLEETCORE_DATA_DIR"], "var/data")


if __name__ == "__main__":
    unittest.main()
