"""The 修改前后对照表 as a Word document (``clt diff --to docx``).

Laid out as law-making bodies hand the table in: A4 portrait with the
margins of the official-document standard (GB/T 9704: 37 mm top, 35 mm
bottom, 28 mm left, 26 mm right); the title ``《X》修改前后对照表`` centred
in 小标宋 二号 (22 pt); a note saying how changes are marked; one table whose
header row (黑体, repeated on every page) reads 修改前 / 修改后 (and 说明 with
*notes*); the text in 仿宋 四号 (14 pt), each 款 and 项 its own paragraph,
article labels in 黑体; page numbers ``— 1 —`` centred in the footer (宋体 四号).

Marks, as the NPC's and local people's congresses' 对照表 print them:
deleted text struck through in the 修改前 column, added text in 黑体 bold in
the 修改后 column (黑体 too, so that it shows where a renderer does not
embolden 仿宋, which has no bold face); a deleted article is struck through
whole, an inserted one bold whole.  The note under the title says so.

The same input gives the same bytes: the zip entries carry a fixed date
(``SOURCE_DATE_EPOCH`` when set, else 1980-01-01) and the document
properties no clock time.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from clt.convert.docx import _east_asia_font, _repack, fixed_time
from clt.diff.render import _SENTINELS, _collect, _op_line, _parts, _rows, report_title

__all__ = ["render_docx"]

BODY_FONT = "仿宋"
HEADER_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
PAGE_FONT = "宋体"
TABLE_SIZE = Pt(14)   # 四号
TITLE_SIZE = Pt(22)   # 二号
NOTE = "（说明：删除线为删去的内容，黑体加粗字为新增或修改后的内容。）"


def _fonts(run, east_asia, size=None, bold=None, strike=None):
    run.font.name = "Times New Roman"
    _east_asia_font(run._element.get_or_add_rPr(), east_asia)
    if size is not None:
        run.font.size = size
    if bold:
        run.bold = True
    if strike:
        run.font.strike = True
    return run


def _setup(doc):
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.footer_distance = Mm(25)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = TABLE_SIZE
    _east_asia_font(normal.element.get_or_add_rPr(), BODY_FONT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = Pt(22)
    props = doc.core_properties
    props.author = "clt diff"
    props.comments = ""
    props.last_modified_by = ""
    props.revision = 1


def _page_numbers(doc):
    """``— N —`` centred in the footer: a PAGE field between two em dashes."""
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run("— "), PAGE_FONT, Pt(14))
    run = _fonts(p.add_run(), PAGE_FONT, Pt(14))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _fonts(p.add_run(" —"), PAGE_FONT, Pt(14))


def _marked_runs(text):
    """[(text, 'del'|'ins'|None)] of a text marked with the render sentinels."""
    out, buf, mode = [], [], None
    for ch in text:
        if ch in "\x01\x03":
            if buf:
                out.append(("".join(buf), mode))
            buf, mode = [], "del" if ch == "\x01" else "ins"
        elif ch in "\x02\x04":
            if buf:
                out.append(("".join(buf), mode))
            buf, mode = [], None
        else:
            buf.append(ch)
    if buf:
        out.append(("".join(buf), mode))
    return out


def _cell_text(cell, parts, heading):
    """Fill *cell* with the (label, marked text) *parts* of one side."""
    first = True
    for label, text in parts:
        lines = text.split("\n")
        mode = None  # a mark may run over a 款 break: carried to the next line
        for k, line in enumerate(lines):
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            if heading:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                p.paragraph_format.first_line_indent = Pt(TABLE_SIZE.pt * 2)
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if k == 0 and label:
                _fonts(p.add_run(label + (" " if heading else "\u3000")), HEADER_FONT, bold=None)
            if mode is not None:
                line = ("\x01" if mode == "del" else "\x03") + line
            for seg, m in _marked_runs(line):
                _fonts(p.add_run(seg), HEADER_FONT if heading or m == "ins" else BODY_FONT,
                       bold=(m == "ins"), strike=(m == "del"))
            mode = _open_mark(line)


def _open_mark(line):
    """The mark still open at the end of *line* ('del', 'ins' or None)."""
    mode = None
    for ch in line:
        if ch == "\x01":
            mode = "del"
        elif ch == "\x03":
            mode = "ins"
        elif ch in "\x02\x04":
            mode = None
    return mode


def _repeat_header(row):
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row):
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _borders(table):
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.append(borders)


def render_docx(records, *, all=False, title=None, notes=False, similarity=False):
    """The bytes of a 修改前后对照表 (DOCX) of ``clt diff`` *records*.

    *all*: unchanged articles too; *title*: instead of 《X》修改前后对照表;
    *notes*: a third column 说明 naming each change; *similarity*: the
    similarity in that column too.
    """
    changes, summary = _collect(records)
    doc = Document()
    _setup(doc)
    name = title or report_title(summary)
    doc.core_properties.title = name
    when = fixed_time().replace(tzinfo=None)  # python-docx writes naive times as UTC
    doc.core_properties.created = when
    doc.core_properties.modified = when
    p = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(36)
    _fonts(p.add_run(name), TITLE_FONT, TITLE_SIZE)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(8)
    _fonts(p.add_run(NOTE), BODY_FONT, Pt(12))
    _page_numbers(doc)
    cols = 3 if notes else 2
    table = doc.add_table(rows=1, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table)
    text_width = Mm(210 - 28 - 26)
    widths = [Mm(66), Mm(66), text_width - Mm(132)] if notes else [text_width // 2] * 2
    table.autofit = False
    for k, w in enumerate(widths):
        table.columns[k].width = w  # the grid: what LibreOffice and WPS lay out by
    head = table.rows[0]
    _repeat_header(head)
    for k, label in enumerate(["修改前", "修改后", "说明"][:cols]):
        cell = head.cells[k]
        cell.width = widths[k]
        cp = cell.paragraphs[0]
        cp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(cp.add_run(label), HEADER_FONT, TABLE_SIZE)
    for r in _rows(changes, all):
        heading = r["type"] == "heading_change"
        olds, news = _parts(r, *_SENTINELS)
        row = table.add_row()
        if heading:
            _cant_split(row)
        for k in range(cols):
            row.cells[k].width = widths[k]
        _cell_text(row.cells[0], olds, heading)
        _cell_text(row.cells[1], news, heading)
        if notes and not r.get("context"):
            cp = row.cells[2].paragraphs[0]
            cp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(cp.add_run(_op_line(r, similarity)), BODY_FONT, Pt(12))
    buf = io.BytesIO()
    doc.save(buf)
    return _repack(buf.getvalue(), fixed_time())
