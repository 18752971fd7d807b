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
import os

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
_CountObjects = _fast(raw.FPDFPage_CountObjects, _INT, _VP)
_GetObject = _fast(raw.FPDFPage_GetObject, _VP, _VP, _INT)
_FormCountObjects = _fast(raw.FPDFFormObj_CountObjects, _INT, _VP)
_FormGetObject = _fast(raw.FPDFFormObj_GetObject, _VP, _VP, ctypes.c_ulong)
_ObjType = _fast(raw.FPDFPageObj_GetType, _INT, _VP)
_GetBounds = _fast(raw.FPDFPageObj_GetBounds, _INT, _VP, _VP, _VP, _VP, _VP)
_FAST = None not in (_GetMatrix, _GetCharAngle, _GetFont, _GetRenderMode, _GetTextObject, _GetUnicode, _IsGenerated,
                     _HasMapError, _GetFontSize, _GetLooseCharBox, _CountObjects, _GetObject, _FormCountObjects,
                     _FormGetObject, _ObjType, _GetBounds)


def _object_bounds(page, kind, max_depth=3):
    """``(left, bottom, right, top)`` of every page object of type *kind* on *page* (a
    pypdfium2 ``PdfPage``), Form XObjects entered *max_depth* - 1 levels deep, in the
    order of ``page.get_objects(filter=[kind], max_depth=max_depth)`` — without a
    Python object per page object (direct writers put each glyph in an object of its own)."""
    if _accel is not None:
        status, data = _accel.object_bounds(_WALK_FUNCS, _address(page.raw), kind, raw.FPDF_PAGEOBJ_FORM,
                                            max_depth)
        if status:
            raise pdfium.PdfiumError(_WALK_ERRORS[status])
        q = memoryview(data).cast("f")
        return [(q[j], q[j + 1], q[j + 2], q[j + 3]) for j in range(0, len(q), 4)]
    if not _FAST:
        return [obj.get_bounds() for obj in page.get_objects(filter=[kind], max_depth=max_depth)]
    out = []
    quad = (ctypes.c_float * 4)()
    addrs = [ctypes.addressof(quad) + 4 * j for j in range(4)]
    form_type = raw.FPDF_PAGEOBJ_FORM

    def walk(parent, count, get, level):
        n = count(parent)
        if n < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        for i in range(n):
            obj = get(parent, i)
            if not obj:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            t = _ObjType(obj)
            if t == kind:
                if not _GetBounds(obj, *addrs):
                    raise pdfium.PdfiumError("Failed to locate pageobject.")
                out.append((quad[0], quad[1], quad[2], quad[3]))
            if t == form_type and level < max_depth - 1:
                walk(obj, _FormCountObjects, _FormGetObject, level + 1)

    walk(_address(page.raw), _CountObjects, _GetObject, 0)
    return out


def _address(fn):
    return ctypes.cast(fn, ctypes.c_void_p).value


#: the VERSION of clt/extract/_pdfium_glyphs.c this module works with
_ACCEL_VERSION = 3

try:  # the optional compiled accelerator (clt/extract/_pdfium_glyphs.c), built by pip where a compiler is
    if os.environ.get("CLT_PDFIUM_ACCEL", "1") == "0":
        raise ImportError("disabled by CLT_PDFIUM_ACCEL=0")
    from clt.extract import _pdfium_glyphs as _accel

    if getattr(_accel, "VERSION", None) != _ACCEL_VERSION:
        raise ImportError("built from an older source: pip install -e . again")

    _ACCEL_FUNCS = tuple(_address(f) for f in (
        raw.FPDFText_IsGenerated, raw.FPDFText_GetUnicode, raw.FPDFText_HasUnicodeMapError,
        raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetTextObject, raw.FPDFText_GetFontSize,
        raw.FPDFText_GetMatrix, raw.FPDFText_GetCharAngle, raw.FPDFTextObj_GetFont,
        raw.FPDFTextObj_GetTextRenderMode))
    _WALK_FUNCS = tuple(_address(f) for f in (
        raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, raw.FPDFFormObj_CountObjects,
        raw.FPDFFormObj_GetObject, raw.FPDFPageObj_GetType, raw.FPDFPageObj_GetBounds))
    if not all(_ACCEL_FUNCS + _WALK_FUNCS):
        raise ImportError("a PDFium function without an address")
    # the accelerator makes the Chars itself where Char's slots are plain members
    _ACCEL_CHARS = _accel.char_type(Char)
except Exception:  # not built (no compiler), disabled, or an unusual ctypes build: pure Python
    _accel = None
    _ACCEL_CHARS = False

_WALK_ERRORS = {1: "Failed to get number of pageobjects.", 2: "Failed to get pageobject.",
                3: "Failed to locate pageobject."}

#: the glyph reader in use: "c" (the compiled accelerator) or "python"
ACCELERATOR = "c" if _accel is not None else "python"


def _read_glyphs_c(t, n):
    got = _accel.read_page(_ACCEL_FUNCS, _address(t) or 0, n)
    text, x0, x1, top, bottom, obj, gap, size, mok, c, d, angle, font, mode = got
    dbl = lambda b: memoryview(b).cast("d")  # noqa: E731
    glyphs = _CGlyphs((text, dbl(x0), dbl(x1), dbl(top), dbl(bottom), memoryview(obj).cast("Q"), gap, dbl(size),
                       mok, dbl(c), dbl(d), dbl(angle), memoryview(font).cast("Q"), memoryview(mode).cast("i")))
    glyphs.raw = got
    return glyphs


class _CGlyphs(tuple):
    """The sequences :func:`_read_glyphs_c` returns, with ``raw``: the accelerator's own
    arrays, which its ``chars`` turns into Chars (see :meth:`PdfiumDocument._chars`)."""

    raw = None


def _read_glyphs_py(t, n):
    """What the accelerator's ``read_page`` returns, read with ctypes (the facts of a
    text object — size, matrix, angle, font, render mode — only at its first glyph,
    which is where :meth:`PdfiumDocument._chars` looks)."""
    text, X0, X1, TOP, BOTTOM, OBJ, GAP = [], [], [], [], [], [], []
    SIZE, MOK, MC, MD, ANGLE, FONT, MODE = {}, {}, {}, {}, {}, {}, {}
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    if _FAST:
        tv = _address(t)
        prect, pmatrix = ctypes.addressof(rect), ctypes.addressof(matrix)
        get_obj, get_uni, is_gen, map_err, get_size, get_box, get_matrix, get_angle, get_font, get_mode = (
            _GetTextObject, _GetUnicode, _IsGenerated, _HasMapError, _GetFontSize, _GetLooseCharBox,
            _GetMatrix, _GetCharAngle, _GetFont, _GetRenderMode)
    else:
        tv, prect, pmatrix = t, rect, matrix
        get_obj = lambda tp_, i: _address(raw.FPDFText_GetTextObject(tp_, i))  # noqa: E731
        get_uni, is_gen, map_err = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated, raw.FPDFText_HasUnicodeMapError
        get_size, get_box = raw.FPDFText_GetFontSize, raw.FPDFText_GetLooseCharBox
        get_matrix, get_angle = raw.FPDFText_GetMatrix, raw.FPDFText_GetCharAngle
        get_font = lambda o: _address(raw.FPDFTextObj_GetFont(ctypes.cast(o, raw.FPDF_PAGEOBJECT)))  # noqa: E731
        get_mode = lambda o: raw.FPDFTextObj_GetTextRenderMode(ctypes.cast(o, raw.FPDF_PAGEOBJECT))  # noqa: E731
    seen = set()
    gap = False  # PDFium generated a character since the last glyph kept
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
        if map_err(tv, i) == 1:
            code = 0xFFFD
        if not get_box(tv, i, prect):
            continue
        ytop, ybot = rect.top, rect.bottom
        if ytop < ybot:
            ytop, ybot = ybot, ytop
        k = len(text)
        text.append(chr(code))
        X0.append(rect.left)
        X1.append(rect.right)
        TOP.append(ytop)
        BOTTOM.append(ybot)
        obj = get_obj(tv, i)
        OBJ.append(obj)
        GAP.append(gap)
        gap = False
        if obj in seen:
            continue
        if obj:
            seen.add(obj)
            FONT[k], MODE[k] = get_font(obj), get_mode(obj)
        size = SIZE[k] = get_size(tv, i)
        MOK[k] = bool(size) and bool(get_matrix(tv, i, pmatrix))
        if MOK[k]:
            MC[k], MD[k] = matrix.c, matrix.d
        ANGLE[k] = get_angle(tv, i)
    return text, X0, X1, TOP, BOTTOM, OBJ, GAP, SIZE, MOK, MC, MD, ANGLE, FONT, MODE


#: ``read_glyphs(textpage, n)``: every glyph PDFium prints on a text page (generated
#: characters left out, noted as ``gap`` on the next glyph), as parallel sequences
read_glyphs = _read_glyphs_c if _accel is not None else _read_glyphs_py


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

    def _font(self, font, mode):
        """(name, bold, invisible) of a text object's *font* (address) and render *mode*
        (cached per font and render mode)."""
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
            box = page.get_cropbox()
            rotation = page.get_rotation() % 360
            tp = page.get_textpage()
            t = tp.raw
            self._fonts = {}
            n = raw.FPDFText_CountChars(t)
            if n > MAX_PAGE_GLYPHS:
                raise too_many_glyphs(self.name, pageno)
            glyphs = read_glyphs(t, n)
            tp.close()
            chars = self._chars(glyphs, box, rotation, width, height)
            self._boxes = (pageno, self._page_images(page) if not rotation else [])
        except ExtractError:
            raise
        except Exception as e:
            raise ExtractError(f"cannot read page content: {e}", source=self.name, page=pageno) from None
        finally:
            page.close()
        return width, height, chars

    def _chars(self, glyphs, box, rotation, width, height):
        """The page's :class:`Char` list from what :func:`read_glyphs` read."""
        left, bottom, right, top = box
        if _ACCEL_CHARS and type(glyphs) is _CGlyphs:
            # the accelerator does what the loop below does (tests/test_pdfium_accel.py)
            def between(a, b):
                blank = _blank_between(a, b, width, height)
                if blank:
                    blank.hidden = b.hidden
                    return blank
                return None

            return _accel.chars(glyphs.raw, left, bottom, right, top, rotation, self._font, between)
        text, X0, X1, TOP, BOTTOM, OBJ, GAP, SIZE, MOK, MC, MD, ANGLE, FONT, MODE = glyphs
        font = self._font
        chars = []
        # size, angle and font are those of the glyph's text object (PDFium
        # copies them from it to each of its characters): worked out once per object
        objects = {}
        prev = None  # the last character
        for k, (ch, x0, x1, ytop, ybot, obj, gap) in enumerate(zip(text, X0, X1, TOP, BOTTOM, OBJ, GAP)):
            facts = objects.get(obj) if obj else None
            if facts is None:
                size = SIZE[k]
                if size and MOK[k]:
                    # PDFium gives the size set by Tf, without the scale of the
                    # graphics state (Skia draws in px under a 0.75 matrix, a Form
                    # XObject may be scaled): the glyph's matrix carries it
                    c, d = MC[k], MD[k]
                    scale = (c * c + d * d) ** 0.5
                    if scale > 0:
                        size *= scale
                name, bold, hidden = font(FONT[k], MODE[k]) if obj else ("", False, False)
                # PDFium measures the angle clockwise in the unrotated page (radians; -1 =
                # unknown); Char.angle is counter-clockwise on the page as displayed
                angle = ANGLE[k]
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
                c = Char(ch, x0 - left, t0, x1 - left, b0, size or (b0 - t0), name, bold, upright,
                         angle=angle)
            else:
                if rotation == 90:
                    b = (ybot - bottom, x0 - left, ytop - bottom, x1 - left)
                elif rotation == 180:
                    b = (right - x1, ybot - bottom, right - x0, ytop - bottom)
                else:
                    b = (top - ytop, right - x1, top - ybot, right - x0)
                c = Char(ch, b[0], b[1], b[2], b[3], size or (b[3] - b[1]), name, bold,
                         upright, angle=angle)
            c.hidden = hidden
            if gap and prev is not None:
                blank = _blank_between(prev, c, width, height)
                if blank:
                    blank.hidden = c.hidden
                    chars.append(blank)
            chars.append(c)
            prev = c
        return chars

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
            for x0, y0, x1, y1 in _object_bounds(page, raw.FPDF_PAGEOBJ_IMAGE):
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
        for x0, y0, x1, y1 in _object_bounds(page, raw.FPDF_PAGEOBJ_IMAGE):
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
