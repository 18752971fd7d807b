"""`clt get` — an article (or 款, 项) fetched by its citation."""

import click

from clt.cli import common


@click.command(name="get")
@click.argument("file", type=click.Path(allow_dash=True, readable=False))
@click.argument("citation", nargs=-1, required=True)
@click.option("--para", "-k", type=click.IntRange(1), metavar="N",
              help="Only 款 N of the article (-k for 款: -p is --pages elsewhere).")
@click.option("--item", "-i", type=click.IntRange(1), metavar="N", help="Only 项 N (of 款 --para, or of the 款 that has it).")
@click.option("--json", "as_json", is_flag=True, help="Write the records (article, paragraph or item) as JSON Lines.")
@common.law_option
@common.encoding_option
@common.output_option
@common.quiet_option
@common.verbose_option
def command(file, citation, para, item, as_json, law, encoding, output):
    """Print the article CITATION of the law in FILE.

    FILE is 'clt split' output or the text of a law ('-' for stdin).
    CITATION is an article as printed -- 第十条, 第十条之一, 第十条第二款,
    第十条第二款第（三）项, 第十条至第十二条 -- or in digits: 10, 10之1, 10.2
    (款 2), 10.2.3 (项 3), 10-12 (a range).  Several citations print one after
    the other, a blank line between them.  A citation the law does not hold
    is exit status 1 with one line; a bulletin with several laws needs --law.

    \b
    Examples:
      clt get law.jsonl 第十条
      clt get law.jsonl 10 --para 2 --item 3
      clt get bulletin.jsonl --law 网络安全法 第二十一条 --json
    """
    from clt.convert import structured
    from clt.laws import select_law
    from clt.lookup import lookup, render_text
    from clt.records import read_records

    if file == "-":
        common.stdin_hint()
    records = list(select_law(read_records(file, encoding=encoding), law, source=file) if law
                   else structured(read_records(file, encoding=encoding)))
    found = []
    for c in " ".join(citation).replace("，", " ").replace(",", " ").split() or [""]:
        found.append(list(lookup(records, c, para=para, item=item, source=None if file == "-" else file)))
    if as_json:
        common.emit((r for group in found for r in group), output)
    else:
        common.emit_text(_text(found, render_text), output)
    return 0


def _text(found, render):
    first = True
    for group in found:
        for rec in group:
            if not first:
                yield "\n"
            yield render(rec) + "\n"
            first = False
