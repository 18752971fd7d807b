"""The shortcuts of split and of the shared record path agree with the long way round:
match_label's first-character dispatch and memory, the quick type checks of
check_record, and the line joiner's remembered labels."""

import re

import pytest

from clt import labels, records
from clt.labels import (ARTICLE_RE, ENUM_RE, HEADING_RE, HEADING_SPACED_RE, HEADING_UNITS, ITEM_RE, SPACES,
                        SUBITEM_RE, Label, match_label)
from clt.numerals import to_int
from clt.split.units import LineJoiner

_SPACE_RUN = re.compile(rf"[{SPACES}]+")


def _match_label_long_way(text, kinds=None):
    """match_label as it was: every pattern in turn."""
    s = text.lstrip(SPACES)
    off = len(text) - len(s)

    def ok(kind):
        return kinds is None or kind in kinds

    def make(kind, num, sub, label, end):
        return Label(kind, num, sub, label, end, text[end:].lstrip(SPACES))

    m = HEADING_RE.match(s)
    if m and ok(HEADING_UNITS[m.group("unit")]):
        n = to_int(m.group("num"))
        if n is not None:
            return make(HEADING_UNITS[m.group("unit")], n, None, f"第{m.group('num')}{m.group('unit')}",
                        off + m.end())
    m = HEADING_SPACED_RE.match(s)
    if m and ok(HEADING_UNITS[m.group("unit")]):
        num = _SPACE_RUN.sub("", m.group("num"))
        n = to_int(num)
        if n is not None:
            return make(HEADING_UNITS[m.group("unit")], n, None, f"第{num}{m.group('unit')}", off + m.end())
    m = ARTICLE_RE.match(s)
    if m and ok("article"):
        n = to_int(m.group("num"))
        if n is not None:
            sub = to_int(m.group("sub")) if m.group("sub") else None
            label = f"第{m.group('num')}{m.group('unit')}" + (f"之{m.group('sub')}" if m.group("sub") else "")
            return make("article", n, sub, label, off + m.end())
    m = ITEM_RE.match(s)
    if m and ok("item"):
        n = to_int(m.group("num"))
        if n is not None:
            return make("item", n, None, m.group(0), off + m.end())
    m = SUBITEM_RE.match(s)
    if m and ok("subitem"):
        return make("subitem", to_int(m.group("num")), None, m.group(0), off + m.end())
    m = ENUM_RE.match(s)
    if m and ok("enum"):
        n = to_int(m.group("num"))
        if n is not None:
            return make("enum", n, None, m.group(0), off + m.end())
    return None


TEXTS = ["第一条　为了规范", "第十二条", "第 十 一 章　法律责任", "第一章 总则", "第二编", "第三分编　合同",
         "第二百八十七条之一　", "第1条", "第１２条　ＡＢＣ", "第三人应当", "第", "第 ", "第十 一条",
         "第十章条", "第一節", "第二條", "（一）城市", "(二)乡村", "（1）", "（十）", "（）", "1.城市", "12、",
         "1.5万元", "１．三", "一、总则", "十二、", "一切", "本条例", "", "　", "\u3000第一条　a", "\u00a0（一）x",
         "\t1.a", "第一条之规定", "〇、", "两、"]
KINDS = [None, ("item", "subitem"), ("article",), ("item",), ("item", "subitem", "enum"), labels.LEVEL_ORDER]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("kinds", KINDS)
def test_match_label_agrees_with_every_pattern_in_turn(text, kinds):
    want = _match_label_long_way(text, kinds)
    assert match_label(text, kinds) == want
    assert match_label(text, kinds) == want  # remembered: the same again
    got = match_label(text, kinds)
    assert type(got) is type(want)


def test_match_label_memory_stays_bounded():
    for n in range(labels._SEEN_MAX * 2 + 10):
        match_label(f"第{n}条")
    assert len(labels._SEEN) <= labels._SEEN_MAX
    assert match_label("第7条").num == 7


RECORDS = [
    {"type": "line", "text": "a", "page": 1, "line": 2, "lineno": 3, "source": "x"},
    {"type": "line", "text": "a", "page": True},
    {"type": "line", "text": None},
    {"type": "line"},
    {"type": "line", "text": "a", "bbox": [1, 2.5, 3, 4]},
    {"type": "line", "text": "a", "bbox": [1, 2, 3]},
    {"type": "line", "text": "a", "bbox": [1, 2, 3, True]},
    {"type": "line", "text": "a", "char_boxes": [[1, 2.0], [3, 4]]},
    {"type": "line", "text": "a", "char_boxes": [[1, "2"]]},
    {"type": "line", "text": "a", "cells": ["a", "b"]},
    {"type": "line", "text": "a", "cells": ["a", 1]},
    {"type": "para", "text": "a", "lines": [[1, 2], [1, 3]]},
    {"type": "para", "text": "a", "lines": []},
    {"type": "para", "text": "a", "lines": [[1, 2, 3]]},
    {"type": "para", "text": "a", "lines": [[1, True]]},
    {"type": "para", "text": "a", "lines": [[1, 2.0]]},
    {"type": "para", "text": "a", "lines": [(1, 2)]},
    {"type": "para", "text": "a", "lines": "1,2"},
    {"type": "para", "text": "a", "edits": [{"rule": "x"}]},
    {"type": "para", "text": "a", "edits": [1]},
    {"type": "para", "text": "a", "indent": True},
    {"type": "para", "text": "a", "indent": 2.5},
    {"type": "para", "text": "a", "indent": "yes"},
    {"type": "article", "text": "a", "num": 1, "path": ["第一章"]},
    {"type": "article", "text": "a", "num": 0},
    {"type": "article", "text": "a", "num": True},
    {"type": "article", "text": "a", "path": ["x", 1]},
    {"type": "document", "caption": ["a", "b"]},
    {"type": "document", "caption": "a"},
    {"type": "document", "caption": ["a", 1]},
    {"type": "change", "old": {"label": 1}},
    {"type": "change", "old": [{"label": "a"}], "new": {"text": "b"}},
    {"type": "unknown", "x": float("nan")},
    {"type": 1},
    {"text": "a"},
    [],
]


@pytest.mark.parametrize("rec", RECORDS)
def test_quick_checks_agree_with_the_full_ones(rec):
    for kind, full in records._FULL_CHECKS.items():
        for name, v in (rec.items() if isinstance(rec, dict) else ()):
            assert bool(records._CHECKS[kind](v)) == bool(full(v)), (kind, name, v)
    fulls = dict(records._CHECKS)
    try:
        records._CHECKS.update(records._FULL_CHECKS)
        want = records.check_record(rec)
    finally:
        records._CHECKS.update(fulls)
    assert records.check_record(rec) == want


@pytest.mark.parametrize("lines", [
    ["第二条", "为了规范城市管理，根据有关法律", "行政法规，结合本市实际"],
    ["\u00a0", "第一条　为了规范城市管理，根据", "有关法律"],
    ["本条例所称城市管理，是指城市人民政府", "第三条规定的城市管理的范围包括下列事", "项：城市"],
    ["（一）城市管理的范围包括下列事项和", "1．三个以上的单位共同管理的，由其", "共同的上级"],
])
def test_line_joiner_labels_are_match_label_of_its_paragraphs(lines):
    j = LineJoiner(lambda: True)
    for n, t in enumerate(lines, 1):
        list(j.feed({"type": "line", "text": t, "page": 1, "line": n}))
        cur = j.cur
        assert j._label(cur["text"]) == match_label(cur["text"])
        assert j.full == max(j.recent)


def test_line_joiner_longest_line_leaves_the_window():
    j = LineJoiner(lambda: True)
    lengths = [5, 80, 3] + [10] * 70 + [90, 2] + [7] * 65
    for n, k in enumerate(lengths, 1):
        list(j.feed({"type": "line", "text": "字" * k, "page": 1, "line": n}))
        assert j.full == max(j.recent)
