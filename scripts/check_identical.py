#!/usr/bin/env python3
"""Check that two versions of clt write the same records, byte for byte.

Runs ``extract | normalize | split`` (PDF and other documents) or
``normalize | split`` (``.txt``: plain text in) over each input with two
*sides* and compares what every stage writes, byte for byte.  A side is

  * a git revision (``--rev main``): that commit, checked out once into a
    temporary worktree and run with ``PYTHONPATH`` pointing at it;
  * the working tree (``--rev WORK``, the default for the second side);
  * either of them with other extract options (``--a-opts``/``--b-opts``,
    e.g. ``--engine pdfium``), to compare two PDF engines.

Outputs of a revision side are cached under ``$TMPDIR/clt-check/<sha>`` (a
commit's output does not change), so re-checking against main costs only the
working tree's run.  When the sides differ only in their extract options, the
``source`` record's ``engine`` field may be left out of the comparison
(``--ignore-engine``): it names the engine, which is the point.

Prints one line per input and stage that differs (with the first differing
line of each side) and a summary; exits 1 when anything differs.

Usage:
  scripts/check-identical [--rev-a main] [--rev-b WORK] [FILE...]
  scripts/check-identical --rev-a WORK --a-opts "--engine pdfminer" --b-opts "--engine pdfium" --ignore-engine
Without FILE: every *.pdf and *.txt (not *.ocr.txt) of ../shared/corpus/dev/pdf.
"""

import argparse
import glob
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(os.path.dirname(ROOT)), "shared", "corpus", "dev", "pdf")
if not os.path.isdir(CORPUS):
    CORPUS = "/work/shared/corpus/dev/pdf"
WORK = "WORK"
# (-2: outputs cached before the sides ran from their own trees may be the working tree's)
CACHE = os.path.join(tempfile.gettempdir(), "clt-check-2")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout.strip()


class Side:
    def __init__(self, rev, opts):
        self.rev = rev
        self.opts = shlex.split(opts or "")
        if rev == WORK:
            self.tree, self.sha = ROOT, None
        else:
            self.sha = sh(["git", "-C", ROOT, "rev-parse", rev + "^{commit}"])
            self.tree = os.path.join(CACHE, "tree-" + self.sha)
            if not os.path.isdir(os.path.join(self.tree, "clt")):
                os.makedirs(CACHE, exist_ok=True)
                # a plain export of the commit (no worktree bookkeeping to clean up)
                os.makedirs(self.tree, exist_ok=True)
                archive = subprocess.run(["git", "-C", ROOT, "archive", self.sha, "clt"],
                                         check=True, capture_output=True).stdout
                subprocess.run(["tar", "-x", "-C", self.tree], input=archive, check=True)
        # PYTHONSAFEPATH: "python -m clt" would otherwise put the current directory (the
        # working tree, where scripts/ runs) before PYTHONPATH, and every side would run it
        self.env = dict(os.environ, PYTHONPATH=self.tree, NO_COLOR="1", PYTHONSAFEPATH="1")
        self.env.pop("CLT_ENGINE", None)
        where = subprocess.run([sys.executable, "-c", "import clt; print(clt.__file__)"], env=self.env,
                               capture_output=True, text=True, check=True).stdout.strip()
        if not os.path.abspath(where).startswith(os.path.join(os.path.abspath(self.tree), "")):
            raise SystemExit(f"check-identical: side {rev} would run {where}, not its tree {self.tree}")

    def label(self):
        return (self.rev if self.sha is None else f"{self.rev} ({self.sha[:9]})") + \
            (" " + " ".join(self.opts) if self.opts else "")

    def run_stage(self, args, stdin_path):
        with open(stdin_path, "rb") as fin:
            # run from the side's tree: ``python -m`` puts the working directory first on
            # sys.path, before PYTHONPATH — run from the checkout, a revision side would
            # silently run the working tree's clt (inputs are absolute paths)
            p = subprocess.run([sys.executable, "-m", "clt"] + args, stdin=fin, capture_output=True,
                               env=self.env, cwd=self.tree)
        return p.returncode, p.stdout, p.stderr

    def outputs(self, path):
        """{stage: bytes} written by each stage for *path* (cached for a revision)."""
        key = hashlib.sha256(("\0".join([path, str(os.path.getmtime(path))] + self.opts)).encode()).hexdigest()
        cache = None
        if self.sha is not None:
            cache = os.path.join(CACHE, self.sha, key)
            if os.path.isfile(cache + ".json"):
                with open(cache + ".json", encoding="utf-8") as f:
                    saved = json.load(f)
                return {k: bytes.fromhex(v) for k, v in saved.items()}
        out = {}
        with tempfile.TemporaryDirectory() as tmp:
            stages = [("normalize", ["normalize"]), ("split", ["split"])]
            if path.endswith(".txt"):
                cur = path
            else:
                rc, data, err = self.run_stage(["extract"] + self.opts + [path], os.devnull)
                out["extract"] = data + b"\0rc=%d\0" % rc + err
                cur = os.path.join(tmp, "extract.jsonl")
                with open(cur, "wb") as f:
                    f.write(data)
            for name, args in stages:
                rc, data, err = self.run_stage(args, cur)
                out[name] = data + b"\0rc=%d\0" % rc + err
                cur = os.path.join(tmp, name + ".jsonl")
                with open(cur, "wb") as f:
                    f.write(data)
        if cache:
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            with open(cache + ".json", "w", encoding="utf-8") as f:
                json.dump({k: v.hex() for k, v in out.items()}, f)
        return out


def drop_engine(data):
    """*data* with the ``engine`` field of ``source`` records removed (re-serialized the clt way)."""
    out = []
    for line in data.split(b"\n"):
        if line.startswith(b'{"type": "source"'):
            rec = json.loads(line)
            rec.pop("engine", None)
            line = json.dumps(rec, ensure_ascii=False, separators=(", ", ": ")).encode("utf-8")
        out.append(line)
    return b"\n".join(out)


def first_difference(a, b):
    la, lb = a.split(b"\n"), b.split(b"\n")
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return i + 1, x[:300], y[:300]
    n = min(len(la), len(lb))
    return n + 1, (la[n] if n < len(la) else b"<end>")[:300], (lb[n] if n < len(lb) else b"<end>")[:300]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--rev-a", default="main", help="first side: a git revision or WORK (default main)")
    ap.add_argument("--rev-b", default=WORK, help="second side (default WORK, the working tree)")
    ap.add_argument("--a-opts", default="", help="extract options of the first side, e.g. '--engine pdfium'")
    ap.add_argument("--b-opts", default="", help="extract options of the second side")
    ap.add_argument("--ignore-engine", action="store_true",
                    help="leave the source record's engine field out of the comparison")
    ap.add_argument("-q", "--quiet", action="store_true", help="only the summary and differences")
    args = ap.parse_args()
    files = args.files or sorted(f for f in glob.glob(os.path.join(CORPUS, "*.pdf"))
                                 + glob.glob(os.path.join(CORPUS, "*.txt")) if not f.endswith(".ocr.txt"))
    if not files:
        print("check-identical: no inputs (../shared/corpus/dev/pdf absent?)", file=sys.stderr)
        return 2
    a, b = Side(args.rev_a, args.a_opts), Side(args.rev_b, args.b_opts)
    print(f"A = {a.label()}\nB = {b.label()}")
    differ = same = 0
    for path in files:
        path = os.path.abspath(path)
        oa, ob = a.outputs(path), b.outputs(path)
        bad = []
        for stage in oa:
            x, y = oa[stage], ob.get(stage, b"")
            if args.ignore_engine:
                x, y = drop_engine(x), drop_engine(y)
            if x != y:
                bad.append(stage)
                n, lx, ly = first_difference(x, y)
                print(f"DIFFERS {os.path.basename(path)} {stage}: line {n}\n  A: {lx.decode('utf-8', 'replace')}"
                      f"\n  B: {ly.decode('utf-8', 'replace')}")
        if bad:
            differ += 1
        else:
            same += 1
            if not args.quiet:
                print(f"same    {os.path.basename(path)} ({', '.join(oa)}; "
                      f"{sum(len(v) for v in oa.values()) // 1024} KiB)")
    print(f"{same} identical, {differ} differ, of {len(files)} inputs")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
