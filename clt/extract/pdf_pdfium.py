"""PDF pages -> :class:`~clt.extract.layout.Char` lists with PDFium (pypdfium2).

The fast engine: PDFium parses in C++, several times faster than pdfminer.
It yields the same Char objects, so :mod:`clt.extract.layout` makes the same
``line`` records.  Characters PDFium *generates* (the spaces and line breaks
it guesses) are skipped — spacing is decided by the layout rules — and
glyphs without a Unicode mapping come through as U+FFFD, which counts as an
unusable text layer for OCR.
"""

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from clt.errors import ExtractError
from clt.extract.layout import Char, bold_font_name, clean_font_name


class PdfiumDocument:
    """An open PDF read with PDFium: page count, labels, producer, pages as Chars."""

    engine = "pdfium"

    def __init__(self, data, name, password=None):
        self.name = name
        self.data = data
        self.password = password
        try:
            self.pdf = pdfium.PdfDocument(data, password=password or None)
        except pdfium.PdfiumError as e:
            msg = str(e)
            if "password" in msg.lower():
                raise ExtractError("encrypted PDF: " + ("wrong password" if password else "a password is needed"),
                                   source=name, hint=None if password else "use --password") from None
            raise ExtractError(f"not a readable PDF (corrupt or truncated): {msg.splitlines()[0][:120]}",
                               source=name) from None
        self.npages = len(self.pdf)
        if not self.npages:
            self.close()
            raise ExtractError("PDF without pages (corrupt or truncated?)", source=name)
        try:
            self.producer = (self.pdf.get_metadata_value("Producer") or "").strip("\x00 ") or None
        except Exception:
            self.producer = None
        self._fonts = {}

    def label(self, pageno):
        try:
            return self.pdf.get_page_label(pageno - 1) or None
        except Exception:
            return None

    def _font(self, textpage, index):
        """(name, bold, render_mode) of the text object that draws char *index*."""
        obj = raw.FPDFText_GetTextObject(textpage, index)
        if not obj:
            return "", False, 0
        font = raw.FPDFTextObj_GetFont(obj)
        mode = raw.FPDFTextObj_GetTextRenderMode(obj)
        key = (ctypes.cast(font, ctypes.c_void_p).value if font else None, mode)
        facts = self._fonts.get(key)
        if facts is not None:
            return facts
        name, bold = "", False
        if obj:
            if font:
                n = raw.FPDFFont_GetBaseFontName(font, None, 0)
                if n:
                    buf = ctypes.create_string_buffer(n)
                    raw.FPDFFont_GetBaseFontName(font, buf, n)
                    name = clean_font_name(buf.value.decode("utf-8", "replace"))
                weight = raw.FPDFFont_GetWeight(font)
                flags = raw.FPDFFont_GetFlags(font)
                bold = bold_font_name(name) or weight >= 600 or bool(flags & (1 << 18))
        facts = (name, bold or mode == 2, mode)
        self._fonts[key] = facts
        return facts

    def page(self, pageno):
        """``(width, height, chars)`` of 1-based page *pageno*."""
        try:
            page = self.pdf[pageno - 1]
        except Exception as e:
            raise ExtractError(f"cannot read page: {e}", source=self.name, page=pageno) from None
        try:
            width, height = page.get_size()
            left, bottom, right, top = page.get_mediabox()
            rotation = page.get_rotation() % 360
            tp = page.get_textpage()
            t = tp.raw
            self._fonts = {}
            chars = []
            l_, t_, r_, b_ = (ctypes.c_double() for _ in range(4))
            rect = raw.FS_RECTF()
            n = raw.FPDFText_CountChars(t)
            for i in range(n):
                if raw.FPDFText_IsGenerated(t, i) == 1:
                    continue
                code = raw.FPDFText_GetUnicode(t, i)
                if code in (0xFFFE, 0xFFFF) or code == 0:
                    continue
                text = "\ufffd" if raw.FPDFText_HasUnicodeMapError(t, i) == 1 else chr(code)
                if text in "\r\n":
                    continue
                if not raw.FPDFText_GetLooseCharBox(t, i, rect):
                    continue
                x0, x1, ytop, ybot = rect.left, rect.right, rect.top, rect.bottom
                if ytop < ybot:
                    ytop, ybot = ybot, ytop
                size = raw.FPDFText_GetFontSize(t, i)
                name, bold, _ = self._font(t, i)
                if rotation == 0:
                    box = (x0 - left, top - ytop, x1 - left, top - ybot)
                elif rotation == 90:
                    box = (ybot - bottom, x0 - left, ytop - bottom, x1 - left)
                elif rotation == 180:
                    box = (right - x1, ybot - bottom, right - x0, ytop - bottom)
                else:
                    box = (top - ytop, right - x1, top - ybot, right - x0)
                chars.append(Char(text, box[0], box[1], box[2], box[3], size or (box[3] - box[1]),
                                  name, bold, True))
            tp.close()
        except ExtractError:
            raise
        except Exception as e:
            raise ExtractError(f"cannot read page content: {e}", source=self.name, page=pageno) from None
        finally:
            page.close()
        return width, height, chars

    def has_images(self, pageno):
        """True when page *pageno* draws an image (a scan to OCR, perhaps)."""
        page = self.pdf[pageno - 1]
        try:
            return any(obj.type == raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=3))
        finally:
            page.close()

    def close(self):
        try:
            self.pdf.close()
        except Exception:
            pass
