"""Legacy Word ``.doc`` (Word 97–2003, OLE) and Kingsoft WPS ``.wps`` -> records.

Many government sites still publish laws as old binary Word files (often
written with code page 936) or as WPS files, whose paragraphs hold hard line
breaks.  clt reads them through a converter installed on the system:

* LibreOffice headless (``soffice``; Debian ``libreoffice-writer-nogui``)
  converts the file to .docx, which :mod:`clt.extract.docx` reads with its
  alignment, indents and bold; its lines carry what that reader gives;
* otherwise ``antiword`` (Debian ``antiword``; .doc only) writes the text, one
  paragraph a block, a manual line break a line, table rows as ``|a |b |``,
  which become plain text lines (a table row with ``cells``).

The ``source`` record keeps the document's own format (``doc``) and names
the ``converter``.  With neither tool present the file is one clear error
naming the Debian packages.
"""

import os
import shutil
import subprocess
import tempfile

from clt.errors import ExtractError
from clt.records import record, source_record

PACKAGES = "libreoffice-writer-nogui or antiword"
TIMEOUT = 180


def _is_spreadsheet(data):
    return b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00" in data and b"W\x00o\x00r\x00d\x00D\x00o\x00c" not in data


def soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def antiword():
    return shutil.which("antiword")


def extract_legacy(data, name, converter=None):
    """Records of one .doc/.wps document given as bytes (*converter*: ``"libreoffice"``/``"antiword"``)."""
    if _is_spreadsheet(data):
        raise ExtractError("cannot extract text: the content is an old Excel (OLE) workbook", source=name)
    tools = [t for t in ("libreoffice", "antiword") if converter in (None, t)]
    if "libreoffice" in tools and soffice():
        yield from _via_libreoffice(data, name)
        return
    if "antiword" in tools and antiword():
        yield from _via_antiword(data, name)
        return
    raise ExtractError("an old Word/WPS (OLE) file needs LibreOffice or antiword to be read: install the "
                       f"Debian package {PACKAGES} (or save it as .docx or PDF)", source=name)


def _via_libreoffice(data, name):
    from clt.extract.docx import extract_docx

    with tempfile.TemporaryDirectory(prefix="clt-doc-") as tmp:
        src = os.path.join(tmp, "in.doc")
        with open(src, "wb") as fp:
            fp.write(data)
        cmd = [soffice(), f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", os.path.join(tmp, "out"), src]
        try:
            subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ExtractError(f"LibreOffice did not convert the file within {TIMEOUT} s", source=name) from None
        out = os.path.join(tmp, "out", "in.docx")
        if not os.path.exists(out):
            raise ExtractError("LibreOffice could not read this old Word/WPS file (damaged or not a "
                               "word-processor document)", source=name)
        with open(out, "rb") as fp:
            docx = fp.read()
    for rec in extract_docx(docx, name):
        if rec["type"] == "source":
            rec["format"] = "doc"
            rec["converter"] = "libreoffice"
        yield rec


def _via_antiword(data, name):
    with tempfile.TemporaryDirectory(prefix="clt-doc-") as tmp:
        src = os.path.join(tmp, "in.doc")
        with open(src, "wb") as fp:
            fp.write(data)
        try:
            p = subprocess.run([antiword(), "-w", "0", "-m", "UTF-8.txt", src], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ExtractError(f"antiword did not read the file within {TIMEOUT} s", source=name) from None
    if p.returncode != 0 or not p.stdout.strip():
        msg = p.stderr.decode("utf-8", "replace").strip().splitlines()
        why = f": {msg[-1][:120]}" if msg else ""
        raise ExtractError(f"antiword could not read this old Word file{why}", source=name)
    text = p.stdout.decode("utf-8", "replace")
    yield source_record(name, "doc", converter="antiword")
    page = 1
    yield record("page", source=name, page=page)
    n = 0
    for raw in text.split("\n"):
        if raw.startswith("\f"):
            page += 1
            n = 0
            yield record("page", source=name, page=page)
            raw = raw.lstrip("\f")
        n += 1
        line = raw.rstrip()
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            cells = [c.strip() for c in line[1:-1].split("|")]
            yield record("line", source=name, page=page, line=n, text="\t".join(cells), cells=cells)
        else:
            yield record("line", source=name, page=page, line=n, text=line)
