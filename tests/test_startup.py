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


@pytest.mark.parametrize("stage", ["normalize", "split"])
def test_text_stages_do_not_load_the_pdf_code_or_rapidfuzz(stage):
    # plain text through normalize or split: the input is only sniffed, never extracted, and
    # rapidfuzz is loaded only when two page headers have to be compared (about 25 ms of start-up)
    mods = imported([stage, LAW])
    assert "clt.cli" in mods and "clt.extract.sniff" in mods
    assert "clt.extract.pdf" not in mods
    assert not [m for m in mods if m.split(".")[0] == "rapidfuzz"]


def test_extract_package_still_re_exports_the_pdf_names():
    import clt.extract as ex
    from clt.extract import pdf

    assert ex.ENGINES == pdf.ENGINES and ex.OCR_MODES == pdf.OCR_MODES and ex.OCR_ENGINES == pdf.OCR_ENGINES
    assert ex.parse_pages("1-3,5") == pdf.parse_pages("1-3,5")
    with pytest.raises(AttributeError):
        ex.no_such_name  # noqa: B018


def test_similar_headers_still_compared_with_rapidfuzz():
    from clt.normalize.furniture import _similar_key

    assert _similar_key("浙江省人民代表大会常务委员会公报", {"浙江省人民代表大会常务委员会公报。"})
    assert not _similar_key("浙江省人民代表大会常务委员会公报", {"完全不同的一行文字内容在这里"})
