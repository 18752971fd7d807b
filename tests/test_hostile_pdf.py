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
    return [json.loads(l, parse_constant=refuse) for l in text.splitlines()]


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


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_fuzz_flate_bomb_image_ocr(run_cli, engine):
    r = run_cli(["extract", "--engine", engine, "--ocr-engine", "tesseract", fz("flate-bomb-image.pdf")])
    assert r.exit_code in (0, 1) and "Traceback" not in r.stderr
    strict(r.output)


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
