"""PDF -> ``source``/``page``/``line`` records, whatever the engine.

An engine (:mod:`clt.extract.pdf_miner`, :mod:`clt.extract.pdf_pdfium`)
opens the document and hands over each page's glyphs; this module chooses
the pages, decides which pages need OCR, builds lines with
:mod:`clt.extract.layout` and, with ``jobs > 1``, spreads pages over worker
processes while keeping the output in page order.  One page (per worker) is
held in memory at a time.
"""

import logging
import os
import re
from operator import attrgetter

from clt.errors import CltError, ExtractError, UsageError
from clt.extract.bounded import (MAX_PAGE_MB, MAX_PAGE_SECONDS, Overrun, bounded_pages, can_fork, ocr_budget,
                                 time_limit)
from clt.extract.layout import build_lines, is_cjk, text_direction, turn
from clt.records import record, source_record
from clt import recache

log = logging.getLogger("clt.extract")

ENGINES = ("pdfminer", "pdfium")
OCR_MODES = ("auto", "always", "never")
#: OCR engines (:mod:`clt.extract.ocr`; named here so that naming them does not load it)
OCR_ENGINES = ("auto", "rapidocr", "tesseract")
#: a page whose glyphs are mostly unmapped (cid:N) has no usable text layer
CID_FRACTION = 0.3
#: a page where this share of the glyphs (and at least GARBLED_MIN) decode to characters
#: Chinese text never holds has a broken text layer (see :func:`garbled_glyphs`)
GARBLED_FRACTION = 0.05
GARBLED_MIN = 5
#: ... or this share of them decode to characters no text holds (controls, private use)
GARBLED_HARD_FRACTION = 0.01
#: Latin-1 signs that do occur in Chinese legal text (degrees, multiplication...)
_LATIN1_OK = frozenset("·×÷°±§©®µ¶¹²³¼½¾")
#: a page mostly covered by one image (a scan) with fewer characters than this is OCR'd
SCAN_COVERAGE = 0.5
SCAN_MAX_CHARS = 40
#: a page without any text that draws this many path segments (PDFium) or
#: points (pdfminer) prints its text as outlines ("text converted to curves" by
#: print shops and some PDF writers): only OCR reads it.  A rule, a table's
#: borders or a seal stay far below it; one CJK glyph in outline takes 20–100.
VECTOR_TEXT_SEGMENTS = 1500
#: a page with this many unmapped glyphs (but a usable text layer) has their lines
#: re-read by OCR; one stray symbol is not worth OCRing a page for
PARTIAL_OCR_MIN = 2
#: a page with at least this many ideographs, fewer than this share of them in the
#: national (GB2312) or Big5 character sets, has a text layer that lies: its font maps
#: glyphs to the wrong code points (see :func:`implausible_ideographs`)
IDEO_MIN = 40
IDEO_PLAUSIBLE = 0.85
#: a text layer whose digits came out as ASCII punctuation (an e-book maker's subset font
#: numbering its glyphs from 0x21: （!"#$%年 &月 for （1985年4月): signs where a number must
#: stand — before 年 月 日 号, between 第 and 条 章 节 编 款 项
LYING_DIGITS_RE = recache.compile(r"(?<![0-9A-Za-z])(?P<a>[!-/:-@\[-`{-~]{1,5}) ?[年月日号]"
                             r"|第 ?(?P<b>[!-/:-@\[-`{-~]{1,5}) ?[条章节编款项]")
#: of those signs, the ones no number is printed with ((2019), 1-3, 1.5, 1/3 are)
_LYING_SIGNS = frozenset('!"#$%&\'*+<=>?@[\\]^`{|}~')
#: warning code of a page that could not be read (the run goes on, the exit status says so)
PAGE_UNREADABLE = "page-unreadable"
#: a Char's text (``map(_TEXT, chars)``: a C-level loop)
_TEXT = attrgetter("text")


def open_document(data, name, engine="pdfminer", password=None):
    if engine == "pdfminer":
        from clt.extract.pdf_miner import MinerDocument

        return MinerDocument(data, name, password)
    if engine == "pdfium":
        from clt.extract.pdf_pdfium import PdfiumDocument

        return PdfiumDocument(data, name, password)
    raise UsageError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")


# --------------------------------------------------------------------------- page ranges

def parse_pages(spec):
    """``"3-7,9,12-"`` -> list of ``(first, last)`` (last None = to the end); None for all."""
    if spec is None or spec == "" or spec == "all":
        return None
    if isinstance(spec, (list, tuple, set)):
        return [(int(p), int(p)) for p in spec]
    ranges = []
    for part in str(spec).replace(" ", "").split(","):
        if not part:
            continue
        try:
            if "-" in part:
                a, b = part.split("-", 1)
                first = int(a) if a else 1
                last = int(b) if b else None
            else:
                first = last = int(part)
        except ValueError:
            raise UsageError(f"bad page range {part!r} (use e.g. 3-7,9,12-)") from None
        if first < 1 or (last is not None and last < first):
            raise UsageError(f"bad page range {part!r} (pages count from 1, first <= last)")
        ranges.append((first, last))
    return ranges or None


def select_pages(ranges, npages, name):
    """Page numbers (sorted, unique) of *ranges* in a document of *npages* pages."""
    if ranges is None:
        return list(range(1, npages + 1))
    out = set()
    for first, last in ranges:
        end = npages if last is None else last
        if first > npages or end > npages:
            shown = f"{first}-{'' if last is None else last}" if last != first else str(first)
            raise ExtractError(f"page range {shown} is beyond the document ({npages} pages)", source=name)
        out.update(range(first, end + 1))
    return sorted(out)


# --------------------------------------------------------------------------- pages

def implausible(ch):
    """2 for a character no text holds (control, private use, the odd Windows-1252 signs
    ``† ‡ ‰ ˆ ˜ ƒ``), 1 for a Latin letter with a diacritic, 0 otherwise.

    This is what a glyph's code comes out as when a PDF writer dropped or
    garbled the ToUnicode map (subset glyph ids read as WinAnsi bytes, CJK
    code points cut to one byte).  Accented letters are real in Latin-script
    text (a Portuguese or French annex): they count only next to a CJK glyph.
    """
    o = ord(ch)
    if o < 0x20 or 0x7F <= o < 0xA0:
        return 0 if ch in "\t\n\r" else 2
    if 0xE000 <= o <= 0xF8FF or o in (0x2020, 0x2021, 0x2030, 0x02C6, 0x02DC, 0x0192):
        return 2
    if 0xA0 < o <= 0xFF:
        return 0 if ch in _LATIN1_OK else 1
    return 1 if 0x100 <= o <= 0x24F else 0


def _suspect_pattern():
    """A regex matching exactly the characters :func:`implausible` objects to.

    Built from :func:`implausible` itself (so the two cannot drift apart): the
    signs of :data:`_LATIN1_OK` (a middle dot on every page of a bulletin) do
    not send a clean page down the slow path.
    """
    codes = [o for o in list(range(0x250)) + [0x02C6, 0x02DC, 0x2020, 0x2021, 0x2030] if implausible(chr(o))]
    parts, start, prev = [], None, None
    for o in codes + [None]:
        if start is not None and o == prev + 1:
            prev = o
            continue
        if start is not None:
            parts.append(re.escape(chr(start)) if start == prev else
                         re.escape(chr(start)) + "-" + re.escape(chr(prev)))
        start = prev = o
    return recache.compile("[" + "".join(parts) + "\ue000-\uf8ff]")


#: any character :func:`implausible` may object to (a quick test for the common clean page)
_SUSPECT = _suspect_pattern()


def garbled_glyphs(chars):
    """``(bad, hard, ink)``: glyphs decoding to implausible characters, those of them no
    text holds at all, and all printed glyphs (unmapped ``(cid:N)`` ones aside).

    A glyph is bad when its character is one no text holds, or an accented
    Latin letter drawn right next to a CJK glyph (``济南^钢结构建筑à用``).
    """
    ink = [c for c in chars if c.text.strip() and not c.text.startswith("(cid:")]
    if not _SUSPECT.search("".join(c.text for c in ink)):
        return 0, 0, len(ink)
    # where many glyphs have no Unicode map at all, the maps of the others are
    # suspect too: every accented letter counts
    unmapped = sum(1 for c in chars if c.text.startswith("(cid:") or c.text == "\ufffd")
    broken = unmapped >= GARBLED_FRACTION * max(1, len(ink))
    bad = hard = 0
    for i, c in enumerate(ink):
        kind = max((implausible(ch) for ch in c.text), default=0)
        if kind == 2:
            bad += 1
            hard += 1
        elif kind == 1:
            prev = ink[i - 1].text[-1] if i else ""
            nxt = ink[i + 1].text[0] if i + 1 < len(ink) else ""
            if broken or is_cjk(prev) or is_cjk(nxt):
                bad += 1
    return bad, hard, len(ink)


def text_layer_garbled(chars, garbled=None):
    """True when the text layer decodes to characters no Chinese text holds (a broken ToUnicode map).

    Such a page reads as a mix of the right characters and ``^ à ÿ ï`` in
    their place (or as Latin-1 junk throughout); only OCR gets its text back.
    *garbled* is :func:`garbled_glyphs` of *chars* when already counted.
    """
    bad, hard, ink = garbled if garbled is not None else garbled_glyphs(chars)
    return bad >= GARBLED_MIN and (bad >= GARBLED_FRACTION * ink or hard >= GARBLED_HARD_FRACTION * ink)


_PLAUSIBLE_IDEOS = None


def _plausible_ideographs():
    """Every ideograph of GB2312 or Big5: what Chinese text of either script is written in
    (legal text in simplified script nearly never leaves GB2312)."""
    global _PLAUSIBLE_IDEOS
    if _PLAUSIBLE_IDEOS is None:
        ok = set()
        for enc, leads, trails in (("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF)),
                                   ("big5", range(0xA4, 0xFA), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))):
            for lead in leads:
                for trail in trails:
                    try:
                        ok.add(bytes((lead, trail)).decode(enc))
                    except UnicodeDecodeError:
                        pass
        _PLAUSIBLE_IDEOS = frozenset(ch for ch in ok if "\u4e00" <= ch <= "\u9fff")
    return _PLAUSIBLE_IDEOS


#: ideographs, and the Yi and Hangul syllables GBK bytes read as UCS-2 turn into
_IDEO_RE = recache.compile("[\u3400-\u9fff\ua000-\ua4cf\uac00-\ud7a3\U00020000-\U0003134f]")


def implausible_ideographs(chars, text=None):
    """``(odd, ideographs)``: of the page's ideographs (and the Yi and Hangul syllables
    that GBK bytes read as UCS-2 turn into), how many are in neither GB2312 nor Big5.

    A font that maps its glyphs to the wrong code points gives real but random
    ideographs (``丒丛丠``): about a third of them are in GB2312, while a page of
    Chinese law has nearly all of its characters there (Big5 for traditional script).
    """
    ideos = _IDEO_RE.findall("".join([c.text for c in chars]) if text is None else text)
    if len(ideos) < IDEO_MIN:
        return 0, len(ideos)
    odd = set(ideos).difference(_plausible_ideographs())  # the distinct ones: a page repeats its characters
    if not odd:
        return 0, len(ideos)  # the common page: every one plausible, without a test per ideograph
    return sum(map(odd.__contains__, ideos)), len(ideos)


def text_layer_lies(chars, text=None):
    """True when the page's ideographs are implausible as Chinese text (:func:`implausible_ideographs`;
    *text*: the glyphs' text joined, when already at hand)."""
    odd, n = implausible_ideographs(chars, text)
    return n >= IDEO_MIN and odd > (1 - IDEO_PLAUSIBLE) * n


def text_layer_usable(chars, garbled=None):
    """False when a page has no printable glyph, mostly unmapped ``(cid:N)`` ones, or garbled ones.

    *garbled* is :func:`garbled_glyphs` of *chars* when already counted (it
    is the same for *chars* and for their printed glyphs alone).
    """
    ink = [c for c in chars if c.text.strip()]
    if not ink:
        return False
    cid = sum(1 for c in ink if c.text.startswith("(cid:"))
    bad = cid + sum(1 for c in ink if c.text == "\ufffd")
    return bad < CID_FRACTION * len(ink) and not text_layer_garbled(ink, garbled)


def _plain_facts(chars):
    """``(garbled, usable, ink, text)`` of a page whose glyphs hold one character each and
    nothing :func:`garbled_glyphs` looks twice at — :func:`garbled_glyphs`,
    :func:`text_layer_usable`, the count of printed glyphs and their text joined — or
    None for any other page (which the functions themselves then judge)."""
    texts = list(map(_TEXT, chars))
    if not set(map(len, texts)) <= {1}:
        return None
    text = "".join(texts)
    if _SUSPECT.search(text):
        return None
    # a glyph of one character is printed unless it is white space (str.strip()); str.split()
    # splits at the same white space, so what it leaves is the printed glyphs
    ink = len("".join(text.split()))
    garbled = (0, 0, ink)  # nothing suspect; no (cid:N) glyph is one character long
    usable = bool(ink) and text.count("\ufffd") < CID_FRACTION * ink and not text_layer_garbled(None, garbled)
    return garbled, usable, ink, text


def page_records(doc, pageno, ocr="auto", lang="chi_sim", data=None, ocr_engine="auto"):
    """Records (``page`` first, then ``line``/``warning``) of one page.

    A page whose content cannot be parsed (a damaged stream in an otherwise
    readable PDF) gives its ``page`` record and a ``warning`` with code
    ``page-unreadable``; the other pages are still read.
    """
    damaged = 0
    try:
        width, height, chars = doc.page(pageno)
        damaged = getattr(doc, "damaged", 0)
        if not chars and hasattr(doc, "second_opinion") and not doc.image_coverage(pageno):
            # PDFium reads a page it cannot parse as an empty one, without a word:
            # pdfminer tells a blank page from a damaged one (and may read it)
            second = doc.second_opinion()
            if second is None:
                raise ExtractError("no text found, and the file is damaged (pdfminer cannot parse it): "
                                   "the page may have lost its text", source=doc.name, page=pageno)
            if pageno <= second.npages:
                _, _, chars = second.page(pageno)
                damaged = getattr(second, "damaged", 0)
        elif hasattr(doc, "second_opinion") and "\ufffd" in map(_TEXT, chars) and \
                not text_layer_usable(chars):
            # PDFium rejects some ToUnicode maps pdfminer reads (one identity range over
            # all codes, as Tesseract and OCRmyPDF write for their text layer)
            second = doc.second_opinion()
            if second is not None and pageno <= second.npages:
                try:
                    _, _, other = second.page(pageno)
                except ExtractError:
                    other = None
                if other and text_layer_usable(other):
                    chars = other
    except ExtractError as e:
        page = record("page", source=doc.name, page=pageno)
        return [page, record("warning", stage="extract", source=doc.name, page=pageno,
                             code=getattr(e, "code", PAGE_UNREADABLE), message=e.message)]
    page = record("page", source=doc.name, page=pageno)
    label = doc.label(pageno)
    if label:
        page["label"] = label
    page["width"] = round(width, 2)
    page["height"] = round(height, 2)
    facts = _plain_facts(chars)
    if facts is not None:
        # the common page (one character a glyph, nothing suspect): what the three
        # lines below give, without a loop over its glyphs in Python
        garbled, usable, ink, joined = facts
    else:
        garbled = garbled_glyphs(chars)  # counted once per page: three checks below use it
        usable = text_layer_usable(chars, garbled)
        ink = sum(1 for c in chars if c.text.strip())
        joined = None
    outlines = not ink and doc.vector_segments(pageno) >= VECTOR_TEXT_SEGMENTS
    if usable and ink < SCAN_MAX_CHARS:
        # a scan with a few typed characters on it (a page number, a stamp) is still a scan
        usable = doc.image_coverage(pageno) < SCAN_COVERAGE
    lies = usable and text_layer_lies(chars, joined)
    if lies:
        usable = False   # real code points, the wrong ones: only OCR reads what is printed
    # a page without text is OCR'd only when it draws something (a blank page stays blank)
    drawn = not usable and ((ink > 0 if facts is not None else any(c.text.strip() for c in chars))
                            or doc.image_coverage(pageno) > 0 or outlines)
    want_ocr = ocr == "always" or (ocr == "auto" and drawn)
    out = []
    if lies:
        odd, n = implausible_ideographs(chars)
        out.append(record("warning", stage="extract", source=doc.name, page=pageno, code="text-layer-implausible",
                          message=f"{odd} of the {n} ideographs of page {pageno}'s text layer are in neither "
                                  "GB2312 nor Big5 (a font mapping its glyphs to the wrong characters): "
                                  + ("the page is read by OCR" if want_ocr else "its text is unreliable")))
    if want_ocr:
        from clt.extract import ocr as ocr_mod

        try:
            with ocr_budget():
                lines = ocr_mod.ocr_pdf_page(doc, pageno, width, height, lang=lang, data=data, engine=ocr_engine,
                                             warnings=out, page=page)
        except ocr_mod.OcrUnavailable as e:
            out.append(record("warning", stage="extract", source=doc.name, page=pageno,
                              code=getattr(e, "code", "ocr-unavailable"),
                              message=f"page {pageno} has no usable text layer and was not OCR'd: {e}"))
            if not isinstance(e, ocr_mod.OcrOverLimit):  # that one is an error of the run (see extract())
                log.warning("%s: page %d: no usable text layer and not OCR'd: %s", doc.name, pageno, e)
            lines = None
        if lines is not None:
            page["ocr"] = True
            return [page] + lines + out
    if drawn and ocr == "never":
        out.append(record("warning", stage="extract", source=doc.name, page=pageno, code="no-text-layer",
                          message=f"page {pageno} has no usable text layer (--ocr never)"))
    bad = garbled[0]
    if bad and text_layer_garbled(chars, garbled):
        out.append(record("warning", stage="extract", source=doc.name, page=pageno, code="garbled-glyphs",
                          message=f"{bad} glyph(s) on page {pageno} decode to characters Chinese text never "
                                  "holds (a broken ToUnicode map): the text of this page is unreliable"))
    direction = text_direction(chars)
    if direction:
        # the page's text runs sideways or upside down: read it turned upright
        chars, width, height = turn(chars, direction, width, height)
        page["width"] = round(width, 2)
        page["height"] = round(height, 2)
        page["turned"] = direction
    lines = build_lines(chars, doc.name, pageno, page_width=width)
    if damaged:
        out.append(record("warning", stage="extract", source=doc.name, page=pageno, code=PAGE_UNREADABLE,
                          message=f"{damaged} damaged content stream(s): "
                                  "text of this page may be missing"))
    # the lines' text in one string ("\n" is in neither mark nor any sign LYING_DIGITS_RE
    # looks for, and stands before a line as its start does): counted and searched once
    joined_lines = "\n".join([l["text"] for l in lines])
    unmapped = joined_lines.count("(cid:") + joined_lines.count("\ufffd")
    lying = sum(1 for l in lines if _lying_digits(l["text"])) if LYING_DIGITS_RE.search(joined_lines) else 0
    if (unmapped >= PARTIAL_OCR_MIN or lying) and not drawn and ocr == "auto" and not direction:
        unmapped = _ocr_unmapped_lines(doc, pageno, width, height, lines, lang, data, out, ocr_engine)
        lying = sum(1 for l in lines if _lying_digits(l["text"]) and not l.get("ocr"))
    if lying and not drawn:
        out.append(record("warning", stage="extract", source=doc.name, page=pageno, code="digits-unmapped",
                          message=f"{lying} line(s) on page {pageno} have signs where a number must stand "
                                  "(!\"#$%年 for a year: a font whose digits map to punctuation); "
                                  "they were not read by OCR, their text is unreliable"))
    if not drawn and not page.get("ocr"):
        out.extend(_glyph_images(doc, pageno, chars, lines))
    if unmapped and not drawn:
        out.append(record("warning", stage="extract", source=doc.name, page=pageno, code="unmapped-glyphs",
                          message=f"{unmapped} glyph(s) on page {pageno} have no Unicode mapping "
                                  "(shown as (cid:N) or U+FFFD); --ocr always reads the page by OCR"))
    return [page] + lines + out


def _unmapped(text):
    return "(cid:" in text or "\ufffd" in text


def _lying_digits(text):
    """Signs where a number must stand (``!"#$%年``, ``第#条``): digits the text layer mapped to punctuation.

    A form's blanks (``____年__月__日``) are no number."""
    if not text or "年" not in text and "月" not in text and "日" not in text and "号" not in text and "第" not in text:
        return False
    for m in LYING_DIGITS_RE.finditer(text):
        run = m.group("a") or m.group("b")
        if any(ch in _LYING_SIGNS for ch in run):
            return True
    return False


#: a law's name next to a gap: the citation whose 《 or 》 is drawn as an image
_LAW_NAME_RE = recache.compile(r"(?:中华人民共和国)?[\u4e00-\u9fff]{1,30}?(?:法|条例|规定|办法|细则|决定|规则)")


def _glyph_images(doc, pageno, chars, lines):
    """Warnings for glyph-sized images drawn inside or at the end of a text line.

    Old typesetting systems (北大方正 and the PDF writers after it) draw a sign
    their font lacks — often 《 》 — as a small image: the text layer has a gap
    where the glyph is printed.  Nothing is put in its place; the line gets
    ``image_glyphs`` (the boxes' x0, x1) and a ``glyph-image`` warning says where,
    and when a law's name stands beside the gap, that it is likely a 《 or 》.
    """
    boxes = getattr(doc, "image_boxes", None)
    if boxes is None:
        return []
    try:
        images = boxes(pageno)
    except Exception:
        return []
    out = []
    for x0, top, x1, bottom in images:
        h, w = bottom - top, x1 - x0
        for line in lines:
            lb = line.get("bbox")
            size = line.get("size") or 10
            if not lb or not (0.3 * size <= h <= 1.6 * size and 0.15 * size <= w <= 1.6 * size):
                continue
            v = min(bottom, lb[3]) - max(top, lb[1])
            if v < 0.5 * min(h, lb[3] - lb[1]) or x1 < lb[0] - 1.5 * size or x0 > lb[2] + 1.5 * size:
                continue
            # where in the text: the line's glyphs left of the image
            row = [c for c in chars if c.text.strip() and c.top < lb[3] and c.bottom > lb[1]
                   and lb[0] - 0.5 <= c.x0 and c.x1 <= lb[2] + 0.5]
            left = sum(1 for c in row if (c.x0 + c.x1) / 2 < x0)
            text = line["text"]
            k, seen = 0, 0
            while k < len(text) and seen < left:
                if text[k].strip():
                    seen += 1
                k += 1
            line.setdefault("image_glyphs", []).append([round(x0, 2), round(x1, 2)])
            before, after = text[max(0, k - 12):k], text[k:k + 12]
            msg = (f"a glyph drawn as an image in line {line['line']} on page {pageno}, between "
                   f"“{before}” and “{after}”: nothing was put in its place")
            a_, b_ = after.lstrip(" \u3000"), before.rstrip(" \u3000")
            near = _LAW_NAME_RE.match(a_) or any(m.end() == len(b_) for m in _LAW_NAME_RE.finditer(b_))
            if near:
                msg += "; a law's name stands beside it: likely a 《 or 》 of a citation"
            w_ = record("warning", stage="extract", source=doc.name, page=pageno, code="glyph-image", message=msg)
            w_["line"] = line["line"]
            w_["at"] = k
            out.append(w_)
            break
    return out


def _ocr_unmapped_lines(doc, pageno, width, height, lines, lang, data, out, ocr_engine="auto"):
    """Lines holding unmapped glyphs (a heading font without ToUnicode) re-read by OCR.

    The rest of the page keeps its text layer.  Each such line takes the text
    of the OCR lines lying on it (vertically overlapping by half, horizontally
    overlapping); it is marked ``ocr: true`` and keeps what the text layer read
    in ``layer_text``.  Returns how many unmapped glyphs are left.
    """
    from clt.extract import ocr as ocr_mod

    try:
        with ocr_budget():
            read = ocr_mod.ocr_pdf_page(doc, pageno, width, height, lang=lang, data=data, engine=ocr_engine,
                                        warnings=out)
    except ocr_mod.OcrOverLimit as e:
        out.append(record("warning", stage="extract", source=doc.name, page=pageno, code=e.code,
                          message=f"page {pageno}: its unmapped glyphs were not OCR'd: {e}"))
        read = []
    except ocr_mod.OcrUnavailable:
        read = []
    for line in lines:
        if not (_unmapped(line["text"]) or _lying_digits(line["text"])):
            continue
        x0, top, x1, bottom = line["bbox"]
        on = []
        for o in read:
            ox0, otop, ox1, obottom = o["bbox"]
            v = min(bottom, obottom) - max(top, otop)
            if v >= 0.5 * min(bottom - top, obottom - otop) and min(x1, ox1) - max(x0, ox0) > 0:
                on.append(o)
        text = ""
        for o in sorted(on, key=lambda o: o["bbox"][0]):
            if text and o["text"] and not (is_cjk(text[-1]) or is_cjk(o["text"][0])):
                text += " "
            text += o["text"]
        text = text.strip()
        if text:
            line["layer_text"] = line["text"]
            line["text"] = text
            line["ocr"] = True
            line.pop("spans", None)
    left = sum(l["text"].count("(cid:") + l["text"].count("\ufffd") for l in lines)
    fixed = sum(1 for l in lines if "layer_text" in l)
    if fixed:
        out.append(record("warning", stage="extract", source=doc.name, page=pageno, code="lines-ocred",
                          message=f"{fixed} line(s) on page {pageno} have glyphs without Unicode mapping "
                                  "(or signs where a number must stand) and were read by OCR "
                                  "(layer_text keeps what the text layer read)"))
    return left


def extract_pdf(data, name, *, pages=None, password=None, engine="pdfminer", ocr="auto",
                lang="chi_sim", jobs=1, ocr_engine="auto", max_page_seconds=MAX_PAGE_SECONDS,
                max_page_mb=MAX_PAGE_MB):
    """Records of one PDF given as bytes or a path.

    Each page is read in a worker process bounded by *max_page_seconds* of
    wall-clock time (OCR has its own) and *max_page_mb* of memory (see
    :mod:`clt.extract.bounded`); a page that overruns is skipped with a
    ``page-over-limit`` warning.  With both limits 0 and ``jobs=1``, or where
    processes cannot be forked, pages are read in this process, unbounded."""
    if ocr not in OCR_MODES:
        raise UsageError(f"unknown --ocr mode {ocr!r} (choose from {', '.join(OCR_MODES)})")
    try:
        with time_limit(max_page_seconds):  # a /Prev or reference cycle in pdfminer's parser
            doc = open_document(data, name, engine, password)
    except Overrun:
        raise ExtractError(f"not a readable PDF: opening it took more than --max-page-seconds "
                           f"{max_page_seconds:g} s (a reference cycle?)", source=name) from None
    try:
        wanted = select_pages(parse_pages(pages), doc.npages, name)
        src = source_record(name, "pdf", pages=doc.npages)
        if doc.producer:
            src["producer"] = doc.producer
        if engine != "pdfminer":
            src["engine"] = engine
        yield src
        jobs = max(1, int(jobs or 1))
        bounded = bool(max_page_seconds or max_page_mb or jobs > 1) and wanted and can_fork()
        if not bounded:
            for p in wanted:
                yield from page_records(doc, p, ocr=ocr, lang=lang, data=data, ocr_engine=ocr_engine)
            return
        if isinstance(data, str):
            data = os.path.abspath(data)
        # a document whose parse a forked worker can take over (pdfminer's, in Python) is
        # inherited, not parsed again in every worker; PDFium's is opened anew in each
        shared = doc if getattr(doc, "inheritable", False) else None
        _plausible_ideographs()  # built once here, inherited by the workers
        opened = {}

        def read_page(p):  # runs in a worker: the document is opened once per worker
            if "doc" not in opened:
                if shared is not None:
                    shared.own_file()
                    opened["doc"] = shared
                else:
                    opened["doc"] = open_document(data, name, engine, password)
            return page_records(opened["doc"], p, ocr=ocr, lang=lang, data=data, ocr_engine=ocr_engine)

        yield from bounded_pages(read_page, wanted, name, jobs=jobs, max_seconds=max_page_seconds,
                                 max_mb=max_page_mb)
    finally:
        doc.close()
