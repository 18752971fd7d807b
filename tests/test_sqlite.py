"""clt convert --to sqlite, clt search: the SQLite library of laws.

Expected rows come from reading the fixture laws (tests/fixtures/refs/law.txt:
9 articles in 3 章, 第三条 with three 项 and three 款; the criminal-law
fixture: 4 articles), not from the code's output.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from clt.convert import sqlite as db
from clt.errors import InputError
from clt.numerals import int2cn
from clt.records import read_records
from conftest import FIXTURES, ROOT

LAW_TXT = os.path.join(FIXTURES, "refs", "law.txt")
INTERP_TXT = os.path.join(FIXTURES, "refs", "interpretation.txt")
CRIMINAL = os.path.join(FIXTURES, "convert", "criminal-law.jsonl")
LAW = "中华人民共和国示例管理法"

pytestmark = pytest.mark.skipif(not db.fts_available(), reason="this Python's SQLite has no FTS5 trigram tokenizer")


def law_text(title=LAW, caption="（2020年1月1日第十三届全国人民代表大会常务委员会第十五次会议通过）", change=None):
    with open(LAW_TXT, encoding="utf-8") as fp:
        text = fp.read()
    text = text.replace(LAW, title, 1)
    text = text.replace("（2020年1月1日第十三届全国人民代表大会常务委员会第十五次会议通过）", caption, 1)
    if change:
        text = text.replace(*change)
    return text


def load_text(path, text, **kw):
    return db.load(path, read_records_from_text(text), **kw)


def read_records_from_text(text):
    from clt.records import read_records as rr
    import io

    return rr(io.BytesIO(text.encode("utf-8")))


def q(path, sql, *args):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def consistent(path):
    """integrity_check ok, no dangling key, the counts of every law agree, the FTS index matches."""
    assert q(path, "PRAGMA integrity_check") == [("ok",)]
    assert q(path, "PRAGMA foreign_key_check") == []
    for doc_id, n in q(path, "SELECT id, articles FROM documents"):
        assert q(path, "SELECT count(*) FROM articles WHERE document_id = ?", doc_id) == [(n,)]
    assert q(path, "SELECT count(*) FROM articles") == q(path, "SELECT count(*) FROM articles_fts")
    assert q(path, "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)") == []
    assert q(path, "SELECT count(*) FROM paragraphs p LEFT JOIN articles a ON a.id = p.article_id"
                   " WHERE a.id IS NULL") == [(0,)]


@pytest.fixture
def laws_db(tmp_path):
    path = str(tmp_path / "laws.db")
    db.load(path, read_records(LAW_TXT))
    db.load(path, read_records(CRIMINAL))
    return path


# --------------------------------------------------------------------------- schema

def test_schema_tables_keys_indexes(laws_db):
    tables = {r[0] for r in q(laws_db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "headings", "articles", "paragraphs", "items", "blocks", "refs", "articles_fts",
            "clt_meta"} <= tables
    cols = [r[1] for r in q(laws_db, "PRAGMA table_info(articles)")]
    for c in ("id", "document_id", "path", "label", "num", "sub", "text", "citation", "anchor"):
        assert c in cols
    pk = [r[1] for r in q(laws_db, "PRAGMA table_info(articles)") if r[5]]
    assert pk == ["id"]
    fks = {(r[2], r[3]) for r in q(laws_db, "PRAGMA foreign_key_list(articles)")}
    assert ("documents", "document_id") in fks and ("headings", "heading_id") in fks
    assert {(r[2], r[3]) for r in q(laws_db, "PRAGMA foreign_key_list(items)")} == {
        ("paragraphs", "paragraph_id"), ("items", "parent_id")}
    assert ("articles", "target_article_id") in {(r[2], r[3]) for r in q(laws_db, "PRAGMA foreign_key_list(refs)")}
    indexes = {r[0] for r in q(laws_db, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"articles_num", "refs_target_article", "documents_title"} <= indexes
    sql = q(laws_db, "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'")[0][0]
    assert "trigram" in sql and "content='articles'" in sql
    assert dict(q(laws_db, "SELECT key, value FROM clt_meta"))["application"] == "clt"
    consistent(laws_db)


def test_rows_of_the_fixture_law(laws_db):
    docs = q(laws_db, "SELECT title, adopted, effective, articles, caption FROM documents ORDER BY id")
    assert docs[0][:4] == (LAW, "2020-01-01", "2021-01-01", 9)
    assert docs[1][0] == "中华人民共和国刑法" and docs[1][3] == 4
    heads = q(laws_db, "SELECT h.label, h.title, h.depth, p.label FROM headings h LEFT JOIN headings p"
                       " ON p.id = h.parent_id JOIN documents d ON d.id = h.document_id"
                       " WHERE d.title = ? ORDER BY h.seq", LAW)
    assert heads == [("第一章", "总则", 1, None), ("第二章", "登记", 1, None), ("第一节", "一般规定", 2, "第二章"),
                     ("第二节", "特别规定", 2, "第二章"), ("第三章", "附则", 1, None)]
    art = q(laws_db, "SELECT a.id, a.label, a.num, a.sub, a.citation, a.anchor, h.label, a.path FROM articles a"
                     " JOIN headings h ON h.id = a.heading_id WHERE a.citation = ?", f"《{LAW}》第六条")
    assert art[0][1:7] == ("第六条", 6, None, f"《{LAW}》第六条", "art-6", "第二节")
    assert json.loads(art[0][7]) == ["第二章 登记", "第二节 特别规定"]
    # 第三条: 款 1 holds three 项, then two more 款
    paras = q(laws_db, "SELECT p.num, p.text, count(i.id) FROM paragraphs p JOIN articles a ON a.id = p.article_id"
                       " LEFT JOIN items i ON i.paragraph_id = p.id WHERE a.citation = ? GROUP BY p.id ORDER BY p.num",
              f"《{LAW}》第三条")
    assert paras == [(1, "有下列情形之一的，不予登记：", 3), (2, "有前款第（一）项、第（二）项情形的，申请人可以补正。", 0),
                     (3, "依照前两款规定不予登记的，应当书面说明理由；有第（三）项情形的，依照有关法律、行政法规的规定处理。", 0)]
    items = q(laws_db, "SELECT i.seq, i.num, i.label, i.text FROM items i JOIN paragraphs p ON p.id = i.paragraph_id"
                       " JOIN articles a ON a.id = p.article_id WHERE a.citation = ? ORDER BY i.seq", f"《{LAW}》第三条")
    assert items == [(1, 1, "（一）", "申请材料不齐全的；"), (2, 2, "（二）", "申请人隐瞒有关情况的；"),
                     (3, 3, "（三）", "法律、行政法规规定的其他情形。")]
    # the 款 and 项 give back the article's text
    text = q(laws_db, "SELECT text FROM articles WHERE citation = ?", f"《{LAW}》第三条")[0][0]
    assert text.split("\n")[1] == "（一）申请材料不齐全的；"


def test_references_stored_and_resolved(laws_db):
    rows = q(laws_db, """
        SELECT r.text, r.kind, r.external, r.target_law, r.target_label, r.target_para, r.target_item,
               t.citation, r.unresolved, r.warning
        FROM refs r JOIN articles a ON a.id = r.article_id
        LEFT JOIN articles t ON t.id = r.target_article_id
        WHERE a.citation = ? ORDER BY r.seq""", f"《{LAW}》第四条")
    assert rows == [("本法第三条第一款第（二）项", "item", 0, LAW, "第三条", 1, 2, f"《{LAW}》第三条", None, None),
                    ("本条第二款", "para", 0, LAW, "第四条", 2, None, f"《{LAW}》第四条", None, None)]
    # a range: 第四条至第五条
    rng = q(laws_db, "SELECT t.label, e.label FROM refs r JOIN articles t ON t.id = r.target_article_id"
                     " JOIN articles e ON e.id = r.to_article_id WHERE r.text = '本法第四条至第五条'")
    assert rng == [("第四条", "第五条")]
    # 刑法 (loaded after the law that cites it) resolves to the criminal-law fixture;
    # 第二百八十六条之一 is not in that excerpt, 第二百八十七条 is not either — only the law is known
    crim = q(laws_db, "SELECT r.text, d.title, r.target_article_id FROM refs r JOIN documents d"
                      " ON d.id = r.target_document_id WHERE r.external = 1 ORDER BY r.id")
    assert [(t, d) for t, d, _ in crim] == [("刑法第二百八十六条之一", "中华人民共和国刑法"),
                                            ("该法第二百八十七条", "中华人民共和国刑法")]
    have = {r[0] for r in q(laws_db, "SELECT label FROM articles a JOIN documents d ON d.id = a.document_id"
                                     " WHERE d.title = '中华人民共和国刑法'")}
    for text, _, aid in crim:
        label = text.replace("刑法", "").replace("该法", "")
        assert (aid is not None) == (label in have)
    # the target the law does not hold: a warning, no article id
    miss = q(laws_db, "SELECT text, warning, target_article_id FROM refs WHERE text = '第九十条'")
    assert miss == [("第九十条", "the law has no 第九十条", None)]
    # 行政处罚法 is not in the database: the law is named, no id
    assert q(laws_db, "SELECT target_law, target_document_id FROM refs WHERE text LIKE '《中华人民共和国行政处罚法》%'") == [
        ("中华人民共和国行政处罚法", None)]


# --------------------------------------------------------------------------- full-text search

def test_fts_plain_sql_chinese_substrings(laws_db):
    """What a Datasette or sqlite-utils user types: MATCH on the FTS table, joined to articles."""
    hits = q(laws_db, """SELECT a.citation FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                         WHERE articles_fts MATCH ? ORDER BY a.id""", '"申请人"')
    assert hits == [(f"《{LAW}》第三条",)]
    hits = q(laws_db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", '"行政处罚法》第五十"')
    assert len(hits) == 1
    # trigram needs three characters: a two-character phrase finds nothing through MATCH
    assert q(laws_db, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", '"登记"') == [(0,)]
    assert q(laws_db, "SELECT count(*) FROM articles WHERE text LIKE '%登记%'")[0][0] >= 3
    # the same set as LIKE for every 3-6 character substring of a few articles
    texts = [r[0] for r in q(laws_db, "SELECT text FROM articles")]
    for t in texts[:6]:
        for n in (3, 4, 6):
            phrase = t.replace("\n", "")[5:5 + n]
            if len(phrase) < n:
                continue
            fts = {r[0] for r in q(laws_db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                   '"' + phrase.replace('"', '""') + '"')}
            like = {r[0] for r in q(laws_db, "SELECT id FROM articles WHERE instr(text, ?) > 0", phrase)}
            assert fts == like, phrase


def test_short_words_through_the_character_index_find_what_like_finds(laws_db):
    """articles_chars: every character a token, so 登记 is the phrase "登 记"; each hit is then
    checked with LIKE, since the tokenizer drops punctuation (罚，款 would match "罚 款")."""
    assert q(laws_db, "SELECT count(*) FROM articles_chars WHERE articles_chars MATCH ?", '"登 记"') == \
        q(laws_db, "SELECT count(*) FROM articles WHERE text LIKE '%登记%'")
    texts = [r[0] for r in q(laws_db, "SELECT text FROM articles")]
    words = {t[i:i + n] for t in texts[:8] for i in range(0, len(t) - 2, 7) for n in (1, 2)}
    words |= {"，", "款，", "）项", "第（", "1", "法》"}
    for w in sorted(words):
        if any(c.isspace() for c in w):
            continue
        like = {r[0] for r in q(laws_db, "SELECT id FROM articles WHERE instr(text, ?) > 0", w)}
        assert {h["article_id"] for h in db.search(laws_db, w)} == like, w


def test_search_across_punctuation_is_no_match(tmp_path):
    path = str(tmp_path / "p.db")
    db.load(path, [{"type": "document", "title": "某市示例条例"},
                   {"type": "article", "label": "第一条", "num": 1, "text": "处以罚，款项另计。"},
                   {"type": "article", "label": "第二条", "num": 2, "text": "处以罚款。"},
                   {"type": "document_end", "title": "某市示例条例"}])
    assert q(path, "SELECT rowid FROM articles_chars WHERE articles_chars MATCH ? ORDER BY rowid", '"罚 款"') == [
        (1,), (2,)]
    assert [h["label"] for h in db.search(path, "罚款")] == ["第二条"]
    assert [h["label"] for h in db.search(path, "罚，")] == ["第一条"]
    assert [h["label"] for h in db.search(path, "，")] == ["第一条"]   # punctuation only: LIKE


def test_search_library_long_and_short_queries(laws_db):
    hits = list(db.search(laws_db, "申请人"))
    assert [h["citation"] for h in hits] == [f"《{LAW}》第三条"]
    h = hits[0]
    assert [h["text"][s:e] for s, e in h["matches"]] == ["申请人", "申请人"]
    assert "申请人" in h["snippet"]["text"]
    # two characters: the character index, checked with LIKE
    short = [h["citation"] for h in db.search(laws_db, "登记")]
    assert short[:3] == [f"《{LAW}》第二条", f"《{LAW}》第三条", f"《{LAW}》第四条"]
    # one character
    assert {h["law"] for h in db.search(laws_db, "罪")} == {"中华人民共和国刑法"}
    # several words: all must be in the article
    assert [h["label"] for h in db.search(laws_db, "登记 书面说明")] == ["第三条"]
    # LIKE wildcards are literal
    assert list(db.search(laws_db, "%")) == [] and list(db.search(laws_db, "_")) == []
    # --law and --limit
    assert {h["law"] for h in db.search(laws_db, "本法", law="刑法")} == {"中华人民共和国刑法"}
    assert len(list(db.search(laws_db, "的", limit=2))) == 2


# --------------------------------------------------------------------------- re-running

def test_rerun_same_law_unchanged_then_replaced(tmp_path):
    path = str(tmp_path / "laws.db")
    s1 = load_text(path, law_text())
    assert (s1["added"], s1["articles"]) == (1, 9)
    counts = db.stats(path)
    s2 = load_text(path, law_text())
    assert (s2["added"], s2["replaced"], s2["unchanged"]) == (0, 0, 1)
    assert db.stats(path) == counts
    doc_id = q(path, "SELECT id FROM documents")[0][0]
    s3 = load_text(path, law_text(change=("申请材料不齐全的", "申请材料不完整的")))
    assert (s3["replaced"], s3["added"]) == (1, 0)
    assert db.stats(path) == counts
    assert q(path, "SELECT id FROM documents") == [(doc_id,)]   # the same id: links stay valid
    assert [h["label"] for h in db.search(path, "申请材料不完整")] == ["第三条"]
    assert list(db.search(path, "申请材料不齐全")) == []
    consistent(path)


def test_another_version_of_a_law_is_another_document(tmp_path):
    path = str(tmp_path / "laws.db")
    load_text(path, law_text())
    load_text(path, law_text(caption="（2020年1月1日第十三届全国人民代表大会常务委员会第十五次会议通过　"
                                     "2022年6月24日第十三届全国人民代表大会常务委员会第三十五次会议修正）"))
    rows = q(path, "SELECT title, amended FROM documents ORDER BY id")
    assert rows == [(LAW, None), (LAW, "2022-06-24")]
    assert len(list(db.search(path, "申请人隐瞒"))) == 2
    consistent(path)


def test_existing_database_is_updated_not_clobbered(tmp_path):
    path = str(tmp_path / "laws.db")
    db.load(path, read_records(LAW_TXT))
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (article_id INTEGER REFERENCES articles (id), note TEXT)")
    con.execute("INSERT INTO notes VALUES (1, '看这里')")
    con.commit()
    con.close()
    db.load(path, read_records(INTERP_TXT))
    assert q(path, "SELECT note FROM notes") == [("看这里",)]
    assert q(path, "SELECT count(*) FROM documents") == [(2,)]
    consistent(path)


def test_not_a_clt_database_refused(tmp_path):
    other = str(tmp_path / "other.db")
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="not a clt database"):
        db.load(other, read_records(LAW_TXT))
    assert q(other, "SELECT name FROM sqlite_master") == [("t",)]
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    with pytest.raises(InputError, match="not a SQLite database"):
        db.load(str(text), read_records(LAW_TXT))
    assert text.read_text() == "hello\n"


def test_no_articles_writes_nothing(tmp_path):
    path = tmp_path / "laws.db"
    with pytest.raises(InputError, match="no articles"):
        db.load(str(path), iter([{"type": "source", "path": "x"}]))
    assert not path.exists()


# --------------------------------------------------------------------------- kill -9

KILLER = textwrap.dedent("""
    import io, sys, time
    from clt.convert import sqlite as db
    from clt.records import read_records
    real = db._write_refs
    n = [0]
    def slow(con, art_id, doc_id, refs):
        real(con, art_id, doc_id, refs)
        if art_id % 5 == 0:
            n[0] += 1
            if n[0] == int(sys.argv[3]):
                print("inside", flush=True)
                time.sleep(60)
    db._write_refs = slow
    text = open(sys.argv[2], encoding="utf-8").read()
    db.load(sys.argv[1], read_records(io.BytesIO(text.encode())))
""")


def test_kill_9_inside_a_transaction_leaves_a_consistent_database(tmp_path):
    path = str(tmp_path / "laws.db")
    load_text(path, law_text())       # a law that was there before the killed run
    before = db.stats(path)
    # the killed run: the same law changed (its replacement is killed half-way) and three new laws
    text = law_text(change=("申请材料不齐全的", "申请材料不完整的")) + "\n\n" + "\n\n".join(
        law_text(title=f"中华人民共和国示例{n}法", caption=f"（2021年{i}月1日通过）")
        for i, n in enumerate("一二三", 1))
    src = tmp_path / "laws.txt"
    src.write_text(text, encoding="utf-8")
    script = tmp_path / "killer.py"
    script.write_text(KILLER)
    env = dict(os.environ, PYTHONPATH=ROOT)
    for stop in (1, 4):   # killed inside the first law's transaction (a replacement), then inside a later one
        p = subprocess.Popen([sys.executable, str(script), path, str(src), str(stop)], stdout=subprocess.PIPE,
                             env=env)
        try:
            assert p.stdout.readline().strip() == b"inside"
        finally:
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
        assert os.path.exists(path + "-journal")  # a hot journal: the transaction was open
        consistent(path)
        titles = [r[0] for r in q(path, "SELECT title FROM documents ORDER BY id")]
        if stop == 1:
            assert titles == [LAW] and db.stats(path) == before
            assert [h["label"] for h in db.search(path, "申请材料不齐全")] == ["第三条"]   # the old text, whole
    assert titles[0] == LAW and len(titles) < 5
    # a rerun completes it
    s = db.load(path, read_records(str(src)))
    assert s["laws"] == 4
    assert q(path, "SELECT count(*) FROM documents") == [(4,)]
    consistent(path)


def _documents(path):
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.05)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_kill_9_at_moments_of_the_cli_run(tmp_path):
    """clt convert --to sqlite killed (SIGKILL) once it has written 3, 30, 80 laws
    (whatever it was doing then): every database is consistent, every law whole."""
    src = tmp_path / "many.txt"
    src.write_text("\n\n".join(law_text(title=f"中华人民共和国示例{int2cn(n)}法", caption=f"（2020年1月{n % 28 + 1}日通过）")
                               for n in range(1, 241)), encoding="utf-8")
    partial = 0
    for after in (3, 30, 80):
        path = str(tmp_path / f"laws-{after}.db")
        p = subprocess.Popen([sys.executable, "-m", "clt", "convert", "--to", "sqlite", str(src), "-o", path],
                             env=dict(os.environ, PYTHONPATH=ROOT), stderr=subprocess.DEVNULL)
        try:
            end = time.monotonic() + 120
            while p.poll() is None and time.monotonic() < end and _documents(path) < after:
                time.sleep(0.01)
        finally:
            p.send_signal(signal.SIGKILL)
            p.wait()
        consistent(path)
        n = q(path, "SELECT count(*) FROM documents")[0][0]
        partial += 0 < n < 240
        for (k,) in q(path, "SELECT articles FROM documents"):
            assert k == 9
    assert partial, "no kill landed in the middle of the run"


# --------------------------------------------------------------------------- the CLI

def test_cli_convert_to_sqlite_needs_o(run_cli, tmp_path):
    r = run_cli(["convert", "--to", "sqlite", LAW_TXT])
    assert r.exit_code == 2 and "give -o FILE" in r.stderr
    r = run_cli(["convert", "--to", "sqlite", LAW_TXT, "-o", "-"])
    assert r.exit_code == 2
    r = run_cli(["convert", "--to", "sqlite", LAW_TXT, "-o", str(tmp_path) + "/"])
    assert r.exit_code == 2 and "not a directory" in r.stderr
    r = run_cli(["convert", "--to", "sqlite", "--level", "item", LAW_TXT, "-o", str(tmp_path / "x.db")])
    assert r.exit_code == 2 and "--level" in r.stderr
    out = str(tmp_path / "laws.db")
    r = run_cli(["convert", "--to", "sqlite", LAW_TXT, CRIMINAL, "-o", out])
    assert r.exit_code == 0, r.stderr
    assert r.output == ""
    assert q(out, "SELECT count(*) FROM documents") == [(2,)]
    r = run_cli(["convert", "--to", "db", "--law", "刑法", CRIMINAL, "-o", str(tmp_path / "one.db")])
    assert r.exit_code == 0
    assert q(str(tmp_path / "one.db"), "SELECT title FROM documents") == [("中华人民共和国刑法",)]


def test_cli_search(run_cli, laws_db, tmp_path):
    r = run_cli(["search", laws_db, "申请人"])
    assert r.exit_code == 0, r.stderr
    lines = r.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"《{LAW}》第三条: ")
    assert "[申请人]" in lines[0]
    r = run_cli(["search", laws_db, "登记", "--law", "示例管理法", "--limit", "2"])
    assert [l.split(":")[0] for l in r.output.splitlines()] == [f"《{LAW}》第二条", f"《{LAW}》第三条"]
    r = run_cli(["search", laws_db, "申请人", "--highlight", "none"])
    assert "[" not in r.output
    r = run_cli(["search", laws_db, "申请人", "--json"])
    rec = r.records[0]
    assert rec["type"] == "match" and rec["citation"] == f"《{LAW}》第三条" and rec["num"] == 3
    assert rec["text"][rec["matches"][0][0]:rec["matches"][0][1]] == "申请人"
    # nothing matches: exit 1, nothing printed
    r = run_cli(["search", laws_db, "个人信息保护"])
    assert (r.exit_code, r.output, r.stderr) == (1, "", "")
    # errors: exit 2, one line
    r = run_cli(["search", str(tmp_path / "missing.db"), "x"])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "no such database" in r.stderr
    (tmp_path / "t.txt").write_text("x")
    r = run_cli(["search", str(tmp_path / "t.txt"), "x"])
    assert r.exit_code == 2 and "not a SQLite database" in r.stderr
    other = str(tmp_path / "other.db")
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    r = run_cli(["search", other, "x"])
    assert r.exit_code == 2 and "not a clt database" in r.stderr


def test_cli_search_rank_order_is_law_order(run_cli, laws_db):
    r = run_cli(["search", laws_db, "本法", "--json"])
    ids = [(x["document_id"], x["article_id"]) for x in r.records]
    assert ids == sorted(ids)


def test_cli_convert_to_sqlite_from_stdin(run_cli, tmp_path):
    from clt.split import split

    out = str(tmp_path / "laws.db")
    r = run_cli(["convert", "--to", "sqlite", "-o", out], input=list(split(read_records(LAW_TXT))))
    assert r.exit_code == 0, r.stderr
    assert q(out, "SELECT title, articles FROM documents") == [(LAW, 9)]
    r = run_cli(["convert", "--to", "sqlite", "-o", out], input=[{"type": "source", "path": "x"}])
    assert r.exit_code == 1 and "no articles" in r.stderr
    assert q(out, "SELECT count(*) FROM documents") == [(1,)]


def test_search_law_that_is_not_there_is_an_error(run_cli, laws_db):
    r = run_cli(["search", laws_db, "本法", "--law", "网络安全法"])
    assert r.exit_code == 2 and r.stderr == "clt: --law '网络安全法': no law with that title in the database\n"
    r = run_cli(["search", laws_db, "本法", "--law", "示例 管理法"])   # white space ignored, as --law elsewhere
    assert r.exit_code == 0 and r.output.startswith(f"《{LAW}》")
