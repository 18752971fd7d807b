"""``extract``: documents (PDF, scanned PDF, DOCX, HTML, text) -> ``line`` records.

Every input becomes one ``source`` record, then for each page a ``page``
record followed by its ``line`` records in reading order (see
``clt-records(5)``).  The document type is sniffed from the content, not the
name; one module per format does the work:

* :mod:`clt.extract.pdf` with the engines :mod:`~clt.extract.pdf_miner`
  (pdfminer.six, default) and :mod:`~clt.extract.pdf_pdfium` (pypdfium2,
  faster), glyphs grouped into lines by :mod:`~clt.extract.layout`, pages
  without a usable text layer read by :mod:`~clt.extract.ocr` (Tesseract);
* :mod:`clt.extract.docx` (python-docx), :mod:`clt.extract.html` (lxml),
  :mod:`clt.extract.text` (any encoding the foundation decodes), and scanned
  images (PNG, JPEG, TIFF, GIF; one page per frame) read by OCR.

PDFs are processed page by page, so memory stays flat with the page count.
"""

import io
import os
import sys

from clt.errors import CltError, ExtractError, UsageError
from clt.extract import sniff as _sniff
from clt.fsutil import open_input
from clt.records import looks_like_jsonl

#: names re-exported from clt.extract.pdf, loaded when first asked for (a text-only
#: command that only sniffs its input does not load the PDF code)
_FROM_PDF = ("ENGINES", "OCR_ENGINES", "OCR_MODES")


def __getattr__(name):
    if name in _FROM_PDF:
        from clt.extract import pdf

        return getattr(pdf, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_pages(spec):
    """See :func:`clt.extract.pdf.parse_pages`."""
    from clt.extract.pdf import parse_pages

    return parse_pages(spec)

__all__ = ["extract", "extract_one", "ENGINES", "OCR_MODES", "OCR_ENGINES", "parse_pages"]

HEAD = 8192


def _read_source(path):
    """``(data_or_path, head, name)``: stdin is read whole (PDF needs seeking), files are not."""
    if path is None or path == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        data = stream.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, data[:HEAD], "<stdin>"
    if hasattr(path, "read"):
        data = path.read()
        name = getattr(path, "name", "<stream>")
        return data, data[:HEAD], name if isinstance(name, str) else "<stream>"
    name = os.fspath(path)
    with open_input(name, " (give the files in it, e.g. DIR/*.pdf)") as fp:
        head = fp.read(HEAD)
    return name, head, name


def _bytes(data):
    if isinstance(data, bytes):
        return data
    with open(data, "rb") as fp:
        return fp.read()


#: what ``source_format`` (``clt extract --from``) may say an input is, and other names for them
INPUT_FORMATS = ("pdf", "docx", "doc", "html", "text", "jsonl", "image")
INPUT_ALIASES = {"txt": "text", "md": "text", "markdown": "text", "htm": "html", "wps": "doc",
                 "scan": "image", "json": "jsonl", "word": "docx"}


def input_format(name):
    """The input format *name* stands for (``txt`` is ``text``...); UsageError if none."""
    key = (name or "").strip().lower()
    key = INPUT_ALIASES.get(key, key)
    if key not in INPUT_FORMATS:
        raise UsageError(f"unknown input format {name!r}", hint="one of " + ", ".join(INPUT_FORMATS))
    return key


def extract_one(path, *, pages=None, password=None, engine="pdfminer", ocr="auto", lang="chi_sim",
                jobs=1, encoding=None, ocr_engine="auto", source_format=None, **limits):
    """Records of one input: a path, ``"-"`` (stdin) or a binary file object.

    The type is told from the content; *source_format* (one of
    :data:`INPUT_FORMATS`) says it instead (a page served as text, a text
    that looks like records)."""
    data, head, name = _read_source(path)
    if source_format:
        kind = input_format(source_format)
        if not head:
            raise ExtractError("empty file (0 bytes)", source=name)
    else:
        kind = _sniff.sniff(head, name)
        if kind == "zip":
            kind = _sniff.zip_kind(_bytes(data))
        kind = _sniff.check_claim(kind, name)
    if kind == "pdf":
        from clt.extract.pdf import extract_pdf

        yield from extract_pdf(data, name, pages=pages, password=password, engine=engine, ocr=ocr,
                               lang=lang, jobs=jobs, ocr_engine=ocr_engine, **limits)
        return
    if kind == "image":
        from clt.extract.ocr import extract_image

        yield from _filter_pages(extract_image(_bytes(data), name, lang=lang, engine=ocr_engine), parse_pages(pages))
        return
    if kind == "docx":
        from clt.extract.docx import extract_docx

        recs = extract_docx(_bytes(data), name)
    elif kind == "doc":
        from clt.extract.legacy import extract_legacy

        recs = extract_legacy(_bytes(data), name)
    elif kind == "html":
        from clt.extract.html import extract_html

        recs = extract_html(_bytes(data), name, encoding=encoding)
    elif kind == "jsonl" or (kind == "text" and not source_format and not encoding and looks_like_jsonl(head)):
        # already records (e.g. the output of an earlier extract): pass them through
        from clt.records import byte_lines, iter_jsonl

        raw = _bytes(data)
        recs = iter_jsonl(byte_lines(raw, io.BytesIO(b"")), name)
    else:
        from clt.extract.text import extract_text

        recs = extract_text(_bytes(data), name, encoding=encoding)
    yield from _filter_pages(recs, parse_pages(pages))


def _filter_pages(recs, ranges):
    if ranges is None:
        yield from recs
        return

    def wanted(p):
        return any(first <= p and (last is None or p <= last) for first, last in ranges)

    for r in recs:
        if r.get("type") in ("page", "line") and not wanted(r.get("page", 1)):
            continue
        yield r


def extract(paths, *, pages=None, password=None, engine="pdfminer", ocr="auto", lang="chi_sim", jobs=1,
            encoding=None, on_error=None, ocr_engine="auto", source_format=None, **limits):
    """Records of every input in *paths* (``"-"`` is stdin), one after the other.

    *pages* (``"3-7,9"`` or a list of numbers) selects PDF pages, *password*
    opens encrypted PDFs, *engine* is ``"pdfminer"`` or ``"pdfium"``, *ocr*
    is ``"auto"`` (OCR pages without a usable text layer), ``"always"`` or
    ``"never"``, *lang* the OCR language (Tesseract's names), *ocr_engine*
    ``"auto"`` (PP-OCR when the ``clt[ocr]`` extra is installed, else
    Tesseract), ``"rapidocr"`` or ``"tesseract"``, *jobs* the number of worker
    processes for PDF pages; *max_page_seconds* and *max_page_mb* bound the
    work on each PDF page (a page over them is skipped with a ``warning``
    record, code ``page-over-limit``; a page whose OCR raster would be over the
    limits of :func:`clt.extract.bounded.ocr_dpi` is not OCR'd, code
    ``ocr-over-limit``; see :mod:`clt.extract.bounded`).  A bad input raises a :class:`clt.errors.CltError`
    — unless *on_error* is given: then it is called with the error and the
    next input is processed.  A PDF page that cannot be parsed is such an
    error too; with *on_error* it is reported by a ``warning`` record (code
    ``page-unreadable``) and the following pages are still read.
    """
    if isinstance(paths, (str, bytes, os.PathLike)) or hasattr(paths, "read"):
        paths = [paths]
    from clt.extract.bounded import OCR_OVER_LIMIT, PAGE_OVER_LIMIT
    from clt.extract.pdf import PAGE_UNREADABLE

    for path in list(paths) or ["-"]:
        try:
            for rec in extract_one(path, pages=pages, password=password, engine=engine, ocr=ocr, lang=lang,
                                   jobs=jobs, encoding=encoding, ocr_engine=ocr_engine,
                                   source_format=source_format, **limits):
                if rec.get("type") == "warning" and rec.get("code") == PAGE_UNREADABLE:
                    err = ExtractError(rec["message"], source=rec.get("source"), page=rec.get("page"))
                    if on_error is None:
                        raise err
                    yield rec
                    on_error(err)
                    continue
                if rec.get("type") == "warning" and rec.get("code") in (PAGE_OVER_LIMIT, OCR_OVER_LIMIT):
                    # skipped, the rest goes on; the library caller has the warning record
                    yield rec
                    if on_error is not None:
                        on_error(ExtractError(rec["message"], source=rec.get("source")))
                    continue
                yield rec
        except UsageError:
            raise
        except CltError as e:
            if on_error is None:
                raise
            on_error(e)
        except (MemoryError, KeyboardInterrupt):
            raise
        except Exception as e:  # a library choked on a malformed file: report it as this file's error
            err = ExtractError(f"cannot extract: {type(e).__name__}: {e}", source=str(path))
            if on_error is None:
                raise err from e
            on_error(err)
