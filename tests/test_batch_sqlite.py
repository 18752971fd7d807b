"""clt batch --to sqlite: one database filled from an archive, each law in its own transaction.

The fixture archive (tests/fixtures/batch/laws: road.txt, sub/water.txt,
sub/trees-gb18030.txt; two-laws.txt holds two laws) was read by hand: five
laws, 3 + 3 + 2 + 2 + 2 articles.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from clt.convert import sqlite as db
from conftest import FIXTURES, ROOT

FIX = os.path.join(FIXTURES, "batch")

pytestmark = pytest.mark.skipif(not db.fts_available(), reason="this Python's SQLite has no FTS5 trigram tokenizer")


def q(path, sql, *args):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def consistent(path):
    assert q(path, "PRAGMA integrity_check") == [("ok",)]
    assert q(path, "PRAGMA foreign_key_check") == []
    for doc_id, n in q(path, "SELECT id, articles FROM documents"):
        assert q(path, "SELECT count(*) FROM articles WHERE document_id = ?", doc_id) == [(n,)]
    assert q(path, "SELECT count(*) FROM articles") == q(path, "SELECT count(*) FROM articles_fts")


@pytest.fixture
def archive(tmp_path):
    src = tmp_path / "archive"
    shutil.copytree(os.path.join(FIX, "laws"), src)
    shutil.copy(os.path.join(FIX, "two-laws.txt"), src / "two-laws.txt")
    return src


def batch(run_cli, *args):
    r = run_cli(["batch", *map(str, args), "-j", "1", "-q", "--summary", "-"])
    return r, (json.loads(r.output) if r.output.strip() else None)


def test_batch_fills_one_database_and_reruns_are_incremental(run_cli, archive, tmp_path):
    out = tmp_path / "out"
    r, s = batch(run_cli, archive, "-o", out, "--to", "sqlite")
    assert r.exit_code == 0, r.stderr
    path = str(out / "laws.db")
    assert s["database"]["sources_loaded"] == 4 and s["database"]["laws"] == 5
    assert (out / "road.jsonl").exists()          # the jsonl outputs it is filled from
    rows = q(path, "SELECT origin, title, articles FROM documents ORDER BY origin, id")
    assert rows == [("road.txt", "某市道路交通安全条例", 3), ("sub/trees-gb18030.txt", "某市古树名木保护条例", 2),
                    ("sub/water.txt", "某省节约用水办法", 3), ("two-laws.txt", "某市养犬管理条例", 2),
                    ("two-laws.txt", "某市餐厨垃圾管理办法", 2)]
    consistent(path)
    # unchanged: nothing loaded again
    r, s = batch(run_cli, archive, "-o", out, "--to", "jsonl,sqlite")
    assert s["database"] == dict(s["database"], sources_loaded=0, sources_unchanged=4, laws=0)
    # a source edited: its law replaced, in place
    road = archive / "road.txt"
    text = road.read_text(encoding="utf-8")
    assert "交通事故" in text
    doc_id = q(path, "SELECT id FROM documents WHERE origin = 'road.txt'")[0][0]
    road.write_text(text.replace("交通事故", "交通违法行为"), encoding="utf-8")
    r, s = batch(run_cli, archive, "-o", out, "--to", "sqlite")
    assert s["database"]["sources_loaded"] == 1
    assert q(path, "SELECT id FROM documents WHERE origin = 'road.txt'") == [(doc_id,)]
    assert list(db.search(path, "交通事故", law="道路交通")) == []
    assert list(db.search(path, "交通违法行为", law="道路交通"))
    # a law gone from a source (another in its place) leaves the database with it
    two = archive / "two-laws.txt"
    t = two.read_text(encoding="utf-8")
    two.write_text(t.replace("某市餐厨垃圾管理办法", "某市生活垃圾管理办法"), encoding="utf-8")
    r, s = batch(run_cli, archive, "-o", out, "--to", "sqlite")
    assert s["database"]["removed"] == 1
    assert q(path, "SELECT title FROM documents WHERE origin = 'two-laws.txt' ORDER BY id") == [
        ("某市养犬管理条例",), ("某市生活垃圾管理办法",)]
    # a source pruned: its laws go too
    os.unlink(archive / "sub" / "water.txt")
    r, s = batch(run_cli, archive, "-o", out, "--to", "sqlite", "--prune")
    assert q(path, "SELECT count(*) FROM documents WHERE origin = 'sub/water.txt'") == [(0,)]
    assert q(path, "SELECT count(*) FROM clt_origins WHERE origin = 'sub/water.txt'") == [(0,)]
    consistent(path)


def test_batch_db_option_and_errors(run_cli, archive, tmp_path):
    path = tmp_path / "library.db"
    r, s = batch(run_cli, archive, "-o", tmp_path / "out", "--to", "md,sqlite", "--db", path)
    assert r.exit_code == 0, r.stderr
    assert s["formats"] == ["jsonl", "md"]      # jsonl added: the database is filled from it
    assert q(str(path), "SELECT count(*) FROM documents") == [(5,)]
    r, _ = batch(run_cli, archive, "-o", tmp_path / "out2", "--db", path)
    assert r.exit_code == 2 and "--db" in r.stderr
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    r, _ = batch(run_cli, archive, "-o", tmp_path / "out3", "--to", "sqlite", "--db", other)
    assert r.exit_code == 1 and "not a clt database" in r.stderr and r.stderr.count("\n") == 1
    assert not (tmp_path / "out3" / "road.jsonl").exists()   # refused before any work


KILLER = textwrap.dedent("""
    import sys, time
    from clt.convert import sqlite as db
    real = db._write_refs
    calls = [0]
    def slow(con, art_id, doc_id, refs):
        real(con, art_id, doc_id, refs)
        calls[0] += 1
        if calls[0] == int(sys.argv[1]):
            print("inside", flush=True)
            time.sleep(60)
    db._write_refs = slow
    from clt.cli import main
    main(sys.argv[2:])
""")


@pytest.mark.parametrize("stop", [2, 9])
def test_kill_9_inside_a_law_transaction_then_rerun(archive, tmp_path, stop):
    """The batch process killed while a law's rows are half-inserted: the
    database keeps only whole laws, and the next run completes it."""
    out = tmp_path / "out"
    script = tmp_path / "killer.py"
    script.write_text(KILLER)
    p = subprocess.Popen([sys.executable, str(script), str(stop), "batch", str(archive), "-o", str(out), "-j", "1",
                          "-q", "--to", "sqlite"], stdout=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=ROOT))
    try:
        assert p.stdout.readline().strip() == b"inside"
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    path = str(out / "laws.db")
    assert os.path.exists(path + "-journal")
    consistent(path)
    before = q(path, "SELECT count(*) FROM documents")[0][0]
    assert before < 5
    r = subprocess.run([sys.executable, "-m", "clt", "batch", str(archive), "-o", str(out), "-j", "1", "-q",
                        "--to", "sqlite", "--wait"], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    consistent(path)
    assert q(path, "SELECT origin, count(*), sum(articles) FROM documents GROUP BY origin ORDER BY origin") == [
        ("road.txt", 1, 3), ("sub/trees-gb18030.txt", 1, 2), ("sub/water.txt", 1, 3), ("two-laws.txt", 2, 4)]
    assert len(q(path, "SELECT * FROM clt_origins")) == 4


def test_a_law_in_two_sources_is_stored_once_and_stays_while_one_holds_it(run_cli, archive, tmp_path):
    """road.txt copied as road-copy.txt: the same law (title, 题注, text) in two sources."""
    shutil.copy(archive / "road.txt", archive / "road-copy.txt")
    out = tmp_path / "out"
    r, s = batch(run_cli, archive, "-o", out, "--to", "sqlite")
    assert r.exit_code == 0, r.stderr
    path = str(out / "laws.db")
    assert q(path, "SELECT count(*) FROM documents WHERE title = '某市道路交通安全条例'") == [(1,)]
    assert q(path, "SELECT count(*) FROM documents") == [(5,)]
    assert q(path, """SELECT o.origin FROM document_origins o JOIN documents d ON d.id = o.document_id
                      WHERE d.title = '某市道路交通安全条例' ORDER BY o.origin""") == [("road-copy.txt",), ("road.txt",)]
    assert len(list(db.search(path, "交通事故", law="道路交通"))) == len(list(db.search(path, "交通事故"))) > 0
    # a rerun changes nothing
    r, s = batch(run_cli, archive, "-o", out, "--to", "sqlite")
    assert s["database"]["sources_loaded"] == 0 and q(path, "SELECT count(*) FROM documents") == [(5,)]
    # one source pruned: the law stays, held by the other
    os.unlink(archive / "road.txt")
    r, s = batch(run_cli, archive, "-o", out, "--to", "sqlite", "--prune")
    assert r.exit_code == 0, r.stderr
    assert s["database"]["removed"] == 0
    assert q(path, "SELECT origin FROM documents WHERE title = '某市道路交通安全条例'") == [("road-copy.txt",)]
    assert q(path, "SELECT origin FROM document_origins WHERE origin LIKE 'road%'") == [("road-copy.txt",)]
    consistent(path)
    # the other edited to hold another law: the first leaves
    copy = archive / "road-copy.txt"
    copy.write_text(copy.read_text(encoding="utf-8").replace("某市道路交通安全条例", "某市道路运输条例"),
                    encoding="utf-8")
    r, s = batch(run_cli, archive, "-o", out, "--to", "sqlite")
    assert s["database"]["removed"] == 1
    assert q(path, "SELECT title FROM documents WHERE title LIKE '某市道路%'") == [("某市道路运输条例",)]
    # and pruned: gone, no origin row left behind
    os.unlink(copy)
    r, s = batch(run_cli, archive, "-o", out, "--to", "sqlite", "--prune")
    assert q(path, "SELECT count(*) FROM documents WHERE title LIKE '某市道路%'") == [(0,)]
    assert q(path, "SELECT count(*) FROM document_origins WHERE origin LIKE 'road%'") == [(0,)]
    assert q(path, "SELECT count(*) FROM document_origins") == q(path, "SELECT count(*) FROM documents")
    consistent(path)


def test_a_database_of_an_earlier_clt_gets_the_new_tables(tmp_path):
    """Without articles_chars and document_origins (as clt made it before): opened to write,
    it gets both, filled from what it holds; two-character search finds the same."""
    path = str(tmp_path / "old.db")
    db.load(path, [{"type": "document", "title": "某市示例条例"},
                   {"type": "article", "label": "第一条", "num": 1, "text": "违反本条例规定的，处以罚款。"},
                   {"type": "document_end", "title": "某市示例条例"}], origin="a.txt")
    con = sqlite3.connect(path)
    con.execute("DROP TABLE articles_chars")
    con.execute("DROP TABLE document_origins")
    con.commit()
    con.close()
    assert [h["label"] for h in db.search(path, "罚款")] == ["第一条"]   # LIKE alone
    db.connect(path, create=True).close()
    assert q(path, "SELECT document_id, origin FROM document_origins") == [(1, "a.txt")]
    assert q(path, "SELECT rowid FROM articles_chars WHERE articles_chars MATCH ?", '"罚 款"') == [(1,)]
    assert [h["label"] for h in db.search(path, "罚款")] == ["第一条"]
