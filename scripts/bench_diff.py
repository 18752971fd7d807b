"""Benchmark clt diff: time to align two versions of a law.

    .venv/bin/python scripts/bench_diff.py [--corpus DIR] [--repeat N]

Times the library (``clt.diff.diff`` over article records, rendering
excluded) on

* the largest real pair in ``../shared/corpus/dev/pairs/`` (most articles), and
* a big synthetic pair of the size of the 2012/2021 Criminal Procedure Law
  interpretations (~550 vs ~650 articles): the dev truth laws concatenated
  into one long law, and a new version with every article renumbered, some
  rewritten, deleted, moved and ~100 inserted.  It is built here with a
  fixed seed, without ``../shared/eval``.

and the whole command (``clt diff old.jsonl new.jsonl``, process start-up
included) on the big pair.  Prints one line per case and a JSON summary as
the last line.  Skips (exit 0) when the corpus is absent.
"""

import argparse
import glob
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "dev")
sys.path.insert(0, ROOT)

from clt.labels import article_label  # noqa: E402


def records(title, arts):
    yield {"type": "document", "title": title}
    for a in arts:
        yield {"type": "article", "label": a["label"], "path": a.get("path", []),
               "text": "\n".join(a["paragraphs"])}


def big_pair(corpus, n_old=548, n_new=651, seed=2021):
    """(old articles, new articles): a long law and an amended, renumbered version."""
    arts = []
    for f in sorted(glob.glob(os.path.join(corpus, "truth", "*.json"))):
        with open(f, encoding="utf-8") as fp:
            law = json.loads(fp.readline())
        arts.extend(a for a in law["articles"] if a.get("paragraphs"))
    rng = random.Random(seed)
    pool = arts[n_old:]
    old = [dict(a) for a in arts[:n_old]]
    new = []
    for a in old:
        r = rng.random()
        if r < 0.05:
            continue  # deleted
        b = dict(a)
        if r < 0.25:  # rewritten in part
            p = list(b["paragraphs"])
            k = rng.randrange(len(p))
            cut = rng.randrange(max(1, len(p[k])))
            p[k] = p[k][:cut] + "，有关主管部门应当依法处理" + p[k][cut + 3:]
            b["paragraphs"] = p
        new.append(b)
    for _ in range(5):  # moved
        a = new.pop(rng.randrange(len(new)))
        new.insert(rng.randrange(len(new)), a)
    while len(new) < n_new and pool:  # inserted
        new.insert(rng.randrange(len(new) + 1), dict(pool.pop(rng.randrange(len(pool)))))
    for i, a in enumerate(old):
        a["label"] = article_label(i + 1)
    for i, a in enumerate(new):
        new[i] = dict(a, label=article_label(i + 1))
    return old, new


def time_lib(old_recs, new_recs, repeat):
    from clt.diff import diff

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = list(diff(iter(old_recs), iter(new_recs)))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.corpus, "pairs")):
        print(f"bench_diff: {args.corpus}/pairs not found, skipped")
        return 0
    results = {}
    pairs = []
    for f in sorted(glob.glob(os.path.join(args.corpus, "pairs", "*.json"))):
        with open(f, encoding="utf-8") as fp:
            d = json.load(fp)
        pairs.append((len(d["old"]["articles"]) + len(d["new"]["articles"]), f, d))
    if pairs:
        _, f, d = max(pairs, key=lambda t: t[0])
        o = list(records(d["old"]["title"], d["old"]["articles"]))
        n = list(records(d["new"]["title"], d["new"]["articles"]))
        sec, summary = time_lib(o, n, args.repeat)
        row = {"case": os.path.basename(f), "old": len(o) - 1, "new": len(n) - 1,
               "seconds": round(sec, 3), "changes": summary["changes"]}
        print(json.dumps(row, ensure_ascii=False))
        results["largest_real_pair"] = row
    old, new = big_pair(args.corpus)
    o = list(records("合并法", old))
    n = list(records("合并法", new))
    sec, summary = time_lib(o, n, args.repeat)
    row = {"case": "synthetic", "old": len(old), "new": len(new), "seconds": round(sec, 3),
           "changes": summary["changes"]}
    print(json.dumps(row, ensure_ascii=False))
    results["big_pair_library"] = row
    with tempfile.TemporaryDirectory(prefix="clt-bench-diff-") as tmp:
        for name, recs in (("old.jsonl", o), ("new.jsonl", n)):
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as fp:
                for r in recs:
                    fp.write(json.dumps(r, ensure_ascii=False) + "\n")
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, "-m", "clt", "diff", "old.jsonl", "new.jsonl"],
                           cwd=tmp, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
        wall = time.perf_counter() - t0
        row = {"case": "synthetic, clt diff command", "seconds": round(wall, 3), "exit": p.returncode}
        print(json.dumps(row, ensure_ascii=False))
        results["big_pair_command"] = row
    results["load"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
