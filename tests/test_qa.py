"""Regression tests for what a demanding user found wrong at the command line:
output paths, inputs of the wrong kind, encodings, pipes.  Each test is named
for what broke."""

import io
import json
import os
import stat
import subprocess
import sys

import pytest

from clt.records import read_records
from clt.textio import detect_encoding

LAW = (
    "中华人民共和国测试法\n"
    "第一章　总则\n"
    "第一条　为了规范测试工作，制定本法。\n"
    "第二条　本法适用于中华人民共和国境内的测试活动。\n"
    "测试活动应当遵守下列规定：\n"
    "（一）依法进行；\n"
    "（二）如实记录。\n"
    "第二章　附则\n"
    "第三条　本法自2020年1月1日起施行。\n"
)

COMMANDS = [
    ["extract"],
    ["normalize"],
    ["normalize", "--text"],
    ["split"],
    ["convert", "--to", "md"],
]


def articles(records):
    return [(r["label"], r["text"]) for r in records if r.get("type") == "article"]


# --------------------------------------------------------------------------- -o FILE


@pytest.mark.parametrize("args", COMMANDS + [["diff", "OLD", "NEW"]])
def test_output_into_missing_directory_is_one_line_not_click_usage(run_cli, tmp_path, args):
    law = tmp_path / "law.txt"
    law.write_text(LAW, encoding="utf-8")
    target = tmp_path / "nodir" / "out.jsonl"
    argv = [str(law) if a in ("OLD", "NEW") else a for a in args]
    if args[0] != "diff":
        argv.append(str(law))
    r = run_cli(argv + ["-o", str(target)])
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"clt: {target}: ") and "does not exist" in lines[0]
    assert "Usage:" not in r.stderr
    assert not (tmp_path / "nodir").exists()


def test_output_naming_a_directory_is_one_line(run_cli, tmp_path):
    r = run_cli(["split", "-o", str(tmp_path)], input=LAW)
    assert r.exit_code == 2
    assert r.stderr.strip() == f"clt: {tmp_path}: is a directory (give a file name)"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_unwritable_output_names_the_file_not_its_temporary(run_cli):
    r = run_cli(["normalize", "-o", "/proc/clt-qa-test.jsonl"], input=LAW)
    assert r.exit_code == 1
    assert r.stderr.startswith("clt: /proc/clt-qa-test.jsonl: cannot write: ")
    assert ".part" not in r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["normalize"], ["normalize", "--text"], ["convert", "--to", "md"]])
def test_disk_full_names_the_output(run_clt_subprocess, args):
    p = run_clt_subprocess(args + ["-o", "/dev/full"], input=LAW)
    assert p.returncode == 1
    assert p.stderr.decode() == "clt: /dev/full: cannot write: No space left on device\n"
    with open("/dev/full", "wb") as out:
        p = subprocess.run([sys.executable, "-m", "clt"] + args, input=LAW.encode(), stdout=out,
                           stderr=subprocess.PIPE)
    assert p.returncode == 1
    assert p.stderr.decode() == "clt: <stdout>: cannot write: No space left on device\n"


def test_output_to_a_named_pipe_is_written_not_replaced(run_cli, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    r = run_cli(["normalize", "--text", "-o", str(fifo)], input=LAW)
    out = reader.communicate(timeout=20)[0].decode("utf-8")
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO
    assert out.splitlines()[2] == "第一条　为了规范测试工作，制定本法。"


def test_output_to_dev_stdout_goes_to_stdout(run_clt_subprocess):
    p = run_clt_subprocess(["normalize", "--text", "-o", "/dev/stdout"], input=LAW)
    assert p.returncode == 0, p.stderr
    assert "第三条　本法自2020年1月1日起施行。" in p.stdout.decode("utf-8").splitlines()


def test_output_through_a_symlink_keeps_the_link(run_cli, tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    r = run_cli(["normalize", "--text", "-o", str(link)], input=LAW)
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").splitlines()[0] == "中华人民共和国测试法"


# --------------------------------------------------------------------------- wrong input


def test_diff_given_a_directory_is_one_line(run_cli, tmp_path):
    law = tmp_path / "law.txt"
    law.write_text(LAW, encoding="utf-8")
    r = run_cli(["diff", str(tmp_path), str(law)])
    assert r.exit_code == 2
    assert r.stderr.strip() == f"clt: {tmp_path}: is a directory"


@pytest.mark.parametrize("args", [["normalize"], ["split"], ["convert", "--to", "md"]])
def test_document_given_to_a_record_stage_is_extracted_first(run_cli, tmp_path, args):
    # a broken PDF given to a record stage goes through extract (clt.stages), which names it
    f = tmp_path / "doc.bin"
    f.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + b"\x00" * 64)
    r = run_cli(args + [str(f)])
    assert r.exit_code == 1
    assert r.stderr.startswith(f"clt: {f}: not a readable PDF")


@pytest.mark.parametrize("args", [["split"], ["convert", "--to", "md"]])
def test_pdf_given_to_split_or_convert_is_extracted_and_normalized(run_cli, args):
    r = run_cli(args + [os.path.join(os.path.dirname(__file__), "fixtures", "extract", "bulletin.pdf")])
    assert r.exit_code == 0, r.stderr
    assert "第一条" in r.output


def test_forced_encoding_still_reads_text_that_looks_like_html():
    data = "<p>第一条　测试。</p>\n".encode("gb18030")
    recs = list(read_records(io.BytesIO(data), encoding="gb18030"))
    assert [r["text"] for r in recs if r["type"] == "line"] == ["<p>第一条　测试。</p>"]


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected_in_chinese_text(enc):
    # mostly CJK: few NUL bytes (only ASCII and U+xx00 such as 一 have one)
    data = LAW.encode(enc)
    assert detect_encoding(data) == enc
    recs = list(read_records(io.BytesIO(data)))
    assert [r["text"] for r in recs if r["type"] == "line"] == LAW.splitlines()


def test_binary_with_nul_bytes_is_not_taken_for_utf16():
    data = bytes(range(256)) * 8
    assert detect_encoding(data) is None


@pytest.mark.parametrize("enc,crlf", [
    ("utf-8", False), ("utf-8", True), ("utf-8-sig", False), ("gb18030", False), ("gb18030", True),
    ("gbk", True), ("utf-16", False), ("utf-16", True), ("utf-16-le", False),
])
def test_every_encoding_and_crlf_gives_the_same_articles(run_cli, tmp_path, enc, crlf):
    text = LAW.replace("\n", "\r\n") if crlf else LAW
    f = tmp_path / "law.txt"
    f.write_bytes(text.encode(enc))
    expected = [("第一条", "为了规范测试工作，制定本法。"),
                ("第二条", "本法适用于中华人民共和国境内的测试活动。\n测试活动应当遵守下列规定：\n"
                           "（一）依法进行；\n（二）如实记录。"),
                ("第三条", "本法自2020年1月1日起施行。")]
    r = run_cli(["split", str(f)])
    assert r.exit_code == 0, r.stderr
    assert articles(r.records) == expected
    # and through the whole pipeline, as separate stages
    lines = run_cli(["extract", str(f)])
    paras = run_cli(["normalize"], input=lines.output)
    split = run_cli(["split"], input=paras.output)
    assert articles(split.records) == expected
    assert not any("\r" in r.get("text", "") for r in paras.records)


def test_big5_text_reads_back_exactly(run_cli, tmp_path):
    text = "臺灣地區與大陸地區人民關係條例\n第一條　國家統一前，為確保臺灣地區安全與民眾福祉，特制定本條例。\n"
    f = tmp_path / "big5.txt"
    f.write_bytes(text.encode("big5"))
    r = run_cli(["normalize", "--text", str(f)])
    assert r.exit_code == 0, r.stderr
    assert r.output == text


# --------------------------------------------------------------------------- pipes


def test_every_command_is_quiet_when_the_reader_goes_away(tmp_path):
    law = tmp_path / "law.txt"
    law.write_text(LAW * 400, encoding="utf-8")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for args in COMMANDS + [["diff", "--force", "-a", "-t", "table", str(law), str(law)]]:
        cmd = [sys.executable, "-m", "clt"] + args + ([] if args[0] == "diff" else [str(law)])
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        p.stdout.readline()
        p.stdout.close()  # like `| head -1`
        err = p.stderr.read().decode()
        assert p.wait(timeout=60) == 0, (args, err)
        assert err == "", (args, err)


# --------------------------------------------------------------------------- unreadable input


def _as_unprivileged(argv):
    """*argv* run as a user without root's right to read anything (or as is when not root)."""
    if os.geteuid() != 0:
        return argv
    import shutil

    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + argv


@pytest.mark.parametrize("args", [["normalize"], ["split"], ["extract"], ["convert", "--to", "md"],
                                  ["diff", "--force", "LAW"]])
def test_unreadable_file_is_one_line_not_click_usage(args):
    import pathlib
    import shutil
    import tempfile

    tmp_path = pathlib.Path(tempfile.mkdtemp(prefix="clt-qa-"))  # under /tmp: reachable by all
    try:
        _check_unreadable(tmp_path, args)
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def _check_unreadable(tmp_path, args):
    os.chmod(tmp_path, 0o755)
    law = tmp_path / "law.txt"
    law.write_text(LAW, encoding="utf-8")
    law.chmod(0o644)
    secret = tmp_path / "secret.txt"
    secret.write_text(LAW, encoding="utf-8")
    secret.chmod(0)
    argv = [sys.executable, "-m", "clt"] + [str(law) if a == "LAW" else a for a in args] + [str(secret)]
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    p = subprocess.run(_as_unprivileged(argv), capture_output=True, env=env, cwd="/")
    err = p.stderr.decode()
    assert p.returncode == (2 if args[0] == "diff" else 1), err
    assert err == f"clt: {secret}: permission denied\n"


# --------------------------------------------------------------------------- options and help


def test_batch_takes_convert_like_normalize(run_cli, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "law.txt").write_bytes("第一條　為了規範測試工作，制定本法。\n".encode("big5"))
    out = tmp_path / "out"
    r = run_cli(["batch", str(src), "-o", str(out), "--jobs", "1", "--convert", "t2s", "-q"])
    assert r.exit_code == 0, r.stderr
    texts = [json.loads(l).get("text") for l in (out / "law.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "为了规范测试工作，制定本法。" in texts  # 第一条 converted, so an article
    r = run_cli(["batch", str(src), "-o", str(out), "--jobs", "1", "--opencc", "t2s", "-q"])  # the old name
    assert r.exit_code == 0, r.stderr


def test_normalize_help_has_examples(run_cli):
    r = run_cli(["normalize", "--help"])
    assert "Examples:" in r.output and ":%!clt normalize --text" in r.output


# --------------------------------------------------------------------------- Ctrl-C

FORK_SCRIPT = r"""
import os, signal, sys, time
from clt.cli import _install_sigint_handler
_install_sigint_handler()
pid = os.fork()
if pid == 0:          # like a --jobs worker
    time.sleep(30)
    os._exit(0)
time.sleep(0.3)
os.kill(pid, signal.SIGINT)
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status))
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(5)
except KeyboardInterrupt:
    print("main interrupted")
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_ctrl_c_in_forked_workers_prints_no_traceback():
    # Ctrl-C goes to the whole process group: `clt extract --jobs 2` printed
    # "Process ForkPoolWorker-1:" for every worker besides "clt: interrupted".
    p = subprocess.run([sys.executable, "-c", FORK_SCRIPT], capture_output=True, timeout=60)
    assert p.stdout.decode().split() == ["130", "main", "interrupted"]
    assert p.stderr.decode() == ""


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")
def test_ctrl_c_to_the_process_group_exits_130_with_one_line():
    import signal
    import time

    p = subprocess.Popen([sys.executable, "-m", "clt", "normalize"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    p.stdin.write(LAW.encode())
    p.stdin.flush()  # stdin stays open: clt waits for more
    time.sleep(1.5)
    os.killpg(p.pid, signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 130
    assert err.decode() == "clt: interrupted\n"


def test_encoding_option_does_not_turn_json_lines_into_text(run_cli, tmp_path):
    # `clt diff --encoding gb18030 old.jsonl new.txt` applied the text encoding to the JSONL side too
    old = tmp_path / "old.jsonl"
    r = run_cli(["split", "-o", str(old)], input=LAW)
    assert r.exit_code == 0, r.stderr
    new = tmp_path / "new.txt"
    new.write_bytes(LAW.replace("如实记录", "如实完整记录").encode("gb18030"))
    r = run_cli(["diff", "--encoding", "gb18030", str(old), str(new)])
    assert r.exit_code == 1, r.stderr
    summary = r.records[-1]
    assert summary["changes"] == {"equal": 2, "modified": 1}
    r = run_cli(["normalize", "--encoding", "gb18030", "--text", str(old)])
    assert r.exit_code == 0 and r.output == ""  # split records: no para to print, no JSON read as text


def test_batch_output_that_is_a_file_is_one_line(run_cli, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "law.txt").write_text(LAW, encoding="utf-8")
    out = tmp_path / "out"
    out.write_text("not a directory")
    r = run_cli(["batch", str(src), "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 2
    assert r.stderr == f"clt: {out}: not a directory (OUT is the output directory)\n"


# --------------------------------------------------------------------------- diff table


def test_diff_table_never_starts_a_line_with_closing_punctuation():
    from clt.diff.render import _wrap

    assert _wrap("一二三，四五", 6) == "一二\n三，四\n五"
    assert _wrap("一二（三）四", 6) == "一二\n（三）\n四"
    text = "处5万元以上20万元以下的罚款，有违法所得的，没收违法所得。" * 3
    for width in range(8, 40):
        lines = _wrap(text, width).split("\n")
        assert "".join(lines) == text  # nothing lost or added
        assert not any(l[:1] in "，。、；：）" for l in lines), width


def test_diff_table_wraps_cjk_text_without_a_line_starting_with_a_comma(run_cli, tmp_path):
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text(LAW, encoding="utf-8")
    new.write_text(LAW.replace("本法适用于", "本法适用于中华人民共和国领域内，以及"), encoding="utf-8")
    for width in range(40, 60):
        r = run_cli(["diff", str(old), str(new), "-t", "table", "-W", str(width), "--force"])
        assert r.exit_code == 1, r.stderr
        cells = [c.strip() for l in r.output.splitlines() if l.startswith("|")
                 for c in l.strip("|").split("|")]
        assert cells and not any(c[:1] in "，。、；：）" for c in cells if c), width
        assert "{+" in r.output  # the insertion is shown


@pytest.mark.parametrize("args", [["split"], ["normalize"], ["convert", "--to", "md"]])
def test_record_whose_text_is_not_a_string_is_file_line_error(run_cli, args):
    # split crashed with "internal error: AttributeError: 'int' object has no attribute 'strip'"
    r = run_cli(args, input='{"type": "source", "schema": 1, "path": "x"}\n{"type": "line", "text": 5}\n')
    assert r.exit_code == 1
    assert r.stderr == "clt: <stdin>:2: line record: field 'text' must be a string\n"


def test_unknown_record_type_with_odd_fields_passes_through(run_cli):
    paras = run_cli(["normalize"], input=LAW).output
    r = run_cli(["split"], input='{"type": "x-note", "text": 5}\n' + paras)
    assert r.exit_code == 0, r.stderr
    assert r.records[0] == {"type": "x-note", "text": 5}
    assert [a["label"] for a in r.records if a["type"] == "article"] == ["第一条", "第二条", "第三条"]


# --------------------------------------------------------------------------- locale


@pytest.mark.parametrize("args", [["split"], ["normalize", "--text"], ["convert", "--to", "md"]])
def test_output_is_utf8_whatever_the_locale_says(run_clt_subprocess, args):
    # PYTHONIOENCODING=latin-1 (or an old system's LANG=C) made every command an internal error
    env = dict(os.environ, PYTHONIOENCODING="latin-1")
    p = run_clt_subprocess(args, input=LAW, env=env)
    assert p.returncode == 0, p.stderr
    assert "第一条" in p.stdout.decode("utf-8")


def test_chinese_file_name_in_an_error_under_an_ascii_locale(run_clt_subprocess):
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    p = run_clt_subprocess(["split", "不存在.txt"], env=env)
    assert p.returncode == 1
    assert p.stderr.decode("ascii") == "clt: \\u4e0d\\u5b58\\u5728.txt: no such file\n"


# --------------------------------------------------------------------------- Markdown on the fly


def test_convert_reads_its_own_markdown_back_unchanged(run_cli):
    # `clt convert --to md law.md` normalized the Markdown first: "# 标题" came out "# #标题"
    md = run_cli(["convert", "--to", "md"], input=run_cli(["split"], input=LAW).output).output
    assert md.startswith("# 中华人民共和国测试法\n")
    again = run_cli(["convert", "--to", "md"], input=md)
    assert again.exit_code == 0, again.stderr
    assert again.output == md


def test_diff_of_markdown_and_its_split_output_is_equal(run_cli, tmp_path):
    md = tmp_path / "law.md"
    md.write_text(run_cli(["convert", "--to", "md"], input=LAW).output, encoding="utf-8")
    split = tmp_path / "law.jsonl"
    split.write_text(run_cli(["split"], input=LAW).output, encoding="utf-8")
    r = run_cli(["diff", str(md), str(split)])
    assert r.exit_code == 0, r.output
    assert r.records[-1]["identical"] is True
    assert r.records[-1]["changes"] == {"equal": 3}
    assert r.records[-1]["headings"] == {"equal": 2}  # both chapters


# --------------------------------------------------------------------------- consistency


@pytest.mark.parametrize("name", ["extract", "normalize", "split", "diff", "convert", "batch"])
def test_shared_options_have_one_name_and_come_last(name):
    import importlib

    cmd = importlib.import_module(f"clt.cli.{name}").command
    opts = [p for p in cmd.params if p.param_type_name == "option"]
    flags = {o.name: sorted(o.opts) for o in opts}
    assert flags["encoding"] == ["--encoding", "-e"]
    assert flags["verbose"] == ["--verbose", "-v"]
    assert any(sorted(o.opts) == ["--output", "-o"] for o in opts)
    if name != "batch":  # batch's -o OUT is its main argument
        # then -q/--quiet (diff: diff's own) and -V/--version
        assert [o.name for o in opts if o.name not in ("quiet", "version")][-3:] == ["encoding", "output", "verbose"]
    assert sorted(flags["version"]) == ["--version", "-V"]
    if "level" in flags:
        assert "-l" in flags["level"]
    if name in ("normalize", "batch"):
        assert "--convert" in next(o for o in opts if "--convert" in o.opts).opts


# --------------------------------------------------------------------------- extract -o


def test_extract_leaves_no_empty_output_when_every_input_failed(run_cli, tmp_path):
    # `clt extract locked.pdf -o x.jsonl` left an empty x.jsonl behind (make took it as up to date)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"")
    out = tmp_path / "x.jsonl"
    r = run_cli(["extract", str(bad), "-o", str(out)])
    assert r.exit_code == 1
    assert r.stderr == f"clt: {bad}: empty file (0 bytes)\n"
    assert not out.exists()
    out.write_text("previous run\n")
    r = run_cli(["extract", str(bad), "-o", str(out)])
    assert r.exit_code == 1 and out.read_text() == "previous run\n"  # left as it was
    good = tmp_path / "law.txt"
    good.write_text(LAW, encoding="utf-8")
    r = run_cli(["extract", str(bad), str(good), "-o", str(out)])
    assert r.exit_code == 1  # one input failed, the other is written
    lines = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert [l["text"] for l in lines if l["type"] == "line"] == LAW.splitlines()


# --------------------------------------------------------------------------- pretty-printed JSON


def test_pretty_printed_json_tree_converts_back(run_cli, tmp_path):
    # README: "--indent 2 to pretty-print ... convert reads these trees back" -- the
    # indented tree was read as plain text ("no articles to convert: ... removed records")
    split = run_cli(["split"], input=LAW).output
    tree = run_cli(["convert", "--to", "json", "--indent", "2"], input=split).output
    assert tree.count("\n") > 20  # really pretty-printed
    md = run_cli(["convert", "--to", "md"], input=tree)
    assert md.exit_code == 0, md.stderr
    assert md.output == run_cli(["convert", "--to", "md"], input=split).output


def test_broken_json_is_a_file_line_error_not_text(run_cli):
    r = run_cli(["split"], input='{\n  "type": "article",\n  "label": \n')
    assert r.exit_code == 1
    assert r.stderr.startswith("clt: <stdin>:4: not valid JSON")


def test_short_gb18030_line_is_not_taken_for_utf16():
    data = "承办单位主要职责:\n".encode("gb18030")
    assert detect_encoding(data) == "gb18030"


def test_short_gb18030_text_the_detector_cannot_place_is_still_read(run_cli):
    # charset-normalizer gives up on a few characters: "cannot decode" for 市、县（区）人民
    data = "市、县（区）人民\n".encode("gb18030")
    assert detect_encoding(data) == "gb18030"
    recs = list(read_records(io.BytesIO(data)))
    assert [r["text"] for r in recs if r["type"] == "line"] == ["市、县（区）人民"]


def _examples(help_text, code_lines=None):
    """The `clt ...` invocations shown in a help text's example lines (or in
    *code_lines*, lines already known to be commands)."""
    import shlex

    out = []
    in_examples = False
    for line in (code_lines if code_lines is not None else help_text.splitlines()):
        line = line.strip().split("  #")[0].split("   (")[0]
        if code_lines is None:
            if line == "Examples:":
                in_examples = True
                continue
            if not line:
                in_examples = False
            if not in_examples:
                continue  # prose that mentions a command is not an example
        try:
            words = shlex.split(line.replace("|", " | "), comments=False)
        except ValueError:
            continue
        seg = []
        for w in words + ["|"]:
            if w == "|" or w.startswith((">", "<")):
                if seg and seg[0] in ("clt", ":%!clt"):
                    out.append(seg[1:])
                seg = [] if w == "|" else [None]
            elif seg != [None]:
                seg.append(w)
    return out


@pytest.mark.parametrize("name", [None, "extract", "normalize", "split", "diff", "convert", "batch"])
def test_every_example_in_help_parses(run_cli, name):
    """The examples of `clt [COMMAND] --help` use options that exist, with valid values."""
    import click

    from clt.cli import cli

    r = run_cli(([name] if name else []) + ["--help"])
    assert "Examples:" in r.output
    examples = _examples(r.output)
    assert examples, r.output
    for argv in examples:
        if not argv or argv[0] not in cli.list_commands(None):
            continue
        cmd = cli.get_command(None, argv[0])
        try:
            cmd.make_context(argv[0], argv[1:], resilient_parsing=False)
        except click.exceptions.Exit:
            pass
        except click.UsageError as e:
            pytest.fail(f"clt {' '.join(argv)}: {e.format_message()}")


def _check_parses(argv):
    import click

    from clt.cli import cli

    if not argv or argv[0] not in cli.list_commands(None):
        return False
    cmd = cli.get_command(None, argv[0])
    try:
        cmd.make_context(argv[0], argv[1:], resilient_parsing=False)
    except click.exceptions.Exit:
        pass
    except click.UsageError as e:
        pytest.fail(f"clt {' '.join(argv)}: {e.format_message()}")
    return True


def test_every_command_shown_in_the_readme_parses():
    readme = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")
    code = []
    in_fence = False
    for line in open(readme, encoding="utf-8"):
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if not in_fence and line.startswith("    ") and ("clt " in line) and "_CLT_COMPLETE" not in line:
            code.append(line.split("* * *", 1)[-1])  # cron lines: the command after the schedule
    checked = [argv for argv in _examples(None, code) if _check_parses(argv)]
    assert len(checked) >= 20, checked


def test_batch_summary_that_cannot_be_written_is_found_before_the_run(run_cli, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "law.txt").write_text(LAW, encoding="utf-8")
    out = tmp_path / "out"
    bad = tmp_path / "nodir" / "summary.json"
    r = run_cli(["batch", str(src), "-o", str(out), "--jobs", "1", "--summary", str(bad)])
    assert r.exit_code == 2
    assert r.stderr == f"clt: {bad}: cannot write the summary: directory {bad.parent} does not exist\n"
    assert not out.exists()  # nothing was converted
    r = run_cli(["batch", str(src), "-o", str(out), "--jobs", "1", "--summary", str(tmp_path)])
    assert r.exit_code == 2 and r.stderr == f"clt: {tmp_path}: is a directory (--summary names a file)\n"


def test_sigterm_leaves_no_temporary_output_file(tmp_path):
    # `timeout 60 clt ... -o x.jsonl` killed by SIGTERM left .x.jsonl.*.part behind
    import signal
    import time

    out = tmp_path / "x.jsonl"
    p = subprocess.Popen([sys.executable, "-m", "clt", "normalize", "-o", str(out)], stdin=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdin.write(LAW.encode())
    p.stdin.flush()  # stdin stays open: clt waits, its temporary file open
    time.sleep(1.5)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=30)
    assert p.returncode == 143
    assert err.decode() == "clt: terminated\n"
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("args", [["normalize", "--text"], ["extract"]])
def test_a_command_waiting_on_the_terminal_says_so(args):
    # `clt normalize` typed without its FILE just hung, silent
    master, slave = os.openpty()
    try:
        p = subprocess.Popen([sys.executable, "-m", "clt"] + args, stdin=slave,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.write(master, "第一条　测试。\n".encode() + b"\x04")
        out, err = p.communicate(timeout=30)
    finally:
        os.close(master)
        os.close(slave)
    assert err.decode().startswith("clt: reading from the terminal (end with Ctrl-D")
    assert "第一条" in out.decode()


def test_no_terminal_hint_when_stdin_is_a_pipe(run_clt_subprocess):
    p = run_clt_subprocess(["normalize", "--text"], input=LAW)
    assert p.returncode == 0 and p.stderr == b""
