"""clt extract: PDF (both engines), OCR, DOCX, HTML, text, bad inputs.

Fixtures live in tests/fixtures/extract/ and are rebuilt by scripts/make-fixtures
(reportlab / python-docx / Pillow, from samples/hangzhou-bulletin-14.txt).
"""

import io
import json
import os
import re
import shutil
import sys

import pytest

from clt.errors import ExtractError, InputError, UsageError
from clt.extract import extract, parse_pages
from clt.extract.layout import Char, build_lines, drop_duplicates
from clt.extract.pdf import text_layer_usable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FX = os.path.join(HERE, "fixtures", "extract")
BULLETIN = os.path.join(FX, "bulletin.pdf")

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import make_samples  # noqa: E402  (the fixture generator: its source text is the expectation)


def lines_of(records, page=None):
    return [r for r in records if r["type"] == "line" and (page is None or r["page"] == page)]


def squeeze(s):
    return re.sub(r"\s", "", s)


@pytest.fixture(scope="module")
def bulletin_records():
    return list(extract([BULLETIN]))


# --------------------------------------------------------------------------- PDF

def test_pdf_framing_source_page_line(bulletin_records):
    recs = bulletin_records
    src = recs[0]
    assert src["type"] == "source" and src["schema"] == 1 and src["format"] == "pdf"
    assert src["path"] == BULLETIN and src["pages"] == 2
    assert "reportlab" in src["producer"]
    pages = [r for r in recs if r["type"] == "page"]
    assert [p["page"] for p in pages] == [1, 2]
    assert [p["label"] for p in pages] == ["41", "42"]  # PDF page labels start at the printed 41
    assert pages[0]["width"] == pytest.approx(595.28) and pages[0]["height"] == pytest.approx(841.89)
    # every line follows its page record and numbers from 1 within the page
    cur = None
    for r in recs[1:]:
        if r["type"] == "page":
            cur, n = r["page"], 0
        elif r["type"] == "line":
            n += 1
            assert r["page"] == cur and r["line"] == n and r["source"] == BULLETIN


def test_pdf_every_character_in_reading_order(bulletin_records):
    """The printed law, character for character: nothing lost, added or moved."""
    notice, title, note, paras = make_samples.regulation()
    body = "".join(l["text"] for l in lines_of(bulletin_records)
                   if "公报" not in l["text"] and not l["text"].startswith("—"))
    expected = "".join(notice) + title + note + "".join(paras[:9])
    # the generator puts a U+3000 after each article label; the source text has an ASCII space
    expected = re.sub(r"(第[一二三四五六七八九十]+条) ", "\\1\u3000", expected)
    assert squeeze(body) == squeeze(expected)


def test_pdf_no_space_invented_between_cjk_and_real_spaces_kept(bulletin_records):
    texts = [l["text"] for l in lines_of(bulletin_records)]
    art = next(t for t in texts if t.startswith("第一条"))
    assert art.startswith("第一条\u3000为了促进与规范")  # the printed U+3000 stays
    # justified lines: glyphs spread apart, yet no space appears between them
    body = [t for t in texts if "公报" not in t and not t.startswith("—") and "年" not in t]
    assert body and all(" " not in t for t in body)
    # the 题注 prints real spaces around the digits: they are reported
    assert any("2020 年 10 月 27 日" in t for t in texts)


def test_pdf_geometry_font_and_furniture(bulletin_records):
    p1 = lines_of(bulletin_records, 1)
    header, page_no = p1[0], p1[-1]
    assert header["text"].startswith("杭州市人民代表大会常务委员会公报")
    assert header["bbox"][1] < 60 and header["size"] == 10.5
    assert page_no["text"] == "— 41 —" and page_no["bbox"][3] > 780  # bottom of the page, top-left origin
    title = next(l for l in p1 if l["text"] == "杭州城市大脑赋能城市治理促进条例")
    centre = (title["bbox"][0] + title["bbox"][2]) / 2
    assert centre == pytest.approx(595.28 / 2, abs=1) and title["size"] == 20.0
    art = next(l for l in p1 if l["text"].startswith("第一条"))
    cont = p1[p1.index(art) + 1]
    assert art["bbox"][0] == pytest.approx(79 + 2 * 15.5, abs=0.5)  # two-character first-line indent
    assert cont["bbox"][0] == pytest.approx(79, abs=0.5)
    assert art["font"] == "STSong-Light" and art["size"] == 15.5
    for l in p1:
        x0, top, x1, bottom = l["bbox"]
        assert 0 <= x0 < x1 <= 595.28 and 0 <= top < bottom <= 841.89


def test_pdf_fake_bold_label_kept_once_and_marked_bold(bulletin_records):
    art = next(l for l in lines_of(bulletin_records) if l["text"].startswith("第一条"))
    assert art["text"].count("第一条") == 1  # drawn twice, reported once
    assert art["spans"][0] == {"start": 0, "end": 4, "font": "STSong-Light", "size": 15.5, "bold": True}
    assert art["spans"][1]["bold"] is False and art["bold"] is False


def test_pdf_two_columns_read_left_column_first():
    ls = lines_of(list(extract([os.path.join(FX, "twocol.pdf")])))
    texts = [l["text"] for l in ls]
    assert texts[0] == "两栏排版测试标题"
    assert texts[1:11] == ["左栏第%s行文字内容" % n for n in "一二三四五六七八九十"]
    assert texts[11:] == ["右栏第%s行文字内容" % n for n in "一二三四五六七八九十"]


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_short_second_column_is_still_a_column(tmp_path, engine):
    """Regression: where a law ends part-way down the right column (three lines), the
    column was too sparse to be told from the gutter, and each right-column line was
    spliced into the left-column line beside it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = str(tmp_path / "short-column.pdf")
    c = canvas.Canvas(path, pagesize=(595.28, 841.89), invariant=1)
    c.setFont("STSong-Light", 9)
    c.drawCentredString(297.6, 810, "某某市人民政府公报")
    c.setFont("STSong-Light", 10.5)
    left = ["左栏正文第%s行，两栏排版的公报把正文" % n for n in "一二三四五六七八九十"] * 2
    right = ["　　第十九条　本条例自２００３年２月１日起", "施行。", "　　附件：见义勇为人员登记表"]
    for i, text in enumerate(left):
        c.drawString(63, 760 - i * 15.75, text)
    for i, text in enumerate(right):
        c.drawString(309, 760 - i * 15.75, text)
    c.drawCentredString(297.6, 40, "- 2 -")
    c.showPage()
    c.save()
    texts = [l["text"] for l in lines_of(list(extract([path], engine=engine)))]
    assert texts[1:21] == left
    assert [t.lstrip("\u3000 ") for t in texts[21:24]] == [t.lstrip("\u3000") for t in right]
    assert texts[24] == "- 2 -"


def test_pdfium_engine_same_lines_as_pdfminer(bulletin_records):
    fast = list(extract([BULLETIN], engine="pdfium"))
    assert fast[0]["engine"] == "pdfium"
    a, b = lines_of(bulletin_records), lines_of(fast)
    assert [(l["page"], l["text"]) for l in a] == [(l["page"], l["text"]) for l in b]
    for x, y in zip(a, b):
        assert x["size"] == y["size"] and x["font"] == y["font"]
        assert x["bbox"][0] == pytest.approx(y["bbox"][0], abs=1)
        assert abs((x["bbox"][1] + x["bbox"][3]) - (y["bbox"][1] + y["bbox"][3])) / 2 < 4
    assert [p.get("label") for p in fast if p["type"] == "page"] == ["41", "42"]


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_jobs_keep_output_order(engine, bulletin_records):
    serial = list(extract([BULLETIN], engine=engine))
    parallel = list(extract([BULLETIN], engine=engine, jobs=2))
    assert parallel == serial


@pytest.fixture(scope="module")
def twelve_pages(tmp_path_factory):
    """The bulletin six times over: 12 pages, enough for three workers' runs."""
    import pypdfium2 as pdfium

    dst = pdfium.PdfDocument.new()
    for _ in range(6):
        src = pdfium.PdfDocument(BULLETIN)
        dst.import_pages(src)
        src.close()
    path = str(tmp_path_factory.mktemp("twelve") / "twelve.pdf")
    dst.save(path)
    dst.close()
    return path


@pytest.mark.parametrize("from_bytes", [False, True])
def test_workers_that_inherit_the_parsed_pdfminer_document_read_the_same_pages(twelve_pages, from_bytes):
    """With --jobs, pdfminer's document is parsed once, in the parent, and inherited by
    the workers, each reading the file through a descriptor of its own (a shared one
    would share its offset: workers reading at once would read each other's bytes)."""
    src = open(twelve_pages, "rb").read() if from_bytes else twelve_pages
    from clt.extract.pdf import extract_pdf

    serial = list(extract_pdf(src, "twelve.pdf", max_page_seconds=0, max_page_mb=0))
    assert sum(r["type"] == "page" for r in serial) == 12
    assert sum(r["type"] == "line" for r in serial) > 12
    for jobs in (2, 3):
        assert list(extract_pdf(src, "twelve.pdf", jobs=jobs)) == serial


def test_own_file_gives_the_document_a_file_object_of_its_own():
    from clt.extract.pdf_miner import MinerDocument

    doc = MinerDocument(BULLETIN, "bulletin.pdf")
    fresh = MinerDocument(BULLETIN, "bulletin.pdf")
    try:
        before = doc._fp
        doc.own_file()
        assert doc._fp is not before and doc.doc._parser.fp is doc._fp
        w, h, chars = doc.page(2)
        w2, h2, chars2 = fresh.page(2)
        assert (w, h) == (w2, h2) and "".join(c.text for c in chars) == "".join(c.text for c in chars2)
        assert chars
        before.close()
    finally:
        doc.close()
        fresh.close()


def test_page_ranges(run_cli):
    r = run_cli(["extract", "--pages", "2", BULLETIN])
    assert r.exit_code == 0
    assert [p["page"] for p in r.records if p["type"] == "page"] == [2]
    assert lines_of(r.records)[-1]["text"] == "— 42 —"
    assert parse_pages("3-7,9,12-") == [(3, 7), (9, 9), (12, None)]
    with pytest.raises(UsageError):
        parse_pages("7-3")


def test_page_range_beyond_document_is_one_clear_error(run_cli):
    r = run_cli(["extract", "--pages", "2-5", BULLETIN])
    assert r.exit_code == 1
    assert "page range 2-5 is beyond the document (2 pages)" in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_pdf_from_stdin_is_sniffed(run_clt_subprocess):
    with open(BULLETIN, "rb") as fp:
        data = fp.read()
    p = run_clt_subprocess(["extract", "-", "--pages", "1"], input=data)
    assert p.returncode == 0, p.stderr
    recs = [json.loads(l) for l in p.stdout.decode("utf-8").splitlines()]
    assert recs[0]["path"] == "<stdin>" and recs[0]["format"] == "pdf"
    assert lines_of(recs)[0]["text"].startswith("杭州市人民代表大会常务委员会公报")


# --------------------------------------------------------------------------- layout rules

def _c(text, x0, size=10.0, top=100.0, **kw):
    return Char(text, x0, top, x0 + size * (1 if ord(text[0]) > 0x2000 else 0.5), top + size, size, **kw)


def test_layout_spacing_rules():
    # CJK glyphs 0.4 em apart (justified): no space; Latin words 0.3 em apart: a space
    cjk = [_c(ch, 10 + i * 14) for i, ch in enumerate("城市治理")]
    latin = [_c("A", 10), _c("B", 15), _c("C", 23), _c("D", 28)]
    wide = [_c("目", 10), _c("录", 40)]  # 2 em letter-spacing: a visible blank
    real = [_c("第", 10), _c("一", 20), _c("条", 30), _c("\u3000", 40), _c("为", 50)]
    assert build_lines(cjk, "s", 1)[0]["text"] == "城市治理"
    assert build_lines(latin, "s", 1)[0]["text"] == "AB CD"
    assert build_lines(wide, "s", 1)[0]["text"] == "目 录"
    assert build_lines(real, "s", 1)[0]["text"] == "第一条\u3000为"


def test_layout_gutter_splits_a_row_and_bottom_order():
    row = [_c("公", 10), _c("报", 20), _c("1", 300, size=10)]
    below = [_c("正", 10, top=130), _c("文", 20, top=130)]
    ls = build_lines(below + row, "s", 1, page_width=595)
    assert [l["text"] for l in ls] == ["公报", "1", "正文"]
    assert [l["line"] for l in ls] == [1, 2, 3]


def test_layout_mixed_sizes_stay_on_one_line():
    chars = [_c("第", 10, size=16, top=100), _c("1", 26, size=11, top=104), _c("条", 32, size=16, top=100)]
    ls = build_lines(chars, "s", 1)
    assert len(ls) == 1 and ls[0]["text"] == "第1条" and ls[0]["size"] == 16


def test_duplicate_glyphs_dropped_and_marked_bold():
    chars = [_c("第", 10), _c("第", 10.3), _c("条", 20), _c("条", 20.3), _c("的", 30), _c("的", 60)]
    kept, dropped = drop_duplicates(chars)
    assert dropped == 2 and [c.text for c in kept] == ["第", "条", "的", "的"]
    assert [c.bold for c in kept] == [True, True, False, False]
    # leader dots a quarter em apart are all printed
    dots = [Char(".", 10 + i * 3.6, 100, 13.5 + i * 3.6, 114, 14.0) for i in range(6)]
    assert drop_duplicates(dots)[1] == 0


def test_unusable_text_layer_detection():
    good = [_c(ch, 10 + i * 10) for i, ch in enumerate("第一条")]
    cid = [_c("(cid:%d)" % i, 10 + i * 10) for i in range(8)] + good[:1]
    assert text_layer_usable(good)
    assert not text_layer_usable(cid)
    assert not text_layer_usable([_c(" ", 10)])
    assert not text_layer_usable([])


# --------------------------------------------------------------------------- OCR

def _have_chi_sim():
    if not shutil.which("tesseract"):
        return False
    from clt.extract.ocr import _installed_langs

    return "chi_sim" in _installed_langs(shutil.which("tesseract"))


@pytest.mark.skipif(not _have_chi_sim(), reason="needs tesseract-ocr and tesseract-ocr-chi-sim")
def test_scanned_page_is_ocred():
    recs = list(extract([os.path.join(FX, "scanned.pdf")]))
    page = next(r for r in recs if r["type"] == "page")
    assert page["ocr"] is True
    ls = lines_of(recs)
    assert len(ls) == 3 and all(l["ocr"] is True for l in ls)
    for l, want in zip(ls, make_samples.SCAN_LINES):
        # OCR misreads a character now and then; the law's words must be there
        assert l["text"].startswith(want[:3])
        assert squeeze(want[4:])[:6] in squeeze(l["text"])
        assert l["bbox"][0] == pytest.approx(72, abs=3)
        assert 50 < l["conf"] <= 100


def test_missing_tesseract_warns_and_continues(run_cli, monkeypatch):
    import clt.extract.ocr as ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    r = run_cli(["extract", "--ocr-engine", "tesseract", os.path.join(FX, "scanned.pdf"), BULLETIN])
    assert r.exit_code == 0
    warn = next(x for x in r.records if x["type"] == "warning")
    assert warn["page"] == 1 and warn["code"] == "ocr-unavailable"
    assert "tesseract-ocr" in warn["message"] and "tesseract-ocr-chi-sim" in warn["message"]
    assert "tesseract-ocr-chi-sim" in r.stderr
    assert any(x["type"] == "source" and x["path"] == BULLETIN for x in r.records)


def test_ocr_never_reports_the_page_without_text():
    recs = list(extract([os.path.join(FX, "scanned.pdf")], ocr="never"))
    assert not lines_of(recs)
    w = [r for r in recs if r["type"] == "warning"]
    assert len(w) == 1 and w[0]["code"] == "no-text-layer" and w[0]["page"] == 1


# --------------------------------------------------------------------------- DOCX, HTML, text

def test_docx_paragraphs_layout_and_tables(run_cli):
    r = run_cli(["extract", os.path.join(FX, "law.docx")])
    assert r.exit_code == 0
    recs = r.records
    assert recs[0]["format"] == "docx"
    ls = lines_of(recs)
    by = {l["text"]: l for l in ls}
    assert by["示例管理条例"]["align"] == "center" and by["示例管理条例"]["bold"] is True
    art = by["第一条\u3000为了规范管理，制定本条例。"]
    assert art["indent"] == 32.0 and art["bold"] is False
    assert art["spans"] == [{"start": 0, "end": 3, "bold": True}]
    assert by["（一）未经许可的；"]["continued"] is True  # a manual line break inside 第二条
    rows = [l for l in ls if "table" in l]
    assert [l["cells"] for l in rows] == [["项目", "金额（元）"], ["罚款", "5000"]]
    assert rows[0]["text"] == "项目\t金额（元）"
    texts = [l["text"] for l in ls]
    assert texts.index("罚款\t5000") < texts.index("第三条\u3000本条例自2021年3月1日起施行。")


def test_html_main_text_blocks_and_breaks(run_cli):
    r = run_cli(["extract", os.path.join(FX, "law.html")])
    assert r.exit_code == 0
    texts = [l["text"] for l in lines_of(r.records)]
    assert texts == [
        "示例管理条例",
        "（2020年10月27日通过）",
        "第一章\u3000总则",
        "第一条\u3000为了规范管理，根据有关法律，制定本条例。",
        "第二条\u3000有下列情形之一的，依法处理：",
        "（一）未经许可的；",
        "（二）超出范围的。",
        "项目\t金额",
        "罚款\t5000元",
        "第三条\u3000本条例自2021年3月1日起施行。\u00a0",
    ]
    assert not any("第九十九条" in t or "首页" in t or "版权" in t for t in texts)
    warn = [x for x in r.records if x["type"] == "warning"]
    assert warn and warn[0]["code"] == "html-outside-main"
    centred = next(l for l in lines_of(r.records) if l["text"].startswith("（2020"))
    assert centred["align"] == "center"


def test_html_gbk_meta_charset_and_cjk_line_breaks():
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
            '<body><p>第一条　本条例适用于\n本市。</p><p>A\nB</p></body></html>').encode("gb18030")
    recs = list(extract([io.BytesIO(html)]))
    assert recs[0]["format"] == "html" and recs[0]["encoding"] == "gb18030"
    assert [l["text"] for l in lines_of(recs)] == ["第一条　本条例适用于本市。", "A B"]


def test_gb18030_text_with_form_feed(run_cli):
    r = run_cli(["extract", os.path.join(FX, "law-gb18030.txt")])
    assert r.exit_code == 0
    assert r.records[0]["encoding"] == "gb18030" and r.records[0]["format"] == "text"
    ls = lines_of(r.records)
    assert [(l["page"], l["text"]) for l in ls] == [
        (1, "示例管理条例"), (1, ""), (1, "第一条　为了规范管理，制定本条例。"), (1, "第二条　本条例适用于本市。"),
        (2, "第三条　本条例自公布之日起施行。")]


def test_text_from_stdin(run_cli):
    r = run_cli(["extract"], input="第一条　测试。\n")
    assert r.exit_code == 0
    assert r.records[0]["path"] == "<stdin>" and lines_of(r.records)[0]["text"] == "第一条　测试。"


# --------------------------------------------------------------------------- bad inputs

def test_encrypted_pdf_needs_password(run_cli):
    enc = os.path.join(FX, "encrypted.pdf")
    r = run_cli(["extract", enc])
    assert r.exit_code == 1 and r.output == ""
    assert r.stderr == f"clt: {enc}: encrypted PDF: a password is needed (use --password)\n"
    r = run_cli(["extract", "--password", "wrong", enc])
    assert r.exit_code == 1 and "wrong password" in r.stderr
    r = run_cli(["extract", "--password", "secret", enc])
    assert r.exit_code == 0
    assert lines_of(r.records)[0]["text"] == "Article 1 This page is encrypted."


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_bad_inputs_fail_cleanly_and_others_still_processed(run_cli, tmp_path, engine):
    with open(BULLETIN, "rb") as fp:
        data = fp.read()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[:1500])
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    png = tmp_path / "scan.pdf"
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buf, format="PNG")
    png.write_bytes(buf.getvalue())
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    bad = [truncated, empty, png, garbage, tmp_path]
    r = run_cli(["extract", "--engine", engine] + [str(p) for p in bad] + [BULLETIN])
    assert r.exit_code == 1
    errs = r.stderr.strip().splitlines()
    assert len(errs) == len(bad), r.stderr
    assert all(e.startswith("clt: ") and "Traceback" not in e for e in errs)
    assert f"{empty}: empty file (0 bytes)" in r.stderr
    assert f"{png}: not a PDF file: the content is a PNG image" in r.stderr
    assert f"{tmp_path}: is a directory" in r.stderr
    assert "corrupt or truncated" in errs[0] or "cannot read page" in errs[0]
    # the good file after them came through whole
    assert [x["path"] for x in r.records if x["type"] == "source"][-1] == BULLETIN
    assert lines_of(r.records)[-1]["text"] == "— 42 —"


def test_library_raises_without_on_error(tmp_path):
    with pytest.raises(InputError):
        list(extract([str(tmp_path)]))
    empty = tmp_path / "x.txt"
    empty.write_bytes(b"")
    with pytest.raises(ExtractError):
        list(extract([str(empty)]))
    seen = []
    out = list(extract([str(empty), BULLETIN], pages="1", on_error=seen.append))
    assert len(seen) == 1 and out[0]["path"] == BULLETIN


def test_layout_two_columns_with_offset_baselines():
    """Columns whose baselines do not line up are still read column by column."""
    chars = [_c("题", 250, size=16, top=40), _c("目", 266, size=16, top=40)]
    for i in range(6):
        chars += [_c(ch, 60 + k * 10, top=100 + i * 20) for k, ch in enumerate("左栏文字内容左栏文字内容左")]
        chars += [_c(ch, 330 + k * 10, top=108 + i * 20) for k, ch in enumerate("右栏文字内容右栏文字")]
    texts = [l["text"] for l in build_lines(chars, "s", 1, page_width=595)]
    assert texts[0] == "题目"
    assert texts[1:7] == ["左栏文字内容左栏文字内容左"] * 6
    assert texts[7:] == ["右栏文字内容右栏文字"] * 6


def test_layout_single_column_with_short_lines_keeps_row_order():
    """A page of short items and a right-aligned date is not mistaken for two columns."""
    chars = []
    rows = ["（一）第一项；", "（二）第二项；", "（三）第三项；", "（四）第四项；", "（五）第五项；"]
    for i, t in enumerate(rows):
        chars += [_c(ch, 90 + k * 10, top=100 + i * 20) for k, ch in enumerate(t)]
    chars += [_c(ch, 400 + k * 10, top=220) for k, ch in enumerate("二〇二三年六月二十八日")]
    chars += [_c(ch, 60 + k * 10, top=240) for k, ch in enumerate("本条例自公布之日起施行，此为一整行的正文内容，占满全部版心宽度的。" * 1)]
    texts = [l["text"] for l in build_lines(chars, "s", 1, page_width=595)]
    assert texts[:5] == rows and texts[5] == "二〇二三年六月二十八日"


@pytest.mark.skipif(not _have_chi_sim(), reason="needs tesseract-ocr and tesseract-ocr-chi-sim")
def test_unmapped_cid_text_layer_is_ocred():
    recs = list(extract([os.path.join(FX, "unmapped.pdf")]))
    ls = lines_of(recs)
    assert next(r for r in recs if r["type"] == "page")["ocr"] is True
    assert len(ls) == 3 and not any("(cid:" in l["text"] for l in ls)
    assert ls[0]["text"].startswith("第一条") and "制定本条例" in ls[0]["text"]  # OCR may misread a character


def test_unmapped_cid_text_layer_with_ocr_never_is_reported():
    recs = list(extract([os.path.join(FX, "unmapped.pdf")], ocr="never"))
    ls = lines_of(recs)
    assert len(ls) == 3 and all(l["text"].startswith("(cid:") for l in ls)  # kept as pdfminer reads them
    w = [r for r in recs if r["type"] == "warning"]
    assert [x["code"] for x in w] == ["no-text-layer"]


def test_html_layout_table_holding_the_law_is_read_as_blocks():
    html = ("<html><body><table><tr><td><a href='/'>首页</a></td></tr><tr><td>"
            "<p>第一条　为了规范管理，制定本条例。</p><p>第二条　本条例适用于本市。</p>"
            "</td><td>侧栏</td></tr></table></body></html>").encode("utf-8")
    texts = [l["text"] for l in lines_of(list(extract([io.BytesIO(html)])))]
    assert texts[:2] == ["第一条　为了规范管理，制定本条例。", "第二条　本条例适用于本市。"]


def test_pdfminer_releases_each_page_after_reading():
    """Regression: pdfminer kept every parsed page's content streams alive, so memory grew with
    the page count.  After a page is read no stream of it stays cached; the small objects the
    pages share (fonts, resources, the page tree) stay, so that pdfminer does not parse them
    again for every page."""
    from pdfminer.pdftypes import PDFStream

    from clt.extract.pdf_miner import MinerDocument

    doc = MinerDocument(BULLETIN, "b")
    try:
        sizes = []
        for p in (1, 2):
            w, h, chars = doc.page(p)
            assert chars
            cache = doc.doc._cached_objs
            assert not [o for o, _ in cache.values() if isinstance(o, PDFStream)]
            sizes.append(len(cache))
        assert sizes[1] <= sizes[0] + 3  # the second page adds its own page dictionary or so, no more
        assert doc.pages == [None, None]
        assert doc.labels == ["41", "42"]  # kept apart from the pages
    finally:
        doc.close()


def test_pdfminer_cache_of_small_objects_is_bounded(monkeypatch):
    """A file of very many objects: past MAX_KEPT_OBJECTS the cache is emptied (memory first)."""
    from clt.extract import pdf_miner

    monkeypatch.setattr(pdf_miner, "MAX_KEPT_OBJECTS", 3)
    doc = pdf_miner.MinerDocument(BULLETIN, "b")
    try:
        for p in (1, 2):
            doc.page(p)
            assert len(doc.doc._cached_objs) <= 3
    finally:
        doc.close()
    # and the glyphs are the same whether the small objects are kept or not
    monkeypatch.setattr(pdf_miner, "MAX_KEPT_OBJECTS", 20000)
    kept = pdf_miner.MinerDocument(BULLETIN, "b")
    full = [kept.page(p)[2] for p in (1, 2)][1]
    monkeypatch.setattr(pdf_miner, "MAX_KEPT_OBJECTS", 0)
    bare_doc = pdf_miner.MinerDocument(BULLETIN, "b")
    bare = [bare_doc.page(p)[2] for p in (1, 2)][1]
    kept.close()
    bare_doc.close()
    assert [(c.text, round(c.x0, 3)) for c in full] == [(c.text, round(c.x0, 3)) for c in bare]


def test_ocr_scales_large_text_to_the_size_tesseract_reads_best():
    from PIL import Image, ImageDraw

    from clt.extract.ocr import TARGET_INK_PX, ink_line_height, prepare

    img = Image.new("L", (1000, 1400), 255)
    d = ImageDraw.Draw(img)
    for i in range(10):  # ten "lines" of ink 60 px high, 40 px apart
        d.rectangle([100, 100 + i * 100, 900, 159 + i * 100], fill=0)
    assert ink_line_height(img) == 60
    small, k = prepare(img)
    assert k == pytest.approx(TARGET_INK_PX / 60) and small.size[0] == round(1000 * k)
    same, k = prepare(Image.new("L", (100, 100), 255))  # a blank page is left alone
    assert k == 1.0 and same.size == (100, 100)


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_damaged_page_stream_is_reported_and_other_pages_read(run_cli, tmp_path, engine):
    """Regression: both engines read a damaged Flate content stream as an empty page, and the
    page's text vanished without a word."""
    data = bytearray(open(BULLETIN, "rb").read())
    start = re.search(rb"stream\r?\n", data).end()  # the first stream: page 1's content
    data[start + 20:start + 60] = b"A" * 40
    bad = tmp_path / "damaged.pdf"
    bad.write_bytes(bytes(data))
    r = run_cli(["extract", "--engine", engine, str(bad)])
    assert r.exit_code == 1
    assert r.stderr == f"clt: {bad} page 1: 1 damaged content stream(s): text of this page may be missing\n"
    warn = [x for x in r.records if x["type"] == "warning"]
    assert [(w["page"], w["code"]) for w in warn] == [(1, "page-unreadable")]
    assert lines_of(r.records, 2)[-1]["text"] == "— 42 —"  # page 2 still read whole


@pytest.mark.skipif(not _have_chi_sim() or not os.path.exists(make_samples.ZENHEI),
                    reason="needs tesseract-ocr, tesseract-ocr-chi-sim and fonts-wqy-zenhei")
@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_scan_with_a_typed_page_number_is_still_ocred(tmp_path, engine):
    """Regression: a few real characters over a scanned image made the page look 'text'."""
    path = str(tmp_path / "stamped.pdf")
    make_samples.make_scanned(path, stamp="- 7 -")
    recs = list(extract([path], engine=engine))
    assert next(r for r in recs if r["type"] == "page")["ocr"] is True
    texts = [l["text"] for l in lines_of(recs)]
    assert texts[0].startswith("第一条") and len(texts) >= 3


def test_layout_digits_on_the_cjk_grid_get_no_spaces():
    """Bulletins set each half-width digit in a full-width cell: 1 9 9 2年 on paper is 1992年."""
    chars = []
    x = 10.0
    for ch in "本法自1992年1月1日起施行":
        w = 7.0 if ch.isdigit() else 14.0
        chars.append(Char(ch, x, 100, x + w, 114, 14.0))
        x += 14.3
    assert build_lines(chars, "s", 1)[0]["text"] == "本法自1992年1月1日起施行"
    # proportional Latin text keeps its word spaces
    latin = [Char(ch, 10 + i * 7.5 + (4 if i >= 7 else 0), 100, 17 + i * 7.5 + (4 if i >= 7 else 0), 114, 14.0)
             for i, ch in enumerate("Article1")]
    assert build_lines(latin, "s", 1)[0]["text"] == "Article 1"


def test_layout_soft_blanks_kept_in_gaps_dropped_in_grid_cells():
    def row(spec):
        out, x = [], 10.0
        for ch, w, step in spec:
            soft = ch == "~"
            out.append(Char(" " if soft else ch, x, 100, x + w, 115.5, 15.5, soft=soft))
            x += step
        return out

    cjk = [(ch, 15.5, 15.5) for ch in "第一节"]
    gap = row(cjk + [("~", 4.7, 4.7)] + [(ch, 15.5, 15.5) for ch in "业主的质量"])
    assert build_lines(gap, "s", 1)[0]["text"] == "第一节 业主的质量"
    grid = row([(ch, 15.5, 15.8) for ch in "处以上"] + [("2", 7.75, 7.75), ("~", 8.05, 8.05)]
               + [(ch, 15.5, 15.8) for ch in "万元罚款"])
    assert build_lines(grid, "s", 1)[0]["text"] == "处以上2万元罚款"


def test_records_given_to_extract_pass_through(run_cli):
    first = run_cli(["extract", os.path.join(FX, "law-gb18030.txt")])
    again = run_cli(["extract"], input=first.output)
    assert again.exit_code == 0 and again.records == first.records


def test_old_word_file_without_a_converter_names_the_packages(run_cli, tmp_path, monkeypatch):
    from clt.extract import legacy

    monkeypatch.setattr(legacy, "soffice", lambda: None)
    monkeypatch.setattr(legacy, "antiword", lambda: None)
    doc = tmp_path / "law.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    r = run_cli(["extract", str(doc)])
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1
    assert "libreoffice-writer-nogui or antiword" in r.stderr and "law.doc" in r.stderr


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_damaged_pdfs_never_crash(engine):
    """Truncated and byte-flipped copies of a PDF give records or clt errors, never a traceback."""
    import random

    data = open(BULLETIN, "rb").read()
    rnd = random.Random(7)
    cases = [data[:n] for n in range(200, len(data), 400)]
    for _ in range(25):
        d = bytearray(data)
        for _ in range(rnd.randint(1, 20)):
            d[rnd.randrange(len(d))] = rnd.randrange(256)
        cases.append(bytes(d))
    for c in cases:
        errors = []
        recs = list(extract([io.BytesIO(c)], engine=engine, ocr="never", on_error=errors.append))
        assert all(isinstance(e, ExtractError) or isinstance(e, InputError) for e in errors)
        assert recs or errors


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_diagonal_watermark_kept_out_of_the_text_lines(tmp_path, engine):
    """Regression: a rotated watermark's glyphs were sorted into the body lines."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = str(tmp_path / "wm.pdf")
    c = canvas.Canvas(path, pagesize=(595, 842), invariant=1)
    c.setFont("STSong-Light", 14)
    body = ["第%d条　本条例所称城市大脑，是指由中枢、系统与平台组成。" % (i + 1) for i in range(12)]
    for i, t in enumerate(body):
        c.drawString(72, 760 - i * 20, t)
    c.saveState()
    c.translate(150, 450)
    c.rotate(35)
    c.setFont("STSong-Light", 60)
    c.drawString(0, 0, "内部资料仅供参考")
    c.restoreState()
    c.showPage()
    c.save()
    ls = lines_of(list(extract([path], engine=engine)))
    assert [l["text"] for l in ls[:12]] == body and not any(l.get("rotated") for l in ls[:12])
    assert ls[12]["text"] == "内部资料仅供参考" and ls[12]["rotated"] is True and len(ls) == 13


def _scan_png(tmp_path, name="scan.png"):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(os.path.join(FX, "scanned.pdf"))
    img = pdf[0].render(scale=300 / 72).to_pil()
    path = tmp_path / name
    img.save(str(path), format="PNG", dpi=(300, 300))
    pdf.close()
    return str(path)


@pytest.mark.skipif(not _have_chi_sim(), reason="needs tesseract-ocr and tesseract-ocr-chi-sim")
def test_scanned_image_file_is_ocred(run_cli, tmp_path):
    r = run_cli(["extract", _scan_png(tmp_path)])
    assert r.exit_code == 0
    src, page = r.records[0], r.records[1]
    assert src["format"] == "image" and page["ocr"] is True
    assert page["width"] == pytest.approx(595.28, abs=1) and page["height"] == pytest.approx(300, abs=1)
    ls = lines_of(r.records)
    assert len(ls) == 3 and ls[0]["text"].startswith("第一条") and ls[0]["bbox"][0] == pytest.approx(72, abs=3)


def test_scanned_image_without_tesseract_is_a_clear_error(run_cli, tmp_path, monkeypatch):
    import clt.extract.ocr as ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    path = _scan_png(tmp_path)
    r = run_cli(["extract", "--ocr-engine", "tesseract", path, BULLETIN])
    assert r.exit_code == 1
    assert r.stderr.startswith(f"clt: {path}: a scanned image needs OCR: Tesseract is not installed")
    assert "tesseract-ocr-chi-sim" in r.stderr
    assert lines_of(r.records)[-1]["text"] == "— 42 —"


def test_layout_distributed_title_stays_one_line():
    chars = [_c(ch, 60 + i * 150, size=22) for i, ch in enumerate("公告书")]
    ls = build_lines(chars, "s", 1, page_width=595)
    assert [l["text"] for l in ls] == ["公 告 书"]
    # but a header and a page number far apart at the same height are two lines
    row = [_c("公", 60), _c("报", 70), _c("第", 80), _c("1", 500), _c("2", 505)]
    assert [l["text"] for l in build_lines(row, "s", 1, page_width=595)] == ["公报第", "12"]


def test_html_pre_keeps_its_lines():
    html = "<html><body><pre>第一条　为了规范管理。\n    第二条　本条例适用于本市。\n</pre></body></html>".encode("utf-8")
    texts = [l["text"] for l in lines_of(list(extract([io.BytesIO(html)])))]
    assert texts == ["第一条　为了规范管理。", "    第二条　本条例适用于本市。"]


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_blank_page_is_just_a_page(tmp_path, engine):
    from reportlab.pdfgen import canvas

    path = str(tmp_path / "blank.pdf")
    c = canvas.Canvas(path)
    c.showPage()
    c.save()
    errors = []
    recs = list(extract([path], engine=engine, on_error=errors.append))
    assert [r["type"] for r in recs] == ["source", "page"] and not errors


# --------------------------------------------------------------------------- PDF producers

def _mixed_pdf(path, rows, size=14, scale=1.0, angle=0, page_rotate=0, boxes=None):
    """A page of *rows* drawn glyph by glyph: CJK in STSong-Light, anything else in Helvetica.

    *scale* draws under a scaled graphics state (Skia draws in px under 0.75);
    *angle* turns the content counter-clockwise (on a landscape sheet for 90
    and 270); *page_rotate* sets the page's /Rotate; *boxes* = (media box, crop box).
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from clt.extract.layout import is_cjk

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    w, h = 595, 842
    c = canvas.Canvas(path, pagesize=(h, w) if angle in (90, 270) else (w, h), invariant=1)
    c.translate(*{0: (0, 0), 90: (h, 0), 180: (w, h), 270: (0, w)}[angle])
    c.rotate(angle)
    c.scale(scale, scale)
    for i, row in enumerate(rows):
        x = 72 / scale
        y = (760 - i * 2 * size) / scale
        for ch in row:
            c.setFont("STSong-Light" if is_cjk(ch) else "Helvetica", size / scale)
            c.drawString(x, y, ch)
            x += (size if is_cjk(ch) else size * 0.55) / scale
    c.showPage()
    c.save()
    if page_rotate or boxes:  # reportlab's setPageRotation also swaps the MediaBox: set /Rotate alone
        import pypdfium2 as pdfium

        with open(path, "rb") as fp:
            pdf = pdfium.PdfDocument(fp.read())
        if page_rotate:
            pdf[0].set_rotation(page_rotate)
        if boxes:
            pdf[0].set_mediabox(*boxes[0])
            pdf[0].set_cropbox(*boxes[1])
        pdf.save(path)
        pdf.close()


TURN_ROWS = ["某某省人民代表大会常务委员会公报", "第一条　为了规范管理，制定本条例。", "第二条　本条例适用于本市行政区域。",
             "第三条　本条例自公布之日起施行。"]


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
@pytest.mark.parametrize("angle,page_rotate,turned", [
    (0, 90, 270),   # upright content on a page whose /Rotate shows it on its side
    (90, 0, 90),    # a landscape sheet printed sideways on the page (text runs up)
    (270, 0, 270),  # ... the other way round (text runs down)
    (180, 0, 180),  # upside down
    (90, 90, 0),    # content turned and /Rotate turning it back: upright as displayed
])
def test_sideways_and_upside_down_pages_are_read_turned(tmp_path, engine, angle, page_rotate, turned):
    """Regression: a page whose text all ran sideways came out as 'rotated' runs (pdfminer) or
    one glyph per column (PDFium)."""
    path = str(tmp_path / "turned.pdf")
    _mixed_pdf(path, TURN_ROWS, angle=angle, page_rotate=page_rotate)
    recs = list(extract([path], engine=engine))
    page = next(r for r in recs if r["type"] == "page")
    assert page.get("turned", 0) == turned
    ls = lines_of(recs)
    expected = TURN_ROWS if engine == "pdfminer" else [r.replace("\u3000", " ") for r in TURN_ROWS]
    assert [l["text"] for l in ls] == expected and not any(l.get("rotated") for l in ls)
    # geometry in the page as it reads: lines top to bottom, indented from the left margin
    assert ls[1]["bbox"][0] == pytest.approx(72, abs=1) and ls[1]["bbox"][1] < ls[2]["bbox"][1]
    assert (page["width"], page["height"]) == (595, 842)


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_garbled_tounicode_text_layer_is_reported_with_ocr_never(engine):
    """Regression: a text layer whose ToUnicode map turned CJK glyphs into à ÿ ï (Ghostscript 10.00)
    was taken as good text."""
    recs = list(extract([os.path.join(FX, "garbled.pdf")], engine=engine, ocr="never"))
    ls = lines_of(recs)
    assert len(ls) == 3 and ls[0]["text"].startswith("第À条")  # kept as read: nothing dropped
    codes = [r["code"] for r in recs if r["type"] == "warning"]
    assert codes == ["no-text-layer", "garbled-glyphs"]


@pytest.mark.skipif(not _have_chi_sim(), reason="needs tesseract-ocr and tesseract-ocr-chi-sim")
def test_garbled_tounicode_text_layer_is_ocred():
    recs = list(extract([os.path.join(FX, "garbled.pdf")]))
    assert next(r for r in recs if r["type"] == "page")["ocr"] is True
    ls = lines_of(recs)
    assert len(ls) == 3 and not re.search("[\u00c0-\u00ff]", "".join(l["text"] for l in ls))
    assert ls[0]["text"].startswith("第一条") and "制定本条例" in ls[0]["text"]  # OCR may misread a character


def test_a_few_latin1_signs_in_chinese_text_are_not_garbled():
    from clt.extract.pdf import text_layer_garbled

    row = "温度不低于20°C，面积为3×5平方米，由Société公司承担费用，其余事项另行规定执行。" * 3
    chars = [_c(ch, 10 + k * 5) for k, ch in enumerate(row)]
    assert text_layer_usable(chars) and not text_layer_garbled(chars)
    bad = [_c(ch, 10 + k * 5) for k, ch in enumerate("济南^钢结构建筑à用促进条例ÿ莱芜^第十七届人民ï表大会常á委员会第O十O次会°通过Ā")]
    assert text_layer_garbled(bad) and not text_layer_usable(bad)
    # Latin-script text (the Portuguese of a Macau bulletin, French, Vietnamese) is not garbled
    latin = ("A presente lei entra em vigor no dia seguinte ao da sua publicação. São revogados os artigos "
             "3.º e 4.º, excepção feita às disposições transitórias. L'œuvre à été créée. "
             "Điều 1. Phạm vi điều chỉnh: Luật này quy định về người cao tuổi, quyền và nghĩa vụ.")
    chars = [_c(ch, 10 + k * 5) for k, ch in enumerate(latin)]
    assert text_layer_usable(chars) and not text_layer_garbled(chars)
    # Latin-1 junk with control characters throughout (subset glyph ids read as WinAnsi bytes)
    junk = [_c(ch, 10 + k * 5) for k, ch in enumerate("œœÍ†Ý¯4óæ\x05m $æ8q\x13#ÎnŸPÆ`ô§-W" * 4)]
    assert text_layer_garbled(junk)
    # ... as PDFium reads it: fewer control characters, unmapped glyphs (U+FFFD) among them
    junk = [_c(ch, 10 + k * 5) for k, ch in enumerate("ÁˇŒ©pX\"}¿pÊáUç\ufffdì\ufffdÜ$-WE3113@9‘3:±ÁˇŒ¯Ã\ufffdÜ›" * 4)]
    assert text_layer_garbled(junk) and not text_layer_usable(junk)


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_font_size_includes_the_scale_of_the_graphics_state(tmp_path, engine):
    """Regression: PDFium reported the Tf size (16) of text drawn under a 0.75 matrix (Skia, scaled forms)."""
    path = str(tmp_path / "scaled.pdf")
    rows = ["第一条　本条例所称城市大脑，是指由中枢组成。", "第二条　本市行政区域内适用本规定。"]
    _mixed_pdf(path, rows, size=12, scale=0.75)
    ls = lines_of(list(extract([path], engine=engine)))
    assert [l["size"] for l in ls] == [12.0, 12.0]
    # the blank after each label is one em wide: a space only when measured in the right em
    assert [l["text"] for l in ls] == rows if engine == "pdfminer" else [r.replace("\u3000", " ") for r in rows]


def _ocr_layer_pdf(path, words, size=20):
    """A page with an invisible text layer laid out the way Tesseract/OCRmyPDF write it.

    *words*: rows of ``(x, word)`` or ``(x, word, extent)``.  Each word is drawn
    in render mode 3 with a trailing blank, horizontally stretched (Tz) to reach
    the next word or over *extent* — OCR word boxes overlap, so a glyph can start
    left of the previous word's last one.
    The font's ToUnicode map is one identity range over all codes (PDFium rejects it).
    """
    def hexs(t):
        return "".join("%04X" % ord(ch) for ch in t)

    ops = []
    for i, row in enumerate(words):
        y = 160 - i * 40
        for k, (x, word, *extent) in enumerate(row):
            nxt = x + extent[0] if extent else row[k + 1][0] if k + 1 < len(row) else x + size * (len(word) + 1)
            tz = 100.0 * (nxt - x) / (size * 0.5 * (len(word) + 1))
            ops.append(f"BT 3 Tr 1 0 0 1 {x} {y} Tm /F1 {size} Tf {tz:.2f} Tz [<{hexs(word + ' ')}>] TJ ET")
    content = "\n".join(ops).encode()
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange <0000> <FFFF> <0000> endbfrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 200] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 8 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H "
        b"/DescendantFonts [5 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /DW 500 /CIDToGIDMap /Identity /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000] /ItalicAngle 0 "
        b"/Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with open(path, "wb") as fp:
        fp.write(bytes(out))


OCR_LAYER_WORDS = [
    # "“公司" is stretched over 100–180 ("司" at 140), "法实施" starts at 130: sorted by position
    # the glyphs would read 公法司
    [(60, "第一条"), (100, "“公司", 80), (130, "法实施"), (190, "后，"), (215, "人民法院"), (290, "尚未"),
     (320, "审结")],
    [(60, "的和新受理的民事案件，其民事行为或事件发生在公司法实施以前的。")],
]


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_invisible_ocr_layer_keeps_drawing_order_and_adds_no_cjk_spaces(tmp_path, engine):
    """Regression: a scan's OCR text layer (Tesseract, OCRmyPDF) came out as '第 一 条 “公法 司实施 后' —
    its overlapping word boxes shuffled the glyphs and its word blanks stayed — and PDFium
    could not map its glyphs at all (an identity ToUnicode range it rejects), so it re-OCR'd the page."""
    path = str(tmp_path / "ocrlayer.pdf")
    _ocr_layer_pdf(path, OCR_LAYER_WORDS)
    recs = list(extract([path], engine=engine, ocr="never"))
    assert [l["text"] for l in lines_of(recs)] == ["".join(w[1] for w in row) for row in OCR_LAYER_WORDS]
    assert not [r for r in recs if r["type"] == "warning"]


def test_layout_columns_two_characters_apart_with_offset_baselines():
    """Regression: columns set 2 em apart (CSS column-gap, Word's default spacing) were read as one
    line running across the page, and lines of the two columns chained into one row."""
    left = ["第一条　为推进建筑产业现代化和绿色建筑", "发展，优化钢铁行业供给结构，促进钢结构装配", "式建筑应用，结合本市实际，制定本条例。",
            "第二条　本市行政区域内莱芜区、钢城区各", "类公共、公益性建设、工业厂房及房地产开发项", "目适用本条例。"]
    right = ["第九条　开展创建钢结构建筑试点示范城市", "活动。", "第十条　推进建筑信息模型技术深度应用，",
             "有效整合市场需求、科技创新、产品开发、设计", "服务、材料供应、生产能力和安装计划等大数", "据。"]
    size = 10.5
    chars = [_c(ch, 252 + k * 10, size=10, top=30) for k, ch in enumerate("某某市人民政府公报")]  # centred
    for i, t in enumerate(left):
        x = 63 + (21 if t.startswith("第") else 0)
        chars += [_c(ch, x + k * size, size=size, top=80 + i * 15.75) for k, ch in enumerate(t)]
    for i, t in enumerate(right):
        x = 308.6 + (21 if t.startswith("第") else 0)
        chars += [_c(ch, x + k * size, size=size, top=83 + i * 15.75) for k, ch in enumerate(t)]
    ls = build_lines(chars, "s", 1, page_width=595)
    assert [l["text"] for l in ls] == ["某某市人民政府公报"] + left + right
    assert "column" not in ls[0]
    assert [l["column"] for l in ls[1:]] == [1] * 6 + [2] * 6
    assert ls[1]["column_box"] == [63, 63 + 21 * size] and ls[7]["column_box"][0] == pytest.approx(308.6)


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_geometry_measured_in_the_crop_box(tmp_path, engine):
    """Regression: pdfminer measured a cropped page in its media box (wider page, shifted lines) while
    PDFium gave the crop box's size with media-box coordinates."""
    path = str(tmp_path / "crop.pdf")
    _mixed_pdf(path, TURN_ROWS, boxes=((-50, -40, 645, 882), (10, 20, 585, 822)))
    recs = list(extract([path], engine=engine))
    page = next(r for r in recs if r["type"] == "page")
    assert (page["width"], page["height"]) == (575, 802)
    ls = lines_of(recs)
    assert len(ls) == 4 and ls[1]["bbox"][0] == pytest.approx(72 - 10, abs=0.5)
    # the first row's baseline is at y=760: 822 - 760 = 62 points below the crop box's top
    assert ls[0]["bbox"][3] == pytest.approx(62, abs=4)


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_text_printed_as_outlines_is_not_a_blank_page(engine):
    """Regression: a page whose text was converted to curves (gs -dNoOutputFonts, print shops) gave
    no line and no warning: the whole page vanished silently."""
    recs = list(extract([os.path.join(FX, "outlines.pdf")], engine=engine, ocr="never"))
    assert not lines_of(recs)
    assert [r["code"] for r in recs if r["type"] == "warning"] == ["no-text-layer"]


@pytest.mark.skipif(not _have_chi_sim(), reason="needs tesseract-ocr and tesseract-ocr-chi-sim")
def test_text_printed_as_outlines_is_ocred():
    recs = list(extract([os.path.join(FX, "outlines.pdf")]))
    assert next(r for r in recs if r["type"] == "page")["ocr"] is True
    ls = lines_of(recs)
    assert len(ls) == 3 and ls[0]["text"].startswith("第一条") and "制定本条例" in ls[0]["text"]


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_heading_font_without_unicode_map_reported_with_ocr_never(engine):
    recs = list(extract([os.path.join(FX, "partly-unmapped.pdf")], engine=engine, ocr="never"))
    ls = lines_of(recs)
    assert [l["text"] for l in ls[1:]] == make_samples.SCAN_LINES
    assert "(cid:" in ls[0]["text"] or "\ufffd" in ls[0]["text"]
    assert [r["code"] for r in recs if r["type"] == "warning"] == ["unmapped-glyphs"]


@pytest.mark.skipif(not _have_chi_sim(), reason="needs tesseract-ocr and tesseract-ocr-chi-sim")
@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_heading_font_without_unicode_map_is_read_by_ocr_and_the_body_kept(engine):
    """Regression: a heading set in a font without ToUnicode stayed (cid:1)(cid:2)... when the rest of
    the page was too good to OCR it whole."""
    recs = list(extract([os.path.join(FX, "partly-unmapped.pdf")], engine=engine))
    assert not next(r for r in recs if r["type"] == "page").get("ocr")
    ls = lines_of(recs)
    assert squeeze(ls[0]["text"]) == "第一章总则" and ls[0]["ocr"] is True
    assert "(cid:" in ls[0]["layer_text"] or "\ufffd" in ls[0]["layer_text"]
    assert [l["text"] for l in ls[1:]] == make_samples.SCAN_LINES  # the text layer, not OCR
    assert not any(l.get("ocr") for l in ls[1:])
    assert [r["code"] for r in recs if r["type"] == "warning"] == ["lines-ocred"]


# --------------------------------------------------------------------------- OCR engines

def _have_rapidocr():
    from clt.extract.ocr import rapidocr_importable

    return rapidocr_importable()


def test_no_ocr_engine_at_all_names_both_ways_to_install(run_cli, monkeypatch):
    import clt.extract.ocr as ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    monkeypatch.setattr(ocr, "rapidocr_importable", lambda: False)
    r = run_cli(["extract", os.path.join(FX, "scanned.pdf"), BULLETIN])
    assert r.exit_code == 0
    warn = next(x for x in r.records if x["type"] == "warning")
    assert warn["code"] == "ocr-unavailable"
    assert "clt[ocr]" in warn["message"] and "tesseract-ocr-chi-sim" in warn["message"]
    assert len([l for l in r.stderr.splitlines() if "not OCR'd" in l]) == 1


def test_rapidocr_asked_for_but_missing_is_reported(run_cli, monkeypatch, tmp_path):
    import clt.extract.ocr as ocr

    monkeypatch.setattr(ocr, "rapidocr_importable", lambda: False)
    path = _scan_png(tmp_path)
    r = run_cli(["extract", "--ocr-engine", "rapidocr", path])
    assert r.exit_code == 1
    assert r.stderr == (f"clt: {path}: a scanned image needs OCR: "
                        "the PP-OCR engine is not installed (pip install 'clt[ocr]')\n")


def test_auto_engine_prefers_rapidocr_for_chinese(monkeypatch):
    import clt.extract.ocr as ocr

    monkeypatch.setattr(ocr, "rapidocr_importable", lambda: True)
    assert ocr.resolve_engine("auto", "chi_sim") == "rapidocr"
    assert ocr.resolve_engine("rapidocr", "chi_sim") == "rapidocr"
    with pytest.raises(UsageError):
        ocr.resolve_engine("cnocr", "chi_sim")


class _FakeRapid:
    """What rapidocr returns for a page: line quadrilaterals, texts, scores, per-character boxes."""

    def __init__(self, lines):
        import numpy as np

        self.boxes = np.array([q for q, _, _ in lines], dtype=float)
        self.txts = tuple(t for _, t, _ in lines)
        self.scores = tuple(0.99 for _ in lines)
        self.word_results = tuple(w for _, _, w in lines)


def _fake_line(x0, y0, text, pitch=50, h=60, skew=0.0):
    """A rapidocr line at (x0, y0) px, *skew* px drop per px to the right; spaces take a cell."""
    chars = []
    x = x0
    for ch in text:
        if ch != " ":
            dy = (x - x0) * skew
            chars.append((ch, 0.98, [[x, y0 + dy], [x + pitch, y0 + dy], [x + pitch, y0 + h + dy], [x, y0 + h + dy]]))
        x += pitch
    w = x - x0
    quad = [[x0, y0], [x0 + w, y0 + w * skew], [x0 + w, y0 + h + w * skew], [x0, y0 + h]]
    return quad, text, tuple(chars)


def test_rapidocr_lines_carry_char_boxes_indent_and_size():
    from clt.extract.ocr import rapid_chars

    out = _FakeRapid([_fake_line(400, 300, "第一条 为了规范管理，制定本条例。这是一行很长的文字"),
                      _fake_line(300, 400, "继续的文字写到这里为止共有二十多个字的一行文字啊"),
                      _fake_line(300, 500, "结束。")])
    ls = build_lines(rapid_chars(out, 300), "s", 1, page_width=595, ocr=True, char_boxes=True)
    assert [l["text"] for l in ls] == ["第一条 为了规范管理，制定本条例。这是一行很长的文字",
                                       "继续的文字写到这里为止共有二十多个字的一行文字啊", "结束。"]
    # 50 px at 300 dpi = 12 pt: the character pitch is the type size, not the padded box height
    assert ls[0]["size"] == pytest.approx(12, abs=0.2) and ls[2]["size"] == pytest.approx(12, abs=0.2)
    assert ls[0]["bbox"][0] == pytest.approx(96, abs=0.5) and ls[1]["bbox"][0] == pytest.approx(72, abs=0.5)
    assert len(ls[0]["char_boxes"]) == len(ls[0]["text"]) and ls[0]["char_boxes"][0] == [96.0, 108.0]
    assert ls[0]["conf"] == pytest.approx(98)


def test_rapidocr_skewed_page_is_levelled():
    """An office scan a degree off: the lines stay whole and their left edges line up again."""
    from clt.extract.ocr import rapid_chars

    skew = 0.0175  # about 1 degree
    long = "国务院对外贸易经济合作主管部门负责对全国的国际货物运输代理业实施监督"
    lines = [_fake_line(300 - (100 + 100 * i) * skew, 100 + 100 * i + 300 * skew, long, skew=skew)
             for i in range(8)]
    ls = build_lines(rapid_chars(_FakeRapid(lines), 300), "s", 1, page_width=595, ocr=True)
    assert [l["text"] for l in ls] == [long] * 8
    x0s = [l["bbox"][0] for l in ls]
    assert max(x0s) - min(x0s) < 1.0


@pytest.mark.skipif(not _have_rapidocr(), reason="needs the clt[ocr] extra (rapidocr, onnxruntime)")
def test_scanned_page_is_read_by_rapidocr_without_network(monkeypatch):
    import socket

    def no_network(*a, **k):
        raise AssertionError("rapidocr tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    recs = list(extract([os.path.join(FX, "scanned.pdf")], ocr_engine="rapidocr"))
    ls = lines_of(recs)
    assert len(ls) == 3 and all(l["ocr"] is True and l["ocr_engine"] == "rapidocr" for l in ls)
    for l, want in zip(ls, make_samples.SCAN_LINES):
        assert squeeze(l["text"]) == squeeze(want)
        assert l["bbox"][0] == pytest.approx(72, abs=3)
        assert len(l["char_boxes"]) == len(l["text"])


@pytest.mark.skipif(not _have_chi_sim(), reason="needs tesseract-ocr and tesseract-ocr-chi-sim")
def test_scanned_page_is_read_by_tesseract_when_asked():
    recs = list(extract([os.path.join(FX, "scanned.pdf")], ocr_engine="tesseract"))
    ls = lines_of(recs)
    assert len(ls) == 3 and all(l["ocr_engine"] == "tesseract" and "char_boxes" not in l for l in ls)
    assert ls[0]["text"].startswith("第一条")


def _cut_line_end(out, i, n):
    """*out* with line *i*'s last *n* characters left outside its box (what the detector does to a lone 。)."""
    import numpy as np

    words = list(out.word_results)
    word = words[i][:-n]
    end = max(p[0] for p in word[-1][2])
    quad = np.array(out.boxes[i], dtype=float)
    quad[1][0] = quad[2][0] = end
    boxes = np.array(out.boxes, dtype=float)
    boxes[i] = quad
    txts = list(out.txts)
    txts[i] = txts[i][:-n]
    words[i] = word
    fake = _FakeRapid([(b, t, w) for b, t, w in zip(boxes.tolist(), txts, words)])
    return fake


@pytest.mark.skipif(not _have_rapidocr(), reason="needs the clt[ocr] extra (rapidocr, onnxruntime)")
def test_rapidocr_line_end_mark_left_outside_the_box_is_found_by_a_second_reading():
    import numpy as np

    from clt.extract import ocr

    img = ocr.render_page(os.path.join(FX, "scanned.pdf"), 1)
    eng = ocr.rapid_engine()
    out = eng(np.asarray(img.convert("RGB")), use_det=True, use_cls=False, use_rec=True, return_word_box=True)
    assert out.txts[0] == "第一条 为了规范管理，制定本条例。"
    # the 。 outside the box: the ink after 例 is read again and the mark is the evidence
    marks = ocr.line_end_marks(img, _cut_line_end(out, 0, 1), eng)
    assert list(marks) == [0] and marks[0][0] == "。" and marks[0][1] >= 0.9
    x0, y0, x1, y1 = marks[0][2]
    assert 1350 <= x0 and x1 <= 1400 and 239 <= y0 < y1 <= 340  # the ring's own pixels
    # a character left outside is no mark: nothing (the words are never completed)
    assert ocr.line_end_marks(img, _cut_line_end(out, 0, 2), eng) == {}
    # the engine keeps detecting after the second reading
    again = eng(np.asarray(img.convert("RGB")), use_cls=False, return_word_box=True)
    assert len(again.txts) == 3


def test_end_mark_evidence_goes_to_the_line_it_follows():
    from clt.extract.ocr import attach_end_marks

    lines = [{"text": "有稳定的进出口货源市场", "bbox": [103.0, 484.5, 311.3, 507.0], "size": 15.1},
             {"text": "第八条　下一条。", "bbox": [118.0, 512.0, 400.0, 535.0], "size": 15.1}]
    attach_end_marks(lines, [{"text": "。", "conf": 99.8, "x0": 317.3, "x1": 334.6, "y": 500.0},
                             {"text": "。", "conf": 99.0, "x0": 500.0, "x1": 510.0, "y": 520.0}])
    assert lines[0]["end_mark"] == {"text": "。", "conf": 99.8, "box": [317.3, 334.6]}
    assert "end_mark" not in lines[1]  # too far from the line's end, and it has its 。


def _page_of_lines(h=3508, w=2480, pitch=117, ink=66, skew=0.0, speckle=0):
    """A grey page (numpy) of dark text bands *pitch* px apart, *ink* px high; *skew* px drop per px."""
    import numpy as np

    rng = np.random.default_rng(1)
    g = np.full((h, w), 235, dtype=np.uint8)
    for top in range(300, h - 300, pitch):
        for x in range(300, w - 300, 40):  # characters 32 px wide, strokes 8 px
            y = int(top + (x - 300) * skew)
            for dy in range(0, ink, 16):
                g[y + dy:y + dy + 8, x:x + 32] = 30
            g[y:y + ink, x + 12:x + 20] = 30
    if speckle:
        ys, xs = rng.integers(0, h, speckle), rng.integers(0, w, speckle)
        g[ys, xs] = 40
    return g


def test_page_is_cut_for_the_detector_only_through_blank_rows():
    from clt.extract.ocr import blank_cuts

    g = _page_of_lines(speckle=3000)  # a scan's speckle does not hide the gaps
    cuts = blank_cuts(g, 3)
    assert len(cuts) == 2 and 1000 < cuts[0] < 1400 and 2200 < cuts[1] < 2600
    for y in cuts:  # never through a line: the cut row and its neighbours are paper
        assert (g[y - 5:y + 6] < 100).sum() <= 3000 * 11 / 3508 * 2 + 20
    # a page askew so that no row between its lines is blank: read whole
    assert blank_cuts(_page_of_lines(skew=0.03), 3) == []
    # the gap inside 二 (a thin stroke above and below) is no place to cut
    g = _page_of_lines(h=1400)
    g[600:1400] = 235
    g[700:708, 300:340] = 30  # 二 alone on a line: two strokes, 40 px of paper between
    g[748:756, 296:344] = 30
    assert all(not 700 <= y <= 756 for y in blank_cuts(g, 3))


class _BandEngine:
    """Stands for rapidocr: records the bands it is given, finds one line in each."""

    def __init__(self):
        self.max_side_len = 2000
        self.bands = []
        self.det = type("Det", (), {"limit_side_len": 736})()

    def _load_det_model(self):
        return self.det

    def __call__(self, arr, **kw):
        self.bands.append((arr.shape[0], self.max_side_len, self.det.limit_side_len))
        quad = [[300, 10], [900, 10], [900, 76], [300, 76]]
        return _FakeRapid([(quad, "第一条", (("第", 0.9, quad),))])


def test_bands_are_detected_at_the_whole_page_scale_and_put_back_in_place():
    from clt.extract.ocr import rapid_page

    g = _page_of_lines()
    import numpy as np

    arr = np.stack([g] * 3, axis=2)
    eng = _BandEngine()
    out = rapid_page(eng, arr)
    assert len(eng.bands) == 3 and sum(b[0] for b in eng.bands) == 3508
    # scaled as the page would be (2000 / 3508 of the width), never up; settings put back
    assert {b[1] for b in eng.bands} == {round(2480 * 2000 / 3508)} and {b[2] for b in eng.bands} == {32}
    assert (eng.max_side_len, eng.det.limit_side_len) == (2000, 736)
    tops = [q[0][1] for q in out.boxes.tolist()]
    assert tops[0] == 10 and tops[1] == 10 + eng.bands[0][0] and tops[2] == 10 + eng.bands[0][0] + eng.bands[1][0]
    assert out.word_results[1][0][2][0][1] == tops[1]
