"""Hostile PDFs: bounded work on every page, for both engines.

Each ``test_fuzz_*`` is a reproducer found by fuzzing, copied into
tests/fixtures/fuzz/: before the fix each ran for minutes, took gigabytes,
died on SIGABRT or exited 3.
"""

import json
import os
import time

import pytest

from clt.extract import extract
from clt.extract.bounded import PAGE_OVER_LIMIT, bounded_pages

from conftest import FIXTURES

FUZZ = os.path.join(FIXTURES, "fuzz")


def fz(name):
    return os.path.join(FUZZ, name)


def strict(text):
    def refuse(c):
        raise AssertionError(f"{c} in clt output")
    text.encode("utf-8")
    # JSON Lines are split at "\n" alone (U+2028 and U+0085 are valid inside a JSON string)
    return [json.loads(l, parse_constant=refuse) for l in text.split("\n") if l.strip()]


def codes(recs):
    return [r["code"] for r in recs if r["type"] == "warning"]


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_fuzz_flate_bomb_memory(run_cli, engine):
    t = time.monotonic()
    r = run_cli(["extract", "--engine", engine, "--ocr", "never", fz("flate-bomb-memory.pdf")])
    assert time.monotonic() - t < 30
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1 and "page 1" in r.stderr and "Traceback" not in r.stderr
    recs = strict(r.output)
    assert set(codes(recs)) & {PAGE_OVER_LIMIT, "page-unreadable"}


# --------------------------------------------------------------------------- OCR rasters

HOSTILE = os.path.join(FIXTURES, "hostile")


def _ocr_engines():
    import shutil

    from clt.extract import ocr

    out = []
    out.append(pytest.param("rapidocr", marks=pytest.mark.skipif(
        not ocr.rapidocr_importable(), reason="needs the clt[ocr] extra (rapidocr)")))
    out.append(pytest.param("tesseract", marks=pytest.mark.skipif(
        not shutil.which("tesseract"), reason="needs tesseract-ocr")))
    return out


def peak_rss_mb(args):
    """Exit status and peak resident memory (MB) of ``clt ARGS`` run as its own
    process (its page workers included: they are its children)."""
    import subprocess
    import sys

    clt = os.path.join(os.path.dirname(sys.executable), "clt")
    if not os.path.exists(clt):
        pytest.skip("no clt console script next to the test interpreter")
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
             "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, clt] + args, capture_output=True, text=True, timeout=120)
    code, kb = out.stdout.split()
    return int(code), int(kb) / 1024


@pytest.mark.parametrize("ocr_engine", _ocr_engines())
@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_fuzz_flate_bomb_image_ocr(run_cli, engine, ocr_engine):
    # a 4 KB PDF whose one image is 40000 x 40000 grey (1.5 GB decoded): refused before
    # it is rendered, not OCR'd (it took 1.39 GB and the page-over-limit kill before)
    t = time.monotonic()
    r = run_cli(["extract", "--engine", engine, "--ocr-engine", ocr_engine, fz("flate-bomb-image.pdf")])
    assert time.monotonic() - t < 10
    assert r.exit_code == 1
    assert r.stderr == (f"clt: {fz('flate-bomb-image.pdf')}: page 1 has no usable text layer and was not OCR'd: "
                        "image 1 on it is 40000 x 40000 pixels of 8 bits, 1,526 MB decoded "
                        "(an image to OCR may take 256 MB)\n")
    recs = strict(r.output)
    assert codes(recs) == ["ocr-over-limit"]
    assert not any(x["type"] == "line" for x in recs)


@pytest.mark.parametrize("ocr_engine", _ocr_engines())
@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_fuzz_ocr_image_bomb_1bit_memory(engine, ocr_engine):
    # a 1.5 KB PDF whose image is 60000 x 60000 at 1 bit (429 MB decoded, twice deflated)
    code, mb = peak_rss_mb(["extract", "--engine", engine, "--ocr-engine", ocr_engine,
                            os.path.join(HOSTILE, "ocr-image-bomb-1bit.pdf")])
    assert code == 1
    assert mb < 300, f"{mb:.0f} MB"


def test_ocr_raster_limits():
    import pypdfium2 as pdfium

    from clt.extract.bounded import MIN_OCR_DPI, RasterOverLimit, ocr_dpi

    pdf = pdfium.PdfDocument(os.path.join(HOSTILE, "ocr-huge-page.pdf"))
    page = pdf[0]
    assert ocr_dpi(page, 300, 595, 842) == (300, None)  # A4: as asked
    assert ocr_dpi(page, 300, 842, 1191) == (300, None)  # A3 too (17.4 million pixels)
    dpi, note = ocr_dpi(page, 300)  # the page is 3000 x 3000 pt
    assert dpi == 101 and note == ("the page is 3000 x 3000 pt: OCR read it at 101 dpi, not 300 "
                                   "(18 million pixels at most)")
    with pytest.raises(RasterOverLimit, match=f"at {MIN_OCR_DPI} dpi its raster would exceed"):
        ocr_dpi(page, 300, 14400, 14400)
    pdf.close()


@pytest.mark.parametrize("ocr_engine", _ocr_engines())
def test_ocr_of_a_huge_page_is_downscaled_with_a_warning(run_cli, ocr_engine):
    r = run_cli(["extract", "--engine", "pdfium", "--ocr-engine", ocr_engine,
                 os.path.join(HOSTILE, "ocr-huge-page.pdf")])
    assert r.exit_code == 0, r.stderr
    recs = strict(r.output)
    assert recs[1]["type"] == "page" and recs[1]["ocr"] is True
    warn = [x for x in recs if x["type"] == "warning"]
    assert [(w["code"], w["page"]) for w in warn] == [("ocr-downscaled", 1)]
    assert "OCR read it at 101 dpi, not 300" in warn[0]["message"]


# --------------------------------------------------------------------------- glyphs

def _glyph_pdf(strings, per_string):
    """A one-page PDF showing *strings* strings of *per_string* glyphs each."""
    content = b"BT /F1 1 Tf 72 720 Td " + b"".join(b"(" + b"A" * per_string + b") Tj 0 -2 Td "
                                                   for _ in range(strings)) + b"ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.7\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_fuzz_huge_glyph_page_memory(run_cli, tmp_path, engine):
    # one page of 4 x 30,000 glyphs (the reproducer: 3,000,000 in one string, 87 s and
    # 1.87 GB in pdfminer): over the glyph-count limit, skipped at once with a warning
    from clt.extract.bounded import MAX_PAGE_GLYPHS

    p = tmp_path / "glyphs.pdf"
    p.write_bytes(_glyph_pdf(4, 30000))
    t = time.monotonic()
    r = run_cli(["extract", "--engine", engine, "--max-page-seconds", "0", str(p)])
    assert time.monotonic() - t < 10
    assert r.exit_code == 1
    assert r.stderr == (f"clt: {p}: page 1 skipped: it holds more than {MAX_PAGE_GLYPHS:,} glyphs "
                        "(no printed page holds so many)\n")
    recs = strict(r.output)
    assert [x["type"] for x in recs] == ["source", "page", "warning"]
    assert codes(recs) == [PAGE_OVER_LIMIT]


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_a_page_under_the_glyph_limit_is_read(run_cli, tmp_path, engine):
    p = tmp_path / "glyphs.pdf"
    p.write_bytes(_glyph_pdf(3, 3000))
    r = run_cli(["extract", "--engine", engine, "--ocr", "never", str(p)])
    assert r.exit_code == 0, r.stderr
    assert sum(len(x["text"]) for x in strict(r.output) if x["type"] == "line") == 9000


def test_fuzz_huge_glyph_page_memory_rss(tmp_path):
    p = tmp_path / "glyphs.pdf"
    p.write_bytes(_glyph_pdf(1, 3_000_000))  # the reproducer itself (3 MB)
    code, mb = peak_rss_mb(["extract", str(p)])
    assert code == 1 and mb < 300, f"exit {code}, {mb:.0f} MB"


def test_fuzz_pdfium_form_xobject_recursion(run_cli):
    r = run_cli(["extract", "--engine", "pdfium", "--ocr", "never", fz("pdfium-form-xobject-recursion.pdf")])
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1 and "page 1 skipped" in r.stderr
    recs = strict(r.output)
    assert codes(recs) == [PAGE_OVER_LIMIT]
    r = run_cli(["extract", "--ocr", "never", fz("pdfium-form-xobject-recursion.pdf")])
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize("name", ["pdfminer-cmap-huge-bfrange.pdf", "pdfminer-cmap-huge-bfrange-8byte.pdf"])
@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_fuzz_pdfminer_cmap_huge_bfrange(run_cli, engine, name):
    t = time.monotonic()
    r = run_cli(["extract", "--engine", engine, "--ocr", "never", "--max-page-seconds", "3", fz(name)])
    assert time.monotonic() - t < 20
    assert r.exit_code in (0, 1) and "Traceback" not in r.stderr
    assert r.stderr.count("\n") <= 1
    strict(r.output)


def test_fuzz_pdfminer_indirect_self_loop(run_cli):
    t = time.monotonic()
    r = run_cli(["extract", "--ocr", "never", fz("pdfminer-indirect-self-loop.pdf")])
    assert time.monotonic() - t < 5
    assert r.exit_code == 1 and r.stderr.count("\n") == 1 and "not a readable PDF" in r.stderr
    r = run_cli(["extract", "--engine", "pdfium", "--ocr", "never", fz("pdfminer-indirect-self-loop.pdf")])
    assert r.exit_code == 0, r.stderr


def test_fuzz_pdfminer_prev_self_loop(run_cli):
    t = time.monotonic()
    r = run_cli(["extract", "--ocr", "never", fz("pdfminer-prev-self-loop.pdf")])
    assert time.monotonic() - t < 10
    assert r.exit_code in (0, 1) and "Traceback" not in r.stderr
    strict(r.output)


def test_fuzz_pdfium_tounicode_lone_surrogate(run_cli):
    r = run_cli(["extract", "--engine", "pdfium", "--ocr", "never", fz("pdfium-tounicode-lone-surrogate.pdf")])
    assert r.exit_code == 0, r.stderr
    recs = strict(r.output)
    assert any(l["type"] == "line" for l in recs)


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_fuzz_pdfium_non_bmp_character(run_cli, engine):
    r = run_cli(["extract", "--engine", engine, "--ocr", "never", fz("pdfium-non-bmp-character.pdf")])
    assert r.exit_code == 0, r.stderr
    lines = [l["text"] for l in strict(r.output) if l["type"] == "line"]
    assert lines == ["\U00020000中\U0002A6D6国"] * 2


def test_fuzz_extract_jobs_hang(run_cli):
    # the parent waited in Pool.terminate for a worker that had clt's SIGTERM handler
    first = None
    for _ in range(10):
        r = run_cli(["extract", "--engine", "pdfium", "--ocr", "never", "--jobs", "2", fz("extract-jobs-hang.pdf")])
        assert r.exit_code == 0, r.stderr
        first = first or r.output
        assert r.output == first


# --------------------------------------------------------------------------- the bounded pool

def _slow(p):
    if p == 2:
        time.sleep(60)
    return [{"type": "page", "page": p}]


def _hog(p):
    if p == 2:
        junk = bytearray(400 * 2 ** 20)
        for i in range(0, len(junk), 4096):
            junk[i] = 1
        time.sleep(5)
    return [{"type": "page", "page": p}]


def _crash(p):
    if p == 2:
        os._exit(7)
    return [{"type": "page", "page": p}]


@pytest.mark.parametrize("jobs", [1, 2])
def test_page_over_the_time_limit_is_skipped_and_the_rest_goes_on(jobs):
    t = time.monotonic()
    recs = list(bounded_pages(_slow, [1, 2, 3], "x.pdf", jobs=jobs, max_seconds=0.5, max_mb=0))
    assert time.monotonic() - t < 10
    assert [r["page"] for r in recs if r["type"] == "page"] == [1, 2, 3]
    warn = [r for r in recs if r["type"] == "warning"]
    assert len(warn) == 1 and warn[0]["code"] == PAGE_OVER_LIMIT and warn[0]["page"] == 2
    assert "--max-page-seconds" in warn[0]["message"]


def test_page_over_the_memory_limit_is_skipped():
    recs = list(bounded_pages(_hog, [1, 2, 3], "x.pdf", jobs=1, max_seconds=0, max_mb=100))
    warn = [r for r in recs if r["type"] == "warning"]
    assert len(warn) == 1 and warn[0]["page"] == 2 and "--max-page-mb 100" in warn[0]["message"]
    assert [r["page"] for r in recs if r["type"] == "page"] == [1, 2, 3]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_worker_that_dies_is_reported_not_waited_on(jobs):
    recs = list(bounded_pages(_crash, [1, 2, 3, 4], "x.pdf", jobs=jobs, max_seconds=5, max_mb=0))
    warn = [r for r in recs if r["type"] == "warning"]
    assert len(warn) == 1 and warn[0]["page"] == 2 and "exited with status 7" in warn[0]["message"]
    assert [r["page"] for r in recs if r["type"] == "page"] == [1, 2, 3, 4]


def test_library_keeps_the_over_limit_page_as_a_warning():
    recs = list(extract([fz("pdfium-form-xobject-recursion.pdf")], engine="pdfium", ocr="never"))
    assert codes(recs) == [PAGE_OVER_LIMIT]


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_fuzz_garbled_text_with_a_line_separator(run_cli, engine):
    """scripts/fuzz: a mutated bulletin whose garbled text layer decodes to U+2028 (and a
    damaged ASCII85 stream on page 2).  The record holding it is one JSON line (the separator
    is written as it is, valid JSON), the damaged page is a one-line error, no traceback."""
    r = run_cli(["extract", "--engine", engine, "--ocr", "never", fz("garbled-text-line-separator.pdf")])
    recs = strict(r.output)
    assert recs and r.exit_code in (0, 1) and "Traceback" not in r.stderr
    if engine == "pdfium":  # (pdfminer reads no text from the mutated streams: warnings only)
        assert any("\u2028" in rec.get("text", "") for rec in recs if rec["type"] == "line")
