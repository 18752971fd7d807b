"""Structural labels of Chinese legislation, shared by every stage.

A law is divided into 编 (part), 分编 (sub-part), 章 (chapter), 节 (section)
and 条 (article); an article's 款 (paragraphs) hold 项 ``（一）`` and 目
``1.``.  Inserted articles carry a suffix: 第二百八十七条之一.  Judicial
interpretations and 规范性文件 sometimes number with Arabic digits (第1条) or
with bare ``一、`` items.

:func:`match_label` recognises a label at the start of a line or paragraph and
returns a :class:`Label`; it does not decide whether the line *is* a new unit
(``第十条规定的…`` opens a cross-reference, not article 10) — that takes the
numbering context, which the stages hold.
"""

from typing import NamedTuple, Optional

from clt.numerals import CN_NUM_CHARS, NUM_RE, to_int
from clt import recache

#: heading units, outermost first, with the level names used in records
HEADING_UNITS = {"编": "part", "分编": "subpart", "章": "chapter", "节": "section",
                 # traditional script (Taiwan, Hong Kong, Macao; Big5 text)
                 "編": "part", "分編": "subpart", "節": "section"}
LEVEL_ORDER = ("part", "subpart", "chapter", "section")

# 全角/半角 spaces that separate a label from its text or letter-space it
SPACES = " \u3000\u00a0\t"

ARTICLE_RE = recache.compile(
    rf"^第[{SPACES}]*(?P<num>{NUM_RE})[{SPACES}]*(?P<unit>[条條])(?:之(?P<sub>[{CN_NUM_CHARS}]+|[0-9]+))?")
HEADING_RE = recache.compile(rf"^第[{SPACES}]*(?P<num>{NUM_RE})[{SPACES}]*(?P<unit>分编|分編|编|編|章|节|節)")
#: a heading label letter-spaced digit by digit, as centred headings are printed: 第 十 一 章
HEADING_SPACED_RE = recache.compile(rf"^第[{SPACES}]*(?P<num>[{CN_NUM_CHARS}](?:[{SPACES}]+[{CN_NUM_CHARS}])+)[{SPACES}]*"
                               r"(?P<unit>分编|分編|编|編|章|节|節)")
_SPACE_RUN = recache.compile(rf"[{SPACES}]+")
ITEM_RE = recache.compile(rf"^[（(](?P<num>[{CN_NUM_CHARS}]+)[）)]")
SUBITEM_RE = recache.compile(r"^(?P<num>[0-9０-９]{1,3})[.．、](?![0-9０-９])")
#: 一、二、 numbering of judicial interpretations and notices
ENUM_RE = recache.compile(rf"^(?P<num>[{CN_NUM_CHARS}]{{1,6}})、")

#: every character a label of the patterns above can start with
LABEL_START = _LABEL_START = frozenset("第（(0123456789０１２３４５６７８９" + CN_NUM_CHARS)


class Label(NamedTuple):
    kind: str              # "article", "part", "subpart", "chapter", "section", "item", "subitem", "enum"
    num: int               # the number as an integer
    sub: Optional[int]     # 之X suffix of an inserted article (之一 → 1), else None
    label: str             # the label as printed, spaces removed: 第二百八十七条之一, 第一章, （一）
    end: int               # offset in the text where the label ends
    rest: str              # the text after the label, leading spaces stripped


#: text -> match_label(text) (all kinds) of texts asked about lately: a paragraph is asked
#: about by several rules, and by each stage (labels are immutable)
_SEEN = {}
_SEEN_MAX = 2048
#: texts longer than this are not remembered (the memory stays small)
_SEEN_LEN = 1000


def match_label(text, kinds=None):
    """The structural label at the start of *text*, or None.

    *kinds* restricts the kinds looked for (default: all).
    """
    s = text.lstrip(SPACES)
    if s[:1] not in _LABEL_START:  # most lines: no pattern below can match
        return None
    if kinds is not None or type(text) is not str or len(text) > _SEEN_LEN:
        return _match_label(text, s, kinds)
    lab = _SEEN.get(text, _SEEN)
    if lab is _SEEN:
        lab = _match_label(text, s, None)
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN[text] = lab
    return lab


#: what may follow 第 in a heading or article label: spaces or a numeral's first character
_AFTER_DI = frozenset(SPACES + CN_NUM_CHARS + "0123456789０１２３４５６７８９")
_DIGITS = frozenset("0123456789０１２３４５６７８９")


def _match_label(text, s, kinds):
    # each pattern opens with its own characters: 第 (headings, articles), a parenthesis
    # (items), a digit (subitems) or a Chinese numeral (enums), so only the patterns of the
    # first character are tried; and of the three 第 patterns at most one matches a text
    # (the character after the numeral tells them apart), so their order does not matter
    off = len(text) - len(s)
    c = s[0]
    if c == "第":
        if s[1:2] not in _AFTER_DI:
            return None  # 第三人…: no numeral after 第
        m = ARTICLE_RE.match(s)
        if m and (kinds is None or "article" in kinds):
            n = to_int(m.group("num"))
            if n is not None:
                sub = to_int(m.group("sub")) if m.group("sub") else None
                label = f"第{m.group('num')}{m.group('unit')}" + (f"之{m.group('sub')}" if m.group("sub") else "")
                return _make("article", n, sub, label, text, off + m.end())
        m = HEADING_RE.match(s)
        if m and (kinds is None or HEADING_UNITS[m.group("unit")] in kinds):
            n = to_int(m.group("num"))
            if n is not None:
                return _make(HEADING_UNITS[m.group("unit")], n, None,
                             f"第{m.group('num')}{m.group('unit')}", text, off + m.end())
        m = HEADING_SPACED_RE.match(s)
        if m and (kinds is None or HEADING_UNITS[m.group("unit")] in kinds):
            num = _SPACE_RUN.sub("", m.group("num"))
            n = to_int(num)
            if n is not None:
                return _make(HEADING_UNITS[m.group("unit")], n, None, f"第{num}{m.group('unit')}", text,
                             off + m.end())
        return None
    if c in "（(":
        m = ITEM_RE.match(s)
        if m and (kinds is None or "item" in kinds):
            n = to_int(m.group("num"))
            if n is not None:
                return _make("item", n, None, m.group(0), text, off + m.end())
        return None
    if c in _DIGITS:
        m = SUBITEM_RE.match(s)
        if m and (kinds is None or "subitem" in kinds):
            return _make("subitem", to_int(m.group("num")), None, m.group(0), text, off + m.end())
        return None
    m = ENUM_RE.match(s)
    if m and (kinds is None or "enum" in kinds):
        n = to_int(m.group("num"))
        if n is not None:
            return _make("enum", n, None, m.group(0), text, off + m.end())
    return None


_new_label = tuple.__new__


def _make(kind, num, sub, label, text, end):
    # Label(...) without the generated __new__'s Python frame: the same tuple
    return _new_label(Label, (kind, num, sub, label, end, text[end:].lstrip(SPACES)))


def article_label(num, sub=None):
    """The canonical label of article *num* (with 之*sub*): 第十二条, 第二百八十七条之一."""
    from clt.numerals import int2cn

    return f"第{int2cn(num)}条" + (f"之{int2cn(sub)}" if sub else "")


def heading_label(level, num):
    """The canonical label of a heading: heading_label("chapter", 3) → 第三章."""
    from clt.numerals import int2cn

    unit = {"part": "编", "subpart": "分编", "chapter": "章", "section": "节"}[level]
    return f"第{int2cn(num)}{unit}"
