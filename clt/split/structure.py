"""Split a stream of paragraphs into laws, headings and articles.

Records out, per law (see clt-records(5), STRUCTURE)::

    document      title, 题注 (caption + parsed history), notice summary
    block         kind "notice" (the notice that published the law), "toc",
                  "preamble" (序言), "text" (other unnumbered text), "annex"
    heading       编/分编/章/节 (and unnumbered 附则/总则/分则, 附件)
    article       label, num, sub, path, text, paragraphs (款 with 项/目)
    [paragraph, item]   with --level paragraph|item
    warning       numbering problems, where they are
    document_end  what is known only at the end: effective date, counts

Streaming: an article is emitted as soon as the next unit starts; the state
held is one law's heading trail and numbering, the current article (or
block) and, before a law starts, the paragraphs that may turn out to be its
notice and title (bounded).  The ``document`` record is emitted when the
题注 ends; the effective date (本条例自…起施行) can only be known later and
travels on ``document_end``.
"""


from clt import SCHEMA_VERSION
from clt.metadata import metadata_fields
from clt.labels import HEADING_UNITS, LEVEL_ORDER, SPACES, Label, match_label
from clt.numerals import CN_NUM_CHARS, cn2int, int2cn
from clt.split.caption import (DATE_RE, _date, is_notice_head, is_number_line, looks_like_caption,
                               parse_caption, parse_notice)
from clt.split.units import SOFT_END, TERMINAL, LineJoiner, unit_from_para
from clt import recache

STAGE = "split"
LEVELS = ("article", "paragraph", "item")
PENDING_MAX = 60
BLOCK_MAX = 200   # paragraphs of unnumbered text held before a part of the block is written

# text right after an article label that makes it a cross-reference, not a new article
XREF_RE = recache.compile(rf"^(?:规定|所[列称述指规]|的|中[的规所有]|至第|第[{CN_NUM_CHARS}0-9０-９]+[款项目]"
                     r"|[、，,]|(?:和|与|或者?|及|以及|至)第|之规定|以外)")
#: the purpose clause a law's first article opens with
PURPOSE_RE = recache.compile(r"^为|制定本")
OCR_LABEL_RE = recache.compile(r"^第[ \u3000]*(?P<mid>[^ \u3000条，。、；：]{1,7}?)[ \u3000]*条(?!之)")
MISSING_DI_RE = recache.compile(rf"^(?P<num>[{CN_NUM_CHARS}]+)条(?:之(?P<sub>[{CN_NUM_CHARS}]+))?[{SPACES}]+")
#: what a law calls itself: 本条例, 本法, 本规定…
SELF_NAMES = "条例|法|规定|办法|细则|决定|解释|规则|准则"
#: an article that speaks of the law's own 施行 (so a missing 施行 clause is no sign of truncation)
MENTIONS_EFFECT_RE = recache.compile(rf"本(?:{SELF_NAMES})[^。]{{0,20}}(?:施行|实施)")
EFFECTIVE_RE = recache.compile(rf"本(?:{SELF_NAMES}|实施细则|实施办法)?"
                          r"自(?P<when>[^，。；]{1,40}?)起(?:施行|实施|生效)")
TITLE_SUFFIX_RE = recache.compile(r"(?:法|条例|规定|办法|细则|决定|解释|规则|决议|章程|规程|准则|纲要|意见|通知|批复|答复|标准|守则)"
                             r"(?:[（(][^）)]{1,8}[）)])?$")
TITLE_CAPTION_RE = recache.compile(r"^(?P<title>[^（(]{2,80}?(?:[（(][^）)]{1,8}[）)])?)[ \u3000]*(?P<caption>[（(][^（(]*\d{4}[ \u3000]*年.*[）)])$")
#: a page number closing a 目录 entry: 总则……1, 总则 (3), 总则 12
TOC_PAGE_RE = recache.compile(r"(?:[.．·…‥—\-]{2,}|(?<=\S)[ \u3000]+|(?<=[^0-9０-９]))[ \u3000]*[（(]?[0-9０-９]{1,4}[）)]?$")
#: characters that make a word with a line-final 法 (法律, 法院, 法规…): the title goes on
LAW_WORD_NEXT = "律院规典人官庭制治定学理医警"
#: words ending in 法 that do not end a law's name (违法行为…, 依法…)
NOT_LAW_FA_RE = recache.compile(r"(?:违|执|依|非|合|守|司|立|方|做|用|说|无|设|效|手|看|想|算|书|写|语|兵|戏)法$")
#: column headings of a bulletin, never a law's title
SECTION_RE = recache.compile(r"^(?:法律|行政法规|地方性法规|自治条例|单行条例|司法解释|部门规章|政府规章|规章|规范性文件"
                        r"|人事任免|命令|决定|决议|公告|文件|其他)$")
TOC_RE = recache.compile(rf"^目[{SPACES}]*[录錄]$")  # 目錄 as traditional-script texts print it
PREAMBLE_RE = recache.compile(rf"^序[{SPACES}]*言$")
PLAIN_HEADING_RE = recache.compile(rf"^(?P<name>附[{SPACES}]*[则則]|[总總][{SPACES}]*[则則]|分[{SPACES}]*[则則])$")
ANNEX_RE = recache.compile(rf"^(?P<name>附[{SPACES}]*[件录錄表])[{SPACES}]*(?P<num>[0-9０-９{CN_NUM_CHARS}]{{0,3}})[：:]?$")
#: an annex heading that names the annex on its line (附件：收费项目表, 附件2　登记表, 附表一：…):
#: a short name without sentence punctuation; only after a law's articles
ANNEX_TITLED_RE = recache.compile(rf"^(?P<name>附[{SPACES}]*[件录錄表])[{SPACES}]*(?P<num>[0-9０-９{CN_NUM_CHARS}]{{0,3}})"
                             rf"(?:[{SPACES}]*[：:]|(?<=[0-9０-９{CN_NUM_CHARS}])[{SPACES}]+)[{SPACES}]*"
                             rf"(?P<title>[^{SPACES}。；，,;！？!?][^。；，,;！？!?]{{0,39}})$")
SIGNATURE_RE = recache.compile(r"^(?:代理?)?(?:主席|总理|院长|主任|省长|市长|区长|县长|州长|部长|局长|署长|委员长|检察长|主任委员"
                          r"|行长|会长|署长|厅长)[ \u3000]+\S{2,4}$")
#: an issue line of a bulletin: 2021年第3期, 总第123期, 第六号
ISSUE_RE = recache.compile(r"^(?:[0-9０-９〇一二三四五六七八九]{4}[ \u3000]*年)?[ \u3000]*(?:[（(]?总)?第[ \u3000]*[0-9０-９一二三四五六七八九十百]+"
                      r"[ \u3000]*[期号卷][）)]?$")
HEADER_RE = recache.compile(r"(?:公报|政报)$|(?:公报|公告|政报)[ \u3000]*(?:[0-9０-９〇一二三四五六七八九]{4}[ \u3000]*年)?"
                       r"[ \u3000]*第[ \u3000]*[0-9０-９一二三四五六七八九十]+[ \u3000]*[期号]$")
#: a line that is a date and no more, whatever OCR made of its last character
SIGNING_DATE_RE = recache.compile(r"^[0-9０-９〇一二三四五六七八九○OoZz]{4}年[0-9０-９〇一二三四五六七八九十]{1,3}月"
                             r"[0-9０-９〇一二三四五六七八九十]{1,3}\S?$")
PAGE_NUM_RE = recache.compile(r"^[-—–－·\s]*(?:第\s*)?[0-9０-９]{1,4}\s*(?:页)?[-—–－·\s]*$")
_CJK_SPACE = recache.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \u3000\t]+|[ \u3000\t]+(?=[\u3000-\u9fff\uff00-\uffef])")


def _annex_heading(t, after_articles):
    """``(label, name)`` when *t* heads an annex (附件, 附件二：, and after a law's articles also
    附件1：收费项目表), else None."""
    m = ANNEX_RE.match(t)
    if m:
        return squeeze(t).rstrip("：:"), squeeze(m.group("name"))
    m = ANNEX_TITLED_RE.match(t) if after_articles else None
    if m:
        return squeeze(m.group("name")) + squeeze(m.group("num")), m.group("title").strip(SPACES)
    return None


def squeeze(text):
    """*text* without the spaces next to CJK characters (letter-spaced titles: 总　则)."""
    return _CJK_SPACE.sub("", text.strip(SPACES))


def title_like(text):
    """Could *text* be (part of) a law's title?"""
    s = text.strip(SPACES)
    if not s or len(s) > 80:
        return False
    if s[-1] in "）)":
        # a title may end with a short parenthesis: …规定（一）, …条例（试行）
        k = max(s.rfind("（"), s.rfind("("))
        if k <= 0 or len(s) - k > 10 or s[k - 1] in TERMINAL or s[k - 1] in SOFT_END:
            return False
    elif s[-1] in TERMINAL or s[-1] in SOFT_END:
        return False
    if match_label(s):
        return False
    q = squeeze(s)
    if (is_notice_head(s) or is_number_line(s) or DATE_RE.fullmatch(q) or HEADER_RE.search(s)
            or SIGNATURE_RE.match(s) or ISSUE_RE.match(s) or SECTION_RE.match(q) or PAGE_NUM_RE.match(s)
            or TOC_RE.match(s) or PREAMBLE_RE.match(s) or PLAIN_HEADING_RE.match(s) or ANNEX_RE.match(s)):
        return False
    if looks_like_caption(s) or metadata_fields(s) is not None:
        return False
    if SIGNING_DATE_RE.match(q):
        return False  # the date under a notice, its 日 misread by OCR (2023年12月29昌)
    return True


PAREN_DIGIT_RE = recache.compile(r"^[（(](?P<num>[0-9０-９]{1,2})[）)]")
BARE_NUM_RE = recache.compile(rf"^[（(][{CN_NUM_CHARS}0-9０-９]{{1,3}}[）)]$")


def title_run_start(units):
    """Where the run of (at most three) title paragraphs at the end of *units* starts."""
    i = len(units)
    while i > 0 and len(units) - i < 3:
        t = units[i - 1]["text"]
        if title_like(t):
            i -= 1
        elif BARE_NUM_RE.match(t.strip(SPACES)) and i == len(units) and i > 1 and title_like(units[i - 2]["text"]):
            i -= 1   # 若干问题的规定 / （一）: the number of a series ends the title
        else:
            break
    return i


def peel_title(units):
    """Split *units* (paragraphs before a law's body) into (rest, notice, title).

    The title is the run of title-like paragraphs at the end (a title printed
    over two or three lines is one title); the notice starts at the last
    notice heading (…公告, …令) before it, if there is one.
    """
    k = _bare_caption_start(units)
    cap = units[k:]
    units = units[:k]
    i = title_run_start(units)
    title = units[i:]
    # a complete title earlier in the run belongs to something else: keep the last one
    for j in range(len(title) - 2, -1, -1):
        head = squeeze(title[j]["text"])
        tail = join_title(title[j + 1:])
        if (TITLE_SUFFIX_RE.search(head) and _balanced(head) and len(head) >= 6 and len(tail) >= 6
                and tail[0] not in "》〉>）)" and TITLE_SUFFIX_RE.search(tail)
                and not (head[-1] == "法" and (tail[0] in LAW_WORD_NEXT or NOT_LAW_FA_RE.search(head)))):
            i += j + 1
            title = units[i:]
            break
    before = units[:i]
    k = None
    for j in range(len(before) - 1, max(-1, len(before) - 40), -1):
        if is_notice_head(before[j]["text"]):
            k = j
            break
    if k is None:
        return before, [], title + cap
    return before[:k], before[k:], title + cap


#: how many paragraphs a bare 题注 may take (two or three events, a line or two each)
BARE_CAPTION_MAX = 8


def _bare_caption_start(units):
    """Where the 题注 printed without parentheses at the end of *units* starts (len(units) when none).

    It starts with a paragraph that opens with a date; what follows it up to the
    end reads, joined, as dated events (see :func:`bare_caption_tail`).
    """
    k = len(units)
    for j in range(len(units) - 1, max(-1, len(units) - 1 - BARE_CAPTION_MAX), -1):
        t = units[j]["text"].strip(SPACES)
        if not t or t[-1] in "。；;":
            break
        if DATE_RE.match(t) and looks_like_caption("".join(u["text"].strip(SPACES) for u in units[j:]),
                                                   after_title=True):
            k = j
    return k


def _enum_heading(lab):
    """一、总则: an enum label over a short title without punctuation."""
    r = lab.rest
    return bool(r) and len(r) <= 20 and r[-1] not in TERMINAL and r[-1] not in SOFT_END


def _balanced(s):
    return s.count("《") == s.count("》") and s.count("（") + s.count("(") == s.count("）") + s.count(")")


def join_title(units):
    return squeeze("".join(u["text"].strip(SPACES) for u in units))


def _where(u):
    w = {}
    if u.get("source") is not None:
        w["source"] = u["source"]
    if u.get("page") is not None:
        w["page"] = u["page"]
    if u.get("lines"):
        ln = u["lines"][0]
        if isinstance(ln, (list, tuple)) and len(ln) > 1:
            w["line"] = ln[1]
    if u.get("lineno") is not None:
        w["lineno"] = u["lineno"]
    return w


def _origin(u):
    """The source and page of unit *u*, for the record it opens."""
    return {k: v for k, v in _where(u).items() if k in ("source", "page")}


def bare_caption_tail(units):
    """Where a 题注 printed without parentheses starts at the end of *units* (title
    paragraphs), or None.

    Bare 题注 lines (``2001年2月23日…会议通过``) wrapped over two lines come as
    paragraphs that are each no caption (``…第十八次会`` / ``议通过``): the tail
    from the first paragraph that opens with a date is one when together they
    read as dated events.  A title never opens with a full date.
    """
    for j in range(len(units)):
        t = units[j]["text"].strip(SPACES)
        if DATE_RE.match(t):
            tail = "".join(u["text"].strip(SPACES) for u in units[j:])
            if looks_like_caption(tail, after_title=True):
                return j
            return None
    return None


def _opens_caption(t):
    """A 题注 paragraph that opens a parenthesis it does not close: the caption goes on."""
    return t[0] in "（(" and t[-1] not in "）)"


def _lines(units):
    out = []
    for u in units:
        out.extend(u.get("lines") or [])
    return out


class Law:
    def __init__(self, title_units, notice_units):
        # a 题注 printed without parentheses comes with the title paragraphs: it is the caption
        j = bare_caption_tail(title_units)
        caption = []
        if j is not None:
            title_units, caption = title_units[:j], title_units[j:]
        self.title_units = title_units
        self.title = join_title(title_units)
        self.notice_units = notice_units
        self.caption_units = caption
        self.caption_open = False
        self.opened = False          # document record emitted
        self.n_articles = 0
        self.last = None             # (num, sub) of the last article
        self.last_label = None
        self.heading_last = {}       # level -> last number seen under the current parent
        self.trail = []              # [(level, "label title")]
        self.effective = None
        self.enum_mode = False
        self.annex = False
        self.n_warnings = 0
        self.saw_effective = False   # some article mentions 施行/实施 of the law itself
        self.caption_effective = None  # the 施行 event of the 题注
        self.last_text = None
        self.levels_seen = set()
        self.md_levels = {}          # Markdown depth -> heading level, from numbered headings
        self.last_unit = None
        self.meta_units = []         # the metadata block of a law database (发文字号：…)
        self.meta = {}


class Splitter:
    """The splitting state machine; feed paragraph units, then call finish()."""

    def __init__(self, level="article"):
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}")
        self.level = level
        self.pending = []
        self.law = None
        self.cur = None      # {"kind": "article"|"block", ...}
        self.toc = None
        self.heading_wait = None   # a heading label alone, waiting for its title on the next line
        self.meta_units = []       # a law database's metadata block met before any law
        self.meta = {}

    # ------------------------------------------------------------------ helpers

    def in_body(self):
        return self.cur is not None and self.cur["kind"] == "article"

    def warn(self, code, message, u=None, **extra):
        r = {"type": "warning", "stage": STAGE, "code": code, "message": message}
        if u is not None:
            r.update(_where(u))
        r.update(extra)
        if self.law is not None:
            self.law.n_warnings += 1
        return r

    # ------------------------------------------------------------------ driving

    def feed(self, u):
        t = u["text"].strip(SPACES)
        if not t:
            return
        u["text"] = t
        m = TITLE_CAPTION_RE.match(t)
        if m and TITLE_SUFFIX_RE.search(squeeze(m.group("title"))) and title_like(m.group("title")) \
                and looks_like_caption(m.group("caption")) and DATE_RE.search(m.group("caption")):
            # a title and its 题注 that reached us as one paragraph
            for part in ("title", "caption"):
                v = dict(u, text=m.group(part).strip(SPACES))
                yield from self.feed(v)
            return
        law = self.law
        if u.get("front_matter") is not None:
            # YAML front matter (pandoc -s, Hugo): the document's metadata, never its title or text
            yield from self._metadata(u, u["front_matter"])
            return
        if u.get("md_heading") and u.get("md") == 1:
            u["md"] = 0 if law is None else 1
        if self.heading_wait is None and (law is None or not law.opened or not (law.n_articles or law.annex)):
            meta = metadata_fields(t)
            if meta is not None:
                yield from self._metadata(u, meta)
                return
        if self.toc is not None and law is None:
            done = yield from self._toc(u, t)
            if not done:
                return
        if self.heading_wait is not None:
            hu, lab = self.heading_wait
            self.heading_wait = None
            hu["_nowait"] = True
            cont = (u.get("md", 0) == 0 and t[-1] not in TERMINAL and t[-1] not in SOFT_END
                    and not match_label(t) and not looks_like_caption(t) and not TOC_RE.match(t))
            if lab.rest:
                # a heading title wrapped onto a second line: 第三章　非物质文化遗产代表性项目 / 名录
                cont = (cont and len(t) <= 12 and len(lab.rest) + len(t) <= 40 and title_like(t)
                        and not TITLE_SUFFIX_RE.search(t) and not is_notice_head(t))
            else:
                cont = cont and len(t) <= 20
            if cont:
                # 第一章 on a line of its own, its title on the next
                cu = dict(hu, text=hu["text"] + ("" if lab.rest else "\u3000") + t,
                          lines=list(hu.get("lines") or []) + list(u.get("lines") or []))
                yield from self._heading(cu, cu["text"], match_label(cu["text"]))
                return
            yield from self._heading(hu, hu["text"], lab)
            law = self.law
        if law is None:
            yield from self._pre(u, t)
        elif not law.opened:
            yield from self._caption(u, t)
        else:
            yield from self._body(u, t)

    def _metadata(self, u, fields):
        """A line of a law database's metadata block: held for the law it stands before
        (or after its title), written as a ``metadata`` block with the law's document."""
        law = self.law
        if law is not None and law.opened:
            yield from self._flush()
            b = self._block("metadata", [u])
            b["fields"] = fields
            yield b
            return
        units, held = (self.meta_units, self.meta) if law is None else (law.meta_units, law.meta)
        units.append(u)
        held.update((k, v) for k, v in fields.items() if k not in held)

    def _metadata_block(self, units, fields):
        b = self._block("metadata", units)
        b["fields"] = dict(fields)
        return b

    def finish(self):
        if self.heading_wait is not None:
            hu, lab = self.heading_wait
            self.heading_wait = None
            hu["_nowait"] = True
            yield from self._heading(hu, hu["text"], lab)
        if self.toc is not None and self.law is None:
            yield self._toc_block()
        if self.law is not None:
            if not self.law.opened:
                yield from self._open_document()
            yield from self._end_law()
        if self.pending:
            yield self._block("text", self.pending)
            self.pending = []
        if self.meta_units:
            yield self._metadata_block(self.meta_units, self.meta)
            self.meta_units, self.meta = [], {}

    # ------------------------------------------------------------------ before a law

    def _pre(self, u, t):
        if u.get("md") == 1:
            rest, notice, title = peel_title(self.pending)
            yield from self._start_law(rest + title if not notice else rest, notice + (title if notice else []), [u])
            return
        after_title = bool(self.pending) and title_like(self.pending[-1]["text"])
        if looks_like_caption(t, after_title=after_title):
            rest, notice, title = peel_title(self.pending)
            yield from self._start_law(rest, notice, title)
            self.law.caption_units.append(u)
            self.law.caption_open = _opens_caption(t)
            return
        if TOC_RE.match(t) and not after_title:
            # a table of contents of the whole bulletin, before any law
            self.toc = {"units": [u], "entries": [], "keys": set()}
            return
        lab = match_label(t)
        starts = (TOC_RE.match(t) or PREAMBLE_RE.match(t) or u.get("md", 0) >= 2
                  or (lab and lab.kind in ("article", "part", "subpart", "chapter", "section")
                      and not XREF_RE.match(t[lab.end:]))
                  or (lab and lab.kind == "enum" and after_title and (lab.num == 1 or _enum_heading(lab))))
        if starts:
            rest, notice, title = peel_title(self.pending)
            yield from self._start_law(rest, notice, title)
            yield from self._caption(u, t)
            return
        self.pending.append(u)
        if len(self.pending) > PENDING_MAX:
            yield self._block("text", self.pending[:20])
            del self.pending[:20]

    def _start_law(self, rest, notice, title):
        self.pending = []
        if rest:
            yield self._block("text", rest)
        self.law = Law(title, notice)
        self.law.meta_units, self.law.meta = self.meta_units, self.meta
        self.meta_units, self.meta = [], {}

    # ------------------------------------------------------------------ the caption

    def _caption(self, u, t):
        law = self.law
        if law.caption_open and self._caption_runaway(t):
            # a 题注 whose closing parenthesis OCR lost (…2015年5月1日施) would swallow
            # the whole law: it ends where the first heading or article label stands
            law.caption_open = False
            yield from self._open_document()
            yield self.warn("caption-unclosed", f"the 题注 never closes its parenthesis: it ends before "
                                                f"{match_label(t).label if match_label(t) else t[:8]}", u)
            yield from self._body(u, t)
            return
        if law.caption_open:
            law.caption_units.append(u)
            if t[-1] in "）)" or (t.count("）") + t.count(")")) > (t.count("（") + t.count("(")):
                law.caption_open = False
            return
        if u.get("md", 0) == 0 and looks_like_caption(t, after_title=True) and not match_label(t, kinds=("item",)):
            law.caption_units.append(u)
            law.caption_open = _opens_caption(t)
            return
        yield from self._open_document()
        yield from self._body(u, t)

    @staticmethod
    def _caption_runaway(t):
        """Does *t*, met inside an open 题注, start the law's body instead?"""
        lab = match_label(t)
        if lab is not None and lab.kind in ("article", "part", "subpart", "chapter", "section"):
            return True
        return bool(PREAMBLE_RE.match(t) or TOC_RE.match(t) or PLAIN_HEADING_RE.match(t))

    def _open_document(self):
        law = self.law
        law.opened = True
        first = (law.title_units or law.caption_units or [None])[0]
        doc = {"type": "document", "schema": SCHEMA_VERSION, "title": law.title}
        if first is not None:
            doc.update(_origin(first))
        if law.caption_units:
            cap = "\n".join(u["text"] for u in law.caption_units)
            doc["caption"] = cap
            doc["history"] = parse_caption("".join(u["text"] for u in law.caption_units)
                                           if any(u.get("raw") for u in law.caption_units) else cap)
            for ev in doc["history"]:
                if ev.get("act") in ("施行", "实施") and ev.get("date"):
                    law.caption_effective = {"text": ev["text"], "date": ev["date"], "from": "caption"}
        if law.notice_units:
            doc["notice"] = parse_notice([u["text"] for u in law.notice_units])
        if law.meta:
            doc["metadata"] = dict(law.meta)
        yield doc
        if law.meta_units:
            yield self._metadata_block(law.meta_units, law.meta)
        if law.notice_units:
            b = self._block("notice", law.notice_units)
            b["notice"] = doc["notice"]
            yield b

    # ------------------------------------------------------------------ the body

    def _body(self, u, t):
        law = self.law
        md = u.get("md", 0)
        if md == 1 and not u.get("md_heading"):
            yield from self._new_law(u, title_units=[u])
            return
        if self.toc is not None:
            done = yield from self._toc(u, t)
            if not done:
                return
        if t[0] in "（(" and looks_like_caption(t) and self._trailing_title():
            yield from self._new_law(u, caption=True)
            return
        if TOC_RE.match(t):
            yield from self._flush()
            self.toc = {"units": [u], "entries": [], "keys": set()}
            return
        if PREAMBLE_RE.match(t):
            yield from self._flush()
            self.cur = {"kind": "block", "block": "preamble", "units": [u]}
            return
        if law.annex and not _annex_heading(t, True):
            yield from self._add(u)
            return
        lab = match_label(t)
        if lab is not None and lab.kind in HEADING_UNITS.values():
            if md == 0 and not u.get("_nowait"):
                self.heading_wait = (u, lab)
                return
            if md:
                law.md_levels[md] = lab.kind
            yield from self._heading(u, t, lab)
            return
        if lab is not None and lab.kind == "article" and law.enum_mode:
            if lab.num == 1 and not lab.sub and self._trailing_title():
                yield from self._new_law(u)
                return
            self._append_xref(u)   # 将第十条修改为… in a text numbered 一、二、
            return
        if lab is not None and lab.kind == "article":
            yield from self._article_label(u, t, lab)
            return
        m = MISSING_DI_RE.match(t)
        if m and law.last is not None:
            try:
                num = cn2int(m.group("num"))
                sub = cn2int(m.group("sub")) if m.group("sub") else None
            except ValueError:
                num = None
            if num is not None and self._expected(num, sub):
                label = f"第{m.group('num')}条" + (f"之{m.group('sub')}" if m.group("sub") else "")
                yield from self._flush()
                yield self.warn("label-missing-di", f"article label without 第: {t[:m.end()].strip()} read as {label}",
                                u, label=label)
                yield from self._start_article(u, label, num, sub, t[m.end():].strip(SPACES))
                return
        m = OCR_LABEL_RE.match(t)
        if m and law.last is not None and not law.enum_mode:
            expected = int2cn(law.last[0] + 1)
            mid = m.group("mid")
            if (len(mid) == len(expected) and sum(a != b for a, b in zip(mid, expected)) == 1
                    and not XREF_RE.match(t[m.end():].lstrip(SPACES))):
                # one character of the label misread (第十入条): the numbering says which article it is
                label = f"第{expected}条"
                yield from self._flush()
                yield self.warn("label-misread", f"{t[:m.end()]} read as {label}, the article expected here",
                                u, label=label)
                yield from self._start_article(u, label, law.last[0] + 1, None, t[m.end():].strip(SPACES))
                return
        if lab is not None and lab.kind == "enum" and not law.enum_mode and _enum_heading(lab):
            # 一、总则: a heading of a text whose articles are numbered 第1条…
            yield from self._flush()
            yield self._heading_record(u, "chapter", lab.label, lab.num, squeeze(lab.rest))
            return
        if lab is not None and lab.kind == "enum" and (law.enum_mode or (law.n_articles == 0 and lab.num == 1)):
            if not law.enum_mode and lab.num == 1:
                law.enum_mode = True
            if law.last is None or lab.num == law.last[0] + 1:
                yield from self._start_article(u, lab.label, lab.num, None, lab.rest)
                return
        if md >= 2 or (PLAIN_HEADING_RE.match(t) and len(t) <= 8):
            if md == 0 and self._bare_word_in_article():
                # 附则 alone under an article of a law divided into 章 (and no 编): such a law prints
                # its closing chapter 第X章　附则, so the word is the article's text, not a heading.
                # A bare 附则 heading is the sibling of 编 (刑法, 民法典), or opens the text (总则).
                yield self.warn("heading-word-as-text", f"{squeeze(t)} stands alone inside "
                                f"{self.cur['label']} of a law divided into 章 (its headings are 第X章…): "
                                "kept as the article's text", u, label=self.cur["label"])
                yield from self._add(u)
                return
            yield from self._plain_heading(u, t)
            return
        annex = _annex_heading(t, law.n_articles or law.annex)
        if annex:
            yield from self._flush()
            yield self._heading_record(u, "annex", annex[0], None, annex[1], push=False)
            law.annex = True
            self.cur = {"kind": "block", "block": "annex", "units": []}
            return
        yield from self._add(u)

    def _add(self, u):
        """Append *u* to the current unit; a long block is written in parts (memory stays flat)."""
        self._append(u)
        cur = self.cur
        if cur["kind"] == "block" and len(cur["units"]) >= BLOCK_MAX:
            head, cur["units"] = cur["units"][:-3], cur["units"][-3:]
            yield self._block(cur["block"], head)

    def _append(self, u):
        if self.cur is None:
            self.cur = {"kind": "block", "block": "text", "units": [u]}
        else:
            self.cur["units"].append(u)

    # ------------------------------------------------------------------ laws

    def _trailing_title(self):
        cur = self.cur
        if cur is None:
            return False
        units = cur["units"][1:] if cur["kind"] == "article" else cur["units"]
        return bool(units) and title_run_start(units[-4:]) < len(units[-4:])

    def _peel_cur(self):
        """Take the notice and title paragraphs off the end of the current unit."""
        cur = self.cur
        if cur is None:
            return [], []
        start = 1 if cur["kind"] == "article" else 0
        tail = cur["units"][start:]
        rest, notice, title = peel_title(tail)
        cur["units"][start:] = rest
        return notice, title

    def _new_law(self, u, title_units=None, caption=False):
        if title_units is None:
            notice, title = self._peel_cur()
        elif title_units:
            # a title we were told (Markdown #): only a notice is taken off what precedes
            notice, seen = self._peel_cur()
            if notice:
                notice += seen
            elif seen:
                self.cur["units"].extend(seen)
            title = title_units
        else:
            notice, title = [], []
        law = self.law
        if (law is not None and law.opened and law.n_articles == 0 and not law.annex and title and not notice
                and law.title and join_title(title) == law.title):
            # the law printed twice — a cover or summary (title, 题注, a note, a 目录) and then
            # the body under the same title: one law; the title seen again is kept, marked
            rep = title + ([u] if caption else [])
            yield from self._flush()
            b = self._block("text", rep)
            b["repeated"] = "title"
            if caption and not law.caption_units:
                # the cover had no 题注: the body's is given here (the document record is out)
                b["caption"] = u["text"]
                b["history"] = parse_caption(u["text"])
            yield b
            if not caption and title_units is None:
                yield from self._body(u, u["text"])
            return
        yield from self._flush()
        yield from self._end_law()
        self.law = Law(title, notice)
        if caption:
            self.law.caption_units.append(u)
            self.law.caption_open = _opens_caption(u["text"])
        elif title_units is None:
            yield from self._caption(u, u["text"])

    def _end_law(self):
        law = self.law
        if law is None:
            return
        yield from self._flush()
        if self.toc is not None:
            yield self._toc_block()
        last_line = (law.last_text or "").rsplit("\n", 1)[-1]
        if (law.n_articles and last_line and last_line[-1] not in TERMINAL
                and not match_label(last_line, kinds=("item", "subitem", "enum"))):
            yield self.warn("truncated", f"the law stops inside {law.last_label}: its text ends mid-sentence",
                            law.last_unit, label=law.last_label, title=law.title)
        elif law.n_articles and law.effective is None and not law.saw_effective and law.caption_effective is None:
            yield self.warn("truncated", f"numbering stops at {law.last_label} with no 施行 clause; "
                            "the law may be truncated", law.last_unit, label=law.last_label, title=law.title)
        if law.effective is None and law.caption_effective is not None:
            law.effective = law.caption_effective
        end = {"type": "document_end", "title": law.title, "articles": law.n_articles,
               "warnings": law.n_warnings}
        if law.effective:
            end["effective"] = law.effective
        self.law = None
        yield end

    # ------------------------------------------------------------------ headings

    def _heading(self, u, t, lab):
        law = self.law
        level = lab.kind
        prev = law.heading_last.get(level)
        top = not any(LEVEL_ORDER.index(lv) < LEVEL_ORDER.index(level) for lv in law.levels_seen)
        if law.n_articles and lab.num == 1 and ((prev is not None and top) or self._trailing_title()):
            if self._trailing_title():
                yield from self._new_law(u)
                return
            # numbering restarts under no new parent: a new law without a title we could see
            yield self.warn("restart", f"{lab.label} restarts the {level} numbering: a new law starts", u)
            yield from self._new_law(u, title_units=[])
            yield from self._caption(u, t)
            return
        yield from self._flush()
        law.levels_seen.add(level)
        if prev is not None and lab.num != prev + 1:
            code = "duplicate" if lab.num == prev else ("gap" if lab.num > prev else "out-of-order")
            yield self.warn(code, f"{lab.label} follows {level} {prev}", u, label=lab.label)
        law.heading_last[level] = lab.num
        idx = LEVEL_ORDER.index(level)
        for lower in LEVEL_ORDER[idx + 1:]:
            law.heading_last.pop(lower, None)
        yield self._heading_record(u, level, lab.label, lab.num, squeeze(lab.rest))

    def _bare_word_in_article(self):
        """Is a bare 附则/总则/分则 met now inside an article's text rather than a heading?"""
        seen = self.law.levels_seen
        return self.in_body() and "chapter" in seen and "part" not in seen and "subpart" not in seen

    def _plain_heading(self, u, t):
        yield from self._flush()
        name = squeeze(t)
        md = u.get("md", 0)
        # an unnumbered heading: 附则/总则/分则, or a Markdown heading at the level that the
        # numbered headings of its depth have (### is a chapter under 编, a section under 章)
        level = self.law.md_levels.get(md) or ("section" if md >= 3 and not self.law.md_levels else "chapter")
        if md == 0 and "part" in self.law.levels_seen:
            level = "part"   # 刑法, 民法典: 附则 after the last 编 is its sibling, not a chapter under it
        yield self._heading_record(u, level, name, None, name)

    def _heading_record(self, u, level, label, num, title, push=True):
        law = self.law
        text = f"{label} {title}".strip() if title and title != label else label
        if push and level in LEVEL_ORDER:
            idx = LEVEL_ORDER.index(level)
            law.trail = [(lv, h) for lv, h in law.trail if LEVEL_ORDER.index(lv) < idx]
            path = [h for _, h in law.trail]
            law.trail.append((level, text))
        else:
            path = [h for _, h in law.trail]
        r = {"type": "heading", "level": level, "label": label, "num": num, "title": title, "path": path}
        printed = u.get("text", "")
        plain = {label} if not title or title == label else {label + sep + title for sep in ("", "\u3000", " ")}
        if printed and printed.strip(SPACES) not in plain:
            r["printed"] = printed   # letter-spaced as printed (第 十 一 章　法 律 责 任): the spacing is kept here
        r.update(_where(u))
        r["lines"] = list(u.get("lines") or [])
        return r

    # ------------------------------------------------------------------ articles

    def _expected(self, num, sub):
        last = self.law.last
        if last is None:
            return num == 1 and not sub
        lnum, lsub = last
        if sub:
            return num == lnum and sub == (lsub or 0) + 1
        return num == lnum + 1

    def _article_label(self, u, t, lab):
        law = self.law
        after = t[lab.end:]
        sep = (not after) or after[0] in SPACES
        xref = bool(XREF_RE.match(after.lstrip(SPACES) if sep else after))
        expected = self._expected(lab.num, lab.sub)
        if xref and not (sep and expected):
            self._append_xref(u)
            return
        if law.n_articles and lab.num == 1 and not lab.sub:
            notice_title = self._trailing_title()
            if notice_title:
                yield from self._new_law(u)
                return
            if law.last and law.last[0] > 1 and PURPOSE_RE.search(lab.rest[:60]):
                # 第一条　为了…，制定本条例。: the purpose clause that opens a law
                yield self.warn("restart", f"{lab.label} restarts the article numbering: a new law starts", u)
                yield from self._new_law(u, title_units=[])
                yield from self._caption(u, t)
                return
        if not expected and law.last is not None:
            lnum, lsub = law.last
            forward = lab.num - lnum
            if not sep and not (0 < forward <= 20):
                yield self.warn("ambiguous-label", f"{lab.label} at a paragraph start does not continue "
                                f"the numbering after {law.last_label}; kept as text", u, label=lab.label)
                self._append_xref(u)
                return
            if (lab.num, lab.sub) == (lnum, lsub):
                code, msg = "duplicate", f"{lab.label} appears twice"
            elif (lab.num, lab.sub or 0) < (lnum, lsub or 0):
                code, msg = "out-of-order", f"{lab.label} follows {law.last_label}"
            else:
                code, msg = "gap", f"{lab.label} follows {law.last_label}: numbering skips"
            yield self.warn(code, msg, u, label=lab.label, after=law.last_label)
        elif law.last is None and (lab.num != 1 or lab.sub):
            yield self.warn("gap", f"the first article is {lab.label}", u, label=lab.label)
        yield from self._start_article(u, lab.label, lab.num, lab.sub, lab.rest)

    def _append_xref(self, u):
        cur = self.cur
        if u.get("raw") and cur is not None and cur["units"] and cur["units"][-1]["text"][-1:] not in TERMINAL:
            last = cur["units"][-1]
            last["text"] += u["text"]
            last["lines"] = list(last.get("lines") or []) + list(u.get("lines") or [])
            if cur["kind"] == "article" and len(cur["units"]) == 1:
                cur["first"] += u["text"]
            return
        self._append(u)

    def _start_article(self, u, label, num, sub, rest):
        yield from self._flush()
        law = self.law
        law.n_articles += 1
        law.last = (num, sub)
        law.last_label = label
        if rest[:1] in "：:" and len(rest) > 1:
            rest = rest[1:].lstrip(SPACES)   # 第一条：为了… — the colon only separates the label
        self.cur = {"kind": "article", "label": label, "num": num, "sub": sub, "units": [u], "first": rest,
                    "path": [h for _, h in law.trail]}

    # ------------------------------------------------------------------ output

    def _flush(self):
        cur, self.cur = self.cur, None
        if cur is None:
            return
        if cur["kind"] == "block":
            if cur["units"] or cur["block"] == "annex":
                yield self._block(cur["block"], cur["units"])
            return
        yield from self._article_records(cur)

    def _block(self, kind, units):
        r = {"type": "block", "kind": kind, "text": "\n".join(u["text"] for u in units)}
        if units:
            r.update(_origin(units[0]))
        r["lines"] = _lines(units)
        return r

    def _article_records(self, cur):
        texts = [cur["first"]] + [u["text"] for u in cur["units"][1:]]
        if not texts[0]:
            texts = texts[1:]
        paragraphs = []
        for text in texts:
            lab = match_label(text, kinds=("item", "subitem"))
            if lab is None:
                m = PAREN_DIGIT_RE.match(text)
                if m:   # （1） numbers 目 in some texts
                    lab = Label("subitem", cn2int(m.group("num")), None, m.group(0), m.end(),
                                text[m.end():].lstrip(SPACES))
            item = {"label": lab.label, "num": lab.num, "text": lab.rest, "items": []} if lab else None
            if lab is not None and lab.kind == "item":
                if not paragraphs:
                    paragraphs.append({"text": "", "items": []})
                paragraphs[-1]["items"].append(item)
            elif lab is not None and lab.kind == "subitem" and paragraphs and paragraphs[-1]["items"]:
                paragraphs[-1]["items"][-1]["items"].append(item)
            elif lab is not None and lab.kind == "subitem" and paragraphs:
                paragraphs[-1]["items"].append(item)
            else:
                paragraphs.append({"text": text, "items": []})
        text = "\n".join(texts)
        law = self.law
        if law is not None and MENTIONS_EFFECT_RE.search(text):
            law.saw_effective = True
        if law is not None and law.effective is None:
            m = EFFECTIVE_RE.search(text)
            if m:
                when = m.group("when").strip(SPACES)
                eff = {"text": when, "article": cur["label"]}
                d = DATE_RE.search(when)
                if d:
                    eff["date"] = _date(d)
                law.effective = eff
        first = cur["units"][0]
        if law is not None:
            law.last_text = text
            law.last_unit = cur["units"][-1]
        r = {"type": "article", "label": cur["label"], "num": cur["num"], "sub": cur["sub"],
             "path": cur["path"], "text": text, "paragraphs": paragraphs}
        r.update(_origin(first))
        r["lines"] = _lines(cur["units"])
        yield r
        for p in paragraphs:
            yield from self._item_warnings(p["items"], cur)
        if self.level == "article":
            return
        for i, p in enumerate(paragraphs, 1):
            yield {"type": "paragraph", "article": cur["label"], "num": cur["num"], "sub": cur["sub"],
                   "index": i, "text": p["text"], "items": p["items"], "path": cur["path"]}
            if self.level == "item":
                for it in p["items"]:
                    yield {"type": "item", "article": cur["label"], "paragraph": i, "label": it["label"],
                           "num": it["num"], "text": it["text"], "items": it["items"], "path": cur["path"]}

    def _item_warnings(self, items, cur):
        """Gaps and repeats in the numbering of 项 （一）（二） and 目 1. 2. under one parent."""
        prev = None
        for it in items:
            if prev is not None and it["num"] != prev["num"] + 1:
                code = "item-duplicate" if it["num"] == prev["num"] else "item-gap"
                yield self.warn(code, f"{cur['label']}: {it['label']} follows {prev['label']}", cur["units"][0],
                                label=cur["label"], item=it["label"])
            prev = it
            yield from self._item_warnings(it["items"], cur)

    # ------------------------------------------------------------------ 目录

    def _toc(self, u, t):
        """Feed a paragraph to the table of contents; returns True when it ends there.

        Entries are headings (第一章 总则, 序言, 附则…), with or without page
        numbers, and — in a bulletin's own 目录, before any law — titles.  The
        目录 ends at the first entry seen again (the body starts) or at the
        first paragraph that is no entry.
        """
        toc = self.toc
        s = squeeze(t)
        paged = TOC_PAGE_RE.search(s)
        if paged and paged.start() > 0:
            s = s[:paged.start()]
        lab = match_label(s)
        heading = bool((lab and lab.kind in HEADING_UNITS.values() and len(s) <= 40) or PREAMBLE_RE.match(s)
                       or PLAIN_HEADING_RE.match(s) or ANNEX_RE.match(s))
        # a 目录 of headings before the law's title (a book prints the law's own 目录 first):
        # an unnumbered title-like line ends it, it is the law's title — a bulletin's 目录
        # lists titles from its first entry
        titles = self.law is None and title_like(s) and not (toc.get("headings") and not paged)
        is_entry = bool(heading or (paged and paged.start() > 0 and not (lab and lab.kind == "article")) or titles)
        if heading and not toc["entries"]:
            toc["headings"] = True
        if is_entry:
            key = s
            if lab and lab.kind in HEADING_UNITS.values():
                # a heading is known by its number under the headings above it: 第二编's
                # 第一章 is not 第一编's 第一章 seen again (the body starting)
                rank = LEVEL_ORDER.index(lab.kind)
                trail = [k for k in toc.get("trail", ()) if LEVEL_ORDER.index(k[0]) < rank]
                trail.append((lab.kind, lab.num, lab.sub))
                toc["trail"] = trail
                key = tuple(trail)
            if key in toc["keys"]:
                yield self._toc_block()
                return True
            toc["keys"].add(key)
            toc["entries"].append(s)
            toc["units"].append(u)
            return False
        last = toc["units"][-1]["text"] if toc["entries"] else ""
        if (last and len(s) <= 15 and s[-1] not in TERMINAL and s[-1] not in SOFT_END and not lab
                and not TOC_PAGE_RE.search(squeeze(last)) and not (self.law is not None and s == self.law.title)):
            # an entry wrapped onto a second line: 第三章　非物质文化遗产代表性项目 / 名录
            toc["entries"][-1] += s
            toc["units"].append(u)
            return False
        yield self._toc_block()
        return True

    def _toc_block(self):
        toc, self.toc = self.toc, None
        b = self._block("toc", toc["units"])
        b["entries"] = list(toc["entries"])
        return b


def split(records, *, level="article"):
    """Documents, headings and articles from ``para`` / ``line`` records.

    Records of other types pass through untouched (``page`` records are
    consumed: articles carry their pages); a ``source`` record ends the laws
    of the previous input.
    """
    from clt.records import checked

    sp = Splitter(level)
    joiner = LineJoiner(sp.in_body)
    for r in checked(records):
        t = r.get("type")
        if t == "para":
            yield from _feed_all(sp, joiner.flush())
            yield from sp.feed(unit_from_para(r))
        elif t == "line":
            for u in joiner.feed(r):
                yield from sp.feed(u)
        elif t == "page":
            continue
        elif t == "source":
            yield from _feed_all(sp, joiner.flush())
            yield from sp.finish()
            sp = Splitter(level)
            joiner = LineJoiner(sp.in_body)
            yield r
        else:
            yield r
    yield from _feed_all(sp, joiner.flush())
    yield from sp.finish()


def _feed_all(sp, units):
    for u in units:
        yield from sp.feed(u)
