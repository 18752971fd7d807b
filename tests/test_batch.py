"""clt batch: output tree, manifest, incremental runs, failures, formats (in-process runs)."""

import hashlib
import json
import os
import shutil
import time

import pytest

from clt import __version__
from clt.batch import MANIFEST_NAME, discover, output_paths, run_batch
from clt.batch.lock import LOCK_NAME
from clt.batch.manifest import TEMP_SUFFIX

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures", "batch")
LAW_KEYS = ["road.txt", "sub/trees-gb18030.txt", "sub/water.txt"]


def sha256(path):
    with open(path, "rb") as fp:
        return hashlib.sha256(fp.read()).hexdigest()


def tree(out):
    """{relative path: bytes} of every file under *out* but the lock."""
    files = {}
    for d, _dirs, names in os.walk(out):
        for n in names:
            p = os.path.join(d, n)
            rel = os.path.relpath(p, out)
            if rel != LOCK_NAME:
                with open(p, "rb") as fp:
                    files[rel] = fp.read()
    return files


def mtimes(out):
    return {rel: os.stat(os.path.join(out, rel)).st_mtime_ns for rel in tree(out)}


def manifest(out):
    with open(os.path.join(out, MANIFEST_NAME), encoding="utf-8") as fp:
        return json.load(fp)


def age(tree_root, seconds=3600):
    """Date every file under *tree_root* back: an archive, not files being written now."""
    when = time.time() - seconds
    for d, _dirs, names in os.walk(tree_root):
        for n in names:
            os.utime(os.path.join(d, n), (when, when))


@pytest.fixture
def laws(tmp_path):
    src = tmp_path / "laws"
    shutil.copytree(os.path.join(FIX, "laws"), src)
    age(src)
    return str(src)


def batch(run_cli, *args):
    r = run_cli(["batch", *args])
    summary = json.loads(r.output) if r.output.strip() else None
    return r, summary


# --------------------------------------------------------------------------- a run over a tree

def test_run_over_tree_mirrors_sources_and_records_hashes(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    r, s = batch(run_cli, laws, "-o", out, "--to", "jsonl,md", "-j", "1")
    assert r.exit_code == 0, r.stderr
    assert s["ok"] and s["sources"] == 3 and s["converted"] == 3 and s["failed"] == 0
    assert s["ignored"] == 1  # sub/notes.csv; the hidden directory is not even walked
    files = tree(out)
    assert sorted(files) == sorted([MANIFEST_NAME, "road.jsonl", "road.md", "sub/trees-gb18030.jsonl",
                                    "sub/trees-gb18030.md", "sub/water.jsonl", "sub/water.md"])
    m = manifest(out)
    assert m["manifest"] == 1 and m["clt_version"] == __version__
    assert sorted(m["sources"]) == LAW_KEYS
    for key, entry in m["sources"].items():
        assert entry["status"] == "ok"
        assert entry["sha256"] == sha256(os.path.join(laws, key))
        assert entry["size"] == os.path.getsize(os.path.join(laws, key))
        assert entry["clt_version"] == __version__
        assert entry["options"]["extract"]["engine"] == "pdfminer"
        assert set(entry["outputs"]) == {"jsonl", "md"}
        for out_info in entry["outputs"].values():
            assert sha256(os.path.join(out, out_info["path"])) == out_info["sha256"]
    # the jsonl output is the split stream of the source: it opens a law
    recs = [json.loads(l) for l in files["sub/water.jsonl"].decode("utf-8").splitlines()]
    assert any(r["type"] == "document" for r in recs)
    assert any(r["type"] == "article" for r in recs)
    # GB18030 input went through decoding: the Chinese text is in the output
    assert "古树名木" in files["sub/trees-gb18030.jsonl"].decode("utf-8")
    assert not any(name.endswith(TEMP_SUFFIX) for name in files)


def test_jsonl_output_equals_the_library_pipeline(laws, tmp_path, monkeypatch):
    """Batch is the library stages end to end, nothing else; records name the source by its key."""
    from clt.extract import extract
    from clt.normalize import normalize
    from clt.records import dumps
    from clt.split import split

    out = str(tmp_path / "out")
    run_batch([laws], out, jobs=1)
    monkeypatch.chdir(laws)
    expected = "".join(dumps(r) + "\n" for r in split(normalize(extract(["sub/water.txt"]))))
    assert '"source": "sub/water.txt"' in expected
    with open(os.path.join(out, "sub", "water.jsonl"), encoding="utf-8") as fp:
        assert fp.read() == expected


def test_second_run_skips_everything(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    before, stamps = tree(out), mtimes(out)
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 0
    assert s["skipped"] == 3 and s["converted"] == 0 and s["reasons"] == {}
    assert tree(out) == before
    assert mtimes(out) == {k: v for k, v in stamps.items() if k != MANIFEST_NAME} | {
        MANIFEST_NAME: mtimes(out)[MANIFEST_NAME]}


def test_changed_file_is_redone_alone(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    stamps = mtimes(out)
    with open(os.path.join(laws, "sub", "water.txt"), "a", encoding="utf-8") as fp:
        fp.write("\n第四条　新增的条文。\n")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 0
    assert s["converted"] == 1 and s["skipped"] == 2 and s["reasons"] == {"changed": 1}
    now = mtimes(out)
    assert now["sub/water.jsonl"] != stamps["sub/water.jsonl"]
    assert now["road.jsonl"] == stamps["road.jsonl"]
    assert now["sub/trees-gb18030.jsonl"] == stamps["sub/trees-gb18030.jsonl"]
    assert "新增的条文" in tree(out)["sub/water.jsonl"].decode("utf-8")
    entry = manifest(out)["sources"]["sub/water.txt"]
    assert entry["sha256"] == sha256(os.path.join(laws, "sub", "water.txt"))


def test_new_file_is_added_alone(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    shutil.copy(os.path.join(FIX, "laws", "road.txt"), os.path.join(laws, "sub", "road2.txt"))
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["reasons"] == {"new": 1} and s["skipped"] == 3
    assert os.path.exists(os.path.join(out, "sub", "road2.jsonl"))


def test_force_redoes_everything(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    before = tree(out)
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--force")
    assert s["converted"] == 3 and s["reasons"] == {"forced": 3}
    assert tree(out) == before  # the same sources give the same bytes


def test_changed_option_redoes_what_it_affects(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--ocr", "never")
    assert s["converted"] == 3 and s["reasons"] == {"options": 3}
    assert manifest(out)["sources"]["road.txt"]["options"]["extract"]["ocr"] == "never"
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--ocr", "never")
    assert s["skipped"] == 3


def test_changed_clt_version_redoes_everything(laws, tmp_path):
    out = str(tmp_path / "out")
    run_batch([laws], out, jobs=1)
    path = os.path.join(out, MANIFEST_NAME)
    m = manifest(out)
    m["sources"]["road.txt"]["clt_version"] = "0.0.1"
    with open(path, "w", encoding="utf-8") as fp:
        json.dump(m, fp)
    s = run_batch([laws], out, jobs=1)
    assert s["reasons"] == {"clt version": 1} and s["skipped"] == 2
    assert manifest(out)["sources"]["road.txt"]["clt_version"] == __version__


def test_added_format_is_converted_from_existing_jsonl_and_dropped_format_removed(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    stamps = mtimes(out)
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--to", "jsonl,md")
    assert r.exit_code == 0, r.stderr
    assert s["reasons"] == {"formats added": 3} and s["pages"] == 0  # no extraction
    assert mtimes(out)["road.jsonl"] == stamps["road.jsonl"]
    md = tree(out)["road.md"].decode("utf-8")
    assert "第一条" in md
    entry = manifest(out)["sources"]["road.txt"]
    assert set(entry["outputs"]) == {"jsonl", "md"}
    assert entry["stats"]["articles"] >= 1
    # the md is what convert makes of the jsonl, whichever way it was made
    r, s = batch(run_cli, laws, "-o", str(tmp_path / "fresh"), "-j", "1", "--to", "jsonl,md")
    assert tree(str(tmp_path / "fresh"))["road.md"].decode("utf-8") == md
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--to", "md")
    assert s["trimmed"] == 3 and s["removed_outputs"] == 3 and s["converted"] == 0
    assert not os.path.exists(os.path.join(out, "road.jsonl"))
    assert set(manifest(out)["sources"]["road.txt"]["outputs"]) == {"md"}


def test_deleted_output_is_remade(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    before = tree(out)
    os.unlink(os.path.join(out, "sub", "water.jsonl"))
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["reasons"] == {"outputs missing": 1}
    assert tree(out) == before


# --------------------------------------------------------------------------- failures

def test_corrupt_file_is_recorded_while_the_others_succeed(run_cli, laws, tmp_path):
    shutil.copy(os.path.join(FIX, "broken.pdf"), os.path.join(laws, "sub", "broken.pdf"))
    out = str(tmp_path / "out")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 1
    assert s["ok"] is False and s["converted"] == 3 and s["failed"] == 1
    (failure,) = s["failures"]
    assert failure["source"] == "sub/broken.pdf" and failure["stage"] == "extract" and failure["new"]
    assert "\n" not in failure["message"]
    lines = [l for l in r.stderr.splitlines() if "broken.pdf" in l]
    assert len(lines) == 1 and "failed in extract" in lines[0]
    entry = manifest(out)["sources"]["sub/broken.pdf"]
    assert entry["status"] == "failed" and entry["error"]["stage"] == "extract" and entry["outputs"] == {}
    assert entry["sha256"] == sha256(os.path.join(laws, "sub", "broken.pdf"))
    assert not any(k.startswith("sub/broken") for k in tree(out))
    assert os.path.exists(os.path.join(out, "sub", "water.jsonl"))
    # unchanged, it is not retried -- but still reported, and the status still says so
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 1 and s["failed"] == 0 and s["failed_before"] == 1 and s["converted"] == 0
    assert "broken.pdf" in r.stderr and "--retry-failed" in r.stderr
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--retry-failed")
    assert r.exit_code == 1 and s["failed"] == 1 and s["reasons"] == {"retry": 1}


def test_source_that_starts_failing_loses_its_stale_outputs(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    with open(os.path.join(laws, "road.txt"), "wb") as fp:
        fp.write(bytes(range(256)) * 8)  # no longer text in any encoding
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 1 and s["failures"][0]["source"] == "road.txt"
    assert not os.path.exists(os.path.join(out, "road.jsonl"))
    assert manifest(out)["sources"]["road.txt"]["status"] == "failed"
    # repaired, it is redone and the batch is clean again
    shutil.copy(os.path.join(FIX, "laws", "road.txt"), os.path.join(laws, "road.txt"))
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 0 and s["ok"] and s["reasons"] == {"changed": 1}
    assert os.path.exists(os.path.join(out, "road.jsonl"))


def test_missing_src_is_a_clear_error(run_cli, tmp_path):
    r = run_cli(["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "out")])
    assert r.exit_code == 1
    assert "nope" in r.stderr and "no such file" in r.stderr and "Traceback" not in r.stderr


def test_unknown_format_is_a_usage_error(run_cli, laws, tmp_path):
    r = run_cli(["batch", laws, "-o", str(tmp_path / "out"), "--to", "jsonl,pdf"])
    assert r.exit_code == 2 and "pdf" in r.stderr


# --------------------------------------------------------------------------- reporting

def test_quiet_prints_nothing_when_all_is_well(run_cli, laws, tmp_path):
    r = run_cli(["batch", laws, "-o", str(tmp_path / "out"), "-j", "1", "--quiet"])
    assert r.exit_code == 0 and r.output == "" and r.stderr == ""


def test_quiet_prints_only_the_failure(run_cli, laws, tmp_path):
    shutil.copy(os.path.join(FIX, "broken.pdf"), os.path.join(laws, "broken.pdf"))
    r = run_cli(["batch", laws, "-o", str(tmp_path / "out"), "-j", "1", "-q"])
    assert r.exit_code == 1 and r.output == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "broken.pdf" in r.stderr


def test_summary_file_instead_of_stdout(run_cli, laws, tmp_path):
    path = tmp_path / "summary.json"
    r = run_cli(["batch", laws, "-o", str(tmp_path / "out"), "-j", "1", "--summary", str(path)])
    assert r.exit_code == 0 and r.output == ""
    s = json.loads(path.read_text(encoding="utf-8"))
    assert s["converted"] == 3 and s["files_per_s"] > 0 and s["pages"] >= 3


# --------------------------------------------------------------------------- the tree and naming

def test_discover_skips_hidden_and_unknown_files_and_the_output_inside_src(laws):
    out = os.path.join(laws, "converted")
    os.makedirs(out)
    with open(os.path.join(out, "x.txt"), "w") as fp:
        fp.write("第一条　输出目录中的文件。\n")
    sources, ignored = discover([laws], out)
    assert [s.key for s in sources] == LAW_KEYS
    assert ignored == 1


def test_output_names_keep_the_extension_only_when_stems_collide():
    names = output_paths(["a/law.pdf", "a/law.txt", "a/other.docx", "law.html", "law/x.txt"],
                         ["jsonl", "md", "akn"])
    assert names["a/law.pdf"] == {"jsonl": "a/law.pdf.jsonl", "md": "a/law.pdf.md", "akn": "a/law.pdf/"}
    assert names["a/law.txt"]["jsonl"] == "a/law.txt.jsonl"
    assert names["a/other.docx"] == {"jsonl": "a/other.jsonl", "md": "a/other.md", "akn": "a/other/"}
    assert names["law.html"]["jsonl"] == "law.jsonl"
    # the per-law directory does not mix with the mirrored source directory law/
    assert names["law.html"]["akn"] == "law.html/"
    assert names["law/x.txt"]["jsonl"] == "law/x.jsonl"
    assert output_paths(["a.pdf"], ["jsonl", "md"], per_law=["md"])["a.pdf"] == {"jsonl": "a.jsonl", "md": "a/"}


def test_two_srcs_with_the_same_key_are_refused(laws, tmp_path, run_cli):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(os.path.join(laws, "road.txt"), other / "road.txt")
    r = run_cli(["batch", laws, str(other), "-o", str(tmp_path / "out")])
    assert r.exit_code == 2 and "road.txt" in r.stderr


def test_file_argument_goes_to_the_top_of_out(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    r, s = batch(run_cli, os.path.join(laws, "sub", "water.txt"), "-o", out, "-j", "1")
    assert r.exit_code == 0 and os.path.exists(os.path.join(out, "water.jsonl"))


def test_prune_forgets_vanished_sources(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    os.unlink(os.path.join(laws, "road.txt"))
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["vanished"] == 1 and os.path.exists(os.path.join(out, "road.jsonl"))
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--prune")
    assert s["pruned"] == 1 and not os.path.exists(os.path.join(out, "road.jsonl"))
    assert "road.txt" not in manifest(out)["sources"]


def test_leftover_temporaries_of_a_killed_run_are_removed(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    junk = os.path.join(out, "sub", ".water.jsonl.abc123" + TEMP_SUFFIX)
    with open(junk, "w") as fp:
        fp.write("half a file")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["temporaries_cleaned"] == 1 and not os.path.exists(junk)


def test_unreadable_manifest_means_starting_afresh(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    batch(run_cli, laws, "-o", out, "-j", "1")
    before = tree(out)
    with open(os.path.join(out, MANIFEST_NAME), "w") as fp:
        fp.write("{not json")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 0 and s["converted"] == 3 and "manifest" in r.stderr
    assert tree(out) == before


def test_html_source(run_cli, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(os.path.join(FIX, "park.html"), src / "park.html")
    out = str(tmp_path / "out")
    r, s = batch(run_cli, str(src), "-o", out, "-j", "1", "--to", "jsonl,txt")
    assert r.exit_code == 0, r.stderr
    assert "城市公园" in tree(out)["park.txt"].decode("utf-8")


# --------------------------------------------------------------------------- one file per law

def test_akn_is_written_one_file_per_law(run_cli, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(os.path.join(FIX, "two-laws.txt"), src / "gb-05.txt")
    out = str(tmp_path / "out")
    r, s = batch(run_cli, str(src), "-o", out, "-j", "1", "--to", "jsonl,akn,md")
    assert r.exit_code == 0, r.stderr
    files = tree(out)
    assert sorted(files) == sorted([MANIFEST_NAME, "gb-05.jsonl", "gb-05.md",
                                    "gb-05/某市养犬管理条例.xml", "gb-05/某市餐厨垃圾管理办法.xml"])
    assert "<akomaNtoso" in files["gb-05/某市养犬管理条例.xml"].decode("utf-8")
    assert "餐厨垃圾" not in files["gb-05/某市养犬管理条例.xml"].decode("utf-8")
    akn = manifest(out)["sources"]["gb-05.txt"]["outputs"]["akn"]
    assert akn["path"] == "gb-05/" and [f["path"] for f in akn["files"]] == [
        "gb-05/某市养犬管理条例.xml", "gb-05/某市餐厨垃圾管理办法.xml"]
    for f in akn["files"]:
        assert sha256(os.path.join(out, f["path"])) == f["sha256"]
    # skipped when unchanged; a law file deleted by hand is remade
    r, s = batch(run_cli, str(src), "-o", out, "-j", "1", "--to", "jsonl,akn,md")
    assert s["skipped"] == 1
    os.unlink(os.path.join(out, "gb-05", "某市养犬管理条例.xml"))
    r, s = batch(run_cli, str(src), "-o", out, "-j", "1", "--to", "jsonl,akn,md")
    assert s["reasons"] == {"formats added": 1} and tree(out) == files
    # --per-law moves md into the per-law directory too; the single md goes
    r, s = batch(run_cli, str(src), "-o", out, "-j", "1", "--to", "jsonl,akn,md", "--per-law")
    assert r.exit_code == 0, r.stderr
    assert sorted(tree(out)) == sorted([MANIFEST_NAME, "gb-05.jsonl", "gb-05/某市养犬管理条例.md",
                                        "gb-05/某市养犬管理条例.xml", "gb-05/某市餐厨垃圾管理办法.md",
                                        "gb-05/某市餐厨垃圾管理办法.xml"])
    # dropping the per-law formats removes their files and the emptied directory
    r, s = batch(run_cli, str(src), "-o", out, "-j", "1")
    assert sorted(tree(out)) == [MANIFEST_NAME, "gb-05.jsonl"] and not os.path.exists(os.path.join(out, "gb-05"))


def test_out_equal_to_src_is_refused(run_cli, laws):
    r = run_cli(["batch", laws, "-o", laws])
    assert r.exit_code == 2 and "output directory" in r.stderr


def test_file_name_not_in_the_file_system_encoding(run_cli, laws, tmp_path):
    """A GBK-encoded name on a UTF-8 system (archives unpacked from Windows zips)."""
    name = "交通条例.txt".encode("gbk")
    src = os.fsencode(laws)
    shutil.copy(os.path.join(FIX, "laws", "road.txt"), os.path.join(src, name))
    out = str(tmp_path / "out")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 0, r.stderr
    assert s["converted"] == 4
    key = os.fsdecode(name)
    assert key in manifest(out)["sources"]  # the escape reads back as the same name
    assert os.path.exists(os.path.join(os.fsencode(out), "交通条例".encode("gbk") + b".jsonl"))
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["skipped"] == 4


def test_progress_line_on_a_terminal():
    import io

    from clt.batch.progress import TtyReporter

    stream = io.StringIO()
    rep = TtyReporter(stream=stream, interval=0)
    rep.start(total=2, todo=2, out="out")
    rep.page("a.pdf", 1, 4)  # the bar moves with the pages of a file being read
    rep.page("a.pdf", 2, 4)
    assert " 25%|" in stream.getvalue() and "0/2 files, 2 pages" in stream.getvalue()
    rep.result("a.pdf", {"status": "ok"}, {"stats": {"pages": 4}})
    rep.result("b.pdf", {"status": "failed", "error": {"stage": "extract", "message": "bad"}}, None)
    rep.finish({"sources": 2, "converted": 1, "skipped": 0, "failed": 1, "failed_before": 0, "vanished": 0,
                "pruned": 0, "elapsed": 1.0, "failures": []})
    text = stream.getvalue()
    assert "\r" in text and "1/2 files, 4 pages" in text and "2/2 files" in text and "pages/s" in text
    assert " 50%|" in text and "<" in text  # the time left
    assert "clt: batch: b.pdf: failed in extract: bad\n" in text
    assert text.rstrip("\n").splitlines()[-1].endswith("in 1.0 s")


def test_normalize_options_are_recorded_and_compared(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "-d", "page-number", "--disable", "running-header")
    assert r.exit_code == 0, r.stderr
    assert manifest(out)["sources"]["road.txt"]["options"]["normalize"] == {
        "disable": ["page-number", "running-header"]}
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "-d", "running-header", "-d", "page-number")
    assert s["skipped"] == 3  # the same rules, in another order
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["reasons"] == {"options": 3}
    r = run_cli(["batch", laws, "-o", out, "-d", "no-such-rule"])
    assert r.exit_code == 2 and "no-such-rule" in r.stderr


def test_unchanged_stat_skips_hashing_touched_file_is_hashed_not_redone(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["hashed"] == 3
    st = os.stat(os.path.join(laws, "road.txt"))
    assert manifest(out)["sources"]["road.txt"]["stat"] == {
        "size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns, "ino": st.st_ino}
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["hashed"] == 0 and s["skipped"] == 3
    os.utime(os.path.join(laws, "road.txt"), (st.st_atime, st.st_mtime - 60))  # touched, same bytes
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["hashed"] == 1 and s["skipped"] == 3 and s["converted"] == 0
    assert manifest(out)["sources"]["road.txt"]["stat"]["mtime_ns"] != st.st_mtime_ns
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--rehash")
    assert s["hashed"] == 3 and s["skipped"] == 3


def test_a_file_modified_just_now_is_hashed_again_next_time(run_cli, laws, tmp_path):
    out = str(tmp_path / "out")
    with open(os.path.join(laws, "road.txt"), "a", encoding="utf-8") as fp:
        fp.write("\n")  # its mtime is now: it may change again within the same timestamp tick
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert manifest(out)["sources"]["road.txt"]["stat"] is None
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["hashed"] == 1 and s["skipped"] == 3


def test_source_without_articles_is_converted_but_pointed_out(run_cli, laws, tmp_path):
    with open(os.path.join(laws, "notice.txt"), "w", encoding="utf-8") as fp:
        fp.write("关于春节放假安排的通知\n\n各单位：春节期间放假七天。\n")
    out = str(tmp_path / "out")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 0 and s["without_articles"] == ["notice.txt"]
    assert "notice.txt: no article found" in r.stderr
    assert manifest(out)["sources"]["notice.txt"]["stats"]["articles"] == 0


def _make_pdf(path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    pages = [["某市烟花爆竹燃放管理条例", "第一条　为了加强烟花爆竹燃放管理，制定本条例。"],
             ["第二条　本条例自2022年1月1日起施行。"]]
    for n, lines in enumerate(pages, 1):
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 780 - 24 * i, line)
        c.drawCentredString(297, 40, f"— {n} —")
        c.showPage()
    c.save()


def _make_docx(path):
    import docx

    d = docx.Document()
    for text in ["某市电梯安全管理办法", "第一条　为了加强电梯安全管理，制定本办法。", "第二条　本办法自公布之日起施行。"]:
        d.add_paragraph(text)
    d.save(str(path))


def test_pdf_docx_html_and_text_sources_in_one_tree(run_cli, tmp_path):
    pytest.importorskip("reportlab")
    src = tmp_path / "src"
    (src / "2022").mkdir(parents=True)
    _make_pdf(src / "2022" / "fireworks.pdf")
    _make_docx(src / "2022" / "lifts.docx")
    shutil.copy(os.path.join(FIX, "park.html"), src / "park.html")
    shutil.copy(os.path.join(FIX, "laws", "road.txt"), src / "road.txt")
    out = str(tmp_path / "out")
    r, s = batch(run_cli, str(src), "-o", out, "-j", "1", "--to", "jsonl,txt")
    assert r.exit_code == 0, r.stderr
    assert s["converted"] == 4 and s["pages"] >= 2 + 3
    files = tree(out)
    assert "烟花爆竹" in files["2022/fireworks.txt"].decode("utf-8")
    assert "电梯安全" in files["2022/lifts.txt"].decode("utf-8")
    assert "城市公园" in files["park.txt"].decode("utf-8")
    m = manifest(out)["sources"]
    assert m["2022/fireworks.pdf"]["stats"]["pages"] == 2
    assert all(e["stats"]["articles"] >= 2 for e in m.values())


def test_a_format_that_fails_keeps_the_other_outputs(run_cli, laws, tmp_path):
    """A notice without articles splits fine but has nothing to render as Markdown."""
    with open(os.path.join(laws, "notice.txt"), "w", encoding="utf-8") as fp:
        fp.write("关于春节放假安排的通知\n\n各单位：春节期间放假七天。\n")
    age(laws)
    out = str(tmp_path / "out")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--to", "jsonl,md")
    assert r.exit_code == 1 and s["converted"] == 3 and s["failed"] == 1
    entry = manifest(out)["sources"]["notice.txt"]
    assert entry["status"] == "failed"
    assert entry["error"]["stage"] == "convert" and entry["error"]["formats"] == ["md"]
    assert entry["error"]["message"].startswith("md: ")
    assert set(entry["outputs"]) == {"jsonl"}
    assert sha256(os.path.join(out, "notice.jsonl")) == entry["outputs"]["jsonl"]["sha256"]
    assert not os.path.exists(os.path.join(out, "notice.md"))
    # unchanged: not retried, and the jsonl stays
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--to", "jsonl,md")
    assert s["failed_before"] == 1 and os.path.exists(os.path.join(out, "notice.jsonl"))
    # md no longer asked for: the source is in order
    r, s = batch(run_cli, laws, "-o", out, "-j", "1", "--to", "jsonl")
    assert r.exit_code == 0 and s["ok"] and s["skipped"] == 4 and s["removed_outputs"] == 3
    assert manifest(out)["sources"]["notice.txt"]["status"] == "ok"
    assert "error" not in manifest(out)["sources"]["notice.txt"]


def test_outputs_do_not_depend_on_where_the_archive_is(run_cli, laws, tmp_path):
    moved = str(tmp_path / "elsewhere" / "archive")
    shutil.copytree(laws, moved)
    batch(run_cli, laws, "-o", str(tmp_path / "out1"), "-j", "1", "--to", "jsonl,md")
    batch(run_cli, moved, "-o", str(tmp_path / "out2"), "-j", "1", "--to", "jsonl,md")
    one, two = tree(str(tmp_path / "out1")), tree(str(tmp_path / "out2"))
    del one[MANIFEST_NAME], two[MANIFEST_NAME]
    assert one == two
    assert laws.encode() not in b"".join(one.values())


def test_per_law_format_alone_leaves_no_intermediate_behind(run_cli, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(os.path.join(FIX, "two-laws.txt"), src / "gb-05.txt")
    shutil.copy(os.path.join(FIX, "broken.pdf"), src / "broken.pdf")
    out = str(tmp_path / "out")
    r, s = batch(run_cli, str(src), "-o", out, "-j", "1", "--to", "akn")
    assert r.exit_code == 1 and s["converted"] == 1
    assert sorted(tree(out)) == sorted([MANIFEST_NAME, "gb-05/某市养犬管理条例.xml", "gb-05/某市餐厨垃圾管理办法.xml"])
    assert sorted(os.listdir(out)) == sorted([MANIFEST_NAME, LOCK_NAME, "gb-05"])  # no empty broken/


def test_one_damaged_page_keeps_the_rest_of_the_file(run_cli, laws, tmp_path):
    """Regression: a PDF with one unreadable content stream failed as a whole in batch;
    the page is now a warning record in the output and the other pages are converted."""
    import re

    data = bytearray(open(os.path.join(FIX, "..", "extract", "bulletin.pdf"), "rb").read())
    start = re.search(rb"stream\r?\n", data).end()  # page 1's content stream
    data[start + 20:start + 60] = b"A" * 40
    with open(os.path.join(laws, "damaged.pdf"), "wb") as fp:
        fp.write(bytes(data))
    out = str(tmp_path / "out")
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert s["failed"] == 0, s
    entry = manifest(out)["sources"]["damaged.pdf"]
    assert entry["status"] == "ok"
    with open(os.path.join(out, "damaged.jsonl"), encoding="utf-8") as fp:
        recs = [json.loads(l) for l in fp]
    warn = [x for x in recs if x["type"] == "warning" and x.get("code") == "page-unreadable"]
    assert [w["page"] for w in warn] == [1]
    assert any(x["type"] == "article" for x in recs)


# --------------------------------------------------------------------------- cron: --quiet, --strict

def _summary_of(path):
    with open(path, encoding="utf-8") as fp:
        return json.load(fp)


def test_quiet_does_not_report_an_unchanged_failure_again(run_cli, laws, tmp_path):
    # a nightly job: the broken file is reported once; the nights after, exit 0 and silence,
    # while the manifest and the summary still list it
    broken = os.path.join(laws, "broken.pdf")
    shutil.copy(os.path.join(FIX, "broken.pdf"), broken)
    out, summ = str(tmp_path / "out"), str(tmp_path / "summary.json")
    r = run_cli(["batch", laws, "-o", out, "-j", "1", "-q", "--summary", summ])
    assert r.exit_code == 1 and r.output == ""
    assert len(r.stderr.splitlines()) == 1 and "broken.pdf: failed in extract" in r.stderr
    (f,) = _summary_of(summ)["failures"]
    assert f["new"] and not f["known"]
    r = run_cli(["batch", laws, "-o", out, "-j", "1", "-q", "--summary", summ])
    assert r.exit_code == 0 and r.output == "" and r.stderr == ""
    s = _summary_of(summ)
    assert s["ok"] is False and s["failed_before"] == 1 and s["new_failures"] == 0
    (f,) = s["failures"]
    assert f["source"] == "broken.pdf" and f["known"] and not f["new"]
    assert manifest(out)["sources"]["broken.pdf"]["status"] == "failed"
    # retried on the same content, it fails the same way: still known
    r = run_cli(["batch", laws, "-o", out, "-j", "1", "-q", "--retry-failed", "--summary", summ])
    assert r.exit_code == 0 and r.stderr == ""
    (f,) = _summary_of(summ)["failures"]
    assert f["new"] and f["known"]
    # --strict (or no --quiet) keeps the old behaviour: every failure fails the run
    r = run_cli(["batch", laws, "-o", out, "-j", "1", "-q", "--strict", "--summary", summ])
    assert r.exit_code == 1 and "broken.pdf" in r.stderr and "--retry-failed" in r.stderr
    r, s = batch(run_cli, laws, "-o", out, "-j", "1")
    assert r.exit_code == 1 and "broken.pdf" in r.stderr


def test_quiet_still_fails_on_a_new_or_changed_failure(run_cli, laws, tmp_path):
    broken = os.path.join(laws, "broken.pdf")
    shutil.copy(os.path.join(FIX, "broken.pdf"), broken)
    out = str(tmp_path / "out")
    assert run_cli(["batch", laws, "-o", out, "-j", "1", "-q"]).exit_code == 1
    # the file changed (another broken copy): a new failure, reported, exit 1
    with open(broken, "ab") as fp:
        fp.write(b"more garbage\n")
    age(laws)
    r = run_cli(["batch", laws, "-o", out, "-j", "1", "-q"])
    assert r.exit_code == 1 and "broken.pdf: failed in extract" in r.stderr
    assert run_cli(["batch", laws, "-o", out, "-j", "1", "-q"]).exit_code == 0
    # a second broken file: only it is reported
    shutil.copy(os.path.join(FIX, "broken.pdf"), os.path.join(laws, "sub", "also-broken.pdf"))
    age(laws)
    r = run_cli(["batch", laws, "-o", out, "-j", "1", "-q"])
    assert r.exit_code == 1
    assert len(r.stderr.splitlines()) == 1 and "also-broken.pdf" in r.stderr


def test_same_failure_compares_content_and_error():
    from clt.batch.runner import _same_failure

    before = {"sha256": "a", "error": {"stage": "extract", "message": "bad", "kind": "input"}}
    assert _same_failure(before, {"sha256": "a", "error": {"stage": "extract", "message": "bad"}})
    assert not _same_failure(before, {"sha256": "b", "error": {"stage": "extract", "message": "bad"}})
    assert not _same_failure(before, {"sha256": "a", "error": {"stage": "split", "message": "bad"}})
    assert not _same_failure(before, {"sha256": "a", "error": {"stage": "extract", "message": "worse"}})
    assert not _same_failure(None, {"sha256": "a", "error": {"stage": "extract", "message": "bad"}})
