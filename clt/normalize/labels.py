"""Label recognition with the numbering context normalize keeps.

:func:`clt.labels.match_label` recognises a clean label; printed and scanned
text adds damage the numbering can undo: a lost 第 (``十二条``), OCR noise
inside the label (``第二  -条``), a stray mark after it (``第一条 ”``).  A
damaged form is accepted only when the article number is the one the
sequence expects next.
"""

from typing import NamedTuple, Optional

from clt.labels import _LABEL_START, HEADING_UNITS, SPACES, match_label
from clt.numerals import CN_NUM_CHARS, NUM_RE, to_int
from clt import recache

SP = SPACES
STRAY = "”’\"'`·,，.、|丨¨"
_ART_LOOSE = recache.compile(
    rf"^(?P<di>第)?[{SP}]*(?P<num>{NUM_RE})(?P<noise>[{SP}\-—_~－]*)[条條]"
    rf"(?:之(?P<sub>[{CN_NUM_CHARS}]+|[0-9]+))?")
_HEAD_LOOSE = recache.compile(rf"^(?P<di>第)?[{SP}]*(?P<num>{NUM_RE})[{SP}]*(?P<unit>分编|分編|编|編|章|节|節)")


#: every character a label of :func:`detect` can start with (its own patterns and match_label's)
_DETECT_START = frozenset(_LABEL_START | set(SP) | set(CN_NUM_CHARS) | set("第0123456789０１２３４５６７８９"))


class LineLabel(NamedTuple):
    kind: str            # article, part, subpart, chapter, section, item, subitem, enum
    num: int
    sub: Optional[int]
    label: str           # canonical printed label (第 restored, noise removed)
    end: int             # offset in the line where the label ends
    sep: bool            # followed by a space, end of line or a stray mark
    repair: Optional[str]  # None, "missing-di" or "label-noise"


def _sep_after(text, end):
    if end >= len(text):
        return True
    return text[end] in SP or text[end] in STRAY or text[end] == "“"


def detect(text, expected_article=None, expected_chapter=None):
    """The label at the start of *text* (a repaired line), judged with the numbering context."""
    if text[:1] not in _DETECT_START:  # most lines: no pattern here or in match_label can match
        return None
    s = text
    m = _ART_LOOSE.match(s)
    if m:
        n = to_int(m.group("num"))
        if n is not None:
            sub = to_int(m.group("sub")) if m.group("sub") else None
            noise = m.group("noise")
            repair = None
            num_s = m.group("num")
            if noise.strip(SP):
                # OCR noise inside the label: a dash may be a misread 一
                alt = to_int(num_s + "一") if num_s and num_s[0] in CN_NUM_CHARS else None
                if expected_article is not None and alt == expected_article:
                    n, num_s = alt, num_s + "一"
                elif expected_article is None or n != expected_article:
                    return _other(text)
                repair = "label-noise"
            if not m.group("di"):
                if expected_article is None or n != expected_article or sub:
                    return _other(text)
                repair = "missing-di"
            unit = m.group(0)[m.end("noise") - m.start():][:1]  # 条 or 條, as printed
            label = f"第{num_s}{unit}" + (f"之{m.group('sub')}" if m.group("sub") else "")
            return LineLabel("article", n, sub, label, m.end(), _sep_after(s, m.end()), repair)
    m = _HEAD_LOOSE.match(s)
    if m:
        n = to_int(m.group("num"))
        unit = m.group("unit")
        if n is not None:
            repair = None
            if not m.group("di"):
                if unit != "章" or expected_chapter is None or n != expected_chapter:
                    return _other(text)
                repair = "missing-di"
            label = f"第{m.group('num')}{unit}"
            return LineLabel(HEADING_UNITS[unit], n, None, label, m.end(), _sep_after(s, m.end()), repair)
    return _other(text)


def _other(text):
    lab = match_label(text, kinds=("item", "subitem", "enum"))
    if lab is None:
        return None
    return LineLabel(lab.kind, lab.num, None, lab.label, lab.end, _sep_after(text, lab.end), None)
