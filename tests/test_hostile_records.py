"""Hostile JSON Lines: every record is checked on read against clt-records(5).

Each ``test_fuzz_*`` is a reproducer found by fuzzing (input copied into
tests/fixtures/fuzz/, or generated small when big); before the fix each one
ended in ``internal error`` (exit 3) or wrote output that is not JSON.
"""

import json
import os

import pytest

from clt.errors import CltError, InputError, OutputError
from clt.records import check_record, dumps, iter_jsonl, parse_record, read_records

from conftest import FIXTURES

FUZZ = os.path.join(FIXTURES, "fuzz")


def fz(name):
    return os.path.join(FUZZ, name)


def strict_json(text):
    """Parse clt output as RFC 8259 JSON: NaN/Infinity and lone surrogates refused."""
    def refuse(c):
        raise AssertionError(f"{c} in clt output")
    out = []
    for line in text.splitlines():
        line.encode("utf-8")  # no lone surrogate
        obj = json.loads(line, parse_constant=refuse)
        out.append(obj)
    return out


# --------------------------------------------------------------------------- reproducers

@pytest.mark.parametrize("stage", [["normalize"], ["split"], ["convert", "--to", "md"]])
def test_fuzz_lone_surrogate_escape_is_refused_on_read(run_cli, stage):
    r = run_cli(stage + [fz("lone-surrogate-escape.jsonl")])
    assert r.exit_code == 1
    assert r.stderr == f"clt: {fz('lone-surrogate-escape.jsonl')}:1: a lone surrogate (\\ud800-\\udfff) is not text\n"


def test_fuzz_surrogateescape_raw_bytes_never_reach_the_output(run_cli):
    r = run_cli(["normalize", fz("surrogateescape-raw-bytes.jsonl")])
    assert r.exit_code == 1 and r.output == ""
    assert "lone surrogate" in r.stderr and r.stderr.count("\n") == 1


def test_fuzz_type_not_string(run_cli):
    r = run_cli(["normalize", fz("type-not-string.jsonl")])
    assert r.exit_code == 1
    assert r.stderr == f"clt: {fz('type-not-string.jsonl')}:1: record: field 'type' must be a string\n"


def test_fuzz_deep_json_nesting(run_cli, tmp_path):
    p = tmp_path / "deep.jsonl"
    p.write_text('{"type": "line", "text": "x", "x": ' + "[" * 100000 + "]" * 100000 + "}\n")
    for stage in (["normalize"], ["split"], ["convert", "--to", "text"]):
        r = run_cli(stage + [str(p)])
        assert r.exit_code == 1, r.stderr
        assert r.stderr == f"clt: {p}:1: nested deeper than 64 levels\n"


def test_fuzz_deep_json_nesting_pretty_printed(run_cli, tmp_path):
    p = tmp_path / "deep.json"
    p.write_text('{\n"type": "x", "x": ' + "[" * 5000 + "]" * 5000 + "\n}\n")
    r = run_cli(["split", str(p)])
    assert r.exit_code == 1
    assert r.stderr.startswith(f"clt: {p}:1: nested deeper than") and r.stderr.count("\n") == 1


def test_fuzz_para_without_text_textmode(run_cli):
    r = run_cli(["normalize", "--text", fz("para-without-text-textmode.jsonl")])
    assert r.exit_code == 1
    assert r.stderr == f"clt: {fz('para-without-text-textmode.jsonl')}:1: para record: field 'text' is missing\n"


def test_fuzz_lines_field_string(run_cli):
    r = run_cli(["normalize", fz("lines-field-string.jsonl")])
    assert r.exit_code == 1
    assert r.stderr.endswith(":1: para record: field 'lines' must be a [page, line] list\n")


def test_fuzz_line_size_wrong_type(run_cli):
    r = run_cli(["normalize", fz("line-size-wrong-type.jsonl")])
    assert r.exit_code == 1
    assert r.stderr == f"clt: {fz('line-size-wrong-type.jsonl')}:2: line record: field 'size' must be a number\n"


def test_fuzz_split_lines_not_list(run_cli):
    r = run_cli(["split", fz("split-lines-not-list.jsonl")])
    assert r.exit_code == 1
    assert r.stderr.endswith(":1: para record: field 'lines' must be a [page, line] list\n")


def test_fuzz_pretty_json_text_not_string(run_cli):
    r = run_cli(["split", fz("pretty-json-text-not-string.json")])
    assert r.exit_code == 1
    assert r.stderr.endswith(":1: line record: field 'text' must be a string\n")
    r = run_cli(["split", fz("cr-only-text-not-string.jsonl")])
    assert r.exit_code == 1
    assert r.stderr.endswith(":1: line record: field 'text' must be a string\n")


def test_fuzz_diff_wrong_typed_fields(run_cli):
    r = run_cli(["diff", fz("diff-path-int-old.jsonl"), fz("diff-path-int-new.jsonl")])
    assert r.exit_code == 2  # diff: 2 on error
    assert r.stderr.endswith(":1: article record: field 'path' must be a list of strings\n")
    r = run_cli(["diff", "--ignore-width", fz("diff-path-int-new.jsonl"), fz("diff-title-int.jsonl")])
    assert r.exit_code == 2
    assert r.stderr.endswith(":1: document record: field 'title' must be a string\n")


def test_fuzz_convert_wrong_typed_fields(run_cli):
    r = run_cli(["convert", "--to", "tsv", fz("heading-label-int.jsonl")])
    assert r.exit_code == 1
    assert r.stderr.endswith(":1: heading record: field 'label' must be a string\n")
    r = run_cli(["convert", "--to", "csv", fz("type-list.json")])
    assert r.exit_code == 1
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1


def test_fuzz_nan_passthrough_is_refused(run_cli):
    r = run_cli(["normalize", fz("nan-passthrough.jsonl")])
    assert r.exit_code == 1 and r.output == ""
    assert r.stderr == f"clt: {fz('nan-passthrough.jsonl')}:1: NaN is not JSON\n"


def test_fuzz_batch_output_nonutf8_name_is_refused_not_copied(run_cli):
    # an old batch output whose source holds \udcXX escapes: refused on read
    r = run_cli(["split", fz("batch-output-nonutf8-name.jsonl")])
    assert r.exit_code == 1 and "lone surrogate" in r.stderr


def test_fuzz_encoding_non_text_codec(run_cli):
    for codec in ("rot13", "hex", "base64", "zlib"):
        r = run_cli(["split", "--encoding", codec, fz("encoding-non-text-codec.txt")])
        assert r.exit_code == 1, r.stderr
        assert r.stderr.startswith(f"clt: {fz('encoding-non-text-codec.txt')}: '{codec}' is not a text encoding")


# --------------------------------------------------------------------------- --lenient

def test_lenient_skips_bad_records_with_a_warning(run_cli):
    recs = ('{"type": "line", "text": "第一条　甲。", "page": 1, "line": 1}\n'
            '{"type": "line", "text": 5}\n'
            '{"type": "line", "text": "x", "page": NaN}\n'
            '{"type": "line", "text": "第二条　乙。", "page": 1, "line": 2}\n')
    r = run_cli(["normalize", "--lenient"], input=recs)
    assert r.exit_code == 0, r.stderr
    out = strict_json(r.output)
    warns = [o for o in out if o["type"] == "warning" and o["code"] == "invalid-record"]
    assert [(w["line"], w["message"]) for w in warns] == [
        (2, "record skipped: line record: field 'text' must be a string"),
        (3, "record skipped: NaN is not JSON")]
    assert [o["text"] for o in out if o["type"] == "para"] == ["第一条　甲。", "第二条　乙。"]


def test_without_lenient_the_first_bad_record_stops_the_run(run_cli):
    r = run_cli(["split"], input='{"type": "line", "text": "x"}\n{"type": "article", "num": "1", "text": "x"}\n')
    assert r.exit_code == 1
    assert r.stderr == "clt: <stdin>:2: article record: field 'num' must be a positive integer\n"


# --------------------------------------------------------------------------- library

def test_unknown_types_pass_unchecked():
    assert check_record({"type": "x-note", "text": 5, "lines": "abc"}) is None
    assert list(iter_jsonl(['{"type": "x-note", "text": {}}'], "s")) == [{"type": "x-note", "text": {}}]


def test_null_optional_fields_are_accepted():
    assert check_record({"type": "article", "label": "第一条", "num": None, "sub": None, "text": "x"}) is None
    assert check_record({"type": "heading", "label": "附则", "num": None, "title": "附则"}) is None


def test_surrogate_pairs_are_text():
    assert parse_record('{"type": "line", "text": "\\ud840\\udc00"}')["text"] == "\U00020000"


@pytest.mark.parametrize("line,msg", [
    ('{"type": "line", "text": "x", "bbox": [1, 2, 3]}', "line record: field 'bbox' must be a list of 4 numbers"),
    ('{"type": "line", "text": "x", "bold": 1}', "line record: field 'bold' must be true or false"),
    ('{"type": "line", "text": "x", "page": true}', "line record: field 'page' must be an integer"),
    ('{"type": "para", "text": "x", "edits": [1]}', "para record: field 'edits' must be a list of objects"),
    ('{"type": "change", "op": "equal", "old": {"label": 5}}', "change record: field 'old.label' must be a string"),
    ('{"type": "line", "text": "x", "v": -Infinity}', "-Infinity is not JSON"),
    ('[1, 2]', "not a JSON object"),
])
def test_parse_record_says_what_is_wrong(line, msg):
    with pytest.raises(ValueError) as e:
        parse_record(line)
    assert str(e.value) == msg
    with pytest.raises(InputError) as e:
        list(iter_jsonl([line], "f.jsonl"))
    assert str(e.value) == f"f.jsonl:1: {msg}"


def test_writer_is_strict_json():
    # a file name with an undecodable byte (surrogateescape) is written as U+FFFD
    s = dumps({"type": "source", "path": "gbk-\udcb7.txt"})
    s.encode("utf-8")
    assert json.loads(s)["path"] == "gbk-\ufffd.txt"
    with pytest.raises(OutputError):
        dumps({"type": "change", "similarity": float("nan")})
    assert issubclass(OutputError, CltError)


def test_read_records_lenient_on_pretty_json(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('{\n "type": "line",\n "text": 5\n}\n{\n "type": "line", "text": "y"\n}\n')
    recs = list(read_records(str(p), lenient=True))
    assert recs[0]["type"] == "warning" and recs[0]["line"] == 1
    assert recs[1] == {"type": "line", "text": "y"}


# --------------------------------------------------------------------------- lost data, reproducibility

HOSTILE = os.path.join(FIXTURES, "hostile")


def test_fuzz_removed_record_not_original(run_cli):
    # a line printed twice, with a Kangxi radical (⼈ U+2F08) and stray spaces in it: the
    # `removed` record holds the line as extracted, not the repaired text, so it can be put back
    p = os.path.join(HOSTILE, "removed-record-not-original.txt")
    r = run_cli(["normalize", p])
    assert r.exit_code == 0, r.stderr
    recs = strict_json(r.output)
    removed = [x for x in recs if x["type"] == "removed"]
    assert [(x["rule"], x["page"], x["line"], x["text"]) for x in removed] == [
        ("dup-line", 1, 3, "第二条\u3000监督 国 务院\u2f08民政府的工作。")]
    with open(p, encoding="utf-8") as f:
        assert removed[0]["text"] == f.read().splitlines()[2]
    paras = [x["text"] for x in recs if x["type"] == "para"]
    assert "第二条\u3000监督国务院人民政府的工作。" in paras  # the kept copy is repaired as before


def _docx_members(blob):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return [(i.filename, i.date_time) for i in z.infolist()], z.read("docProps/core.xml").decode()


def test_fuzz_docx_not_reproducible(run_cli, tmp_path, monkeypatch):
    # two runs of the same conversion, an hour apart, give the same bytes
    import time

    law = os.path.join(HOSTILE, "docx-not-reproducible.txt")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run_cli(["convert", "--to", "docx", law, "-o", str(a)]).exit_code == 0
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3600)
    assert run_cli(["convert", "--to", "docx", law, "-o", str(b)]).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    members, core = _docx_members(a.read_bytes())
    assert {d for _, d in members} == {(1980, 1, 1, 0, 0, 0)}
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">1980-01-01T00:00:00Z</dcterms:created>" in core
    assert "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">1980-01-01T00:00:00Z</dcterms:modified>" in core


def test_docx_takes_its_time_from_source_date_epoch(run_cli, tmp_path, monkeypatch):
    law = os.path.join(HOSTILE, "docx-not-reproducible.txt")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")  # 2024-01-01 00:00 UTC
    out = tmp_path / "a.docx"
    assert run_cli(["convert", "--to", "docx", law, "-o", str(out)]).exit_code == 0
    members, core = _docx_members(out.read_bytes())
    assert {d for _, d in members} == {(2024, 1, 1, 0, 0, 0)}
    assert ">2024-01-01T00:00:00Z</dcterms:modified>" in core


def test_fuzz_docx_not_reproducible_batch_manifest(run_cli, tmp_path, monkeypatch):
    import shutil
    import time

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(os.path.join(HOSTILE, "docx-not-reproducible.txt"), src / "law.txt")
    assert run_cli(["batch", "--quiet", "--to", "docx", str(src), "-o", str(tmp_path / "o1")]).exit_code == 0
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3600)
    assert run_cli(["batch", "--quiet", "--to", "docx", str(src), "-o", str(tmp_path / "o2")]).exit_code == 0
    assert (tmp_path / "o1" / "law.docx").read_bytes() == (tmp_path / "o2" / "law.docx").read_bytes()
    assert (tmp_path / "o1" / ".clt-batch.json").read_bytes() == (tmp_path / "o2" / ".clt-batch.json").read_bytes()


# --------------------------------------------------------------------------- plain text without form feeds

def _long_text(pages, header="某市人民政府公报　2023年第6号"):
    """A text of *pages* printed pages run together without form feeds: a running
    header and a page number on each, one article of law text between them."""
    out = []
    for p in range(1, pages + 1):
        out.append(header)
        for k in range(3):
            out.append(f"第{p * 3 + k}条　本条例所称的事项，依照有关法律、法规的规定办理，")
            out.append("并报上级主管部门备案。")
        out.append(str(p))
    return "\n".join(out) + "\n"


def test_fuzz_normalize_plain_text_memory():
    # 50 MB of plain text without a form feed is one "page": normalize held all of it
    # (0.91 GB); now the page goes through LONG_CHUNK lines at a time, so the first
    # paragraphs come out after a bounded number of lines has been read
    from clt.normalize import normalize
    from clt.normalize.furniture import LONG_CHUNK, WINDOW
    from clt.records import text_line_records

    text = _long_text(5000)  # 40,000 lines
    read = [0]

    def lines():
        for rec in text_line_records(text, "long.txt"):
            read[0] += 1
            yield rec

    out = normalize(lines())
    first = next(r for r in out if r["type"] == "para")
    assert first["text"] == "第3条　本条例所称的事项，依照有关法律、法规的规定办理，并报上级主管部门备案。"
    assert read[0] <= (WINDOW + 2) * LONG_CHUNK < 40000


def test_fuzz_normalize_plain_text_memory_furniture_across_runs(run_cli, tmp_path):
    # the running header and page number of every printed page are removed, across the
    # boundaries of the runs of lines the long page is read in; no law text is lost
    p = tmp_path / "long.txt"
    p.write_text(_long_text(1500), encoding="utf-8")  # 12,000 lines: three runs
    r = run_cli(["normalize", str(p)])
    assert r.exit_code == 0, r.stderr
    recs = strict_json(r.output)
    removed = [x for x in recs if x["type"] == "removed"]
    assert sorted((x["rule"], x["text"]) for x in removed) == sorted(
        [("running-header", "某市人民政府公报　2023年第6号")] * 1500
        + [("page-number", str(n)) for n in range(1, 1501)])
    paras = [x["text"] for x in recs if x["type"] == "para"]
    assert paras == [f"第{n}条　本条例所称的事项，依照有关法律、法规的规定办理，并报上级主管部门备案。"
                     for n in range(3, 4503)]


def _old_text_line_records(text, name):
    # the reference: what text_line_records did with str.split (a list of every line)
    from clt.records import record, source_record

    yield source_record(name, "text")
    lineno = 0
    pages = text.split("\f")
    for pi, chunk in enumerate(pages):
        if pi == len(pages) - 1 and not chunk.strip() and pi > 0:
            break
        yield record("page", source=name, page=pi + 1)
        lines = chunk.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for k, line in enumerate(lines, 1):
            lineno += 1
            yield record("line", source=name, page=pi + 1, line=k, lineno=lineno, text=line.rstrip("\r"))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \f\n\r\u3000", max_size=40))
def test_text_line_records_streams_the_same_lines(text):
    from clt.records import text_line_records

    assert list(text_line_records(text, "t")) == list(_old_text_line_records(text, "t"))


# --------------------------------------------------------------------------- found by the campaign of this session

@pytest.mark.parametrize("to", ["md", "akn", "docx", "csv"])
def test_fuzz_article_num_negative(run_cli, tmp_path, to):
    # scripts/fuzz --kind records --seed 1313: an article with "num": -1 and no label
    # ended in int2cn's ValueError (exit 3) when convert rebuilt its label
    p = os.path.join(HOSTILE, "fuzz-article-num-negative.jsonl")
    out = tmp_path / f"out.{to}"
    r = run_cli(["convert", "--to", to, p, "-o", str(out)])
    assert r.exit_code == 1
    assert r.stderr == f"clt: {p}:2: article record: field 'num' must be a positive integer\n"
    assert not out.exists()


@pytest.mark.parametrize("rec, msg", [
    ({"type": "article", "num": 0, "text": "x"}, "article record: field 'num' must be a positive integer"),
    ({"type": "article", "num": 3, "sub": -2, "text": "x"}, "article record: field 'sub' must be a positive integer"),
    ({"type": "heading", "num": -1, "level": "chapter"}, "heading record: field 'num' must be a positive integer"),
    ({"type": "article", "num": True, "text": "x"}, "article record: field 'num' must be a positive integer"),
])
def test_article_and_heading_numbers_are_positive(rec, msg):
    from clt.convert import convert

    assert check_record(rec) == msg
    with pytest.raises(InputError, match=msg):
        list(convert(iter([{"type": "document", "title": "某条例"}, rec]), "md"))
