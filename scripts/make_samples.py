#!/usr/bin/env python3
"""Regenerate samples/bulletin.pdf and the extract test fixtures.

Everything is made by code (reportlab, python-docx, Pillow), from the text
of samples/hangzhou-bulletin-14.txt (a real public regulation: 杭州城市大脑
赋能城市治理促进条例) or small hand-written texts, so the files can be
rebuilt and reviewed:

    scripts/make-fixtures            # or: .venv/bin/python scripts/make_samples.py

Outputs (deterministic: reportlab runs in invariant mode):
  samples/bulletin.pdf                     a government-bulletin layout of the regulation
  tests/fixtures/extract/bulletin.pdf      two pages of it (running header, page numbers,
                                           centred title, 题注, fake-bold labels, indents)
  tests/fixtures/extract/twocol.pdf        a two-column page
  tests/fixtures/extract/encrypted.pdf     password "secret"
  tests/fixtures/extract/scanned.pdf       one page that is only an image of Chinese text
  tests/fixtures/extract/unmapped.pdf      Chinese text whose font has no Unicode map ((cid:N))
  tests/fixtures/extract/old-typeset.pdf   S22PDF-style: non-embedded GBK-EUC-H and Identity-H/Adobe-GB1
                                           fonts without ToUnicode, full-width digits, 《》 as images, B5
  tests/fixtures/extract/lying-*.pdf       text layers that lie: wrong ideographs, digits as punctuation
  tests/fixtures/extract/browser-print.pdf a Chromium-style print with its header and footer
  tests/fixtures/extract/ebook-print.pdf   a reader edition: page-count headers, bullets, a cover
  tests/fixtures/extract/law.docx          paragraphs with indent/alignment/bold, a table
  tests/fixtures/extract/law.html          a page with navigation, script, style, <br>
  tests/fixtures/extract/law-gb18030.txt   GB18030 text with a form feed
  tests/fixtures/amend/bulletin.pdf        a 公报 holding two 修改决定 (units- and kuan-decision.txt)
  tests/fixtures/amend/kuan-decision.docx  kuan-decision.txt as a Word document
"""

import io
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "extract")
ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

CLOSING = "，。；：、）》」』”’！？,.;:)"


# --------------------------------------------------------------------------- source text

def regulation(path=os.path.join(SAMPLES, "hangzhou-bulletin-14.txt")):
    """(notice lines, title, 题注, paragraphs) of the first regulation in the sample text.

    The sample is real extracted text; two defects of that extraction are
    repaired here so the sample bulletin prints the law as enacted: a paragraph
    broken in two mid-sentence (a line not ending in punctuation continues on
    the next), and the label "十二条" that lost its "第".
    """
    with open(path, encoding="utf-8") as fp:
        lines = [l.strip() for l in fp.read().splitlines()]
    lines = [l for l in lines if l]
    notice = lines[0:2]
    title = lines[2]
    note = lines[3]
    paras = []
    for l in lines[4:]:
        if l.startswith("杭州市公安机关"):  # the second regulation starts: stop
            break
        if paras and not re.search(r"[。；：:;]$", paras[-1]):
            paras[-1] += l
        else:
            paras.append(l)
    paras = ["第" + p if p.startswith("十二条") else p for p in paras]
    return notice, title, fullwidth(note), [fullwidth(p) for p in paras]


def fullwidth(text):
    """Half-width ``,;:()`` of the extracted sample as the bulletin prints them: full width."""
    return text.translate(str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}))


# --------------------------------------------------------------------------- PDF bulletin

class Bulletin:
    """A reportlab canvas that typesets like a Chinese government bulletin."""

    W, H = 595.28, 841.89
    LEFT, RIGHT, TOP, BOTTOM = 79.0, 79.0, 90.0, 80.0

    def __init__(self, path, header, first_page=1, size=15.5, fake_bold_labels=True, encrypt=None):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        self.pdfmetrics = pdfmetrics
        self.c = canvas.Canvas(path, pagesize=(self.W, self.H), invariant=1, encrypt=encrypt)
        self.c.setTitle("bulletin")
        self.c.setProducer("clt scripts/make_samples.py (reportlab)")
        self.header = header
        self.first_page = first_page
        self.size = size
        self.fake_bold = fake_bold_labels
        self.pageno = 0
        self.y = None
        self.c.addPageLabel(0, style="ARABIC", start=first_page)
        self._new_page()

    def width(self, text, size=None):
        return self.pdfmetrics.stringWidth(text, "STSong-Light", size or self.size)

    def _new_page(self):
        if self.pageno:
            self._furniture()
            self.c.showPage()
        self.pageno += 1
        self.y = self.TOP

    def _furniture(self):
        c = self.c
        c.setFont("STSong-Light", 10.5)
        c.drawCentredString(self.W / 2, self.H - 45, self.header)
        c.setLineWidth(0.5)
        c.line(self.LEFT, self.H - 52, self.W - self.RIGHT, self.H - 52)
        c.setFont("STSong-Light", 14)
        num = f"— {self.first_page + self.pageno - 1} —"
        # page numbers sit on the outside edge: right on odd pages, left on even ones
        if self.pageno % 2:
            c.drawRightString(self.W - self.RIGHT, 50, num)
        else:
            c.drawString(self.LEFT, 50, num)

    def _need(self, height):
        if self.y + height > self.H - self.BOTTOM:
            self._new_page()

    def centred(self, text, size, gap_before=0.0, gap_after=0.0):
        lines = self._wrap(text, self.W - self.LEFT - self.RIGHT, size)
        for i, line in enumerate(lines):
            self._need(size * 1.8)
            if i == 0:
                self.y += gap_before
            self.y += size * 1.2
            self.c.setFont("STSong-Light", size)
            self.c.drawCentredString(self.W / 2, self.H - self.y, line)
            self.y += size * 0.55
        self.y += gap_after

    def _wrap(self, text, avail, size, first_indent=0.0):
        """Lines of *text*: as many characters as fit; closing punctuation never starts a line."""
        lines, cur, w = [], "", first_indent
        for ch in text:
            cw = self.width(ch, size)
            if cur and w + cw > avail + 0.01 and ch not in CLOSING:
                lines.append(cur)
                cur, w = "", 0.0
            cur += ch
            w += cw
        if cur:
            lines.append(cur)
        return lines

    def paragraph(self, text, label_bold=True, indent_chars=2, size=None):
        """A justified paragraph with a two-character first-line indent (article label kept)."""
        size = size or self.size
        avail = self.W - self.LEFT - self.RIGHT
        indent = indent_chars * size
        m = re.match(r"^(第[一二三四五六七八九十百千零〇两0-9]+条(?:之[一二三四五六七八九十]+)?)[ \u3000]?", text)
        label = m.group(1) if m else None
        if label:
            text = label + "\u3000" + text[m.end():]
        lines = self._wrap(text, avail, size, first_indent=indent)
        for i, line in enumerate(lines):
            self._need(size * 1.75)
            self.y += size * 1.2
            x = self.LEFT + (indent if i == 0 else 0.0)
            room = avail - (indent if i == 0 else 0.0)
            last = i == len(lines) - 1
            natural = self.width(line, size)
            space = 0.0 if last or len(line) < 2 else max(0.0, (room - natural) / (len(line) - 1))
            self._draw(x, self.H - self.y, line, size, space, bold_prefix=label if (i == 0 and label_bold) else None)
            self.y += size * 0.55

    def _draw(self, x, y, line, size, space, bold_prefix=None):
        c = self.c
        t = c.beginText(x, y)
        t.setFont("STSong-Light", size)
        t.setCharSpace(space)
        t.textOut(line)
        c.drawText(t)
        if bold_prefix and self.fake_bold and line.startswith(bold_prefix):
            # how word processors embolden a CJK font that has no bold face: draw it again, shifted
            t = c.beginText(x + 0.35, y)
            t.setFont("STSong-Light", size)
            t.setCharSpace(space)
            t.textOut(bold_prefix)
            c.drawText(t)

    def gap(self, pts):
        self.y += pts

    def save(self):
        self._furniture()
        self.c.save()


def make_bulletin(path, max_paras=None, first_page=41, encrypt=None):
    notice, title, note, paras = regulation()
    b = Bulletin(path, "杭州市人民代表大会常务委员会公报　2020年第6号", first_page=first_page, encrypt=encrypt)
    b.centred(notice[0], 20, gap_after=4)
    b.centred(notice[1], 16, gap_after=18)
    b.centred(title, 20, gap_after=8)
    b.paragraph(note, label_bold=False, size=14)
    b.gap(10)
    for p in paras[:max_paras]:
        b.paragraph(p)
    b.save()


def make_twocol(path):
    """One page, two columns of short paragraphs under a title spanning both."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(path, pagesize=(595.28, 841.89), invariant=1)
    c.setFont("STSong-Light", 18)
    c.drawCentredString(297.6, 780, "两栏排版测试标题")
    c.setFont("STSong-Light", 12)
    left = ["左栏第%s行文字内容" % n for n in "一二三四五六七八九十"]
    right = ["右栏第%s行文字内容" % n for n in "一二三四五六七八九十"]
    for i, (a, b) in enumerate(zip(left, right)):
        y = 740 - i * 20
        c.drawString(72, y, a)
        c.drawString(330, y, b)
    c.showPage()
    c.save()


def make_encrypted(path, password):
    """A one-page PDF that needs *password* (Latin text: reportlab garbles encrypted CID fonts)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(path, pagesize=(595.28, 841.89), invariant=1, encrypt=password)
    c.setFont("Helvetica", 14)
    c.drawString(72, 760, "Article 1 This page is encrypted.")
    c.drawString(72, 740, "Article 2 The password is in scripts/make_samples.py.")
    c.showPage()
    c.save()


def make_unmapped(path):
    """Chinese text in an embedded font whose glyphs have no Unicode mapping.

    Many real bulletins embed subset fonts without a /ToUnicode map: the text
    layer is there but reads as (cid:N).  reportlab writes the map; renaming
    the key (same length, so the xref offsets stay right) removes it.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("ZenHei", ZENHEI, subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.28, 300.0), invariant=1)
    c.setFont("ZenHei", 16)
    for i, line in enumerate(SCAN_LINES):
        c.drawString(72, 240 - i * 32, line)
    c.showPage()
    c.save()
    data = buf.getvalue().replace(b"/ToUnicode", b"/ToUnicodX")
    with open(path, "wb") as fp:
        fp.write(data)


def make_partly_unmapped(path):
    """A heading in a font without ToUnicode over body text whose font has one.

    Common in bulletins: the title or the headings set in a second font that the
    PDF writer embedded without a Unicode map; they read as (cid:N) while the
    body reads fine.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("ZenHeiHeading", ZENHEI, subfontIndex=1))  # another face: its own subset
    pdfmetrics.registerFont(TTFont("ZenHeiBody", ZENHEI, subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.28, 300.0), invariant=1)
    c.setFont("ZenHeiHeading", 20)
    c.drawCentredString(297.64, 250, "第一章　总则")
    c.setFont("ZenHeiBody", 16)
    for i, line in enumerate(SCAN_LINES):
        c.drawString(72, 200 - i * 32, line)
    c.showPage()
    c.save()
    data = buf.getvalue()
    # the heading's font is written first: only its map goes
    data = data.replace(b"/ToUnicode", b"/ToUnicodX", 1)
    with open(path, "wb") as fp:
        fp.write(data)


def make_garbled(path):
    """Chinese text in an embedded font whose ToUnicode map is garbled.

    Some PDF writers (Ghostscript 10.00's pdfwrite among them) write ToUnicode
    maps that send CJK glyphs to one-byte code points: the text layer reads
    ``济南^钢结构建筑à用``.  Every other CJK entry of reportlab's (uncompressed)
    map is rewritten to a Latin-1 letter, same length, so the offsets stay right.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("ZenHei", ZENHEI, subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.28, 300.0), invariant=1, pageCompression=0)
    c.setFont("ZenHei", 16)
    for i, line in enumerate(SCAN_LINES):
        c.drawString(72, 240 - i * 32, line)
    c.showPage()
    c.save()
    n = [0]

    def garble(m):
        code = int(m.group(2), 16)
        if not 0x4E00 <= code <= 0x9FFF:
            return m.group(0)
        n[0] += 1
        if n[0] % 2:
            return m.group(0)
        return m.group(1) + b"<00%02X>" % (0xC0 + code % 0x40 if code % 0x40 not in (0x17, 0x37) else 0xC0)

    data = re.sub(rb"(<[0-9A-F]{2}> )<([0-9A-F]{4})>", garble, buf.getvalue())
    with open(path, "wb") as fp:
        fp.write(data)


def make_outlines(path):
    """Chinese text printed as outlines ("converted to curves"): no text layer at all.

    Needs Ghostscript (``gs -dNoOutputFonts``); the committed fixture is used
    where it is missing.  Returns False when it was not rebuilt.
    """
    import shutil
    import subprocess
    import tempfile

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    gs = shutil.which("gs")
    if not gs:
        return False
    pdfmetrics.registerFont(TTFont("ZenHei", ZENHEI, subfontIndex=0))
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "text.pdf")
        c = canvas.Canvas(src, pagesize=(595.28, 300.0), invariant=1)
        c.setFont("ZenHei", 16)
        for i, line in enumerate(SCAN_LINES):
            c.drawString(72, 240 - i * 32, line)
        c.showPage()
        c.save()
        subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dNoOutputFonts",
                        "-sOutputFile=" + path, src], check=True)
    return True


# --------------------------------------------------------------------------- scanned page

SCAN_LINES = ["第一条　为了规范管理，制定本条例。", "第二条　本条例适用于本市行政区域。", "第三条　本条例自公布之日起施行。"]


def make_scanned(path, lines=SCAN_LINES, dpi=300, stamp=None):
    """A one-page PDF that holds only an image of *lines* (no text layer).

    *stamp*: a few characters of real text printed over the scan (a page number).
    """
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(ZENHEI, size=int(16 / 72 * dpi))
    w_pt, h_pt = 595.28, 300.0
    img = Image.new("L", (int(w_pt / 72 * dpi), int(h_pt / 72 * dpi)), 255)
    d = ImageDraw.Draw(img)
    y = int(60 / 72 * dpi)
    for line in lines:
        d.text((int(72 / 72 * dpi), y), line, font=font, fill=0)
        y += int(32 / 72 * dpi)
    img = img.convert("1")
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    buf.seek(0)
    c = canvas.Canvas(path, pagesize=(w_pt, h_pt), invariant=1)
    c.drawImage(ImageReader(buf), 0, 0, width=w_pt, height=h_pt)
    if stamp:
        c.setFont("Helvetica", 10)
        c.drawString(w_pt - 80, 20, stamp)
    c.showPage()
    c.save()


# --------------------------------------------------------------------------- DOCX, HTML, text

def make_docx(path):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    core = d.core_properties
    core.author = "clt"
    core.title = "示例条例"
    import datetime

    core.created = core.modified = datetime.datetime(2020, 1, 1)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("示例管理条例")
    r.bold = True
    p = d.add_paragraph("（2020年10月27日某市人民代表大会常务委员会通过）")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = d.add_paragraph("第一章　总则")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = d.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    r = p.add_run("第一条")
    r.bold = True
    p.add_run("　为了规范管理，制定本条例。")
    p = d.add_paragraph("本条例适用于本市。")
    p.paragraph_format.first_line_indent = Pt(32)
    p = d.add_paragraph("第二条　有下列情形之一的，依法处理：\n（一）未经许可的；")
    p.paragraph_format.first_line_indent = Pt(32)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "项目"
    t.cell(0, 1).text = "金额（元）"
    t.cell(1, 0).text = "罚款"
    t.cell(1, 1).text = "5000"
    d.add_paragraph("")
    d.add_paragraph("第三条　本条例自2021年3月1日起施行。")
    buf = io.BytesIO()
    d.save(buf)
    _fixed_zip(buf.getvalue(), path)


LEGACY_PARAS = [
    ("center", "某市历史文化名城保护条例"),
    ("center", "（2001年2月23日某市第十一届人民代表大会常务委员会第十八次会议通过）"),
    ("center", "第一章　总　　则"),
    ("indent", "第一条　为了加强历史文化名城的保护，继承优秀历史文化遗产，\n根据有关法律、法规，结合本市实际，制定本条例。"),
    ("indent", "第二条　本市行政区域内历史文化名城的保护、规划和管理，\n适用本条例。"),
    ("indent", "第三条　有下列行为之一的，由主管部门责令改正：\n（一）擅自拆除历史建筑的；\n（二）损坏保护标志的。"),
    ("indent", "第四条　市人民政府应当将历史文化名城保护纳入国民经济和社会发展计划。"),
    ("center", "第二章　附　　则"),
    ("indent", "第五条　本条例自2001年5月1日起施行。"),
]


def make_legacy_doc(path):
    """An old Word 97 .doc (antiword refuses one with too short a text) as government sites publish them, written by LibreOffice from a .docx whose
    paragraphs hold hard line breaks (mid-sentence and before each 项).  Returns False without soffice."""
    import shutil
    import subprocess
    import tempfile

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    exe = shutil.which("soffice")
    if not exe:
        return False
    d = docx.Document()
    for how, text in LEGACY_PARAS:
        p = d.add_paragraph(text)
        if how == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.paragraph_format.first_line_indent = Pt(32)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "law.docx")
        d.save(src)
        subprocess.run([exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                        "doc:MS Word 97", "--outdir", tmp, src], check=True, capture_output=True)
        shutil.copyfile(os.path.join(tmp, "law.doc"), path)
    return True


def _fixed_zip(data, path):
    """Rewrite a ZIP with fixed entry times, so regenerating gives the same bytes."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            zout.writestr(fixed, zin.read(info.filename))


ALTCHUNK_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title></title></head><body>
<div class="Section0">
<p align="center" style="text-align:center"><span style="font-size:22pt;font-family:宋体">示例城市供水条例</span></p>
<p align="center" style="text-align:center"><span style="font-family:楷体">（2001年2月23日示例市第十一届人民代表大会常务委员会第十八次会议通过　2020年10月27日修正）</span></p>
<p align="center" style="text-align:center"><span>第一章　总　　则</span></p>
<p style="text-indent:32pt"><span>第一条　为了加强城市供水管理，保障供水安全，制定本条例。</span></p>
<p style="text-indent:32pt"><span>第二条　供水企业应当遵守下列规定：<br />（一）水质符合国家标准；<br />（二）水压符合规定；<br />（三）不得擅自停止供水。<br />违反前款规定的，由主管部门责令改正。</span></p>
<p align="center" style="text-align:center"><span>第二章　附　　则</span></p>
<p style="text-indent:32pt"><span>第三条　本条例自2021年3月1日起施行。</span></p>
</div></body></html>
"""


def make_altchunk_docx(path):
    """A Word file as the national law database publishes it: document.xml holds one w:altChunk,
    the law is HTML in word/afchunk.mht (a MIME web archive, quoted-printable)."""
    import quopri
    import zipfile

    qp = quopri.encodestring(ALTCHUNK_HTML.encode("utf-8")).decode("ascii")
    mht = ("MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n    type=\"text/html\";\r\n"
           "    boundary=\"----=mhtDocumentPart\"\r\n\r\n\r\n------=mhtDocumentPart\r\n"
           "Content-Type: text/html;\r\n    charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n"
           "Content-Location: file:///C:/fake/document.html\r\n\r\n" + qp.replace("\n", "\r\n") +
           "\r\n\r\n------=mhtDocumentPart--\r\n")
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    Rn = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/afchunk.mht" ContentType="message/rfc822"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document.xml" Id="R1"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="utf-8"?><w:document xmlns:w="{W}" xmlns:r="{Rn}"><w:body>'
        '<w:altChunk r:id="htmlChunk"/><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>',
        "word/_rels/document.xml.rels": '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="/word/afchunk.mht" Id="htmlChunk"/></Relationships>',
        "word/afchunk.mht": mht,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, text in parts.items():
            info = zipfile.ZipInfo(n, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>示例管理条例_法规库</title>
<style>.nav { color: red } p { text-indent: 2em }</style>
<script>var tracker = "第九十九条 不是正文";</script></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/fg">法规库</a></div>
<div id="content" class="article">
<h1>示例管理条例</h1>
<p style="text-align:center">（2020年10月27日通过）</p>
<h2>第一章　总则</h2>
<p>第一条　为了规范管理，<b>根据</b>有关法律，制定本条例。</p>
<p>第二条　有下列情形之一的，依法处理：<br>（一）未经许可的；<br/>（二）超出范围的。</p>
<table><tr><td>项目</td><td>金额</td></tr><tr><td>罚款</td><td>5000元</td></tr></table>
<p>第三条　本条例自2021年3月1日起施行。&nbsp;</p>
</div>
<div class="footer">版权所有 © 示例网站<script>document.write("x")</script></div>
</body></html>
"""

TEXT_GB = "示例管理条例\n\n第一条　为了规范管理，制定本条例。\n第二条　本条例适用于本市。\n\f第三条　本条例自公布之日起施行。\n"


# --------------------------------------------------------------------------- old typesetting, lying layers

OLD_TYPESET_LINES = [
    # (size, x offset in em, text); "|" marks a sign drawn as a small image (the font lacks 《 》)
    (16, 6, "示例城市供水条例"),
    (10.5, 4, "（２０１９年６月２８日示例市第十五届人民代表大会常务委员会第二十次会议通过）"),
    (12, 9, "第一章　总　　则"),
    (10.5, 2, "第一条　为了保障城市供水，依照|中华人民共和国水法|，制定本条例。"),
    (10.5, 2, "第二条　本条例自２０２０年１月１日起施行。"),
]
#: the lines set in the simple TrueType font named 宋体 (in GBK), not embedded, GBK strings
OLD_TYPESET_SIMPLE = {4}


def _gbk_hex(text):
    return text.encode("gbk").hex()


def make_old_typeset(path, lines=OLD_TYPESET_LINES, size=(516.0, 728.0)):
    """A page as old Chinese typesetting systems (北大方正 through S22PDF) wrote it.

    Written by hand, object by object: the body font is a Type0 font with the
    predefined /GBK-EUC-H CMap over an Adobe-GB1 CIDFont that is not embedded
    (宋体 on the reader's machine) and has no /ToUnicode — the text is GBK
    bytes; the heading font is /Identity-H over Adobe-GB1 CIDs, also without
    /ToUnicode; the last article is in a simple TrueType font that only its name
    (宋体, in GBK) says is Chinese, its strings GBK bytes; the digits are full-width; the 《 》 the font lacked are small
    images; the page is B5 (516 × 728 pt), not A4.
    """
    from pdfminer.cmapdb import CMapDB

    gbk = CMapDB.get_cmap("GBK-EUC-H")
    width, height = size
    body, y = [], height - 72
    img_xs = []
    for n, (fsize, indent, text) in enumerate(lines):
        x = 72 + indent * fsize
        font = "/F3" if n in OLD_TYPESET_SIMPLE else "/F2" if fsize >= 12 else "/F1"
        for k, part in enumerate(text.split("|")):
            if k:
                img_xs.append((x, y, fsize))
                x += fsize
            if not part:
                continue
            if font == "/F2":
                hexs = "".join("%04x" % c for ch in part for c in gbk.decode(ch.encode("gbk")))
            elif font == "/F3":
                hexs = _gbk_hex(part)   # the same bytes, in a simple font: only its name says GBK
            else:
                hexs = _gbk_hex(part)
            body.append(f"BT {font} {fsize} Tf {x:.2f} {y:.2f} Td <{hexs}> Tj ET")
            x += fsize * len(part)
        y -= fsize * 2
    for x, y, fsize in img_xs:
        body.append(f"q {fsize * 0.6:.2f} 0 0 {fsize * 0.9:.2f} {x + fsize * 0.2:.2f} {y - fsize * 0.1:.2f} cm /Im1 Do Q")
    stream = "\n".join(body).encode()
    # an 8 x 12 one-bit picture of a double angle bracket, as a typesetter would rasterise it
    bracket = bytes([0b00010010, 0b00100100, 0b01001000, 0b10010000, 0b10010000, 0b01001000,
                     0b00100100, 0b00010010, 0, 0, 0, 0])
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:g} {height:g}] "
        "/Resources << /Font << /F1 4 0 R /F2 7 0 R /F3 11 0 R >> /XObject << /Im1 10 0 R >> >> /Contents 9 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /GBK-EUC-H /DescendantFonts [5 0 R] >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) "
        "/Ordering (GB1) /Supplement 2 >> /FontDescriptor 6 0 R /DW 1000 >>",
        "<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] /ItalicAngle 0 "
        "/Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimHei /Encoding /Identity-H /DescendantFonts [8 0 R] >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimHei /CIDSystemInfo << /Registry (Adobe) "
        "/Ordering (GB1) /Supplement 2 >> /FontDescriptor 6 0 R /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 12 /ColorSpace /DeviceGray /BitsPerComponent 1 "
        b"/Decode [1 0] /Length %d >>\nstream\n" % len(bracket) + bracket + b"\nendstream",
        # a simple TrueType font named 宋体 in GBK (#CB#CE#CC#E5), no FontFile2, no ToUnicode
        "<< /Type /Font /Subtype /TrueType /BaseFont /#CB#CE#CC#E5 /FirstChar 32 /LastChar 255 "
        "/Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + (o if isinstance(o, bytes) else o.encode()) + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info << /Producer (S22PDF V1.0) >> >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, xref))
    with open(path, "wb") as fp:
        fp.write(bytes(out))


LYING_LINES = ["示例城市供水条例", "（2019年6月28日示例市人民代表大会常务委员会通过）",
               "第一条　为了保障城市供水，制定本条例。", "第二条　供水企业应当保证水质符合国家标准。",
               "第三条　本条例自2020年1月1日起施行。"]


def _zenhei_page(lines, size=16):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("ZenHei", ZENHEI, subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.28, 60 + 34 * len(lines)), invariant=1, pageCompression=0)
    c.setFont("ZenHei", size)
    for i, line in enumerate(lines):
        c.drawString(40, 30 + 34 * (len(lines) - 1 - i), line)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_lying_ideographs(path):
    """A text layer that lies: each CJK glyph's ToUnicode entry names another, real ideograph.

    The page prints the law; its text layer reads 丒丛丠… (fonts whose maps were built
    for another encoding).  Entries of reportlab's uncompressed map are rewritten in place
    (same length), so the xref offsets stay right.
    """
    def shift(m):
        code = int(m.group(2), 16)
        if not 0x4E00 <= code <= 0x9FA5:
            return m.group(0)
        return m.group(1) + b"<%04X>" % (0x4E00 + (code * 7919) % 0x51A6)

    data = re.sub(rb"(<[0-9A-F]{2}> )<([0-9A-F]{4})>", shift, _zenhei_page(LYING_LINES))
    with open(path, "wb") as fp:
        fp.write(data)


def make_lying_digits(path):
    """A text layer whose digits map to ASCII punctuation (an e-book maker's subset font
    numbering its glyphs from 0x21): （2019年6月 reads （!"#*年 &月."""
    def digit(m):
        code = int(m.group(2), 16)
        if not 0x30 <= code <= 0x39:
            return m.group(0)
        return m.group(1) + b"<%04X>" % (0x21 + code - 0x30)

    data = re.sub(rb"(<[0-9A-F]{2}> )<([0-9A-F]{4})>", digit, _zenhei_page(LYING_LINES))
    with open(path, "wb") as fp:
        fp.write(data)


# --------------------------------------------------------------------------- prints of web pages and e-books

PRINT_TITLE = "示例城市供水条例"
PRINT_CAPTION = "（2019年6月28日示例市第十五届人民代表大会常务委员会第二十次会议通过）"
PRINT_CHAPTERS = [("第一章　总　　则", 3), ("第二章　供水管理", 5), ("第三章　附　　则", 2)]
PRINT_SUBJECTS = ["城市供水", "水源保护", "供水设施", "水质监测", "用水计划", "节约用水", "供水价格", "应急供水",
                  "监督检查", "法律责任", "施行日期"]


def _print_law(bullet=""):
    """(kind, text) paragraphs of a small law: title, 题注, 目录, chapters, articles with 项."""
    out = [("title", PRINT_TITLE), ("caption", PRINT_CAPTION), ("centre", "目　　录")]
    out += [("toc", ch) for ch, _ in PRINT_CHAPTERS]
    n = 0
    for ch, count in PRINT_CHAPTERS:
        out.append(("heading", ch))
        for _ in range(count):
            n += 1
            subject = PRINT_SUBJECTS[n - 1]
            if n == sum(c for _, c in PRINT_CHAPTERS):
                out.append(("para", f"第{_CN[n]}条　本条例自2020年1月1日起施行。"))
                continue
            out.append(("para", f"第{_CN[n]}条　{subject}工作应当遵循统筹规划、合理布局、保障安全的原则，"
                                f"市人民政府有关部门按照各自职责做好{subject}的管理工作，下列事项除外："))
            for k in range(1, 3):
                out.append(("para", f"{bullet}（{_CN[k]}）{subject}的第{_CN[k]}类事项；" if k == 1 else
                                    f"{bullet}（{_CN[k]}）{subject}的其他事项。"))
    return out


_CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


class _Print(Bulletin):
    """A page as a browser or e-book reader prints it: the law in the body, the program's
    own header and footer in the margins (*furniture*(canvas, page, pages) draws them)."""

    def __init__(self, path, furniture, pages, size=12):
        self.furniture_fn, self.pages = furniture, pages
        super().__init__(path, header="", size=size, fake_bold_labels=False)

    def _furniture(self):
        self.furniture_fn(self.c, self.pageno, self.pages, self.W, self.H)


def _typeset(path, furniture, paras, pages):
    doc = _Print(path, furniture, pages)
    for kind, text in paras:
        if kind == "title":
            doc.centred(text, 18, gap_after=6)
        elif kind in ("caption", "centre", "heading"):
            doc.centred(text, 12, gap_before=4 if kind == "heading" else 0, gap_after=4)
        elif kind == "toc":
            doc.centred(text, 12)
        elif kind == "note":
            doc.paragraph(text, label_bold=False)
        else:
            doc.paragraph(text, label_bold=False)
    doc.save()
    return doc.pageno


def _chrome_furniture(c, page, pages, W, H):
    # Chromium's header and footer: date and time left, the page's title centred; the
    # URL left, page/pages right; 8 pt in the top and bottom 0.4 inch
    c.setFont("STSong-Light", 8)
    c.drawString(28, H - 20, "2024/5/6 10:21")
    c.drawCentredString(W / 2, H - 20, PRINT_TITLE + "_国家法律法规数据库")
    c.drawString(28, 14, "https://flk.npc.gov.cn/detail2.html?ZmY4MDgxODE4ZjVlMjQ4MTAxODVhZjk")
    c.drawRightString(W - 28, 14, f"{page}/{pages}")


def _ebook_furniture(c, page, pages, W, H):
    # an e-book reader's running header: the page count and the book's title
    c.setFont("STSong-Light", 9)
    c.drawString(79, H - 40, f"第{page}页,共{pages}页 中国示例法律读本")
    c.drawCentredString(W / 2, 40, f"第 {page} 页 共 {pages} 页")


def make_browser_print(path):
    """A Chromium print (headers and footers on) of the national database's page of a law."""
    notice = [("centre", "示例市人民代表大会常务委员会公告"), ("centre", "第十二号"),
              ("note", "《示例城市供水条例》已由示例市第十五届人民代表大会常务委员会第二十次会议于2019年6月28日通过，"
                       "现予公布，自2020年1月1日起施行。"), ("centre", "示例市人民代表大会常务委员会"),
              ("centre", "2019年6月28日")]
    paras = notice + _print_law()
    pages = _typeset(io.BytesIO(), _chrome_furniture, paras, 1)
    _typeset(path, _chrome_furniture, paras, pages)


def make_ebook_print(path):
    """A reader edition printed from an e-book: a cover page (title, 题注, a note), then the
    law under its title again; a bullet before every 项; the reader's page counts."""
    cover = [("title", PRINT_TITLE), ("caption", PRINT_CAPTION),
             ("note", "本书收录示例城市供水条例全文，供学习使用。")]
    paras = cover + [("pagebreak", "")] + _print_law(bullet="● ")
    out = []
    for kind, text in paras:
        out.append((kind, text))
    pages = _typeset_with_breaks(io.BytesIO(), _ebook_furniture, out, 1)
    _typeset_with_breaks(path, _ebook_furniture, out, pages)


def _typeset_with_breaks(path, furniture, paras, pages):
    doc = _Print(path, furniture, pages)
    for kind, text in paras:
        if kind == "pagebreak":
            doc._new_page()
            continue
        if kind == "title":
            doc.centred(text, 18, gap_after=6)
        elif kind in ("caption", "centre", "heading", "toc"):
            doc.centred(text, 12, gap_before=4 if kind == "heading" else 0, gap_after=4 if kind != "toc" else 0)
        else:
            doc.paragraph(text, label_bold=False)
    doc.save()
    return doc.pageno


# --------------------------------------------------------------------------- amending instruments

AMEND_FIXTURES = os.path.join(ROOT, "tests", "fixtures", "amend")


def _instrument(name):
    """The paragraphs of a hand-written instrument of tests/fixtures/amend."""
    with open(os.path.join(AMEND_FIXTURES, name), encoding="utf-8") as fp:
        return [ln for ln in fp.read().split("\n") if ln.strip()]


def _typeset_instrument(b, paras):
    """Title and 题注 centred, the enacting words, items and closing as indented paragraphs."""
    b.centred(paras[0], 20, gap_before=8, gap_after=6)
    b.centred(paras[1], 14, gap_after=10)
    for p in paras[2:]:
        b.paragraph(p, label_bold=False)


def make_amend_bulletin(path):
    """A 常委会公报 holding two 修改决定 (tests/fixtures/amend/units-decision.txt, then
    kuan-decision.txt): running header, page numbers, wrapped lines — `clt amend --title` picks one."""
    b = Bulletin(path, "某省人民代表大会常务委员会公报　2022年第4号", first_page=17)
    _typeset_instrument(b, _instrument("units-decision.txt"))
    b.gap(24)
    _typeset_instrument(b, _instrument("kuan-decision.txt"))
    b.save()


def make_amend_docx(path):
    """tests/fixtures/amend/kuan-decision.txt as a Word document: centred bold title, 题注, indented items."""
    import datetime

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paras = _instrument("kuan-decision.txt")
    d = docx.Document()
    d.core_properties.author = "clt"
    d.core_properties.created = d.core_properties.modified = datetime.datetime(2021, 9, 28)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(paras[0]).bold = True
    p = d.add_paragraph(paras[1])
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in paras[2:]:
        p = d.add_paragraph(text)
        p.paragraph_format.first_line_indent = Pt(32)
    buf = io.BytesIO()
    d.save(buf)
    _fixed_zip(buf.getvalue(), path)


OCR_FIXTURES = os.path.join(ROOT, "tests", "fixtures", "ocr")


def _scan_image(lines=SCAN_LINES, dpi=200):
    """A grey page image (595 x 300 pt at *dpi*) of *lines* printed as make_scanned prints them."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(ZENHEI, size=int(16 / 72 * dpi))
    img = Image.new("L", (int(595.28 / 72 * dpi), int(300 / 72 * dpi)), 255)
    d = ImageDraw.Draw(img)
    y = int(60 / 72 * dpi)
    for line in lines:
        d.text((int(72 / 72 * dpi), y), line, font=font, fill=0)
        y += int(32 / 72 * dpi)
    return img


def _photocopy(img, dpi, seed=7):
    """*img* as an office photocopy: toner speckle, a dark band along the top and the
    right edge, a gutter shadow on the left and two punched holes in the left margin."""
    import random

    from PIL import ImageDraw

    rnd = random.Random(seed)
    img = img.point(lambda v: max(0, min(255, int((v - 40) * 1.25))))
    w, h = img.size
    d = ImageDraw.Draw(img)
    for _ in range(w * h // 3000):
        x, y, r = rnd.randrange(w), rnd.randrange(h), rnd.randrange(2)
        d.rectangle([x - r, y - r, x + r, y + r], fill=rnd.randrange(90))
    shadow = int(0.3 * dpi)
    for x in range(shadow):
        level = int(40 + 215 * x / shadow)
        for y in range(h):
            if img.getpixel((x, y)) > level:
                img.putpixel((x, y), level)
    band = int(0.08 * dpi)
    d.rectangle([0, 0, w, band], fill=25)
    d.rectangle([w - band, 0, w, h], fill=25)
    r, cx = int(0.12 * dpi), int(0.4 * dpi)
    for fy in (0.35, 0.75):
        cy = int(h * fy)
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=15)
    return img


def make_scan_copies(d=OCR_FIXTURES):
    """Scans of SCAN_LINES as offices make them, for the OCR page preparation tests:
    upside down (PNG), fed in sideways either way (a two-frame TIFF), skewed 3 degrees
    (an image-only PDF at 200 dpi), a skewed photocopy with dark edges and punched
    holes (JPEG, 150 dpi), and a blank page with speckle (PNG)."""
    import random

    from PIL import Image, ImageDraw

    os.makedirs(d, exist_ok=True)
    img = _scan_image(dpi=200)
    img.rotate(180).convert("1").save(os.path.join(d, "upside-down.png"), dpi=(200, 200), optimize=True)
    a = img.transpose(Image.ROTATE_90).convert("1")
    b = img.transpose(Image.ROTATE_270).convert("1")
    a.save(os.path.join(d, "sideways.tif"), save_all=True, append_images=[b], dpi=(200, 200),
           compression="group4")
    sk = img.rotate(3, resample=Image.BICUBIC, fillcolor=255)
    sk.convert("1").save(os.path.join(d, "skewed.pdf"), resolution=200)
    pc = _photocopy(_scan_image(dpi=150).rotate(-2.5, resample=Image.BICUBIC, fillcolor=255), 150)
    pc.save(os.path.join(d, "photocopy.jpg"), quality=60, dpi=(150, 150))
    blank = Image.new("L", (int(595.28 / 72 * 150), int(300 / 72 * 150)), 250)
    rnd = random.Random(3)
    dr = ImageDraw.Draw(blank)
    for _ in range(200):
        x, y = rnd.randrange(blank.size[0]), rnd.randrange(blank.size[1])
        dr.point((x, y), fill=rnd.randrange(120))
    blank.save(os.path.join(d, "blank.png"), dpi=(150, 150), optimize=True)
    for f in sorted(os.listdir(d)):
        print(f"{os.path.relpath(os.path.join(d, f), ROOT)}: {os.path.getsize(os.path.join(d, f))} bytes")


def main(argv):
    os.makedirs(FIXTURES, exist_ok=True)
    make_amend_bulletin(os.path.join(AMEND_FIXTURES, "bulletin.pdf"))
    make_amend_docx(os.path.join(AMEND_FIXTURES, "kuan-decision.docx"))
    make_bulletin(os.path.join(SAMPLES, "bulletin.pdf"))
    make_bulletin(os.path.join(FIXTURES, "bulletin.pdf"), max_paras=9)
    make_encrypted(os.path.join(FIXTURES, "encrypted.pdf"), "secret")
    make_twocol(os.path.join(FIXTURES, "twocol.pdf"))
    if os.path.exists(ZENHEI):
        make_scanned(os.path.join(FIXTURES, "scanned.pdf"))
        make_unmapped(os.path.join(FIXTURES, "unmapped.pdf"))
        make_garbled(os.path.join(FIXTURES, "garbled.pdf"))
        make_partly_unmapped(os.path.join(FIXTURES, "partly-unmapped.pdf"))
        make_lying_ideographs(os.path.join(FIXTURES, "lying-ideographs.pdf"))
        make_lying_digits(os.path.join(FIXTURES, "lying-digits.pdf"))
        make_scan_copies()
        if not make_outlines(os.path.join(FIXTURES, "outlines.pdf")):
            print("make_samples: gs missing (ghostscript): outlines.pdf not rebuilt", file=sys.stderr)
    else:
        print(f"make_samples: {ZENHEI} missing (fonts-wqy-zenhei): scanned.pdf, unmapped.pdf not rebuilt", file=sys.stderr)
    make_old_typeset(os.path.join(FIXTURES, "old-typeset.pdf"))
    make_browser_print(os.path.join(FIXTURES, "browser-print.pdf"))
    make_ebook_print(os.path.join(FIXTURES, "ebook-print.pdf"))
    make_docx(os.path.join(FIXTURES, "law.docx"))
    make_altchunk_docx(os.path.join(FIXTURES, "altchunk.docx"))
    if not make_legacy_doc(os.path.join(FIXTURES, "legacy.doc")):
        print("make_samples: soffice missing (libreoffice-writer-nogui): legacy.doc not rebuilt", file=sys.stderr)
    with open(os.path.join(FIXTURES, "law.html"), "w", encoding="utf-8") as fp:
        fp.write(HTML)
    with open(os.path.join(FIXTURES, "law-gb18030.txt"), "wb") as fp:
        fp.write(TEXT_GB.encode("gb18030"))
    for d in (SAMPLES, FIXTURES, AMEND_FIXTURES):
        for f in sorted(os.listdir(d)):
            p = os.path.join(d, f)
            if f.endswith((".pdf", ".docx", ".doc", ".html", ".txt")) and (d != SAMPLES or f == "bulletin.pdf"):
                print(f"{os.path.relpath(p, ROOT)}: {os.path.getsize(p)} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
