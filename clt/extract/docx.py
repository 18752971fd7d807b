"""DOCX -> records, with python-docx.

The body is read in document order.  Each paragraph becomes one ``line``
per printed line (a manual line break ``<w:br/>`` starts a new one), with
what the next stage can use to see structure: ``align`` (``left``,
``center``, ``right``, ``justify``, ``distribute``), ``indent`` (first-line
indent in points; negative = hanging), ``left`` (left indent in points),
``bold`` (every character bold), ``size`` (points, where set), ``style``
(the paragraph style name, e.g. ``Heading 1``) and ``spans`` of bold runs
when only part of the paragraph is bold.  A table row becomes one line whose
``cells`` hold the cell texts and whose ``text`` joins them with a tab;
``table``/``row`` number them.  Explicit page breaks start a new page.

Word can number paragraphs itself (automatic lists): the number is then not
in the text.  Such lines carry ``numbered: true`` and a warning says so.
Headers, footers, comments and footnotes are not body text and are left out.

A ``w:altChunk`` ("alternative format import") puts another document in
the body: the national law database (国家法律法规数据库) publishes Word files
whose ``document.xml`` holds nothing but one altChunk pointing at
``word/afchunk.mht``, a MIME (web archive) part whose HTML, usually
quoted-printable, is the whole law; one ``<p>`` holds an article and its
款/项 are separated by ``<br />``.  Such a chunk (MHT, HTML or plain text)
is read by :mod:`clt.extract.html` where it stands, its lines marked
``altchunk: true``; a chunk of another kind (an embedded .docx or RTF) is
reported by a ``warning``.
"""

import email
import email.policy
import io
import posixpath
import zipfile

from clt.errors import ExtractError
from clt.records import record, source_record

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"

ALIGN = {0: "left", 1: "center", 2: "right", 3: "justify", 4: "distribute", 5: "center", 7: "justify",
         8: "justify", 9: "justify"}


def _style_chain(style):
    while style is not None:
        yield style
        style = getattr(style, "base_style", None)


def _para_fmt(p, attr):
    v = getattr(p.paragraph_format, attr, None)
    if v is not None:
        return v
    for st in _style_chain(p.style):
        v = getattr(st.paragraph_format, attr, None)
        if v is not None:
            return v
    return None


def _run_bold(run, p):
    if run.bold is not None:
        return bool(run.bold)
    for st in _style_chain(run.style):
        if st.font.bold is not None:
            return bool(st.font.bold)
    for st in _style_chain(p.style):
        if st.font.bold is not None:
            return bool(st.font.bold)
    return False


def _run_size(run, p):
    if run.font.size is not None:
        return run.font.size.pt
    for st in _style_chain(p.style):
        if st.font.size is not None:
            return st.font.size.pt
    return None


def _paragraph_pieces(p):
    """Lines of one paragraph: lists of (text, bold, size), split at breaks; ("\\f",) marks a page break."""
    from docx.text.run import Run

    lines = [[]]
    for child in p._p.iterchildren():
        runs = []
        if child.tag == W + "r":
            runs = [child]
        elif child.tag in (W + "hyperlink", W + "ins", W + "smartTag", W + "fldSimple", W + "sdt"):
            runs = child.iter(W + "r")
        for r in runs:
            run = Run(r, p)
            bold = _run_bold(run, p)
            size = _run_size(run, p)
            for el in r.iterchildren():
                tag = el.tag
                if tag == W + "t":
                    lines[-1].append((el.text or "", bold, size))
                elif tag == W + "tab":
                    lines[-1].append(("\t", bold, size))
                elif tag in (W + "br", W + "cr"):
                    if el.get(W + "type") == "page":
                        lines.append(("\f",))
                    lines.append([])
                elif tag == W + "noBreakHyphen":
                    lines[-1].append(("-", bold, size))
                elif tag == W + "sym":
                    ch = el.get(W + "char")
                    try:
                        lines[-1].append((chr(int(ch, 16)), bold, size))
                    except (TypeError, ValueError):
                        pass
    return lines


def extract_docx(data, name):
    """Records of one DOCX document given as bytes."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a declared dependency
        raise ExtractError("python-docx is not installed (pip install python-docx)", source=name) from None
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise ExtractError(f"not a readable DOCX file: {type(e).__name__}: {str(e)[:120]}", source=name) from None
    yield source_record(name, "docx")
    page = 1
    line = 0
    numbered = 0
    tables = 0
    yield record("page", source=name, page=page)

    def new_page():
        nonlocal page, line
        page += 1
        line = 0
        return record("page", source=name, page=page)

    chunks = None
    for child in _body_blocks(doc.element.body):
        if child.tag == W + "altChunk":
            if chunks is None:
                chunks = _alt_chunk_targets(data)
            target = chunks.get(child.get(R + "id"))
            for rec in _alt_chunk_lines(data, target, name):
                if rec["type"] == "line":
                    line += 1
                    rec["page"] = page
                    rec["line"] = line
                yield rec
            continue
        if child.tag == W + "p":
            p = Paragraph(child, doc)
            ppr = child.pPr
            if _para_fmt(p, "page_break_before") and line:
                yield new_page()
            attrs = {}
            align = _para_fmt(p, "alignment")
            if align is not None:
                attrs["align"] = ALIGN.get(int(align), str(align).lower())
            fli = _para_fmt(p, "first_line_indent")
            if fli is not None:
                attrs["indent"] = round(fli.pt, 1)
            li = _para_fmt(p, "left_indent")
            if li is not None and li.pt:
                attrs["left"] = round(li.pt, 1)
            if p.style is not None and p.style.name and p.style.name != "Normal":
                attrs["style"] = p.style.name
            is_numbered = ppr is not None and ppr.numPr is not None
            if not is_numbered:
                for st in _style_chain(p.style):
                    sp = st.element.pPr
                    if sp is not None and sp.numPr is not None:
                        is_numbered = True
                        break
            if is_numbered:
                numbered += 1
            pieces = _paragraph_pieces(p)
            first = True
            for pc in pieces:
                if pc == ("\f",):
                    yield new_page()
                    continue
                text = "".join(t for t, _, _ in pc)
                line += 1
                rec = record("line", source=name, page=page, line=line, text=text)
                ink = [(t, b, s) for t, b, s in pc if t.strip()]
                sizes = [s for _, _, s in ink if s]
                if sizes:
                    rec["size"] = max(set(sizes), key=sizes.count)
                rec["bold"] = bool(ink) and all(b for _, b, _ in ink)
                rec.update(attrs)
                if not first:
                    rec.pop("indent", None)  # a manual line break is not a new first line
                    rec["continued"] = True
                if is_numbered and first:
                    rec["numbered"] = True
                if ink and not rec["bold"] and any(b for _, b, _ in ink):
                    spans, pos = [], 0
                    for t, b, _ in pc:
                        if b and t:
                            if spans and spans[-1]["end"] == pos:
                                spans[-1]["end"] = pos + len(t)
                            else:
                                spans.append({"start": pos, "end": pos + len(t), "bold": True})
                        pos += len(t)
                    rec["spans"] = spans
                first = False
                yield rec
        elif child.tag == W + "tbl":
            tables += 1
            for rows, rec in _table_lines(Table(child, doc), name, tables):
                line += 1
                rec["page"] = page
                rec["line"] = line
                yield rec
    if numbered:
        yield record("warning", stage="extract", source=name, code="docx-auto-numbering",
                     message=f"{numbered} paragraph(s) use Word automatic numbering: "
                             "their numbers (e.g. 第一条) are not in the text")


def _body_blocks(el):
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for child in el.iterchildren():
        if child.tag in (W + "p", W + "tbl", W + "altChunk"):
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _body_blocks(content)


def _table_lines(table, name, tno):
    for rno, row in enumerate(table.rows, 1):
        cells = []
        last = None
        for cell in row.cells:
            if last is not None and cell._tc is last:  # a merged cell repeats
                continue
            last = cell._tc
            cells.append("\n".join(p.text for p in cell.paragraphs))
        text = "\t".join(c.replace("\n", " ") for c in cells)
        yield rno, record("line", source=name, page=1, line=0, text=text, table=tno, row=rno, cells=cells)


def _alt_chunk_targets(data):
    """``{relationship id: part name in the zip}`` of the main document's relationships."""
    from lxml import etree

    out = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            rels = z.read("word/_rels/document.xml.rels")
    except (KeyError, zipfile.BadZipFile):
        return out
    for rel in etree.fromstring(rels).iter(PR + "Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External":
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("word", target))
        out[rel.get("Id")] = part
    return out


def _chunk_html(raw):
    """``(html bytes, charset or None)`` of an altChunk part, or ``None`` when it is not HTML/MHT/text."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    low = head.lower()
    if low.startswith(b"mime-version") or low.startswith(b"content-") or b"\ncontent-type:" in low[:2048]:
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
        for part in msg.walk():
            if part.get_content_type() in ("text/html", "text/plain"):
                payload = part.get_payload(decode=True) or b""
                if part.get_content_type() == "text/plain":
                    payload = _text_as_html(payload, part.get_content_charset())
                return payload, part.get_content_charset()
        return None
    if low.startswith((b"<", b"<!")):
        return raw, None
    if low.startswith((b"{\\rtf", b"pk\x03\x04", b"\xd0\xcf\x11\xe0")):
        return None
    return _text_as_html(raw, None), None


def _text_as_html(raw, charset):
    from html import escape

    from clt.textio import decode_bytes

    text = raw.decode(charset) if charset else decode_bytes(raw, None)[0]
    return ("<html><body>" + "".join(f"<p>{escape(l)}</p>" for l in text.splitlines()) +
            "</body></html>").encode("utf-8")


def _alt_chunk_lines(data, target, name):
    """Line (and warning) records of one altChunk; page and line numbers are set by the caller."""
    from clt.extract.html import WIDEN, extract_html

    raw = None
    if target:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                raw = z.read(target)
        except (KeyError, zipfile.BadZipFile):
            raw = None
    got = _chunk_html(raw) if raw is not None else None
    if got is None:
        what = f"part {target}" if target else "a missing part"
        yield record("warning", stage="extract", source=name, code="docx-altchunk-unread",
                     message=f"embedded document ({what}) is not HTML, MHT or text: its text is not read")
        return
    html, charset = got
    encoding = None
    if charset:
        cs = charset.lower()
        encoding = WIDEN.get(cs, cs)
    for rec in extract_html(html, name, encoding=encoding):
        if rec["type"] == "line":
            rec["altchunk"] = True
            yield rec
        elif rec["type"] == "warning":
            yield rec
