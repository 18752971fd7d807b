"""``normalize``: turn ``line`` records into clean ``para`` records, accounting for every change.

    from clt.records import read_records
    from clt.normalize import normalize
    for rec in normalize(read_records("bulletin.txt")):
        ...

What it does, in order, for each source:

1. page furniture (:mod:`clt.normalize.furniture`): running headers and page
   numbers are recognised by position plus repetition or page-number form,
   and come out as ``removed`` records;
2. on lines read by OCR (``ocr: true``), the repairs that the typography of
   Chinese law proves (:mod:`clt.normalize.ocr`): 〇 misread in a year of
   Chinese numerals, spaces inside a number;
   then character repairs on each line (:mod:`clt.normalize.chars`): radicals and
   compatibility ideographs, full-width digits/Latin, half-width punctuation
   in Chinese context, spaces inside CJK runs — each an ``edit``;
3. paragraphs (:mod:`clt.normalize.paragraphs`): lines are joined into one
   ``para`` per printed paragraph, a duplicated line becomes a ``removed``
   record and a fragment duplicated across a join an ``edit``;
4. label repairs on each paragraph: a lost 第, OCR noise in or after an
   article label, and one ideographic space between a label and its text;
5. optional OpenCC script conversion (``convert="t2s"`` ...).

Every rule has a name (:data:`clt.normalize.rules.RULES`) and can be
disabled.  ``page`` and ``line`` records are consumed; ``source``, ``warning``
and records of unknown types pass through; ``para`` records (normalize's own
output) get the character and label rules again, which change nothing the
second time (the stage is idempotent).

Streaming: a source is held a few pages at a time (the furniture window,
see :data:`clt.normalize.furniture.WINDOW`) plus the paragraph being built;
a page of more than :data:`clt.normalize.furniture.LONG_CHUNK` lines (plain
text without form feeds) goes through in runs of that many lines.
"""

import re
from collections import Counter

from clt.errors import InputError, UsageError
from clt.labels import match_label
from clt.normalize import chars
from clt.normalize import ocr as ocr_rules
from clt.normalize import labels as L
from clt.normalize.furniture import LONG_CHUNK, PageWindow, _Page
from clt.normalize.paragraphs import Builder, Line, Stats, lead_width, width
from clt.normalize.rules import RULES, check_disabled, list_rules
from clt import recache

SP = L.SP
#: what :func:`lead_width` counts at a line's start (a line starting otherwise has no lead)
_LEAD_CHARS = "\u3000\t \u00a0"

__all__ = ["normalize", "normalize_text", "list_rules", "RULES", "OPENCC_CONFIGS"]

OPENCC_CONFIGS = ("s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "hk2t",
                  "t2hk", "t2jp", "jp2t", "tw2t")


def _converter(name):
    if not name:
        return None
    name = name[:-5] if name.endswith(".json") else name
    if name not in OPENCC_CONFIGS:
        raise UsageError(f"unknown OpenCC conversion {name!r}", hint="one of " + ", ".join(OPENCC_CONFIGS))
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency
        raise UsageError("--convert needs the opencc package (pip install opencc)") from None
    try:
        return opencc.OpenCC(name + ".json")
    except Exception:
        return opencc.OpenCC(name)


# --------------------------------------------------------------------------- paragraph-level rules

def _label_protect(text):
    """Offsets whose space run must survive cjk-space: the separator after a leading label
    (also one opening a quotation, as an amending instrument quotes an article: “第五条　…)."""
    body = text.lstrip(L.SP)
    if body.startswith("“"):
        body = body[1:]
    lab = L.detect(body)
    if lab is not None and lab.kind not in ("item", "subitem", "enum"):
        return {len(text) - len(body) + lab.end}
    return ()


_STRAY_RE = recache.compile(f"^[{L.SP}]*[{re.escape(L.STRAY)}]+(?=[{L.SP}]*[^{L.SP}{re.escape(L.STRAY)}])")
_STRAY_OCR = L.STRAY + ":：;；"
_STRAY_OCR_RE = recache.compile(f"^[{L.SP}]*[{re.escape(_STRAY_OCR)}]+(?=[{L.SP}]*[^{L.SP}{re.escape(_STRAY_OCR)}])")
_OPEN_QUOTE_RE = recache.compile(f"^[{L.SP}]*“(?=[{L.SP}]*[^{L.SP}“”])")
_SP_RE = recache.compile(f"[{L.SP}]")


def label_rules(text, lab, disabled, edits, where, ocr=False):
    """Repairs at the start of a paragraph that opens with article/heading label *lab*.

    On a paragraph read by OCR (*ocr*), a colon or semicolon glued to an article
    label is a stray mark too: it is what OCR makes of the ideographic space
    after 第十五条 (typed text may write 第一条：, and keeps it).
    """
    if lab is None or lab.kind in ("item", "subitem", "enum"):
        return text
    head = text[:lab.end]
    if lab.repair and lab.repair not in disabled and head != lab.label:
        edits.append(dict(rule=lab.repair, before=head, after=lab.label, **where))
        head = lab.label
    elif _SP_RE.sub("", head) == lab.label:
        head = lab.label
    rest = text[lab.end:]
    while "ocr-stray" not in disabled and lab.kind == "article":
        m = (_STRAY_OCR_RE if ocr else _STRAY_RE).match(rest)
        if not m and rest.lstrip(L.SP)[:1] == "“" and rest.count("“") > rest.count("”"):
            m = _OPEN_QUOTE_RE.match(rest)  # an opening quote nothing closes
        if not (m and m.group(0).strip(L.SP)):
            break
        edits.append(dict(rule="ocr-stray", before=m.group(0), after="", **where))
        rest = rest[m.end():]
    body = rest.lstrip(L.SP)
    sep = rest[:len(rest) - len(body)]
    # A typed text may set the label off with a colon (第一条：…): the colon is
    # the separator as printed, and no space goes before it.
    if "label-space" not in disabled and body and sep != "\u3000" and body[0] not in ":：":
        edits.append(dict(rule="label-space", before=sep, after="\u3000", **where))
        sep = "\u3000"
    return head + sep + body


_PARENS_RE = recache.compile("[（）]")
_OPENERS = {"《": "》", "〈": "〉", "“": "”", "\"": "\""}


def ocr_paren(text, edits, where):
    """（ read as 《 〈 “ by OCR: a ） that closes nothing, after an opener that nothing closes."""
    if "）" not in text:
        return text
    # a ） unmatched is what the loop below repairs; which are is decided by the （ and ）
    # alone (a repair changes a character already passed, never the count): when none is,
    # nothing changes, and the parentheses are all there is to look at
    depth = 0
    for m in _PARENS_RE.finditer(text):
        if m.group(0) == "（":
            depth += 1
        elif depth:
            depth -= 1
        else:
            break
    else:
        return text
    chars_ = list(text)
    depth_stack = []
    changed = False
    for i, ch in enumerate(chars_):
        if ch == "（":
            depth_stack.append(i)
        elif ch == "）":
            if depth_stack:
                depth_stack.pop()
                continue
            # unmatched: look back a few characters for an unclosed look-alike opener, or
            # take the paragraph's first character (the 题注 《2013年…通过）)
            back = list(range(i - 1, max(-1, i - 12), -1))
            if chars_[0] in _OPENERS and chars_[1:2] and chars_[1].isdigit() and 0 not in back:
                back.append(0)
            for j in back:
                c = chars_[j]
                if c in "（）。；" and j != 0:
                    break
                if c in _OPENERS and _OPENERS[c] not in chars_[j + 1:i + 1]:
                    edits.append(dict(rule="ocr-paren", before=c, after="（", at=j, **where))
                    chars_[j] = "（"
                    changed = True
                    break
    return "".join(chars_) if changed else text


def _convert(text, converter, edits, where):
    new = converter.convert(text)
    if new == text:
        return text
    import difflib  # (loaded for an OpenCC conversion only: not at every start)

    sm = difflib.SequenceMatcher(None, text, new, autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op != "equal":
            edits.append(dict(rule="convert", before=text[a0:a1], after=new[b0:b1], at=a0, **where))
    return new


def _para_rules(text, lab, disabled, converter, edits, where, ocr=False):
    """The rules that see a whole paragraph: label repairs, OCR's parenthesis, script conversion."""
    text = label_rules(text, lab, disabled, edits, where, ocr)
    if "ocr-paren" not in disabled:
        text = ocr_paren(text, edits, where)
    if converter is not None and "convert" not in disabled:
        text = _convert(text, converter, edits, where)
    return text


def _warn_pua(chs, source, page, line):
    return {"type": "warning", "stage": "normalize", "code": "private-use",
            "message": "private-use character(s) " + " ".join(f"U+{ord(c):04X}" for c in chs)
                       + " (a font's own glyphs; check the source)",
            "source": source, "page": page, "line": line}


# --------------------------------------------------------------------------- the stage

class _Source:
    """The state of one input source while its pages stream through."""

    def __init__(self, name, disabled, converter, keep_removed, ocr="auto"):
        self.name = name
        self.ocr_mode = ocr
        self.items = ocr_rules.ItemParen()  # 项 numbering across the lines of the source
        self.ocr_text = None  # auto: does the source read like OCR output? (decided on its first pages)
        self.signs = Counter()
        self.disabled = disabled
        self.converter = converter
        self.keep_removed = keep_removed
        self.window = PageWindow(disabled)
        self.stats = Stats()
        self.page = None
        self.builder = None
        self.geo_lines = 0
        self.all_lines = 0
        self.geom = {}  # running margins when a page has too few lines
        self.bullets = []  # removed records of the bullets stripped from the page's lines

    # pages -------------------------------------------------------------------
    def new_page(self, rec):
        yield from self._close_page()
        self.page = _Page(rec.get("source", self.name), rec.get("page") or 0, rec.get("width"), rec.get("height"))

    def add_line(self, rec):
        """Take line record *rec*: None, or the records that closing the page before it
        makes (an iterator, to be consumed before anything else is fed: the line is
        added once it is exhausted).  Most lines close no page: no generator for them."""
        # (a bbox that is not four numbers never gets here: the schema check at normalize's
        # boundary, or where the records were read, refused the record)
        page = self.page
        if page is None or (rec.get("page") is not None and rec.get("page") != page.page) \
                or len(page.lines) >= LONG_CHUNK:
            return self._add_line_new_page(rec)
        self._take(rec)
        return None

    def _add_line_new_page(self, rec):
        if self.page is None or (rec.get("page") is not None and rec.get("page") != self.page.page):
            yield from self._close_page()
            self.page = _Page(rec.get("source", self.name), rec.get("page") or 0)
        elif len(self.page.lines) >= LONG_CHUNK:
            # a text that lost its form feeds: go on with the same page in a new run of lines
            page = self.page
            page.run_after = True
            yield from self._close_page()
            self.page = _Page(page.source, page.page, page.width, page.height)
            self.page.run_before = True
        self._take(rec)

    def _take(self, rec):
        self.page.lines.append(rec)
        text = rec.get("text")
        if type(text) is not str:
            text = str(text or "")
        if text.strip():
            self.all_lines += 1
            if rec.get("bbox"):
                self.geo_lines += 1
        self.stats.add(text.rstrip())
        if self.ocr_mode == "auto" and self.ocr_text is None and not rec.get("ocr"):
            ocr_signs(text, self.signs)

    def is_ocr(self, rec):
        """Do the OCR repairs apply to line *rec*?"""
        if self.ocr_mode == "always":
            return True
        if self.ocr_mode == "never":
            return False
        return bool(rec.get("ocr")) or bool(self.ocr_text)

    @property
    def geo(self):
        """Do most lines so far carry geometry (a bbox)?"""
        return self.geo_lines >= 0.5 * max(1, self.all_lines)

    def add_extra(self, rec):
        if self.page is None:
            yield rec
        else:
            self.page.extras.append(rec)

    def _close_page(self):
        if self.page is not None:
            page, self.page = self.page, None
            page.full = self.stats.full if not self.geo and self.stats.n >= 20 else 0
            for decided in self.window.push(page):
                yield from self._emit_page(*decided)

    def finish(self):
        yield from self._close_page()
        for decided in self.window.flush():
            yield from self._emit_page(*decided)
        if self.builder is not None:
            for para in self.builder.finish():
                yield from self._emit(para)

    # paragraphs --------------------------------------------------------------
    def _emit_page(self, page, kept, removed):
        if self.keep_removed:
            yield from removed
        if self.ocr_text is None:
            self.ocr_text = self.ocr_mode == "auto" and looks_ocred(self.signs)
            if self.ocr_text:
                yield _warn_ocred(self.signs, self.name)
        if self.builder is None:
            regime = "geo" if self.geo else self.stats.regime()
            self.builder = Builder(self.name, regime, self.stats, self.disabled,
                                   indents=regime != "geo" and self.stats.indents())
        b = self.builder
        self.bullets = []
        lines = self._lines(page, kept)
        if self.keep_removed:
            yield from self.bullets
        if b.regime == "geo":
            self._geometry(page, lines)
        for ln in lines:
            for para in b.feed(ln):
                yield from self._emit(para)
            if b.removed:
                if self.keep_removed:
                    yield from b.removed
                b.removed = []
        yield from page.extras

    def _lines(self, page, kept):
        out = []
        prev_rec = None
        bullets = "item-bullet" not in self.disabled
        # (is_ocr, unrolled: the mode and the source's verdict do not change within a page)
        ocr_all = self.ocr_mode == "always" or (self.ocr_mode != "never" and bool(self.ocr_text))
        ocr_rec = self.ocr_mode == "auto"
        stats = self.stats
        line_repairs = chars.line_repairs
        for rec in kept:
            text = rec.get("text")
            if type(text) is not str:
                text = str(text or "")
            if not text.strip():
                continue
            stripped = text.strip(SP)
            if bullets and stripped[:1] in _BULLETS:
                stripped = self._bullet(rec, stripped)
            is_ocr = ocr_all or (ocr_rec and bool(rec.get("ocr")))
            if is_ocr:
                pre = []
                stripped, pre = ocr_rules.repairs(stripped, self.disabled)
                if rec.get("end_mark") and "ocr-end-mark" not in self.disabled:
                    stripped = ocr_rules.end_mark(stripped, rec["end_mark"], pre)
                new, edits, pua = line_repairs(stripped, self.disabled, _label_protect)
                edits = pre + edits
            else:
                new, edits, pua = line_repairs(stripped, self.disabled, _label_protect)
            if edits:
                for e in edits:
                    e["page"] = rec.get("page")
                    e["line"] = rec.get("line")
            if pua:
                page.extras.insert(0, _warn_pua(pua, rec.get("source", self.name), rec.get("page"), rec.get("line")))
            ln = Line(rec, new, edits, orig=text, w=stats.width_of(new))
            ln.ocr = is_ocr
            if text[0] in _LEAD_CHARS:
                ln.lead = lead = lead_width(text)
                ln.tindent = stats.is_indent_lead(lead)
            # (else: no lead, no indent -- Line's defaults)
            if ln.source is None:
                ln.source = self.name
            # pieces of one printed line given as separate records (same baseline): one line
            if out and prev_rec is not None and rec.get("bbox") and _same_baseline(prev_rec, rec):
                last = out[-1]
                gap = rec["bbox"][0] - prev_rec["bbox"][2]
                sz = rec.get("size") or prev_rec.get("size") or 10
                joiner = " " if gap > 0.6 * sz else ""
                joined = last.text + joiner + new
                if "cjk-space" not in self.disabled:
                    more = []
                    joined = chars.cjk_space(joined, more, _label_protect(joined))
                    for e in more:
                        e.update(page=rec.get("page"), line=rec.get("line"))
                    edits = more + edits
                last.text = joined
                last.orig = last.orig + joiner + text
                last.edits.extend(edits)
                last.bbox = [last.bbox[0], min(last.bbox[1], rec["bbox"][1]), rec["bbox"][2],
                             max(last.bbox[3], rec["bbox"][3])]
                last.w = width(last.text)
                last.more.append([rec.get("page"), rec.get("line")])
                prev_rec = rec
                continue
            out.append(ln)
            prev_rec = rec
        items = self.items if "ocr-item-paren" not in self.disabled else None
        for ln in out:
            if ln.ocr:
                more = []
                if "ocr-lead-noise" not in self.disabled:
                    ln.text = ocr_rules.lead_noise(ln.text, more)
                if items is not None:
                    ln.text = items(ln.text, more)
                for e in more:
                    e.update(page=ln.page, line=ln.line)
                ln.edits.extend(more)
        return out

    def _bullet(self, rec, text):
        """*text* without the bullet (• · ● ▪) a reader edition sets before each 项 or article
        label; the bullet goes into a ``removed`` record."""
        m = BULLET_RE.match(text) if text[:1] in _BULLETS else None
        if not m or match_label(text[m.end():]) is None:
            return text
        self.bullets.append({"type": "removed", "rule": "item-bullet", "text": m.group(0), "part": "start",
                             "source": rec.get("source", self.name), "page": rec.get("page"),
                             "line": rec.get("line"),
                             "reason": "a bullet printed before the label " + match_label(text[m.end():]).label})
        return text[m.end():]

    def _geometry(self, page, lines):
        boxes = [ln for ln in lines if ln.bbox and len(ln.bbox) == 4]
        if len(boxes) >= 5:
            left, right = _text_edges(boxes)
            sizes = sorted(ln.size or (ln.bbox[3] - ln.bbox[1]) for ln in boxes)
            size = sizes[len(sizes) // 2]
            self.geom = {"left": left, "right": right, "size": size}
        g = self.geom
        if not g:
            return
        left, right, size = g["left"], g["right"], g["size"] or 10
        # a two-column page: indents, centring and short lines are judged within the
        # line's own column (extract gives each column line its column_box)
        columns = {}
        for ln in boxes:
            if ln.column_box:
                columns.setdefault(ln.column_box, []).append(ln)
        edges = {box: (_text_edges(col) if len(col) >= 3 else box) for box, col in columns.items()}
        # paragraphs set apart by space rather than by indent: a gap well above the line pitch
        pitches = Counter()
        for a, b in zip(boxes, boxes[1:]):
            d = b.bbox[1] - a.bbox[1]
            if 0.8 * size <= d <= 3 * size:
                pitches[round(d)] += 1
        pitch = pitches.most_common(1)[0][0] if pitches else None
        prev = None
        for ln in boxes:
            if pitch and prev is not None and ln.bbox[1] - prev.bbox[1] > 1.6 * pitch and \
                    ln.bbox[1] - prev.bbox[1] < 8 * pitch:
                ln.gap = True
            prev = ln
        for ln in boxes:
            ln.geo = True
            x0, _, x1, _ = ln.bbox
            s = ln.size or size
            lo, hi = edges.get(ln.column_box, (left, right))
            mid = (lo + hi) / 2
            ln.large = s >= 1.15 * size
            ln.centered = (x0 >= lo + 2.5 * s and x1 <= hi - 2.5 * s
                           and abs((x0 + x1) / 2 - mid) <= 2 * s)
            ln.indent = not ln.centered and lo + 1.2 * s <= x0 <= lo + 4.5 * s
            ln.short = x1 < hi - 1.2 * s
            ln.ragged = not ln.centered and x0 > lo + 4.5 * s

    def _emit(self, para):
        rec = self.finalize(para)
        yield rec
        if "ocr-end-mark" not in self.disabled:
            w = _final_mark_warning(para, rec)
            if w is not None:
                yield w

    def finalize(self, para):
        first = para.lines[0]
        where = {"page": first.page, "line": first.line}
        edits = para.edits
        text = para.text
        if len(para.lines) > 1:
            # punctuation/spaces at the joins see their neighbours only now
            text, more, _ = chars.line_repairs(text, self.disabled, _label_protect)
            for e in more:
                e.update(where)
            edits.extend(more)
        text = _para_rules(text, para.label, self.disabled, self.converter, edits, where, ocr=first.ocr)
        lines = []
        for ln in para.lines:
            lines.append([ln.page, ln.line])
            lines.extend(ln.more)
        rec = {"type": "para", "text": text, "source": first.source or self.name, "page": first.page,
               "lines": lines}
        if edits:
            rec["edits"] = edits
        if first.geo:
            if first.centered:
                rec["align"] = "center"
            rec["indent"] = bool(first.indent)
        return rec


#: how ``normalize`` tells OCR'd text (``ocr=``/``--ocr``)
OCR_MODES = ("auto", "always", "never")
_LABEL_RE = recache.compile(r"^[ \u3000]*第[零〇一二三四五六七八九十百千两0-9]+条")
_GLUED_RE = recache.compile(r"^[ \u3000]*第[零〇一二三四五六七八九十百千两0-9]+条[ \u3000]*[”“\"'’‘`]+[ \u3000]*[\u4e00-\u9fff]")
_BAR_RE = recache.compile(r"[\u4e00-\u9fff][|¦][\u4e00-\u9fff]")


def ocr_signs(text, counts):
    """Count in *counts* what marks a line as OCR output: article labels, labels with a
    quote mark glued after them (第二条 ”本市… — Tesseract reads the ideographic space so),
    ASCII bars between Chinese characters (a speck or a rule read as |)."""
    if _LABEL_RE.match(text):
        counts["labels"] += 1
        if _GLUED_RE.match(text):
            counts["glued"] += 1
    if "|" in text or "¦" in text:
        counts["bars"] += len(_BAR_RE.findall(text))


def looks_ocred(counts):
    """Does text with these :func:`ocr_signs` read like OCR output?  A typed law never opens
    an article with a closing quote, nor puts | inside a word."""
    glued, labels = counts.get("glued", 0), counts.get("labels", 0)
    return (glued >= 2 and glued >= 0.2 * labels) or counts.get("bars", 0) >= 3


def _warn_ocred(counts, source):
    why = []
    if counts.get("glued"):
        why.append(f"{counts['glued']} of {counts['labels']} article labels followed by a stray quote mark")
    if counts.get("bars"):
        why.append(f"{counts['bars']} | between Chinese characters")
    return {"type": "warning", "stage": "normalize", "code": "text-looks-ocred",
            "message": "the text reads like OCR output (" + "; ".join(why) + "): the OCR repairs apply "
                       "to its lines (--ocr never: treat it as typed)",
            "source": source}


def _final_mark_warning(para, rec):
    """A warning for a body paragraph of OCR'd text that ends without a closing mark, or None.

    A 款 or 项 of a law ends with 。 or ； (a list's lead-in with ：); when the
    paragraph builder ended one whose last character is a character or a
    digit, OCR most likely lost the mark and the image showed none that could
    be read (else ``ocr-end-mark`` wrote it).  Headings, centred lines (titles,
    题注) and lines set to the right (signatures, dates) are not 款.
    """
    last, first = para.lines[-1], para.lines[0]
    if not last.ocr or para.heading or para.label_only or first.centered or first.ragged or first.large:
        return None
    text = rec["text"].rstrip(L.SP)
    if not text or text[-1] in ocr_rules.FINAL_MARKS or text[-1] in ocr_rules.END_MARKS:
        return None
    if not (chars.is_ideo(text[-1]) or text[-1].isdigit()):
        return None
    lab = para.label
    if not ((lab is not None and lab.kind in ("article", "item", "subitem")) or first.indent):
        return None
    return {"type": "warning", "stage": "normalize", "code": "ocr-no-final-mark",
            "message": f"paragraph read by OCR ends without a closing mark (…{text[-12:]}): OCR read "
                       "none, nothing was added — check the source",
            "source": rec.get("source"), "page": last.page, "line": last.line}


#: a bullet before a label: • ● ▪ ◆ ■ · ・ ‧ ∙ ◦ (not ○, which may be a misread 〇)
_BULLETS = "•●▪◆■◇□·・‧∙◦►▶"
BULLET_RE = recache.compile(rf"^[{_BULLETS}][ \u3000\u00a0\t]*")


def _text_edges(boxes):
    """``(left, right)`` edges of the text in *boxes*: the leftmost x0 and rightmost x1
    that several lines share (where most paragraphs are one or two lines long,
    indented first lines may be the majority; a stray mark does not move the edge)."""
    x0s = Counter(round(ln.bbox[0]) for ln in boxes)
    left = min((x for x, c in x0s.items() if c >= 2), default=x0s.most_common(1)[0][0])
    x1s = Counter(round(ln.bbox[2]) for ln in boxes)
    right = max((x for x, c in x1s.items() if c >= 2), default=max(x1s))
    return left, right


def _same_baseline(a, b):
    ba, bb = a.get("bbox"), b.get("bbox")
    if not (ba and bb and len(ba) == 4 and len(bb) == 4) or a.get("page") != b.get("page"):
        return False
    sz = b.get("size") or a.get("size") or (bb[3] - bb[1]) or 10
    return abs(ba[1] - bb[1]) < 0.4 * sz and abs(ba[3] - bb[3]) < 0.4 * sz and bb[0] >= ba[2] - 0.5


def _repair_para(rec, disabled, converter):
    """A ``para`` record read back in: the character and label rules again."""
    text = str(rec.get("text") or "")
    new, edits, pua = chars.line_repairs(text, disabled, _label_protect)
    where = {"page": rec.get("page"), "line": (rec.get("lines") or [[None, None]])[0][1]}
    for e in edits:
        e.update(where)
    new = _para_rules(new, L.detect(new), disabled, converter, edits, where)
    if new == text:
        return rec, pua
    out = dict(rec)
    out["text"] = new
    out["edits"] = list(rec.get("edits") or []) + edits
    return out, pua


def normalize(records, *, disable=(), convert=None, keep_removed=True, ocr="auto"):
    """``para`` records (and ``removed``/``warning`` audit records) from ``line`` records.

    *disable*: rule names to switch off (see :func:`list_rules`); *convert*: an
    OpenCC configuration (``"t2s"``, ``"s2t"``, ``"tw2s"`` ...) or None;
    *keep_removed*: emit ``removed`` records (default) — with False the
    furniture is dropped without a record; *ocr*: which lines get the OCR
    repairs — ``"auto"`` (lines extract read by OCR, ``ocr: true``, and every
    line of a source whose first pages read like OCR output, see
    :func:`looks_ocred`; a ``text-looks-ocred`` warning says so),
    ``"always"`` or ``"never"``.
    """
    from clt.records import checked

    disabled = check_disabled(disable)
    converter = _converter(convert)
    if ocr not in OCR_MODES:
        raise UsageError(f"unknown --ocr mode {ocr!r}", hint="one of " + ", ".join(OCR_MODES))
    src = None
    for rec in checked(records):
        t = rec.get("type")
        if t in ("line", "page") and src is not None and rec.get("source") not in (None, src.name) \
                and src.name is not None:
            # the lines of another file without a source record between them
            yield from src.finish()
            src = None
        if t in ("line", "page"):
            if src is None:
                src = _Source(rec.get("source"), disabled, converter, keep_removed, ocr)
            if t == "line":
                closed = src.add_line(rec)
                if closed is not None:
                    yield from closed
            else:
                yield from src.new_page(rec)
        elif t == "source":
            if src is not None:
                yield from src.finish()
            src = _Source(rec.get("path"), disabled, converter, keep_removed, ocr)
            yield rec
        elif t == "para":
            if src is not None:
                yield from src.finish()
                src = None
            out, pua = _repair_para(rec, disabled, converter)
            if pua:
                yield _warn_pua(pua, rec.get("source"), rec.get("page"), None)
            yield out
        elif src is not None:
            yield from src.add_extra(rec)
        else:
            yield rec
    if src is not None:
        yield from src.finish()


def normalize_text(text, **options):
    """Normalize plain *text*; the paragraphs, one per line (what ``--text`` prints)."""
    from clt.records import text_line_records

    out = []
    for rec in normalize(text_line_records(text, "<text>"), **options):
        if rec.get("type") == "para":
            out.append(rec["text"])
    return "\n".join(out) + ("\n" if out else "")
