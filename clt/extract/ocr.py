"""OCR of PDF pages that have no usable text layer, and of scanned images.

Two engines read a page, both giving :class:`~clt.extract.layout.Char`
objects (points, top-left origin) that :func:`clt.extract.layout.build_lines`
lays out like text-layer glyphs — so OCR lines get the same fields as
text-layer lines (bbox, size = line height, indents and centring from the
boxes, since no engine returns U+3000) plus ``ocr: true``, ``ocr_engine``,
``conf`` (mean confidence, 0–100) and, for PP-OCR, ``char_boxes``:

* ``rapidocr`` (PP-OCR models run by ONNX Runtime; the ``clt[ocr]`` extra):
  the page at 300 dpi, the 0/180° direction classifier off (it turns whole
  lines upside down and loses them), one ONNX thread per process (pages run
  in parallel with ``--jobs``).  Each character comes with its own box; the
  page's skew (an office scan is often a degree off) is measured on its long
  lines and taken out of the boxes, so that indents and centring read true.
  Only the models inside the rapidocr wheel are used: nothing is downloaded.
* ``tesseract`` (a system tool): the page rasterised at 300 dpi (pypdfium2;
  ``pdftoppm`` as a fallback), scaled down when its text is larger than
  Tesseract reads best (see :data:`TARGET_INK_PX`), piped to ``tesseract
  stdin stdout -l LANG --psm 6 tsv``; the word boxes are grouped by
  Tesseract's own line numbers.

``auto`` (the default) takes rapidocr when the extra is installed and the
language is one its Chinese models read, else Tesseract; when neither can
run, :class:`OcrUnavailable` names both ways to install one.
"""

import functools
import io
import os
import shutil
import subprocess

from clt.errors import ExtractError
from clt.extract.layout import Char, build_lines, is_cjk
from clt.extract.pdf import OCR_ENGINES  # noqa: F401 (named there)
from clt.records import record, source_record

DPI = 300
PSM = "6"
TIMEOUT = 600
#: the OCR engines (``--ocr-engine``)
#: Tesseract languages the PP-OCR Chinese models read (they know Latin letters and digits too)
RAPID_LANGS = frozenset(("chi_sim", "chi_tra", "eng", "chi_sim_vert", "chi_tra_vert"))
INSTALL_HINT = "pip install 'clt[ocr]' (PP-OCR), or apt install tesseract-ocr tesseract-ocr-chi-sim"


class OcrUnavailable(Exception):
    """Tesseract, its language data or a rasteriser is missing."""


class OcrOverLimit(OcrUnavailable):
    """The page cannot be rasterised within the limits (an image that would decode to
    gigabytes, a page too large): it is not OCR'd, a warning with this code says why."""

    from clt.extract.bounded import OCR_OVER_LIMIT as code


def _debian_packages(lang):
    pkgs = ["tesseract-ocr"]
    for part in lang.split("+"):
        if part and part not in ("osd", "equ"):
            pkgs.append("tesseract-ocr-" + part.lower().replace("_", "-"))
    return pkgs


@functools.lru_cache(maxsize=8)
def _installed_langs(exe):
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    text = out.stdout + out.stderr
    return frozenset(l.strip() for l in text.splitlines()[1:] if l.strip() and " " not in l.strip())


def tesseract(lang="chi_sim"):
    """Path of the tesseract program, after checking *lang* is installed."""
    exe = shutil.which("tesseract")
    if not exe:
        raise OcrUnavailable("Tesseract is not installed (Debian: apt install " + " ".join(_debian_packages(lang)) + ")")
    langs = _installed_langs(exe)
    missing = [p for p in lang.split("+") if p and langs and p not in langs]
    if missing:
        pkgs = [p for p in _debian_packages("+".join(missing)) if p != "tesseract-ocr"]
        raise OcrUnavailable(f"Tesseract has no {'+'.join(missing)} language data "
                             f"(Debian: apt install {' '.join(pkgs)})")
    return exe


def render_page(data, pageno, password=None, dpi=DPI):
    """PIL image (grayscale) of 1-based page *pageno* of a PDF (path or bytes) at *dpi*."""
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data, password=password)
        try:
            page = pdf[pageno - 1]
            img = page.render(scale=dpi / 72.0, grayscale=True).to_pil()
            page.close()
            return img.convert("L")
        finally:
            pdf.close()
    except ImportError:
        pass
    from PIL import Image

    exe = shutil.which("pdftoppm")
    if not exe:
        raise OcrUnavailable("cannot rasterise the page: install pypdfium2 or poppler-utils (pdftoppm)")
    args = [exe, "-png", "-r", str(dpi), "-gray", "-f", str(pageno), "-l", str(pageno)]
    if password:
        args += ["-upw", password]
    if isinstance(data, bytes):
        out = subprocess.run(args + ["-"], input=data, capture_output=True, timeout=TIMEOUT)
    else:
        out = subprocess.run(args + [data], capture_output=True, timeout=TIMEOUT)
    if out.returncode != 0 or not out.stdout:
        raise OcrUnavailable("pdftoppm could not rasterise the page: " + out.stderr.decode("utf-8", "replace")[:200])
    return Image.open(io.BytesIO(out.stdout)).convert("L")


#: Tesseract reads CJK best when a line's ink is about this many pixels high
#: (measured on bulletins: 15–16 pt body text read at ~160 dpi has a third of
#: the character errors it has at 300 dpi); larger text is scaled down to it.
TARGET_INK_PX = 32
MIN_SCALE = 0.5


def ink_line_height(img):
    """Median height in pixels of the bands of rows holding ink (the text lines), or None."""
    from PIL import Image

    w, h = img.size
    profile = list(img.resize((1, h), Image.BOX).tobytes())
    if not profile:
        return None
    background = sorted(profile)[len(profile) * 9 // 10]  # most rows are paper
    runs, run = [], 0
    for v in profile:
        if v < background - 2:
            run += 1
        else:
            if run >= 6:
                runs.append(run)
            run = 0
    if run >= 6:
        runs.append(run)
    if len(runs) < 2:
        return None
    runs.sort()
    return runs[len(runs) // 2]


def prepare(img):
    """*img* scaled so that text lines are about TARGET_INK_PX high; returns (image, effective scale)."""
    from PIL import Image

    line = ink_line_height(img)
    if not line or line <= TARGET_INK_PX * 1.3:
        return img, 1.0
    k = max(MIN_SCALE, TARGET_INK_PX / line)
    w, h = img.size
    return img.resize((max(1, round(w * k)), max(1, round(h * k))), Image.LANCZOS), k


def png_bytes(img):
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def render_page_png(data, pageno, password=None, dpi=DPI):
    """PNG bytes of 1-based page *pageno* of a PDF (path or bytes) at *dpi*."""
    return png_bytes(render_page(data, pageno, password, dpi))


def ocr_png(png, lang="chi_sim", psm=PSM):
    """Tesseract's TSV rows (dicts) for an image given as PNG bytes."""
    exe = tesseract(lang)
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")  # pages run in parallel with --jobs, not threads
    try:
        out = subprocess.run([exe, "stdin", "stdout", "-l", lang, "--psm", str(psm), "tsv"], input=png,
                             capture_output=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise OcrUnavailable(f"Tesseract took longer than {TIMEOUT} s") from None
    except OSError as e:
        raise OcrUnavailable(f"cannot run Tesseract: {e}") from None
    if out.returncode != 0:
        raise OcrUnavailable("Tesseract failed: " + out.stderr.decode("utf-8", "replace").strip()[:200])
    rows = []
    lines = out.stdout.decode("utf-8", "replace").splitlines()
    if not lines:
        return rows
    head = lines[0].split("\t")
    for l in lines[1:]:
        parts = l.split("\t")
        if len(parts) < len(head):
            parts += [""] * (len(head) - len(parts))
        rows.append(dict(zip(head, parts)))
    return rows


def tsv_chars(rows, dpi=DPI):
    """Chars (points) for the words of Tesseract TSV *rows*; each word spans its line's height."""
    k = 72.0 / dpi
    lines = {}
    words = []
    for r in rows:
        try:
            level = int(r.get("level", 0))
            box = [int(r["left"]), int(r["top"]), int(r["width"]), int(r["height"])]
        except (KeyError, ValueError):
            continue
        key = (r.get("page_num"), r.get("block_num"), r.get("par_num"), r.get("line_num"))
        if level == 4:
            lines[key] = box
        elif level == 5:
            text = r.get("text", "").strip()
            if text:
                try:
                    conf = float(r.get("conf", ""))
                except ValueError:
                    conf = None
                words.append((key, text, box, conf))
    chars = []
    for key, text, (x, y, w, h), conf in words:
        lx, ly, lw, lh = lines.get(key, (x, y, w, h))
        size = max(lh * k, 1.0)
        c = Char(text, x * k, ly * k, (x + w) * k, (ly + lh) * k, size, "", False, True)
        c.conf = conf if conf is not None and conf >= 0 else None
        chars.append(c)
    return chars


# --------------------------------------------------------------------------- PP-OCR (rapidocr)

#: how rapidocr is constructed: only its bundled default models (any other model
#: choice downloads), no direction classifier, one ONNX thread (pages run in
#: parallel as processes), quiet; memory: ONNX Runtime's arena off (freed
#: tensors go back at once), the text detector at rapidocr's default scale
#: (a page's longest side 2000 pixels: at 1600 a degraded scan loses marks),
#: and one line at a time through the recognizer — a batch is padded to its
#: widest line, and one long thin box in a batch of six took 0.47 GB more
RAPID_PARAMS = {
    "Global.use_cls": False,
    "Global.log_level": "error",
    "Global.max_side_len": 2000,
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
    "Rec.rec_batch_num": 1,
}
#: lines at least this many times as wide as high measure the page's skew
SKEW_MIN_ASPECT = 8
#: a measured skew below this (degrees) is left alone
SKEW_MIN_DEG = 0.05

_RAPID = {}


@functools.lru_cache(maxsize=1)
def rapidocr_importable():
    """True when the ``clt[ocr]`` extra (rapidocr and onnxruntime) is installed."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))


def _rapid_models_bundled():
    """The bundled model files rapidocr would load (it downloads any that are missing)."""
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")
    root = os.path.join(os.path.dirname(spec.origin), "models")
    try:
        return [f for f in os.listdir(root) if f.endswith(".onnx")]
    except OSError:
        return []


def rapid_engine():
    """The process's rapidocr engine (built on first use, then kept)."""
    eng = _RAPID.get(os.getpid())
    if eng is not None:
        return eng
    if not rapidocr_importable():
        raise OcrUnavailable("the PP-OCR engine is not installed (pip install 'clt[ocr]')")
    if not _rapid_models_bundled():
        # never let rapidocr fetch models at run time
        raise OcrUnavailable("the rapidocr package has no bundled models (reinstall it: pip install 'clt[ocr]')")
    import logging as _logging

    try:
        from rapidocr import RapidOCR

        eng = RapidOCR(params=dict(RAPID_PARAMS))
    except Exception as e:  # a broken install (onnxruntime without its library...)
        raise OcrUnavailable(f"cannot start the PP-OCR engine: {type(e).__name__}: {e}") from None
    for name in ("RapidOCR", "rapidocr"):
        _logging.getLogger(name).setLevel(_logging.ERROR)
    _RAPID.clear()
    _RAPID[os.getpid()] = eng
    return eng


def resolve_engine(engine="auto", lang="chi_sim"):
    """``"rapidocr"`` or ``"tesseract"``: the engine that will read, or OcrUnavailable."""
    if engine not in OCR_ENGINES:
        from clt.errors import UsageError

        raise UsageError(f"unknown OCR engine {engine!r} (choose from {', '.join(OCR_ENGINES)})")
    if engine == "rapidocr":
        if not rapidocr_importable():
            raise OcrUnavailable("the PP-OCR engine is not installed (pip install 'clt[ocr]')")
        return "rapidocr"
    if engine == "tesseract":
        tesseract(lang)
        return "tesseract"
    if rapidocr_importable() and all(p in RAPID_LANGS for p in lang.split("+") if p):
        return "rapidocr"
    try:
        tesseract(lang)
    except OcrUnavailable as e:
        if shutil.which("tesseract"):
            raise
        raise OcrUnavailable(f"no OCR engine is installed: {INSTALL_HINT}") from e
    return "tesseract"


def _skew(quads):
    """The page's skew in radians (text running down to the right is positive), from its long lines."""
    import math

    angles = []
    for q in quads:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = q[:4]
        w = x1 - x0
        h = ((y3 - y0) + (y2 - y1)) / 2
        if w > 0 and h > 0 and w >= SKEW_MIN_ASPECT * h:
            angles.append((math.atan2(y1 - y0, w) + math.atan2(y2 - y3, x2 - x3)) / 2)
    if len(angles) < 3:
        return 0.0
    angles.sort()
    a = angles[len(angles) // 2]
    return a if abs(math.degrees(a)) >= SKEW_MIN_DEG else 0.0


def rapid_chars(out, dpi=DPI):
    """Chars (points) of a rapidocr result: one per character, on its line's band, skew taken out."""
    import math

    if out is None or getattr(out, "boxes", None) is None or getattr(out, "txts", None) is None:
        return []
    k = 72.0 / dpi
    quads = [[(float(x), float(y)) for x, y in b] for b in out.boxes.tolist()]
    a = _skew(quads)
    cos, sin = math.cos(a), math.sin(a)

    def level(x, y):
        return x * cos + y * sin, -x * sin + y * cos

    words = out.word_results if getattr(out, "word_results", None) else [None] * len(quads)
    scores = list(out.scores) if getattr(out, "scores", None) is not None else [None] * len(quads)
    lines = []
    for quad, text, score, word in zip(quads, out.txts, scores, words):
        if not text or not text.strip():
            continue
        pts = [level(x, y) for x, y in quad]
        # the line's band: its top and bottom edges, levelled
        top = (pts[0][1] + pts[1][1]) / 2
        bottom = (pts[3][1] + pts[2][1]) / 2
        if bottom <= top:
            top, bottom = min(p[1] for p in pts), max(p[1] for p in pts)
        size = max((bottom - top) * k, 1.0)
        line_x0, line_x1 = min(p[0] for p in pts), max(p[0] for p in pts)
        glyphs = []
        if word and len(word) == len(text.replace(" ", "")):
            for ch, conf, box in word:
                xs = [level(float(x), float(y))[0] for x, y in box]
                glyphs.append((ch, min(xs), max(xs), conf))
        else:  # no per-character boxes: share the line's width out evenly
            ink = text.replace(" ", "")
            step = (line_x1 - line_x0) / max(1, len(text))
            pos = [i for i, ch in enumerate(text) if ch != " "]
            for ch, i in zip(ink, pos):
                glyphs.append((ch, line_x0 + i * step, line_x0 + (i + 1) * step, score))
        line = []
        for ch, x0, x1, conf in glyphs:
            c = Char(ch, x0 * k, top * k, max(x1, x0 + 1) * k, bottom * k, size, "", False, True)
            c.conf = round(float(conf) * 100, 1) if conf is not None else None
            line.append(c)
        lines.append((line, _pitch_size(line)))
    # the type size: a line's CJK character pitch (a detected box is padded, by more
    # on a short line than on a long one); a line without enough CJK text to show a
    # pitch takes its box height at the page's ratio of pitch to box height
    ratios = sorted(p / line[0].size for line, p in lines if p and line)
    ratio = ratios[len(ratios) // 2] if ratios else 1.0
    chars = []
    for line, p in lines:
        size = p or (line[0].size * ratio if line else 1.0)
        for c in line:
            c.size = max(round(size, 1), 1.0)
        chars.extend(line)
    return chars


def _pitch_size(line):
    """Median distance (points) between the starts of neighbouring CJK characters, or None."""
    steps = [b.x0 - a.x0 for a, b in zip(line, line[1:]) if is_cjk(a.text) and is_cjk(b.text)]
    if len(steps) < 3:
        return None
    steps.sort()
    return steps[len(steps) // 2]


#: the longest side (pixels) rapidocr scales a page to for its text detector
DET_MAX_SIDE = RAPID_PARAMS["Global.max_side_len"]
#: PP-OCR's text detector holds the activations of its whole input at once (about
#: 0.5 GB for an A4 page at 300 dpi, scaled to DET_MAX_SIDE): a page is detected
#: in bands about this many pixels high (at the detector's scale), cut only
#: through blank rows between lines, at the scale of the whole page
BAND_PX = 560
#: a cut needs this many blank rows (pixels of the page) in a row; a row is blank
#: when at most BLANK_ROW_INK of its pixels are dark (a degraded scan's speckle)
BLANK_ROWS = 12
BLANK_ROW_INK = 0.002
#: ink fewer rows high than this is a speckle cluster, not a stroke
SPECK_ROWS = 4


def row_runs(gray, contrast=60):
    """The rows of a page image as runs ``[is_blank, start, length]``: a row is blank
    when at most :data:`BLANK_ROW_INK` of it is ink (*contrast* grey levels darker than
    the paper), and ink a few rows high (see :data:`SPECK_ROWS`) is a speckle cluster,
    counted as blank.

    Ink is counted only where three dark pixels stand side by side: a stroke
    at 300 dpi is wider than that, a scan's speckle is not."""
    import numpy as np

    h, w = gray.shape
    paper = float(np.median(gray[::8, ::8]))
    dark = gray < paper - contrast
    solid = dark[:, :-2] & dark[:, 1:-1] & dark[:, 2:]
    blank = (solid.sum(axis=1) <= max(2, BLANK_ROW_INK * w)).tolist()
    rows = []
    for y, b in enumerate(blank):
        if rows and rows[-1][0] == b:
            rows[-1][2] += 1
        else:
            rows.append([b, y, 1])
    merged = []
    for b, start, length in rows:
        b = b or length < SPECK_ROWS
        if merged and merged[-1][0] == b:
            merged[-1][2] += length
        else:
            merged.append([b, start, length])
    return merged


#: a page is blank when no ink this many grey levels darker than its paper stands
#: taller than a speckle (faint print is still ink: the bands of rapid_page want 60)
BLANK_CONTRAST = 30


def blank_page(gray):
    """True when a page image (grayscale array) holds no ink but speckle: it is not
    given to the engine (PP-OCR's detector took 0.9 GB to find nothing on a blank page)."""
    return all(b for b, _, _ in row_runs(gray, BLANK_CONTRAST))


def blank_cuts(gray, n):
    """Rows (pixels) where a page image may be cut into about *n* bands: the middle
    of runs of blank rows (no text line is ever cut, see :func:`row_runs`), nearest
    the even split."""
    h = gray.shape[0]
    merged = row_runs(gray)
    inks = sorted(r[2] for r in merged if not r[0])
    if not inks:
        return []
    line = inks[len(inks) // 2]
    runs = []
    for i in range(1, len(merged) - 1):
        b, start, length = merged[i]
        # a cut between two whole lines of text: a gap as tall as a line, or ink on
        # either side as tall as half a line at least (the gap inside 二 or 三 has a
        # thin stroke on each side)
        if b and length >= BLANK_ROWS and (length >= line or (merged[i - 1][2] >= 0.5 * line
                                                               and merged[i + 1][2] >= 0.5 * line)):
            runs.append(start + length // 2)
    cuts = []
    for i in range(1, n):
        want = i * h / n
        best = min(runs, key=lambda y: abs(y - want), default=None)
        if best is not None and abs(best - want) < 0.5 * h / n and (not cuts or best - cuts[-1] > 0.25 * h / n):
            cuts.append(best)
    return cuts


def rapid_page(eng, arr):
    """rapidocr's result for a page (RGB array), detected band by band (see :data:`BAND_PX`).
"""
    import numpy as np

    kw = dict(use_det=True, use_cls=False, use_rec=True, return_word_box=True)
    h, w = arr.shape[:2]
    r = min(1.0, DET_MAX_SIDE / max(h, w))
    n = int(h * r // BAND_PX)
    cuts = blank_cuts(arr[:, :, 0], n) if n >= 2 and h > w else []
    if not cuts:
        return eng(arr, **kw)
    det = eng._load_det_model()
    saved = (eng.max_side_len, det.limit_side_len)
    boxes, txts, scores, words = [], [], [], []
    try:
        # a band is as wide as the page: scaled like the page, never up
        eng.max_side_len = max(32, round(w * r))
        det.limit_side_len = 32
        edges = [0] + cuts + [h]
        for y0, y1 in zip(edges, edges[1:]):
            out = eng(np.ascontiguousarray(arr[y0:y1]), **kw)
            if getattr(out, "boxes", None) is None or getattr(out, "txts", None) is None:
                continue
            ws = out.word_results if getattr(out, "word_results", None) and \
                len(out.word_results) == len(out.txts) else [()] * len(out.txts)
            for quad, text, score, word in zip(out.boxes.tolist(), out.txts, out.scores, ws):
                boxes.append([[x, y + y0] for x, y in quad])
                txts.append(text)
                scores.append(score)
                words.append(tuple((ch, conf, [[x, y + y0] for x, y in box] if box is not None else None)
                                   for ch, conf, box in word))
    finally:
        eng.max_side_len, det.limit_side_len = saved
    return _Result(boxes, txts, scores, words)


class _Result:
    """rapidocr's page result put together from bands: boxes, txts, scores, word_results."""

    def __init__(self, boxes, txts, scores, words):
        import numpy as np

        self.boxes = np.array(boxes, dtype=float).reshape(-1, 4, 2)
        self.txts = tuple(txts)
        self.scores = tuple(scores)
        self.word_results = tuple(words)


def _rapid_read(img, dpi):
    """``(chars, end_marks)`` of a page image read by PP-OCR (see :func:`line_end_marks`)."""
    import numpy as np

    eng = rapid_engine()
    try:
        out = rapid_page(eng, np.asarray(img.convert("RGB")))
    except Exception as e:
        raise OcrUnavailable(f"PP-OCR failed: {type(e).__name__}: {e}") from None
    try:
        marks = line_end_marks(img, out, eng)
    except Exception:  # a second look that fails changes nothing
        marks = {}
    return rapid_chars(out, dpi), _marks_points(out, marks, dpi)


# --------------------------------------------------------------------------- lost line-end marks

#: marks that end a Chinese line of text: PP-OCR's text detector often draws a
#: line's box short of a 。 or ； standing alone after the last character (a
#: small ring with white space around it), and the mark is never read
END_MARKS = "。；，、：？！）”…"
#: a look past a line's last character: this many character pitches to the right
END_LOOK_EM = 1.2
#: ink there worth a second look: dark pixels at least this share of a pitch²
#: (a 。 at 300 dpi is ~150 dark pixels in a 66-pixel cell, 3.5%; scan speckle
#: a few pixels)
END_INK_SHARE = 0.012
#: the re-read mark is kept as evidence at this confidence or more (0–1)
END_MIN_CONF = 0.9


def _quad_line(quad):
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


def line_end_marks(img, out, eng):
    """Marks PP-OCR's detector left outside a line's box: ``{line index: (mark, conf, (x0, y0, x1, y1))}``
    (pixels of *img*).

    For each detected line ending in a character that is not punctuation,
    the cell after its last character is looked at: when it holds ink (see
    :data:`END_INK_SHARE`) and no other detected box, the line is read again
    by the recognizer alone on its box widened over that cell.  When the
    second reading repeats the line's last characters and adds one mark of
    :data:`END_MARKS` with confidence :data:`END_MIN_CONF` or more, that mark
    is the evidence — the box is the ink's.  Nothing here changes the text:
    extract reports the evidence as the line's ``end_mark`` and normalize's
    ``ocr-end-mark`` rule writes it.
    """
    import numpy as np

    if out is None or getattr(out, "boxes", None) is None or getattr(out, "txts", None) is None:
        return {}
    words = out.word_results if getattr(out, "word_results", None) else None
    if not words or len(words) != len(out.txts):
        return {}
    gray = np.asarray(img.convert("L"))
    H, W = gray.shape
    paper = float(np.median(gray[::8, ::8]))
    quads = [[(float(x), float(y)) for x, y in b] for b in out.boxes.tolist()]
    rects = [_quad_line(q) for q in quads]
    found = {}
    for i, (text, word, rect) in enumerate(zip(out.txts, words, rects)):
        ink_text = (text or "").rstrip()
        if not ink_text or ink_text[-1] in END_MARKS or not word:
            continue
        last = ink_text[-1]
        if not (is_cjk(last) or last.isalnum()):
            continue
        boxes = [b for _, _, b in word if b is not None]
        if len(boxes) < 2:
            continue
        lefts = sorted(min(p[0] for p in b) for b in boxes)
        steps = sorted(b - a for a, b in zip(lefts, lefts[1:]) if b > a)
        x0, y0, x1, y1 = rect
        h = y1 - y0
        pitch = steps[len(steps) // 2] if steps else h
        pitch = max(pitch, 0.6 * h)
        end = max(max(p[0] for p in b) for b in boxes[-1:])
        end = max(end, x1)
        lo, hi = int(end + 1), int(min(W, end + END_LOOK_EM * pitch))
        for j, (a0, b0, a1, b1) in enumerate(rects):  # another box on the band stops the look
            if j != i and a0 >= end - 2 and min(b1, y1) - max(b0, y0) > 0.3 * h:
                hi = min(hi, int(a0) - 1)
        top, bottom = int(max(0, y0)), int(min(H, y1 + 1))
        if hi - lo < 0.3 * pitch or bottom <= top:
            continue
        cell = gray[top:bottom, lo:hi]
        ink_level = float(np.percentile(gray[top:bottom, int(max(0, x0)):int(min(W, end))], 2))
        if paper - ink_level < 40:
            continue
        dark = cell < (paper + ink_level) / 2
        n = int(dark.sum())
        if n < END_INK_SHARE * pitch * pitch:
            continue
        ys, xs = np.nonzero(dark)
        pad = int(0.15 * h) + 2
        crop = img.crop((int(max(0, x0 - pad)), int(max(0, y0 - pad)), int(min(W, lo + xs.max() + 1 + pad)),
                         int(min(H, y1 + pad)))).convert("RGB")
        try:
            again = eng(np.asarray(crop), use_det=False, use_cls=False, use_rec=True, return_word_box=True)
        except Exception:
            continue
        finally:
            eng.update_params(use_det=True)
        txts = getattr(again, "txts", None)
        if not txts:
            continue
        got = txts[0].rstrip()
        if len(got) < 2 or got[-1] not in END_MARKS:
            continue
        tail = ink_text[-2:] if len(ink_text) >= 2 else ink_text
        if not got[:-1].endswith(tail):
            continue
        conf = None
        info = again.word_results[0] if getattr(again, "word_results", None) else None
        if info is not None and getattr(info, "confs", None) and getattr(info, "words", None):
            flat = [w for ws in info.words for w in ws]
            if flat and flat[-1] == got[-1] and len(info.confs) >= 1:
                conf = float(info.confs[-1])
        if conf is None:
            conf = float(again.scores[0]) if getattr(again, "scores", None) else 0.0
        if conf < END_MIN_CONF:
            continue
        found[i] = (got[-1], conf, (lo + int(xs.min()), top + int(ys.min()), lo + int(xs.max()) + 1,
                                    top + int(ys.max()) + 1))
    return found


def _marks_points(out, marks, dpi):
    """The evidence of :func:`line_end_marks` in points, skew taken out as :func:`rapid_chars` does."""
    import math

    if not marks:
        return []
    k = 72.0 / dpi
    quads = [[(float(x), float(y)) for x, y in b] for b in out.boxes.tolist()]
    a = _skew(quads)
    cos, sin = math.cos(a), math.sin(a)
    res = []
    for i, (mark, conf, (x0, y0, x1, y1)) in sorted(marks.items()):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        lx, ly = cx * cos + cy * sin, -cx * sin + cy * cos
        res.append({"text": mark, "conf": round(conf * 100, 1),
                    "x0": (lx - (x1 - x0) / 2) * k, "x1": (lx + (x1 - x0) / 2) * k, "y": ly * k})
    return res


def attach_end_marks(lines, marks):
    """Give each line the evidence of a mark found just after its last character (``end_mark``)."""
    for m in marks:
        best = None
        for rec in lines:
            bb = rec.get("bbox")
            if not bb or rec.get("rotated"):
                continue
            if bb[1] - 2 <= m["y"] <= bb[3] + 2 and -2 <= m["x0"] - bb[2] <= 1.5 * (rec.get("size") or 10):
                if best is None or abs(m["x0"] - bb[2]) < abs(m["x0"] - best["bbox"][2]):
                    best = rec
        if best is not None and best["text"][-1:] not in END_MARKS:
            best["end_mark"] = {"text": m["text"], "conf": m["conf"],
                                "box": [round(m["x0"], 1), round(m["x1"], 1)]}
    return lines


# --------------------------------------------------------------------------- either engine

def read_page(img, dpi, engine, lang="chi_sim"):
    """``(chars, end_marks)`` of a grayscale page image at *dpi*, read by *engine* (already resolved)."""
    import numpy as np

    if blank_page(np.asarray(img.convert("L"))):
        return [], []
    if engine == "rapidocr":
        return _rapid_read(img, dpi)
    small, k = prepare(img)
    return tsv_chars(ocr_png(png_bytes(small), lang), dpi * k), []


def read_chars(img, dpi, engine, lang="chi_sim"):
    """Chars (points) of a grayscale page image at *dpi*, read by *engine* (already resolved)."""
    return read_page(img, dpi, engine, lang)[0]


#: a page read with less than this mean confidence (0-100, over its characters) may be
#: upside down: it is read turned half a turn too, and the better reading kept (upright
#: bulletin pages read at 90-99 by both engines; upside down at 16 by Tesseract, 60 by PP-OCR)
UPSIDE_DOWN_CONF = {"rapidocr": 80.0, "tesseract": 60.0}
#: ... and the turned reading is kept when it holds this many times the confident characters
UPSIDE_DOWN_GAIN = 1.5


def _confident(chars):
    """Characters of *chars* weighted by their confidence (0-1): how much of a page was read."""
    return sum(len(c.text) * (c.conf if c.conf is not None else 50.0) / 100.0 for c in chars)


def _mean_conf(chars):
    n = sum(len(c.text) for c in chars)
    return 100.0 * _confident(chars) / n if n else None


def ocr_page(img, dpi, name, pageno, engine, lang="chi_sim", prep=True):
    """``(lines, info)``: the ``line`` records of one page image read by *engine*
    (resolved), each marked with it, and what was done to the image first
    (:func:`clt.extract.scan.prepare_page`; ``turned``, ``deskew``, ``edges``,
    ``holes``: empty when nothing was).  A page the engine reads with little
    confidence (see :data:`UPSIDE_DOWN_CONF`) is read again turned half a turn,
    and kept so when that reading is clearly better (``turned`` 180, or 270 after
    a quarter turn).  The lines' coordinates are those of the prepared image; a
    turned page's width and height are *info*'s ``width`` and ``height`` (points)."""
    import numpy as np

    info = {}
    if blank_page(np.asarray(img.convert("L"))):
        return [], info
    if prep:
        from clt.extract.scan import prepare_page

        img, info = prepare_page(img, dpi, vertical_text=any(p.endswith("_vert") for p in lang.split("+")))
    chars, marks = read_page(img, dpi, engine, lang)
    mean = _mean_conf(chars)
    if prep and mean is not None and mean < UPSIDE_DOWN_CONF.get(engine, 60.0) \
            and sum(len(c.text) for c in chars) >= 5:
        from PIL import Image

        turned = img.transpose(Image.ROTATE_180)
        chars2, marks2 = read_page(turned, dpi, engine, lang)
        if _confident(chars2) > UPSIDE_DOWN_GAIN * _confident(chars):
            img, chars, marks = turned, chars2, marks2
            info["turned"] = (info.get("turned", 0) + 180) % 360
    if info.get("turned") in (90, 270):
        info["width"] = round(img.size[0] * 72.0 / dpi, 2)
        info["height"] = round(img.size[1] * 72.0 / dpi, 2)
    return _lines_of(chars, marks, name, pageno, img.size[0] * 72.0 / dpi, engine), info


def _lines_of(chars, marks, name, pageno, page_width, engine):
    lines = build_lines(chars, name, pageno, page_width=page_width, ocr=True, char_boxes=engine == "rapidocr")
    attach_end_marks(lines, marks)
    for rec in lines:
        rec["ocr_engine"] = engine
    return lines


def ocr_lines(img, dpi, name, pageno, page_width, engine, lang="chi_sim"):
    """``line`` records of one page image read by *engine* (resolved), each marked with it
    (the image as it is: no preparation, see :func:`ocr_page`)."""
    chars, marks = read_page(img, dpi, engine, lang)
    return _lines_of(chars, marks, name, pageno, page_width, engine)


def note_prep(page, info):
    """Put what :func:`ocr_page` did to the image on the *page* record: ``turned``, a turned
    page's ``width`` and ``height``, and ``ocr_prep`` (all of *info* but the page size)."""
    if page is None or not info:
        return
    if info.get("turned"):
        page["turned"] = info["turned"]
    if "width" in info:
        page["width"], page["height"] = info["width"], info["height"]
    prep = {k: v for k, v in info.items() if k not in ("width", "height")}
    if prep:
        page["ocr_prep"] = prep


def render_page_bounded(data, pageno, password=None, dpi=DPI):
    """``(image, dpi, note)``: :func:`render_page` within the raster limits of
    :func:`clt.extract.bounded.ocr_dpi` (a page too large for *dpi* is rendered
    at a lower one, which *note* says); :class:`OcrOverLimit` when it cannot be."""
    from clt.extract.bounded import RasterOverLimit, ocr_dpi

    try:
        import pypdfium2 as pdfium
    except ImportError:
        return render_page(data, pageno, password, dpi), dpi, None
    pdf = pdfium.PdfDocument(data, password=password)
    try:
        page = pdf[pageno - 1]
        try:
            dpi, note = ocr_dpi(page, dpi)
        except RasterOverLimit as e:
            raise OcrOverLimit(str(e)) from None
        img = page.render(scale=dpi / 72.0, grayscale=True).to_pil()
        page.close()
        return img.convert("L"), dpi, note
    finally:
        pdf.close()


def ocr_pdf_page(doc, pageno, width, height, lang="chi_sim", data=None, dpi=DPI, engine="auto", warnings=None,
                 page=None):
    """``line`` records (``ocr: true``) of one PDF page read by OCR.

    The page is rendered within the limits of :func:`render_page_bounded`: a
    ``warning`` (code ``ocr-downscaled``) goes to *warnings* (a list) when it was
    read at a lower resolution; :class:`OcrOverLimit` when it cannot be read.
    With the page's record *page*, the whole page is read as a scan: prepared
    (:func:`ocr_page`) and what was done noted on *page* (:func:`note_prep`);
    without it the page is read as it is (lines of a text-layer page re-read)."""
    engine = resolve_engine(engine, lang)  # fail early, before rendering, when none can run
    img, dpi, note = render_page_bounded(data if data is not None else doc.data, pageno,
                                         getattr(doc, "password", None), dpi)
    if note and warnings is not None:
        warnings.append(record("warning", stage="extract", source=doc.name, page=pageno, code="ocr-downscaled",
                               message=f"page {pageno}: {note}"))
    if page is None:
        return ocr_lines(img, dpi, doc.name, pageno, width, engine, lang)
    lines, info = ocr_page(img, dpi, doc.name, pageno, engine, lang)
    note_prep(page, info)
    return lines


#: bits per pixel of PIL's image modes (what a frame decodes to before it is made grey)
_MODE_BITS = {"1": 1, "L": 8, "P": 8, "LA": 16, "La": 16, "PA": 16, "RGB": 24, "YCbCr": 24, "LAB": 24, "HSV": 24,
              "RGBA": 32, "RGBa": 32, "RGBX": 32, "CMYK": 32, "I": 32, "F": 32, "I;16": 16, "I;16B": 16,
              "I;16L": 16, "I;16N": 16}
#: a scanned image may hold at most this many million pixels (an A3 page scanned at 600 dpi
#: holds 70); more is refused before it is decoded, like a larger one in a PDF
MAX_IMAGE_MPX = 72


def image_limits(size, mode, dpi):
    """``(dpi, note)`` for OCR of an image frame of *size* pixels in *mode* at *dpi*: the
    limits of :func:`clt.extract.bounded.ocr_dpi` for an image given as a file (a frame
    that decodes to more than MAX_OCR_IMAGE_MB or holds more than :data:`MAX_IMAGE_MPX`
    million pixels is refused; one larger than MAX_OCR_RASTER_MPX is read scaled down,
    which *note* says).  Raises :class:`OcrOverLimit`; nothing is decoded."""
    from clt.extract.bounded import MAX_OCR_IMAGE_MB, MAX_OCR_RASTER_MPX, MIN_OCR_DPI

    w, h = size
    bits = _MODE_BITS.get(mode, 32)
    mb = w * h * bits / 8 / 2 ** 20
    if mb > MAX_OCR_IMAGE_MB or w * h > MAX_IMAGE_MPX * 1e6:
        raise OcrOverLimit(f"the image is {w} x {h} pixels of {bits} bit{'s' if bits != 1 else ''}, {mb:,.0f} MB "
                           f"decoded (an image to OCR may hold {MAX_IMAGE_MPX} million pixels and take "
                           f"{MAX_OCR_IMAGE_MB} MB)")
    px = w * h
    if px <= MAX_OCR_RASTER_MPX * 1e6:
        return dpi, None
    k = (MAX_OCR_RASTER_MPX * 1e6 / px) ** 0.5
    if dpi * k < MIN_OCR_DPI:
        raise OcrOverLimit(f"the image is {w} x {h} pixels at {dpi:g} dpi: read at {MIN_OCR_DPI} dpi it would "
                           f"exceed {MAX_OCR_RASTER_MPX} million pixels")
    return dpi * k, (f"the image is {w} x {h} pixels: OCR read it at {dpi * k:.0f} dpi, not {dpi:g} "
                     f"({MAX_OCR_RASTER_MPX} million pixels at most)")


def _frame_dpi(frame, img):
    dpi = frame.info.get("dpi") or img.info.get("dpi") or (DPI, DPI)
    try:
        return float(dpi[0]) if float(dpi[0]) >= 50 else DPI
    except (TypeError, ValueError, IndexError):
        return DPI


def extract_image(data, name, lang="chi_sim", engine="auto"):
    """Records of a scanned image (PNG, JPEG, TIFF...; each frame a page), read by OCR.

    The image's own resolution (its dpi, 300 when it does not say) gives the
    page size in points; without an OCR engine nothing can be read: an error.
    Frames are decoded one at a time, each only after its size is checked
    (:func:`image_limits`): a frame over the limits is a page with an
    ``ocr-over-limit`` warning, a large one is read scaled down (``ocr-downscaled``).
    Each page is prepared like a PDF page read by OCR (:func:`ocr_page`).
    """
    import warnings as _warnings

    from PIL import Image, UnidentifiedImageError

    try:
        engine = resolve_engine(engine, lang)
    except OcrUnavailable as e:
        raise ExtractError(f"a scanned image needs OCR: {e}", source=name) from None
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limits apply
        try:
            img = Image.open(io.BytesIO(data))
            n_frames = getattr(img, "n_frames", 1)
        except Image.DecompressionBombError as e:
            yield source_record(name, "image", pages=1)
            yield record("page", source=name, page=1, ocr=True)
            yield record("warning", stage="extract", source=name, page=1, code=OcrOverLimit.code,
                         message=f"page 1 was not OCR'd: {e}")
            return
        except (UnidentifiedImageError, OSError, ValueError) as e:
            raise ExtractError(f"not a readable image: {e}", source=name) from None
        yield source_record(name, "image", pages=n_frames)
        for n in range(1, n_frames + 1):
            try:
                if n > 1:
                    img.seek(n - 1)
                frame = img
                dpi = _frame_dpi(frame, img)
                size, mode = frame.size, frame.mode
            except (OSError, ValueError, EOFError) as e:
                raise ExtractError(f"not a readable image: {e}", source=name, page=n) from None
            page = record("page", source=name, page=n, width=round(size[0] * 72.0 / dpi, 2),
                          height=round(size[1] * 72.0 / dpi, 2), ocr=True)
            try:
                read_dpi, note = image_limits(size, mode, dpi)
            except OcrOverLimit as e:
                yield page
                yield record("warning", stage="extract", source=name, page=n, code=e.code,
                             message=f"page {n} was not OCR'd: {e}")
                continue
            try:
                gray = frame.convert("L")
            except (OSError, ValueError, Image.DecompressionBombError) as e:
                raise ExtractError(f"not a readable image: {e}", source=name, page=n) from None
            if note:
                k = read_dpi / dpi
                gray = gray.resize((max(1, round(size[0] * k)), max(1, round(size[1] * k))), Image.LANCZOS)
            try:
                lines, info = ocr_page(gray, read_dpi, name, n, engine, lang)
            except OcrUnavailable as e:
                raise ExtractError(str(e), source=name, page=n) from None
            del gray
            note_prep(page, info)
            yield page
            if note:
                yield record("warning", stage="extract", source=name, page=n, code="ocr-downscaled",
                             message=f"page {n}: {note}")
            yield from lines
