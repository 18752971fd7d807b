#!/usr/bin/env python3
"""Benchmark the two OCR engines on scanned pages: CPU seconds per page and memory per worker.

For each engine (rapidocr, tesseract) a fresh worker process — what one
``--jobs`` worker of ``clt extract`` is — reads the scanned pages one after
another exactly as extract does (render at 300 dpi, OCR, lines), and reports
for every page its CPU seconds (the worker's, plus Tesseract's own process),
wall seconds and the worker's peak resident memory so far.  Printed: the
medians per engine and per kind of scan (clean, degraded), the peak memory,
and the ratio rapidocr/tesseract.

The pages are those of ../shared/corpus/dev/scans/scan/*.pdf ($CLT_SHARED) (image-only
bulletins, clean and ``-deg``); without ../shared, the test fixture
tests/fixtures/extract/scanned.pdf.  Slow (about 5 s of CPU a page for
rapidocr, 3 s for Tesseract): it is not part of ``scripts/bench``'s default
run — ``scripts/bench ocr``, or::

    .venv/bin/python scripts/bench_ocr.py [--pages 4] [--engines rapidocr,tesseract] [--json]

An engine that is not installed is skipped with a line saying so.
"""

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: ../shared from the project root (or from a worktree's parent; $CLT_SHARED overrides)
SHARED = os.environ.get("CLT_SHARED") or next(
    (d for d in (os.path.join(os.path.dirname(ROOT), "shared"),
                 os.path.join(os.path.dirname(os.path.dirname(ROOT)), "shared")) if os.path.isdir(d)),
    os.path.join(os.path.dirname(ROOT), "shared"))
SCANS = os.path.join(SHARED, "corpus", "dev", "scans", "scan")
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "extract", "scanned.pdf")

WORKER = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
from clt.extract import ocr

engine = sys.argv[2]
jobs = json.loads(sys.argv[3])

def hwm_mb():
    with open("/proc/self/status") as f:
        for l in f:
            if l.startswith("VmHWM"):
                return int(l.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

try:
    ocr.resolve_engine(engine, "chi_sim")
except ocr.OcrUnavailable as e:
    print(json.dumps({"unavailable": str(e)}))
    sys.exit(0)
print(json.dumps({"start_mb": round(hwm_mb(), 1)}), flush=True)
for path, page, kind in jobs:
    c0, t0 = cpu(), time.perf_counter()
    img = ocr.render_page(path, page)
    lines = ocr.ocr_lines(img, ocr.DPI, path, page, img.size[0] * 72.0 / ocr.DPI, engine)
    print(json.dumps({"file": os.path.basename(path), "page": page, "kind": kind,
                      "cpu": round(cpu() - c0, 3), "wall": round(time.perf_counter() - t0, 3),
                      "lines": len(lines), "peak_mb": round(hwm_mb(), 1)}), flush=True)
"""


def page_jobs(n):
    """[(path, page, kind)]: up to *n* pages of each scan (clean and degraded)."""
    import pypdfium2 as pdfium

    files = sorted(glob.glob(os.path.join(SCANS, "*.pdf"))) or [FIXTURE]
    jobs = []
    for f in files:
        pdf = pdfium.PdfDocument(f)
        count = len(pdf)
        pdf.close()
        kind = "degraded" if os.path.basename(f).endswith("-deg.pdf") else "clean"
        jobs += [(f, p, kind) for p in range(1, min(n, count) + 1)]
    return jobs


def run_engine(engine, jobs):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    p = subprocess.run([sys.executable, "-c", WORKER, ROOT, engine, json.dumps(jobs)],
                       capture_output=True, text=True, env=env)
    rows = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    if p.returncode != 0:
        return {"error": (p.stderr.strip().splitlines() or ["failed"])[-1]}
    if rows and "unavailable" in rows[0]:
        return {"unavailable": rows[0]["unavailable"]}
    start = rows[0].get("start_mb") if rows else None
    pages = [r for r in rows if "page" in r]
    out = {"pages": len(pages), "start_mb": start, "per_page": pages}
    if pages:
        out["median_cpu_s"] = round(statistics.median(r["cpu"] for r in pages), 2)
        out["median_wall_s"] = round(statistics.median(r["wall"] for r in pages), 2)
        out["peak_mb"] = round(max(r["peak_mb"] for r in pages), 0)
        for kind in ("clean", "degraded"):
            ks = [r for r in pages if r["kind"] == kind]
            if ks:
                out[f"median_cpu_s_{kind}"] = round(statistics.median(r["cpu"] for r in ks), 2)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=4, help="pages of each scan (default 4)")
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--json", action="store_true", help="print one JSON summary line only")
    a = ap.parse_args()
    jobs = page_jobs(a.pages)
    res = {}
    for engine in a.engines.split(","):
        res[engine] = run_engine(engine, jobs)
    if a.json:
        print(json.dumps({e: {k: v for k, v in r.items() if k != "per_page"} for e, r in res.items()}))
        return
    print(f"{len(jobs)} pages ({', '.join(sorted({os.path.basename(j[0]) for j in jobs}))}), one worker per engine")
    print(f"{'engine':<10} {'CPU s/page':>10} {'clean':>7} {'degr.':>7} {'wall s':>7} {'peak MB':>8} {'start MB':>9}")
    for e, r in res.items():
        if "pages" not in r:
            print(f"{e:<10} skipped: {r.get('unavailable') or r.get('error')}")
            continue
        print(f"{e:<10} {r.get('median_cpu_s', float('nan')):>10} {r.get('median_cpu_s_clean', '-'):>7} "
              f"{r.get('median_cpu_s_degraded', '-'):>7} {r.get('median_wall_s', float('nan')):>7} "
              f"{r.get('peak_mb', float('nan')):>8} {r.get('start_mb'):>9}")
    a_, b_ = res.get("rapidocr", {}), res.get("tesseract", {})
    if a_.get("median_cpu_s") and b_.get("median_cpu_s"):
        print(f"rapidocr/tesseract: CPU {a_['median_cpu_s'] / b_['median_cpu_s']:.2f}x, "
              f"peak memory {a_['peak_mb'] / b_['peak_mb']:.1f}x")


if __name__ == "__main__":
    main()
