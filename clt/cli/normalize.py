"""`clt normalize` — line records (or plain text) in, clean para records out."""

import click

from clt.cli import common
from clt.normalize import OCR_MODES, OPENCC_CONFIGS, list_rules, normalize


def _list_rules(ctx, param, value):
    if not value or ctx.resilient_parsing:
        return
    for name, family, desc in list_rules():
        click.echo(f"{name:<18} {family:<11} {desc}")
    ctx.exit(0)


@click.command(name="normalize")
@click.option("--disable", "-d", "disable", metavar="RULE", multiple=True, shell_complete=common.complete_rules,
              help="Switch off a rule (repeatable, or comma-separated); see --list-rules.")
@click.option("--list-rules", is_flag=True, expose_value=False, is_eager=True, callback=_list_rules,
              help="List the rules (name, family, what it does) and exit.")
@click.option("--opencc", "--convert", "convert", metavar="CONFIG", shell_complete=common.complete_opencc,
              help="Convert the script with OpenCC: " + ", ".join(OPENCC_CONFIGS) + " (off by default; "
                   "--convert is the old name).")
@click.option("--keep-removed/--no-removed", "keep_removed", default=True, show_default=True,
              help="Write a 'removed' record for every removed header, page number, scan scrap and "
                   "duplicated line (the default), or drop them silently.")
@click.option("--ocr", "ocr", type=click.Choice(OCR_MODES), default="auto", show_default=True,
              help="Which lines get the OCR repairs: auto = lines extract read by OCR, and plain text "
                   "that reads like OCR output (a stray quote after its article labels, | inside "
                   "words; a text-looks-ocred warning says so); always; never.")
@click.option("--to", "-t", "to", type=click.Choice(["jsonl", "txt"]), default="jsonl", show_default=True,
              help="jsonl: para records; txt: plain text, one paragraph per line (an editor filter: "
                   ":%!clt normalize -t txt).")
@click.option("--text", "text_mode", is_flag=True, help="The same as --to txt.")
@common.lenient_option
@common.common_options
def command(files, encoding, output, disable, convert, keep_removed, ocr, to, text_mode):
    """Repair extracted text and join its lines into paragraphs.

    Reads 'line' records (from clt extract) or plain text, removes page
    furniture (running headers, page numbers) and duplicated lines, joins
    printed lines into one 'para' record per paragraph, and repairs the
    characters (radicals, compatibility ideographs, full-width digits,
    half-width punctuation in Chinese text, spaces between Chinese
    characters, damaged article labels).  Every change is listed in the
    para's 'edits' and every removed line is a 'removed' record, so the input
    can be reconstructed.  'source' and 'warning' records and records of
    unknown types pass through.  Running it on its own output changes nothing.

    \b
    Examples:
      clt extract bulletin.pdf | clt normalize > paras.jsonl
      clt normalize -t txt < scan.txt > clean.txt
      :%!clt normalize --text              (in vi: clean the buffer)
      clt normalize --opencc t2s --disable punct-width big5.txt
      clt normalize --ocr always tesseract-output.txt
    """
    text_mode = text_mode or to == "txt"
    records = normalize(common.inputs(files, encoding, stage="extract"), disable=disable, convert=convert,
                        keep_removed=keep_removed and not text_mode, ocr=ocr)
    if text_mode:
        common.emit_text((r["text"] + "\n" for r in records if r.get("type") == "para"), output)
    else:
        common.emit(records, output)
