"""The official schema of SEPA credit transfers, pain.001.001.03.xsd, as
Debian ships it in tryton-modules-account-payment-sepa: the package is
downloaded (apt-get download, never installed) and unpacked with dpkg-deb
into build/cache/, once; later runs read the cached file.  xmllint
(libxml2-utils) validates a document against it."""
import glob
import os
import shutil
import subprocess
import tempfile

from client import ROOT

PACKAGE = "tryton-modules-account-payment-sepa"
CACHE = os.path.join(ROOT, "build", "cache", "sepa")
XSD = os.path.join(CACHE, "pain.001.001.03.xsd")


def pain_001_xsd():
    """The schema's path, fetched into the cache when it is not there."""
    if os.path.exists(XSD):
        return XSD
    os.makedirs(CACHE, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o777)  # apt's sandbox user writes the .deb here
        got = subprocess.run(["apt-get", "download", PACKAGE], cwd=tmp,
                             capture_output=True, text=True)
        debs = glob.glob(os.path.join(tmp, "*.deb"))
        if got.returncode != 0 or not debs:
            raise AssertionError(f"apt-get download {PACKAGE} failed: {got.stderr.strip()}")
        subprocess.run(["dpkg-deb", "-x", debs[0], os.path.join(tmp, "x")], check=True)
        found = glob.glob(os.path.join(tmp, "x", "**", "pain.001.001.03.xsd"), recursive=True)
        if not found:
            raise AssertionError(f"{PACKAGE} has no pain.001.001.03.xsd")
        shutil.copyfile(found[0], XSD + ".part")
        os.replace(XSD + ".part", XSD)
    return XSD


def validate_pain_001(xml_bytes):
    """(ok, xmllint's report) for a document against the official schema."""
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        f.write(xml_bytes)
        f.flush()
        out = subprocess.run(["xmllint", "--noout", "--schema", pain_001_xsd(), f.name],
                             capture_output=True, text=True)
    return out.returncode == 0, out.stderr
