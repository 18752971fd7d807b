"""bounded_pages: workers are sent a page ahead; a killed worker's pages are not lost,
and OCR time (ocr_budget) is not counted against a page's budget."""

import time

import pytest

from clt.extract import bounded
from clt.extract.bounded import bounded_pages, can_fork, ocr_budget

pytestmark = pytest.mark.skipif(not can_fork(), reason="pages go to forked workers only where fork exists")


def _page(p):
    return [{"type": "page", "page": p}, {"type": "line", "page": p, "text": f"第{p}页"}]


def slow_third(p):
    if p == 3:
        time.sleep(30)
    return _page(p)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_overrun_page_does_not_lose_the_pages_sent_ahead_to_its_worker(jobs):
    out = list(bounded_pages(slow_third, [1, 2, 3, 4, 5, 6], "x.pdf", jobs=jobs, max_seconds=1.0, max_mb=0))
    pages = [r["page"] for r in out if r["type"] == "page"]
    assert pages == [1, 2, 3, 4, 5, 6]
    lines = [r["text"] for r in out if r["type"] == "line"]
    assert lines == ["第1页", "第2页", "第4页", "第5页", "第6页"]
    warn = [r for r in out if r["type"] == "warning"]
    assert len(warn) == 1 and warn[0]["page"] == 3 and warn[0]["code"] == "page-over-limit"
    assert "--max-page-seconds 1 s" in warn[0]["message"]


def test_every_page_comes_back_in_order_with_two_workers_and_pages_sent_ahead():
    want = list(range(1, 41))
    out = list(bounded_pages(_page, want, "x.pdf", jobs=2, max_seconds=5.0, max_mb=0))
    assert [r["page"] for r in out if r["type"] == "page"] == want
    assert bounded.AHEAD >= 2


def ocr_second(p):
    if p == 2:
        with ocr_budget():
            time.sleep(1.6)
    return _page(p)


def test_time_in_ocr_is_not_counted_against_the_page():
    out = list(bounded_pages(ocr_second, [1, 2, 3], "x.pdf", jobs=1, max_seconds=1.0, max_mb=0))
    assert [r["text"] for r in out if r["type"] == "line"] == ["第1页", "第2页", "第3页"]
    assert not [r for r in out if r["type"] == "warning"]


def test_ocr_budget_outside_a_worker_does_nothing():
    with ocr_budget():
        x = 1
    assert x == 1 and bounded._to_parent is None
