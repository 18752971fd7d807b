"""Page furniture: running headers/footers and page numbers.

A line is furniture only when its *position* says so (among the first or last
few lines of its page, or — with geometry — in the top/bottom margin band)
and either its *form* is a page number or its *text repeats* at the edge of
other pages nearby (digits ignored, so issue and page numbers may vary;
odd/even pages may carry different headers).  A line of law text that merely
resembles a header is never removed: it would have to sit at a page edge and
recur at the edge of another page.

A "page" longer than any printed page (:data:`LONG_PAGE` lines: OCR or text
output that lost its form feeds) is searched whole — :data:`LONG_CHUNK`
lines at a time, so that memory stays flat — for a page-number form
anywhere, a header line recurring three times, bare numbers counting up.
Scraps of one to three characters below a page's last text line (a scan's
stamps and misread page numbers) are removed as ``page-noise``.

:class:`PageWindow` streams: it holds a few pages of look-ahead (and the edge
lines of a few pages behind) — never the document.
"""

import re
from collections import deque


from clt.labels import match_label
from clt.numerals import cn2int
from clt.normalize.paragraphs import is_indented, width
from clt import recache

#: pages looked at on each side when deciding whether an edge line repeats
WINDOW = 4
#: non-blank lines at each end of a page that may be furniture
EDGE_LINES = 3
#: lines beyond which a "page" must be several printed pages run together (no form feeds)
LONG_PAGE = 120
#: a long page is searched this many lines at a time (a text without form feeds is
#: not held whole: each run of lines is decided like a page of its own, and the runs
#: of one page are not each other's neighbours)
LONG_CHUNK = 4000
#: fraction of the page height that counts as the top/bottom margin band
MARGIN_BAND = 0.09

#: what stands either side of a decorated page number (— 3 —, ·3·; OCR reads the dots as 。 or .)
_DASHES = "-—–－‐‑‒―一~～·•・∙。．."
_WS = r"[ \u3000\u00a0\t]*"
DECORATED_PAGE_RE = recache.compile(
    rf"^{_WS}(?:[{_DASHES}]{_WS})+(?P<n>[0-9０-９]{{1,4}}){_WS}(?:[{_DASHES}]{_WS})+$"
    rf"|^{_WS}第{_WS}(?P<n2>[0-9０-９]{{1,4}}){_WS}页(?:{_WS}[,，/／]?{_WS}共{_WS}[0-9０-９]{{1,4}}{_WS}页)?{_WS}$"
    rf"|^{_WS}(?P<n3>[0-9０-９]{{1,4}}){_WS}[/／]{_WS}[0-9０-９]{{1,4}}{_WS}$"
    rf"|^{_WS}[-—–－]{_WS}(?P<n4>[0-9０-９]{{1,4}}){_WS}$"
    rf"|^{_WS}(?:page|Page|PAGE|p\.){_WS}(?P<n5>[0-9]{{1,4}})(?:{_WS}(?:of|/){_WS}[0-9]{{1,4}})?{_WS}$")
BARE_PAGE_RE = recache.compile(rf"^{_WS}(?P<n>[0-9０-９]{{1,4}}){_WS}$")
_TERMINAL_END = recache.compile(r"[。；：！？;:!?]\W*$")


def page_number(text):
    """(number, decorated) when *text* has the form of a page number, else None."""
    m = DECORATED_PAGE_RE.match(text)
    if m:
        return cn2int(next(g for g in m.groups() if g is not None)), True
    m = BARE_PAGE_RE.match(text)
    if m:
        return cn2int(m.group("n")), False
    return None


# --------------------------------------------------------------------------- prints of web pages and books

#: a browser's print date and time: 2024/5/6 10:21, 2024-05-06 上午10:21:05, 24/5/6 星期一 10:21
_PRINT_DATE = (r"(?:[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})"
               r"(?:[ \u3000\t]*(?:星期|周)[一二三四五六日天])?")
_PRINT_DATE2 = r"[0-9]{2}/[0-9]{1,2}/[0-9]{1,2}"
_PRINT_TIME = r"(?:上午|下午|AM|PM|am|pm)?[ \u3000\t]*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:[ \u3000\t]*(?:AM|PM|am|pm))?"
PRINT_DATETIME_RE = recache.compile(rf"(?<![0-9])(?:{_PRINT_DATE}|{_PRINT_DATE2})[ \u3000\t]*{_PRINT_TIME}"
                               rf"|(?<![0-9]){_PRINT_DATE}(?![0-9])"
                               rf"|[0-9]{{4}}年[0-9]{{1,2}}月[0-9]{{1,2}}日[ \u3000\t]*{_PRINT_TIME}")
#: a URL footer: file:///C:/…, https://…, www.…
PRINT_URL_RE = recache.compile(r"(?:file|https?|ftp):/{2,3}[^\s\u3000]+|www\.[A-Za-z0-9\-]+\.[^\s\u3000]+")
#: a page count: 页码，1/40, 1/40, 第2页,共6页, 第 2 页 共 6 页, 第 1 页/共 3 页, Page 1 of 3
PRINT_COUNT_RE = recache.compile(
    r"页码[ \u3000]*[，,:：]?[ \u3000]*[0-9０-９]{1,4}(?:[ \u3000]*[/／][ \u3000]*[0-9０-９]{1,4})?"
    r"|第[ \u3000]*[0-9０-９]{1,4}[ \u3000]*页[ \u3000]*[,，/／]?[ \u3000]*共[ \u3000]*[0-9０-９]{1,4}[ \u3000]*页"
    r"|共[ \u3000]*[0-9０-９]{1,4}[ \u3000]*页[ \u3000]*[,，/／]?[ \u3000]*第[ \u3000]*[0-9０-９]{1,4}[ \u3000]*页"
    r"|(?:Page|page|PAGE)[ \u3000]*[0-9]{1,4}[ \u3000]*(?:of|/)[ \u3000]*[0-9]{1,4}"
    r"|(?<![0-9０-９/／.])[0-9０-９]{1,4}[ \u3000]*[/／][ \u3000]*[0-9０-９]{1,4}(?![0-9０-９/／.])")
_FRACTION_RE = recache.compile(r"^[0-9０-９]{1,4}[ \u3000]*[/／][ \u3000]*[0-9０-９]{1,4}$")
_SEP = " \u3000\t|｜_-—–·•"
_ANY_DIGIT_RE = recache.compile("[0-9０-９]")


#: a web site's own furniture, printed with its page (a browser's or an office suite's print of
#: a 人大 or government site): the breadcrumb (当前位置：首页 > 法律法规), the menu bar
#: (首页 | 新闻 | 法律法规), share / print / close links, the copyright and ICP licence lines
SITE_START_RE = recache.compile(r"^(?:(?:当前位置|您现在的位置|您的位置|你的位置|所在位置|现在位置)[ \u3000]*[:：].*首页"
                           r"|首页(?:[ \u3000]*[|｜][^|｜]{1,12}){2,}$|分享到[ \u3000]*[:：]|【?打印本页】?|【?关闭窗口】?)")
SITE_ANY_RE = recache.compile(r"版权所有|[Cc]opyright|©|ICP[ \u3000]*[备证]|公网安备")


def site_furniture(text):
    """Why *text* (a line at a page's edge) is a web site's navigation or footer, or None."""
    s = text.strip(_SEP)
    if not s or len(s) > 120 or re.search(r"[。；，]", s):
        return None
    if SITE_START_RE.match(s) or SITE_ANY_RE.search(s):
        return "a web site's navigation or footer, printed with the page"
    return None


def print_furniture(text):
    """Why *text* (a line at a page's edge) is the furniture a browser or an e-book adds to a
    printed page — its print date and time, the page's URL or file path, a page count
    (``1/40``, ``页码，1/40``, ``第2页,共6页``), with or without the page's or book's title
    beside them — or None.

    Such a line is made of those forms and at most one short title with no sentence
    punctuation; a count shaped like a fraction (``1/3``) must stand apart from any title
    by a space (law text says ``三分之一``; a wrapped ``…不少于1/3`` is not furniture).
    """
    s = text.strip(_SEP)
    if not s or len(s) > 160:
        return None
    if "://" not in s and "www." not in s and _ANY_DIGIT_RE.search(s) is None:
        return None  # each form below holds a digit (a date, a count) or is a URL
    found = []
    rest = s
    for kind, rx in (("url", PRINT_URL_RE), ("date", PRINT_DATETIME_RE), ("count", PRINT_COUNT_RE)):
        parts = []
        pos = 0
        for m in rx.finditer(rest):
            tok = m.group(0)
            if kind == "count" and _FRACTION_RE.match(tok):
                a, b = (cn2int(x.strip(" \u3000")) for x in re.split("[/／]", tok))
                before = rest[:m.start()]
                after = rest[m.end():]
                apart = (not before.strip(_SEP) or before[-1:] in " \u3000\t") and \
                        (not after.strip(_SEP) or after[:1] in " \u3000\t")
                if not (0 < a <= b) or not apart:
                    continue
            parts.append(rest[pos:m.start()])
            pos = m.end()
            found.append(kind)
        if parts or pos:
            parts.append(rest[pos:])
            rest = "\u3000".join(parts)
    if not found:
        return None
    title = _unspaced(rest.strip(_SEP))
    if not title:
        return "a browser's or e-book's print furniture (" + ", ".join(sorted(set(found))) + ")"
    if len(title) > 60 or re.search(r"[。；，！？;!?：:]", title) or match_label(title) is not None:
        return None
    if not re.search(r"[\u3400-\u9fff]", title) and not re.search(r"[A-Za-z]{2}", title):
        return None  # digits and marks left over: not a title
    return "a browser's or e-book's print furniture (" + ", ".join(sorted(set(found))) + ") with the page's title"



_SPACES_RE = recache.compile(r"[\s\u3000]+")
_DIGITS_RE = recache.compile(r"[0-9０-９]+")


def _unspaced(text):
    return _SPACES_RE.sub("", text)


def header_key(text):
    """What must repeat for a line to be a running header: no spaces, digits as #."""
    return _DIGITS_RE.sub("#", _unspaced(text))


#: an issue number, the usual content of a short running header (第5号, 2023年第6期, 总第123期)
ISSUE_RE = recache.compile(r"^(?:[0-9０-９]{4}年)?[（(]?(?:总)?第[0-9０-９〇一二三四五六七八九十百]+[期号卷][）)]?$")


def _header_candidate(text, key, full=0):
    if len(key) > 60 or (len(key) < 4 and not ISSUE_RE.match(_unspaced(text))):
        return False
    if _TERMINAL_END.search(text) or re.search("[，。；]", text):
        return False  # sentence punctuation: law text, however often it recurs
    if full and width(text) + (2 if is_indented(text) else 0) > full - 2:
        return False  # as wide as a body line (a paragraph's first line with its indent): headers are short
    if match_label(text) is not None:
        return False  # 第一章　总则 at the top of two short laws' first pages is not a header
    return True


#: a law's 题注: (2019年6月28日…通过), (…公布 …施行) — never a running header
CAPTION_RE = recache.compile(r"^[（(][^（()）]*[0-9０-９〇一二三四五六七八九]{4}年[^（()）]*"
                        r"(?:通过|公布|施行|修正|修订|批准|发布|实施)[^（()）]*[）)]$")

#: what OCR makes of a small page number or a rule: dashes, strokes, slashes, stray Latin letters
_MARKS_RE = recache.compile(r"^[-—–－_~～·•、\\/|丨一ー\"'`^.,:;*<>()\[\]{}=+a-zA-Z]{4,}$")


def _scan_marks(text):
    """A line of marks only (vv-一 -一 \一): no digit, no ideograph but 一, no Latin word."""
    return bool(_MARKS_RE.match(text)) and not re.search(r"[a-zA-Z]{3}", text)


class _Page:
    __slots__ = ("source", "page", "width", "height", "lines", "extras", "edge", "keys", "nums", "_outer", "full", "counts",
                 "run_before", "run_after", "_sizes")

    def __init__(self, source, page, width=None, height=None):
        self.source = source
        self.page = page
        self.width = width
        self.height = height
        self.lines = []    # line records
        self.extras = []   # other records met among this page's lines (passed through)
        self.edge = set()  # indexes of lines in the edge zone
        self.keys = {}     # header key -> index, for edge lines that could be headers
        self.nums = {}     # index -> (page number, decorated), for edge lines shaped like one
        self.full = 0      # width of a full body line in the source so far (0: unknown)
        self.counts = {}   # header key -> occurrences on this page
        self.run_before = False  # a run of a long page after its first (see LONG_CHUNK)
        self.run_after = False   # ... before its last: the run's ends are not the page's
        self._sizes = None       # :meth:`sizes`, once asked

    def sizes(self):
        """The font sizes of the page's lines that give one, sorted (worked out once: a
        page is decided after all its lines are in)."""
        if self._sizes is None:
            self._sizes = sorted(r.get("size") for r in self.lines if isinstance(r.get("size"), (int, float)))
        return self._sizes

    def analyse(self):
        idx = [i for i, r in enumerate(self.lines) if str(r.get("text", "")).strip()]
        edge = set(idx[:EDGE_LINES]) | set(idx[-EDGE_LINES:])
        if self.long:
            edge = set(idx)  # page breaks were lost: furniture may be anywhere
        if self.height:  # (in_band needs the page's height)
            edge.update(i for i in idx if self.in_band(i))
        self.edge = edge
        for i in sorted(edge):
            text = str(self.lines[i].get("text", ""))
            pn = page_number(text)
            if pn is not None:
                self.nums[i] = pn
                continue
            key = header_key(text)
            # a page's own edge lines may be as wide as a body line (a law's long title as the
            # running header, wrapped over two lines); a text that lost its page breaks, searched
            # whole, asks headers to be short
            if _header_candidate(text, key, self.full if self.long else 0):
                self.keys.setdefault(key, i)
                self.counts[key] = self.counts.get(key, 0) + 1
        # a decorated page number (－22－, 第 3 页) a little further in: pdftotext may print a
        # page's last lines out of order, the footer's number before a line or two of text
        for i in set(idx[:EDGE_LINES + 2]) | set(idx[-EDGE_LINES - 2:]):
            if i not in edge:
                pn = page_number(str(self.lines[i].get("text", "")))
                if pn is not None and pn[1]:
                    self.nums[i] = pn
        self._outer = (idx[0] if idx and not self.run_before else None,
                       idx[-1] if idx and not self.run_after else None)

    @property
    def long(self):
        """More lines than any printed page holds: a text whose page breaks were lost."""
        return len(self.lines) > LONG_PAGE or self.run_before or self.run_after

    def outermost(self, i):
        return i in self._outer

    def in_band(self, i):
        """Is line *i* printed in the top or bottom margin band (geometry known)?"""
        bb = self.lines[i].get("bbox")
        if not (self.height and bb and len(bb) == 4):
            return False
        return bb[3] <= self.height * MARGIN_BAND or bb[1] >= self.height * (1 - MARGIN_BAND)


def _similar_key(key, others):
    if key in others:
        return True
    if len(key) < 8:
        return False
    return any(_alike(k, key) for k in others)


def _alike(k, key):
    """Header keys of about the same length (three characters or fewer apart) that are similar."""
    return abs(len(k) - len(key)) <= 3 and _similar(k, key)


#: (a, b) -> whether header keys a and b are alike (a <= b): the same pairs of edge lines are
#: compared again and again as the pages slide through the window
_SIMILAR = {}
_SIMILAR_MAX = 4096


def _similar(a, b):
    """Are header keys *a* and *b* alike (Levenshtein similarity 0.85 or more, a symmetric measure)?"""
    pair = (a, b) if a <= b else (b, a)
    got = _SIMILAR.get(pair)
    if got is None:
        # (rapidfuzz loaded when first needed: not at every start)
        from rapidfuzz.distance.Levenshtein import normalized_similarity

        if len(_SIMILAR) >= _SIMILAR_MAX:
            _SIMILAR.clear()
        got = _SIMILAR[pair] = normalized_similarity(a, b) >= 0.85
    return got


class PageWindow:
    """Feed pages in order (:meth:`push`); get back ``(page, kept_lines, removed)`` in order.

    Decisions for a page are taken once :data:`WINDOW` later pages are known
    (or at :meth:`flush`).
    """

    def __init__(self, disabled=frozenset()):
        self.disabled = disabled
        self.ahead = deque()
        self.behind = deque(maxlen=WINDOW)

    def push(self, page):
        page.analyse()
        self.ahead.append(page)
        while len(self.ahead) > WINDOW:
            yield self._decide(self.ahead.popleft())

    def flush(self):
        while self.ahead:
            yield self._decide(self.ahead.popleft())

    def _neighbours(self, page):
        # the runs of one long page (see LONG_CHUNK) are one page: not each other's neighbours
        return [p for p in list(self.behind) + list(self.ahead)
                if p is not page and not (p.page == page.page and p.source == page.source)]

    def _decide(self, page):
        neigh = self._neighbours(page)
        removed_idx = {}
        if "running-header" not in self.disabled:
            # a header repeats on (nearly) every page, or every other page when odd and even
            # pages differ: with enough pages around, ask for two repetitions, so that a notice
            # (中华人民共和国主席令) opening two short laws two pages apart is not taken for one
            need = 2 if len(neigh) >= 4 else 1
            matched = []
            for key, i in page.keys.items():
                if self._law_head(page, i):
                    continue
                # printed in the margin band above or below the text, at the same height as on
                # another page: a header even where it changes every few pages (the law's title)
                need_i = 1 if page.in_band(i) and self._small(page, i) else need
                if page.outermost(i) and self._header_slot(page, i, neigh):
                    need_i = 1  # where the pages around print their headers
                if sum(1 for p in neigh if self._repeats(page, i, key, p)) >= need_i:
                    if self._shadowed(page, key, neigh):
                        continue
                    matched.append((i, key))
            for i, key in self._one_per_edge(page, matched, neigh):
                removed_idx[i] = ("running-header", "repeats at the edge of nearby pages")
            if page.long:
                for i in sorted(page.edge):
                    r = page.lines[i]
                    key = header_key(str(r.get("text", "")))
                    if len(key) >= 5 and page.counts.get(key, 0) >= 3:
                        removed_idx[i] = ("running-header", "recurs throughout a text without page breaks")
        if "page-number" not in self.disabled:
            for i, (n, decorated) in page.nums.items():
                if decorated:
                    removed_idx[i] = ("page-number", "page-number form at the page edge")
                    continue
                # a bare number: the page's outermost line (or in the margin band), numbered
                # consistently with a neighbour page, or the only page around
                in_band = page.in_band(i)
                if page.long:
                    # bare numbers counting up through a text that lost its page breaks
                    seq = sorted(n2 for (n2, d) in page.nums.values() if not d)
                    if (n - 1 in seq or n + 1 in seq) and len(seq) >= 3:
                        removed_idx[i] = ("page-number", "bare page number in a run of page numbers")
                    continue
                offset = n - page.page
                agree = sum(1 for p in neigh if any(n2 - p.page == offset for (n2, d) in p.nums.values()))
                consistent = agree > 0
                if not (page.outermost(i) or in_band):
                    if agree >= 2:
                        # pdftotext may print a page's lines out of order (a left-set page
                        # number among the last lines): numbered in step with two neighbours
                        removed_idx[i] = ("page-number", "bare page number near the page edge, "
                                                         "numbered in step with the pages around")
                    continue
                if consistent or not neigh or (in_band and not any(p.nums for p in neigh)):
                    removed_idx[i] = ("page-number", "bare page number at the page edge")
        if "print-furniture" not in self.disabled:
            for i in sorted(page.edge):
                if removed_idx.get(i, ("",))[0] == "page-number":
                    continue   # a bare 1/3: a page number first (a running header gets the finer name)
                why = print_furniture(str(page.lines[i].get("text", ""))) or site_furniture(str(page.lines[i].get("text", "")))
                if why:
                    removed_idx[i] = ("print-furniture", why + " at the page edge")
            # the rest of a browser's header or footer line, given as a piece of its own
            # (the page's title centred on the print date's baseline, in the margin band)
            for i in [i for i, (rule, _) in removed_idx.items() if rule == "print-furniture"]:
                for j in sorted(page.edge):
                    if j not in removed_idx and page.in_band(j) and self._beside(page, i, j):
                        text = str(page.lines[j].get("text", ""))
                        if _header_candidate(text, header_key(text)) or print_furniture(text):
                            removed_idx[j] = ("print-furniture", "the page's title on the baseline of a "
                                                                 "browser's print furniture, in the margin band")
        if "page-noise" not in self.disabled:
            for i in self._bottom_noise(page, removed_idx):
                removed_idx[i] = ("page-noise", "scrap of one to three characters below the page's last text line")
        kept, removed = [], []
        for i, r in enumerate(page.lines):
            if i in removed_idx:
                rule, reason = removed_idx[i]
                rec = {"type": "removed", "rule": rule, "text": r.get("text", ""),
                       "source": r.get("source", page.source), "page": r.get("page", page.page),
                       "line": r.get("line"), "reason": reason}
                removed.append(rec)
            else:
                kept.append(r)
        self.behind.append(page)
        return page, kept, removed

    @staticmethod
    def _repeats(page, i, key, other):
        """Does the edge line *i* (header key *key*) recur at the edge of page *other*, at the
        same height when both are known?  A running header is printed in the same place on
        every page; a law's title that happens to be the header of the pages after it is not."""
        j = other.keys.get(key)
        if j is None:
            if len(key) < 8:
                return False  # (what _similar_key says of every key but an equal one)
            j = next((j for k, j in other.keys.items() if _alike(k, key)), None)
            if j is None:
                return False
        a = page.lines[i].get("bbox")
        b = other.lines[j].get("bbox")
        if not (a and b and len(a) == 4 and len(b) == 4):
            return True
        if page.height and other.height and abs(page.height - other.height) > 1:
            return True
        tol = max(3.0, 0.6 * (a[3] - a[1]))
        return abs(a[1] - b[1]) <= tol

    @classmethod
    def _law_head(cls, page, i):
        """Is line *i* a law's 题注, or its title (set larger than the body) over its 题注?

        A law printed twice — a cover, then the body under the same title — has both at
        the top of two pages; a running header is neither."""
        text = str(page.lines[i].get("text", ""))
        if CAPTION_RE.match(_unspaced(text)):
            return True
        if not cls._large(page, i):
            return False
        nxt = next((r for r in page.lines[i + 1:] if str(r.get("text", "")).strip()), None)
        return nxt is not None and bool(CAPTION_RE.match(_unspaced(str(nxt.get("text", "")))))

    @staticmethod
    def _large(page, i):
        size = page.lines[i].get("size")
        if not isinstance(size, (int, float)):
            return False
        sizes = page.sizes()
        if len(sizes) < 3:
            return False
        return size >= 1.15 * sizes[len(sizes) // 2]

    @staticmethod
    def _beside(page, i, j):
        """Are lines *i* and *j* of *page* printed on one baseline (both with geometry)?"""
        a, b = page.lines[i].get("bbox"), page.lines[j].get("bbox")
        if not (a and b and len(a) == 4 and len(b) == 4):
            return False
        size = page.lines[i].get("size") or (a[3] - a[1]) or 10
        return abs(a[3] - b[3]) <= 0.4 * size and abs(a[1] - b[1]) <= 0.6 * size

    @staticmethod
    def _header_slot(page, i, neigh):
        """Do the pages around carry a running header in the place of line *i* (the page's
        first or last line)?  Two of them must have their own first (last) line repeat at the
        edge of another page."""
        end = 0 if i == page._outer[0] else 1
        pages = neigh + [page]
        n = 0
        for p in neigh:
            o = p._outer[end]
            if o is None:
                continue
            key = next((k for k, j in p.keys.items() if j == o), None)
            if key is not None and any(q is not p and _similar_key(key, q.keys) for q in pages):
                n += 1
        return n >= 2

    @staticmethod
    def _small(page, i):
        """Set no larger than the page's body text (a running header is; a notice's heading,
        a law's title at the top of a page are not)."""
        size = page.lines[i].get("size")
        if not isinstance(size, (int, float)):
            return False
        sizes = page.sizes()
        if len(sizes) < 3:
            return False
        return size <= sizes[len(sizes) // 2] + 0.1

    @staticmethod
    def _one_per_edge(page, matched, neigh):
        """Of two lines at one edge of a page that both repeat as headers, the inner one is
        text when the two never stand together on another page: alternating headers (the
        bulletin's name, the law's title) and the law's title at the top of its first page."""
        if len(matched) < 2:
            return matched
        mid = len(page.lines) / 2
        out = []
        for edge in ([m for m in matched if m[0] < mid], [m for m in matched if m[0] >= mid]):
            edge.sort(reverse=bool(edge) and edge[0][0] >= mid)
            keep = edge[:1]
            for i, key in edge[1:]:
                together = any(_similar_key(key, p.keys) and any(_similar_key(k2, p.keys) for _, k2 in keep)
                               for p in neigh)
                if together:
                    keep.append((i, key))
            out.extend(keep)
        return out

    @staticmethod
    def _shadowed(page, key, neigh):
        """A line only *like* the running header while another edge line of the same page
        *is* the header: the page's header is that other line, and this one is text
        (公报 header above a 公告 heading: 全国人民代表大会常务委员会公告)."""
        if any(key in p.keys for p in neigh):
            return False
        for other in page.keys:
            if other != key and _similar_key(key, {other: 0}) and any(other in p.keys for p in neigh):
                return True
        return False

    @staticmethod
    def _bottom_noise(page, removed_idx):
        """Trailing scraps at the foot of a page: what a scan's stamps, binding marks and
        misread page numbers leave (六 / II / 珊 或 过).  Only lines of at most three
        characters with no punctuation or label, below the page's last real line."""
        if page.run_after:
            return []  # a run of a long page with more of it to come: its last lines are no page foot
        idx = [i for i, r in enumerate(page.lines) if str(r.get("text", "")).strip() and i not in removed_idx]
        if len(idx) < 5:
            return []
        out = []
        for i in reversed(idx):
            text = _unspaced(str(page.lines[i].get("text", "")))
            if _scan_marks(text):
                out.append(i)
                continue
            if len(text) > 3 or re.search(r"[0-9０-９。；：，、！？.,;:!?）)]", text) or match_label(text):
                break
            out.append(i)
        if len(out) >= len(idx) - 2:
            return []
        return out
