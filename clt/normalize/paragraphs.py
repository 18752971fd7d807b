"""Joining printed lines into paragraphs.

The builder reads the lines of one source in order (furniture already
removed) and decides before every line whether it starts a new paragraph.
Three regimes:

``geo``
    lines with geometry (bbox, size): a first-line indent, a centred line,
    extra space above the line, a short previous line or a structural label
    at the line start break.
``wrapped``
    plain text whose lines are the printed lines (pdftotext, OCR): lines
    have near-equal widths and many end mid-sentence.  A break needs
    sentence-final punctuation on the previous line and either a short
    previous line or a structural label / an indented-width first line.
    Blank lines are ignored (pdftotext puts them anywhere).
``clean``
    plain text with one paragraph per line: a line ending a sentence ends
    its paragraph; a line broken mid-sentence is joined to the next when
    blank lines separate the lines (a copied text); without blank lines the
    lines stand as they are (what ``--text`` writes reads back unchanged).

Plain text that keeps the printed first-line indent (``pdftotext -layout``,
typed text with ``　　``) breaks at every indented line.

Structural labels are judged with the numbering: ``第十条规定的…`` wrapped to
a line start is not article 10 unless 10 is the article expected next and
the previous line ended a sentence.  The builder holds the paragraph being
built and, for the reading-order repairs of plain text, the lone label
paragraphs it holds back (``held_heading``, ``held_article``, ``stacked``).
"""

import re

from clt.labels import LEVEL_ORDER
from clt.metadata import metadata_fields
from clt.normalize import labels as L
from clt.normalize.chars import is_ideo
from clt import recache

TERMINALS = "。；：！？;:!?…"
#: how a 题注 opens: a parenthesis and a date
CAPTION_OPEN_RE = recache.compile(r"^[（(][ \u3000]*[0-9０-９〇一二三四五六七八九]{4}[ \u3000]*年")
SP = L.SP
HEADING_KINDS = LEVEL_ORDER
#: a notice's number printed on a line of its own: 第十五号, （第15号）, 第 15 号, 〔2020〕3号, 国令第七百号
NUMBER_LINE_RE = recache.compile(
    r"^[（(〔\[]?(?:(?:[^\s，。；：、]{0,6}令)?第[ \u3000]*[0-9０-９〇零一二三四五六七八九十百千]+[ \u3000]*号"
    r"|[〔\[（(][0-9０-９]{4}[〕\]）)][ \u3000]*[0-9０-９]+[ \u3000]*号)[）)〕\]]?$")
#: a notice's heading with its number on one line: 某市人民代表大会常务委员会公告第五号,
#: 中华人民共和国主席令（第十五号）, 国务院令第七百号 — no sentence punctuation in it
NOTICE_LINE_RE = recache.compile(
    r"^[^\s，。；：、,;:]{1,40}(?:公告|通告|令)[ \u3000]*[（(]?第[ \u3000]*[0-9０-９〇零一二三四五六七八九十百千]+"
    r"[ \u3000]*号[）)]?$")


_QUOTES_SP = frozenset("”’\"'" + SP)


def _last_char(t):
    """The last character of *t* before trailing spaces and closing quotes ('' if none)."""
    c = t[-1:]
    if c and c not in _QUOTES_SP:
        return c  # most lines end on a character or a mark
    t = t.rstrip(SP)
    while t and t[-1] in "”’\"'":
        t = t[:-1]
    return t[-1:]


def ends_terminal(t):
    c = _last_char(t)
    return bool(c) and c in TERMINALS


_SP_RUN_RE = recache.compile("[" + re.escape(SP) + "]+")
_NARROW_RE = recache.compile("[\x00-\u1fff]+")


def width(t):
    """Printed width in em: CJK and full-width characters 1, ASCII ½, spaces 0."""
    if _SP_RUN_RE.search(t) is not None:  # (a search, not a sub, for a line with no space)
        t = _SP_RUN_RE.sub("", t)
    n = len(t)
    if t.isascii():
        return 0.5 * n
    if _NARROW_RE.search(t) is None:  # most lines of Chinese text: every character counts one
        return float(n)
    narrow = n - len(_NARROW_RE.sub("", t))  # characters below U+2000 count half
    return 0.5 * narrow + (n - narrow)  # exact: the same sum of halves and ones, counted


def _opens_paren(text):
    """A paragraph that opens with a parenthesis: the 题注 (（2020年…通过）); OCR may have
    read its （ as 《 〈 “ — then a date follows."""
    return text[:1] in "（(" or (text[:1] in "《〈“" and text[1:2].isdigit())


def _balanced_paren(text):
    if not _opens_paren(text):
        return False
    opened = text.count("（") + text.count("(") + (0 if text[:1] in "（(" else 1)
    return opened <= text.count("）") + text.count(")")


class Line:
    """One printed line after character repairs."""

    __slots__ = ("text", "orig", "page", "line", "source", "edits", "bbox", "size", "w",
                 "indent", "centered", "short", "label", "geo", "more", "tindent", "gap", "large", "ragged", "lead",
                 "column_box", "ocr")

    def __init__(self, rec, text, edits, orig=None, w=None):
        get = rec.get
        self.text = text
        self.orig = text if orig is None else orig  # the text as extracted, before any repair
        self.page = get("page")
        self.line = get("line")
        self.source = get("source")
        self.edits = edits
        self.bbox = get("bbox")
        self.size = get("size")
        self.w = width(text) if w is None else w  # *w*: width(text), already counted
        self.indent = False
        self.centered = False
        self.short = False
        self.label = None
        self.geo = False
        self.more = []  # [page, line] of further records merged into this printed line
        self.tindent = False  # plain text: the line starts with two characters of white space
        self.gap = False      # geometry: more space above the line than between a paragraph's lines
        self.large = False    # geometry: set in a font well above the body size (title, notice)
        self.ragged = False   # geometry: starts far right of the text's left edge, not centred
        self.lead = 0         # plain text: columns of white space before the text
        cb = get("column_box")  # two-column page: [x0, x1] of the line's column
        self.column_box = tuple(cb) if cb is not None and isinstance(cb, (list, tuple)) and len(cb) == 2 else None
        self.ocr = bool(get("ocr"))  # read by OCR: its size is a guess from the box height


def _size_jump(a, b):
    """Lines printed in clearly different font sizes (a quarter or more apart): a
    paragraph's lines share one size, a law's title is set well above the body."""
    if a.ocr or b.ocr or not a.size or not b.size:
        return False
    big, small = max(a.size, b.size), min(a.size, b.size)
    return big >= 1.25 * small


class Para:
    __slots__ = ("lines", "parts", "edits", "label", "heading", "label_only", "paren", "removed_dups")

    def __init__(self, line):
        self.lines = [line]
        self.parts = [line.text]
        self.edits = list(line.edits)
        self.label = line.label
        lab = line.label
        self.heading = bool(lab and lab.kind in HEADING_KINDS)
        rest = line.text[lab.end:].strip(SP + L.STRAY) if lab else line.text
        self.label_only = bool(lab and lab.kind == "article" and not rest)
        self.paren = _opens_paren(line.text)

    @property
    def text(self):
        return "".join(self.parts)


_LEAD_CHARS = frozenset("\u3000\t \u00a0")


def lead_width(text):
    """The white space a line starts with, in columns (pdftotext -layout gives a CJK
    character about one column; an ideographic space counts two, a tab four)."""
    if text[:1] not in _LEAD_CHARS:
        return 0  # most lines
    w = 0
    for c in text:
        if c == "\u3000":
            w += 2
        elif c == "\t":
            w += 4
        elif c in " \u00a0":
            w += 1
        else:
            break
    return w


def is_indented(text):
    """A first-line indent of about two characters (not a centred line's wide margin)."""
    return 2 <= lead_width(text) <= 4


_UNSET = object()
#: widths :class:`Stats` keeps at most for lines still on their way (a few pages' worth)
_WIDTHS_MAX = 20000


class Stats:
    """Line-width statistics of one source (what a full printed line measures)."""

    def __init__(self):
        self.hist = {}
        self.n = 0
        self.nonterm = 0
        self.lines = 0
        self.indented = 0
        self.leads = {}            # white space a line starts with (columns) -> lines
        self.blank = 0
        self._full = None          # :attr:`full`, until the histogram changes
        self._indent_cols = _UNSET  # :attr:`indent_cols`, until a line is added
        #: text -> width(text) of the lines added and not yet made into a Line (see :meth:`width_of`)
        self.widths = {}

    def add(self, text):
        if not text.strip():
            self.blank += 1
            return
        self.lines += 1
        self._indent_cols = _UNSET
        lw = lead_width(text)
        if 2 <= lw <= 4:  # is_indented(text)
            self.indented += 1
        self.leads[lw] = self.leads.get(lw, 0) + 1
        text = text.strip(SP)
        w = width(text)
        if len(self.widths) >= _WIDTHS_MAX:
            self.widths.clear()  # lines that never became a Line (furniture, repaired text)
        self.widths[text] = w
        if w >= 8:
            k = int(round(w))
            self.hist[k] = self.hist.get(k, 0) + 1
            self._full = None
            self.n += 1
            if not ends_terminal(text):
                self.nonterm += 1

    def spaced(self):
        """Do blank lines separate the lines (a copied text), not just stand here and there
        (around headings, after a 目录, an empty paragraph of a Word file)?"""
        return self.blank >= 0.3 * max(1, self.lines)

    def width_of(self, text):
        """:func:`width` of *text*, counted once: a line's text, unless a repair changed
        it, is the text :meth:`add` measured (a pure function of the string: any text
        found is the same width)."""
        w = self.widths.pop(text, None)
        return width(text) if w is None else w

    @property
    def full(self):
        """The width of a full body line (0: unknown); worked out again only when a line
        changed the histogram, not on every call."""
        if self._full is None:
            if not self.hist:
                self._full = 0
            else:
                best = max(self.hist.values())
                # the widest width that is (nearly) as frequent as the most frequent one
                self._full = max(k for k, v in self.hist.items() if v >= 0.6 * best)
        return self._full

    @property
    def indent_cols(self):
        """The first-line indent of this text in columns, when it is not the usual two to four
        (pdftotext -layout gives a larger font's two characters five or six columns): the
        commonest lead of five to eight columns, where unindented lines start at the margin.
        Worked out again only after a line was added."""
        if self._indent_cols is _UNSET:
            self._indent_cols = self._work_out_indent_cols()
        return self._indent_cols

    def _work_out_indent_cols(self):
        if self.lines < 4 or self.leads.get(0, 0) < 0.2 * self.lines:
            return None
        best = max(range(5, 9), key=lambda k: self.leads.get(k, 0))
        n = self.leads.get(best, 0)
        if n >= 0.05 * self.lines and n > sum(self.leads.get(k, 0) for k in range(2, 5)):
            return best
        return None

    def is_indent(self, text):
        """Does *text* start with this text's first-line indent?"""
        return self.is_indent_lead(lead_width(text))

    def is_indent_lead(self, lead):
        """:meth:`is_indent` of a line whose :func:`lead_width` is *lead*."""
        if 2 <= lead <= 4:
            return True
        k = self.indent_cols
        return k is not None and k - 1 <= lead <= k

    def indents(self):
        """Some lines, not all, start indented: the first lines of paragraphs."""
        k = self.indent_cols
        n = self.indented + (sum(self.leads.get(j, 0) for j in (k - 1, k) if j > 4) if k else 0)
        return self.lines >= 4 and 0.05 <= n / self.lines <= 0.8

    def regime(self):
        if self.n < 4:
            return "clean"
        full = self.full
        near = sum(v for k, v in self.hist.items() if full - 3 <= k <= full + 1)
        if self.nonterm / self.n >= 0.3 and near / self.n >= 0.3:
            return "wrapped"
        return "clean"


class Builder:
    """Paragraphs of one source; :meth:`feed` one Line at a time, then :meth:`finish`."""

    def __init__(self, source, regime, stats, disabled=frozenset(), indents=False):
        self.indents = indents     # plain text whose paragraphs show a first-line indent
        self.source = source
        self.regime = regime
        self.stats = stats
        self.disabled = disabled
        self.cur = None
        self.prev = None
        self.expected = None       # next article number expected
        self.last_article = None
        self.expected_chapter = None
        self.in_article = False
        self.last_page = None
        self.removed = []          # removed records produced while feeding
        self.held_heading = None   # plain text: 第二章 alone, its title printed after the next label
        self.held_article = None   # plain text: 第十条 alone, printed before the headings above it
        self.stacked = None        # plain text: 第一百条 alone right under 第九十九条 alone
        self.items = {}            # item kind -> number of the last item that opened a paragraph

    # -- labels ---------------------------------------------------------------
    def label_of(self, text):
        return L.detect(text, self.expected, self.expected_chapter)

    # -- decision -------------------------------------------------------------
    def _breaks(self, prev, line):
        cur = self.cur
        lab = line.label
        pt = prev.text
        pterm = ends_terminal(pt) or (cur.paren and _balanced_paren(cur.text) and pt.rstrip(SP)[-1:] in "）)")
        full = self.stats.full or 0
        if not self.in_article and (metadata_fields(line.text) is not None
                                    or (len(cur.lines) == 1 and metadata_fields(pt) is not None)):
            return True   # a law database's metadata block: one field (or one row of them) a line
        # (both patterns need a 号: most lines are let go at one search)
        if ("号" in line.text and NUMBER_LINE_RE.match(line.text.strip(SP))) \
                or ("号" in pt and NUMBER_LINE_RE.match(pt.strip(SP))):
            # 公告 / 第十五号 / the title: a notice's number is a line of its own in every
            # layout (plain text whose lines are printed lines too), never run into the
            # notice's name before it or the title after it
            return True
        if not self.in_article and (("号" in pt and NOTICE_LINE_RE.match(pt.strip(SP)))
                                    or ("号" in line.text and NOTICE_LINE_RE.match(line.text.strip(SP)))):
            return True   # 某市人民代表大会常务委员会公告第五号 / the title: the notice's heading is a line of its own
        if cur.heading:
            if lab is None and not cur.label_only and cur.text.strip(SP) == cur.label.label and line.w <= 20 \
                    and not ends_terminal(line.text):
                return False  # 第一章 / 总则 on two lines
            return True
        if cur.label_only:
            return lab is not None and lab.kind in ("article",) + HEADING_KINDS
        if lab is not None:
            k = lab.kind
            if k == "article":
                fits = (self.expected is None or lab.num == self.expected or lab.num == 1
                        or (lab.sub and lab.num == self.last_article))
                if fits and lab.sep:
                    return True
                if pterm and (fits or lab.sep):
                    return True
                if line.geo and line.indent and (lab.sep or fits):
                    # an indented first line opens a paragraph; the label of the expected
                    # article there is that article, even run into its text (OCR loses the
                    # space after 第八条)
                    return True
                return False
            if k in HEADING_KINDS:
                heading_like = line.w <= 30 and not ends_terminal(line.text)
                if heading_like and (pterm or lab.sep or prev.short or line.centered or not self.in_article):
                    return True
                return False
            # the next item of a list breaks even after an unpunctuated item (1．… / 2．…), and a
            # list's first item even when the line before lost its colon — unless the label is a
            # reference (第（一）项, 依照（二）)
            ref = line.text[lab.end:lab.end + 1] in ("项", "款", "目", "、", "，", ",") \
                or _last_char(pt) in "第按依照和或及与、，,（("
            in_list = not ref and (lab.num == 1 or (self.items.get(k) is not None and lab.num == self.items[k] + 1))
            if k == "item":
                return pterm or in_list or (line.geo and line.indent) or cur.label_only
            return pterm or in_list
        if line.geo:
            if line.large and prev.large and lab is None and not pterm and line.page == prev.page \
                    and line.bbox and prev.bbox and abs((line.size or 0) - (prev.size or 0)) <= 0.6 \
                    and (not prev.short or 0 < line.bbox[1] - prev.bbox[1] <= 1.6 * (line.size or 10)):
                return False  # a title set in two lines (a notice's short lines stand further apart)
            if cur.paren and lab is None and len(cur.lines) < 8 and not _balanced_paren(cur.text):
                return False  # the 题注 runs on to its closing parenthesis
            if _size_jump(line, prev):
                return True   # a title or heading set in another size (across a page break too)
            if line.indent or line.centered or prev.centered or line.gap:
                return True
            if line.ragged and (pterm or not self.in_article or prev.ragged or prev.short):
                # a continuation line starts at the left edge; a line set to the right
                # (签署: the signing organ, the date) is a line of its own
                return True
            if prev.short:
                return pterm or not self.in_article
            return False
        if self.indents and not line.geo:
            # a text that keeps the printed first-line indent (pdftotext -layout, typed text)
            if line.tindent:
                return True
            if line.lead >= 6 and not (cur.paren and not _balanced_paren(cur.text)):
                # set well in from the left (centred 目　录 / 第一章　总　则, a date set
                # right): a continuation line starts at the left edge
                return True
            if pterm and prev.tindent and len(cur.lines) == 1 and self.regime == "wrapped":
                return prev.w < (self.stats.full or 0) - 4.5
            if pterm and self.regime == "wrapped" and full and line.w < full - 1.5 \
                    and is_ideo(_last_char(line.text)):
                return True  # a short line ending on a character: a title or heading (see below)
            if pterm and self.regime == "wrapped":
                return bool(full) and prev.w < full - 1.5 and line.w >= 0.5 * full
        if self.regime == "clean":
            if pterm:
                return True
            if line.tindent and cur.lines[0].tindent and self.stats.spaced():
                # blank lines between the lines and each line indented like the paragraph's
                # first (antiword's text of a Word file, a copied page): a line broken
                # mid-sentence goes on at the margin, an indented one opens a paragraph
                # (an item without a closing mark: 15．…的决定)
                return True
            if not self.stats.spaced() and not self.stats.indents():
                # one paragraph per line and (almost) no blank line between them: the lines are
                # paragraphs as they stand (what --text writes; an editor buffer; a Word file
                # with an empty paragraph or two) — unless the line stops at a comma or in the
                # middle of a Latin word run
                last = _last_char(pt)
                if last in "，、,（(《“" or (last.isascii() and last.isalpha()
                                             and line.text[:1].isascii() and line.text[:1].isalpha()):
                    return False
                return True
            if cur.paren:
                return False
            if line.text[:1] in "（(":
                return True
            return not self.in_article
        # wrapped plain text
        if pterm:
            if not full:
                return True
            # what a full line measures here: a paragraph's first line is indented two
            # characters; after a label printed on its own (pdftotext splits 第二条 from the
            # rest of its line) the remainder is shorter still
            limit = full
            if prev is cur.lines[0]:
                limit = full - 3
            elif len(cur.lines) == 2 and prev is cur.lines[1] and cur.lines[0].label is not None \
                    and cur.lines[0].w <= cur.lines[0].label.end + 1:
                limit = full - 3 - cur.lines[0].w
            if prev.w < limit - 1.5:
                return True
            # a full line that ends a sentence
            if _last_char(pt) in "；;，,、":
                return False
            if full - 2.6 <= line.w <= full - 1.4:
                return True  # the next line is an indented first line
            if line.w < full - 1.5 and is_ideo(_last_char(line.text)):
                # a short line is the last of its paragraph, and a paragraph of law text ends
                # with punctuation: one ending on a character is a title (the next law's) or a
                # heading, not the rest of the sentence before
                return True
            return ends_terminal(line.text) and line.w < full - 1.5
        if cur.paren:
            return False
        if full and prev.w < 0.5 * full and (prev.label is None or prev.label.kind in HEADING_KINDS) \
                and _last_char(pt) not in "，、,（(《“—-":
            return True  # a short line that does not end a sentence: a title, a notice, a scrap
        if full and prev.w < 0.7 * full and (not self.in_article or line.text[:1] in "（("):
            return True
        if full and prev.w < full - 3 and CAPTION_OPEN_RE.match(line.text):
            # a 题注 (（2006年3月27日…通过) opens its own line: after a line that stops short
            # (a title's last line) it is a new paragraph, even among the laws of a bulletin
            return True
        return False

    # -- feeding --------------------------------------------------------------
    def feed(self, line):
        """Yield the paragraphs *line* completes."""
        text = line.text.strip(SP)
        if not text:
            return
        line.text = text
        line.label = self.label_of(text)
        cur = self.cur
        if cur is not None and "dup-line" not in self.disabled and self._duplicate(cur, line):
            # the line as it was printed (before character repairs), so that it can be put back
            self.removed.append({"type": "removed", "rule": "dup-line", "text": line.orig, "source": line.source,
                                 "page": line.page, "line": line.line,
                                 "reason": "repeats the end of the paragraph before it"})
            return
        if self.held_heading is not None:
            held, self.held_heading = self.held_heading, None
            if self._displaced_title(line):
                self._join(held, held.lines[-1], line)
                held.edits.append(self._moved(line, f"title of {held.label.label}, printed after "
                                                    f"{cur.label.label}"))
                if line.w <= 2 and width(held.text) <= 15:
                    self.held_heading = held  # a letter-spaced title comes a character at a time: 总 / 则
                else:
                    yield held
                return  # self.prev stays the article's label line
            yield held
        if cur is None or self._breaks(self.prev, line):
            if cur is not None and self.stacked is not None:
                nxt, self.stacked = self.stacked, None
                yield cur
                if line.label is None:
                    # the next article's text, after the text of the article above it
                    self.cur = nxt
                    self._join(nxt, nxt.lines[-1], line)
                    nxt.edits.append(self._moved(nxt.lines[0], f"{nxt.label.label} printed above the "
                                                               f"text of {cur.label.label}"))
                    self.prev = line
                    self.last_page = line.page
                    return
                cur = nxt
            if cur is not None and self._labels_stacked(cur, line):
                self.stacked = Para(line)
                self._note_label(line.label)
                self.prev = line
                self.last_page = line.page
                return
            if cur is not None:
                if self._title_displaced(cur, line):
                    self.held_heading = cur
                elif self._label_displaced(cur, line):
                    self.held_article = cur
                else:
                    yield cur
            if self.held_article is not None and self.held_article is not cur \
                    and (line.label is None or line.label.kind not in HEADING_KINDS):
                art, self.held_article = self.held_article, None
                if line.label is None:
                    # the article's text, after the headings its label was printed above
                    self.cur = art
                    self._join(art, art.lines[-1], line)
                    art.edits.append(self._moved(line, f"text of {art.label.label}, printed after "
                                                       "the headings above it"))
                    self.prev = line
                    self.last_page = line.page
                    return
                yield art
            self.cur = Para(line)
            self._note_label(line.label)
        else:
            self._join(cur, self.prev, line)
        self.prev = line
        self.last_page = line.page

    # -- reading order of plain text (pdftotext puts a label's wide gap between columns) ----
    @staticmethod
    def _label_alone(para, kinds):
        lab = para.label
        return (lab is not None and lab.kind in kinds and len(para.lines) == 1
                and not para.lines[0].geo and para.text.strip(SP) == lab.label)

    def _title_displaced(self, cur, line):
        """第二章 alone, then 第十条 alone: the chapter's title may come next."""
        lab = line.label
        return ("reading-order" not in self.disabled and cur.heading and self._label_alone(cur, HEADING_KINDS) and lab is not None
                and lab.kind == "article" and not line.geo and not line.text[lab.end:].strip(SP + L.STRAY))

    def _label_displaced(self, cur, line):
        """第二十一条 alone, then a heading: an article's label is never followed by a heading."""
        lab = line.label
        return ("reading-order" not in self.disabled and self._label_alone(cur, ("article",)) and lab is not None and lab.kind in HEADING_KINDS
                and not line.geo)

    def _labels_stacked(self, cur, line):
        """第九十九条 alone, then 第一百条 alone: pdftotext printed two labels before their texts."""
        lab = line.label
        return ("reading-order" not in self.disabled and self._label_alone(cur, ("article",))
                and lab is not None and lab.kind == "article" and not line.geo
                and not line.text[lab.end:].strip(SP + L.STRAY) and lab.num == cur.label.num + 1)

    def _displaced_title(self, line):
        full = self.stats.full or 0
        return (line.label is None and not line.geo and line.w <= 15 and (not full or line.w < full - 4)
                and not ends_terminal(line.text) and is_ideo(_last_char(line.text))
                and self.cur is not None and self.cur.label_only)

    @staticmethod
    def _moved(line, what):
        # a move, not a change: before and after are the same text (see clt-records(5))
        return {"rule": "reading-order", "before": line.text, "after": line.text, "page": line.page,
                "line": line.line, "reason": what}

    def _note_label(self, lab):
        if lab is None:
            return
        if lab.kind in ("item", "subitem", "enum"):
            self.items[lab.kind] = lab.num
            return
        self.items = {}
        if lab.kind == "article":
            self.in_article = True
            self.last_article = lab.num
            self.expected = lab.num + 1
        elif lab.kind == "chapter":
            self.expected_chapter = lab.num + 1

    def _duplicate(self, cur, line):
        t = line.text
        if len(t) < 6 or not ends_terminal(t):
            return False
        body = cur.text
        return body.endswith(t) and len(body) > len(t) or self.prev is not None and self.prev.text == t

    def _join(self, cur, prev, line):
        left = cur.parts[-1]
        t = line.text
        if "dup-fragment" not in self.disabled and (line.page != prev.page or self.regime == "clean"):
            k = self._overlap(left, t)
            if k:
                self.removed.append({"type": "removed", "rule": "dup-fragment", "text": t[:k], "part": "start",
                                     "source": line.source, "page": line.page, "line": line.line,
                                     "reason": f"repeats the end of page {prev.page} line {prev.line}"})
                t = t[k:]
        if left and t and left[-1].isascii() and left[-1].isalnum() and t[0].isascii() and t[0].isalnum() \
                and not (left[-1].isdigit() and t[0].isdigit()):
            if "line-join" not in self.disabled:
                cur.edits.append({"rule": "line-join", "before": "", "after": " ",
                                  "page": line.page, "line": line.line})
                t = " " + t
        cur.lines.append(line)
        cur.parts.append(t)
        cur.label_only = False
        cur.edits.extend(line.edits)

    def _overlap(self, left, right):
        if ends_terminal(left):
            return 0
        top = min(len(left), len(right) - 1, 20)
        for k in range(top, 0, -1):
            if left.endswith(right[:k]):
                seg = right[:k]
                if not all(is_ideo(c) for c in seg):
                    continue
                if k == 1 and self.regime != "clean":
                    continue
                return k
        return 0

    def finish(self):
        if self.stacked is not None and self.cur is not None:
            yield self.cur
            self.cur, self.stacked = self.stacked, None
        for held in (self.held_heading, self.held_article):
            if held is not None:
                yield held
        self.held_heading = self.held_article = None
        if self.cur is not None:
            yield self.cur
        self.cur = None
        self.prev = None
