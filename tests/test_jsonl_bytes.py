"""JSON Lines read from their bytes (orjson on the raw line) give what reading the decoded
text gives: the same records, and for a bad line the same error, word for word (issue 14).
"""

import pytest

from clt import records as R
from clt.errors import InputError

GOOD = [
    b'{"type": "line", "source": "a", "page": 1, "line": 1, "text": "\xe7\xac\xac\xe4\xb8\x80\xe6\x9d\xa1"}',
    b'  {"type": "page", "page": 2, "width": 595.28, "height": 841.89}\r\n',
    b'{"type": "x", "n": 123456789012345678901234}',      # beyond 64 bits: the standard reader's int
    b'{"type": "x", "n": 18446744073709551615, "f": 1e-05, "g": -0.0}',
    b'{"type": "x", "s": "\\u7b2c\\u4e00\\u6761 \\"q\\" \\\\ \\n"}',
    b'\xef\xbb\xbf{"type": "x", "bom": true}',                     # a BOM on the first line
    b'{"type": "x", "v": [1, [2, [3]]], "d": {"a": null}}\x1f',    # white space str.strip() knows
    b'{"type": "x", "t": "\\ud83d\\ude00"}',                       # a pair of escapes: one character
    b'{"type": "x", "a": 1, "a": 2}',                              # the last of a repeated key
]
BAD = [
    b'{"type": "line", "text": "\xff\xfe"}',                        # not UTF-8
    b'{"type": "x", "t": "\\ud800"}',                               # a lone surrogate
    b'{"type": "x", "v": ' + b"[" * 70 + b"]" * 70 + b"}",          # too deep
    b'{"type": "x", "v": NaN}',
    b'{"type": "line", "text": 3}',                                 # off the schema
    b'[1, 2]',
    b'{"type": "x"',
    b'{"type": 7}',
]


def read(lines, as_text, lenient=False):
    if as_text:
        lines = [ln.decode("utf-8", "surrogateescape") for ln in lines]
    return list(R.iter_jsonl(lines, "t.jsonl", lenient=lenient))


@pytest.mark.parametrize("i", range(len(GOOD)))
def test_good_lines_read_alike(i):
    lines = [GOOD[i]] if i == 5 else [b"", GOOD[i]]  # the BOM only counts on the first line
    got = read(lines, as_text=False)
    want = read([ln for ln in lines], as_text=True) if b"\xff" not in GOOD[i] else None
    assert got == want and len(got) == 1
    assert type(got[0]) is dict


@pytest.mark.parametrize("i", range(len(BAD)))
def test_bad_lines_are_refused_alike(i):
    line = BAD[i]
    with pytest.raises(InputError) as e_bytes:
        read([line], as_text=False)
    if b"\xff" in line:
        assert "not UTF-8" in str(e_bytes.value)
        return
    with pytest.raises(InputError) as e_text:
        read([line], as_text=True)
    assert str(e_bytes.value) == str(e_text.value)
    # --lenient: the same warning in its place
    assert read([line], as_text=False, lenient=True) == read([line], as_text=True, lenient=True)


def test_a_big_integer_stays_an_integer():
    (rec,) = read([GOOD[2]], as_text=False)
    assert rec["n"] == 123456789012345678901234 and type(rec["n"]) is int
