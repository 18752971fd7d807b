"""`clt convert` — render split (or diff) output as Markdown, text, HTML, CSV, JSON, Akoma Ntoso, DOCX."""

import contextlib
import os
import sys

import click

from clt.cli import common
from clt.convert import FORMATS, convert, convert_to_dir, get_format
from clt.errors import CltError, UsageError

FORMAT_HELP = """\b
Formats (--to):
  md     Markdown: # title, 题注, ## 第一章 总则, one block per 款/项;
         'clt split' reads it back to the same articles
  txt    the official plain layout: 第一条　… with a two-space (全角) indent
  html   one standalone page: table of contents, articles with stable
         ids (#art-12, #art-287-1), print-friendly CSS; the references
         resolved inside a law are links (本法第二十条 -> #art-20)
  csv    one row per article (--level paragraph|item: per 款 / 项):
  tsv    law, path, label, num, sub[, paragraph[, item]], text
  json   one nested document tree per law (JSON Lines)
  akn    Akoma Ntoso 3.0 XML (one law per file)
  docx   Word document in the official layout (not to a terminal)
  sqlite a SQLite database (-o FILE required): documents, headings,
         articles, paragraphs, items, blocks and refs tables, an FTS5
         trigram index over article text; see 'clt search'

md, html, csv, tsv and json also render 'clt diff' output (a table of
changes).  The trees of --to json are read back as input, so a saved tree
converts to every other format.  The 目录 (a toc block) is not copied:
md/txt/docx leave it out and html builds its own from the headings.

With -o DIR (an existing directory, or a path ending in '/') every law
goes to its own file, named after its title.  --to sqlite adds the laws to
the database -o FILE (created when missing, updated when it exists): a law
already there (same title and 题注) is replaced, each law in a transaction
of its own, so a killed run never leaves one half-written.  Nothing is written when the
input holds no article; a failed run leaves no partial file behind.

\b
Examples:
  clt split law.txt | clt convert --to md > law.md
  clt split bulletin.jsonl | clt convert --to html -o out/
  clt convert --to csv --level item --bom law.jsonl -o law.csv
  clt convert --to sqlite law.jsonl -o laws.db
  clt diff old.jsonl new.jsonl | clt convert --to html -o changes.html"""


def _output_option(f):
    return click.option("-o", "--output", metavar="FILE|DIR", type=click.Path(dir_okay=True, allow_dash=True),
                        help="Write to FILE (replaced only when the command succeeds) or, when DIR "
                             "is a directory or ends with '/', one file per law into DIR.")(f)


def _is_dir_target(path):
    return path not in (None, "-") and (os.path.isdir(path) or path.endswith(("/", os.sep)))


@click.command(name="convert", epilog=FORMAT_HELP)
@click.option("--to", "-t", "to", required=True, metavar="FORMAT", shell_complete=common.complete_choices(list(FORMATS)),
              help="Output format: " + ", ".join(FORMATS) + ".")
@click.option("--level", "-l", type=click.Choice(["article", "paragraph", "item"]), default="article",
              show_default=True, help="csv/tsv: one row per article, per 款 (paragraph) or per 项 (item).")
@click.option("--bom", is_flag=True, help="csv/tsv: start with a UTF-8 byte-order mark (for Excel).")
@click.option("--indent", type=click.IntRange(0, 8), default=None, metavar="N",
              help="json: pretty-print with N spaces (default: one law per line).")
@common.lenient_option
@common.law_option
@common.input_options
@_output_option
@common.quiet_option
@common.verbose_option
def command(files, encoding, output, to, level, bom, indent, law=None):
    """Render split output as Markdown, text, HTML, CSV/TSV, JSON, Akoma Ntoso or DOCX.

    Reads the records of 'clt split' (document, heading, article, block)
    from FILES or stdin -- or the text of a law, which is normalized and
    split on the fly -- and writes one combined output, or one file per law
    with -o DIR.
    """
    name, fmt = get_format(to)
    options = {"level": level, "bom": bom, "indent": indent}
    if getattr(fmt, "DATABASE", False):
        _database_checks(name, output, options)
    records = common.inputs(files, encoding, stage="split")
    if law:
        from clt.laws import select_law

        records = select_law(records, law)
    if getattr(fmt, "DATABASE", False):
        summary = fmt.load(output, records)
        if common.state().verbose:
            click.echo(f"{output}: {summary['laws']} law(s): {summary['added']} added, {summary['replaced']} "
                       f"replaced, {summary['unchanged']} unchanged; {summary['articles']} articles", err=True)
        return 0
    if _is_dir_target(output):
        paths = convert_to_dir(records, name, output.rstrip("/" + os.sep) or output, **options)
        for p in paths:
            click.echo(p, err=True) if common.state().verbose else None
        return 0
    to_stdout = output in (None, "-")
    if fmt.BINARY and to_stdout and sys.stdout.isatty():
        raise UsageError(f"refusing to write {name.upper()} (binary) to a terminal",
                         hint="use -o FILE or redirect stdout")
    with contextlib.ExitStack() as stack:
        stack.enter_context(common._pipe_guard())
        try:
            fp = stack.enter_context(common.atomic_output(output, "wb" if fmt.BINARY else "w"))
        except OSError as e:  # checked before reading a record
            raise CltError(f"cannot write: {e.strerror or e}", source=output) from None
        for chunk in convert(records, name, **options):
            fp.write(chunk)
            if to_stdout:
                fp.flush()
    return 0


def _database_checks(name, output, options):
    """--to sqlite: a database file named by -o, and no option of the text formats."""
    if output in (None, "-"):
        raise UsageError(f"--to {name} writes a database file: give -o FILE",
                         hint="a database cannot be written to stdout")
    if _is_dir_target(output):
        raise UsageError(f"--to {name} writes one database file, not a directory", source=output)
    for opt, default in (("level", "article"), ("bom", False), ("indent", None)):
        if options[opt] != default:
            raise UsageError(f"--{opt} does not apply to --to {name}")
