"""Real official sources: the national database's Word files, legacy .doc/.wps, prints of web pages.

Fixtures in tests/fixtures/extract/ are built by scripts/make_samples.py with the
structures those producers write (an altChunk .docx by hand, a .doc by LibreOffice).
"""

import io
import os
import shutil
import sys
import zipfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FX = os.path.join(HERE, "fixtures", "extract")

sys.path.insert(0, os.path.join(ROOT, "scripts"))


def _pipeline(run_cli, path):
    ex = run_cli(["extract", path])
    assert ex.exit_code == 0, ex.stderr
    norm = run_cli(["normalize"], input=ex.output)
    assert norm.exit_code == 0, norm.stderr
    sp = run_cli(["split"], input=norm.output)
    assert sp.exit_code == 0, sp.stderr
    return ex.records, norm.records, sp.records


# --------------------------------------------------------------------------- altChunk .docx

def test_altchunk_docx_from_the_national_database_yields_its_articles(run_cli):
    lines, _, law = _pipeline(run_cli, os.path.join(FX, "altchunk.docx"))
    texts = [r["text"] for r in lines if r["type"] == "line"]
    assert texts[0] == "示例城市供水条例"
    assert all(r.get("altchunk") for r in lines if r["type"] == "line")
    # the <br /> inside one <p> separates the 项 and the 款
    assert texts[texts.index("第二条　供水企业应当遵守下列规定：") + 1] == "（一）水质符合国家标准；"
    doc = [r for r in law if r["type"] == "document"][0]
    assert doc["title"] == "示例城市供水条例"
    arts = [r for r in law if r["type"] == "article"]
    assert [a["label"] for a in arts] == ["第一条", "第二条", "第三条"]
    assert arts[1]["text"] == ("供水企业应当遵守下列规定：\n（一）水质符合国家标准；\n（二）水压符合规定；\n"
                               "（三）不得擅自停止供水。\n违反前款规定的，由主管部门责令改正。")
    assert [h["title"] for h in law if h["type"] == "heading"] == ["总则", "附则"]


def _altchunk_with(tmp_path, part, data):
    src = os.path.join(FX, "altchunk.docx")
    out = tmp_path / "chunk.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"/word/afchunk.mht", ("/word/" + part).encode())
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"/word/afchunk.mht", ("/word/" + part).encode())
            if info.filename != "word/afchunk.mht":
                zout.writestr(info.filename, body)
        zout.writestr("word/" + part, data)
    return str(out)


def test_altchunk_plain_html_part_in_gbk_is_read(run_cli, tmp_path):
    html = "<html><head><meta charset=gb2312></head><body><p>某某条例</p><p>第一条　本条例自公布之日起施行。</p></body></html>"
    r = run_cli(["extract", _altchunk_with(tmp_path, "chunk.html", html.encode("gb18030"))])
    assert r.exit_code == 0, r.stderr
    assert [x["text"] for x in r.records if x["type"] == "line"] == ["某某条例", "第一条　本条例自公布之日起施行。"]


def test_altchunk_of_another_kind_is_a_warning_not_silence(run_cli, tmp_path):
    r = run_cli(["extract", _altchunk_with(tmp_path, "chunk.rtf", b"{\\rtf1 hello}")])
    assert r.exit_code == 0
    warn = [x for x in r.records if x["type"] == "warning"]
    assert warn and warn[0]["code"] == "docx-altchunk-unread"


# --------------------------------------------------------------------------- legacy .doc / .wps

LEGACY = os.path.join(FX, "legacy.doc")
LEGACY_ARTICLES = {
    "第一条": "为了加强历史文化名城的保护，继承优秀历史文化遗产，根据有关法律、法规，结合本市实际，制定本条例。",
    "第二条": "本市行政区域内历史文化名城的保护、规划和管理，适用本条例。",
    "第三条": "有下列行为之一的，由主管部门责令改正：\n（一）擅自拆除历史建筑的；\n（二）损坏保护标志的。",
    "第四条": "市人民政府应当将历史文化名城保护纳入国民经济和社会发展计划。",
    "第五条": "本条例自2001年5月1日起施行。",
}


def _law_of(records):
    from clt.normalize import normalize
    from clt.split import split

    out = list(split(normalize(iter(records))))
    doc = [r for r in out if r["type"] == "document"][0]
    return doc, {a["label"]: a["text"] for a in out if a["type"] == "article"}


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (libreoffice-writer-nogui) not installed")
@pytest.mark.parametrize("name", ["law.doc", "law.wps"])
def test_legacy_doc_with_hard_line_breaks_read_by_libreoffice(run_cli, tmp_path, name):
    path = tmp_path / name  # a Kingsoft .wps is the same binary Word format
    path.write_bytes(open(LEGACY, "rb").read())
    lines, _, law = _pipeline(run_cli, str(path))
    assert lines[0]["format"] == "doc" and lines[0]["converter"] == "libreoffice"
    doc = [r for r in law if r["type"] == "document"][0]
    assert doc["title"] == "某市历史文化名城保护条例"
    assert {a["label"]: a["text"] for a in law if a["type"] == "article"} == LEGACY_ARTICLES


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword not installed")
def test_legacy_doc_with_hard_line_breaks_read_by_antiword():
    from clt.extract.legacy import extract_legacy

    recs = list(extract_legacy(open(LEGACY, "rb").read(), "law.doc", converter="antiword"))
    assert recs[0]["converter"] == "antiword"
    doc, arts = _law_of(recs)
    assert doc["title"] == "某市历史文化名城保护条例"
    assert arts == LEGACY_ARTICLES


def test_damaged_old_word_file_is_one_line_and_the_next_file_goes_on(run_cli, tmp_path):
    bad = tmp_path / "bad.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    r = run_cli(["extract", str(bad), os.path.join(FX, "altchunk.docx")])
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1 and "bad.doc" in r.stderr
    assert any(x["type"] == "line" and x["text"] == "示例城市供水条例" for x in r.records)
