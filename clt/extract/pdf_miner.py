"""PDF pages -> :class:`~clt.extract.layout.Char` lists with pdfminer.six.

pdfminer's own layout analysis is not used: its word and line grouping is
tuned for Latin text.  A device collects every glyph with its box, font size,
font name and boldness, and :mod:`clt.extract.layout` builds the lines.
"""

import io
import itertools
import logging
import math
import os
import zlib

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTCurve, LTFigure, LTImage
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFNoPageLabels, PDFPasswordIncorrect
from pdfminer.pdffont import PDFCIDFont, PDFUnicodeNotDefined
from pdfminer import ascii85 as _pdfminer_ascii85
from pdfminer import pdftypes as _pdfminer_pdftypes
from pdfminer import settings as _pdfminer_settings
from pdfminer.pdfinterp import PDFContentParser, PDFInterpreterError, PDFPageInterpreter, PDFResourceManager
from pdfminer.psparser import KWD, LIT, PSEOF, PSKeyword, PSSyntaxError, keyword_name, literal_name
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.ascii85 import asciihexdecode
from pdfminer.lzw import lzwdecode
from pdfminer.pdftypes import (LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE,
                               LITERALS_LZW_DECODE, PDFStream, resolve1, stream_value)
from pdfminer.pdftypes import PDFObjRef as _PDFObjRef
from pdfminer.utils import apply_matrix_rect, decode_text, mult_matrix

from clt.errors import ExtractError
from clt.extract.bounded import MAX_PAGE_GLYPHS, too_many_glyphs
from clt.extract.layout import Char, bold_font_name, clean_font_name

# pdfminer logs every recoverable oddity of a PDF at WARNING level
for _name in ("pdfminer",):
    logging.getLogger(_name).setLevel(logging.ERROR)


#: the pdfminer.six releases whose LTChar geometry _Device.render_char repeats (another: the LTChar itself)
_PDFMINER_LAYOUT = ("20260107",)


def _direct_chars():
    import pdfminer

    return getattr(pdfminer, "__version__", None) in _PDFMINER_LAYOUT


_DIRECT_CHARS = _direct_chars()
_pdfdevice_log = logging.getLogger("pdfminer.pdfdevice")


class _TooManyGlyphs(BaseException):
    """Raised out of pdfminer's interpreter (a BaseException: it catches Exceptions)."""


class _Device(PDFPageAggregator):
    """Collects glyphs as Chars (top-left origin) instead of building a layout."""

    def __init__(self, rsrcmgr):
        super().__init__(rsrcmgr, laparams=None)
        self.chars = []
        self.height = 0.0
        self._render = 0
        self._fonts = {}

    def begin_page(self, page, ctm):
        super().begin_page(page, ctm)
        self.chars = []
        self.height = self.cur_item.height

    def render_string(self, textstate, seq, ncs, graphicstate):
        self._render = getattr(textstate, "render", 0) or 0
        font = textstate.font
        if not _DIRECT_CHARS or font is None or self.ctm is None or font.is_vertical():
            super().render_string(textstate, seq, ncs, graphicstate)
            return
        # PDFTextDevice.render_string of the release in _PDFMINER_LAYOUT, for a horizontal font
        matrix = mult_matrix(textstate.matrix, self.ctm)
        fontsize = textstate.fontsize
        scaling = textstate.scaling * 0.01
        charspace = textstate.charspace * scaling
        wordspace = textstate.wordspace * scaling
        rise = textstate.rise
        if font.is_multibyte():
            wordspace = 0
        dxscale = 0.001 * fontsize * scaling
        textstate.linematrix = self._horizontal(seq, matrix, textstate.linematrix, font, fontsize, scaling,
                                                charspace, wordspace, rise, dxscale)

    def _horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace, wordspace, rise, dxscale):
        """PDFTextDevice.render_string_horizontal with render_char below (its direct branch),
        translate_matrix and apply_matrix_rect written out: the same arithmetic in the same
        order, without four calls a glyph.  tests/test_pdfminer_chars.py holds the two alike."""
        (x, y) = pos
        needcharspace = False
        (a, b, c, d, e, f) = matrix
        name, bold, _ = self._font_facts(font)
        bold = bold or self._render == 2
        hidden = self._render in (3, 7)
        h = self.height
        upright = a > 0 and d > 0 and abs(b) <= 0.05 * a
        angle = 0.0 if upright else math.degrees(math.atan2(b, a)) % 360.0
        chars = self.chars
        to_unichr, char_width, get_descent = font.to_unichr, font.char_width, font.get_descent
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    # translate_matrix(matrix, (x, y))
                    te = x * a + y * c + e
                    tf = x * b + y * d + f
                    try:
                        text = to_unichr(cid)
                        assert isinstance(text, str), str(type(text))
                    except PDFUnicodeNotDefined:
                        text = self.handle_undefined_char(font, cid)
                    adv = char_width(cid) * fontsize * scaling
                    descent = get_descent() * fontsize
                    bx0, by0, bx1, by1 = 0, descent + rise, adv, descent + rise + fontsize
                    # apply_matrix_rect: its four corners through apply_matrix_pt
                    left1, bottom1 = a * bx0 + c * by0 + te, b * bx0 + d * by0 + tf
                    right1, bottom2 = a * bx1 + c * by0 + te, b * bx1 + d * by0 + tf
                    right2, top1 = a * bx1 + c * by1 + te, b * bx1 + d * by1 + tf
                    left2, top2 = a * bx0 + c * by1 + te, b * bx0 + d * by1 + tf
                    x0 = min(left1, left2, right1, right2)
                    y0 = min(bottom1, bottom2, top1, top2)
                    x1 = max(left1, left2, right1, right2)
                    y1 = max(bottom1, bottom2, top1, top2)
                    if x1 < x0:
                        (x0, x1) = (x1, x0)
                    if y1 < y0:
                        (y0, y1) = (y1, y0)
                    ch = Char(text, x0, h - y1, x1, h - y0, y1 - y0, name, bold, upright, angle=angle)
                    ch.hidden = hidden
                    chars.append(ch)
                    if len(chars) > MAX_PAGE_GLYPHS:
                        raise _TooManyGlyphs()
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                _pdfdevice_log.warning("Cannot render horizontal string because %r is not a valid int, float "
                                       "or bytes.", obj)
        return (x, y)

    def _font_facts(self, font):
        facts = self._fonts.get(id(font))
        if facts is None:
            # the BaseFont entry, as PDFium reports it (FontName in the descriptor may differ)
            name = clean_font_name(getattr(font, "basefont", None) or getattr(font, "fontname", ""))
            bold = bold_font_name(name)
            desc = getattr(font, "descriptor", None) or {}
            try:
                weight = resolve1(desc.get("FontWeight", 0)) or 0
                flags = resolve1(desc.get("Flags", 0)) or 0
                if float(weight) >= 600 or int(flags) & (1 << 18):
                    bold = True
            except (TypeError, ValueError):
                pass
            facts = (name, bold, font)  # keep font alive so id() stays unique
            self._fonts[id(font)] = facts
        return facts

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        if _DIRECT_CHARS:
            # what PDFLayoutAnalyzer.render_char and LTChar.__init__ of the pdfminer.six
            # release in _PDFMINER_LAYOUT compute, step for step, without the LTChar
            # (a third of the time of a page): the same text, advance, box and size
            try:
                text = font.to_unichr(cid)
                assert isinstance(text, str), str(type(text))
            except PDFUnicodeNotDefined:
                text = self.handle_undefined_char(font, cid)
            textwidth = font.char_width(cid)
            textdisp = font.char_disp(cid)
            adv = textwidth * fontsize * scaling
            vertical = font.is_vertical()
            if vertical:
                assert isinstance(textdisp, tuple)
                (vx, vy) = textdisp
                vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
                vy = (1000 - vy) * fontsize * 0.001
                bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
            else:
                descent = font.get_descent() * fontsize
                bbox = (0, descent + rise, adv, descent + rise + fontsize)
            (x0, y0, x1, y1) = apply_matrix_rect(matrix, bbox)
            if x1 < x0:
                (x0, x1) = (x1, x0)
            if y1 < y0:
                (y0, y1) = (y1, y0)
            size = x1 - x0 if vertical else y1 - y0
        else:
            adv = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
            item = self.cur_item._objs.pop()
            text, x0, y0, x1, y1, size = item.get_text(), item.x0, item.y0, item.x1, item.y1, item.size
            matrix = item.matrix
        name, bold, _ = self._font_facts(font)
        h = self.height
        a, b, c, d = matrix[:4]
        # upright in the page as displayed: no rotation (a shear for italics is fine)
        upright = a > 0 and d > 0 and abs(b) <= 0.05 * a
        angle = 0.0 if upright else math.degrees(math.atan2(b, a)) % 360.0
        c = Char(text, x0, h - y1, x1, h - y0, size, name, bold or self._render == 2, upright, angle=angle)
        c.hidden = self._render in (3, 7)
        self.chars.append(c)
        if len(self.chars) > MAX_PAGE_GLYPHS:
            raise _TooManyGlyphs()
        return adv


#: the BaseFont names (in GBK) of the Chinese system fonts old Chinese PDF writers named
#: without embedding them or mapping them to Unicode: 宋体 楷体 黑体 仿宋 新宋
_GBK_FONT_NAMES = tuple(n.encode("gbk") for n in ("宋体", "楷体", "黑体", "仿宋", "新宋"))


def _gbk_simple_font(spec):
    """The spec of a CID font reading *spec*'s strings as GBK, or None.

    Old Chinese PDF writers wrote text in a simple TrueType font named after a
    system font (``/BaseFont /#CB#CE#CC#E5``, 宋体 in GBK), not embedded, its
    strings GBK bytes; pdfminer reads them one byte a glyph (``Ê¾Àý``).
    PDFium and Acrobat read such a font as GBK-EUC-H over Adobe-GB1: so does clt.
    """
    try:
        if literal_name(spec.get("Subtype")) != "TrueType" or "ToUnicode" in spec:
            return None
        base = spec.get("BaseFont")
        name = base.name if hasattr(base, "name") else base
        if isinstance(name, str):
            name = name.encode("latin-1", "replace")
        if not isinstance(name, bytes) or not name.startswith(_GBK_FONT_NAMES):
            return None
        desc = resolve1(spec.get("FontDescriptor")) or {}
        if isinstance(desc, dict) and "FontFile2" in desc:
            return None
    except Exception:
        return None
    out = {"BaseFont": LIT(name.decode("gbk", "replace")), "Encoding": LIT("GBK-EUC-H"),
           "CIDSystemInfo": {"Registry": b"Adobe", "Ordering": b"GB1", "Supplement": 2},
           "DW": 1000, "W": [1, 95, 500]}   # GBK's single bytes (ASCII) are half-width
    if isinstance(desc, dict) and desc:
        out["FontDescriptor"] = desc
    return out


class _ResourceManager(PDFResourceManager):
    """pdfminer's resource manager, reading old Chinese writers' GBK TrueType fonts as CID fonts."""

    def get_font(self, objid, spec):
        if objid and objid in self._cached_fonts:
            return self._cached_fonts[objid]
        cid_spec = _gbk_simple_font(spec)
        if cid_spec is None:
            return super().get_font(objid, spec)
        font = PDFCIDFont(self, cid_spec)
        if objid and self.caching:
            self._cached_fonts[objid] = font
        return font


def _display_crop_box(page):
    """Make pdfminer lay the page out in its crop box (the page as viewers show and print it).

    pdfminer measures from the media box; producers that crop (printer's marks,
    an A4 page cut from a larger sheet) would shift every coordinate and widen
    the page.  The crop box is clipped to the media box, as the PDF spec says.
    """
    try:
        mx0, my0, mx1, my1 = (float(v) for v in page.mediabox)
        cx0, cy0, cx1, cy1 = (float(v) for v in page.cropbox)
    except (TypeError, ValueError):
        return
    mx0, mx1 = min(mx0, mx1), max(mx0, mx1)
    my0, my1 = min(my0, my1), max(my0, my1)
    box = (max(mx0, min(cx0, cx1)), max(my0, min(cy0, cy1)), min(mx1, max(cx0, cx1)), min(my1, max(cy0, cy1)))
    if box[2] - box[0] > 1 and box[3] - box[1] > 1:
        page.mediabox = box


def _curve_points(item):
    n = 0
    for obj in getattr(item, "_objs", ()):
        if isinstance(obj, LTCurve):
            n += len(getattr(obj, "pts", ()) or ())
        elif isinstance(obj, LTFigure):
            n += _curve_points(obj)
    return n


def _image_boxes(item):
    for obj in getattr(item, "_objs", ()):
        if isinstance(obj, LTImage):
            yield obj.bbox
        elif isinstance(obj, LTFigure):
            yield from _image_boxes(obj)


# --------------------------------------------------------------------------- cycle-safe pdfminer
# pdfminer follows references without remembering where it has been: an
# object that is a reference to itself ("10 0 obj 10 0 R") makes resolve1
# loop for ever, and a trailer whose /Prev points back at its own xref is
# read again and again.  Both are bounded here, for every pdfminer module
# that took its own copy of resolve1.

#: references followed in a row before an object counts as missing (a cycle)
MAX_REFERENCE_CHAIN = 32


#: objects pdfminer's cache may keep across pages (a stream is dropped after its page)
MAX_KEPT_OBJECTS = 20000


def _drop_streams(cache, kept):
    """Drop the streams among the objects pdfminer's document cache gained since its first
    *kept* entries (all no stream: only streams are ever dropped, and a dict keeps its
    order), and everything once more than :data:`MAX_KEPT_OBJECTS` are held; the number of
    entries known to be no stream now."""
    if len(cache) > MAX_KEPT_OBJECTS:
        cache.clear()  # a file of very many objects: memory first
        return 0
    new = list(itertools.islice(cache.items(), kept, None))
    for objid, entry in new:
        if type(entry) is not tuple or isinstance(entry[0], PDFStream):
            del cache[objid]
    return len(cache)


def _resolve1(x, default=None):
    PDFObjRef = _PDFObjRef

    for _ in range(MAX_REFERENCE_CHAIN):
        if not isinstance(x, PDFObjRef):
            return x
        x = x.resolve(default=default)
    return default if isinstance(x, PDFObjRef) else x


def _make_cycle_safe():
    import importlib

    for mod in ("pdftypes", "pdfinterp", "pdffont", "pdfpage", "pdfdocument", "pdfparser", "psparser",
                "cmapdb", "layout", "converter", "pdfcolor"):
        try:
            m = importlib.import_module(f"pdfminer.{mod}")
        except ImportError:  # pragma: no cover - another pdfminer.six layout
            continue
        if getattr(m, "resolve1", None) is not None:
            m.resolve1 = _resolve1
    read_xref_from = PDFDocument.read_xref_from
    if getattr(read_xref_from, "_clt_once", False):
        return

    def read_xref_once(self, parser, start, xrefs):
        seen = self.__dict__.setdefault("_clt_xrefs_read", set())
        if start in seen:  # /Prev or /XRefStm back to an xref already read
            return None
        seen.add(start)
        return read_xref_from(self, parser, start, xrefs)

    read_xref_once._clt_once = True
    PDFDocument.read_xref_from = read_xref_once


_make_cycle_safe()


# --------------------------------------------------------------------------- content streams in C
# pdfminer spends most of a page in its content-stream parser (a Python state
# machine, a dozen tokens a glyph).  clt/extract/_pscontent.c is that parser
# ported to C, object for object; _AccelInterpreter runs the operators it reads
# exactly as PDFPageInterpreter.execute does.  Without the compiled module, or
# with CLT_PDFMINER_ACCEL=0, pdfminer runs unchanged.

#: the VERSION of clt/extract/_pscontent.c this module works with
_PSCONTENT_VERSION = 3

#: the pdfminer.six whose parser _pscontent.c ports (another release may read differently: stock)
_PDFMINER_PORTED = ("20260107",)

try:  # the optional compiled parser, built by pip where a compiler is
    import pdfminer as _pdfminer

    if getattr(_pdfminer, "__version__", None) not in _PDFMINER_PORTED:
        raise ImportError("pdfminer.six %s: the C parser ports 20260107" % getattr(_pdfminer, "__version__", "?"))
    from clt.extract import _pscontent

    if getattr(_pscontent, "VERSION", None) != _PSCONTENT_VERSION:
        raise ImportError("built from an older source: pip install -e . again")
    _pscontent.setup(LIT, KWD, literal_name)
except Exception:  # not built (no compiler) or stale: stock pdfminer
    _pscontent = None

_stock_ascii85decode = _pdfminer_ascii85.ascii85decode


def _ascii85decode(data):
    """pdfminer's ascii85decode, its base64.a85decode (a Python loop) done in C: the same
    bytes, the same ValueErrors.  Stock with CLT_PDFMINER_ACCEL=0 or without the module."""
    if not accel_enabled():
        return _stock_ascii85decode(data)
    data = _pdfminer_ascii85.start_re.sub(b"", data)
    data = _pdfminer_ascii85.end_re.sub(b"", data)
    return _pscontent.a85decode(data)


if _pscontent is not None and getattr(_pdfminer_pdftypes, "ascii85decode", None) is _stock_ascii85decode:
    _pdfminer_pdftypes.ascii85decode = _ascii85decode

_KEYWORD_BI = KWD(b"BI")
_pdfinterp_log = logging.getLogger("pdfminer.pdfinterp")
_psparser_log = logging.getLogger("pdfminer.psparser")


def accel_enabled():
    """Whether pages are read with the C content-stream parser."""
    return _pscontent is not None and os.environ.get("CLT_PDFMINER_ACCEL", "1").strip() != "0"


class _AccelInterpreter(PDFPageInterpreter):
    """PDFPageInterpreter reading content streams with clt.extract._pscontent."""

    def execute(self, streams):
        if (_pdfminer_settings.STRICT or _pdfinterp_log.isEnabledFor(logging.DEBUG)
                or _psparser_log.isEnabledFor(logging.DEBUG)):
            return super().execute(streams)  # pdfminer's strict errors and debug log: its own parser
        # pdfminer's protection against circular references, as in PDFPageInterpreter.execute
        valid_streams = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None:
                _pdfinterp_log.warning("Execute called on non-indirect object (inline image?) %r", stream)
                continue
            if stream.objid in self.parent_stream_ids:
                _pdfinterp_log.warning("Refusing to execute circular reference to content stream %d",
                                       stream.objid)
            else:
                valid_streams.append(stream)
                self.stream_ids.add(stream.objid)
        if not valid_streams:
            return  # PDFContentParser raises PSEOF: an empty page
        ops = {}
        # PDFPageInterpreter.pop slices argstack, .push is argstack.append: the C loop does both itself
        pop = None if type(self).pop is PDFPageInterpreter.pop else self.pop
        push = None if type(self).push is PDFPageInterpreter.push else self.push

        def resolve(obj):
            return self._operator(ops, obj)

        for objs in read_content_objects(valid_streams):
            if objs.__class__ is list:
                _pscontent.dispatch(objs, ops, resolve, pop, push, self, PSKeyword)
            else:
                self._run_objects(objs, ops)

    def do_TJ(self, seq):
        """PDFPageInterpreter.do_TJ without the copy of the graphic state it makes for every string:
        clt's device keeps none of it (a glyph's LTChar, where one is made, is dropped at once)."""
        if self.textstate.font is None:
            if _pdfminer_settings.STRICT:
                raise PDFInterpreterError("No font specified!")
            return
        self.device.render_string(self.textstate, seq, self.graphicstate.ncs, self.graphicstate)

    def _operator(self, ops, obj):
        """(the do_* method, its number of operands) of the keyword *obj*, or (None, 0): looked up
        as PDFPageInterpreter.execute does, once an execute."""
        name = keyword_name(obj)
        method = "do_{}".format(name.replace("*", "_a").replace('"', "_w").replace("'", "_q"))
        if hasattr(self, method):
            func = getattr(self, method)
            op = (func, func.__code__.co_argcount - 1)
        else:
            op = (None, 0)
        ops[obj] = op
        return op

    def _run_objects(self, objs, ops):
        """The body of PDFPageInterpreter.execute's loop, for each object read (what
        _pscontent.dispatch does)."""
        push = self.push
        pop = self.pop
        for obj in objs:
            if obj.__class__ is PSKeyword:  # what KWD makes (isinstance in pdfminer)
                op = ops.get(obj)
                if op is None:
                    op = self._operator(ops, obj)
                func, nargs = op
                if func is None:
                    continue
                if nargs:
                    args = pop(nargs)
                    if len(args) == nargs:
                        func(*args)
                else:
                    func()
            else:
                push(obj)


def read_content_objects(streams):
    """The objects pdfminer's PDFContentParser(*streams*).nextobject() yields, in batches
    (lists), read with clt.extract._pscontent; raises what pdfminer's parser raises, where
    it raises it.  A stream's data is asked for when the one before it is read, as pdfminer does."""
    parser = _pscontent.Parser()
    for k, strm in enumerate(streams):
        data = stream_value(strm).get_data()  # PDFContentParser.fillfp
        if not data:
            continue
        parser.feed(data)
        while True:
            objs, status = parser.run()
            if objs:
                yield objs
            if status == _pscontent.MORE:
                break
            if status == _pscontent.BATCH:
                continue
            if status == _pscontent.INLINE_IMAGE:
                yield from _stock_objects(parser, streams, k, data)
                return
            _raise(parser, status)
    objs, status = parser.finish()
    if objs:
        yield objs
    if status != _pscontent.MORE:
        _raise(parser, status)


def _raise(parser, status):
    """What pdfminer's parser raises where the C one stopped."""
    if status == _pscontent.BAD_OCTAL:
        digits = parser.err
        code = int(digits, 8)
        if __debug__:
            raise AssertionError(f"Invalid octal {digits!r} ({code})")
        raise ValueError("bytes must be in range(0, 256)")
    if status == _pscontent.ODD_DICT:
        raise PSSyntaxError(f"Invalid dictionary construct: {parser.err!r}")
    raise RuntimeError(f"clt.extract._pscontent: unexpected status {status}")  # pragma: no cover


def _stock_objects(parser, streams, k, data):
    """An inline image (BI): pdfminer's own parser reads on from where the C one stopped, in
    the state the C one is in (the token BI just read, ended at offset *at* of stream *k*)."""
    at, contexts, curtype, curstack = parser.state()
    p = PDFContentParser.__new__(PDFContentParser)
    p.streams = streams
    p.istream = k + 1
    p.fp = io.BytesIO(data)
    start = at // p.BUFSIZ * p.BUFSIZ
    p.fp.seek(start)
    p.bufpos = start
    p.buf = p.fp.read(p.BUFSIZ)
    p.charpos = at - start
    p._parse1 = p._parse_main
    p._curtoken = b"BI"
    p._curtokenpos = 0
    p._tokens = [(0, _KEYWORD_BI)]
    p.eof = False
    p.context = [(0, t, [(0, o) for o in objs]) for t, objs in contexts]
    p.curtype = curtype
    p.curstack = [(0, o) for o in curstack]
    p.results = []
    while True:
        try:
            (_, obj) = p.nextobject()
        except PSEOF:
            return
        yield (obj,)


class MinerDocument:
    """An open PDF read with pdfminer: page count, labels, producer, pages as Chars."""

    engine = "pdfminer"
    #: a forked worker may go on with this document (see :meth:`own_file`)
    inheritable = True

    def __init__(self, data, name, password=None):
        self.name = name
        self._cache_kept = 0  # objects at the head of pdfminer's cache known to be no stream
        self.data = data
        self.password = password
        self._fp = io.BytesIO(data) if isinstance(data, bytes) else open(data, "rb")
        try:
            parser = PDFParser(self._fp)
            self.doc = PDFDocument(parser, password=password or "")
        except PDFPasswordIncorrect:
            self.close()
            raise ExtractError("encrypted PDF: " + ("wrong password" if password else "a password is needed"),
                               source=name, hint=None if password else "use --password") from None
        except PDFEncryptionError as e:
            self.close()
            raise ExtractError(f"encrypted PDF that cannot be opened: {e}", source=name) from None
        except Exception as e:
            self.close()
            raise ExtractError(f"not a readable PDF (corrupt or truncated): {_why(e)}", source=name) from None
        try:
            try:
                self.pages = list(PDFPage.create_pages(self.doc))
            except Exception:
                # a malformed /PageLabels tree must not cost the whole document
                def no_labels():
                    raise PDFNoPageLabels()

                self.doc.get_page_labels = no_labels
                self.pages = list(PDFPage.create_pages(self.doc))
        except Exception as e:
            self.close()
            raise ExtractError(f"not a readable PDF (corrupt or truncated): {_why(e)}", source=name) from None
        if not self.pages:
            self.close()
            raise ExtractError("PDF without pages (corrupt or truncated?)", source=name)
        self.npages = len(self.pages)
        self.labels = [getattr(p, "label", None) for p in self.pages]
        self.producer = None
        try:
            for info in self.doc.info:
                p = resolve1(info.get("Producer"))
                if isinstance(p, bytes):
                    self.producer = decode_text(p).strip("\x00 ") or None
                elif isinstance(p, str):
                    self.producer = p
        except Exception:  # a broken Info dictionary is not worth failing for
            pass
        self._rsrc = _ResourceManager(caching=True)
        self._device = _Device(self._rsrc)
        self._interp = (_AccelInterpreter if accel_enabled() else PDFPageInterpreter)(self._rsrc, self._device)

    def label(self, pageno):
        return self.labels[pageno - 1]

    def page(self, pageno):
        """``(width, height, chars)`` of 1-based page *pageno*."""
        page = self.pages[pageno - 1]
        if page is None:
            raise ExtractError("page read twice (internal error)", source=self.name, page=pageno)
        self.damaged = self._damaged_streams(page)
        try:
            _display_crop_box(page)
            self._interp.process_page(page)
        except _TooManyGlyphs:
            self._device.chars = []
            self.pages[pageno - 1] = None
            raise too_many_glyphs(self.name, pageno) from None
        except Exception as e:
            raise ExtractError(f"cannot read page content: {_why(e)}", source=self.name, page=pageno) from None
        # pdfminer caches every object it parsed: drop the streams (a page's content,
        # decoded, is the bulk of it) so memory stays flat with the page count, and keep
        # the rest -- the font and resource dictionaries every page refers to again, which
        # pdfminer would otherwise parse anew for each page (fonts stay cached in the
        # resource manager)
        cache = getattr(self.doc, "_cached_objs", None)
        if isinstance(cache, dict):
            self._cache_kept = _drop_streams(cache, self._cache_kept)
        self.pages[pageno - 1] = None  # its decoded content streams go with it
        ltpage = self._device.get_result()
        chars = self._device.chars
        self._device.chars = []
        self._last = (pageno, ltpage)
        return ltpage.width, ltpage.height, chars

    def _damaged_streams(self, page):
        """How many of *page*'s content streams fail to inflate.

        pdfminer silently reads a damaged Flate stream as empty (or cut short):
        the page's text would vanish without a word.  Checking the streams
        first lets the caller say so.
        """
        damaged = 0
        try:
            contents = page.contents or []
            for ref in contents:
                stream = resolve1(ref)
                if not isinstance(stream, PDFStream) or stream.rawdata is None:
                    continue
                filters = [f for f, _ in stream.get_filters()]
                if not any(f in LITERALS_FLATE_DECODE for f in filters):
                    continue
                data = stream.rawdata
                if stream.decipher:
                    data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
                for f in filters:
                    if f in LITERALS_FLATE_DECODE:
                        try:
                            data = zlib.decompress(data)
                        except zlib.error:
                            damaged += 1
                            break
                    elif f in LITERALS_ASCII85_DECODE:
                        data = _ascii85decode(data)
                    elif f in LITERALS_ASCIIHEX_DECODE:
                        data = asciihexdecode(data)
                    elif f in LITERALS_LZW_DECODE:
                        data = lzwdecode(data)
                    else:
                        break
        except Exception:  # the check must never be what breaks a page
            return damaged
        return damaged

    def image_coverage(self, pageno):
        """Share (0–1) of page *pageno* (the page just read) covered by its largest image."""
        last = getattr(self, "_last", None)
        if not last or last[0] != pageno:
            return 0.0
        page = last[1]
        area = max(page.width * page.height, 1.0)
        best = 0.0
        for x0, y0, x1, y1 in _image_boxes(page):
            w = min(x1, page.width) - max(x0, 0)
            h = min(y1, page.height) - max(y0, 0)
            if w > 0 and h > 0:
                best = max(best, w * h / area)
        return best

    def image_boxes(self, pageno):
        """Boxes ``(x0, top, x1, bottom)`` (top-left origin, points) of the images drawn on
        page *pageno* (the page just read)."""
        last = getattr(self, "_last", None)
        if not last or last[0] != pageno:
            return []
        page = last[1]
        h = page.height
        return [(x0, h - y1, x1, h - y0) for x0, y0, x1, y1 in _image_boxes(page)]

    def vector_segments(self, pageno):
        """Points of the vector paths drawn on page *pageno* (the page just read)."""
        last = getattr(self, "_last", None)
        if not last or last[0] != pageno:
            return 0
        return _curve_points(last[1])

    def own_file(self):
        """In a forked worker that inherited this document: read the file through a
        file object of its own (a file descriptor inherited from the parent shares
        its offset with every other worker).  Nothing to do for a PDF held in memory."""
        if isinstance(self.data, bytes):
            return
        fp = open(self.data, "rb")
        self._fp = fp
        parser = getattr(self.doc, "_parser", None)
        if parser is not None:
            parser.fp = fp
            parser.seek(0)

    def close(self):
        try:
            self._fp.close()
        except Exception:
            pass


def _why(e):
    msg = str(e).strip() or type(e).__name__
    return msg.splitlines()[0][:120]
