"""One scheme of short flags across every command (issue 15).

-o output, -t/--to output format, -f/--from input format, -j jobs, -q quiet,
-V/--version, -v verbose; and no letter means two different things
anywhere: someone who learnt a flag on one command may use it on the next.
"""

import click
import pytest

from clt.cli import cli

#: the reserved short flags and the long option each must be (an option may have more names)
SCHEME = {"-o": "--output", "-t": "--to", "-f": "--from", "-j": "--jobs", "-q": "--quiet",
          "-V": "--version", "-v": "--verbose", "-h": "--help"}


def _commands():
    ctx = click.Context(cli, info_name="clt", **cli.context_settings)
    yield "clt", cli, ctx
    for name in cli.list_commands(ctx):
        yield f"clt {name}", cli.get_command(ctx, name), ctx


def _options():
    """(command, short flag, long names) for every option with a short flag."""
    for where, cmd, ctx in _commands():
        sub = ctx if cmd is cli else click.Context(cmd, info_name=where, parent=ctx)
        for p in cmd.get_params(sub):
            if not isinstance(p, click.Option):
                continue
            names = list(p.opts) + list(p.secondary_opts)
            longs = {n for n in names if n.startswith("--")}
            for short in (n for n in names if not n.startswith("--")):
                yield where, short, longs


def test_reserved_short_flags_mean_one_thing_everywhere():
    wrong = [f"{where}: {short} is {'/'.join(sorted(longs))}, the scheme says {SCHEME[short]}"
             for where, short, longs in _options() if short in SCHEME and SCHEME[short] not in longs]
    assert not wrong, "\n".join(wrong)


def test_no_short_flag_means_two_different_options():
    meaning = {}
    for where, short, longs in _options():
        meaning.setdefault(short, []).append((where, longs))
    clashes = []
    for short, uses in meaning.items():
        first_where, first = uses[0]
        for where, longs in uses[1:]:
            if not longs & first:
                clashes.append(f"{short}: {'/'.join(sorted(first))} in {first_where}, "
                               f"{'/'.join(sorted(longs))} in {where}")
    assert not clashes, "\n".join(clashes)


def test_every_command_has_version_verbose_and_help():
    for where, cmd, ctx in _commands():
        sub = ctx if cmd is cli else click.Context(cmd, info_name=where, parent=ctx)
        names = {n for p in cmd.get_params(sub) if isinstance(p, click.Option) for n in p.opts}
        # help comes from the group's context settings; click caches a command's help option
        # from the first context it saw, so ask the context, not the cache
        names |= set(cmd.get_help_option_names(sub))
        assert {"-V", "--version", "-v", "--verbose", "-h", "--help"} <= names, where


@pytest.mark.parametrize("name", ["extract", "normalize", "split", "diff", "convert", "batch", "amend",
                                  "refs", "get"])
def test_version_on_every_subcommand(run_cli, name):
    from clt import __version__

    r = run_cli([name, "--version"])
    assert r.exit_code == 0 and r.output.startswith(f"clt {__version__}")
    assert run_cli([name, "-V"]).output == r.output


def test_clt_v_alone_prints_the_version_not_missing_command(run_cli):
    from clt import __version__

    for flag in ("-v", "-V", "--version", "--verbose"):
        r = run_cli([flag])
        assert r.exit_code == 0, (flag, r.stderr)
        assert r.output == f"clt {__version__} (record schema 1)\n"
        assert "Missing command" not in r.stderr
    # before a command -v is still --verbose
    r = run_cli(["-v", "split"], input="第一条　甲。\n")
    assert r.exit_code == 0 and [x["num"] for x in r.records if x["type"] == "article"] == [1]


def test_normalize_to_txt_and_the_old_text_flag(run_cli):
    law = "第一条  本条例适用于本市。\n"
    a = run_cli(["normalize", "-t", "txt"], input=law)
    b = run_cli(["normalize", "--text"], input=law)
    c = run_cli(["normalize", "--to", "txt"], input=law)
    assert a.exit_code == 0 and a.output == b.output == c.output == "第一条　本条例适用于本市。\n"
    paras = [x for x in run_cli(["normalize", "-t", "jsonl"], input=law).records if x["type"] == "para"]
    assert [x["text"] for x in paras] == ["第一条　本条例适用于本市。"]


def test_opencc_option_and_its_old_name(run_cli):
    law = "第一條　為了規範管理，制定本條例。\n"
    a = run_cli(["normalize", "--text", "--opencc", "t2s"], input=law).output
    assert a == run_cli(["normalize", "--text", "--convert", "t2s"], input=law).output
    assert a == "第一条　为了规范管理，制定本条例。\n"


def test_quiet_silences_warnings(run_cli):
    # a law that stops inside an article warns on stderr; -q keeps the warning record only
    law = "第一条　甲。\n第二条　乙，\n"
    loud = run_cli(["split"], input=law)
    quiet = run_cli(["split", "-q"], input=law)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert quiet.output == loud.output


def test_get_para_short_flag_is_k(run_cli, tmp_path):
    law = tmp_path / "law.txt"
    law.write_text("第一条　甲。\n第二条　乙。\n丙。\n", encoding="utf-8")
    r = run_cli(["get", str(law), "2", "-k", "2"])
    assert r.exit_code == 0 and "丙" in r.output and "乙" not in r.output


def _complete(args, incomplete):
    from click.shell_completion import ShellComplete

    comp = ShellComplete(cli, {}, "clt", "_CLT_COMPLETE")
    return [c.value for c in comp.get_completions(args, incomplete)]


def test_completion_offers_formats_and_rule_names():
    assert "md" in _complete(["convert", "--to"], "") and "docx" in _complete(["convert", "--to"], "d")
    assert _complete(["batch", "x", "-t"], "jsonl,m") == ["jsonl,md"]
    rules = _complete(["normalize", "--disable"], "")
    assert "cjk-space" in rules and "punct-width" in rules
    assert _complete(["normalize", "-d"], "cjk") == ["cjk-space"]
    assert "t2s" in _complete(["normalize", "--opencc"], "")
    assert set(_complete(["normalize", "--to"], "")) == {"jsonl", "txt"}
    assert "html" in _complete(["diff", "a", "b", "--to"], "")


def test_extract_from_says_what_the_input_is(run_cli, tmp_path):
    f = tmp_path / "notes.jsonl"
    f.write_text('{"type": "line", "text": "第一条　甲。"}\n', encoding="utf-8")
    # told from the content: records, passed through
    assert run_cli(["extract", str(f)]).records == [{"type": "line", "text": "第一条　甲。"}]
    # -f text: a text that only looks like records is read as text, nothing lost
    lines = [r for r in run_cli(["extract", "-f", "text", str(f)]).records if r["type"] == "line"]
    assert [r["text"] for r in lines] == ['{"type": "line", "text": "第一条　甲。"}']
    html = run_cli(["extract", "--from", "html", "-"], input="<p>第一条　甲。</p>")
    assert [r["text"] for r in html.records if r["type"] == "line"] == ["第一条　甲。"]
    raw = run_cli(["extract", "--from", "txt", "-"], input="<p>第一条　甲。</p>")
    assert [r["text"] for r in raw.records if r["type"] == "line"] == ["<p>第一条　甲。</p>"]
    assert run_cli(["extract", "-f", "bogus", str(f)]).exit_code == 2
