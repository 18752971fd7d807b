"""`clt split` — laws, headings and articles from paragraphs."""

import click

from clt.cli import common
from clt.split import LEVELS, split


@click.command(name="split")
@click.option("--level", "-l", type=click.Choice(LEVELS), default="article", show_default=True,
              help="Finest unit to emit: 'paragraph' adds a paragraph record per 款 after each "
                   "article, 'item' adds item records for its 项 as well.")
@common.lenient_option
@common.common_options
def command(files, encoding, output, level):
    """Split paragraphs into laws, headings and articles.

    Reads para records from 'clt normalize', raw line records, plain
    text (one paragraph per line) or a Markdown law ('# title', '## 第一章 总则'),
    and writes, for each law: a document record (title, 题注 history,
    notice), the notice and other unnumbered text as block records,
    heading records (编/分编/章/节), article records (label, num, sub,
    path, text, paragraphs with 项/目), numbering warning records and a
    closing document_end (effective date).  Other records pass through.

    \b
    Examples:
      clt extract bulletin.pdf | clt normalize | clt split > law.jsonl
      clt split law.txt --level item
    """
    common.emit(split(common.inputs(files, encoding, stage="normalize", plain_text="keep"), level=level), output)
