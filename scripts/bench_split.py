"""Benchmark clt split on a law the size of the Civil Code.

    .venv/bin/python scripts/bench_split.py [--articles N] [--repeat N]

Builds, in code and with a fixed seed, a synthetic law of 1,260 articles
(7 编, 分编, 章 and 节 headings, 款 with 项 and 目, a few 之一 articles and
cross-references at paragraph starts), then times

* the library over ``para`` records (what ``clt normalize`` hands over),
* the library over plain text (``text_line_records`` + split: one paragraph
  a line, as ``clt split law.txt`` reads it), and
* the whole command ``clt split law.txt`` (process start-up and JSON writing
  included),

and checks that every article came out.  With ``../shared/corpus/dev``
present it also times the largest truth law rendered as plain text.  Prints
one line per case and a JSON summary as the last line.
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

from clt.labels import article_label, heading_label  # noqa: E402
from clt.numerals import int2cn  # noqa: E402
from clt.records import text_line_records  # noqa: E402
from clt.split import split  # noqa: E402

WORDS = "国家 依法 保护 民事主体 人身权利 财产权利 以及 其他 合法权益 任何 组织 或者 个人 不得 侵犯 应当 遵循 诚信 原则".split()


def sentence(rng, n=None):
    n = n or rng.randint(8, 30)
    return "".join(rng.choice(WORDS) for _ in range(n // 2)) + "。"


def synthetic_law(n_articles=1260, seed=7):
    """Paragraph texts of a Civil-Code-sized law, and the expected article labels."""
    rng = random.Random(seed)
    paras = ["中华人民共和国合成法典",
             "（2020年5月28日第十三届全国人民代表大会第三次会议通过）"]
    labels = []
    per_part = n_articles // 7 + 1
    num = 0
    part = 0
    while num < n_articles:
        part += 1
        paras.append(f"{heading_label('part', part)}　编{int2cn(part)}")
        for sub in (1, 2):
            paras.append(f"{heading_label('subpart', sub)}　分编")
            for ch in range(1, 4):
                paras.append(f"{heading_label('chapter', ch)}　章名")
                for sec in (1, 2):
                    paras.append(f"{heading_label('section', sec)}　节名")
                    for _ in range(max(1, -(-per_part // 12))):
                        if num >= n_articles:
                            break
                        num += 1
                        lab = article_label(num)
                        labels.append(lab)
                        paras.append(f"{lab}　{sentence(rng)}")
                        for _ in range(rng.randint(0, 2)):
                            paras.append(sentence(rng))
                        if rng.random() < 0.15:
                            paras[-1] = paras[-1][:-1] + "：" if paras[-1].endswith("。") else paras[-1]
                            for i in range(1, rng.randint(2, 5)):
                                paras.append(f"（{int2cn(i)}）{sentence(rng)[:-1]}；")
                            paras.append(f"1.{sentence(rng)}")
                        if rng.random() < 0.05:
                            paras.append(f"第{int2cn(max(1, num - 3))}条规定的{sentence(rng)}")
                        if rng.random() < 0.01:
                            lab = article_label(num, 1)
                            labels.append(lab)
                            paras.append(f"{lab}　{sentence(rng)}")
    paras.append(f"{article_label(num + 1)}　本法自2021年1月1日起施行。")
    labels.append(article_label(num + 1))
    return paras, labels


def timed(fn, repeat):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def check(recs, labels, name):
    got = [r["label"] for r in recs if r["type"] == "article"]
    if got != labels:
        print(f"{name}: MISMATCH {len(got)} articles out, {len(labels)} expected", file=sys.stderr)
        return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1260)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    a = ap.parse_args()

    paras, labels = synthetic_law(a.articles)
    text = "\n".join(paras) + "\n"
    para_recs = [{"type": "para", "text": t, "source": "law", "page": 1 + i // 40, "lines": [[1 + i // 40, i % 40 + 1]]}
                 for i, t in enumerate(paras)]
    summary = {"articles": len(labels), "paragraphs": len(paras), "ok": True}

    t, out = timed(lambda: list(split(iter(para_recs))), a.repeat)
    summary["ok"] &= check(out, labels, "para")
    summary["library_para_s"] = round(t, 4)
    print(f"library, para records: {t:.3f}s for {len(labels)} articles ({len(paras)} paragraphs)")

    t_read, _ = timed(lambda: list(text_line_records(text, "law.txt")), a.repeat)
    t, out = timed(lambda: list(split(text_line_records(text, "law.txt"))), a.repeat)
    summary["ok"] &= check(out, labels, "text")
    summary["library_text_s"] = round(t, 4)
    summary["reading_text_s"] = round(t_read, 4)
    print(f"library, plain text:   {t:.3f}s (of which reading lines {t_read:.3f}s)")

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "law.txt")
        with open(path, "w", encoding="utf-8") as fp:
            fp.write(text)
        clt = os.path.join(ROOT, ".venv", "bin", "clt")
        cmd = [clt, "split", path] if os.path.exists(clt) else [sys.executable, "-m", "clt", "split", path]

        def run():
            return subprocess.run(cmd, capture_output=True, check=True).stdout

        t, out = timed(run, a.repeat)
        recs = [json.loads(x) for x in out.decode("utf-8").splitlines()]
        summary["ok"] &= check(recs, labels, "command")
        summary["command_s"] = round(t, 4)
        print(f"clt split law.txt:     {t:.3f}s (process start-up and JSON output included)")

    truths = sorted(glob.glob(os.path.join(a.corpus, "truth", "*.json")))
    if truths:
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(a.corpus.rstrip("/"))), "eval"))
        laws = [json.loads(open(f, encoding="utf-8").readline()) for f in truths]
        law = max(laws, key=lambda x: len(x["articles"]))
        lines = [law["title"], ""] + law.get("preamble", []) + [""]
        last = []
        for art in law["articles"]:
            for depth, h in enumerate(art["path"]):
                if depth >= len(last) or last[depth] != h:
                    lines += ["", h, ""]
            last = art["path"]
            lines.append(art["label"] + "\u3000" + art["paragraphs"][0])
            lines += art["paragraphs"][1:]
        ttext = "\n".join(lines) + "\n"
        t, out = timed(lambda: list(split(text_line_records(ttext, "truth.txt"))), a.repeat)
        exact = sum(1 for r, art in zip([r for r in out if r["type"] == "article"], law["articles"])
                    if r["label"] == art["label"] and r["text"] == "\n".join(art["paragraphs"]))
        summary["truth_law"] = {"title": law["title"], "articles": len(law["articles"]), "exact": exact,
                                "seconds": round(t, 4)}
        print(f"truth {law['title']}: {t:.3f}s, {exact}/{len(law['articles'])} articles exact")
    else:
        print("(../shared/corpus/dev absent: truth case skipped)")
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
