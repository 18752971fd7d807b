"""`clt refs` — the cross-references of every article, resolved to their targets."""

import click

from clt.cli import common


@click.command(name="refs")
@click.option("--graph", "-g", is_flag=True,
              help="Write only the reference edges: one ref record (from, to, kind) per cited unit.")
@common.law_option
@common.common_options
def command(files, encoding, output, graph, law):
    """Find and resolve the cross-references in each article.

    Reads 'clt split' output (or the text of a law, split on the fly) and
    writes it again with a refs list on every article: each citation in its
    text -- 本法第二十条, 第三十条第二款第（三）项, 第十条至第十五条, 前款, 前两款,
    本条第二款, 前条, 本章, 《中华人民共和国刑法》第二百六十六条, 刑法第X条 -- with
    start/end (offsets in text), the words as printed, its kind and its
    target (law, label, num, sub, para, item), or unresolved with a reason.
    Chained citations (第十二条、第十三条和第十五条) are one ref each.  A
    target the law does not hold (第九十条 in a law of 80 articles) is a
    warning on the ref and a warning record after the article.  有关法律、
    行政法规 cites nothing.

    \b
    Examples:
      clt split law.txt | clt refs > law-refs.jsonl
      clt refs law.jsonl --graph | jq -c '[.from.label, .to.label]'
      clt refs bulletin.jsonl --law 网络安全法
    """
    from clt.convert import structured
    from clt.laws import select_law
    from clt.refs import refs

    records = common.inputs(files, encoding)
    records = select_law(records, law) if law else structured(records)
    common.emit(refs(records, graph=graph), output)
