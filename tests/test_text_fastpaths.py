"""The shortcuts of the text stages (normalize, split, reading and writing records) agree
with the long way round: each input below goes through a rule both with and without its
prefilter, and must come out the same."""

import io
import re

import pytest

from clt import numerals
from clt.labels import match_label
from clt.metadata import METADATA_FIELD_RE, SPACES, metadata_fields
from clt.normalize import chars, normalize_text
from clt.records import check_record, checked, write_records
from clt.errors import InputError
from clt.split.units import LineJoiner

#: one line for every rule of line_repairs, and lines no rule touches
LINES = [
    "本条例自公布之日起施行。",                      # nothing to do
    "第一条　为了规范城市管理，制定本条例。",        # a label and its ideographic space
    "第一条 为了规范",                                # a label and a half-width space (protected)
    "“第五条　本条例所称",                            # a quoted label
    "\u2f08\u6c11\u2f1f\u5730",                       # radicals
    "\uf900\u5b57",                                   # a compatibility ideograph
    "本\ue001条例",                                   # private use
    "第１２条　ＡＢＣ",                               # full-width digits and Latin
    "依照本法,制定本办法;",                           # half-width punctuation in Chinese
    "(一)城市管理",                                   # half-width parentheses
    "总　　则 and open source 软 件",                 # spaces inside CJK
    "1 9 9 0年4月1日",                                # letter-spaced digits
    "2022 年第 15 期",                                # spaces between digits and ideographs
    "Section 1, part (a): ok",                        # Latin text: left alone
    "　",                                             # a space only
    "",
]


@pytest.mark.parametrize("text", LINES)
def test_line_repairs_with_and_without_the_prefilter(text, monkeypatch):
    protect = lambda t: {3} if t.startswith("第一条 ") else ()  # noqa: E731
    fast = chars.line_repairs(text, frozenset(), protect)
    monkeypatch.setattr(chars, "_ANY_RULE_RE", re.compile(""))  # every line the long way
    slow = chars.line_repairs(text, frozenset(), protect(text))
    assert fast == slow


def test_line_repairs_prefilter_lets_the_rules_run():
    # read: each of these is changed by its rule, so the one search must let it through
    assert chars.line_repairs("\u2f08\u6c11")[0] == "人民"
    assert chars.line_repairs("第１２条")[0] == "第12条"
    assert chars.line_repairs("依照本法,制定")[0] == "依照本法，制定"
    assert chars.line_repairs("总　　则")[0] == "总则"
    assert chars.line_repairs("第一条 为了规范", protect=lambda t: {3})[0] == "第一条 为了规范"
    assert chars.line_repairs("本\ue001条例")[2] == ["\ue001"]
    assert chars.line_repairs("本条例自公布之日起施行。") == ("本条例自公布之日起施行。", [], [])


def _metadata_long_way(text):
    s = text.strip(SPACES)
    ms = list(METADATA_FIELD_RE.finditer(s))
    if not ms or ms[0].start() != 0:
        return None
    return metadata_fields(text)


@pytest.mark.parametrize("text", ["发布日期：2023-06-28  实施日期：2024-01-01", "【效力级别】法律",
                                  "本条例的发布日期：2023年", "  发布机关：某市人大常委会", "第一条　为了", ""])
def test_metadata_fields_prefilter(text):
    assert metadata_fields(text) == _metadata_long_way(text)


def test_notice_number_lines_still_stand_alone():
    # read: a notice's number is a line of its own; the prefilter (a 号 in the line) lets it by
    text = "中华人民共和国主席令\n第九号\n某某法已由会议通过，现予公布。\n"
    assert normalize_text(text).splitlines() == ["中华人民共和国主席令", "第九号", "某某法已由会议通过，现予公布。"]


def test_to_int_cache_gives_what_cn2int_gives():
    for s in ["十二", "一百零一", "二〇二〇", "12", "１２", "十x", "", "万", "一" * 40]:
        try:
            want = numerals.cn2int(s)
        except ValueError:
            want = None
        assert numerals.to_int(s) == want
        assert numerals.to_int(s) == want  # the second time from the cache
    assert numerals.to_int(None) is None and numerals.to_int([]) is None
    assert len(numerals._TO_INT) <= numerals._TO_INT_MAX


def test_check_record_fast_types_and_their_subclasses():
    class S(str):
        pass

    assert check_record({"type": "line", "text": S("x"), "page": 1, "line": 2}) is None
    assert check_record({"type": "line", "text": "x", "page": True}) == "line record: field 'page' must be an integer"
    assert check_record({"type": "line", "text": "x", "page": 1.0}) == "line record: field 'page' must be an integer"
    assert check_record({"type": "line", "text": "x", "bbox": [1, 2, 3]}) == \
        "line record: field 'bbox' must be a list of 4 numbers"
    assert check_record({"type": "line", "text": "x", "size": None, "ocr": False}) is None
    assert check_record({"type": "para", "text": "x", "lines": [[1, 2]], "indent": 2.5}) is None
    with pytest.raises(InputError, match="NaN"):
        list(checked([{"type": "line", "text": "x", "size": float("nan")}]))
    with pytest.raises(InputError, match="NaN"):
        list(checked([{"type": "thing", "v": float("inf")}]))


class _Counting(io.StringIO):
    def __init__(self):
        super().__init__()
        self.flushes = []

    def flush(self):
        self.flushes.append(self.getvalue().count("\n"))
        super().flush()


def test_write_records_batches_but_flushes_each_page():
    recs = [{"type": "para", "text": str(i), "page": 1 + i // 3} for i in range(7)]
    fp = _Counting()
    assert write_records(recs, fp) == 7
    assert fp.getvalue().splitlines() == ['{"type": "para", "text": "%d", "page": %d}' % (i, 1 + i // 3)
                                          for i in range(7)]
    # a flush when the page changes (after the record that changed it), none at the end
    assert fp.flushes == [1, 4, 7]


def test_write_records_long_page_is_written_in_batches():
    from clt import records

    n = records.WRITE_BATCH * 2 + 5
    fp = _Counting()
    writes = []
    real_write = fp.write
    fp.write = lambda s: (writes.append(s.count("\n")), real_write(s))[1]
    write_records(({"type": "para", "text": "x", "page": 1} for _ in range(n)), fp)
    assert fp.getvalue().count("\n") == n
    assert max(writes) <= records.WRITE_BATCH  # never the whole page held at once


def test_write_records_keeps_what_came_before_an_error():
    def gen():
        yield {"type": "para", "text": "a", "page": 1}
        yield {"type": "para", "text": "b", "page": 1}
        raise InputError("broken")

    fp = io.StringIO()
    with pytest.raises(InputError):
        write_records(gen(), fp)
    assert fp.getvalue() == '{"type": "para", "text": "a", "page": 1}\n{"type": "para", "text": "b", "page": 1}\n'


def test_line_joiner_label_memo_agrees_with_match_label():
    j = LineJoiner(lambda: True)
    texts = ["第二条", "第二条", "（一）城市", "本条例", "第二条", "3．三", "第二条　为了"]
    for t in texts:
        assert j._label(t) == match_label(t)


@pytest.mark.parametrize("first", ["第二条　为了规范城市管理，根据有关法律", "（一）城市管理的范围包括下列",
                                   "3．三个以上的单位共同管理的", "第一条之一规定的情形，依照本", "第二条"])
def test_line_joiner_label_of_a_joined_paragraph_is_match_label_of_it(first):
    j = LineJoiner(lambda: True)
    lines = [first, "行政法规，结合本市实际，制定本条例的有关", "规定，适用于本市行政区域内的城市管理"]
    units = []
    for n, t in enumerate(lines, 1):
        units.extend(j.feed({"type": "line", "text": t, "page": 1, "line": n}))
        cur = j.cur
        assert j._label(cur["text"]) == match_label(cur["text"])  # the remembered label, rest included
    units.extend(j.flush())
    assert [u["text"] for u in units] == [(first + "\u3000" if first == "第二条" else first) + "".join(lines[1:])]


def _width_long_way(t):
    from clt.normalize.paragraphs import _NARROW_RE, _SP_RUN_RE

    t = _SP_RUN_RE.sub("", t)
    n = len(t)
    if t.isascii():
        return 0.5 * n
    narrow = n - len(_NARROW_RE.sub("", t))
    return 0.5 * narrow + (n - narrow)


@pytest.mark.parametrize("text", ["", "　", "abc", "a b", "本条例自公布之日起施行。", "第一条　为了",
                                  "2020年1月1日", "中\xa0文\t字", "ÀÉ中文", "ＡＢ１２", "\u2000\u1fff中"])
def test_width_shortcuts_agree(text):
    from clt.normalize.paragraphs import width

    assert width(text) == _width_long_way(text)
    assert type(width(text)) is type(_width_long_way(text))


@pytest.mark.parametrize("line,want", [
    ("• 第一条　为了规范管理，制定本条例。", "第一条　为了规范管理，制定本条例。"),
    ("·（一）城市管理；", "（一）城市管理；"),
    ("● 本条例自公布之日起施行。", "● 本条例自公布之日起施行。"),  # no label after it: kept
    ("▶第二条　本条例适用于本市。", "第二条　本条例适用于本市。"),
])
def test_bullets_before_labels_still_removed(line, want):
    assert normalize_text(line + "\n") == want + "\n"


def _text_lines_long_way(text):
    """text_line_records' lines as the loop before TEXT_BLOCK made them, one find at a time."""
    out, page, lineno, n, pos = [], 1, 0, len(text), 0
    while True:
        ff = text.find("\f", pos)
        end = n if ff < 0 else ff
        if ff < 0 and page > 1 and not text[pos:].strip():
            break
        out.append(("page", page))
        lip, start = 0, pos
        while start < end:
            nl = text.find("\n", start, end)
            stop = end if nl < 0 else nl
            lineno += 1
            lip += 1
            out.append((page, lip, lineno, text[start:stop].rstrip("\r")))
            start = stop + 1
        if ff < 0:
            break
        pos, page = ff + 1, page + 1
    return out


@pytest.mark.parametrize("block", [1, 2, 3, 7, 1 << 18])
def test_text_line_records_in_blocks_gives_the_same_lines(block, monkeypatch):
    from clt import records

    monkeypatch.setattr(records, "TEXT_BLOCK", block)
    texts = ["", "a", "a\n", "a\nb", "a\n\nb\n", "\n", "\n\n", "a\r\nb\r\n", "a\r\r\nb", "一\f二\n\f", "\f",
             "a\fb\f", "甲乙丙\n丁\n\n戊己\f\n庚\r\n", "x" * 20 + "\n" + "y" * 5, "ab\ncd\nef\ngh\n\f\f ij"]
    for text in texts:
        got = [("page", r["page"]) if r["type"] == "page" else (r["page"], r["line"], r["lineno"], r["text"])
               for r in records.text_line_records(text, "t") if r["type"] != "source"]
        assert got == _text_lines_long_way(text), text


def test_stats_width_memo_is_the_width():
    from clt.normalize.paragraphs import Stats, width

    st = Stats()
    for t in ["本条例自公布之日起施行。", "　　第一条　为了", "abc 中文", "本条例自公布之日起施行。"]:
        st.add(t)
    for t in ["本条例自公布之日起施行。", "本条例自公布之日起施行。", "第一条　为了", "never added", "abc 中文"]:
        assert st.width_of(t) == width(t)
    assert "本条例自公布之日起施行。" not in st.widths  # taken once used


def test_checked_fast_path_refuses_what_check_record_refuses():
    """checked() accepts most records in line; NaN, a wrong type, a missing text still stop it."""
    import pytest
    from clt.errors import InputError
    from clt.records import checked

    good = [{"type": "line", "text": "第一条", "page": 1, "line": 1, "size": 10.5, "bbox": [1, 2, 3, 4]},
            {"type": "mystery", "x": 1.5}]
    assert list(checked(iter(good))) == good
    for bad in ({"type": "line", "text": "a", "size": float("nan")},
                {"type": "line", "text": "a", "page": "1"},
                {"type": "line", "page": 1},
                {"type": "mystery", "x": float("inf")}):
        with pytest.raises(InputError):
            list(checked(iter([bad])))


def test_ocr_paren_fast_path_same_as_the_loop():
    """ocr_paren skips its character loop when every ） is matched; an unmatched one is still repaired."""
    from clt.normalize import ocr_paren

    edits = []
    assert ocr_paren("（一）依照（二）", edits, {}) == "（一）依照（二）" and edits == []
    edits = []
    assert ocr_paren("《2013年6月通过）", edits, {}) == "（2013年6月通过）"
    assert [e["rule"] for e in edits] == ["ocr-paren"]
