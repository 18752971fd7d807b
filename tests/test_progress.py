"""Progress on a terminal (tqdm): extract per page, batch per file and page; silent otherwise."""

import io
import os
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, SAMPLES

BULLETIN = os.path.join(SAMPLES, "bulletin.pdf")  # six pages


def _on_a_terminal(args, env=None, timeout=120):
    """(stderr+stdout as the terminal saw them, exit status) of ``python -m clt ARGS`` on a pty."""
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.environ.update(env or {})
        os.execv(sys.executable, [sys.executable, "-m", "clt", *args])
    out = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    _, status = os.waitpid(pid, 0)
    return out.decode("utf-8", "replace"), os.waitstatus_to_exitcode(status)


def test_page_progress_counts_pages_and_passes_records_through(monkeypatch):
    from clt.cli.common import page_progress

    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    recs = [{"type": "source", "path": "x.pdf", "pages": 3}]
    for p in (1, 2, 3):
        recs += [{"type": "page", "page": p, "ocr": p > 1}, {"type": "line", "page": p, "text": "甲"}]
    assert list(page_progress(iter(recs), enabled=True, interval=0)) == recs
    text = err.getvalue()
    assert "x.pdf" in text and "1/3" in text and "3/3" in text and "OCR" in text
    err.truncate(0)
    assert list(page_progress(iter(recs), enabled=False)) == recs
    assert err.getvalue() == ""


def test_extract_shows_pages_on_a_terminal_and_nothing_with_q(tmp_path):
    out = str(tmp_path / "x.jsonl")
    screen, status = _on_a_terminal(["extract", BULLETIN, "-o", out])
    assert status == 0
    assert "bulletin.pdf" in screen and "/6" in screen and "page/s" in screen
    screen, status = _on_a_terminal(["extract", "-q", BULLETIN, "-o", out])
    assert status == 0 and screen == ""


def test_no_progress_when_stderr_is_not_a_terminal():
    r = subprocess.run([sys.executable, "-m", "clt", "extract", BULLETIN], capture_output=True, timeout=60)
    assert r.returncode == 0 and r.stderr == b""


def test_batch_bar_moves_with_the_pages_of_the_files_being_read(tmp_path):
    src = tmp_path / "pdfs"
    src.mkdir()
    for i in range(3):
        shutil.copy(BULLETIN, src / f"b{i}.pdf")
    screen, status = _on_a_terminal(["batch", str(src), "-o", str(tmp_path / "out"), "-j", "1",
                                     "--summary", str(tmp_path / "s.json")])
    assert status == 0, screen
    frames = [f for f in screen.split("\r") if "files," in f]
    assert "0/3 files, 1 pages" in screen  # moved before the first file was done
    assert "pages/s" in screen and "<" in frames[-1]  # rate and time left
    percents = {f.split("%")[0].strip() for f in frames}
    # moved page by page, not only at each file's end (0, 33, 67, 100); how many frames
    # a run draws depends on the bar's refresh interval and the machine's load
    assert percents - {"0", "33", "66", "67", "100"}
    assert screen.rstrip().endswith("3 converted, 0 unchanged in " + screen.rstrip().split(" in ")[-1])
    # quiet: no bar, nothing on the terminal
    screen, status = _on_a_terminal(["batch", str(src), "-o", str(tmp_path / "out2"), "-j", "2", "-q"])
    assert status == 0 and screen == ""


def test_batch_with_workers_reports_their_pages(tmp_path):
    src = tmp_path / "pdfs"
    src.mkdir()
    for i in range(3):
        shutil.copy(BULLETIN, src / f"b{i}.pdf")
    screen, status = _on_a_terminal(["batch", str(src), "-o", str(tmp_path / "out"), "-j", "2",
                                     "--summary", str(tmp_path / "s.json")])
    assert status == 0, screen
    assert "18 pages" in screen and "3/3 files" in screen


def test_a_command_that_reads_a_pdf_itself_shows_its_pages(tmp_path):
    # clt convert law.pdf --to md runs extract inside: the pages show as with clt extract
    screen, status = _on_a_terminal(["convert", BULLETIN, "--to", "md", "-o", str(tmp_path / "x.md")])
    assert status == 0 and "bulletin.pdf" in screen and "/6" in screen
    screen, status = _on_a_terminal(["convert", "-q", BULLETIN, "--to", "md", "-o", str(tmp_path / "x.md")])
    assert status == 0 and screen == ""
