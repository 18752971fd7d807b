"""The optional compiled glyph reader of the PDFium engine (clt/extract/_pdfium_glyphs.c)
against the pure-Python one: the same glyphs, the same records, through the library and the CLI."""

import glob
import json
import os
import subprocess
import sys

import pytest

from clt.extract import extract, pdf_pdfium

from conftest import FIXTURES, ROOT

accel = pytest.mark.skipif(pdf_pdfium._accel is None,
                           reason="the optional accelerator is not built (no C compiler at install time)")

PDFS = sorted(glob.glob(os.path.join(FIXTURES, "extract", "*.pdf"))) + [
    os.path.join(FIXTURES, "fuzz", "pdfium-non-bmp-character.pdf"),
    os.path.join(FIXTURES, "fuzz", "pdfium-tounicode-lone-surrogate.pdf"),
    os.path.join(ROOT, "samples", "bulletin.pdf"),
]


def _password(path):
    return "secret" if os.path.basename(path) == "encrypted.pdf" else None


def _records(path, reader, monkeypatch, **kw):
    monkeypatch.setattr(pdf_pdfium, "read_glyphs", reader)
    return list(extract([path], engine="pdfium", ocr="never", max_page_seconds=0, max_page_mb=0,
                        password=_password(path), **kw))


def _first_glyphs(glyphs):
    """The reader's output as plain lists; an object's facts only at its first glyph
    (the pure-Python reader reads them there alone)."""
    text, x0, x1, top, bottom, obj, gap, size, mok, c, d, angle, font, mode = glyphs
    seen, facts = set(), []
    for k, o in enumerate(obj):
        if o and o in seen:
            continue
        seen.add(o)
        f = [size[k], bool(mok[k]), angle[k]]
        if mok[k]:
            f += [c[k], d[k]]
        if o:
            f += [font[k] or 0, mode[k]]
        facts.append((k, f))
    return (list(text), list(x0), list(x1), list(top), list(bottom), [o or 0 for o in obj],
            [bool(g) for g in gap], facts)


@accel
@pytest.mark.parametrize("path", PDFS, ids=os.path.basename)
def test_accelerator_reads_what_python_reads(path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path, password=_password(path))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            n = pdfium.raw.FPDFText_CountChars(tp.raw)
            assert _first_glyphs(pdf_pdfium._read_glyphs_c(tp.raw, n)) == \
                _first_glyphs(pdf_pdfium._read_glyphs_py(tp.raw, n))
            tp.close()
            page.close()
    finally:
        pdf.close()


@accel
@pytest.mark.parametrize("path", PDFS, ids=os.path.basename)
def test_accelerator_gives_the_same_records(path, monkeypatch):
    fast = _records(path, pdf_pdfium._read_glyphs_c, monkeypatch)
    slow = _records(path, pdf_pdfium._read_glyphs_py, monkeypatch)
    assert fast == slow
    assert any(r["type"] == "line" for r in fast) or "scanned" in path or "outlines" in path


@pytest.mark.parametrize("reader", ["_read_glyphs_c", "_read_glyphs_py"])
def test_both_readers_join_a_character_beyond_the_bmp(reader, monkeypatch):
    if reader == "_read_glyphs_c" and pdf_pdfium._accel is None:
        pytest.skip("the optional accelerator is not built")
    recs = _records(os.path.join(FIXTURES, "fuzz", "pdfium-non-bmp-character.pdf"),
                    getattr(pdf_pdfium, reader), monkeypatch)
    assert [r["text"] for r in recs if r["type"] == "line"] == ["\U00020000中\U0002A6D6国"] * 2


@pytest.mark.parametrize("reader", ["_read_glyphs_c", "_read_glyphs_py"])
def test_both_readers_give_the_bulletin_its_first_article(reader, monkeypatch):
    if reader == "_read_glyphs_c" and pdf_pdfium._accel is None:
        pytest.skip("the optional accelerator is not built")
    recs = _records(os.path.join(FIXTURES, "extract", "bulletin.pdf"), getattr(pdf_pdfium, reader), monkeypatch,
                    pages="1")
    texts = [r["text"] for r in recs if r["type"] == "line"]
    assert any(t.startswith("第一条") for t in texts), texts


def _cli(args, **env):
    e = dict(os.environ, NO_COLOR="1", **env)
    p = subprocess.run([sys.executable, "-m", "clt"] + args, capture_output=True, env=e, timeout=300)
    return p.returncode, p.stdout, p.stderr


@accel
def test_cli_with_and_without_the_accelerator(tmp_path):
    pdf = os.path.join(ROOT, "samples", "bulletin.pdf")
    on = _cli(["extract", "--engine", "pdfium", "--ocr", "never", pdf])
    off = _cli(["extract", "--engine", "pdfium", "--ocr", "never", pdf], CLT_PDFIUM_ACCEL="0")
    assert on[0] == 0, on[2]
    assert on == off
    lines = [json.loads(l) for l in on[1].splitlines()]
    assert sum(1 for r in lines if r["type"] == "line") > 20


def test_the_accelerator_can_be_switched_off():
    code = "import clt.extract.pdf_pdfium as m; print(m.ACCELERATOR)"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=dict(os.environ, CLT_PDFIUM_ACCEL="0"), timeout=60)
    assert p.stdout.strip() == "python", p.stderr


@pytest.mark.parametrize("name", ["old-typeset.pdf", "scanned.pdf", "bulletin.pdf"])
def test_image_bounds_the_same_three_ways(name, monkeypatch):
    # the accelerator's walk, the ctypes walk, and pypdfium2's own objects (the reference)
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(os.path.join(FIXTURES, "extract", name))
    try:
        page = pdf[0]
        kind = pdfium.raw.FPDF_PAGEOBJ_IMAGE
        ref = [o.get_bounds() for o in page.get_objects(filter=[kind], max_depth=3)]
        got = [pdf_pdfium._object_bounds(page, kind)]
        monkeypatch.setattr(pdf_pdfium, "_accel", None)
        got.append(pdf_pdfium._object_bounds(page, kind))
        assert got == [ref, ref]
        assert len(ref) == {"old-typeset.pdf": 2, "scanned.pdf": 1, "bulletin.pdf": 0}[name]
        page.close()
    finally:
        pdf.close()


def _slots(c):
    # every slot, with its type and repr: -0.0 is not 0.0, True is not 1
    return [(s, type(getattr(c, s)).__name__, repr(getattr(c, s))) for s in type(c).__slots__]


@accel
@pytest.mark.parametrize("path", PDFS, ids=os.path.basename)
def test_accelerator_makes_the_chars_python_makes(path):
    # the accelerator's chars() against PdfiumDocument._chars' own loop, on the same glyphs
    import pypdfium2 as pdfium

    if not pdf_pdfium._ACCEL_CHARS:
        pytest.skip("the accelerator does not make Chars on this build")
    doc = pdf_pdfium.PdfiumDocument(path, path, password=_password(path))
    try:
        for i in range(doc.npages):
            page = doc.pdf[i]
            box, rotation = page.get_cropbox(), page.get_rotation() % 360
            width, height = page.get_size()
            tp = page.get_textpage()
            glyphs = pdf_pdfium._read_glyphs_c(tp.raw, pdfium.raw.FPDFText_CountChars(tp.raw))
            assert type(glyphs) is pdf_pdfium._CGlyphs
            fast = doc._chars(glyphs, box, rotation, width, height)
            slow = doc._chars(tuple(glyphs), box, rotation, width, height)
            assert [_slots(c) for c in fast] == [_slots(c) for c in slow]
            tp.close()
            page.close()
    finally:
        doc.close()


@accel
@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_accelerator_makes_the_chars_of_a_rotated_page(rotation):
    import pypdfium2 as pdfium

    if not pdf_pdfium._ACCEL_CHARS:
        pytest.skip("the accelerator does not make Chars on this build")
    path = os.path.join(FIXTURES, "extract", "bulletin.pdf")
    doc = pdf_pdfium.PdfiumDocument(path, path)
    try:
        page = doc.pdf[0]
        tp = page.get_textpage()
        glyphs = pdf_pdfium._read_glyphs_c(tp.raw, pdfium.raw.FPDFText_CountChars(tp.raw))
        args = ((3.5, -1.25, 600.0, 800.5), rotation, 600.0, 800.0)
        fast = doc._chars(glyphs, *args)
        slow = doc._chars(tuple(glyphs), *args)
        assert fast and [_slots(c) for c in fast] == [_slots(c) for c in slow]
        tp.close()
        page.close()
    finally:
        doc.close()
