"""What kind of document a file is, from its first bytes (not its name).

Names lie: bulletins are saved as ``.pdf`` that are really HTML error pages
or scanned PNGs, and stdin has no name at all.  :func:`sniff` looks at the
content; :func:`check_claim` turns a clash between a name that promises a
format and content that is something else into one clear error.
"""

import io
import os

from clt.errors import ExtractError

#: content kinds that are not documents clt reads, with their magic bytes
BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", None),  # BMP: too short a magic to trust alone
    (b"{\\rtf", "an RTF file; save it as .docx or PDF (e.g. soffice --headless --convert-to docx FILE)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"%!PS", "a PostScript file"),
)

#: scanned images extract reads by OCR (when the name does not promise something else)
IMAGES = ("a PNG image", "a JPEG image", "a TIFF image", "a GIF image")

EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc", ".wps": "doc",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".txt": "text", ".text": "text",
}

HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<p>", b"<p ", b"<div",
                b"<table", b"<title", b"<br")


def sniff(head, name=None):
    """``"pdf"``, ``"zip"``, ``"doc"``, ``"html"``, ``"text"`` or ``("binary", what)`` for *head* bytes."""
    if not head:
        return "empty"
    if head[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # an OLE compound file: Word 97-2003 .doc, Kingsoft .wps (or an old Excel workbook)
    for magic, what in BINARY_MAGIC:
        if what and head.startswith(magic):
            return ("binary", what)
    low = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith(b"<?xml") and b"<html" in head[:4096].lower():
        return "html"
    if any(low.startswith(m) for m in HTML_MARKERS):
        return "html"
    if low.startswith(b"<!--") and b"<html" in head[:8192].lower():
        return "html"
    return "text"


def zip_kind(data):
    """``"docx"`` for a Word document, else a description of the archive."""
    import zipfile  # (only for a ZIP: sniffing every input does not load it)

    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return ("binary", "a damaged ZIP/DOCX archive")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return ("binary", "an Excel workbook")
    if "content.xml" in names:
        return ("binary", "an OpenDocument file; save it as .docx or PDF")
    return ("binary", "a ZIP archive")


def claimed_format(name):
    """The format a file name promises, or None."""
    if not name or name.startswith("<"):
        return None
    return EXTENSIONS.get(os.path.splitext(name)[1].lower())


def check_claim(kind, name):
    """Raise a clear error when content cannot be read (or contradicts a .pdf/.docx name)."""
    claim = claimed_format(name)
    if isinstance(kind, tuple):
        what = kind[1]
        if claim in ("pdf", "docx"):
            raise ExtractError(f"not a {claim.upper()} file: the content is {what}", source=name)
        if what in IMAGES:
            return "image"  # a scan: read by OCR
        raise ExtractError(f"cannot extract text: the content is {what}", source=name)
    if kind == "empty":
        raise ExtractError("empty file (0 bytes)", source=name)
    if claim in ("pdf", "docx") and kind != claim:
        what = {"text": "plain text", "html": "an HTML page", "pdf": "a PDF", "docx": "a Word document",
                "doc": "an old Word/WPS (OLE) file"}[kind]
        if claim == "pdf" or kind != "text":
            raise ExtractError(f"not a {claim.upper()} file: the content is {what}", source=name)
    return kind
