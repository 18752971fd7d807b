#!/usr/bin/env python3
"""Benchmark `clt extract` against pdftotext on the largest dev PDFs.

Runs each command a few times (wall-clock medians, output to /dev/null) on
the N largest PDFs of ../shared/corpus/dev/pdf and prints the time of each
variant, its ratio to pdftotext on the same files and its peak memory
(the largest single process):

    pdftotext                      (poppler, the C++ reference)
    clt extract                    (pdfminer engine)
    clt extract --jobs 2
    clt extract --engine pdfium
    clt extract --engine pdfium --jobs 2

Usage: scripts/bench extract   or   .venv/bin/python scripts/bench_extract.py [--runs 3] [--files 3]
Skips (exit 0) when ../shared is absent.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "dev", "pdf")


def timed(cmd):
    """(wall seconds, peak resident memory in MB of the process and its children) of one run."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _, _, usage = os.wait4(p.pid, 0)
        peak = usage.ru_maxrss / 1024.0
    except (AttributeError, ChildProcessError):  # no wait4 here: time only
        p.wait()
        peak = float("nan")
    return time.perf_counter() - t, peak


def synthetic_pdf(path, pages):
    """A *pages*-page PDF of justified-looking CJK lines (reportlab, STSong-Light)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(path)
    for p in range(pages):
        c.setFont("STSong-Light", 14)
        for i in range(30):
            c.drawString(72, 780 - i * 24, f"第{p + 1}页第{i + 1}行　本条例所称城市大脑，是指由中枢、系统与平台组成的数字系统。")
        c.showPage()
    c.save()


def memory_check():
    """Peak memory of extract on 40 and 400 pages: flat means the same."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print("memory: peak MB of clt extract on synthetic PDFs (30 lines a page)")
        print(f"{'engine':10s} {'40 pages':>9s} {'400 pages':>10s}")
        files = {}
        for n in (40, 400):
            files[n] = os.path.join(tmp, f"p{n}.pdf")
            synthetic_pdf(files[n], n)
        for engine in ("pdfminer", "pdfium"):
            peaks = [timed([sys.executable, "-m", "clt", "extract", "--engine", engine, files[n]])[1]
                     for n in (40, 400)]
            print(f"{engine:10s} {peaks[0]:9.0f} {peaks[1]:10.0f}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per variant (median reported)")
    ap.add_argument("--files", type=int, default=3, help="how many of the largest PDFs")
    ap.add_argument("--corpus", default=CORPUS)
    ap.add_argument("--memory", action="store_true",
                    help="also extract synthetic 40- and 400-page PDFs and compare peak memory")
    args = ap.parse_args(argv)
    if args.memory:
        memory_check()
    if not os.path.isdir(args.corpus):
        print(f"bench_extract: {args.corpus} not found: skipped")
        return 0
    pdfs = sorted((os.path.join(args.corpus, f) for f in os.listdir(args.corpus) if f.endswith(".pdf")),
                  key=os.path.getsize, reverse=True)[: args.files]
    if not pdfs:
        print("bench_extract: no PDFs: skipped")
        return 0
    clt = [sys.executable, "-m", "clt", "extract", "--ocr", "never"]
    variants = []
    if shutil.which("pdftotext"):
        variants.append(("pdftotext", lambda f: ["pdftotext", "-enc", "UTF-8", f, "-"]))
    else:
        print("bench_extract: pdftotext (poppler-utils) not installed: no reference ratios")
    variants += [
        ("clt extract (pdfminer)", lambda f: clt + [f]),
        ("clt extract (pdfminer) --jobs 2", lambda f: clt + ["--jobs", "2", f]),
        ("clt extract --engine pdfium", lambda f: clt + ["--engine", "pdfium", f]),
        ("clt extract --engine pdfium --jobs 2", lambda f: clt + ["--engine", "pdfium", "--jobs", "2", f]),
    ]
    pages = 0
    for f in pdfs:
        out = subprocess.run(["pdfinfo", f], capture_output=True, text=True) if shutil.which("pdfinfo") else None
        if out and out.returncode == 0:
            for line in out.stdout.splitlines():
                if line.startswith("Pages:"):
                    pages += int(line.split()[1])
    print(f"files: {', '.join(os.path.basename(f) for f in pdfs)}"
          + (f" ({pages} pages)" if pages else "") + f"; median of {args.runs} runs, wall clock")
    results = {}
    for name, make in variants:
        per_file, peaks = [], []
        for f in pdfs:
            runs = [timed(make(f)) for _ in range(args.runs)]
            per_file.append(statistics.median(r[0] for r in runs))
            peaks.append(max(r[1] for r in runs))
        results[name] = (sum(per_file), max(peaks))
    ref = results.get("pdftotext", (None,))[0]
    print(f"{'variant':40s} {'seconds':>9s} {'pages/s':>9s} {'x pdftotext':>12s} {'peak MB':>8s}")
    for name, (secs, peak) in results.items():
        rate = f"{pages / secs:9.1f}" if pages and secs else f"{'':9s}"
        ratio = f"{secs / ref:12.1f}" if ref else f"{'':12s}"
        print(f"{name:40s} {secs:9.2f} {rate} {ratio} {peak:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
