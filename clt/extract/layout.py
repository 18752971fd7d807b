"""Printed characters -> printed lines, the same way for every PDF engine.

Each engine (pdfminer, PDFium, OCR) turns a page into :class:`Char` objects —
one per glyph, with its box in points, origin at the page's top-left — and
:func:`build_lines` groups them into the ``line`` records of
``clt-records(5)``.  Rules, all grounded in how Chinese text is typeset:

* Characters belong to one line when their boxes overlap vertically by at
  least half the smaller height (mixed sizes, raised punctuation and Latin
  digits set in another font stay on their line).
* A line is cut where the horizontal gap between two neighbours exceeds
  :data:`SPLIT_GAP` em: that is a column gutter or a separate block at the
  same height (a page number beside a running header, table cells), never a
  gap inside typeset prose — nor the equal gaps of a title spread across the
  line (distributed alignment).
* Spaces: every space the PDF really draws (U+0020, U+3000, U+00A0) is kept.
  No space is invented between two glyphs when one of them is CJK — justified
  Chinese text and the automatic CJK/Latin spacing of word processors only
  widen the gaps.  Between two non-CJK glyphs (Latin words, digits) a gap of
  :data:`WORD_GAP` em or more means a word space (PDFs often draw none) —
  unless the line is set on the CJK grid and the two glyphs sit one cell
  apart (bulletins typeset ``1 9 9 0年`` with each digit in a full-width
  cell: that is spacing, not a word break).  A
  gap of :data:`CJK_GAP` em or more next to a CJK glyph is a visible blank
  and becomes one space.
* Invisible text (an OCR program's layer over a scanned image) keeps its
  drawing order within a row and gets no spaces next to CJK glyphs: the
  program stretches each word it read over the word's box, so positions and
  gaps are approximate, and its blanks only separate its words.
* A glyph drawn twice at (almost) the same place — how word processors fake
  bold for CJK fonts without a bold face — is kept once and marked bold.
* Rotated glyphs (a diagonal watermark, a stamp, a note up the margin) are
  kept out of the upright lines and come last, one line per run, marked
  ``rotated: true``.  A page whose text runs mostly sideways or upside down
  (a landscape sheet, a /Rotate showing upright content on its side) is
  first turned so that it reads upright (:func:`text_direction`, :func:`turn`).
* Reading order: lines top to bottom; pieces of one line left to right.  When
  a page has two columns separated by a gutter that runs down most of the
  page, the left column is read before the right one, and its lines carry
  ``column`` (1 or 2) and ``column_box`` ([x0, x1] of their column).  Columns
  set closer than the split gap are found by the empty band between them.

The module keeps one page in memory at a time.
"""

import functools
import os
import re

from clt import recache
from collections import Counter
from operator import attrgetter

#: gaps (in em of the larger neighbour) — see the module docstring
SPLIT_GAP = 3.0
WORD_GAP = 0.15
CJK_GAP = 1.0
#: glyphs with the same text closer than this (em) in x and y are one glyph drawn twice
DUPLICATE_EM = 0.25

BOLD_NAME_RE = recache.compile(r"bold|black|heavy|demi|semibold|extrabold|ultrabold|[-,_ ]bd\b|\bw[6-9]\b",
                          re.IGNORECASE)
SUBSET_RE = recache.compile(r"^[A-Z]{6}\+")
BLANKS = " \u3000\u00a0\t\u2002\u2003\u2009"


class Char:
    """One printed glyph: text, box (points, top-left origin), font facts."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "size", "font", "bold", "upright", "soft", "conf", "angle", "hidden", "order")

    def __init__(self, text, x0, top, x1, bottom, size, font="", bold=False, upright=True, soft=False, angle=0.0):
        self.text = text
        self.x0 = x0
        self.top = top
        self.x1 = x1
        self.bottom = bottom
        self.size = size
        self.font = font
        self.bold = bold
        self.upright = upright
        # a blank an engine reports without knowing it was printed (PDFium): kept
        # unless the glyphs around it are simply one grid cell apart
        self.soft = soft
        self.conf = None  # OCR confidence (0–100) of the word this glyph run came from
        # the direction the glyph's baseline runs in on the page as displayed, in
        # degrees counter-clockwise (0 = upright, 90 = text running up the page)
        self.angle = angle
        # drawn invisible (text render mode 3): the text layer an OCR program laid over a scan
        self.hidden = False
        self.order = 0  # drawing order within the page

    def __repr__(self):  # pragma: no cover - debugging aid
        return f"Char({self.text!r}, {self.x0:.1f}, {self.top:.1f}, {self.x1:.1f}, {self.bottom:.1f})"


def clean_font_name(name):
    """A font's name without the ``ABCDEF+`` subset prefix."""
    if not name:
        return ""
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    return SUBSET_RE.sub("", str(name))


def bold_font_name(name):
    """True when a font's name says it is a bold face."""
    return bool(name) and bool(BOLD_NAME_RE.search(name))


def font_size(size):
    """A font size in points, to 0.1 — snapped to the half point when within 0.06 of one.

    Chinese type sizes (字号: 五号 10.5, 四号 14, 三号 16, 二号 22...) are whole or
    half points; engines that derive the size from the text matrix land a hair
    off (13.95), which would split one size in two.
    """
    half = round(size * 2) / 2
    return half if abs(size - half) < 0.06 else round(size, 1)


def is_cjk(ch):
    """True for CJK ideographs, kana, hangul and full-width forms/punctuation."""
    o = ord(ch[0]) if ch else 0
    return (
        0x2E80 <= o <= 0x9FFF      # radicals, punctuation, kana, CJK ideographs
        or 0xAC00 <= o <= 0xD7AF   # hangul
        or 0xF900 <= o <= 0xFAFF   # compatibility ideographs
        or 0xFE30 <= o <= 0xFE4F   # compatibility forms
        or 0xFF00 <= o <= 0xFFEF   # full-width forms
        or 0x20000 <= o <= 0x3FFFF  # extension B and later
        or o in (0x2014, 0x2026, 0x201C, 0x201D, 0x2018, 0x2019, 0x00B7)  # ——…“”‘’· in CJK text
    )


#: :func:`is_cjk` remembered per character (the layout asks it about every glyph)
_cjk = functools.lru_cache(maxsize=8192)(is_cjk)


def _is_blank(text):
    return not text.strip(BLANKS) if text else True


def _accelerator():
    """The per-glyph loops of this module in C (the PDFium engine's optional compiled
    accelerator, clt/extract/_pdfium_glyphs.c, which holds them too), or None:
    not built, or switched off with ``CLT_PDFIUM_ACCEL=0``.  Each gives what the
    Python code gives, or None to leave the work to it (an unusual glyph)."""
    if os.environ.get("CLT_PDFIUM_ACCEL", "1") == "0":
        return None
    try:
        from clt.extract import _pdfium_glyphs as c
    except ImportError:
        return None
    if getattr(c, "VERSION", None) != 3 or not c.char_type(Char):
        return None
    return c


_C = _accelerator()


# --------------------------------------------------------------------------- turned pages

#: a page is read turned when at least this share of its glyphs run in one other direction
TURN_FRACTION = 0.6
#: glyphs within this many degrees of a right angle run in that direction
TURN_TOLERANCE = 3.0


#: a Char's ``upright`` and ``soft`` (for C-level loops: ``all(map(_UPRIGHT, chars))``)
_UPRIGHT = attrgetter("upright")
_SOFT = attrgetter("soft")


def quadrant(c):
    """0, 90, 180 or 270: the right angle glyph *c* runs at, or None for a slanted glyph."""
    a = c.angle % 360.0
    q = round(a / 90.0)
    return int(q % 4) * 90 if abs(a - 90.0 * q) <= TURN_TOLERANCE else None


def text_direction(chars):
    """The direction (0, 90, 180, 270 degrees counter-clockwise) the text of a page runs in.

    A landscape table or a whole page printed sideways on a portrait page, a
    page whose /Rotate turns upright content on its side, a scan fed in upside
    down: when :data:`TURN_FRACTION` of the printed glyphs run in one
    direction other than upright, the page is read in that direction (see
    :func:`turn`).  A rotated stamp or watermark over upright text never is.
    """
    if all(map(_UPRIGHT, chars)):
        return 0  # the common page: nothing to count
    counts = Counter()
    for c in chars:
        if c.text.strip(BLANKS):  # not blank
            counts[0 if c.upright else quadrant(c)] += 1
    n = sum(counts.values())
    if not n:
        return 0
    q, k = counts.most_common(1)[0]
    return q if q and k >= TURN_FRACTION * n else 0


def turn(chars, angle, width, height):
    """``(chars, width, height)``: the page turned so that text running at *angle* reads upright.

    Boxes keep the top-left origin, in the turned page (*width* and *height*
    swap for 90 and 270).  Glyphs that ran at *angle* become upright; the
    others (a stamp, a note across) are not.
    """
    out = []
    for c in chars:
        if angle == 90:     # text runs up the page: its lines stand left to right
            box = (height - c.bottom, c.x0, height - c.top, c.x1)
        elif angle == 270:  # text runs down the page: its lines stand right to left
            box = (c.top, width - c.x1, c.bottom, width - c.x0)
        else:               # upside down
            box = (width - c.x1, height - c.bottom, width - c.x0, height - c.top)
        t = Char(c.text, box[0], box[1], box[2], box[3], c.size, c.font, c.bold, False, c.soft,
                 (c.angle - angle) % 360.0)
        t.upright = quadrant(t) == 0 or (c.upright and angle == 0)
        t.conf = c.conf
        out.append(t)
    if angle in (90, 270):
        width, height = height, width
    return out, width, height


# --------------------------------------------------------------------------- duplicates

def drop_duplicates(chars):
    """Chars without glyphs drawn twice; the survivor of a pair is marked bold.

    Returns ``(chars, dropped)``.  Two glyphs are one when they have the same
    text, lie within :data:`DUPLICATE_EM` em of each other in x and y and
    overlap by 70% of their width (leader dots a quarter em apart are not
    duplicates).
    """
    if _C is not None:
        got = _C.drop_duplicates(chars, DUPLICATE_EM) if type(chars) is list else None
        if got is not None:
            return got
    return _drop_duplicates(chars)


def _drop_duplicates(chars):
    seen = {}  # text -> {x cell -> glyphs}
    out = []
    dropped = 0
    for c in chars:
        t = c.text
        if t in " \u3000":
            out.append(c)
            continue
        tol = (c.size if c.size > 1.0 else 1.0) * DUPLICATE_EM
        ix = int(c.x0 / tol)
        cells = seen.get(t)
        if cells is None:  # the first glyph of this text: nothing to compare with
            seen[t] = {ix: [c]}
            out.append(c)
            continue
        dup = None
        for k in (ix, ix - 1, ix + 1):
            lst = cells.get(k)
            if lst:
                for other in lst:
                    if abs(other.x0 - c.x0) <= tol and abs(other.top - c.top) <= tol and \
                            min(other.x1, c.x1) - max(other.x0, c.x0) >= 0.7 * (c.x1 - c.x0):
                        dup = other
                        break
                if dup is not None:
                    break
        if dup is not None:
            dup.bold = True
            dropped += 1
            continue
        lst = cells.get(ix)
        if lst is None:
            cells[ix] = [c]
        else:
            lst.append(c)
        out.append(c)
    return out, dropped


# --------------------------------------------------------------------------- grouping

def _rows(chars):
    """Group chars into rows of vertically overlapping glyphs (top to bottom)."""
    if _C is not None and type(chars) is list:
        rows = _C.rows(chars)
        if rows is not None:
            return rows
    return _rows_py(chars)


def _rows_py(chars):
    chars = sorted(chars, key=lambda c: ((c.top + c.bottom) / 2, c.x0))
    rows = []
    cur = []
    top = bottom = 0.0
    for c in chars:
        # max() and min() written out: this runs once per glyph
        h = c.bottom - c.top
        if 0.1 > h:
            h = 0.1
        if cur:
            ctop, cbottom = c.top, c.bottom
            overlap = (cbottom if cbottom < bottom else bottom) - (ctop if ctop > top else top)
            band = bottom - top
            if 0.1 > band:
                band = 0.1
            if overlap >= 0.5 * (band if band < h else h):
                cur.append(c)
                # the row's band follows its body text, not one tall glyph
                top = min(top, c.top) if h <= (bottom - top) * 1.5 else top
                bottom = max(bottom, c.bottom) if h <= (bottom - top) * 1.5 else bottom
                continue
            rows.append(cur)
        cur = [c]
        top, bottom = c.top, c.bottom
    if cur:
        rows.append(cur)
    return rows


def _evenly_spread(row):
    """True when 3+ glyphs stand at (nearly) equal gaps: letter-spacing, not separate blocks.

    Short titles and names are often set with distributed alignment
    (分散对齐, ``公　　告`` across the measure); their wide gaps are all alike.
    """
    ink = [c for c in row if not _is_blank(c.text)]
    if len(ink) < 3:
        return False
    gaps = [b.x0 - a.x1 for a, b in zip(ink, ink[1:])]
    return min(gaps) > 0 and max(gaps) <= 1.25 * min(gaps)


def _pieces(row):
    """Split a row (sorted left to right) at gutter-wide gaps.

    A row of invisible text (an OCR layer over a scan) keeps its drawing order:
    the OCR program wrote it in reading order, while its word boxes, stretched
    to the words it saw, overlap and would shuffle the glyphs sorted by position.
    """
    if _C is not None and type(row) is list:
        pieces = _C.pieces(row, SPLIT_GAP)
        if pieces is not None:
            return pieces
    return _pieces_py(row)


def _pieces_py(row):
    if all(c.hidden for c in row):
        row.sort(key=lambda c: c.order)
    else:
        row.sort(key=lambda c: (c.x0, c.top))
    if _evenly_spread(row):
        return [row]
    pieces = [[row[0]]]
    cur = pieces[0]
    prev = row[0]
    for c in row[1:]:
        em = c.size if c.size > prev.size else prev.size
        if em < 1.0:
            em = 1.0
        if c.x0 - prev.x1 > SPLIT_GAP * em and prev.text.strip(BLANKS) and c.text.strip(BLANKS):
            cur = [c]
            pieces.append(cur)
        else:
            cur.append(c)
        prev = c
    # a piece made only of blanks carries nothing
    return [p for p in pieces if any(c.text.strip(BLANKS) for c in p)]


def _pitch(piece):
    """The character pitch of a piece set on the CJK grid (x0 to x0 of neighbouring CJK glyphs), or None."""
    if _C is not None and type(piece) is list:
        pitch = _C.pitch(piece)
        if pitch is not False:
            return pitch
    return _pitch_py(piece)


def _pitch_py(piece):
    steps = []
    prev = None  # the glyph before, when it ends in a CJK character and is no blank
    for c in piece:
        t = c.text
        ink = t.strip(BLANKS) if t else ""
        if prev is not None and ink and _cjk(t[0]):
            steps.append(c.x0 - prev.x0)
        prev = c if ink and _cjk(t[-1]) else None
    if len(steps) < 3:
        return None
    steps.sort()
    return steps[len(steps) // 4]  # the cell: letter-spaced headings only widen some steps


def _sep(prev, c, pitch):
    """The space to put between two neighbouring glyphs: "" or " " (see the module docstring)."""
    tp, tc = prev.text, c.text
    if not tp.strip(BLANKS) or not tc.strip(BLANKS):
        return ""
    gap = c.x0 - prev.x1
    em = c.size  # max(c.size, prev.size, 1.0), without the call (once per pair of glyphs)
    if prev.size > em:
        em = prev.size
    if 1.0 > em:
        em = 1.0
    if _cjk(tp[-1]) or _cjk(tc[0]):
        if prev.hidden and c.hidden:
            return ""  # an OCR layer stretches each word over its box: its gaps say nothing
        return " " if gap >= CJK_GAP * em else ""
    if gap < WORD_GAP * em:
        return ""
    if pitch and abs((c.x0 - prev.x0) - pitch) <= 0.1 * em:
        return ""  # digits and letters set one per grid cell, like the CJK text around them
    return " "


def _resolve_soft(piece):
    """*piece* without the soft blanks that only fill a grid cell (see :class:`Char`)."""
    if not any(map(_SOFT, piece)):
        return piece
    pitch = _pitch([c for c in piece if not c.soft])
    out = []
    for i, c in enumerate(piece):
        if c.soft:
            prev = out[-1] if out else None
            nxt = next((d for d in piece[i + 1:] if not d.soft), None)
            if prev is None or nxt is None or _is_blank(prev.text):
                continue
            em = max(prev.size, nxt.size, 1.0)
            if pitch and abs((nxt.x0 - prev.x0) - pitch) <= 0.1 * em:
                continue
        out.append(c)
    return out


_NO_PITCH = object()


def _text(piece, pitch=_NO_PITCH):
    """Text of one piece, with the spacing rules of the module docstring (*pitch*:
    :func:`_pitch` of *piece* when already worked out)."""
    out = []
    prev = None
    if pitch is _NO_PITCH:
        pitch = _pitch(piece)
    for c in piece:
        if prev is not None:
            out.append(_sep(prev, c, pitch))
        out.append(c.text)
        prev = c
    return "".join(out)


def _gutter(rows, page_width):
    """The x of a column gutter running down the page, or None.

    A gutter is a band in the middle of the page (30%–70% of its width), at
    least one em wide, that at most 15% of the rows cross (a title or a
    running header over both columns), with three rows or more and a
    twentieth of the glyphs or more on either side (a column can be short
    where a law ends part-way down it).  Columns are often set closer than :data:`SPLIT_GAP` (two
    characters apart): without the gutter their lines would be read as one.
    """
    if len(rows) < 4 or not page_width:
        return None
    lo, hi = int(0.3 * page_width), int(0.7 * page_width)
    got = _C.cover(rows, lo, hi) if _C is not None and type(rows) is list else None
    if got is not None:
        ink, em, cover = got  # what the lines below give
        if not ink:
            return None
    else:
        ink = [c for row in rows for c in row if not _is_blank(c.text)]
        if not ink:
            return None
        em = sorted(c.size for c in ink)[len(ink) // 2] or 10.0
        # glyphs covering each point of the band (running sum of starts and ends)
        delta = [0] * (hi - lo + 2)
        for c in ink:
            a, b = max(lo, int(c.x0) + 1), min(hi, int(c.x1))
            if a <= b:
                delta[a - lo] += 1
                delta[b - lo + 1] -= 1
        cover = []
        n = 0
        for d in delta[:-1]:
            n += d
            cover.append(n)
    best = _longest_run(cover, 0, len(cover), max(1, 0.15 * len(rows)))
    if best is None or best[1] - best[0] < em:
        return None
    # a short column (a few rows) is itself sparse enough to pass for a gutter:
    # keep the emptiest stretch of the band, what only rows over both columns cross
    best = _longest_run(cover, best[0], best[1], min(cover[best[0]:best[1]]) + 1)
    if best is None or best[1] - best[0] < em:
        return None
    a, b = lo + best[0], lo + best[1]
    left = sum(1 for c in ink if c.x1 <= a + 1)
    right = sum(1 for c in ink if c.x0 >= b - 1)
    # a column may be short (the page where a law ends part-way down its second
    # column), but it holds a few rows of text, not a stray mark
    rows_left = sum(1 for row in rows if any(c.x1 <= a + 1 and not _is_blank(c.text) for c in row))
    rows_right = sum(1 for row in rows if any(c.x0 >= b - 1 and not _is_blank(c.text) for c in row))
    if min(left, right) < 0.05 * len(ink) or min(rows_left, rows_right) < 3:
        return None
    return (a + b) / 2


def _longest_run(values, start, end, limit):
    """``(i, j)``: the longest run of ``values[start:end]`` at most *limit*, or None."""
    best, run = None, None
    for i in range(start, end + 1):
        if i < end and values[i] <= limit:
            if run is None:
                run = i
        elif run is not None:
            if best is None or i - run > best[1] - best[0]:
                best = (run, i)
            run = None
    return best


def _column_rows(chars, page_width):
    """``(rows, gutter)``: rows of the page (see :func:`_rows`) and the x of its column
    gutter (None on a one-column page); on a page with a gutter, each column has its own rows.

    Lines of neighbouring columns rarely share a baseline: grouped together they
    would chain lines of one column into one row.  Rows that cross the gutter
    (a title over both columns) are kept whole.
    """
    rows = _rows(chars)
    g = _gutter(rows, page_width)
    if g is None:
        return rows, None
    whole, left, right = [], [], []
    for row in rows:
        if any(c.x0 < g < c.x1 for c in row if not _is_blank(c.text)):
            whole.append(row)
        else:
            for c in row:
                (left if (c.x0 + c.x1) / 2 < g else right).append(c)
    rows = whole + _rows(left) + _rows(right)
    rows.sort(key=lambda row: min((c.top + c.bottom) / 2 for c in row))
    return rows, g


def _columns(pieces, page_width, columns=None, gutter=None):
    """Reading order of pieces: on a two-column page, the left column first.

    *pieces* are ``(row, x0, x1, chars, ink)`` in row order.  A right column
    shows as at least 4 pieces starting at one x in the middle of the page
    (30%–70% of its width); the left column as at least 4 pieces ending before
    it, most of them flush at one right edge (justified column text, not a
    table of short cells).  The gutter runs between the two; at most 15% of
    the pieces may cross it.  Pieces that do (a title over both columns, a
    running header) close the columns above them: the page is read band by
    band, each band left column then right column.  A *gutter* already found
    from the glyphs (:func:`_gutter`) is taken as it is: it also sees a column
    too short to show four pieces starting at one x.
    """
    if columns is None:
        columns = {}
    if gutter is not None:
        return _by_column(pieces, gutter, columns)
    n = len(pieces)
    if n < 8 or not page_width:
        return pieces
    starts = Counter(round(p[1] / 2) * 2 for p in pieces if 0.3 * page_width <= p[1] <= 0.7 * page_width)
    if not starts:
        return pieces
    b, count = starts.most_common(1)[0]
    if count < 4:
        return pieces
    lefts = [p for p in pieces if p[2] <= b - 1]
    if len(lefts) < 4:
        return pieces
    a = _dominant(round(p[2] / 2) * 2 for p in lefts)  # the left column's right edge
    em = _dominant(round(c.size) for p in lefts for c in p[4]) or 10
    if sum(1 for p in lefts if a - 2 * em <= p[2] <= a + 2) < 0.5 * len(lefts):
        return pieces
    gutter = (a + b) / 2
    if sum(1 for p in pieces if p[1] < gutter < p[2]) > 0.15 * n:
        return pieces
    return _by_column(pieces, gutter, columns)


def _by_column(pieces, gutter, columns):
    """Pieces read band by band, each band's left column before its right one;
    *columns* gets each column piece's (column, x0, x1)."""
    sides = ([p for p in pieces if p[2] <= gutter], [p for p in pieces if p[1] >= gutter])
    if not all(sides):
        return pieces
    # each column's left and right edges
    boxes = [(min(p[1] for p in side), max(p[2] for p in side)) for side in sides]
    out = []
    left, right = [], []
    for p in pieces:
        if p[2] <= gutter:
            left.append(p)
            columns[id(p[3])] = (1,) + boxes[0]
        elif p[1] >= gutter:
            right.append(p)
            columns[id(p[3])] = (2,) + boxes[1]
        else:
            out.extend(left)
            out.extend(right)
            left, right = [], []
            out.append(p)
    out.extend(left)
    out.extend(right)
    return out


def _dominant(values):
    c = Counter(v for v in values)
    return c.most_common(1)[0][0] if c else None


def build_lines(chars, source, page, page_width=None, ocr=False, char_boxes=False):
    """``line`` records for one page's :class:`Char` list, in reading order.

    With *char_boxes* (an OCR engine that boxes each character) a line also
    carries ``char_boxes``: ``[x0, x1]`` of each character of its text (a
    space spans the gap it stands for).
    """
    if not chars:
        return []
    got = _C.prepare(chars) if _C is not None and type(chars) is list else None
    if got is not None:
        hidden, slanted = got  # what the lines below give
    else:
        for i, c in enumerate(chars):
            c.order = i
        hidden = any(c.hidden for c in chars)
        slanted = True
    if hidden:
        # an OCR layer's blanks separate the words the OCR program saw (between
        # every few CJK characters): spacing comes from the gaps, as for OCR
        chars = [c for c in chars if not (c.hidden and _is_blank(c.text))]
    chars, _ = drop_duplicates(chars)
    slanted = [c for c in chars if not c.upright] if slanted else []
    if slanted:
        chars = [c for c in chars if c.upright]
    pieces = []
    rows, gutter = _column_rows(chars, page_width)
    for r, row in enumerate(rows):
        for piece in _pieces(row):
            piece = _resolve_soft(piece)
            got = _C.summary(piece, font_size) if _C is not None and type(piece) is list else None
            if got is not None:
                pieces.append((r, got[1], got[2], piece, got[0], got))
                continue
            ink = [c for c in piece if not _is_blank(c.text)] or piece
            pieces.append((r, min(c.x0 for c in ink), max(c.x1 for c in ink), piece, ink, None))
    columns = {}
    ordered = _columns(pieces, page_width, columns, gutter)
    lines = []
    for n, (_, x0, x1, piece, ink, summary) in enumerate(ordered, 1):
        got = _C.text(piece, CJK_GAP, WORD_GAP) if _C is not None else None
        if got is not None:
            text, pitch = got  # what the two lines below give
        else:
            pitch = _pitch(piece)  # once per piece: _text, _spans and _char_boxes use it
            text = _text(piece, pitch)
        text = text.rstrip(BLANKS)
        if not text:
            continue
        if summary is not None:
            _, _, _, top, bottom, font, size, bold, styles = summary  # what the lines below give
        else:
            top = min(c.top for c in ink)
            bottom = max(c.bottom for c in ink)
            weights = Counter()
            for c in ink:
                weights[(c.font, font_size(c.size), c.bold)] += len(c.text)
            (font, size, _), _n = weights.most_common(1)[0]
            bold = all(c.bold for c in ink)
            styles = len(weights)
        rec = {"type": "line", "source": source, "page": page, "line": len(lines) + 1, "text": text,
               "bbox": [round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)],
               "size": size, "font": font, "bold": bold}
        col = columns.get(id(piece))
        if col:
            rec["column"] = col[0]
            rec["column_box"] = [round(col[1], 2), round(col[2], 2)]
        if styles > 1:
            spans = _spans(piece, pitch)
            if len(spans) > 1:
                rec["spans"] = spans
        if ocr:
            rec["ocr"] = True
            confs = [c.conf for c in ink if c.conf is not None]
            if confs:
                rec["conf"] = round(sum(confs) / len(confs), 1)
            if char_boxes:
                rec["char_boxes"] = _char_boxes(piece, pitch)[:len(text)]
        lines.append(rec)
    for run in _slanted_runs(slanted):
        ink = [c for c in run if not _is_blank(c.text)] or run
        text = "".join(c.text for c in run).strip(BLANKS)
        if not text:
            continue
        size, font = _dominant((font_size(c.size), c.font) for c in ink)
        rec = {"type": "line", "source": source, "page": page, "line": len(lines) + 1, "text": text,
               "bbox": [round(min(c.x0 for c in ink), 2), round(min(c.top for c in ink), 2),
                        round(max(c.x1 for c in ink), 2), round(max(c.bottom for c in ink), 2)],
               "size": size, "font": font, "bold": all(c.bold for c in ink), "rotated": True}
        if ocr:
            rec["ocr"] = True
        lines.append(rec)
    return lines


def _char_boxes(piece, pitch=_NO_PITCH):
    """``[x0, x1]`` of each character of ``_text(piece)``, a glyph of several characters shared out."""
    out = []
    prev = None
    if pitch is _NO_PITCH:
        pitch = _pitch(piece)
    for c in piece:
        if prev is not None:
            for _ in _sep(prev, c, pitch):
                out.append([round(prev.x1, 1), round(c.x0, 1)])
        n = max(1, len(c.text))
        step = (c.x1 - c.x0) / n
        for i in range(len(c.text)):
            out.append([round(c.x0 + i * step, 1), round(c.x0 + (i + 1) * step, 1)])
        prev = c
    return out


def _slanted_runs(chars):
    """Runs of rotated glyphs (watermarks, stamps, margin notes) in drawing order.

    They cannot share a line with the upright text (their boxes would cut across
    it), so they come after the page's lines, one line per run, marked
    ``rotated``.  A run ends where the next glyph is more than 2 em away.
    """
    runs = []
    for c in chars:
        if runs:
            p = runs[-1][-1]
            em = max(p.size, c.size, 1.0)
            cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
            px, py = (p.x0 + p.x1) / 2, (p.top + p.bottom) / 2
            if abs(cx - px) + abs(cy - py) <= 2.5 * em:
                runs[-1].append(c)
                continue
        runs.append([c])
    return runs


def _spans(piece, pitch=_NO_PITCH):
    """Runs of one font/size/boldness within a piece, as character offsets in its text."""
    # offsets with the same spacing rules as _text
    spans = []
    pos = 0
    prev = None
    if pitch is _NO_PITCH:
        pitch = _pitch(piece)
    for c in piece:
        if prev is not None:
            pos += len(_sep(prev, c, pitch))
        end = pos + len(c.text)
        if _is_blank(c.text) and spans:
            spans[-1]["end"] = end
        else:
            key = (c.font, font_size(c.size), c.bold)
            if spans and (spans[-1]["font"], spans[-1]["size"], spans[-1]["bold"]) == key:
                spans[-1]["end"] = end
            else:
                spans.append({"start": pos, "end": end, "font": c.font, "size": font_size(c.size),
                              "bold": c.bold})
        pos = end
        prev = c
    return spans

