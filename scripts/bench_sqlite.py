"""Benchmarks of issue 17: refs, loading into SQLite, searching; and the recall of FTS5 trigram against LIKE.

    .venv/bin/python scripts/bench_sqlite.py [--repeat N] [--queries N] [--laws N] [--big N]

Laws: the dev truth laws of ../shared/corpus/dev (when present; measuring
only) and the test fixtures, as split records.  Cases (median wall time of
--repeat runs, this process):

* ``refs``: clt.refs over one law of 1,260 articles (the Civil Code's size)
  made by repeating the real articles (renumbered, their references kept),
  and ``clt refs`` as a command (start-up and JSON included);
* ``load``: 100 laws into a new database (clt.convert.sqlite.load);
* ``search``: a query on a database of 1,000 laws (the laws again, retitled):
  3+ characters (FTS5 trigram), 1 and 2 characters (the articles_chars FTS5
  index, each hit checked with LIKE), with --law, and the command;
* ``recall``: --queries substrings of 2-6 characters drawn (fixed seed) from
  the article text; per length, the share of the articles LIKE finds that
  FTS5 trigram MATCH finds, that FTS5 unicode61 (the default tokenizer) finds,
  and that clt's search (trigram from 3 characters, articles_chars below) finds
  (``search_extra``: articles it finds that LIKE does not — 0 when exact).

Prints one line per case and a JSON summary as the last line.
"""

import argparse
import glob
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
def _corpus():
    """../shared/corpus/dev/truth from the project root (a worktree's parents too)."""
    d = ROOT
    for _ in range(3):
        d = os.path.dirname(d)
        p = os.path.join(d, "shared", "corpus", "dev", "truth")
        if os.path.isdir(p):
            return p
    return os.path.join(os.path.dirname(ROOT), "shared", "corpus", "dev", "truth")


CORPUS = _corpus()
sys.path.insert(0, ROOT)

from clt.convert import sqlite as db  # noqa: E402
from clt.numerals import int2cn  # noqa: E402
from clt.records import read_records  # noqa: E402
from clt.refs import refs  # noqa: E402
from clt.split import split  # noqa: E402


def truth_records(path):
    with open(path, encoding="utf-8") as fp:
        t = json.loads(fp.readline())
    pre = t.get("preamble") or []
    recs = [{"type": "document", "title": t["title"], "caption": "（" + "　".join(pre) + "）" if pre else None}]
    for a in t["articles"]:
        recs.append({"type": "article", "label": a["label"], "num": a["num"], "sub": a.get("sub"),
                     "path": a.get("path") or [], "text": "\n".join(a["paragraphs"])})
    recs.append({"type": "document_end", "title": t["title"], "articles": len(t["articles"])})
    return recs


def fixture_laws():
    out = []
    for name in ("refs/law.txt", "refs/interpretation.txt", "refs/amendment.txt", "convert/civil-code-excerpt.txt"):
        p = os.path.join(ROOT, "tests", "fixtures", name)
        if os.path.exists(p):
            out.append(list(split(read_records(p))))
    out.append(list(read_records(os.path.join(ROOT, "tests", "fixtures", "convert", "criminal-law.jsonl"))))
    return out


def all_laws():
    laws = [truth_records(p) for p in sorted(glob.glob(os.path.join(CORPUS, "*.json")))]
    return laws + fixture_laws(), bool(laws)


def retitled(law, n):
    """The records of *law* as the n-th copy: another title, so another document."""
    out = []
    for r in law:
        if r.get("type") in ("document", "document_end"):
            r = dict(r, title=f"{r.get('title') or '无题'}（副本{int2cn(n)}）")
        out.append(r)
    return out


def big_law(laws, n_articles=1260):
    """One law of *n_articles* made of the real articles of *laws*, renumbered in order."""
    arts = [r for law in laws for r in law if r.get("type") == "article" and isinstance(r.get("num"), int)]
    recs = [{"type": "document", "title": "中华人民共和国合成法典"}]
    for i in range(n_articles):
        a = arts[i % len(arts)]
        recs.append({"type": "article", "label": f"第{int2cn(i + 1)}条", "num": i + 1, "sub": None,
                     "path": [f"第{int2cn(i // 60 + 1)}章 合成"], "text": a["text"]})
    recs.append({"type": "document_end", "title": "中华人民共和国合成法典", "articles": n_articles})
    return recs


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(name, seconds, goal=None, extra=""):
    g = f"  (goal < {goal:g} s: {'ok' if seconds < goal else 'MISSED'})" if goal else ""
    print(f"{name:52s} {seconds * 1000:9.1f} ms{g}{extra}", flush=True)


def bench_refs(laws, repeat, summary):
    dense = big_law(fixture_laws())   # the fixture laws' articles: many references each
    n_dense = sum(len(r["refs"]) for r in refs(dense) if r["type"] == "article")
    t = median_time(lambda: sum(1 for _ in refs(dense)), repeat)
    report(f"refs, 1,260 fixture articles ({n_dense} references), library", t, 1.0)
    summary["refs_1260_dense_library_s"] = round(t, 4)
    summary["refs_1260_dense_references"] = n_dense
    law = big_law(laws)
    n_refs = sum(len(r["refs"]) for r in refs(law) if r["type"] == "article")
    t = median_time(lambda: sum(1 for _ in refs(law)), repeat)
    report(f"refs, 1,260 articles ({n_refs} references), library", t, 1.0)
    summary["refs_1260_library_s"] = round(t, 4)
    summary["refs_1260_references"] = n_refs
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "law.jsonl")
        with open(p, "w", encoding="utf-8") as fp:
            for r in law:
                fp.write(json.dumps(r, ensure_ascii=False) + "\n")
        clt = [sys.executable, "-m", "clt"]
        t = median_time(lambda: subprocess.run(clt + ["refs", p], check=True, stdout=subprocess.DEVNULL), repeat)
        report("clt refs law.jsonl (1,260 articles), command", t, 1.0)
        summary["refs_1260_command_s"] = round(t, 4)
        t = median_time(lambda: subprocess.run(clt + ["refs", "--help"], check=True, stdout=subprocess.DEVNULL),
                        repeat)
        report("clt refs --help (start-up)", t)
        summary["refs_help_s"] = round(t, 4)


def bench_load(laws, repeat, n_laws, summary):
    hundred = [retitled(laws[i % len(laws)], i // len(laws)) if i >= len(laws) else laws[i] for i in range(n_laws)]
    n_art = sum(1 for law in hundred for r in law if r.get("type") == "article")

    def run():
        with tempfile.TemporaryDirectory() as d:
            db.load(os.path.join(d, "laws.db"), (r for law in hundred for r in law))

    t = median_time(run, repeat)
    report(f"load {n_laws} laws ({n_art} articles) into a new database", t, 5.0)
    summary["load_100_s"] = round(t, 4)
    summary["load_100_articles"] = n_art


def bench_search(laws, repeat, n_big, summary, tmp):
    path = os.path.join(tmp, "big.db")
    t0 = time.perf_counter()
    db.load(path, (r for i in range(n_big) for r in retitled(laws[i % len(laws)], i)))
    build = time.perf_counter() - t0
    n_docs, n_art = sqlite3.connect(path).execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles)").fetchone()
    size = os.path.getsize(path) / 1e6
    print(f"(database of {n_docs} laws, {n_art} articles, {size:.0f} MB, built in {build:.1f} s)")
    summary.update(big_laws=n_docs, big_articles=n_art, big_mb=round(size, 1), big_build_s=round(build, 2))
    con = db.open_db(path)
    try:
        for name, query, law in (("3+ characters, FTS5", "行政处罚", None), ("3+ characters, FTS5", "个人信息", None),
                                 ("2 characters, chars index", "罚款", None),
                                 ("2 characters, chars index", "听证", None), ("1 character, chars index", "罪", None), ("FTS5 with --law", "行政处罚", "副本一"),
                                 ("FTS5, --limit 20", "人民政府", None)):
            limit = 20 if "limit" in name else None
            hits = [0]

            def run():
                hits[0] = sum(1 for _ in db.search(con, query, law=law, limit=limit))

            t = median_time(run, repeat)
            report(f"search {query!r} ({name}), {hits[0]} articles", t, 0.05)
            summary[f"search_{query}_{'law' if law else 'all'}_s"] = round(t, 4)
    finally:
        con.close()
    t = median_time(lambda: subprocess.run([sys.executable, "-m", "clt", "search", path, "行政处罚", "-n", "20"],
                                           check=True, stdout=subprocess.DEVNULL), repeat)
    report("clt search big.db 行政处罚 -n 20, command", t)
    summary["search_command_s"] = round(t, 4)


def bench_recall(laws, n_queries, summary, tmp):
    path = os.path.join(tmp, "recall.db")
    db.load(path, (r for law in laws for r in law))
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE u61 USING fts5 (text, content='articles', content_rowid='id')")
    con.execute("INSERT INTO u61 (u61) VALUES ('rebuild')")
    texts = [t for (t,) in con.execute("SELECT text FROM articles")]
    rng = random.Random(17)
    per = {n: {"q": 0, "like": 0, "trigram": 0, "unicode61": 0, "search": 0, "tq": 0.0, "uq": 0.0, "sq": 0.0}
           for n in range(2, 7)}
    queries = []
    while len(queries) < n_queries:
        n = 2 + len(queries) % 5
        t = rng.choice(rng.choice(texts).split("\n"))
        if len(t) < n:
            continue
        i = rng.randrange(len(t) - n + 1)
        q = t[i:i + n]
        if any(c.isspace() for c in q):
            continue
        queries.append(q)
    for q in queries:
        like = {r for (r,) in con.execute("SELECT id FROM articles WHERE instr(text, ?) > 0", (q,))}
        phrase = '"' + q.replace('"', '""') + '"'
        tri = {r for (r,) in con.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (phrase,))}
        try:
            uni = {r for (r,) in con.execute("SELECT rowid FROM u61 WHERE u61 MATCH ?", (phrase,))}
        except sqlite3.Error:
            uni = set()
        ours = {h["article_id"] for h in db.search(path, q)}
        s = per[len(q)]
        s["q"] += 1
        s["like"] += len(like)
        s["trigram"] += len(tri & like)
        s["unicode61"] += len(uni & like)
        s["search"] += len(ours & like)
        s["tq"] += len(tri & like) / len(like)
        s["uq"] += len(uni & like) / len(like)
        s["sq"] += len(ours & like) / len(like)
        s.setdefault("extra", 0)
        s["extra"] += len(ours - like)
    print(f"recall against LIKE, {len(queries)} queries from {len(texts)} articles "
          "(micro: share of all articles LIKE finds; macro: mean per query)")
    print(f"{'chars':>5} {'queries':>7} {'LIKE hits':>9}   {'trigram':>15}   {'unicode61':>15}   {'clt search':>15}")
    rec = {}
    for n, s in per.items():
        def pair(k, kq):
            return f"{s[k] / s['like']:6.3f} / {s[kq] / s['q']:6.3f}"
        print(f"{n:5d} {s['q']:7d} {s['like']:9d}   {pair('trigram', 'tq')}   {pair('unicode61', 'uq')}   "
              f"{pair('search', 'sq')}")
        rec[n] = {"queries": s["q"], "like_hits": s["like"], "trigram": round(s["trigram"] / s["like"], 4),
                  "unicode61": round(s["unicode61"] / s["like"], 4), "search": round(s["search"] / s["like"], 4),
                  "search_extra": s["extra"]}
    summary["recall"] = rec
    con.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--laws", type=int, default=100)
    ap.add_argument("--big", type=int, default=1000)
    ap.add_argument("--only", choices=["refs", "load", "search", "recall"])
    args = ap.parse_args()
    if not db.fts_available():
        print(f"SQLite {sqlite3.sqlite_version}: no FTS5 trigram tokenizer", file=sys.stderr)
        return 1
    laws, corpus = all_laws()
    print(f"laws: {len(laws)} ({'dev corpus + ' if corpus else ''}fixtures); SQLite {sqlite3.sqlite_version}")
    summary = {"sqlite": sqlite3.sqlite_version, "laws": len(laws), "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "refs"):
            bench_refs(laws, args.repeat, summary)
        if args.only in (None, "load"):
            bench_load(laws, args.repeat, args.laws, summary)
        if args.only in (None, "search"):
            bench_search(laws, args.repeat, args.big, summary, tmp)
        if args.only in (None, "recall"):
            bench_recall(laws, args.queries, summary, tmp)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
