"""Each record of a pipe is checked once, where it is read (issue 14).

read_records checks every JSON line as it parses it; the stage that takes the
records (normalize, split, convert, diff) used to check each one again at its
boundary.  Records read by read_records, or made by a stage, now come marked
``Checked`` and pass the next boundary as they are; anything else (a library
user's own dicts) is still checked there.
"""

import io
import json

import pytest

from clt import records as R
from clt.errors import InputError
from clt.normalize import normalize
from clt.split import split
from clt.stages import bring, open_at, peek_stage, printed_lines

JSONL = "\n".join(json.dumps(r, ensure_ascii=False) for r in [
    {"type": "source", "schema": 1, "path": "a.txt", "format": "text"},
    {"type": "page", "source": "a.txt", "page": 1},
    {"type": "line", "source": "a.txt", "page": 1, "line": 1, "text": "第一条　为了规范管理，制定本条例。"},
    {"type": "line", "source": "a.txt", "page": 1, "line": 2, "text": "第二条　本条例自公布之日起施行。"},
]) + "\n"


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = R.check_record

    def check(rec):
        calls.append(rec.get("type") if isinstance(rec, dict) else rec)
        return real(rec)

    monkeypatch.setattr(R, "check_record", check)
    return calls


def test_read_records_output_is_marked_and_checked_once(tmp_path, counted):
    path = tmp_path / "a.jsonl"
    path.write_text(JSONL, encoding="utf-8")
    recs = R.read_records(str(path))
    assert type(recs) is R.Checked
    out = list(normalize(recs))
    assert [r["text"] for r in out if r["type"] == "para"] == ["第一条　为了规范管理，制定本条例。",
                                                              "第二条　本条例自公布之日起施行。"]
    # every record checked by the reader (4 lines of JSON: read_records' fast path may skip
    # check_record for a plainly valid one, never check one twice); none at normalize's boundary
    assert len(counted) <= 4


def test_plain_dicts_are_still_checked_at_the_boundary():
    bad = [{"type": "line", "source": "x", "page": 1, "line": 1, "text": "甲", "bbox": [1, 2, 3]}]
    with pytest.raises(InputError):
        list(normalize(bad))
    with pytest.raises(InputError):
        list(normalize(iter([{"type": "para"}])))


def test_the_mark_survives_a_look_at_the_head():
    recs = R.read_records(io.BytesIO(JSONL.encode()))
    stage, stream = peek_stage(recs)
    assert stage == "extract" and type(stream) is R.Checked
    printed, stream = printed_lines(stream)
    assert printed is False and type(stream) is R.Checked
    found, stream = R.peek_markdown(stream)
    assert found is False and type(stream) is R.Checked
    assert len(list(stream)) == 4
    # and a plain list stays a plain iterator: nothing claims it was checked
    stage, stream = peek_stage([{"type": "page", "page": 1}])
    assert type(stream) is not R.Checked


def test_stage_outputs_and_open_at_are_marked(tmp_path):
    path = tmp_path / "law.txt"
    path.write_text("第一条　为了规范管理，制定本条例。\n第二条　本条例自公布之日起施行。\n", encoding="utf-8")
    assert type(open_at([str(path)], "split")) is R.Checked
    assert type(bring(R.read_records(str(path)), "split")) is R.Checked
    arts = [r for r in split(open_at([str(path)], "normalize")) if r["type"] == "article"]
    assert [a["label"] for a in arts] == ["第一条", "第二条"]


def test_open_at_checks_a_documents_records_where_extract_hands_them_over(monkeypatch, tmp_path):
    # a document's records (extract's own) are checked once in open_at, so a broken one is
    # still an error naming the record, not something the stages after it trip over
    import clt.stages as S

    monkeypatch.setattr(S, "read_source", lambda src, **kw: iter([
        {"type": "source", "schema": 1, "path": "d.pdf", "format": "pdf"},
        {"type": "line", "source": "d.pdf", "page": 1, "line": 1, "text": "甲", "bbox": [0, 0, 1]}]))
    with pytest.raises(InputError, match="record 2"):
        list(open_at(["d.pdf"], "normalize"))
