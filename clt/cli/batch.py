"""`clt batch` — the whole pipeline over directories (see clt.batch)."""

import json
import sys

import click

from clt.cli import common
from clt.batch.runner import FORMAT_EXTENSIONS
from clt.extract import ENGINES, OCR_ENGINES, OCR_MODES

EPILOG = """\b
Examples:
  clt batch archive/ -o out/ --to jsonl,md
  clt batch archive/ -o out/ --quiet --summary /var/log/clt-batch.json   # cron
  clt batch archive/ -o out/ --dask tcp://scheduler:8786
  clt batch archive/ -o out/ --to sqlite        # + out/laws.db: clt search out/laws.db 个人信息

\b
Output tree and manifest:
  archive/2024/gb-07.pdf -> out/2024/gb-07.jsonl, out/2024/gb-07.md, ...
  Two sources with one stem in one directory keep their extension
  (gb-07.pdf.md, gb-07.txt.md).  Akoma Ntoso, and every converted format
  with --per-law, is one file per law: out/2024/gb-07/<title>.xml.
  --to sqlite fills one database (out/laws.db, or --db FILE) from the
  jsonl outputs, as each source is done: every law in a transaction of
  its own, documents.origin naming its source; a law in two sources is
  stored once (document_origins lists both) and pruning one keeps it; an
  unchanged source is not loaded again, a source cut short by a kill is
  loaded next run.
  out/.clt-batch.json records per source its SHA-256, the clt version and
  options, its outputs with their SHA-256, and its status: ok, or failed
  with the stage and a one-line reason.

\b
Summary (one JSON object, on stdout or in --summary FILE):
  ok (false when any source is failed), sources, converted, skipped
  (unchanged), failed (this run), failed_before (unchanged, not retried),
  failures [{source, path, stage, message, new, known}] (new: failed in this
  run; known: failed before the same way on the same content), new_failures,
  without_articles [source],
  reasons {why redone: count}, pages, elapsed, files_per_s, pages_per_s,
  hashed, ignored (not a source type), vanished/pruned, removed_outputs;
  with --to sqlite, database {path, sources_loaded, sources_unchanged,
  laws, laws_unchanged, removed, failed}.

\b
Dask cluster (SRC and OUT on a file system every worker sees at the same
paths; clt, the same version, installed on every worker):
  dask scheduler --port 8786                                # one machine
  dask worker tcp://HOST:8786 --nworkers 4 --nthreads 1     # each worker machine
  clt batch /shared/archive -o /shared/out --dask tcp://HOST:8786

\b
Exit status:
  0   every source converted (now or earlier); with --quiet (not --strict)
      also when the only failures are old ones, unchanged (known: true)
  1   some sources failed (listed on stderr and in the summary); with
      --quiet, some source failed for the first time or otherwise than before
  2   usage error
  75  another run holds the output directory (without --wait)
  130 interrupted (SIGINT), 143 terminated (SIGTERM); rerun to finish"""


#: --to names that ask for the SQLite database rather than a file per source
DATABASE_FORMATS = ("sqlite", "db", "sqlite3")


def _formats_callback(ctx, param, value):
    from clt.batch.runner import parse_formats
    from clt.errors import UsageError

    items = [f.strip().lower() for f in value.split(",")]
    database = any(f in DATABASE_FORMATS for f in items)
    items = [f for f in items if f not in DATABASE_FORMATS]
    if database and "jsonl" not in items:
        items.insert(0, "jsonl")  # the database is filled from the jsonl outputs
    try:
        return parse_formats(items) + (["sqlite"] if database else [])
    except UsageError as e:
        raise click.BadParameter(str(e)) from None


def _normalize_options(disable, opencc):
    """normalize() keyword arguments, checked now rather than once per file."""
    options = {}
    if disable:
        from clt.normalize import check_disabled

        options["disable"] = sorted(check_disabled(disable))
    if opencc:
        from clt.normalize import OPENCC_CONFIGS

        if opencc.removesuffix(".json") not in OPENCC_CONFIGS:
            raise click.BadParameter(f"unknown OpenCC conversion {opencc!r} (one of {', '.join(OPENCC_CONFIGS)})",
                                     param_hint="--opencc")
        options["convert"] = opencc
    return options


@click.command(name="batch", epilog=EPILOG)
@click.argument("srcs", nargs=-1, required=True, metavar="SRC...", type=click.Path(exists=False, readable=False))
@click.option("-o", "--output", "out", required=True, metavar="OUT", type=click.Path(),
              help="Output directory (created if needed); the source tree is mirrored under it.")
@click.option("-t", "--to", "formats", default="jsonl", show_default=True, metavar="FMT[,FMT...]",
              callback=_formats_callback,
              shell_complete=common.complete_choices(list(FORMAT_EXTENSIONS) + ["sqlite"]),
              help="Outputs per source: jsonl (the split records), md, txt, html, csv, tsv, json, akn, docx; "
                   "sqlite: every law in one database (OUT/laws.db, or --db), filled from the jsonl outputs.")
@click.option("--db", "db_path", metavar="FILE", type=click.Path(dir_okay=False),
              help="The database --to sqlite fills (default OUT/laws.db); created when missing, updated "
                   "when it exists.")
@click.option("--per-law", is_flag=True,
              help="Write each converted format one file per law, named after its title, in a directory "
                   "named after the source (akn always is: Akoma Ntoso holds one law per document).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: the number of cores; 1 works in this process). "
                   "With --dask local: the number of local Dask workers.")
@click.option("--dask", metavar="ADDRESS",
              help="Run the per-file tasks on the Dask scheduler at ADDRESS (tcp://host:8786), or "
                   "'local' for a LocalCluster on this machine.  SRC and OUT must be at the same "
                   "paths on every worker.")
@click.option("--force", is_flag=True, help="Redo every source, changed or not.")
@click.option("--retry-failed", is_flag=True,
              help="Retry sources that failed before although they have not changed.")
@click.option("--rehash", is_flag=True,
              help="Hash every source to see whether it changed, even when its size, times and inode "
                   "are those recorded.")
@click.option("--prune", is_flag=True,
              help="Forget sources no longer found under SRC and delete their outputs.")
@click.option("--wait", is_flag=True,
              help="When another run holds OUT, wait for it instead of exiting with status 75.")
@click.option("-q", "--quiet", is_flag=True,
              help="For cron: print only new failures and errors, no progress, no summary on stdout "
                   "unless --summary -; a source that fails again as it did before (unchanged, the "
                   "same error) is not reported again and does not fail the run (it stays in the "
                   "manifest and the summary).")
@click.option("--strict", is_flag=True,
              help="With --quiet: report every failure, old ones too, and exit 1 for any.")
@click.option("--summary", "summary_path", metavar="FILE", type=click.Path(allow_dash=True),
              help="Write the JSON summary to FILE (atomically) instead of stdout.")
@click.option("--engine", type=click.Choice(ENGINES), default="pdfminer", show_default=True,
              help="PDF engine (see clt extract).")
@click.option("--ocr", type=click.Choice(OCR_MODES), default="auto", show_default=True,
              help="OCR pages without a usable text layer (see clt extract).")
@click.option("--ocr-engine", type=click.Choice(OCR_ENGINES), default="auto", show_default=True,
              help="OCR engine (see clt extract): auto = rapidocr (PP-OCR) when clt[ocr] is installed, "
                   "else Tesseract.")
@click.option("--lang", default="chi_sim", show_default=True, metavar="LANG",
              help="OCR language(s), as Tesseract names them.")
@click.option("--disable", "-d", "disable", metavar="RULE", multiple=True, shell_complete=common.complete_rules,
              help="Switch off a normalize rule (repeatable; see clt normalize --list-rules).")
@click.option("--opencc", "--convert", "opencc", metavar="CONFIG", shell_complete=common.complete_opencc,
              help="Convert the script with this OpenCC configuration in normalize, e.g. t2s "
                   "(as clt normalize --opencc; --convert is another name).")
@click.option("-e", "--encoding", metavar="NAME",
              help="Decode text and HTML sources with this encoding instead of detecting it.")
@common.verbose_option
def command(srcs, out, formats, db_path, per_law, jobs, dask, force, retry_failed, rehash, prune, wait, quiet, strict,
            summary_path,
            engine, ocr, ocr_engine, lang, disable, opencc, encoding):
    """Convert whole archives, incrementally: extract, normalize, split (and convert) every file.

    Each SRC is a directory (walked recursively; PDF, text, DOCX and HTML files,
    hidden files skipped) or a file.  Every source goes through the same library
    stages as `clt extract | clt normalize | clt split | clt convert`, and its
    outputs are written under OUT mirroring the source tree.

    Only what changed is redone: a source whose content, clt version and options
    match the manifest and whose outputs are in place is skipped; --force redoes
    all.  A source that failed and has not changed is not retried unless
    --retry-failed.

    Safe for cron: every output is written to a temporary file and renamed; the
    manifest is replaced atomically; OUT/.clt-batch.lock keeps two runs apart (the
    second exits with status 75, or waits with --wait); a run killed at any
    moment, even with kill -9, is completed by the next run.  A file that fails
    does not stop the batch: it is reported on stderr, in the manifest and in
    the summary, and the exit status is 1.

    At the end a JSON summary (counts, failures, files/s, pages/s) goes to stdout
    or to --summary FILE.  On a terminal a progress bar (files, pages/s, time left)
    is shown on stderr, unless --quiet.
    """
    import os

    from clt.batch.progress import LineReporter, TtyReporter
    from clt.batch.runner import run_batch
    from clt.errors import UsageError

    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError("not a directory (OUT is the output directory)", source=out)
    if summary_path and summary_path != "-":  # found out now, not after the whole run
        where = os.path.dirname(os.path.abspath(summary_path))
        if os.path.isdir(summary_path):
            raise UsageError("is a directory (--summary names a file)", source=summary_path)
        if not os.path.isdir(where):
            raise UsageError(f"cannot write the summary: directory {where} does not exist",
                             source=summary_path)

    sqlite = None
    if "sqlite" in formats:
        from clt.batch.sqlite_sink import DEFAULT_NAME

        formats = [f for f in formats if f != "sqlite"]
        sqlite = db_path or os.path.join(out, DEFAULT_NAME)
    elif db_path:
        raise UsageError("--db names the database of --to sqlite", hint="add sqlite to --to")

    st = common.state()
    if quiet:
        reporter = LineReporter(quiet=True, verbose=st.verbose, strict=strict)
    elif sys.stderr.isatty():
        reporter = TtyReporter(verbose=st.verbose)
    else:
        reporter = LineReporter(verbose=st.verbose)

    # SIGTERM (cron's kill, timeout) stops the run as Ctrl-C does, between files, and exits 143
    previous = common.install_signal_handlers(force=True)
    try:
        summary = run_batch(list(srcs), out, formats=formats, per_law=per_law, jobs=jobs, dask=dask, force=force,
                            retry_failed=retry_failed, rehash=rehash, prune=prune, wait=wait,
                            extract_options={"engine": engine, "ocr": ocr, "lang": lang,
                                             **({"ocr_engine": ocr_engine} if ocr_engine != "auto" else {}),
                                             **({"encoding": encoding} if encoding else {})},
                            normalize_options=_normalize_options(disable, opencc), reporter=reporter,
                            sqlite=sqlite)
    finally:
        common.restore_signal_handlers(previous)
    from clt.batch.manifest import atomic_write_bytes, json_bytes

    data = json_bytes(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    if summary_path and summary_path != "-":
        try:
            atomic_write_bytes(summary_path, data, fsync=False)
        except OSError as e:
            from clt.errors import OutputError

            raise OutputError(f"cannot write the summary: {e.strerror or e}", source=summary_path) from None
    elif summary_path == "-" or not quiet:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if quiet and not strict:  # cron: only what is new fails the run
        return 1 if summary["new_failures"] else 0
    return 0 if summary["ok"] else 1
