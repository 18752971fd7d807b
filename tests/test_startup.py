"""Start-up: commands that need neither Word nor XML do not import python-docx or lxml.

clt.convert imports its format modules on first use, so ``clt refs``,
``clt get`` and ``clt refs --help`` start without python-docx and lxml
(about a tenth of a second of imports); measured with ``python -X importtime``.
"""

import os
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

LAW = os.path.join(FIXTURES, "refs", "law.txt")
HEAVY = ("docx", "lxml")


def imported(args):
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "clt", *args], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 0, r.stderr
    return {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("args", [["refs", "--help"], ["refs", LAW], ["get", LAW, "第三条"], ["search", "--help"],
                                  ["convert", "--to", "md", LAW]])
def test_no_word_or_xml_library_imported(args):
    mods = imported(args)
    assert "clt.cli" in mods
    assert not [m for m in mods if m.split(".")[0] in HEAVY]


def test_docx_still_imported_when_asked_for(tmp_path):
    mods = imported(["convert", "--to", "docx", LAW, "-o", str(tmp_path / "law.docx")])
    assert "docx" in mods
