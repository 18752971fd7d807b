"""The record stream: reading JSON Lines or text in any Chinese encoding, writing JSON Lines."""

import io
import json

import pytest

from clt.errors import DecodeError, InputError
from clt.records import read_records, write_records, text_line_records
from clt.textio import decode_bytes, detect_encoding

LAW = "第一条　为了规范城市公共汽车客运活动，保障运营安全，制定本条例。\n第二条　本条例适用于本市行政区域。\n"
TRAD = "第一條　為了規範城市公共汽車客運活動，保障運營安全，制定本條例。\n第二條　本條例適用於本市行政區域。\n"


def lines_of(records):
    return [r["text"] for r in records if r["type"] == "line"]


def test_jsonl_records_pass_through_in_order():
    data = b'{"type": "line", "text": "\xe7\xac\xac"}\n\n{"type": "other", "x": 1}\n'
    recs = list(read_records(io.BytesIO(data)))
    assert recs == [{"type": "line", "text": "第"}, {"type": "other", "x": 1}]


def test_bad_json_line_names_file_and_line():
    data = b'{"type": "line", "text": "a"}\nnot json\n'
    with pytest.raises(InputError) as e:
        list(read_records(io.BytesIO(data)))
    assert e.value.line == 2
    assert str(e.value).endswith("2: not a JSON object")


def test_json_array_is_not_an_object():
    with pytest.raises(InputError):
        list(read_records(io.BytesIO(b'{"type": "a"}\n[1, 2]\n')))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_plain_text_in_common_encodings(encoding):
    recs = list(read_records(io.BytesIO(LAW.encode(encoding))))
    assert recs[0]["type"] == "source"
    assert lines_of(recs) == LAW.splitlines()


def test_big5_text():
    recs = list(read_records(io.BytesIO(TRAD.encode("big5"))))
    assert recs[0]["encoding"].replace("_", "").startswith("big5")
    assert lines_of(recs) == TRAD.splitlines()


def test_forced_encoding_wins():
    recs = list(read_records(io.BytesIO(LAW.encode("gb18030")), encoding="gb18030"))
    assert lines_of(recs) == LAW.splitlines()


def test_wrong_forced_encoding_suggests_the_fix():
    with pytest.raises(DecodeError) as e:
        list(read_records(io.BytesIO(LAW.encode("gb18030")), encoding="utf-8"))
    assert "--encoding" in str(e.value)


def test_binary_bytes_are_refused_with_a_hint():
    with pytest.raises(DecodeError) as e:
        decode_bytes(bytes(range(256)) * 8, source="x.bin")
    assert "x.bin" in str(e.value) and "--encoding" in str(e.value)


def test_form_feed_starts_a_new_page():
    recs = list(text_line_records("甲\n乙\n\f丙\n\f", "t.txt"))
    pages = [(r["page"], r["line"], r["text"]) for r in recs if r["type"] == "line"]
    assert pages == [(1, 1, "甲"), (1, 2, "乙"), (2, 1, "丙")]
    assert [r["page"] for r in recs if r["type"] == "page"] == [1, 2]


def test_blank_lines_are_kept_as_empty_lines():
    recs = list(text_line_records("甲\n\n乙\n", "t.txt"))
    assert lines_of(recs) == ["甲", "", "乙"]


def test_empty_input_gives_no_records():
    assert list(read_records(io.BytesIO(b""))) == []
    assert list(read_records(io.BytesIO(b"\n \n"))) == []


def test_write_records_one_object_per_line_utf8():
    buf = io.StringIO()
    n = write_records([{"type": "line", "text": "第一条"}, {"type": "x"}], buf)
    assert n == 2
    lines = buf.getvalue().splitlines()
    assert lines[0] == '{"type": "line", "text": "第一条"}'
    assert json.loads(lines[1]) == {"type": "x"}


def test_detect_encoding_utf8_first():
    assert detect_encoding(LAW.encode("utf-8")) == "utf-8"


def test_directory_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        list(read_records(str(tmp_path)))
    with pytest.raises(InputError, match="no such file"):
        list(read_records(str(tmp_path / "nope.txt")))


def test_utf16_without_bom_needs_forcing_only_when_not_sniffable():
    data = LAW.encode("utf-16-le")
    recs = list(read_records(io.BytesIO(data), encoding="utf-16-le"))
    assert lines_of(recs) == LAW.splitlines()
