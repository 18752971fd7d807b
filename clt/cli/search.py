"""`clt search` — articles of a clt SQLite database that hold a phrase, with their citation."""

import sys

import click

from clt.cli import common

ANSI = ("\x1b[1;31m", "\x1b[0m")
BRACKETS = ("[", "]")


@click.command(name="search")
@click.argument("database", type=click.Path(dir_okay=True, readable=False))
@click.argument("query", nargs=-1, required=True)
@click.option("--law", metavar="TITLE",
              help="Only the laws whose title is TITLE or holds it (网络安全法; white space ignored); "
                   "a TITLE no law of the database has is an error.")
@click.option("--limit", "-n", type=click.IntRange(1), metavar="N", help="Print at most N articles.")
@click.option("--json", "as_json", is_flag=True,
              help="Write one JSON object per article: citation, law, label, num, sub, anchor, text, "
                   "matches ([start, end] in text), snippet, document_id, article_id.")
@click.option("--highlight", type=click.Choice(["ansi", "brackets", "none"]), default=None,
              help="How the matches are marked in the snippet: bold red (the default on a terminal), "
                   "[between brackets] (the default otherwise) or not at all.")
@click.option("--context", "-C", type=click.IntRange(0), default=20, show_default=True, metavar="N",
              help="Characters of the article shown either side of the first match.")
@common.output_option
@common.verbose_option
def command(database, query, law, limit, as_json, highlight, context, output):
    """Print the articles of DATABASE whose text holds QUERY, with their citation.

    DATABASE is made by 'clt convert --to sqlite' or 'clt batch --to sqlite'.
    QUERY is found as a substring of the article text (Chinese needs no
    word breaks); several words must all be in the article.  Words of three
    characters or more go through the FTS5 trigram index, shorter ones
    through a second FTS5 index of single characters, each hit checked
    with LIKE (a trigram index cannot find one or two characters): the
    articles found are those LIKE finds.
    Articles come in the order of their laws, one line each:
    《law》第X条: …the text around the first match…

    Exit status (as grep): 0 something matched, 1 nothing did, 2 an error
    (a missing database, a file that is not a clt database).

    \b
    Examples:
      clt search laws.db 个人信息 --law 网络安全法
      clt search laws.db 行政处罚 罚款 --limit 20
      clt search laws.db 个人信息 --json | jq -r .citation
    """
    from clt.convert.sqlite import search
    from clt.errors import CltError

    if highlight is None:
        to_tty = output in (None, "-") and sys.stdout.isatty()
        highlight = "ansi" if to_tty else "brackets"
    marks = {"ansi": ANSI, "brackets": BRACKETS, "none": ("", "")}[highlight]
    try:
        hits = list(search(database, " ".join(query), law=law, limit=limit, context=context))
    except CltError as e:
        e.exit_code = 2  # grep's status for an error: 1 is "nothing matched"
        raise
    if as_json:
        common.emit(({"type": "match", **h} for h in hits), output)
    else:
        common.emit_text((line(h, marks) + "\n" for h in hits), output)
    return 0 if hits else 1


def line(hit, marks=BRACKETS):
    """``《law》第X条: …snippet…`` with the matches between *marks*."""
    sn = hit["snippet"]
    text, out, pos = sn["text"], [], 0
    for s, e in sn["matches"]:
        out.append(text[pos:s] + marks[0] + text[s:e] + marks[1])
        pos = e
    out.append(text[pos:])
    body = ("…" if sn.get("before") else "") + "".join(out) + ("…" if sn.get("after") else "")
    return f"{hit['citation'] or ''}: {body}"
