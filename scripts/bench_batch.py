"""Benchmark clt batch: files/s and pages/s with --jobs 1 and --jobs 2.

    .venv/bin/python scripts/bench_batch.py [--src DIR] [--limit N] [--jobs 1,2] [--to jsonl]

Runs ``clt batch SRC -o TMP --jobs N`` (a fresh output directory each time,
so every source is converted) over ../shared/corpus/dev/pdf/ by default, and
prints one line per run and a JSON summary as the last line.  Skips (exit 0)
when the corpus is absent.  The machine may be shared: the load average is
printed with the results.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SRC = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "dev", "pdf")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default=DEFAULT_SRC)
    ap.add_argument("--limit", type=int, default=0, help="only the first N PDFs (0: all)")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--to", default="jsonl")
    args = ap.parse_args()
    if not os.path.isdir(args.src):
        print(f"bench_batch: {args.src} not found, skipped")
        return 0
    pdfs = sorted(f for f in os.listdir(args.src) if f.lower().endswith(".pdf"))
    if args.limit:
        pdfs = pdfs[: args.limit]
    if not pdfs:
        print(f"bench_batch: no PDF in {args.src}, skipped")
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="clt-bench-batch-") as tmp:
        src = os.path.join(tmp, "src")
        os.makedirs(src)
        for f in pdfs:
            os.symlink(os.path.join(os.path.abspath(args.src), f), os.path.join(src, f))
        for jobs in [int(j) for j in args.jobs.split(",")]:
            out = os.path.join(tmp, f"out-{jobs}")
            summary_path = os.path.join(tmp, f"summary-{jobs}.json")
            t0 = time.monotonic()
            r = subprocess.run([sys.executable, "-m", "clt", "batch", src, "-o", out, "--jobs", str(jobs),
                                "--to", args.to, "--quiet", "--summary", summary_path],
                               capture_output=True, text=True, cwd=ROOT)
            wall = time.monotonic() - t0
            with open(summary_path, encoding="utf-8") as fp:
                s = json.load(fp)
            row = {"jobs": jobs, "files": s["converted"], "failed": s["failed"], "pages": s["pages"],
                   "seconds": round(wall, 2), "files_per_s": round(s["converted"] / wall, 3),
                   "pages_per_s": round(s["pages"] / wall, 2), "load": round(os.getloadavg()[0], 2)}
            results.append(row)
            print(f"jobs {jobs}: {row['files']} files ({row['failed']} failed), {row['pages']} pages in "
                  f"{wall:.1f} s = {row['files_per_s']:.2f} files/s, {row['pages_per_s']:.1f} pages/s "
                  f"(load {row['load']})")
            if r.returncode not in (0, 1):
                print(f"bench_batch: clt batch exited {r.returncode}: {r.stderr.strip()[:300]}")
            if jobs == int(args.jobs.split(",")[-1]):
                # the nightly case: nothing changed, everything is skipped
                t0 = time.monotonic()
                subprocess.run([sys.executable, "-m", "clt", "batch", src, "-o", out, "--jobs", str(jobs),
                                "--to", args.to, "--quiet", "--summary", summary_path],
                               capture_output=True, text=True, cwd=ROOT)
                rerun = time.monotonic() - t0
                with open(summary_path, encoding="utf-8") as fp:
                    skipped = json.load(fp)["skipped"]
                print(f"unchanged rerun: {skipped} sources skipped in {rerun:.2f} s (process start included)")
                row["rerun_seconds"] = round(rerun, 2)
            shutil.rmtree(out, ignore_errors=True)
    speedup = None
    if len(results) >= 2 and results[0]["seconds"]:
        speedup = round(results[0]["seconds"] / results[-1]["seconds"], 2)
        print(f"speed-up jobs {results[-1]['jobs']} vs {results[0]['jobs']}: {speedup}x")
    print(json.dumps({"bench": "batch", "src": args.src, "runs": results, "speedup": speedup}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
