"""The fuzz harness (scripts/fuzz.py), a short run of it, and hypothesis
properties: any records into any stage's library function give records or a
clt error, never another exception.  The long run: ``scripts/fuzz --seconds 3600``."""

import importlib.util
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clt.errors import CltError

from conftest import FIXTURES, ROOT

spec = importlib.util.spec_from_file_location("clt_fuzz", os.path.join(ROOT, "scripts", "fuzz.py"))
fuzz = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fuzz)

FUZZ = os.path.join(FIXTURES, "fuzz")

TYPES = ["line", "para", "page", "source", "document", "heading", "article", "block", "paragraph", "item",
         "removed", "change", "warning", "document_end", "x-other"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
records = st.lists(
    st.builds(lambda t, extra: {"type": t, **extra},
              st.sampled_from(TYPES),
              st.dictionaries(st.sampled_from(fuzz.FIELDS + ["text"] * 3), json_values, max_size=5)),
    max_size=6)


def _consume(f):
    try:
        for _ in f():
            pass
    except CltError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_any_records_into_normalize_and_split_give_records_or_a_clt_error(recs):
    from clt.normalize import normalize
    from clt.split import split

    _consume(lambda: normalize(iter(recs)))
    _consume(lambda: split(iter(recs), level="item"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records, st.sampled_from(["md", "text", "html", "csv", "json", "akn", "docx"]))
def test_any_records_into_convert_give_output_or_a_clt_error(recs, to):
    from clt.convert import convert

    _consume(lambda: convert(iter(recs), to))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records, records)
def test_any_records_into_diff_give_changes_or_a_clt_error(old, new):
    from clt.diff import diff

    _consume(lambda: diff(iter(old), iter(new), force=True))


def test_fuzz_library_non_clt_exceptions():
    # the library entry points raised TypeError/KeyError for records the CLI reader refuses
    from clt.convert import convert
    from clt.diff import diff
    from clt.split import split

    with pytest.raises(CltError, match="para record: field 'text' must be a string"):
        list(split(iter([{"type": "para", "text": 5}])))
    with pytest.raises(CltError, match="field 'type' must be a string"):
        list(convert(iter([{"type": {}}]), "akn"))
    with pytest.raises(CltError, match="field 'type' must be a string"):
        list(diff(iter([{"type": []}]), iter([])))


@pytest.mark.parametrize("to", ["akn", "docx"])
def test_fuzz_akn_docx_control_chars(run_cli, tmp_path, to):
    out = tmp_path / f"out.{to}"
    r = run_cli(["convert", "--to", to, os.path.join(FUZZ, "akn-docx-control-chars.txt"), "-o", str(out)])
    assert r.exit_code == 1
    assert r.stderr.startswith(f"clt: --to {to}: the text holds a control character") and r.stderr.count("\n") == 1
    assert not out.exists()


def test_short_record_fuzz_campaign_finds_nothing():
    import random

    n, fails = fuzz.fuzz_records(random.Random(13), deadline=float("inf"), count=60, out=None)
    assert n == 60 and fails == 0


def test_short_pdf_fuzz_campaign_finds_nothing(tmp_path):
    import random
    import shutil
    import sys

    clt = os.path.join(os.path.dirname(sys.executable), "clt")
    if not os.path.exists(clt):
        clt = shutil.which("clt")
    if not clt:
        pytest.skip("no clt console script next to the test interpreter")
    n, fails = fuzz.fuzz_pdfs(random.Random(13), deadline=float("inf"), count=4, timeout=30,
                              out=str(tmp_path), engines=["pdfminer", "pdfium"], clt=clt)
    assert n == 4 and fails == 0, sorted(os.listdir(tmp_path))


# any JSON value where a record should be, any JSON value in any field (the type too)
wild_records = st.lists(
    st.one_of(
        json_values,
        st.dictionaries(st.sampled_from(fuzz.FIELDS + ["type"] * 4 + ["text"] * 3), json_values, max_size=6),
        st.builds(lambda t, extra: {"type": t, **extra}, st.sampled_from(TYPES),
                  st.dictionaries(st.sampled_from(fuzz.FIELDS), json_values, max_size=6))),
    max_size=6)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wild_records, wild_records, st.sampled_from(["md", "akn", "docx", "csv", "json", "html", "text"]))
def test_fuzz_library_non_clt_exceptions_any_input(recs, other, to):
    # clt.split.split, clt.convert.convert, clt.diff.diff (and normalize) give records or
    # raise a clt.errors exception, whatever they are given: never a builtin exception
    from clt.convert import convert
    from clt.diff import diff
    from clt.normalize import normalize
    from clt.split import split

    _consume(lambda: split(iter(recs)))
    _consume(lambda: split(iter(recs), level="item"))
    _consume(lambda: normalize(iter(recs)))
    _consume(lambda: convert(iter(recs), to))
    _consume(lambda: diff(iter(recs), iter(other)))
    _consume(lambda: diff(iter(other), iter(recs), force=True))
