#!/usr/bin/env python3
"""Every stage against its reference, in one run: CPU time, ratio, throughput, peak memory.

Builds a big bulletin by concatenating the dev PDFs (pypdfium2) up to
``--pages`` pages, and a big plain text by concatenating the dev ``.txt``
files up to ``--mb`` MB, then runs each command ``--runs`` times (output to
/dev/null) and prints, per command, the median CPU time (user + system of the
command and everything it started, from ``wait4``), the ratio to its
reference, pages/s or MB/s of UTF-8 input, and the peak resident memory of
the largest process:

    extract   reference: pdftotext (poppler) on the same pages; PDFium with the
              compiled accelerator (when built) and in pure Python (CLT_PDFIUM_ACCEL=0)
    normalize reference: cat, and a plain Python line loop (read, decode, split)
    split     reference: the same
    pipeline  extract --engine pdfium | normalize | split, reference: pdftotext
    --jobs    wall clock of clt extract --jobs 1 and --jobs 2 (the scaling), pdfminer and PDFium on the
              bulletin, pdfminer on the dev PDFs as many small files; and the machine's own ceiling
              (one CPU-bound process against two at once)

and, for normalize and split, the start-up cost (the same command on an empty input)
and the rate net of it; after each, the goal of issue 14 it is held to and whether it meets it
("meets" / "SHORT"): extract <= 3.5x pdftotext (pure Python, no compiled
accelerator; <= 2x with it), normalize and split >= 20 MB/s, the pipeline
<= 3x pdftotext, --jobs 2 >= 1.7x faster than --jobs 1 (on an idle
machine), and every process under 100 MB peak.

Each command runs in a child of this process (same process group).  CPU
time, not wall clock, for the ratios: the machine is shared.

Usage: scripts/bench stages   or   .venv/bin/python scripts/bench_stages.py [--runs 5] [--pages 1000] [--mb 4]
Skips (exit 0) when the dev corpus is absent.
"""

import argparse
import glob
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(os.path.dirname(ROOT)), "shared", "corpus", "dev", "pdf")
if not os.path.isdir(CORPUS):
    CORPUS = "/work/shared/corpus/dev/pdf"
CLT = [sys.executable, "-m", "clt"]


def run(cmd, shell=False, env=None):
    """(cpu seconds, wall seconds, peak MB) of one run of *cmd*, output to /dev/null."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=dict(os.environ, **env) if env else None)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit(f"bench: failed ({p.returncode}): {cmd}")
    return ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss / 1024.0


def median_of(cmd, runs, shell=False, env=None):
    rs = [run(cmd, shell, env) for _ in range(runs)]
    return (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs), max(r[2] for r in rs))


def big_pdf(path, pages):
    import pypdfium2 as pdfium

    files = sorted(glob.glob(os.path.join(CORPUS, "*.pdf")))
    dst = pdfium.PdfDocument.new()
    while len(dst) < pages:
        for f in files:
            src = pdfium.PdfDocument(f)
            take = min(len(src), pages - len(dst))
            dst.import_pages(src, list(range(take)))
            src.close()
            if len(dst) >= pages:
                break
    dst.save(path)
    dst.close()


def big_text(path, mb):
    files = sorted(f for f in glob.glob(os.path.join(CORPUS, "*.txt")) if not f.endswith(".ocr.txt"))
    size = 0
    with open(path, "wb") as out:
        while size < mb * 1e6:
            for f in files:
                with open(f, "rb") as fin:
                    data = fin.read()
                if not data.endswith(b"\n"):
                    data += b"\n"
                out.write(data)
                size += len(data)
                if size >= mb * 1e6:
                    break
    return size


def accelerated():
    """True when clt's optional compiled PDFium glyph reader is built (see setup.py)."""
    code = "import clt.extract.pdf_pdfium as m; print(m.ACCELERATOR)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "c"


#: issue 14's goals, which :func:`line` prints each measurement against
MAX_PEAK_MB = 100  # peak resident memory per process


def verdict(ok):
    return "meets" if ok else "SHORT"


def line(name, cpu, ref, amount, unit, peak, wall=None, max_ratio=None, min_rate=None):
    """One measurement; with *max_ratio* (to the reference) or *min_rate* (MB/s), the goal
    and whether it is met, and whether the peak memory is under :data:`MAX_PEAK_MB`."""
    ratio = f"{cpu / ref:8.2f}x" if ref else f"{'':9s}"
    rate = f"{amount / cpu:10.1f} {unit}" if cpu else ""
    w = f" wall {wall:6.2f}s" if wall is not None else ""
    goal = ""
    if max_ratio is not None and ref:
        goal = f"  goal <= {max_ratio:g}x: {verdict(cpu / ref <= max_ratio)}"
    elif min_rate is not None and cpu:
        goal = f"  goal >= {min_rate:g} {unit}: {verdict(amount / cpu >= min_rate)}"
    if goal:
        goal += f", peak < {MAX_PEAK_MB} MB: {verdict(peak < MAX_PEAK_MB)}"
    print(f"  {name:44s} {cpu:8.2f}s {ratio} {rate:>16s} {peak:7.0f} MB{w}{goal}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per command (median reported; default 5)")
    ap.add_argument("--pages", type=int, default=1000, help="pages of the synthetic bulletin (default 1000)")
    ap.add_argument("--mb", type=float, default=4.0, help="MB of the synthetic plain text (default 4)")
    ap.add_argument("--pdfminer-pages", type=int, default=60,
                    help="pages read with the pdfminer engine (slow; 0 to skip; default 60)")
    ap.add_argument("--only", help="comma-separated: extract,normalize,split,pipeline,jobs")
    args = ap.parse_args(argv)
    if not glob.glob(os.path.join(CORPUS, "*.pdf")):
        print(f"bench_stages: no dev corpus at {CORPUS}: skipped")
        return 0
    only = set(args.only.split(",")) if args.only else {"extract", "normalize", "split", "pipeline", "jobs"}
    have_pdftotext = shutil.which("pdftotext") is not None
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "bulletin.pdf")
        txt = os.path.join(tmp, "text.txt")
        big_pdf(pdf, args.pages)
        size = big_text(txt, args.mb)
        mb = size / 1e6
        print(f"inputs: {args.pages}-page bulletin (dev PDFs concatenated), {mb:.1f} MB of plain text "
              f"(dev .txt concatenated); median CPU time of {args.runs} runs")
        print(f"  {'command':44s} {'cpu':>9s} {'ratio':>9s} {'rate':>16s} {'peak':>10s}")
        ref_pdf = None
        if have_pdftotext:
            ref_pdf, wall, peak = median_of(["pdftotext", "-enc", "UTF-8", pdf, "/dev/null"], args.runs)
        if "extract" in only:
            print("extract (ratio to pdftotext)")
            if ref_pdf is not None:
                line("pdftotext", ref_pdf, ref_pdf, args.pages, "pages/s", peak)
            cmd = CLT + ["extract", "--ocr", "never", "--engine", "pdfium", pdf]
            if accelerated():
                cpu, wall, peak = median_of(cmd, args.runs)
                line("clt extract --engine pdfium (accelerator)", cpu, ref_pdf, args.pages, "pages/s", peak,
                     max_ratio=2)
            cpu, wall, peak = median_of(cmd, args.runs, env={"CLT_PDFIUM_ACCEL": "0"})
            line("clt extract --engine pdfium (pure Python)", cpu, ref_pdf, args.pages, "pages/s", peak,
                 max_ratio=3.5)
            if args.pdfminer_pages:
                n = min(args.pdfminer_pages, args.pages)
                ref_n = median_of(["pdftotext", "-l", str(n), pdf, "/dev/null"], args.runs)[0] \
                    if have_pdftotext else None
                cpu, wall, peak = median_of(CLT + ["extract", "--ocr", "never", "--engine", "pdfminer",
                                                   "--pages", f"1-{n}", pdf], max(1, min(args.runs, 3)))
                line(f"clt extract --engine pdfminer ({n} pages)", cpu, ref_n, n, "pages/s", peak,
                     max_ratio=3.5)
        refs = {}
        if only & {"normalize", "split"}:
            refs["cat"] = median_of(["cat", txt], args.runs)
            loop = ("import sys\nn=0\nwith open(sys.argv[1],'rb') as f:\n for l in f:\n"
                    "  n+=len(l.decode('utf-8').rstrip('\\n'))\n")
            refs["python line loop"] = median_of([sys.executable, "-c", loop, txt], args.runs)
        for stage in ("normalize", "split"):
            if stage not in only:
                continue
            print(f"{stage} (plain text in; ratio to the python line loop)")
            ref = refs["python line loop"][0]
            for name, (cpu, wall, peak) in refs.items():
                line(name, cpu, ref, mb, "MB/s", peak)
            cpu, wall, peak = median_of(CLT + [stage, txt], args.runs)
            line(f"clt {stage}", cpu, ref, mb, "MB/s", peak, min_rate=20)
            # what a run costs before its first line (imports, regexes compiled): part of every
            # rate above, the more so the smaller the input
            start, _, _ = median_of(CLT + [stage, os.devnull], args.runs)
            print(f"  {'  of which start-up (empty input)':44s} {start:8.2f}s"
                  f"{'':10s} {mb / max(cpu - start, 1e-9):9.1f} MB/s net of start-up")
        if "pipeline" in only:
            print("pipeline (ratio to pdftotext)")
            q = " ".join(CLT)
            cmd = f"{q} extract --ocr never --engine pdfium {pdf} | {q} normalize | {q} split"
            cpu, wall, peak = median_of(cmd, args.runs, shell=True)
            line("extract --engine pdfium | normalize | split", cpu, ref_pdf, args.pages, "pages/s", peak, wall,
                 max_ratio=3)
        if "jobs" in only:
            print("--jobs scaling (wall clock; the machine must be idle for this to mean anything)")
            files = sorted(glob.glob(os.path.join(CORPUS, "*.pdf")))
            cases = [("pdfminer", [pdf], f"{args.pages} pages"), ("pdfium", [pdf], f"{args.pages} pages"),
                     ("pdfminer", files, f"{len(files)} dev PDFs")]
            for engine, inputs, what in cases:
                walls = {}
                for j in (1, 2):
                    cpu, wall, peak = median_of(CLT + ["extract", "--ocr", "never", "--engine", engine,
                                                       "--jobs", str(j)] + inputs, args.runs)
                    walls[j] = wall
                    line(f"extract --engine {engine} --jobs {j} ({what})", cpu, None,
                         args.pages if inputs == [pdf] else len(files),
                         "pages/s" if inputs == [pdf] else "files/s", peak, wall)
                print(f"  --jobs 2 is {walls[1] / walls[2]:.2f}x faster than --jobs 1 (wall clock, {engine}, "
                      f"{what}); goal >= 1.7x: {verdict(walls[1] / walls[2] >= 1.7)}")
            # what two processes get on this machine at best: the same CPU-bound loop once, then
            # twice at the same time (two vCPUs are not always two whole cores)
            loop = "n=0\nfor i in range(20000000): n+=i*i\n"
            one = median_of([sys.executable, "-c", loop], args.runs)[1]
            two = median_of(f"{shlex.quote(sys.executable)} -c {shlex.quote(loop)} & "
                            f"{shlex.quote(sys.executable)} -c {shlex.quote(loop)}; wait", args.runs, shell=True)[1]
            print(f"  the machine's own ceiling: two CPU-bound processes run {2 * one / two:.2f}x "
                  f"as fast as one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
