"""`clt amend` — apply a 修改决定 or a 修正案 to the old text of a law."""

import logging

import click

from clt.cli import common
from clt.errors import CltError, UsageError
from clt import recache

log = logging.getLogger("clt.amend")


@click.command(name="amend")
@click.argument("old", type=click.Path(allow_dash=True, readable=False))
@click.argument("instrument", type=click.Path(allow_dash=True, readable=False))
@click.option("--title", metavar="TEXT",
              help="Pick the instrument whose title contains TEXT when INSTRUMENT holds several "
                   "documents (a bulletin), and in a decision amending several laws the part for the "
                   "law TEXT names; by default the one naming OLD's law.")
@click.option("--no-renumber", is_flag=True,
              help="Keep the old article numbers even when a 修改决定 re-publishes the law "
                   "(…对条文顺序作相应调整，重新公布).")
@common.lenient_option
@common.encoding_option
@common.output_option
@common.quiet_option
@common.verbose_option
def command(old, instrument, title, no_renumber, encoding, output):
    """Apply an amending instrument to a law and write the new version.

    OLD is the law before: `clt split` output (JSON Lines) or anything split
    accepts (text, one paragraph a line; Markdown; a PDF, Word file or web
    page).  INSTRUMENT is the 修改决定 (全国人民代表大会常务委员会关于修改
    《…》的决定, a local 人大常委会's, 国务院关于修改…的决定) or 修正案
    (刑法修正案 style): its text, a PDF/DOCX/HTML of it (extracted and
    normalized; a text pasted from a PDF with its lines broken goes through
    normalize too), or the records of `clt extract` / `clt normalize`; in a
    bulletin of several documents, the one --title names (else the one
    naming OLD's law).  A decision amending several laws (关于修改《A法》等
    八部法律的决定) applies its part for OLD's law (or the law --title
    names); when that law is not among those it amends, clt says which
    laws it does and exits 2.

    \b
    The output is the new law as `clt split` records (document with the new
    题注 event, heading, article, …, document_end), so it pipes into
    `clt convert` and `clt diff`.  Before document_end come one `amendment`
    record per instruction (item number, the instrument's words, op, target,
    old/new text, status applied or failed with a reason) and an
    `amend_summary`.  A 修改决定 names OLD article numbers; when it closes
    with …并对条文顺序作相应调整，重新公布 the law is renumbered and its
    internal cross-references (本法第X条, 第X条至第Y条…) follow.  A 修正案
    keeps the numbering (第X条之一, 第X条　（删去）).  When the closing says
    the 款 numbers are adjusted too (对条款序号作相应调整, 条、款、项序号),
    citations of 款 and 项 (第X条第Y款, 本条第二款, 前款第三项, 前两款)
    follow theirs.  An `amendment` record with op renumber_refs lists every
    citation changed; one naming a 款 or 项 that was deleted is left as
    printed and fails.  Quoted new text cites by NEW numbers and is left as
    quoted.  An article the instrument deletes but the old text still cites,
    and a 前条 whose article is no longer the one before it, are reported
    (a warning record and stderr) and left as printed.

    An instruction that cannot be applied exactly (phrase not found, no such
    article) is never guessed: it is reported on stderr and in its record.

    Exit status: 0 when every instruction applied, 1 when some could not be,
    2 on error.

    \b
    Examples:
      clt amend old.txt 决定.txt | clt convert --to md > new.md
      clt amend old.txt 修正案.txt -o new.jsonl
      clt diff old.txt new.jsonl
    """
    from clt.amend import amend
    from clt.stages import open_at, read_source

    if old == "-" and instrument == "-":
        raise click.UsageError("only one of OLD and INSTRUMENT can be '-' (stdin)")
    if "-" in (old, instrument):
        common.stdin_hint()
    state = {"failed": 0}
    try:
        paras = _paragraphs(read_source(instrument, encoding=encoding, lenient=common.lenient()))
        if not paras:
            raise UsageError("the instrument is empty", source=_name(instrument))
        # OLD: split output as it is, plain text one paragraph a line, a PDF/DOCX/HTML law through
        # extract, normalize and split
        old_records = open_at([old], "normalize", encoding=encoding, plain_text="keep", lenient=common.lenient())
        records = amend(old_records, paras, renumber=not no_renumber, title=title, name=_name(old),
                        instrument_name=_name(instrument))

        def watch(recs):
            for r in recs:
                if r.get("type") == "amendment" and r.get("status") == "failed":
                    state["failed"] += 1
                    log.warning(f"{_name(instrument)}: item {r.get('item') or '?'}: "
                                f"not applied: {r.get('reason')}: {r.get('text', '')[:60]}")
                elif r.get("type") == "warning" and r.get("stage") == "amend":
                    log.warning(f"{_name(instrument)}: {r.get('message')}")
                yield r

        common.emit(watch(records), output)
    except UsageError as e:
        e.exit_code = 2
        raise
    except CltError as e:
        e.exit_code = 2
        raise
    return 1 if state["failed"] else 0


def _paragraphs(records):
    """The instrument's paragraphs: para records when normalized, else its lines."""
    recs = list(records)
    kinds = {r.get("type") for r in recs}
    if "para" not in kinds:
        fmts = {r.get("format") for r in recs if r.get("type") == "source"}
        if fmts - {"text", None}:
            from clt.normalize import normalize

            recs = list(normalize(iter(recs)))
            kinds = {r.get("type") for r in recs}
    if "para" not in kinds and _hard_wrapped([r.get("text") or "" for r in recs if r.get("type") == "line"]):
        # a text pasted from a PDF: lines broken inside paragraphs, page numbers and running heads
        from clt.normalize import normalize

        recs = list(normalize(iter(recs)))
        kinds = {r.get("type") for r in recs}
    want = "para" if "para" in kinds else "line"
    return [r.get("text") or "" for r in recs if r.get("type") == want]


_PAGE_NO = recache.compile(r"^\s*(?:[—\-－–]+\s*[0-9０-９]+\s*[—\-－–]+|第\s*[0-9０-９]+\s*页(?:\s*[/共]\s*[0-9０-９]+\s*页?)?)\s*$")
_ENDS = tuple("。：:；;”」）)！？")


def _hard_wrapped(lines):
    """Whether a plain-text instrument is printed with its paragraphs broken into
    lines (or page numbers between them), as text copied from a PDF is: then it
    goes through `clt normalize` first.  One paragraph a line, an instrument's
    lines end with 。, ：, ； or a closing quotation mark."""
    if any("\f" in x or _PAGE_NO.match(x) for x in lines):
        return True
    long = [x.strip() for x in lines if len(x.strip()) >= 20]
    if len(long) < 4:
        return False
    open_ = [x for x in long if not x.endswith(_ENDS)]
    return len(open_) >= 3 and len(open_) > 0.3 * len(long)


def _name(path):
    return "<stdin>" if path == "-" else path
