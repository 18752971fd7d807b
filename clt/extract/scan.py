"""A scanned page made ready for OCR: what the scanner added taken off, the page
turned upright and levelled.

Office scans and photocopies are not the clean rasters OCR engines are trained
on.  Before a page image goes to an engine (:mod:`clt.extract.ocr`), and only
on pages read by OCR:

* **edges** — dark bands along the page's edges (the scanner lid around a
  smaller sheet, a photocopy's black margin, the shadow of a bound gutter)
  are painted paper: the dark pixels joined to the image's edge, row by row
  and column by column (text never touches the edge of a sheet);
* **holes** — punched holes and other solid dark disks in the side and top
  margins (no stroke of a character is that thick) are painted paper;
* **turned** — a page whose lines run up or down the image (fed in sideways)
  is turned a quarter, found by the ink's profile: lines of text leave blank
  rows between them, the characters of a line leave no blank columns.  Upside
  down is found by the engine itself (see :func:`clt.extract.ocr.ocr_page`):
  it reads an upside-down page with a fraction of its usual confidence;
* **deskew** — a page scanned a few degrees off is rotated level; the angle
  is the one at which the ink's row profile is sharpest (lines and the gaps
  between them crisp).

Nothing here reads or changes the text: what was done is reported on the
page record (``turned``: the direction the text ran, 90, 180 or 270 degrees
counter-clockwise, as for a text layer; ``ocr_prep``: ``edges``, ``holes`` and
``specks`` give how much was painted over — a share of the page, a number of
holes, about how many specks —, ``turned`` again, ``deskew`` in degrees), and
only pixels outside the text (its edges, margins, lone specks) are ever painted.
"""

import math

#: the resolution (dpi) the page is looked at for these measurements
LOOK_DPI = 75
#: a pixel darker than this share of the paper's level is ink (or a dark border)
DARK_SHARE = 0.55
#: a pixel of the page looked at (see LOOK_DPI) darker than this share of the paper is ink
#: for the measures of skew and turn (thin strokes come out grey at that resolution)
INK_SHARE = 0.8
#: edges: a run from the image's edge of pixels darker than this share of the paper (a
#: shadow fades into the paper) is painted when it is at least this long (inches)
EDGE_SHARE = 0.85
EDGE_MIN_IN = 0.02
#: holes: solid dark disks at least this wide (inches) — a 6 mm punched hole is 0.24 in;
#: the heaviest stroke of bold 16 pt type is under 0.04 in, a ● bullet 0.1 in
HOLE_MIN_IN = 0.15
HOLE_MAX_IN = 0.6
#: holes are looked for only this close to the side edges (share of the width) and the top
HOLE_SIDE = 0.16
HOLE_TOP = 0.10
#: specks: ink clusters at most this share of a text line's height across, alone (a 。 or
#: · of the text is over a fifth of its line; a speck of toner a pixel or two)
SPECK_MAX_SHARE = 0.08
#: ... of a line no taller than this (inches: 0.25 in is the ink of 18 pt type)
SPECK_LINE_IN = 0.25
#: ... counting as its extent the pixels darker than this share of the paper
SPECK_LIGHT_SHARE = 0.85
#: deskew: angles tried (degrees either way), and the smallest one corrected
SKEW_MAX_DEG = 6.0
SKEW_MIN_DEG = 0.4
#: turned a quarter: the share of blank columns must exceed the share of blank rows by this much
TURN_MARGIN = 0.12


def _np():
    import numpy as np

    return np


def paper_level(a):
    """The paper's grey level of image array *a* (most pixels are paper)."""
    np = _np()
    s = a[::7, ::7]
    return float(np.percentile(s, 80)) if s.size else 255.0


def look(img, dpi):
    """``(array, factor)``: *img* (grayscale) at about :data:`LOOK_DPI`, factor = full pixels per look pixel."""
    from PIL import Image

    np = _np()
    f = max(1, int(round(dpi / LOOK_DPI)))
    w, h = img.size
    small = img.resize((max(1, w // f), max(1, h // f)), Image.BOX) if f > 1 else img
    return np.asarray(small, dtype=np.uint8), f


def _runs_from_start(dark):
    """Length of the run of True at the start of each row of boolean array *dark*."""
    np = _np()
    n = dark.shape[1]
    first_light = np.argmin(dark, axis=1)
    all_dark = dark.all(axis=1)
    return np.where(all_dark, n, first_light)


def edge_mask(a, paper, min_run):
    """Boolean mask (of *a*'s shape) of the dark pixels joined to the image's edge along a row or column."""
    np = _np()
    dark = a < paper * EDGE_SHARE
    h, w = dark.shape
    mask = np.zeros_like(dark)
    cols = np.arange(w)[None, :]
    rows = np.arange(h)[:, None]
    left = _runs_from_start(dark)
    right = _runs_from_start(dark[:, ::-1])
    top = _runs_from_start(dark.T)
    bottom = _runs_from_start(dark.T[:, ::-1])
    left = np.where(left >= min_run, left, 0)
    right = np.where(right >= min_run, right, 0)
    top = np.where(top >= min_run, top, 0)
    bottom = np.where(bottom >= min_run, bottom, 0)
    mask |= cols < left[:, None]
    mask |= cols >= (w - right)[:, None]
    mask |= rows < top[None, :]
    mask |= rows >= (h - bottom)[None, :]
    return mask


def _box_all(mask, s):
    """Erosion of *mask* by an s x s square (True where the whole window is True), via an integral image."""
    np = _np()
    h, w = mask.shape
    if s <= 1 or h < s or w < s:
        return mask.copy() if s <= 1 else np.zeros_like(mask)
    ii = np.zeros((h + 1, w + 1), dtype=np.int32)
    ii[1:, 1:] = mask.astype(np.int32).cumsum(0).cumsum(1)
    win = ii[s:, s:] - ii[:-s, s:] - ii[s:, :-s] + ii[:-s, :-s]  # (h-s+1, w-s+1)
    out = np.zeros_like(mask)
    o = s // 2
    out[o:o + win.shape[0], o:o + win.shape[1]] = win == s * s
    return out


def _box_any(mask, s):
    """Dilation of *mask* by an s x s square."""
    np = _np()
    h, w = mask.shape
    if s <= 1:
        return mask.copy()
    ii = np.zeros((h + 1, w + 1), dtype=np.int32)
    ii[1:, 1:] = mask.astype(np.int32).cumsum(0).cumsum(1)
    r = s // 2
    y0 = np.clip(np.arange(h) - r, 0, h)
    y1 = np.clip(np.arange(h) + r + 1, 0, h)
    x0 = np.clip(np.arange(w) - r, 0, w)
    x1 = np.clip(np.arange(w) + r + 1, 0, w)
    tot = ii[y1][:, x1] - ii[y0][:, x1] - ii[y1][:, x0] + ii[y0][:, x0]
    return tot > 0


def hole_mask(a, paper, lookdpi):
    """``(mask, n)``: boolean mask of the punched holes in the side and top margins of *a*, and
    how many there are.  A hole is a solid dark blob at least :data:`HOLE_MIN_IN` and at most
    :data:`HOLE_MAX_IN` across, about as high as wide, that fills its box the way a disk
    does (a square block, a logo or a rule does not)."""
    np = _np()
    dark = a < paper * DARK_SHARE
    h, w = dark.shape
    s = max(3, int(HOLE_MIN_IN * lookdpi / math.sqrt(2)))
    seeds = _box_all(dark, s)
    zone = np.zeros_like(dark)
    side = int(HOLE_SIDE * w)
    zone[:, :side] = True
    zone[:, w - side:] = True
    zone[:int(HOLE_TOP * h), :] = True
    seeds &= zone
    mask = np.zeros_like(dark)
    if not seeds.any():
        return mask, 0
    # the blobs the seeds stand in (with their soft rim), one by one
    grown = _box_any(seeds, s + 4) & _box_any(dark, 3)
    n = 0
    for ys, xs in _blobs(grown):
        bw, bh = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
        fill = len(xs) / float(bw * bh)
        if HOLE_MIN_IN * lookdpi <= min(bw, bh) and max(bw, bh) <= HOLE_MAX_IN * lookdpi \
                and 0.7 <= bw / float(bh) <= 1.4 and 0.6 <= fill <= 0.92:
            mask[ys, xs] = True
            n += 1
    return mask, n


def _blobs(mask):
    """The 4-connected blobs of boolean *mask*, each as ``(ys, xs)`` arrays (a flood fill over
    the few pixels of the mask)."""
    np = _np()
    ys, xs = np.nonzero(mask)
    todo = set(zip(ys.tolist(), xs.tolist()))
    while todo:
        stack = [todo.pop()]
        blob = []
        while stack:
            y, x = stack.pop()
            blob.append((y, x))
            for q in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if q in todo:
                    todo.remove(q)
                    stack.append(q)
        by, bx = zip(*blob)
        yield np.array(by), np.array(bx)


def profile_sharpness(ink):
    """How crisp the row profile of boolean *ink* is: the mean square step between neighbouring rows."""
    np = _np()
    p = ink.sum(axis=1).astype(np.float64)
    if len(p) < 3:
        return 0.0
    return float(np.mean(np.diff(p) ** 2))


def _sheared_profile(ink, tan, strips):
    """Row profile of *ink* with each vertical strip shifted by -x*tan (text at that slope made level)."""
    np = _np()
    h, w = ink.shape
    out = np.zeros(h + 2 * strips[-1][2] + 2, dtype=np.float64) if strips else np.zeros(h)
    pad = strips[-1][2] + 1 if strips else 0
    for x0, prof, _ in strips:
        shift = int(round(-x0 * tan))
        out[pad + shift:pad + shift + h] += prof
    return out


def estimate_skew(ink):
    """The skew in degrees of the text lines of boolean ink array *ink* (positive: lines run down
    to the right), or 0.0 when there is too little text to tell: the angle at which the row
    profile (slightly smoothed), taken along that slope strip by strip, changes most sharply."""
    np = _np()
    h, w = ink.shape
    if ink.sum() < 200 or h < 20 or w < 20:
        return 0.0
    n = max(8, min(48, w // 12))
    edges = np.linspace(0, w, n + 1).astype(int)
    maxshift = int(w * math.tan(math.radians(SKEW_MAX_DEG))) + 2
    strips = [((x0 + x1) / 2.0, ink[:, x0:x1].sum(axis=1).astype(np.float64), maxshift)
              for x0, x1 in zip(edges, edges[1:]) if x1 > x0]
    smooth = np.ones(3) / 3.0
    cache = {}

    def score(deg):
        if deg not in cache:
            p = np.convolve(_sheared_profile(ink, math.tan(math.radians(deg)), strips), smooth, "same")
            cache[deg] = float(np.sum(np.diff(p) ** 2))
        return cache[deg]

    coarse = [round(d / 5.0, 2) for d in range(int(-SKEW_MAX_DEG * 5), int(SKEW_MAX_DEG * 5) + 1)]
    best = max(coarse, key=score)
    best = max((round(best + d / 20.0, 2) for d in range(-6, 7)), key=score)
    if score(best) <= score(0.0) * 1.02:
        return 0.0
    return best


def blank_share(profile):
    """Share of the entries of an ink *profile* (over its inked span) that are near blank."""
    np = _np()
    nz = np.nonzero(profile > 0)[0]
    if len(nz) < 10:
        return 0.0
    p = profile[nz[0]:nz[-1] + 1]
    return float(np.mean(p <= max(1.0, 0.02 * float(p.max()))))


def runs_sideways(ink):
    """True when the text lines of boolean ink array *ink* run up or down the image
    (more blank columns than blank rows: the gaps between lines are vertical)."""
    if ink.sum() < 200:
        return False
    rows = blank_share(ink.sum(axis=1))
    cols = blank_share(ink.sum(axis=0))
    return cols > rows + TURN_MARGIN and cols > 0.2


def prepare_page(img, dpi, vertical_text=False):
    """``(image, info)``: page image *img* (grayscale) with its edges and holes painted
    paper, turned a quarter when its lines run sideways, and levelled; *info* says what
    was done (empty when nothing was).  *vertical_text*: the language is written in
    columns (chi_sim_vert): never turned."""
    from PIL import Image

    np = _np()
    info = {}
    a_small, f = look(img, dpi)
    paper = paper_level(a_small)
    if paper < 60:  # a dark image (a negative, a photo): leave it to the engine
        return img, info
    lookdpi = dpi / f
    edges = edge_mask(a_small, paper, max(2, int(EDGE_MIN_IN * lookdpi)))
    holes, n_holes = hole_mask(np.where(edges, 255, a_small).astype(np.uint8), paper, lookdpi)
    paint = edges | holes
    if paint.any():
        # paint in full resolution: the look mask scaled up, one look pixel wider all round
        grown = _box_any(paint, 3)
        big = Image.fromarray((grown * 255).astype(np.uint8)).resize(img.size, Image.NEAREST)
        fill = int(round(paper * 1.0))
        img = Image.composite(Image.new("L", img.size, min(255, fill)), img, big)
        share = float(edges.mean())
        if share > 0:
            info["edges"] = round(share, 4)
        if n_holes:
            info["holes"] = n_holes
        a_small = np.where(grown, int(paper), a_small).astype(np.uint8)
    ink = a_small < paper * INK_SHARE
    if not vertical_text and runs_sideways(ink):
        # a quarter clockwise: right for text that ran up the page (turned 90, as for a
        # text layer: the direction the text ran); if it ran down, the engine finds the
        # page upside down and it is turned half a turn more (270)
        img = img.transpose(Image.ROTATE_270)
        info["turned"] = 90
        ink = np.ascontiguousarray(np.rot90(ink, -1))
    deg = estimate_skew(ink)
    level = abs(deg) >= SKEW_MIN_DEG
    # specks are measured against the height of the text lines on the level page (a
    # skewed page has no blank row between its lines: their height would be read as
    # several lines'), and painted before the page is rotated (rotation blurs a speck)
    from clt.extract.ocr import ink_line_height

    ink_img = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))
    if level:
        ink_img = ink_img.rotate(deg, resample=Image.NEAREST, fillcolor=255)
    line = ink_line_height(ink_img)
    line = min(line * (img.size[0] / float(ink.shape[1])) if line else SPECK_LINE_IN * dpi, SPECK_LINE_IN * dpi)
    full = np.asarray(img)
    specks, n_specks = speck_mask(full, paper_level(full), line)
    if n_specks:
        img = Image.fromarray(np.where(specks, np.uint8(min(255, int(paper_level(full)))), full))
        info["specks"] = n_specks
    if level:
        img = img.rotate(deg, resample=Image.BICUBIC, expand=False, fillcolor=min(255, int(paper)))
        info["deskew"] = round(deg, 2)
    return img, info


def _row_window(m, r):
    """Sums of int array *m* over the 2r+1 pixels around each pixel of its rows (cumulative
    sums along rows: fast on a C-ordered array)."""
    np = _np()
    k = 2 * r + 1
    p = np.zeros((m.shape[0], m.shape[1] + k), dtype=m.dtype)
    p[:, r + 1:r + 1 + m.shape[1]] = m
    c = p.cumsum(1, dtype=m.dtype)  # a small int type may wrap: the differences are still exact
    return c[:, k:] - c[:, :-k]


def _window_sum(m, r):
    """Sums of int array *m* over the (2r+1)² window around every pixel (zero outside)."""
    np = _np()
    rows = _row_window(m, r)
    return np.ascontiguousarray(_row_window(np.ascontiguousarray(rows.T), r).T)


def speck_mask(a, paper, line_px, band=512):
    """``(mask, n)``: the specks of toner or dust on page array *a* — dark pixels in a
    cluster smaller than :data:`SPECK_MAX_SHARE` of a text line's height (*line_px*)
    across, with no other ink around them for as far again — and how many there are.  A mark of
    the text (。、· or the dot of 文) is larger, or stands next to its character's
    strokes.  The page is looked at *band* rows at a time (the memory stays small)."""
    np = _np()
    side = max(1, int(round(SPECK_MAX_SHARE * line_px)))
    r_in = max(1, side // 2 + 1)
    r_out = r_in + max(3, r_in)
    h = a.shape[0]
    mask = np.zeros(a.shape, dtype=bool)
    for y0 in range(0, h, band):
        lo, hi = max(0, y0 - r_out - 1), min(h, y0 + band + r_out + 1)
        part = a[lo:hi]
        dark = part < paper * DARK_SHARE
        if not dark.any():
            continue
        # the extent counts the speck's grey rim too: a blurred 、 or ， has a small dark
        # core in a larger grey blob, a speck is small all through
        light = (part < paper * SPECK_LIGHT_SHARE).astype(np.int16)
        inner = _window_sum(light, r_in)
        outer = _window_sum(light, r_out)
        m = dark & (inner <= side * side) & (outer == inner)
        del light, inner, outer
        if not m.any():
            continue
        # with the speck's soft rim (JPEG, blur): a pixel round it, inside the clear ring
        grown = _window_sum(m.astype(np.int16), 1) > 0
        keep = slice(y0 - lo, y0 - lo + min(band, h - y0))
        mask[y0:y0 + band] |= grown[keep]
    if not mask.any():
        return mask, 0
    return mask, sum(1 for _ in _blobs(mask))
