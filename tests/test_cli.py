"""The command-line frame: help, version, errors, pipes, atomic output, man pages."""

import os
import re
import signal
import subprocess
import sys

import click
import pytest

from clt import __version__
from clt.cli import cli
from clt.cli.common import atomic_output

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = ["extract", "normalize", "split", "diff", "convert", "batch", "amend"]


def test_help_lists_every_command_with_an_example(run_cli):
    r = run_cli(["--help"])
    assert r.exit_code == 0
    for name in COMMANDS:
        assert name in r.output
    assert "clt extract bulletin.pdf | clt normalize | clt split" in r.output


def test_version(run_cli):
    r = run_cli(["--version"])
    assert r.exit_code == 0
    assert __version__ in r.output


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_help(run_cli, name):
    r = run_cli([name, "--help"])
    assert r.exit_code == 0
    assert "Usage: clt " + name in r.output


def test_bad_json_line_is_one_line_error(run_cli):
    r = run_cli(["normalize"], input='{"type": "line", "text": "第一条"}\n{oops\n')
    assert r.exit_code == 1
    assert r.stderr.strip() == "clt: <stdin>:2: not a JSON object"
    assert "Traceback" not in r.stderr


def test_undecodable_bytes_error_suggests_encoding(run_clt_subprocess):
    p = run_clt_subprocess(["split"], input=bytes(range(256)) * 4)
    err = p.stderr.decode()
    assert p.returncode == 1
    assert "--encoding" in err and len(err.strip().splitlines()) == 1


def test_missing_file_names_it(run_cli):
    r = run_cli(["split", "/no/such/law.txt"])
    assert r.exit_code == 1
    assert "/no/such/law.txt" in r.stderr and "no such file" in r.stderr


def test_verbose_shows_traceback(run_clt_subprocess):
    p = run_clt_subprocess(["-v", "normalize"], input='{"type": "line", "text": "a"}\n{bad\n')
    assert p.returncode == 1
    assert b"Traceback" in p.stderr


def test_python_m_clt_works(run_clt_subprocess):
    p = run_clt_subprocess(["--version"])
    assert p.returncode == 0 and __version__.encode() in p.stdout


def test_closed_pipe_is_quiet(tmp_path):
    """`clt ... | head -1` must not print a BrokenPipe traceback."""
    big = tmp_path / "big.txt"
    big.write_text("".join(f"第{i}行　法律文本内容。\n" for i in range(60000)), encoding="utf-8")
    cmd = f'"{sys.executable}" -m clt normalize "{big}" | head -1'
    p = subprocess.run(["bash", "-c", cmd], capture_output=True)
    assert p.stdout.count(b"\n") == 1
    assert p.stderr == b"", p.stderr.decode()


def _wait_for_signal_handlers(pid, timeout=30.0):
    """Wait until clt has installed its handlers (SIGTERM caught, seen in /proc on Linux):
    a signal sent while Python is still importing is Python's, not clt's, to report."""
    import time
    status = f"/proc/{pid}/status"
    deadline = time.monotonic() + timeout
    if not os.path.exists(status):
        time.sleep(1.5)
        return
    while time.monotonic() < deadline:
        try:
            with open(status) as f:
                caught = next((int(line.split()[1], 16) for line in f if line.startswith("SigCgt:")), 0)
        except OSError:
            return
        if caught & (1 << (signal.SIGTERM - 1)):
            time.sleep(0.2)
            return
        time.sleep(0.05)


def test_interrupt_exits_130_without_traceback():
    p = subprocess.Popen([sys.executable, "-m", "clt", "normalize"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdin.write('{"type": "line", "text": "第一条"}\n'.encode())
    p.stdin.flush()
    _wait_for_signal_handlers(p.pid)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=20)
    assert p.returncode == 130
    assert b"Traceback" not in err


def test_atomic_output_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with atomic_output(str(target)) as fp:
            fp.write("partial")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_output_replaces_on_success(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old")
    with atomic_output(str(target)) as fp:
        fp.write("new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_failed_command_leaves_no_output_file(run_cli, tmp_path):
    out = tmp_path / "x.jsonl"
    r = run_cli(["normalize", "-o", str(out)], input='{"type": "line", "text": "a"}\nnope\n')
    assert r.exit_code == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- man pages

def _man_text(name):
    with open(os.path.join(ROOT, "man", name), encoding="utf-8") as fp:
        return fp.read().replace("\\-", "-")


def test_every_command_and_option_is_in_its_man_page():
    ctx = click.Context(cli, info_name="clt", **cli.context_settings)
    top = _man_text("clt.1")
    for name in cli.list_commands(ctx):
        assert re.search(rf"\b{name}\b", top), f"clt.1 does not mention {name}"
        page = _man_text(f"clt-{name}.1")
        cmd = cli.get_command(ctx, name)
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden:  # hidden: an old name kept
                for opt in param.opts + param.secondary_opts:
                    assert opt in page, f"clt-{name}.1 does not document {opt}"


def test_man_pages_are_up_to_date(tmp_path):
    """scripts/gen-man output must match what is committed (run scripts/gen-man)."""
    from clt.cli.manpage import render

    ctx = click.Context(cli, info_name="clt", **cli.context_settings)
    for name in cli.list_commands(ctx):
        committed = _man_text(f"clt-{name}.1").split("\n", 1)[1]
        fresh = render(cli.get_command(ctx, name), f"clt-{name}",
                       ["clt(1)", "clt-records(5)"], parent=ctx).replace("\\-", "-").split("\n", 1)[1]
        if committed != fresh:
            import difflib
            delta = "\n".join(difflib.unified_diff(committed.splitlines(), fresh.splitlines(), lineterm=""))
            pytest.fail(f"man/clt-{name}.1 is stale (run scripts/gen-man):\n{delta}")


def test_records_man_page_exists():
    assert "clt-records" in _man_text("clt-records.5") or "clt\\-records" in _man_text("clt-records.5")


@pytest.mark.skipif(not os.path.exists("/usr/bin/man"), reason="man(1) not installed (Debian package man-db)")
def test_man_renders():
    p = subprocess.run(["man", "-l", os.path.join(ROOT, "man", "clt.1")], capture_output=True,
                       env={**os.environ, "MANPAGER": "cat", "PAGER": "cat"})
    assert p.returncode == 0
    assert b"clt" in p.stdout
