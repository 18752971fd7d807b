"""Old typeset PDFs and text layers that lie.

Fixtures (tests/fixtures/extract/, built by scripts/make_samples.py):

- old-typeset.pdf — written object by object as 北大方正/S22PDF-era writers did: a
  Type0 font with the predefined GBK-EUC-H CMap over a non-embedded Adobe-GB1
  CIDFont (宋体) and no ToUnicode, a heading font Identity-H over Adobe-GB1 CIDs, also
  without ToUnicode, a simple TrueType font named 宋体 in GBK whose strings are GBK; full-width digits; the 《 》 of a citation drawn as small images;
  a B5 page (516 x 728 pt).
- lying-ideographs.pdf — the page prints the law, the text layer maps each CJK glyph to
  another real ideograph.
- lying-digits.pdf — the digits of the text layer map to ASCII punctuation
  (（2019年 reads （#!"*年).
"""

import os
import shutil

import pytest

from clt.extract import extract
from clt.extract.pdf import _lying_digits, implausible_ideographs, text_layer_lies
from clt.extract.layout import Char
from clt.normalize import normalize
from clt.split import split

HERE = os.path.dirname(os.path.abspath(__file__))
FX = os.path.join(HERE, "fixtures", "extract")


def _lines(recs):
    return [r for r in recs if r["type"] == "line"]


def _warnings(recs, code):
    return [r for r in recs if r["type"] == "warning" and r.get("code") == code]


def _have_ocr():
    from clt.extract.ocr import _installed_langs, rapidocr_importable

    if rapidocr_importable():
        return True
    t = shutil.which("tesseract")
    return bool(t) and "chi_sim" in _installed_langs(t)


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_old_typeset_gbk_fonts_without_tounicode_read_through_adobe_gb1(engine):
    recs = list(extract([os.path.join(FX, "old-typeset.pdf")], engine=engine, ocr="never"))
    page = next(r for r in recs if r["type"] == "page")
    assert (page["width"], page["height"]) == (516.0, 728.0)
    texts = [l["text"] for l in _lines(recs)]
    assert texts[0] == "示例城市供水条例"                       # Identity-H over Adobe-GB1 CIDs
    assert texts[1] == "（２０１９年６月２８日示例市第十五届人民代表大会常务委员会第二十次会议通过）"  # GBK-EUC-H
    assert texts[4] == "第二条　本条例自２０２０年１月１日起施行。"   # a simple TrueType font named 宋体 in GBK
    assert _lines(recs)[4]["font"] == "宋体"
    assert not any("(cid:" in t or "\ufffd" in t for t in texts)


def test_simple_gbk_font_rule_is_pdfiums():
    """Only a TrueType font named after a Chinese system font in GBK, not embedded and
    without a ToUnicode map, is read as GBK (what PDFium and Acrobat do)."""
    from pdfminer.psparser import LIT

    from clt.extract.pdf_miner import _gbk_simple_font

    name = LIT("宋体".encode("gbk").decode("latin-1"))
    assert _gbk_simple_font({"Subtype": LIT("TrueType"), "BaseFont": name})["Encoding"] == LIT("GBK-EUC-H")
    assert _gbk_simple_font({"Subtype": LIT("TrueType"), "BaseFont": LIT("SimSun")}) is None
    assert _gbk_simple_font({"Subtype": LIT("Type1"), "BaseFont": name}) is None
    assert _gbk_simple_font({"Subtype": LIT("TrueType"), "BaseFont": name, "ToUnicode": LIT("x")}) is None
    assert _gbk_simple_font({"Subtype": LIT("TrueType"), "BaseFont": name,
                             "FontDescriptor": {"FontFile2": object()}}) is None


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_brackets_drawn_as_images_are_a_warning_not_invented(engine):
    recs = list(extract([os.path.join(FX, "old-typeset.pdf")], engine=engine, ocr="never"))
    line = _lines(recs)[3]
    assert "《" not in line["text"] and "》" not in line["text"]     # nothing put in their place
    assert len(line["image_glyphs"]) == 2
    warns = _warnings(recs, "glyph-image")
    assert [w["line"] for w in warns] == [4, 4]
    assert all("likely a 《 or 》 of a citation" in w["message"] for w in warns)
    assert line["text"][warns[0]["at"]:].lstrip().startswith("中华人民共和国水法")


def test_old_typeset_pdf_end_to_end_full_width_digits_normalized_with_edits():
    recs = list(normalize(extract([os.path.join(FX, "old-typeset.pdf")], ocr="never")))
    cap = next(r for r in recs if r["type"] == "para" and r["text"].startswith("（"))
    assert cap["text"] == "（2019年6月28日示例市第十五届人民代表大会常务委员会第二十次会议通过）"
    assert {e["rule"] for e in cap["edits"]} == {"fullwidth-alnum"}
    law = list(split(recs))
    doc = next(r for r in law if r["type"] == "document")
    assert doc["title"] == "示例城市供水条例" and doc["history"][0]["date"] == "2019-06-28"
    arts = [r for r in law if r["type"] == "article"]
    assert [a["text"] for a in arts] == ["为了保障城市供水，依照中华人民共和国水法，制定本条例。",
                                         "本条例自2020年1月1日起施行。"]
    assert [h["title"] for h in law if h["type"] == "heading"] == ["总则"]
    assert len(_warnings(law, "glyph-image")) == 2   # the warnings travel through normalize and split


def test_lying_ideographs_detected_and_reported_without_ocr():
    recs = list(extract([os.path.join(FX, "lying-ideographs.pdf")], ocr="never"))
    w = _warnings(recs, "text-layer-implausible")
    assert len(w) == 1 and "neither GB2312 nor Big5" in w[0]["message"]
    assert _warnings(recs, "no-text-layer")


@pytest.mark.skipif(not _have_ocr(), reason="needs an OCR engine (clt[ocr] or tesseract-ocr-chi-sim)")
def test_lying_ideographs_page_falls_back_to_ocr():
    recs = list(extract([os.path.join(FX, "lying-ideographs.pdf")]))
    assert next(r for r in recs if r["type"] == "page").get("ocr") is True
    texts = [l["text"] for l in _lines(recs)]
    assert texts[0] == "示例城市供水条例"
    assert any("供水企业应当保证水质符合国家标准" in t for t in texts)
    assert _warnings(recs, "text-layer-implausible")


def test_lying_digits_detected_without_ocr():
    recs = list(extract([os.path.join(FX, "lying-digits.pdf")], ocr="never"))
    texts = [l["text"] for l in _lines(recs)]
    assert texts[1].startswith("（#!\"*年'月#)日")
    w = _warnings(recs, "digits-unmapped")
    assert len(w) == 1 and w[0]["message"].startswith("2 line(s)")


@pytest.mark.skipif(not _have_ocr(), reason="needs an OCR engine (clt[ocr] or tesseract-ocr-chi-sim)")
def test_lying_digits_lines_are_reread_by_ocr():
    recs = list(extract([os.path.join(FX, "lying-digits.pdf")]))
    ls = _lines(recs)
    assert [l.get("ocr", False) for l in ls] == [False, True, False, False, True]
    assert "2019年6月28日" in ls[1]["text"] and ls[1]["layer_text"].startswith("（#!")
    assert "2020年1月1日" in ls[4]["text"]
    assert ls[2]["text"] == "第一条　为了保障城市供水，制定本条例。"   # the rest keeps its text layer
    assert _warnings(recs, "lines-ocred") and not _warnings(recs, "digits-unmapped")


def _chars(text):
    return [Char(ch, 10 * i, 0, 10 * i + 10, 10, 10, "F", False, True) for i, ch in enumerate(text)]


def test_implausible_ideographs_heuristic():
    law = "第一条　为了规范城市供水、节约用水，保障城市生活、生产用水，根据有关法律法规，结合本市实际，制定本条例。" * 2
    assert not text_layer_lies(_chars(law))
    trad = "第一條　為了規範城市供水、節約用水，保障城市生活、生產用水，根據有關法律法規，結合本市實際，制定本條例。" * 2
    assert not text_layer_lies(_chars(trad))                     # traditional script: Big5
    wrong = "".join(chr(0x4E00 + (ord(c) * 7919) % 0x51A6) if "\u4e00" <= c <= "\u9fa5" else c for c in law)
    assert text_layer_lies(_chars(wrong))
    gbk_as_ucs2 = "".join(chr(int.from_bytes(c.encode("gbk"), "big")) if "\u4e00" <= c <= "\u9fa5" else c
                          for c in law)                          # 中 D6D0 read as U+D6D0 (a Hangul syllable)
    assert text_layer_lies(_chars(gbk_as_ucs2))
    assert implausible_ideographs(_chars("示例"))[1] == 2 and not text_layer_lies(_chars("丒丛丠"))  # too few to judge


def test_lying_digits_heuristic():
    assert _lying_digits('（!"#$%年 &月')
    assert _lying_digits("第#条　本条例自公布之日起施行。")
    for ok in ("（1985年4月", "申请日期：____年__月__日", "（2019）年", "第1-3条", "第十条", "自公布之日起施行"):
        assert not _lying_digits(ok), ok
