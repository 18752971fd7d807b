"""`clt extract` — documents in, ``line`` records out (see clt.extract)."""

import sys

import click

from clt.cli import common
from clt.extract import ENGINES, INPUT_ALIASES, INPUT_FORMATS, OCR_ENGINES, OCR_MODES, extract
from clt.extract.bounded import MAX_PAGE_MB, MAX_PAGE_SECONDS


@click.command(name="extract")
@click.option("--pages", "-p", metavar="RANGES",
              help="Only these pages, e.g. 3-7,9,12- (PDF pages; form-feed pages of text).")
@click.option("--password", metavar="P", help="Password of an encrypted PDF.")
@click.option("--from", "-f", "source_format", type=click.Choice(INPUT_FORMATS + tuple(INPUT_ALIASES), case_sensitive=False),
              metavar="FORMAT",
              help="Read every input as this type instead of telling it from the content: "
                   + ", ".join(INPUT_FORMATS) + " (txt and md are text).")
@click.option("--engine", type=click.Choice(ENGINES), default="pdfminer", show_default=True,
              help="PDF engine: pdfminer (pdfminer.six; its content streams are parsed by a compiled "
                   "accelerator where pip could build it, CLT_PDFMINER_ACCEL=0: stock pdfminer, the same "
                   "records) or pdfium (pypdfium2, about 3x faster; its glyphs are read by a compiled "
                   "accelerator, CLT_PDFIUM_ACCEL=0: pure Python, the same records).")
@click.option("--ocr", type=click.Choice(OCR_MODES), default="auto", show_default=True,
              help="OCR pages: auto = only pages without a usable text layer "
                   "(no characters, or mostly unmapped (cid:N) glyphs).")
@click.option("--ocr-engine", type=click.Choice(OCR_ENGINES), default="auto", show_default=True,
              help="OCR engine: rapidocr (PP-OCR models on ONNX Runtime, the clt[ocr] extra), tesseract "
                   "(the system's), or auto = rapidocr when installed, else Tesseract.")
@click.option("--lang", default="chi_sim", show_default=True, metavar="LANG",
              help="OCR language(s), as Tesseract names them, e.g. chi_sim or chi_sim+eng "
                   "(rapidocr reads chi_sim, chi_tra and eng).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Spread the pages of each PDF over N processes, each reading runs of consecutive "
                   "pages (output order is kept); for many small files, clt batch -j N reads files in parallel.")
@click.option("--max-page-seconds", type=click.FloatRange(min=0), default=MAX_PAGE_SECONDS, show_default=True,
              metavar="S", help="Skip a PDF page (with a page-over-limit warning) whose reading takes "
                                "longer than S seconds, OCR not counted; 0: no limit.")
@click.option("--max-page-mb", type=click.IntRange(min=0), default=MAX_PAGE_MB, show_default=True,
              metavar="MB", help="Skip a PDF page (with a page-over-limit warning) whose reading needs "
                                 "more than MB megabytes of memory; 0: no limit.")
@common.common_options
def command(files, encoding, output, pages, password, source_format, engine, ocr, ocr_engine, lang, jobs,
            max_page_seconds, max_page_mb):
    """Extract printed lines from PDF, scanned PDF or image, DOCX, old .doc/.wps, HTML or text files.

    Each FILE (- or none: stdin) becomes a `source` record, then per page a
    `page` record and its `line` records in reading order, with their box
    (points, top-left origin), font size, font name and boldness.  The type
    is recognised from the content, not the name.  Pages without a usable
    text layer, and scanned images, are OCR'd (flagged `ocr: true`).  Old
    Word .doc and WPS .wps files are read through LibreOffice (soffice) or
    antiword when one is installed.  A file
    (or PDF page) that cannot be read is reported on one line and the run
    goes on; the exit status is then 1 (and -o FILE is not written when no
    input could be read).  On a terminal a progress bar counts the pages of
    each PDF or scan as they are read (OCR'd pages too); -q hides it.

    \b
    Examples:
      clt extract bulletin.pdf | clt normalize | clt split > law.jsonl
      clt extract --pages 3-7,9 --engine pdfium --jobs 2 big.pdf -o lines.jsonl
      clt extract --ocr always --lang chi_sim+eng scan.pdf
      clt extract --ocr-engine tesseract --jobs 2 scan.pdf
      curl -s URL | clt extract -
      clt extract --from text notes.jsonl    (a text that only looks like records)
    """
    st = common.state()

    def on_error(e):
        common.stderr_line(f"clt: {e}")
        st.failed = True

    files = list(files) or ["-"]
    if "-" in files:
        common.stdin_hint()
    common.emit(common.page_progress(extract(files, pages=pages, password=password, engine=engine, ocr=ocr,
                        lang=lang, jobs=jobs, encoding=encoding, on_error=on_error, ocr_engine=ocr_engine,
                        source_format=source_format,
                        max_page_seconds=max_page_seconds, max_page_mb=max_page_mb)), output,
                keep=lambda n: n > 0 or not st.failed)  # no empty -o FILE when every input failed
