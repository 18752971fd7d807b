"""PDF pages -> :class:`~clt.extract.layout.Char` lists with PDFium (pypdfium2).

The fast engine: PDFium parses in C++, several times faster than pdfminer.
It yields the same Char objects, so :mod:`clt.extract.layout` makes the same
``line`` records.  Characters PDFium *generates* (the spaces and line breaks
it guesses) are skipped — spacing is decided by the layout rules — and
glyphs without a Unicode mapping come through as U+FFFD, which counts as an
unusable text layer for OCR.
"""

import ctypes
import math

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from clt.errors import ExtractError
from clt.extract.bounded import MAX_PAGE_GLYPHS, too_many_glyphs
from clt.extract.layout import Char, bold_font_name, clean_font_name, is_cjk, quadrant, turn


def _fast(fn, restype, *argtypes):
    """*fn* re-declared with plain C types: no ctypes pointer objects per call (PDFium is
    called several times per character)."""
    try:
        addr = ctypes.cast(fn, ctypes.c_void_p).value
        return ctypes.CFUNCTYPE(restype, *argtypes)(addr)
    except Exception:  # pragma: no cover - an unusual ctypes build: use the binding as it is
        return None


_VP, _INT, _DBL = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
_GetTextObject = _fast(raw.FPDFText_GetTextObject, _VP, _VP, _INT)
_GetUnicode = _fast(raw.FPDFText_GetUnicode, ctypes.c_uint, _VP, _INT)
_IsGenerated = _fast(raw.FPDFText_IsGenerated, _INT, _VP, _INT)
_HasMapError = _fast(raw.FPDFText_HasUnicodeMapError, _INT, _VP, _INT)
_GetFontSize = _fast(raw.FPDFText_GetFontSize, _DBL, _VP, _INT)
# the rectangle and matrix are passed as plain addresses: a POINTER argument costs
# more than the call itself
_GetLooseCharBox = _fast(raw.FPDFText_GetLooseCharBox, _INT, _VP, _INT, _VP)
_GetFont = _fast(raw.FPDFTextObj_GetFont, _VP, _VP)
_GetRenderMode = _fast(raw.FPDFTextObj_GetTextRenderMode, _INT, _VP)
_GetCharAngle = _fast(raw.FPDFText_GetCharAngle, ctypes.c_float, _VP, _INT)
_GetMatrix = _fast(raw.FPDFText_GetMatrix, _INT, _VP, _INT, _VP)
_FAST = None not in (_GetMatrix, _GetCharAngle, _GetFont, _GetRenderMode, _GetTextObject, _GetUnicode, _IsGenerated, _HasMapError, _GetFontSize, _GetLooseCharBox)


#: a blank PDFium reports between two CJK characters is kept when the gap is at
#: least this wide (em): a space glyph is 0.25 em or more (0.5 or 1 em in CJK fonts)
BLANK_GAP = 0.25
#: between a CJK character and a Latin letter or digit word processors add their own
#: spacing (about 0.2–0.3 em, "autospace"): only a wider gap holds a printed blank
BLANK_GAP_MIXED = 0.45


def _blank_between(a, b, width=None, height=None):
    """A soft U+0020 Char in the gap between *a* and *b*, where PDFium reported a blank, or None.

    PDFium turns every blank glyph it draws (U+0020, U+3000...) into a space it
    *generates*, and generates spaces for wide gaps too, so which blank was
    printed cannot be told: real blanks next to CJK text come out as U+0020
    (pdfminer keeps U+3000).  Between two Latin characters the layout's word
    gap rule decides.  The blank is *soft*: the layout drops it when the two
    glyphs are one grid cell apart (see :func:`clt.extract.layout._resolve_soft`).
    """
    q = quadrant(a)
    if not a.upright and q and q == quadrant(b) and width:
        # sideways or upside-down text (see layout.text_direction): measured as it reads
        (ta, tb), w, h = turn([a, b], q, width, height)
        blank = _blank_between(ta, tb)
        if blank is None:
            return None
        (back,), _, _ = turn([blank], (360 - q) % 360, w, h)
        return back
    ca, cb = is_cjk(a.text[-1]), is_cjk(b.text[0])
    if not (ca or cb):
        return None
    em = max(a.size, b.size)
    if abs(a.top - b.top) > em or b.x0 - a.x1 < (BLANK_GAP if ca and cb else BLANK_GAP_MIXED) * em:
        return None
    return Char(" ", a.x1, a.top, b.x0, a.bottom, a.size, a.font, a.bold, True, soft=True)


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

    def _font(self, obj):
        """(name, bold, invisible) of the text object at address *obj* (cached per font and render mode)."""
        if not obj:
            return "", False, False
        if _FAST:
            font, mode = _GetFont(obj), _GetRenderMode(obj)
        else:
            handle = ctypes.cast(obj, raw.FPDF_PAGEOBJECT)
            mode = raw.FPDFTextObj_GetTextRenderMode(handle)
            f = raw.FPDFTextObj_GetFont(handle)
            font = ctypes.cast(f, ctypes.c_void_p).value if f else None
        key = (font, mode)
        facts = self._fonts.get(key)
        if facts is not None:
            return facts
        name, bold = "", False
        if font:
            handle = ctypes.cast(font, raw.FPDF_FONT)
            n = raw.FPDFFont_GetBaseFontName(handle, None, 0)
            if n:
                buf = ctypes.create_string_buffer(n)
                raw.FPDFFont_GetBaseFontName(handle, buf, n)
                try:
                    name = buf.value.decode("utf-8")
                except UnicodeDecodeError:
                    name = buf.value.decode("gb18030", "replace")   # 宋体 named in GBK by old writers
                name = clean_font_name(name)
            weight = raw.FPDFFont_GetWeight(handle)
            flags = raw.FPDFFont_GetFlags(handle)
            bold = bold_font_name(name) or weight >= 600 or bool(flags & (1 << 18))
        facts = (name, bold or mode == 2, mode in (3, 7))
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
            # the page as displayed is its crop box (pypdfium2 falls back to the media box)
            left, bottom, right, top = page.get_cropbox()
            rotation = page.get_rotation() % 360
            tp = page.get_textpage()
            t = tp.raw
            self._fonts = {}
            chars = []
            rect = raw.FS_RECTF()
            n = raw.FPDFText_CountChars(t)
            if n > MAX_PAGE_GLYPHS:
                raise too_many_glyphs(self.name, pageno)
            if _FAST:
                tv = ctypes.cast(t, ctypes.c_void_p).value
                prect = ctypes.addressof(rect)
                get_obj, get_uni, is_gen, map_err, get_size, get_box = (
                    _GetTextObject, _GetUnicode, _IsGenerated, _HasMapError, _GetFontSize, _GetLooseCharBox)
            else:
                tv, prect = t, rect
                get_obj = lambda tp_, i: ctypes.cast(raw.FPDFText_GetTextObject(tp_, i), ctypes.c_void_p).value
                get_uni, is_gen, map_err = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated, raw.FPDFText_HasUnicodeMapError
                get_size, get_box = raw.FPDFText_GetFontSize, raw.FPDFText_GetLooseCharBox
            get_angle = _GetCharAngle if _FAST else raw.FPDFText_GetCharAngle
            matrix = raw.FS_MATRIX()
            pmatrix = ctypes.addressof(matrix) if _FAST else matrix
            get_matrix = _GetMatrix if _FAST else raw.FPDFText_GetMatrix
            font = self._font
            # size, angle and font are those of the glyph's text object (PDFium
            # copies them from it to each of its characters): read once per object
            objects = {}
            prev = None  # the last real character
            gap = False  # PDFium generated a space since then
            low = -1  # the index of a low surrogate already joined to its high half
            for i in range(n):
                if i == low:
                    continue
                if is_gen(tv, i) == 1:
                    gap = True
                    continue
                code = get_uni(tv, i)
                if code == 0 or code in (0xFFFE, 0xFFFF, 0x0D, 0x0A):
                    continue
                if 0xD800 <= code <= 0xDFFF:
                    # PDFium gives a character beyond the BMP (𠀀 U+20000) as its two
                    # UTF-16 halves, one per index; a half alone (a broken ToUnicode
                    # map) is no character: U+FFFD, counted as unmapped
                    nxt = get_uni(tv, i + 1) if code < 0xDC00 and i + 1 < n else 0
                    if 0xDC00 <= nxt <= 0xDFFF:
                        code = 0x10000 + ((code - 0xD800) << 10) + (nxt - 0xDC00)
                        low = i + 1
                    else:
                        code = 0xFFFD
                text = "\ufffd" if map_err(tv, i) == 1 else chr(code)
                if not get_box(tv, i, prect):
                    continue
                x0, x1, ytop, ybot = rect.left, rect.right, rect.top, rect.bottom
                if ytop < ybot:
                    ytop, ybot = ybot, ytop
                obj = get_obj(tv, i)
                facts = objects.get(obj) if obj else None
                if facts is None:
                    size = get_size(tv, i)
                    if size and get_matrix(tv, i, pmatrix):
                        # PDFium gives the size set by Tf, without the scale of the
                        # graphics state (Skia draws in px under a 0.75 matrix, a Form
                        # XObject may be scaled): the glyph's matrix carries it
                        scale = (matrix.c * matrix.c + matrix.d * matrix.d) ** 0.5
                        if scale > 0:
                            size *= scale
                    name, bold, hidden = font(obj)
                    # PDFium measures the angle clockwise in the unrotated page (radians; -1 =
                    # unknown); Char.angle is counter-clockwise on the page as displayed
                    angle = get_angle(tv, i)
                    angle = 0.0 if angle < 0 else (-math.degrees(angle) - rotation) % 360.0
                    upright = angle < 2.9 or angle > 357.1
                    if upright:
                        angle = 0.0
                    facts = (size, name, bold, hidden, angle, upright)
                    if obj:
                        objects[obj] = facts
                size, name, bold, hidden, angle, upright = facts
                if rotation == 0:
                    t0, b0 = top - ytop, top - ybot
                    c = Char(text, x0 - left, t0, x1 - left, b0, size or (b0 - t0), name, bold, upright,
                             angle=angle)
                else:
                    if rotation == 90:
                        box = (ybot - bottom, x0 - left, ytop - bottom, x1 - left)
                    elif rotation == 180:
                        box = (right - x1, ybot - bottom, right - x0, ytop - bottom)
                    else:
                        box = (top - ytop, right - x1, top - ybot, right - x0)
                    c = Char(text, box[0], box[1], box[2], box[3], size or (box[3] - box[1]), name, bold,
                             upright, angle=angle)
                c.hidden = hidden
                if gap and prev is not None:
                    blank = _blank_between(prev, c, width, height)
                    if blank:
                        blank.hidden = c.hidden
                        chars.append(blank)
                gap = False
                chars.append(c)
                prev = c
            tp.close()
            self._boxes = (pageno, self._page_images(page) if not rotation else [])
        except ExtractError:
            raise
        except Exception as e:
            raise ExtractError(f"cannot read page content: {e}", source=self.name, page=pageno) from None
        finally:
            page.close()
        return width, height, chars

    def image_coverage(self, pageno):
        """Share (0–1) of page *pageno* covered by its largest image."""
        cached = getattr(self, "_coverage", None)
        if cached and cached[0] == pageno:
            return cached[1]
        value = self._image_coverage(pageno)
        self._coverage = (pageno, value)
        return value

    def _image_coverage(self, pageno):
        page = self.pdf[pageno - 1]
        try:
            left, bottom, right, top = page.get_cropbox()
            area = max((right - left) * (top - bottom), 1.0)
            best = 0.0
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                x0, y0, x1, y1 = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()
                w = min(x1, right) - max(x0, left)
                h = min(y1, top) - max(y0, bottom)
                if w > 0 and h > 0:
                    best = max(best, w * h / area)
            return best
        finally:
            page.close()

    def image_boxes(self, pageno):
        """Boxes ``(x0, top, x1, bottom)`` (top-left origin in the crop box, points) of the
        images drawn on page *pageno* (the page just read); none on a rotated page."""
        cached = getattr(self, "_boxes", None)
        if cached and cached[0] == pageno:
            return cached[1]
        page = self.pdf[pageno - 1]
        try:
            return [] if page.get_rotation() % 360 else self._page_images(page)
        finally:
            page.close()

    @staticmethod
    def _page_images(page):
        left, bottom, right, top = page.get_cropbox()
        out = []
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            x0, y0, x1, y1 = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()
            out.append((x0 - left, top - y1, x1 - left, top - y0))
        return out

    def vector_segments(self, pageno):
        """Segments of the vector paths drawn on page *pageno*."""
        page = self.pdf[pageno - 1]
        try:
            return sum(raw.FPDFPath_CountSegments(obj.raw)
                       for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3))
        except Exception:
            return 0
        finally:
            page.close()

    def second_opinion(self):
        """The same document opened with pdfminer (once), or None when pdfminer cannot open it."""
        if not hasattr(self, "_second"):
            from clt.extract.pdf_miner import MinerDocument

            try:
                self._second = MinerDocument(self.data, self.name, self.password)
            except ExtractError:
                self._second = None
        return self._second

    def close(self):
        second = getattr(self, "_second", None)
        if second is not None:
            second.close()
        try:
            self.pdf.close()
        except Exception:
            pass
