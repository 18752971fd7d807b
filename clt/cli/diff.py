"""`clt diff` — compare two versions of a law article by article."""

import click

from clt.cli import common
from clt.errors import CltError, UsageError
from clt.stages import read_source


@click.command(name="diff")
@click.argument("old", type=click.Path(allow_dash=True, readable=False))
@click.argument("new", type=click.Path(allow_dash=True, readable=False))
@click.option("--to", "-t", "--format", "fmt", type=click.Choice(["jsonl", "unified", "table", "md", "html"]),
              default="jsonl", show_default=True,
              help="jsonl: change records and a summary; unified: a text diff with inline "
                   "[-deleted-]{+inserted+} runs; table: a two-column 修改前后对照表 for the "
                   "terminal; md: the same table in Markdown; html: a standalone page with both "
                   "versions side by side.")
@click.option("--ignore-width", is_flag=True,
              help="Do not count half-width/full-width differences (， and ,  （ and ( ...) as changes.")
@click.option("--ignore-space", is_flag=True,
              help="Do not count white space differences as changes.")
@click.option("--all", "-a", "show_all", is_flag=True,
              help="In unified/table/md/html output, show unchanged articles too.")
@click.option("--width", "-w", type=click.IntRange(40, 400), metavar="COLS",
              help="Width of the terminal table (default: the terminal's width, or 100).")
@click.option("--title", metavar="TEXT", help="Title of the md/html page (default 修改前后对照表).")
@click.option("--force", is_flag=True,
              help="Compare even when the two inputs do not look like versions of the same law.")
@common.lenient_option
@common.law_option
@common.encoding_option
@common.output_option
@common.verbose_option
def command(old, new, fmt, ignore_width, ignore_space, show_all, width, title, force, encoding,
            output, law=None):
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

    Exit status: 0 when the versions are equal, 1 when they differ, 2 on error.

    \b
    Examples:
      clt diff old.jsonl new.jsonl --format table
      clt diff old.txt new.txt --format html -o 对照表.html
      clt split new.txt | clt diff old.jsonl - --ignore-width
    """
    from clt.diff import diff
    from clt.diff.render import render

    if old == "-" and new == "-":
        raise click.UsageError("only one of OLD and NEW can be '-' (stdin)")
    if "-" in (old, new):
        common.stdin_hint()
    try:
        sides = [read_source(old, encoding=encoding, lenient=common.lenient()),
                 read_source(new, encoding=encoding, lenient=common.lenient())]
        if law:  # the same law out of each side (a bulletin holds several)
            from clt.laws import select_law

            sides = [select_law(s, law, source=_name(p)) for s, p in zip(sides, (old, new))]
        records = diff(*sides,
                       ignore_width=ignore_width, ignore_space=ignore_space, force=force,
                       old_name=_name(old), new_name=_name(new))
        state = {"identical": False}

        def watch(recs):
            for r in recs:
                if r.get("type") == "summary":
                    state["identical"] = bool(r.get("identical"))
                yield r

        if fmt == "jsonl":
            common.emit(watch(records), output)
        else:
            if fmt == "table" and width is None:
                width = _terminal_width()
            common.emit_text(render(watch(records), fmt, all=show_all, width=width, title=title),
                             output)
    except UsageError:
        raise
    except CltError as e:
        e.exit_code = 2  # like diff(1): 2 means trouble
        raise
    return 0 if state["identical"] else 1


def _name(path):
    return "<stdin>" if path == "-" else path


def _terminal_width():
    import shutil

    return max(40, min(200, shutil.get_terminal_size((100, 24)).columns))
