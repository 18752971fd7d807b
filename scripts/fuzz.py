"""Fuzz clt: mutated PDFs through `clt extract` (both engines) and mutated
records through every stage's library function, bounded in time.

A failure is a traceback, exit status 3, a death by signal, a hang (over
--timeout), or output that is not strict JSON (NaN, a lone surrogate, not
UTF-8).  Each failure's input is saved in --out with what happened.

    scripts/fuzz --seconds 60                  # a short campaign, both kinds
    scripts/fuzz --kind pdf --seconds 3600     # the long run (an hour of PDFs)
    scripts/fuzz --kind records --count 10000  # 10,000 records per stage
"""

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
SEED_PDFS = ["extract/bulletin.pdf", "extract/twocol.pdf", "extract/unmapped.pdf", "extract/garbled.pdf",
             "extract/outlines.pdf", "fuzz/pdfium-non-bmp-character.pdf", "fuzz/extract-jobs-hang.pdf"]
SEED_TEXT = "split/bulletin.txt"


def strict_json_lines(data):
    """None when *data* (bytes) is strict JSON Lines in UTF-8, else what is wrong."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"not UTF-8: {e}"
    # JSON Lines are separated by "\n" alone: U+2028, U+2029, U+0085 (what str.splitlines()
    # also breaks at) are valid inside a JSON string, and json.dumps writes them as they are
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            json.loads(line, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        except ValueError as e:
            return f"line {n}: not strict JSON: {e}"
    return None


# --------------------------------------------------------------------------- PDFs

def mutate_pdf(data, rnd):
    data = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        op = rnd.randrange(7)
        i = rnd.randrange(len(data)) if data else 0
        if op == 0:  # flip bytes
            for _ in range(rnd.randint(1, 16)):
                j = rnd.randrange(len(data))
                data[j] = rnd.randrange(256)
        elif op == 1:  # truncate
            data = data[: rnd.randrange(len(data) // 2, len(data))]
        elif op == 2:  # duplicate a chunk
            j = rnd.randrange(i, min(len(data), i + 4096) + 1)
            data[i:i] = data[i:j] * rnd.randint(1, 8)
        elif op == 3:  # a number made huge or negative
            data[i:i] = rnd.choice([b" 99999999999 ", b" -1 ", b" 0 ", b" 4294967296 "])
        elif op == 4:  # a reference to itself, or a cycle
            data[i:i] = rnd.choice([b" 1 0 R ", b" 3 0 R ", b"/Prev 0 ", b"/Length 999999 "])
        elif op == 5:  # a nasty token
            data[i:i] = rnd.choice([b"<<", b">>", b"[" * 200, b"(", b"stream\n", b"endobj", b"/Filter /FlateDecode"])
        else:  # delete a chunk
            del data[i:i + rnd.randint(1, 256)]
    return bytes(data)


def run_extract(path, engine, timeout, clt):
    t = time.monotonic()
    try:
        p = subprocess.run([clt, "extract", "--engine", engine, "--ocr", "never", path],
                           capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"hang (over {timeout} s)"
    took = time.monotonic() - t
    err = p.stderr.decode("utf-8", "replace")
    if "Traceback" in err:
        return "traceback: " + err.strip().splitlines()[-1][:200]
    if p.returncode == 3:
        return "exit 3: " + err.strip()[-200:]
    if p.returncode < 0 or p.returncode > 128:
        return f"killed by signal / status {p.returncode}"
    if p.returncode not in (0, 1):
        return f"exit {p.returncode}: {err.strip()[-200:]}"
    if p.returncode == 1 and err.count("\n") < 1:
        return "exit 1 without a message"
    bad = strict_json_lines(p.stdout)
    if bad:
        return bad
    if took > timeout:
        return f"slow: {took:.1f} s"
    return None


def fuzz_pdfs(rnd, deadline, count, timeout, out, engines, clt):
    seeds = [open(os.path.join(FIXTURES, s), "rb").read() for s in SEED_PDFS
             if os.path.exists(os.path.join(FIXTURES, s))]
    n = fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < deadline and (count is None or n < count):
            data = mutate_pdf(rnd.choice(seeds), rnd)
            path = os.path.join(tmp, "m.pdf")
            with open(path, "wb") as f:
                f.write(data)
            for engine in engines:
                why = run_extract(path, engine, timeout, clt)
                if why:
                    fails += 1
                    save(out, f"pdf-{engine}-{n}.pdf", data, why)
            n += 1
    return n, fails


# --------------------------------------------------------------------------- records

VALUES = [None, True, False, 0, -1, 2 ** 63, 1.5, float("nan"), float("inf"), "", "x", "第一条　甲。", "\ud800",
          "\udcb7", [], [[]], [1, 2], ["a"], {}, {"a": 1}, [[1, 2]], "\x0b", "\u3000", "(cid:3)"]
FIELDS = ["type", "text", "page", "line", "lines", "bbox", "size", "bold", "label", "num", "sub", "path",
          "title", "caption", "history", "notice", "items", "paragraphs", "edits", "old", "new", "source",
          "level", "kind", "spans", "cells", "column_box", "entries", "effective", "op"]


def seed_records():
    from clt.normalize import normalize
    from clt.records import read_records
    from clt.split import split

    lines = list(read_records(os.path.join(FIXTURES, SEED_TEXT)))
    paras = list(normalize(iter(lines)))
    units = list(split(iter(paras), level="item"))
    return lines + paras + units


def _value(rnd, depth=0):
    v = rnd.choice(VALUES)
    if depth < 3 and rnd.random() < 0.2:
        v = [_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))]
    if rnd.random() < 0.02:
        v = []
        for _ in range(200):  # deeper than clt reads
            v = [v]
    return v


def mutate_record(rec, rnd):
    import copy

    rec = copy.deepcopy(rec)
    for _ in range(rnd.randint(1, 3)):
        op = rnd.randrange(4)
        if op == 0 or not rec:
            rec[rnd.choice(FIELDS)] = _value(rnd)
        elif op == 1:
            rec.pop(rnd.choice(list(rec)), None)
        elif op == 2:
            rec["type"] = rnd.choice(["line", "para", "page", "source", "document", "heading", "article",
                                      "block", "paragraph", "item", "removed", "change", "warning", "x"])
        else:
            k = rnd.choice(list(rec))
            rec[k] = _value(rnd)
    return rec


STAGES = ["normalize", "split", "convert-md", "convert-akn", "convert-docx", "convert-csv", "diff"]


def run_stage(stage, data):
    """Run *stage* over JSON Lines *data* (bytes) as the CLI does, in-process;
    None when it ended in records or a clt error, else what went wrong."""
    from clt.errors import CltError
    from clt.records import dumps, read_records

    def recs():
        return read_records(io.BytesIO(data))

    try:
        if stage == "normalize":
            from clt.normalize import normalize
            out = (dumps(r) for r in normalize(recs()))
        elif stage == "split":
            from clt.split import split
            out = (dumps(r) for r in split(recs(), level="item"))
        elif stage == "diff":
            from clt.diff import diff
            out = (dumps(r) for r in diff(recs(), read_records(io.BytesIO(data)), force=True))
        else:
            from clt.convert import convert
            out = convert(recs(), stage.split("-")[1])
        for chunk in out:
            if isinstance(chunk, str):
                chunk.encode("utf-8")
                if stage in ("normalize", "split", "diff"):
                    bad = strict_json_lines(chunk.encode("utf-8"))
                    if bad:
                        return bad
    except CltError:
        return None
    except RecursionError:
        return "RecursionError"
    except Exception as e:  # noqa: BLE001 - that is what we look for
        return f"{type(e).__name__}: {e}"[:300]
    return None


def fuzz_records(rnd, deadline, count, out, stages=STAGES):
    seeds = seed_records()
    n = fails = 0
    while time.monotonic() < deadline and (count is None or n < count):
        recs = [rnd.choice(seeds) for _ in range(rnd.randint(1, 6))]
        recs = [mutate_record(r, rnd) if rnd.random() < 0.6 else r for r in recs]
        try:
            data = "".join(json.dumps(r, ensure_ascii=rnd.random() < 0.5) + "\n" for r in recs)
            data = data.encode("utf-8", "surrogatepass")
        except (ValueError, RecursionError):
            continue
        for stage in stages:
            why = run_stage(stage, data)
            if why:
                fails += 1
                save(out, f"records-{stage}-{n}.jsonl", data, why)
        n += 1
    return n, fails


def save(out, name, data, why):
    print(f"FAIL {name}: {why}", flush=True)
    if out:
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        with open(os.path.join(out, name + ".txt"), "w") as f:
            f.write(why + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", choices=["pdf", "records", "all"], default="all")
    ap.add_argument("--seconds", type=float, default=60, help="time budget per kind")
    ap.add_argument("--count", type=int, help="stop after this many inputs per kind")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=30, help="a PDF run longer than this is a hang")
    ap.add_argument("--engine", choices=["pdfminer", "pdfium", "both"], default="both")
    ap.add_argument("--out", default="fuzz-out", help="where failing inputs are saved")
    a = ap.parse_args(argv)
    seed = a.seed if a.seed is not None else random.randrange(2 ** 32)
    rnd = random.Random(seed)
    print(f"seed {seed}", flush=True)
    clt = os.path.join(os.path.dirname(sys.executable), "clt")
    total = 0
    if a.kind in ("records", "all"):
        n, f = fuzz_records(rnd, time.monotonic() + a.seconds, a.count, a.out)
        print(f"records: {n} inputs x {len(STAGES)} stages, {f} failures", flush=True)
        total += f
    if a.kind in ("pdf", "all"):
        engines = ["pdfminer", "pdfium"] if a.engine == "both" else [a.engine]
        n, f = fuzz_pdfs(rnd, time.monotonic() + a.seconds, a.count, a.timeout, a.out, engines, clt)
        print(f"pdf: {n} mutants x {len(engines)} engines, {f} failures", flush=True)
        total += f
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
