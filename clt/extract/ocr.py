"""OCR of PDF pages that have no usable text layer, with Tesseract.

The page is rasterised at 300 dpi (pypdfium2; ``pdftoppm`` as a fallback),
scaled down when its text is larger than Tesseract reads best (see
:data:`TARGET_INK_PX`), piped to ``tesseract stdin stdout -l LANG --psm 6 tsv`` and the word boxes
are turned into :class:`~clt.extract.layout.Char` objects (pixels -> points),
grouped by Tesseract's own line numbers, and laid out by
:func:`clt.extract.layout.build_lines` — so OCR lines get the same fields
as text-layer lines (bbox, size = line height) plus ``ocr: true`` and
``conf`` (Tesseract's mean word confidence, 0–100), and the
spaces Tesseract puts between CJK characters are dropped by the same
spacing rules.

Tesseract is a system tool: when it (or the language data) is missing,
:class:`OcrUnavailable` says which Debian package to install.
"""

import functools
import io
import os
import shutil
import subprocess

from clt.errors import ExtractError
from clt.extract.layout import Char, build_lines
from clt.records import record, source_record

DPI = 300
PSM = "6"
TIMEOUT = 600


class OcrUnavailable(Exception):
    """Tesseract, its language data or a rasteriser is missing."""


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


def ocr_pdf_page(doc, pageno, width, height, lang="chi_sim", data=None, dpi=DPI):
    """``line`` records (``ocr: true``) of one PDF page read by Tesseract."""
    tesseract(lang)  # fail early, before rendering, when it is missing
    img = render_page(data if data is not None else doc.data, pageno, getattr(doc, "password", None), dpi)
    img, k = prepare(img)
    chars = tsv_chars(ocr_png(png_bytes(img), lang), dpi * k)
    return build_lines(chars, doc.name, pageno, page_width=width, ocr=True)


def extract_image(data, name, lang="chi_sim"):
    """Records of a scanned image (PNG, JPEG, TIFF...; each frame a page), read by Tesseract.

    The image's own resolution (its dpi, 300 when it does not say) gives the
    page size in points; without Tesseract nothing can be read: an error.
    """
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        tesseract(lang)
    except OcrUnavailable as e:
        raise ExtractError(f"a scanned image needs OCR: {e}", source=name) from None
    try:
        img = Image.open(io.BytesIO(data))
        frames = [f.copy() for f in ImageSequence.Iterator(img)] if getattr(img, "n_frames", 1) > 1 else [img]
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise ExtractError(f"not a readable image: {e}", source=name) from None
    yield source_record(name, "image", pages=len(frames))
    for n, frame in enumerate(frames, 1):
        dpi = frame.info.get("dpi") or img.info.get("dpi") or (DPI, DPI)
        try:
            dpi = float(dpi[0]) if float(dpi[0]) >= 50 else DPI
        except (TypeError, ValueError, IndexError):
            dpi = DPI
        gray = frame.convert("L")
        width, height = gray.size[0] * 72.0 / dpi, gray.size[1] * 72.0 / dpi
        yield record("page", source=name, page=n, width=round(width, 2), height=round(height, 2), ocr=True)
        small, k = prepare(gray)
        try:
            chars = tsv_chars(ocr_png(png_bytes(small), lang), dpi * k)
        except OcrUnavailable as e:
            raise ExtractError(str(e), source=name, page=n) from None
        yield from build_lines(chars, name, n, page_width=width, ocr=True)
