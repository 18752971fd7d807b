"""A Word document (DOCX, via python-docx) in the official layout.

A4 with the margins of the official-document standard (GB/T 9704: 37 mm
top, 35 mm bottom, 28 mm left, 26 mm right); title centred in 22 pt
(二号) 小标宋/宋体, 题注 centred in 楷体, headings centred in 黑体 16 pt,
body in 仿宋 16 pt (三号) with a first-line indent of two characters; the
article label in 黑体 followed by a full-width space; every 款 and 项 its
own paragraph.  Laws in one stream start on a new page.  Built in memory
one document at a time (python-docx has no streaming writer) and yielded as
one ``bytes`` chunk.

Reproducible: the same records give the same bytes.  python-docx stamps
every zip member with the time of writing; the members are written again
with one fixed time, and the core properties' created/modified dates are set
to it too — ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds
convention), else 1980-01-01 00:00 UTC, the earliest time a zip can hold.
"""

import datetime
import io
import os
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.shared import Mm, Pt

from clt.convert.tree import caption_display, heading_text, law_title, notice_lines, para_lines

EXT = "docx"
BINARY = True
STREAMING = False
CHANGES = False
OPTIONS = ()

BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
CAPTION_FONT = "楷体"
BODY_SIZE = Pt(16)


def _east_asia_font(rpr, name):
    """Set the East Asian font of run properties *rpr* (python-docx sets only the Latin one)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


def _font(run, east_asia, size=None, bold=None):
    if east_asia == BODY_FONT and size in (None, BODY_SIZE) and bold is None:
        return  # the Normal style says it already
    run.font.name = "Times New Roman"
    _east_asia_font(run._element.get_or_add_rPr(), east_asia)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.bold = bold


def _setup(doc):
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = BODY_SIZE
    _east_asia_font(normal.element.get_or_add_rPr(), BODY_FONT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = Pt(28)
    pf.first_line_indent = Pt(BODY_SIZE.pt * 2)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _add_paragraph(doc):
    """``doc.add_paragraph()`` in constant time (python-docx scans the body for
    ``sectPr`` on every call, which makes a long law quadratic)."""
    body = doc.element.body
    sect = getattr(doc, "_clt_sectPr", None)
    if sect is None:
        sect = body.find(qn("w:sectPr"))
        doc._clt_sectPr = sect
    p = OxmlElement("w:p")
    if sect is not None:
        sect.addprevious(p)
    else:
        body.append(p)
    return Paragraph(p, doc._body)


def _para(doc, text="", align=None, indent=True, font=BODY_FONT, size=BODY_SIZE, bold=None,
          style=None, label=None):
    p = _add_paragraph(doc)
    if style is not None:
        p.style = doc.styles[style]
    if align is not None:
        p.alignment = align
    if not indent:
        p.paragraph_format.first_line_indent = Pt(0)
    elif size != BODY_SIZE:
        p.paragraph_format.first_line_indent = Pt(size.pt * 2)
    if label:
        _font(p.add_run(label), HEADING_FONT, size)
        _font(p.add_run("\u3000"), font, size)
    if text:
        _font(p.add_run(text), font, size, bold)
    return p


def _law(doc, tree_events, first):
    for ev in tree_events:
        kind = ev["ev"]
        if kind == "law":
            if not first:
                _add_paragraph(doc).add_run().add_break(WD_BREAK.PAGE)
            for b in ev["front"]:
                for line, role in notice_lines(b):
                    if role == "head":
                        _para(doc, line, WD_ALIGN_PARAGRAPH.CENTER, False)
                    elif role == "sign":
                        _para(doc, line, WD_ALIGN_PARAGRAPH.RIGHT, False)
                    else:
                        _para(doc, line)
                _para(doc, "", indent=False)
            title = law_title(ev["doc"])
            if title:
                p = _para(doc, title, WD_ALIGN_PARAGRAPH.CENTER, False, TITLE_FONT, Pt(22), style="Title")
                p.paragraph_format.space_after = Pt(12)
                p.paragraph_format.line_spacing = Pt(36)
            for line in caption_display(ev["doc"]):
                p = _para(doc, line, WD_ALIGN_PARAGRAPH.CENTER, False, CAPTION_FONT)
                p.paragraph_format.space_after = Pt(12)
        elif kind == "heading":
            level = min(ev["depth"], 9)
            p = _para(doc, heading_text(ev["rec"], "\u3000"), WD_ALIGN_PARAGRAPH.CENTER, False,
                      HEADING_FONT, style=f"Heading {level}")
            p.paragraph_format.space_before = Pt(12)
            p.paragraph_format.space_after = Pt(12)
        elif kind == "article":
            lines = list(para_lines(ev["paras"]))
            _para(doc, lines[0], label=ev["label"] or None)
            for line in lines[1:]:
                _para(doc, line)
        elif kind == "block":
            if ev["rec"].get("kind") == "toc":
                continue
            for line in (ev["rec"].get("text") or "").split("\n"):
                if line.strip():
                    _para(doc, line)


def _plain_styles(doc):
    """Heading/Title styles keep their outline level but lose Word's colours and fonts."""
    for name in ["Title"] + [f"Heading {i}" for i in range(1, 10)]:
        try:
            st = doc.styles[name]
        except KeyError:
            continue
        st.font.color.rgb = None
        st.font.italic = False
        st.font.bold = False
        st.font.name = "Times New Roman"
        rpr = st.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
        # the Title style draws a border under itself; an official title has none
        ppr = st.element.get_or_add_pPr()
        for bdr in ppr.findall(qn("w:pBdr")):
            ppr.remove(bdr)


def fixed_time():
    """The one time written into a document: ``SOURCE_DATE_EPOCH`` or 1980-01-01 UTC."""
    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", ""))
    except ValueError:
        epoch = None
    low = datetime.datetime(1980, 1, 1, tzinfo=datetime.timezone.utc)
    if epoch is None:
        return low
    try:
        t = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return low
    return min(max(t, low), datetime.datetime(2107, 12, 31, 23, 59, 58, tzinfo=datetime.timezone.utc))


def _repack(blob, when):
    """*blob* (a zip) with every member stamped *when* and the same, fixed attributes."""
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info))
    return out.getvalue()


def render(events, **_):
    from clt.convert.tree import per_law

    doc = None
    first = True
    for law_ev, evs in per_law(events):
        if doc is None:
            doc = Document()
            _setup(doc)
            _plain_styles(doc)
            title = law_title(law_ev["doc"])
            if title:
                doc.core_properties.title = title
            doc.core_properties.author = "clt convert"
            when = fixed_time().replace(tzinfo=None)  # python-docx writes naive times as UTC
            doc.core_properties.created = when
            doc.core_properties.modified = when
        _law(doc, evs, first)
        first = False
    if doc is not None:
        buf = io.BytesIO()
        doc.save(buf)
        yield _repack(buf.getvalue(), fixed_time())
