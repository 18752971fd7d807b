"""The layout's per-glyph loops in the optional compiled accelerator (clt/extract/_pdfium_glyphs.c)
against their Python versions: the same rows, pieces, texts, pitches and duplicates, on the
glyphs of every fixture PDF (both engines) and on made-up glyphs at the edges of the rules."""

import copy
import glob
import os
import random

import pytest

from clt.extract import extract, layout
from clt.extract.layout import Char

from conftest import FIXTURES, ROOT

C = layout._C
accel = pytest.mark.skipif(C is None, reason="the optional accelerator is not built (no C compiler at install time)")

PDFS = sorted(glob.glob(os.path.join(FIXTURES, "extract", "*.pdf"))) + [os.path.join(ROOT, "samples", "bulletin.pdf")]


def _password(path):
    return "secret" if os.path.basename(path) == "encrypted.pdf" else None


def _slots(c):
    return tuple((type(getattr(c, s)).__name__, repr(getattr(c, s))) for s in Char.__slots__)


def _pages(path, engine):
    if engine == "pdfium":
        from clt.extract.pdf_pdfium import PdfiumDocument as Doc
    else:
        from clt.extract.pdf_miner import MinerDocument as Doc
    doc = Doc(path, path, _password(path))
    try:
        for p in range(1, doc.npages + 1):
            yield doc.page(p)[2]
    finally:
        doc.close()


def _same_on(chars):
    """The C loops and the Python ones agree on *chars* (each loop on what the one before gave)."""
    a, b = copy.deepcopy(chars), copy.deepcopy(chars)
    got = C.drop_duplicates(a, layout.DUPLICATE_EM)
    assert got is not None
    fast, nfast = got
    slow, nslow = layout._drop_duplicates(b)
    assert nfast == nslow
    assert [_slots(c) for c in fast] == [_slots(c) for c in slow]
    assert [_slots(c) for c in a] == [_slots(c) for c in b]  # the same glyphs marked bold
    fast = [c for c in fast if c.upright]
    rows_c = C.rows(fast)
    rows_py = layout._rows_py(fast)
    assert rows_c is not None
    assert [[id(c) for c in r] for r in rows_c] == [[id(c) for c in r] for r in rows_py]
    for row in rows_py:
        pieces_py = layout._pieces_py(list(row))
        got = C.pieces(list(row), layout.SPLIT_GAP)
        if all(c.hidden for c in row):
            assert got is None  # an OCR layer's drawing order: left to Python
            got = pieces_py
        assert [[id(c) for c in p] for p in got] == [[id(c) for c in p] for p in pieces_py]
        for piece in pieces_py:
            pitch = layout._pitch_py(piece)
            assert repr(C.pitch(piece)) == repr(pitch)
            text, p = C.text(piece, layout.CJK_GAP, layout.WORD_GAP)
            assert (text, repr(p)) == (layout._text(piece, pitch), repr(pitch))


@accel
@pytest.mark.parametrize("engine", ["pdfium", "pdfminer"])
@pytest.mark.parametrize("path", PDFS, ids=os.path.basename)
def test_layout_loops_the_same_in_c_on_fixture_glyphs(path, engine):
    for chars in _pages(path, engine):
        _same_on(chars)


def _made_up(rng, n):
    texts = ["中", "国", "法", "第", "条", " ", "\u3000", "", "A", "1", "9", "·", "（", "(cid:12)", "ab", " \u3000",
             "\u00a0", "—", "\U00020000"]
    out = []
    x = rng.choice([0.0, 10.0, -5.0])
    top = rng.choice([0.0, 100.0])
    for _ in range(n):
        size = rng.choice([10.5, 12.0, 0.5, 1.0, 16, 0.0])
        w = rng.choice([size, size / 2, 0.0, 3.0])
        x += rng.choice([0.0, w, w + 0.1, w * 1.26, 2 * w, 40.0, -3.0, 0.1])
        if rng.random() < 0.15:
            top += rng.choice([size, size / 3, -size / 2, 0.05, 30.0])
        h = rng.choice([size, size * 1.6, 0.0, 0.05, 2])
        text = rng.choice(texts)
        # soft: a blank PDFium reported (see pdf_pdfium._blank_between), never a printed glyph
        c = Char(text, x, top, x + w, top + h, size, rng.choice(["SimSun", "SimHei", ""]),
                 rng.random() < 0.2, True, text == " " and rng.random() < 0.5)
        c.hidden = rng.random() < 0.1
        out.append(c)
        if rng.random() < 0.1:  # a glyph drawn twice (fake bold), a hair off
            d = Char(c.text, c.x0 + rng.choice([0.0, 0.01, 1.0]), c.top, c.x1, c.bottom, c.size, c.font)
            out.append(d)
    return out


@accel
@pytest.mark.parametrize("seed", range(60))
def test_layout_loops_the_same_in_c_on_made_up_glyphs(seed):
    rng = random.Random(seed)
    _same_on(_made_up(rng, rng.choice([0, 1, 2, 5, 30, 200])))


@accel
def test_layout_loops_leave_unusual_glyphs_to_python():
    odd = [Char("中", 1.0, 2.0, 3.0, 4.0, 10.0), Char("国", float("nan"), 2.0, 3.0, 4.0, 10.0)]
    assert C.rows(odd) is None
    assert C.drop_duplicates(odd, layout.DUPLICATE_EM) is None
    assert C.pitch(odd) is False
    assert C.text(odd, layout.CJK_GAP, layout.WORD_GAP) is None
    assert C.pieces(odd, layout.SPLIT_GAP) is None
    assert C.rows([Char("中", 1.0, 2.0, 3.0, 4.0, 10.0), "中"]) is None
    big = [Char("中", 2 ** 60, 2.0, 3.0, 4.0, 10.0)]
    assert C.rows(big) is None
    # and the module's functions then give what the Python versions give
    assert layout._rows(odd) == layout._rows_py(odd)


def test_layout_records_the_same_without_the_accelerator(monkeypatch):
    path = os.path.join(FIXTURES, "extract", "twocol.pdf")
    kw = dict(engine="pdfium", ocr="never", max_page_seconds=0, max_page_mb=0)
    fast = list(extract([path], **kw))
    monkeypatch.setattr(layout, "_C", None)
    slow = list(extract([path], **kw))
    assert fast == slow
    assert sum(1 for r in fast if r["type"] == "line") > 10


def _lines_both_ways(chars, monkeypatch, **kw):
    a, b = copy.deepcopy(chars), copy.deepcopy(chars)
    fast = layout.build_lines(a, "x", 1, **kw)
    with monkeypatch.context() as m:
        m.setattr(layout, "_C", None)
        slow = layout.build_lines(b, "x", 1, **kw)
    return fast, slow


@accel
@pytest.mark.parametrize("engine", ["pdfium", "pdfminer"])
@pytest.mark.parametrize("path", PDFS, ids=os.path.basename)
def test_build_lines_the_same_with_the_c_loops(path, engine, monkeypatch):
    for chars in _pages(path, engine):
        fast, slow = _lines_both_ways(chars, monkeypatch, page_width=595.0)
        assert fast == slow
        assert repr(fast) == repr(slow)  # 12 is not 12.0


@accel
@pytest.mark.parametrize("seed", range(80))
def test_build_lines_the_same_with_the_c_loops_on_made_up_glyphs(seed, monkeypatch):
    rng = random.Random(1000 + seed)
    chars = _made_up(rng, rng.choice([1, 3, 40, 300]))
    if rng.random() < 0.3:  # a second column
        chars += _made_up(rng, 100)
        for c in chars[-100:]:
            c.x0 += 300
            c.x1 += 300
    if rng.random() < 0.2:
        chars[0].upright = False
        chars[0].angle = 45.0
    fast, slow = _lines_both_ways(chars, monkeypatch, page_width=rng.choice([595.0, 0, 300]),
                                  ocr=rng.random() < 0.2, char_boxes=rng.random() < 0.5)
    assert repr(fast) == repr(slow)
