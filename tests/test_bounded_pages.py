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


# ----------------------------------------------------------------------- runs and stealing

def test_runs_one_run_for_one_worker_else_consecutive_stretches_of_at_most_RUN():
    assert [list(r) for r in bounded.runs(range(5), 1)] == [[0, 1, 2, 3, 4]]
    assert [list(r) for r in bounded.runs(range(5), 2)] == [[0, 1, 2], [3, 4]]
    assert [list(r) for r in bounded.runs(range(7), 3)] == [[0, 1, 2], [3, 4, 5], [6]]
    big = bounded.runs(range(1000), 2)
    assert [len(r) for r in big] == [bounded.RUN] * (1000 // bounded.RUN) + [1000 % bounded.RUN]
    assert [x for r in big for x in r] == list(range(1000))
    assert bounded.runs([], 2) == []


def _who(p):
    import os

    return [{"type": "page", "page": p, "pid": os.getpid(), "at": time.time()}]


def _who_slow_first(p):
    if p == 1:
        time.sleep(1.5)
    return _who(p)


def _pids(out):
    return {r["page"]: r["pid"] for r in out}


def test_each_worker_starts_on_its_own_stretch_of_consecutive_pages():
    out = list(bounded_pages(_who, list(range(1, 21)), "x.pdf", jobs=2, max_seconds=5.0, max_mb=0))
    assert [r["page"] for r in out] == list(range(1, 21))
    pid = _pids(out)
    assert pid[1] == pid[2]  # the first stretch, 1-10, to one worker
    assert pid[11] == pid[12] != pid[1]  # the second, 11-20, to the other


def test_a_worker_out_of_pages_takes_the_later_half_of_the_run_another_has_not_begun():
    # runs 1-4 and 5-8; page 1 is slow: the other worker reads 5-8, then takes 4 and 3
    # (2 was already sent ahead to the slow worker); output stays in page order
    out = list(bounded_pages(_who_slow_first, list(range(1, 9)), "x.pdf", jobs=2, max_seconds=10.0, max_mb=0))
    assert [r["page"] for r in out] == list(range(1, 9))
    pid = _pids(out)
    assert pid[2] == pid[1]
    assert pid[3] == pid[4] == pid[5] != pid[1]


def test_workers_do_not_run_ahead_of_the_output_without_bound(monkeypatch):
    # a slow first page: the other worker may read on only RUN * (jobs + 1) pages past it,
    # so what is held back for page order stays bounded
    monkeypatch.setattr(bounded, "RUN", 2)
    out = list(bounded_pages(_who_slow_first, list(range(1, 21)), "x.pdf", jobs=2, max_seconds=10.0, max_mb=0))
    assert [r["page"] for r in out] == list(range(1, 21))
    first_done = out[0]["at"]
    assert all(r["at"] < first_done for r in out if 3 <= r["page"] <= 6)
    assert all(r["at"] >= first_done for r in out if r["page"] >= 7)


def _exit_at_once(p):
    import os

    os._exit(7)


def test_sending_a_page_to_a_worker_that_just_died_does_not_raise_broken_pipe():
    """Regression: a worker that died on its page before the parent sent it the next one
    made conn.send raise BrokenPipeError out of bounded_pages (test_a_worker_that_dies...
    failed now and then); the death is found and reported by the loop instead."""
    import multiprocessing as mp

    slot = bounded._Slot(mp.get_context("fork"), _exit_at_once)
    try:
        slot.send((0, 1), 5.0)
        slot.proc.join(5)
        assert slot.proc.exitcode == 7
        slot.send((1, 2), 5.0)  # the pipe's other end is gone
        assert [p for _, p in slot.queue] == [1, 2]
    finally:
        slot.kill()


@pytest.mark.parametrize("jobs", [2, 3])
def test_two_workers_that_inherit_a_dead_worker_s_run_lose_no_page(jobs):
    out = list(bounded_pages(_crash_on_3, list(range(1, 13)), "x.pdf", jobs=jobs, max_seconds=5.0, max_mb=0))
    assert [r["page"] for r in out if r["type"] == "page"] == list(range(1, 13))
    warn = [r for r in out if r["type"] == "warning"]
    assert [w["page"] for w in warn] == [3] and "exited with status 7" in warn[0]["message"]


def _crash_on_3(p):
    if p == 3:
        _exit_at_once(p)
    return [{"type": "page", "page": p}]
