"""Citations as Chinese legislation prints them, found in text and parsed.

A citation names a unit of a law: ``本法第二十条``, ``第三十条第二款第（三）项``,
``前款``, ``前两款``, ``本条第二款``, ``前条``, ``本章``, ``第三章第二节``,
``《中华人民共和国刑法》第二百六十六条``, ``刑法第一百三十三条之一`` (a law named
by its short name), ``该法第十条``.  Citations chain: ``第十二条、第十三条和
第十五条``, ``第十条至第十五条`` (a range), ``第三十一条第二款或者第三十二条``,
``第（一）项、第（二）项``; a chained element takes the levels it does not print
from the element before it (``第二十条第一款、第二款`` — the second is article
20's 款 2).  ``有关法律、行政法规`` names no law and is not a citation.

This module only reads text; resolving a citation against a law (which
article 前款 is in, whether 第九十条 exists) is :mod:`clt.refs`'s job.  The API:

- :func:`find` — every :class:`Ref` in a text, in order;
- :func:`parse` — one citation as a user types it (``第十条第二款``, ``10``,
  ``10之1``, ``10-12``), or None;
- :func:`article_spans` — just the spans of the article numbers that cite
  *this* law (``本法第X条``, a bare ``第X条`` and what is chained to it, ranges
  end by end; not ``《…》第X条`` or ``刑法第X条``), for renumbering.

Offsets are ``str`` indexes into the text given.
"""

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple, Union

from clt.numerals import CN_NUM_CHARS, NUM_RE, to_int
from clt import recache

__all__ = ["Ref", "Level", "find", "parse", "article_spans", "SELF_NAMES", "RANKS"]

#: the names a law calls itself by: 本法, 本条例, 本解释… (longest first)
SELF_NAMES = ("实施细则", "实施办法", "条例", "规定", "办法", "细则", "决定", "解释", "规则",
              "准则", "章程", "规程", "决议", "通则", "法")
#: rank of each unit, outermost first (a citation's levels only ever go inwards)
RANKS = {"part": 1, "subpart": 2, "chapter": 3, "section": 4, "article": 5, "para": 6, "item": 7,
         "subitem": 8}
UNIT_LEVEL = {"编": "part", "編": "part", "分编": "subpart", "分編": "subpart", "章": "chapter",
              "节": "section", "節": "section", "条": "article", "條": "article", "款": "para",
              "项": "item", "項": "item", "目": "subitem"}
HEADING_LEVELS = ("part", "subpart", "chapter", "section")

#: a level's value: an int (第三款), "this" (本条), ("prev", n) (前款 = ("prev", 1), 前两款 = ("prev", 2))
Level = Union[int, str, Tuple[str, int]]

_SP = "[ \u3000]*"
_N = NUM_RE
_PN = f"(?:[{CN_NUM_CHARS}]+|[0-9]+)"  # a 项 number inside its parentheses
_COUNT = "两二三四五六七八九十"

_TOKEN_RE = recache.compile(
    # 第十条, 第二百八十七条之一, 第1条
    rf"第{_SP}(?P<an>{_N}){_SP}(?P<au>[条條])(?:之(?P<asub>[{CN_NUM_CHARS}]+|[0-9]+))?"
    # 第（三）项 (the parentheses are how 项 are numbered); 第一款（三）项 drops the 第, but a line
    # opening （一）项目… is an item's label, not a citation
    rf"|(?:第|(?<=[^\n]))[（(]{_SP}(?P<pn>[{CN_NUM_CHARS}]+|[0-9]+){_SP}[）)]{_SP}(?P<pu>[项項])(?!目)"
    # 第一、七项, 第四、六项: numbers listed under one 第 and one unit — the first of them here,
    # the others (七项) as the bare numbers below, chained by 、
    rf"|第{_SP}(?P<ln>{_N})(?=(?:、{_N}){{1,30}}(?P<lu>款(?!项)|[项項](?!目)|目(?!录|的|标)))"
    # 第（一）、（二）、（三）项: the same with the 项 numbers in parentheses
    rf"|第{_SP}[（(](?P<lpn>{_PN})[）)](?=(?:、[（(]{_PN}[）)]){{1,30}}[项項](?!目))"
    # 第二款, 第三项, 第2目, 第三章, 第一节, 第二编, 第一分编
    rf"|第{_SP}(?P<un>{_N}){_SP}(?P<uu>分编|分編|编|編|章(?!程)|节|節|款(?!项)|[项項](?!目)|目(?!录|的|标))"
    # 前款, 前两款, 前项, 前条, 前两条 (not 目前, 以前条件…; 以前项手段 and 从事前款业务 are citations)
    rf"|(?<![目当此之提眼空先跟面超门])(?<!(?<!从)事)前(?P<rc>[{_COUNT}])?"
    rf"(?P<ru>款(?!项)|[项項](?!目)|(?<!以前)[条條](?!件))"
    # 本条, 本款, 本项, 本章, 本节, 本编
    r"|本(?P<tu>[条條](?![例件])|款(?!项)|[项項](?!目)|章(?!程)|节(?![约能日目])|分编|编(?!制|号|写|辑))"
)
#: the numbers after the first of a list (七项 of 第一、七项, （二） of 第（一）、（二）项): only
#: where a chain goes on after 、, never where a citation starts
_BARE_RE = recache.compile(
    rf"(?P<bn>{_N})(?:(?P<bu>款(?!项)|[项項](?!目)|目(?!录|的|标))"
    rf"|(?=(?:、{_N}){{1,30}}(?P<bu2>款(?!项)|[项項](?!目)|目(?!录|的|标))))"
    rf"|[（(](?P<bpn>{_PN})[）)](?=(?:、[（(]{_PN}[）)]){{1,30}}[项項](?!目))"
)
#: a continuation token may drop 第 before a 项 in parentheses: 第一款（三）项
_SEP_RE = recache.compile(rf"{_SP}(?P<sep>、|以及|及|和|与|或者|或|至|到){_SP}")
_SELF_RE = recache.compile("本(?:" + "|".join(SELF_NAMES) + ")(?:总则|分则)?$")  # 本法总则第四章第八节
_QUOTE_RE = recache.compile(r"《(?P<title>[^《》\n]{1,80})》")
_ANAPHORA_RE = recache.compile(r"(?:该|同)(?:法典|法|条例|规定|办法|解释|决定)$")
#: a law's short name right before 第: 刑法, 民法典, 治安管理处罚法, 行政法规 excluded below
_SHORT_RE = recache.compile(r"[\u4e00-\u9fff]{1,18}?(?:法典|法|条例|通则)$")
#: words a short name never includes: where the name starts after them
_BOUNDARY_RE = recache.compile(r".*(?:依照|按照|根据|依据|违反|适用|参照|对照|执行|遵守|实施|除|对|将|在|和|与|及|或者|或|的|即"
                          r"|是|由|经|为|按|依|照|从|自|向|于|以|用|据|有关|关于|以及|其他|规定|并|当事人|原告|被告|人民法院"
                          r"|删去|删除|修改|增加|改为|作为|(?<![国所])有"
                          r"|应当|可以|不|未|已|也|均|都|但|可|须|因|其|该|此|上述|前述|、|，|。|；|：|“|”|（|）)")
#: a word ending in 法 that names no law (依法, 违法…) — also what is left of one once 依 is cut
_NOT_LAW = {"法", "依法", "违法", "合法", "执法", "立法", "司法", "非法", "守法", "方法", "办法", "做法", "用法",
            "说法", "无法", "设法", "条例", "法典", "通则", "本法", "行政法", "法律法", "该法", "同法", "新法", "旧法",
            "前法", "上位法", "原法"}
#: a name in 《》 that is a law or other normative document (not 《营业执照》)
_LAW_TITLE_RE = recache.compile(r"(?:法|法典|条例|规定|办法|细则|决定|解释|规则|决议|章程|准则|通则|意见|通知|修正案|规程|纲要|批复)"
                           r"(?:[（(][^）)]{1,10}[）)])?$")
_QUERY_NUM_RE = recache.compile(r"^(?P<a>\d+)(?:之(?P<s>\d+|[" + CN_NUM_CHARS + r"]+))?(?:[.．](?P<p>\d+)(?:[.．](?P<i>\d+))?)?$")


@dataclass
class Ref:
    """One citation as printed: an element of a chain, or a range.

    ``start``/``end``/``text``: where it is and the words as printed (the law's
    name before the first element of a chain belongs to it: ``本法第二十条``).
    ``law``: None (this law, implied), ``"self"`` (本法, 本条例… printed) or the
    name of another law as printed (inside 《》, or its short name ``刑法``);
    ``law_form`` says which: ``"self"``, ``"title"`` (《…》), ``"short"``,
    ``"anaphora"`` (该法: the law named before it in the text, ``law`` None).
    ``levels``: level name (``part``, ``subpart``, ``chapter``, ``section``,
    ``article``, ``para``, ``item``, ``subitem``) -> :data:`Level`, both the
    levels printed and those taken from the element before it in a chain;
    ``sub`` the 之X of an article (之一 → 1).  ``printed``: the level names
    this element printed itself.  ``to``: for a range (``第十条至第十五条``,
    ``前两款`` is not one — it is ``("prev", 2)``), the levels of its end.
    ``art_spans``: ``(start, end, num, sub)`` of every article number printed
    (``第十条``: for renumbering).  ``sep``: the word that chained it to the one
    before (、 和 或者 至), or None for the first of a chain; ``chain``: index of
    the chain in the text.
    """

    start: int
    end: int
    text: str
    levels: dict
    sub: Optional[int] = None
    printed: Tuple[str, ...] = ()
    law: Optional[str] = None
    law_form: Optional[str] = None
    to: Optional[dict] = None
    to_sub: Optional[int] = None
    art_spans: List[Tuple[int, int, int, Optional[int]]] = field(default_factory=list)
    sep: Optional[str] = None
    chain: int = 0

    @property
    def kind(self):
        """What it names: ``law`` (a law named without a unit), ``range``, else
        the innermost level (``article``, ``para``, ``item``, ``chapter``…)."""
        if not self.levels:
            return "law"
        if self.to is not None:
            return "range"
        return max(self.levels, key=RANKS.__getitem__)

    @property
    def internal(self):
        """True when it cites this law (printed 本法, or no law named)."""
        return self.law in (None, "self") and self.law_form != "anaphora"


# --------------------------------------------------------------------------- tokens

def _token(m):
    """(level, value, sub, article span or None) of a token match."""
    g = m.group
    if g("au"):
        n = to_int(g("an"))
        sub = to_int(g("asub")) if g("asub") else None
        return "article", n, sub, (m.start(), m.end())
    if g("pu"):
        return "item", to_int(g("pn")), None, None
    if g("uu"):
        return UNIT_LEVEL[g("uu")], to_int(g("un")), None, None
    if g("ln"):
        return UNIT_LEVEL[g("lu")], to_int(g("ln")), None, None
    if g("lpn"):
        return "item", to_int(g("lpn")), None, None
    if g("ru"):
        count = to_int(g("rc")) if g("rc") else 1
        return UNIT_LEVEL[g("ru")], ("prev", count), None, None
    return UNIT_LEVEL[g("tu")], "this", None, None


def _bare(m):
    """(level, value, None, None) of a :data:`_BARE_RE` match."""
    g = m.group
    if g("bn"):
        return UNIT_LEVEL[g("bu") or g("bu2")], to_int(g("bn")), None, None
    return "item", to_int(g("bpn")), None, None


def _token_at(text, pos):
    """``(match, (level, value, sub, article span))`` of the token at *pos*, or None;
    right after 、 the bare numbers of a list (七项) too."""
    m = _TOKEN_RE.match(text, pos)
    if m:
        return m, _token(m)
    if pos and text[pos - 1] == "、":
        m = _BARE_RE.match(text, pos)
        if m:
            return m, _bare(m)
    return None


def _element(text, pos, first_rank=0):
    """The tokens of one element from *pos* (levels going inwards), or None:
    (end, levels, sub, printed, art_spans)."""
    levels, printed, spans = {}, [], []
    sub = None
    rank = first_rank
    end = pos
    while True:
        if printed:
            m = _TOKEN_RE.match(text, end)
            t = (m, _token(m)) if m else None
        else:
            t = _token_at(text, end)
        if t is None:
            break
        m, (level, value, s, span) = t
        if value is None or RANKS[level] <= rank:
            break
        if isinstance(value, (tuple, str)) and printed and not (
                printed == ["article"] and levels["article"] == "this" and isinstance(value, tuple)):
            break  # 前款 / 本条 only open an element (第十条前款 is not a citation; 本条前款 is)
        levels[level] = value
        printed.append(level)
        if level == "article":
            sub = s
            if span:
                spans.append((span[0], span[1], value, s))
        rank = RANKS[level]
        end = m.end()
        sp = re.match(_SP, text[end:])
        if sp and sp.end() and _TOKEN_RE.match(text, end + sp.end()):
            end += sp.end()
    if not printed:
        return None
    return end, levels, sub, tuple(printed), spans


def _law_before(text, start, title):
    """(law, form, new start) for what is printed right before an element at *start*."""
    head = text[max(0, start - 90):start].rstrip(" \u3000")
    cut = start - (len(text[max(0, start - 90):start]) - len(head))
    m = _SELF_RE.search(head)
    if m:
        return "self", "self", cut - (m.end() - m.start())
    if head.endswith("》"):
        q = None
        for q in _QUOTE_RE.finditer(head):
            pass
        if q is not None and q.end() == len(head):
            name = q.group("title")
            begin = cut - (len(head) - q.start())
            if title and _same_law(name, title):
                return "self", "title", begin
            return name, "title", begin
    m = _ANAPHORA_RE.search(head)
    if m:
        return None, "anaphora", cut - (m.end() - m.start())
    m = _SHORT_RE.search(head[-20:])
    if m:
        name = m.group(0)
        prc = name.rfind("中华人民共和国")
        b = _BOUNDARY_RE.match(name)
        if prc >= 0:
            name = name[prc:]  # the state's name holds 和, which is no boundary there
        elif b:
            name = name[b.end():]
        if len(name) >= 2 and name not in _NOT_LAW and not name.startswith("本"):
            if title and _same_law(name, title):
                return "self", "short", cut - len(name)
            return name, "short", cut - len(name)
    return None, None, start


def _same_law(name, title):
    return name == title or title == "中华人民共和国" + name or name == "中华人民共和国" + title


def _inherit(prev_levels, prev_sub, levels, printed, sub):
    """The levels of a chained element: the outer levels it does not print come
    from the element before it."""
    first = RANKS[printed[0]]
    out = {k: v for k, v in prev_levels.items() if RANKS[k] < first}
    out.update(levels)
    if "article" not in printed and "article" in out:
        sub = prev_sub
    return out, sub


def find(text, title=None):
    """Every citation in *text*, in order, as :class:`Ref` objects.

    *title*, when given, is the title of the law the text belongs to: a law
    named by that title (``《中华人民共和国仲裁法》第十条`` inside that law) is
    this law.  A 《…》 name of a law, regulation or other normative document
    followed by no unit is a ``law`` citation; 《营业执照》 is none.
    """
    refs = []
    if not text:
        return refs
    pos = 0
    chain = 0
    n = len(text)
    while pos < n:
        m = _FIRST_RE.search(text, pos)
        if not m:
            break
        start = m.start()
        if m.group("q"):
            # 《…》 not followed by a unit: the law itself
            after = m.end()
            sp = re.match(_SP, text[after:]).end()
            if _TOKEN_RE.match(text, after + sp) and _element(text, after + sp):
                pos = after + sp
                continue
            name = m.group("title")
            if _LAW_TITLE_RE.search(name):
                law = "self" if title and _same_law(name, title) else name
                refs.append(Ref(start, after, m.group(0), {}, law=law, law_form="title", chain=chain))
                chain += 1
            pos = after
            continue
        el = _element(text, start)
        if el is None:
            pos = start + 1
            continue
        end, levels, sub, printed, spans = el
        if isinstance(levels[printed[0]], (tuple, str)) or printed[0] not in ("article",) + HEADING_LEVELS:
            law, form, begin = None, None, start  # 前款, 本条, 第二款: never after a law's name
        else:
            law, form, begin = _law_before(text, start, title)
        cur = Ref(begin, end, text[begin:end], levels, sub, printed, law, form, art_spans=spans, chain=chain)
        chain_refs = [cur]
        prev_levels, prev_sub = levels, sub
        while True:
            s = _SEP_RE.match(text, cur.end)
            if not s:
                break
            nxt = s.end()
            if not _token_at(text, nxt):
                break
            el2 = _element(text, nxt)
            if el2 is None:
                break
            end2, levels2, sub2, printed2, spans2 = el2
            if isinstance(levels2.get(printed2[0]), (tuple, str)):
                break  # a relative unit (前款, 本条) starts a new citation
            levels2, sub2 = _inherit(prev_levels, prev_sub, levels2, printed2, sub2)
            if s.group("sep") in ("至", "到") and cur.to is None \
                    and RANKS[printed2[0]] <= RANKS[max(cur.levels, key=RANKS.__getitem__)]:
                cur.to = levels2
                cur.to_sub = sub2
                cur.end = end2
                cur.text = text[cur.start:end2]
                cur.art_spans.extend(spans2)
            else:
                cur = Ref(nxt, end2, text[nxt:end2], levels2, sub2, printed2, law, form,
                          art_spans=spans2, sep=s.group("sep"), chain=chain)
                chain_refs.append(cur)
            prev_levels, prev_sub = levels2, sub2
        refs.extend(chain_refs)
        chain += 1
        pos = cur.end
    return refs


_FIRST_RE = recache.compile(rf"(?P<q>《(?P<title>[^《》\n]{{1,80}})》)|{_TOKEN_RE.pattern}")


def article_spans(text, title=None):
    """``(start, end, num, sub)`` of every article number in *text* that cites
    this law — ``本法第X条``, a bare ``第X条`` and the articles chained to them
    (``、第十二条``, ``至第十五条``, ``第二款或者第三十二条``) — in order; the
    articles of other laws (``《…》第X条``, ``刑法第X条``, ``该法第X条``) are left out.
    The span covers ``第X条`` (and its ``之Y``)."""
    for ref in find(text, title):
        if ref.internal:
            yield from ref.art_spans


def parse(query):
    """One citation as a user types it, as a :class:`Ref`, or None.

    Accepts what :func:`find` reads when it is the whole query
    (``第十条``, ``第十条之一第二款第（三）项``, ``第十条至第十二条``,
    ``本法第三章``) and Arabic shorthands: ``10``, ``10之1``, ``10.2`` (款 2),
    ``10.2.3`` (项 3), ``10-12`` (a range).
    """
    q = (query or "").strip().replace("－", "-").replace("—", "-").replace("～", "-").replace("~", "-")
    if not q:
        return None
    if "-" in q:
        a, _, b = q.partition("-")
        ra, rb = parse(a), parse(b)
        if ra and rb and ra.kind == "article" and rb.kind == "article":
            ra.to, ra.to_sub, ra.end, ra.text = rb.levels, rb.sub, len(q), q
            return ra
        return None
    m = _QUERY_NUM_RE.match(q.translate(_FULLWIDTH))
    if m:
        levels = {"article": int(m.group("a"))}
        printed = ["article"]
        if m.group("p"):
            levels["para"] = int(m.group("p"))
            printed.append("para")
        if m.group("i"):
            levels["item"] = int(m.group("i"))
            printed.append("item")
        sub = to_int(m.group("s")) if m.group("s") else None
        return Ref(0, len(q), q, levels, sub, tuple(printed))
    refs = find(q)
    if len(refs) == 1 and refs[0].start == 0 and refs[0].end == len(q) and refs[0].levels:
        return refs[0]
    return None


_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
