"""The compiled record writer (clt/_jsonout.c) writes what the standard library writes.

``clt.records.dumps`` writes each record with ``_jsonout.encode`` where it is
built: the text of ``json.dumps(rec, ensure_ascii=False, separators=(", ", ": "),
allow_nan=False)``, byte for byte, or None for a shape it leaves to the standard
library (NaN, subclasses, non-str keys, deep nesting), which then writes or
refuses the record as before.
"""

import json
import random

import pytest

from clt import records as R

_jsonout = pytest.importorskip("clt._jsonout", reason="the optional writer is not built (no C compiler)")


def std(rec):
    return json.dumps(rec, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


SPECIAL = ["", '"', "\\", "\n", "\r\t\b\f", "\x00\x01\x1f\x7f", "第一条　总则", "\u2028\u2029", "𠀀𪚥",
           "\ud800", "a\"b\\c", "中\x0b文", "\ufeff", "é", "\U0010ffff"]


def clt_text(rec):
    """What clt.records.dumps writes: the standard library's text, a surrogate as U+FFFD."""
    return R._SURROGATE.sub("\ufffd", std(rec))


def rand_value(rng, depth=0):
    k = rng.randrange(9 if depth < 4 else 6)
    if k == 0:
        return rng.choice(SPECIAL) + "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0, 0x20),
                                                               rng.randrange(0x4e00, 0xa000),
                                                               rng.randrange(0x10000, 0x10ffff)]))
                                             for _ in range(rng.randrange(6)))
    if k == 1:
        return rng.choice([0, 1, -1, 2 ** 63, -(2 ** 70), 10 ** 30, rng.randrange(-10 ** 6, 10 ** 6)])
    if k == 2:
        return rng.choice([0.0, -0.0, 1e-05, 1e16, 1.5, 123.45, 0.1 + 0.2, 5e-324, 1.7976931348623157e308,
                           rng.uniform(-1e3, 1e3), round(rng.uniform(0, 600), 2)])
    if k == 3:
        return rng.choice([True, False, None])
    if k == 4:
        return rng.choice(SPECIAL)
    if k == 5:
        return rng.randrange(100)
    if k == 6:
        return [rand_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if k == 7:
        return tuple(rand_value(rng, depth + 1) for _ in range(rng.randrange(3)))
    return {rng.choice(SPECIAL) + str(i): rand_value(rng, depth + 1) for i in range(rng.randrange(4))}


def test_random_records_are_written_as_the_standard_library_writes_them():
    rng = random.Random(1404)
    for _ in range(3000):
        rec = {"type": "line", **{f"f{i}": rand_value(rng) for i in range(rng.randrange(8))}}
        assert _jsonout.encode(rec) == clt_text(rec)


def test_clts_own_records_are_written_alike():
    recs = [R.record("line", source="a.pdf", page=1, line=2, text="第一条　为了规范管理，制定本条例。",
                     bbox=[72.0, 100.25, 523.5, 112.0], size=10.5, font="SimSun", bold=False),
            {"type": "para", "text": "（2020年1月1日通过）", "lines": [[1, 2], [1, 3]],
             "edits": [{"rule": "punct-width", "before": ",", "after": "，", "at": 3, "page": 1, "line": 2}]},
            {"type": "article", "label": "第二条", "num": 2, "text": "本法\n（一）甲；", "path": ["第一章"]}]
    for rec in recs:
        assert _jsonout.encode(rec) == std(rec)
        assert R.dumps(rec) == std(rec)


def test_a_surrogate_is_written_as_u_fffd_as_dumps_always_did():
    rec = {"type": "source", "path": "bad-\udcff-name\ud800.txt", "k\udc80": ["\udfff"]}
    assert _jsonout.encode(rec) == '{"type": "source", "path": "bad-\ufffd-name\ufffd.txt", "k\ufffd": ["\ufffd"]}'
    assert _jsonout.encode(rec) == clt_text(rec)


class S(str):
    pass


class I(int):
    pass


@pytest.mark.parametrize("rec", [
    {"type": "x", "v": float("nan")}, {"type": "x", "v": [1.0, float("inf")]}, {"type": "x", "v": S("a")},
    {"type": "x", "v": I(3)}, {"type": "x", 1: "int key"}, {"type": "x", "v": {None: 1}},
    {"type": "x", "v": object()}, {S("type"): "x"}, {"type": "x", "v": {1.5: 2}},
])
def test_unusual_shapes_are_left_to_the_standard_library(rec):
    assert _jsonout.encode(rec) is None


def test_nan_is_still_refused_in_the_standard_librarys_words():
    from clt.errors import OutputError

    with pytest.raises(OutputError, match="NaN or Infinity"):
        R.dumps({"type": "line", "text": "a", "size": float("nan")})


def test_a_cycle_and_deep_nesting_fall_back():
    a = []
    a.append(a)
    assert _jsonout.encode({"type": "x", "v": a}) is None
    deep = v = []
    for _ in range(150):
        v.append([])
        v = v[0]
    assert _jsonout.encode({"type": "x", "v": deep}) is None
    assert R.dumps({"type": "x", "v": deep}) == std({"type": "x", "v": deep})
    assert _jsonout.encode([1]) is None and _jsonout.encode("s") is None


def test_line_and_paragraph_separators_stay_inside_their_line():
    """Regression (scripts/fuzz, a mutated PDF whose garbled text held U+2028): the separators
    str.splitlines() breaks at are valid in a JSON string and written as they are, as json.dumps
    does; JSON Lines are split at "\\n" alone, and clt reads such a line back whole."""
    rec = {"type": "line", "source": "a.pdf", "page": 1, "line": 1, "text": "甲\u2028乙\u2029丙\x85丁"}
    text = R.dumps(rec)
    assert text == std(rec) and "\n" not in text
    (back,) = list(R.iter_jsonl([text.encode("utf-8") + b"\n"], "t.jsonl"))
    assert back == rec
