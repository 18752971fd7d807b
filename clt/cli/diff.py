"""`clt diff` — compare two versions of a law article by article."""

import os
import sys

import click

from clt.cli import common
from clt.errors import CltError, UsageError
from clt.stages import read_source


FORMATS = ["jsonl", "unified", "table", "md", "html", "docx"]


@click.command(name="diff")
@click.argument("old", type=click.Path(allow_dash=True, readable=False))
@click.argument("new", type=click.Path(allow_dash=True, readable=False))
@click.option("--to", "-t", "fmt", type=click.Choice(FORMATS), default=None,
              help="jsonl (default): change records and a summary; unified: a unified diff "
                   "of the two texts as `clt convert --to txt` prints them (patch and "
                   "diffstat read it); table: a two-column 修改前后对照表 for the terminal; md: "
                   "the same table in Markdown; html: a printable page (A4) with both versions "
                   "side by side, its cross-references links (#art-20, #old-art-20); docx: the 修改前后对照表 as a Word document in the official "
                   "layout.")
@click.option("--format", "fmt_alias", type=click.Choice(FORMATS), hidden=True,
              help="Old name of --to.")
@click.option("-u", "--unified", "unified", is_flag=True, help="The same as --to unified.")
@click.option("-U", "--context-lines", "context", type=click.IntRange(0, 1000), metavar="N",
              help="Lines of context around each hunk of the unified diff (default 3; implies -u).")
@click.option("-q", "--brief", "--quiet", "brief", is_flag=True,
              help="Only say whether the versions differ (\"Files OLD and NEW differ\"), as "
                   "diff -q does; exit status 1 when they do.")
@click.option("--color", "--colour", "color", type=click.Choice(["auto", "always", "never"]),
              default="auto", show_default=True,
              help="Colour the unified diff and the terminal table: auto colours when writing "
                   "to a terminal and NO_COLOR is not set.")
@click.option("--ignore-width", is_flag=True,
              help="Do not count half-width/full-width differences (， and ,  （ and ( ...) as changes.")
@click.option("-w", "--ignore-space", "--ignore-all-space", "ignore_space", is_flag=True,
              help="Ignore white space when comparing (GNU diff -w): texts that differ only in "
                   "spaces are equal.")
@click.option("--all", "-a", "show_all", is_flag=True,
              help="In table/md/html/docx output, show unchanged articles too.")
@click.option("-W", "--width", type=click.IntRange(40, 400), metavar="COLS",
              help="Width of the terminal table (default: $COLUMNS, else the width of the "
                   "terminal, else 80).")
@click.option("--similarity", is_flag=True,
              help="In table/md/html/docx reports, give each pair's similarity (0-1) with its change.")
@click.option("--notes", is_flag=True,
              help="docx: a third column 说明 naming each change (修改, 删除, 新增 …).")
@click.option("--title", metavar="TEXT",
              help="Title of the md/html/docx report (default 《name of the law》修改前后对照表).")
@click.option("--force", is_flag=True,
              help="Compare even when the two inputs do not look like versions of the same law.")
@common.lenient_option
@common.law_option
@common.encoding_option
@common.output_option
@common.verbose_option
def command(old, new, fmt, fmt_alias, unified, context, brief, color, ignore_width, ignore_space,
            show_all, width, similarity, notes, title, force, encoding, output, law=None):
    """Compare two versions of a law, article by article.

    OLD and NEW are `clt split` output (JSON Lines) or anything split accepts:
    the text of a law (normalized and split on the fly) or `clt normalize`
    output; '-' reads stdin (one side only).  Articles are paired by content, not by number, with the order of
    the law respected, so renumbering does not make everything "changed".

    \b
    Each pairing is a `change` record with an op:
      equal, renumbered   same text (new label for renumbered)
      moved               paired out of order (modified: true if edited too)
      modified            text changed; `inline` holds the character runs
      split, merged       one old into several new, several old into one new
      deleted, inserted   no counterpart
    A pair that differs only in cross-references following the renumbering
    (第二十条 → 第二十一条 where old article 20 became 21) stays
    equal/renumbered with references_only: true.  Headings are compared too
    (`heading_change` records); a `summary` record comes last.

    -u (--to unified) writes a real unified diff of the two versions as
    `clt convert --to txt` prints them (every 款 and 项 one line, headings on
    their own lines), one hunk per changed article: `clt convert --to txt OLD
    > old.txt; patch old.txt < changes.diff` gives the text of NEW.
    table, md, html and docx are 修改前后对照表 reports; the change names are
    修改, 删除, 新增, 移动, 拆分, 合并.

    Exit status: 0 when the versions are equal, 1 when they differ, 2 on error.

    \b
    Examples:
      clt diff old.jsonl new.jsonl -t table
      clt diff old.txt new.txt -u | diffstat
      clt diff old.txt new.txt -t html -o 对照表.html
      clt diff old.pdf new.docx -t docx --notes -o 对照表.docx
      clt diff -q old.txt new.txt
      clt split new.txt | clt diff old.jsonl - --ignore-width
    """
    from clt.diff import diff
    from clt.diff.render import render

    fmt = _pick_format(fmt, fmt_alias, unified, context)
    if old == "-" and new == "-":
        raise click.UsageError("only one of OLD and NEW can be '-' (stdin)")
    if "-" in (old, new):
        common.stdin_hint()
    to_stdout = output in (None, "-")
    colored = _use_color(color, to_stdout)
    try:
        sides = [read_source(old, encoding=encoding, lenient=common.lenient()),
                 read_source(new, encoding=encoding, lenient=common.lenient())]
        if law:  # the same law out of each side (a bulletin holds several)
            from clt.laws import select_law

            sides = [select_law(s, law, source=_name(p)) for s, p in zip(sides, (old, new))]
        if fmt == "unified" and not brief:
            from clt.diff.unified import file_label, unified_diff

            state = {"identical": True}

            def lines():
                for line in unified_diff(list(sides[0]), list(sides[1]),
                                         old_label=file_label(old, _name(old)),
                                         new_label=file_label(new, _name(new)),
                                         context=3 if context is None else context,
                                         ignore_width=ignore_width, ignore_space=ignore_space,
                                         color=colored):
                    state["identical"] = False
                    yield line

            common.emit_text(lines(), output)
            return 0 if state["identical"] else 1
        records = diff(*sides,  # -q: two unrelated texts simply differ
                       ignore_width=ignore_width, ignore_space=ignore_space, force=force or brief,
                       old_name=_name(old), new_name=_name(new))
        state = {"identical": False}

        def watch(recs):
            for r in recs:
                if r.get("type") == "summary":
                    state["identical"] = bool(r.get("identical"))
                yield r

        if brief:
            for _ in watch(records):
                pass
            if not state["identical"]:
                common.emit_text([f"Files {_name(old)} and {_name(new)} differ\n"], output)
            return 0 if state["identical"] else 1
        if fmt == "jsonl":
            common.emit(watch(records), output)
        elif fmt == "docx":
            from clt.diff.docx import render_docx

            if to_stdout and sys.stdout.isatty():
                raise UsageError("refusing to write DOCX (binary) to a terminal",
                                 hint="use -o FILE or redirect stdout")
            data = render_docx(watch(records), all=show_all, title=title, notes=notes,
                               similarity=similarity)
            with common._pipe_guard(), common.atomic_output(output, "wb") as fp:
                fp.write(data)
        else:
            if fmt == "table" and width is None:
                width = terminal_width()
            common.emit_text(render(watch(records), fmt, all=show_all, width=width, title=title,
                                    color=colored and fmt == "table", similarity=similarity),
                             output)
    except UsageError:
        raise
    except CltError as e:
        e.exit_code = 2  # like diff(1): 2 means trouble
        raise
    return 0 if state["identical"] else 1


def _pick_format(fmt, alias, unified, context):
    """The one output format -t/--to, --format, -u and -U ask for (a clash is a usage error)."""
    asked = {f for f in (fmt, alias) if f}
    if unified or context is not None:
        asked.add("unified")
    if len(asked) > 1:
        raise click.UsageError("conflicting output formats: " + ", ".join(sorted(asked)))
    return asked.pop() if asked else "jsonl"


def _use_color(mode, to_stdout):
    """Whether to colour: --color always/never, or auto: stdout is a terminal,
    NO_COLOR (https://no-color.org) unset or empty, TERM not dumb."""
    if mode == "always":
        return True
    if mode == "never" or not to_stdout:
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _name(path):
    return "<stdin>" if path == "-" else path


def terminal_width():
    """Columns for the terminal table: $COLUMNS, else the terminal's width
    (stdout, else stderr, else /dev/tty: `clt diff … | less` is as wide as the
    terminal less shows it on), else 80."""
    cols = os.environ.get("COLUMNS", "")
    if cols.strip().isdigit() and int(cols) > 0:
        return int(cols)
    for fd in (1, 2):
        try:
            return os.get_terminal_size(fd).columns
        except (OSError, ValueError):
            pass
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return 80
    try:
        return os.get_terminal_size(fd).columns
    except OSError:
        return 80
    finally:
        os.close(fd)
