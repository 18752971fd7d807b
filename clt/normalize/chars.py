"""Character-level repairs of one printed line (or one paragraph).

Each function takes the text and returns ``(new_text, edits)`` where an edit
is ``{"rule", "before", "after", "at"}`` (``at``: offset in the text the rule
was given).  Rules are local: none of them needs more than the line itself,
so they run before the lines are joined and every edit knows its source line.
"""

import re
import unicodedata

from clt.labels import SPACES
from clt import recache

# --------------------------------------------------------------------------- classes

IDEO = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: CJK punctuation and full-width forms that count as "Chinese context"
CJK_PUNCT = ("\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
             "\u2018\u2019\u201c\u201d\u2026\u2014\u00b7\u300a\u300b\u3008\u3009")
CJK = IDEO + CJK_PUNCT
SPACE_CHARS = SPACES

_IDEO_RE = recache.compile(f"[{IDEO}]")
_CJK_RE = recache.compile(f"[{CJK}]")


def is_ideo(ch):
    return bool(ch) and bool(_IDEO_RE.match(ch))


def is_cjk(ch):
    return bool(ch) and bool(_CJK_RE.match(ch))


# --------------------------------------------------------------------------- radicals

# CJK Radicals Supplement forms with an equivalent unified ideograph (from the
# Unicode EquivalentUnifiedIdeograph data; only the unambiguous ones).  Kangxi
# radicals (U+2F00–U+2FD5) all carry a compatibility decomposition and need no table.
RADICALS_SUPPLEMENT = {
    "\u2e86": "冂", "\u2e8a": "卜", "\u2e8b": "㔾", "\u2e95": "彐", "\u2e96": "忄", "\u2e98": "扌",
    "\u2e99": "攵", "\u2e9b": "旡", "\u2e9d": "月", "\u2e9f": "母", "\u2ea0": "民", "\u2ea1": "氵",
    "\u2ea2": "氺", "\u2ea3": "灬", "\u2ea4": "爫", "\u2ea9": "王", "\u2eaa": "疋", "\u2eab": "罒",
    "\u2eac": "示", "\u2ead": "礻", "\u2eae": "竹", "\u2eb2": "罒", "\u2eb9": "耂", "\u2ebe": "艹",
    "\u2ebf": "艹", "\u2ec1": "虎", "\u2ec2": "衤", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角",
    "\u2ec8": "讠", "\u2ec9": "贝", "\u2ecb": "车", "\u2ecc": "辶", "\u2ecd": "辶", "\u2ecf": "阝",
    "\u2ed0": "钅", "\u2ed1": "長", "\u2ed2": "镸", "\u2ed3": "长", "\u2ed4": "门", "\u2ed6": "阝",
    "\u2ed7": "雨", "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞",
    "\u2edd": "食", "\u2edf": "飠", "\u2ee0": "饣", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼",
    "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾",
    "\u2eec": "齐", "\u2eee": "齿", "\u2ef0": "龙", "\u2ef3": "龟",
}

_RADICAL_RE = recache.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")
_COMPAT_RE = recache.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
_PUA_RE = recache.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _radical(ch):
    if "\u2f00" <= ch <= "\u2fdf":
        u = unicodedata.normalize("NFKC", ch)
        return u if u != ch and len(u) == 1 else None
    return RADICALS_SUPPLEMENT.get(ch)


def _compat(ch):
    u = unicodedata.normalize("NFC", ch)  # singleton canonical decompositions only
    return u if u != ch else None


def sub(text, rule, pattern, repl, edits):
    """re.sub that records every change as an edit of *rule*; *repl(m)* returns None to keep."""
    first = pattern.search(text)
    if first is None:  # the common case: nothing to look at
        return text
    out = []
    pos = 0
    # from the first match on (a look-behind still sees the text before it)
    for m in pattern.finditer(text, first.start()):
        new = repl(m)
        if new is None or new == m.group(0):
            continue
        out.append(text[pos:m.start()])
        out.append(new)
        edits.append({"rule": rule, "before": m.group(0), "after": new, "at": m.start()})
        pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def radicals(text, edits):
    return sub(text, "radicals", _RADICAL_RE, lambda m: _radical(m.group(0)), edits)


def compat_ideographs(text, edits):
    return sub(text, "compat-ideographs", _COMPAT_RE, lambda m: _compat(m.group(0)), edits)


def private_use(text):
    """The private-use characters in *text* (they are reported, not changed)."""
    return _PUA_RE.findall(text)


_FW_ALNUM_RE = recache.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def fullwidth_alnum(text, edits):
    return sub(text, "fullwidth-alnum", _FW_ALNUM_RE,
               lambda m: "".join(chr(ord(c) - 0xfee0) for c in m.group(0)), edits)


# --------------------------------------------------------------------------- punctuation

_HALF2FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_PUNCT_RE = recache.compile(r"[,;:!?()]")


def _neighbour(text, i, step, limit=1):
    """The nearest non-space characters from *i* in direction *step* (up to *limit*)."""
    out = []
    j = i + step
    while 0 <= j < len(text) and len(out) < limit:
        if text[j] not in SPACE_CHARS:
            out.append(text[j])
        j += step
    return out


def _paren_pairs(text):
    pairs = {}
    stack = []
    for i, ch in enumerate(text):
        if ch in "(（":
            stack.append(i)
        elif ch in ")）":
            if stack:
                j = stack.pop()
                pairs[i] = j
                pairs[j] = i
    return pairs


def punct_width(text, edits):
    """Half-width , ; : ! ? ( ) to full-width where the context is Chinese."""
    if not _PUNCT_RE.search(text):
        return text
    pairs = None

    def repl(m):
        nonlocal pairs
        ch = m.group(0)
        i = m.start()
        prev = _neighbour(text, i, -1)
        nxt = _neighbour(text, i, +1)
        p = prev[0] if prev else ""
        n = nxt[0] if nxt else ""
        if ch in ",;:!?":
            if p.isdigit() and n.isdigit():
                return None  # 1,000  12:30
            if p.isascii() and p.isalnum() and (not n or (n.isascii() and n.isalnum())):
                return None  # Latin text
            if is_cjk(p) or is_cjk(n) or p in "）)" and is_cjk((_neighbour(text, i, -1, 2) + [""])[-1]):
                return _HALF2FULL[ch]
            return None
        # parentheses: decide per pair on what they enclose
        if pairs is None:
            pairs = _paren_pairs(text)
        j = pairs.get(i)
        if j is not None:
            a, b = min(i, j), max(i, j)
            inner = text[a + 1:b]
            if _IDEO_RE.search(inner):
                return _HALF2FULL[ch]
            if re.search("[A-Za-z]", inner):
                return None
            outside = _neighbour(text, a, -1) + _neighbour(text, b, +1)
            if any(is_cjk(c) for c in outside) or (a == 0 and inner.strip().isdigit()):
                return _HALF2FULL[ch]
            return None
        # unmatched: look at the characters on its open side
        near = _neighbour(text, i, +1, 6) if ch == "(" else _neighbour(text, i, -1, 6)
        if any(is_ideo(c) for c in near) and not any(c.isascii() and c.isalpha() for c in near[:2]):
            return _HALF2FULL[ch]
        return None

    return sub(text, "punct-width", _PUNCT_RE, repl, edits)


# --------------------------------------------------------------------------- spaces

_SP = f"[{SPACE_CHARS}]+"
#: (every alternative starts with its run of spaces, after a look-behind: the leading look-ahead
#: turns down the offsets of the other characters at once, instead of five look-behinds)
_CJK_SPACE_RE = recache.compile(
    f"(?=[{SPACE_CHARS}])"
    f"(?:(?<=[{CJK}]){_SP}(?=[{CJK}])"
    f"|(?<=[0-9]){_SP}(?=[{IDEO}])"
    f"|(?<=[{IDEO}]){_SP}(?=[0-9])"
    f"|(?<=[{CJK_PUNCT}]){_SP}(?=[0-9A-Za-z])"
    f"|(?<=[0-9A-Za-z]){_SP}(?=[{CJK_PUNCT}]))")


_NUM = "0-9０-９〇○零一二三四五六七八九十"
_S = f"[{SPACE_CHARS}]*"
_DATE = f"[{_NUM}]{{2,4}}{_S}年{_S}[{_NUM}]{{1,2}}{_S}月{_S}[{_NUM}]{{1,3}}{_S}日"  # 2020 年 10 月 27 日 too
#: what ends one event of a 题注 (2016年11月7日第十二届全国人民代表大会常务委员会第二十四次会议通过)
_EVENT_END = "通过|公布|施行|修正|修订|批准|发布|颁布|印发|修改|废止|实施|备案|决定"
#: the space printed between two events of a 题注, before the next date (or 根据/自/经...)
_CAPTION_GAP_RE = recache.compile(
    f"(?:{_EVENT_END})({_SP})(?=(?:根据|依据|自|经)?{_DATE})")


def caption_gaps(text):
    """Offsets of the space runs that separate the events of a 题注 as printed
    (``…会议通过　2016年11月7日…公布　自2017年6月1日起施行``): an event ends
    with its verb (通过, 公布, 修正...), the next begins with its date (or 根据,
    依据, 自, 经 and its date) -- a line of a 题注 broken before its first date too.
    They are kept: the 题注 is printed with them (see README, 题注 as printed)."""
    if "年" not in text:
        return set()
    return {m.start(1) for m in _CAPTION_GAP_RE.finditer(text)}


_ANY_SPACE_RE = recache.compile(f"[{SPACE_CHARS}]")


def cjk_space(text, edits, protect=()):
    """Remove runs of spaces next to CJK characters (never between two Latin/digit runs).

    *protect* is a collection of offsets where a space run must be kept (the
    separator after a label); the spaces between the events of a 题注
    (:func:`caption_gaps`) are always kept.
    """
    if _ANY_SPACE_RE.search(text) is None:  # most lines: the long pattern tried at every offset
        return text
    keep = caption_gaps(text)
    if protect:
        keep |= set(protect)
    return sub(text, "cjk-space", _CJK_SPACE_RE,
               lambda m: None if m.start() in keep else "", edits)


_SPACED_DIGITS_RE = recache.compile(r"(?<![0-9A-Za-z.])[0-9](?: [0-9]){2,}(?![0-9A-Za-z])")


def spaced_digits(text, edits):
    """Close up letter-spaced digits (1 9 9 0年): three or more single digits one space apart."""
    if " " not in text:
        return text
    return sub(text, "cjk-space", _SPACED_DIGITS_RE, lambda m: m.group(0).replace(" ", ""), edits)


#: every character the first four rules of :func:`line_repairs` look at (one search for all)
_RARE_RE = recache.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f"
                      "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
                      "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


#: every character any rule of :func:`line_repairs` looks at: a line with none of them (most
#: lines of body text) is left as it is after one search
_ANY_RULE_RE = recache.compile(_RARE_RE.pattern[:-1] + re.escape(",;:!?()") + SPACE_CHARS + "]")


def line_repairs(text, disabled=frozenset(), protect=()):
    """All character-level rules on one line: (text, edits, private-use chars).

    *protect* may also be a callable giving those offsets (called only when the text
    has a space that cjk-space could remove)."""
    if _ANY_RULE_RE.search(text) is None:
        # no rare, full-width or private-use character, no half-width punctuation, no
        # space: no rule below can change anything (none of them adds a space)
        return text, [], []
    if callable(protect):
        protect = protect(text) if _ANY_SPACE_RE.search(text) is not None else ()
    edits = []
    pua = []
    if _RARE_RE.search(text) is not None:  # a radical, compatibility, private-use or full-width character
        if "radicals" not in disabled:
            text = radicals(text, edits)
        if "compat-ideographs" not in disabled:
            text = compat_ideographs(text, edits)
        pua = private_use(text) if "private-use" not in disabled else []
        if "fullwidth-alnum" not in disabled:
            text = fullwidth_alnum(text, edits)
    # punctuation and spaces decide on their neighbours, which they change: run them to a
    # fixed point so that a second pass (normalize is idempotent) finds nothing to do
    for _ in range(len(text) + 2):  # each pass changes something or stops
        before = text
        if "punct-width" not in disabled:
            text = punct_width(text, edits)
        if "cjk-space" not in disabled:
            text = cjk_space(text, edits, protect)
            text = spaced_digits(text, edits)
        if text == before:
            break
    return text, edits, pua
