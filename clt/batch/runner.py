"""``clt batch``: the whole pipeline over directories, incrementally and safely.

:func:`run_batch` finds the sources under SRC (PDF, text, DOCX, HTML; hidden
files and directories skipped, symlinked directories not followed), decides
from the manifest (:mod:`clt.batch.manifest`) which need work, hands those
to an executor (this process, local worker processes, or Dask) as
:func:`clt.batch.task.process_source` tasks, and records each result in the
manifest as it arrives.

The records name each source by its key, its path relative to its SRC
root (``a/b/law.pdf``), so the outputs do not depend on where the archive is
mounted or on the directory batch was started from.

Output tree: a source ``SRC/a/b/law.pdf`` gives ``OUT/a/b/law.jsonl``,
``OUT/a/b/law.md``... (a file named on the command line goes to the top of
OUT).  When two sources in one directory share a stem (``law.pdf`` and
``law.txt``) both keep their extension: ``law.pdf.md``, ``law.txt.md``.

A source's SHA-256 is taken again only when its size, modification and
change times or inode differ from those recorded (or with ``rehash``); a
file modified in the last two seconds is always hashed again next time.

When is a source redone?  When it is new, its content (SHA-256) changed, the
clt version or the pipeline options changed, an output it should have is
missing or has another size, its previous run was interrupted, or with
``force``.  A format added to ``formats`` is converted from the existing
JSON Lines output when there is one, without running the pipeline again; a
format dropped from ``formats`` has its outputs removed.  A source that
failed and has not changed is not retried (it would fail the same way)
unless ``retry_failed`` -- or unless its worker died, which may be passing
(then its earlier outputs, if any, are kept and its entry stays ``pending``).

Safety: the run holds ``OUT/.clt-batch.lock`` (see :mod:`clt.batch.lock`).
Entries about to be redone are first marked ``pending`` in the manifest, so
a run killed at any point leaves a manifest that a rerun can trust: what it
says is ``ok`` is complete, everything else is redone.  Temporary files a
killed run left behind (``*.clt-part``) are removed at the start of the
next.  Outputs are only ever replaced by rename.

Memory: the manifest and the list of sources are held (small per source);
the records of a source stream through its task.
"""

import json
import os
import shutil
import time

from clt import SCHEMA_VERSION, __version__
from clt.batch.lock import BatchLock
from clt.batch.manifest import TEMP_SUFFIX, Manifest
from clt.batch.task import hash_source, source_stat
from clt.errors import InputError, UsageError

#: source file extensions batch picks up when walking directories
SOURCE_EXTENSIONS = {".pdf": "pdf", ".txt": "text", ".text": "text", ".docx": "docx",
                     ".doc": "doc", ".wps": "doc", ".html": "html", ".htm": "html", ".xhtml": "html"}

#: output formats and the file extension each is written with
FORMAT_EXTENSIONS = {"jsonl": ".jsonl", "md": ".md", "txt": ".txt", "html": ".html", "csv": ".csv",
                     "tsv": ".tsv", "json": ".json", "akn": ".akn.xml", "docx": ".docx"}
#: formats that hold one law per file: always written one file per law (see output_paths)
PER_LAW_ALWAYS = {"akn"}
#: other names accepted for a format (those of clt convert, but jsonl stays the split records)
FORMAT_ALIASES = {"markdown": "md", "text": "txt", "htm": "html", "xml": "akn", "word": "docx"}

SAVE_INTERVAL = 1.0  # seconds between manifest saves while results arrive


class Source:
    __slots__ = ("key", "path", "abspath")

    def __init__(self, key, path):
        self.key = key
        self.path = path
        self.abspath = os.path.abspath(path)


def parse_formats(text_or_list):
    """['jsonl', 'md'] from 'jsonl,md' (or a list); UsageError for an unknown format."""
    items = text_or_list.split(",") if isinstance(text_or_list, str) else list(text_or_list)
    formats = []
    for f in items:
        f = f.strip().lower()
        f = FORMAT_ALIASES.get(f, f)
        if not f:
            continue
        if f not in FORMAT_EXTENSIONS:
            raise UsageError(f"unknown output format {f!r}",
                             hint="choose from " + ", ".join(FORMAT_EXTENSIONS))
        if f not in formats:
            formats.append(f)
    if not formats:
        raise UsageError("no output format given")
    return formats


def discover(srcs, out_dir=None):
    """(sources sorted by key, number of files ignored) under the SRC paths.

    A directory is walked (its relative paths become the keys); a file named
    directly is taken whatever its extension, keyed by its base name.  The
    output directory is never walked into.  Two sources with one key is a
    usage error.
    """
    out_real = os.path.realpath(out_dir) if out_dir else None
    found = {}
    ignored = 0

    def add(key, path):
        if key in found and os.path.realpath(found[key].path) != os.path.realpath(path):
            raise UsageError(f"{found[key].path} and {path} would both be written as {key} in the output")
        found.setdefault(key, Source(key, path))

    for src in srcs:
        src = os.fspath(src)
        if out_real and os.path.isdir(src) and os.path.realpath(src) == out_real:
            raise UsageError(f"{src} is the output directory too", hint="write the outputs elsewhere with -o")
        if os.path.isdir(src):
            for dirpath, dirnames, filenames in os.walk(src):
                keep = []
                for d in sorted(dirnames):
                    if d.startswith("."):
                        continue
                    if out_real and os.path.realpath(os.path.join(dirpath, d)) == out_real:
                        continue
                    keep.append(d)
                dirnames[:] = keep
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    path = os.path.join(dirpath, name)
                    if os.path.splitext(name)[1].lower() not in SOURCE_EXTENSIONS or not os.path.isfile(path):
                        ignored += 1
                        continue
                    key = os.path.relpath(path, src).replace(os.sep, "/")
                    add(key, path)
        elif os.path.isfile(src):
            add(os.path.basename(src), src)
        elif os.path.exists(src):
            raise InputError("not a regular file or directory", source=src)
        else:
            raise InputError("no such file or directory", source=src)
    return [found[k] for k in sorted(found)], ignored


def output_paths(keys, formats, per_law=()):
    """{key: {format: output path relative to OUT}} (see the module docstring).

    A format in *per_law* (and always Akoma Ntoso, which holds one law per
    document) is written one file per law, named after the law's title, into
    a directory named after the source; its path ends with ``/``.
    """
    per_law = set(per_law) | PER_LAW_ALWAYS
    stems = {}
    dirs = set()
    for key in keys:
        d, name = key.rpartition("/")[0], key.rpartition("/")[2]
        stems.setdefault((d, os.path.splitext(name)[0]), []).append(key)
        parts = key.split("/")[:-1]
        dirs.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    result = {}
    for (d, stem), group in stems.items():
        for key in group:
            name = key.rpartition("/")[2]
            base = stem if len(group) == 1 else name
            prefix = f"{d}/{base}" if d else base
            law_dir = prefix if prefix not in dirs else (f"{d}/{name}" if d else name)
            result[key] = {f: (law_dir + "/" if f in per_law and f != "jsonl" else prefix + FORMAT_EXTENSIONS[f])
                           for f in formats}
    return result


def output_files(out):
    """The files ({path, sha256, size}) of one manifest output (a file or a per-law directory)."""
    if "files" in out:
        return out.get("files") or []
    return [out]


def clean_temporaries(out_dir):
    """Remove the ``*.clt-part`` files and directories a killed run left in *out_dir*; their count."""
    n = 0
    for dirpath, dirnames, filenames in os.walk(out_dir):
        for name in list(dirnames):
            if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                shutil.rmtree(os.path.join(dirpath, name), ignore_errors=True)
                dirnames.remove(name)
                n += 1
        for name in filenames:
            if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                try:
                    os.unlink(os.path.join(dirpath, name))
                    n += 1
                except FileNotFoundError:
                    pass
    return n


class _Outputs:
    """Which output paths the manifest's entries own (so none is removed while owned)."""

    def __init__(self, manifest):
        self.owners = {}
        for key, entry in manifest.sources.items():
            self.add(key, entry)

    @staticmethod
    def paths(entry):
        return [f.get("path") for o in (entry.get("outputs") or {}).values() for f in output_files(o)]

    def add(self, key, entry):
        for p in self.paths(entry):
            self.owners.setdefault(p, set()).add(key)

    def discard(self, key, entry):
        for p in self.paths(entry):
            s = self.owners.get(p)
            if s:
                s.discard(key)
                if not s:
                    del self.owners[p]

    def owned(self, path):
        return bool(self.owners.get(path))


def _output_ok(out_dir, out):
    try:
        files = output_files(out)
        return bool(files) and all(os.path.getsize(os.path.join(out_dir, f["path"])) == f.get("size")
                                   for f in files)
    except (OSError, TypeError, KeyError, AttributeError):
        return False


class _Plan:
    __slots__ = ("source", "sha256", "size", "stat", "reason", "task", "trim", "skip_status")


def run_batch(srcs, out_dir, *, formats=("jsonl",), per_law=False, jobs=None, dask=None, force=False,
              retry_failed=False, prune=False, rehash=False, wait=False, wait_timeout=None, extract_options=None,
              normalize_options=None, split_options=None, reporter=None, sqlite=None):
    """Convert every source under *srcs* into *out_dir*; the summary (a dict).

    *formats*: output formats (``jsonl`` = the split records); *per_law*:
    write every converted format one file per law (Akoma Ntoso always is).
    *jobs*: local worker processes (default: the cores; 1 runs in this process).  *dask*:
    a scheduler address or ``"local"`` (then *jobs* is the LocalCluster's
    worker count).  *extract_options*/*normalize_options*/*split_options*:
    keyword arguments for the stages (they are recorded in the manifest; a
    change redoes every source).  *reporter*: a :class:`clt.batch.progress.Reporter`.
    *rehash*: hash every source, even those whose size, times and inode are
    those recorded (by default such a source is taken to be unchanged).
    *sqlite*: a database file to fill with every source's laws as they are
    done (:mod:`clt.batch.sqlite_sink`; needs ``jsonl`` in *formats*).
    Raises :class:`clt.batch.lock.LockedError` when another run holds OUT.
    """
    from clt.batch.executors import ProcessExecutor, default_jobs, run_inline
    from clt.batch.progress import Reporter

    reporter = reporter or Reporter()
    formats = parse_formats(formats)
    jobs = default_jobs() if not jobs else max(1, int(jobs))
    options = {"extract": dict(extract_options or {}), "normalize": dict(normalize_options or {}),
               "split": dict(split_options or {})}
    # as the manifest will hold them (tuples become lists), so that they compare equal next time
    options = json.loads(json.dumps(options))
    if not srcs:
        raise UsageError("no SRC given")
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise UsageError(f"{out_dir} exists and is not a directory")
    sources, ignored = discover(srcs, out_dir)
    os.makedirs(out_dir, exist_ok=True)
    out_abs = os.path.abspath(out_dir)
    t0 = time.monotonic()

    with BatchLock(out_dir, wait=wait, timeout=wait_timeout, on_wait=reporter.waiting):
        cleaned = clean_temporaries(out_dir)
        manifest = Manifest.load(out_dir)
        if manifest.problem:
            reporter.warn(f"{manifest.path}: {manifest.problem}")
        owners = _Outputs(manifest)
        sink = _open_sink(sqlite, out_dir, formats)
        wanted = output_paths([s.key for s in sources], formats, formats if per_law else ())
        summary = {"ok": True, "out": out_dir, "clt_version": __version__, "schema": SCHEMA_VERSION,
                   "formats": formats, "per_law": bool(per_law), "executor": None, "jobs": jobs,
                   "sources": len(sources), "converted": 0, "skipped": 0, "failed": 0,
                   "failed_before": 0, "hashed": 0, "trimmed": 0, "ignored": ignored, "vanished": 0, "pruned": 0,
                   "removed_outputs": 0, "temporaries_cleaned": cleaned, "pages": 0, "reasons": {},
                   "failures": [], "without_articles": []}

        def remove_outputs(entry, keep=()):
            """Delete *entry*'s output files except *keep* paths and those another entry owns."""
            for out in (entry.get("outputs") or {}).values():
                for f in output_files(out):
                    p = f.get("path")
                    if not p or p in keep or owners.owned(p):
                        continue
                    try:
                        os.unlink(os.path.join(out_dir, p))
                        summary["removed_outputs"] += 1
                    except FileNotFoundError:
                        pass
                    except OSError as e:
                        reporter.warn(f"cannot remove {p}: {e.strerror or e}")
                if out.get("path", "").endswith("/"):  # a per-law directory left empty
                    try:
                        os.rmdir(os.path.join(out_dir, out["path"]))
                    except OSError:
                        pass

        def replace_entry(key, entry):
            old = manifest.get(key)
            if old is not None:
                owners.discard(key, old)
            manifest.set(key, entry)
            owners.add(key, entry)
            if old is not None:
                remove_outputs(old, set(_Outputs.paths(entry)))

        # ---------------------------------------------------------------- plan
        plans = []
        for src in sources:
            p = _Plan()
            p.source, p.task, p.trim, p.skip_status = src, None, None, None
            entry = manifest.get(src.key)
            try:
                cur = source_stat(os.stat(src.path))
                if not rehash and entry and entry.get("sha256") and entry.get("stat") == cur:
                    p.sha256, p.size, p.stat = entry["sha256"], entry.get("size"), cur
                else:
                    p.sha256, p.size, p.stat = hash_source(src.path)
                    summary["hashed"] += 1
            except OSError as e:
                p.sha256 = p.size = p.stat = None
                p.reason = "unreadable"
                p.skip_status = ("failed", {"stage": "read", "kind": "input",
                                            "message": e.strerror or str(e)})
                plans.append(p)
                continue
            want = wanted[src.key]
            failed_formats = set(((entry or {}).get("error") or {}).get("formats") or ())
            if entry and entry.get("status") == "failed" and failed_formats and not failed_formats & set(formats):
                # only formats no longer asked for had failed: what is asked for is in order
                entry = {k: v for k, v in entry.items() if k != "error"}
                entry["status"] = "ok"
                manifest.set(src.key, entry)
            p.reason = _reason(entry, p, options, want, formats, out_dir, force, retry_failed)
            if p.reason is None:
                p.skip_status = ("failed_before" if entry.get("status") == "failed" else "skipped", None)
                extra = set(entry.get("outputs") or {}) - set(formats)
                if extra:
                    p.trim = extra
            elif p.reason == "formats added":
                missing = [f for f in formats
                           if not (entry["outputs"].get(f, {}).get("path") == want[f]
                                   and _output_ok(out_dir, entry["outputs"][f]))]
                p.task = _task(src, out_abs, {f: want[f] for f in missing}, options,
                               from_jsonl=entry["outputs"]["jsonl"])
            else:
                p.task = _task(src, out_abs, want, options)
            plans.append(p)

        todo = [p for p in plans if p.task is not None]
        # what failed before this run, and how: a failure that comes back the same (same content,
        # same stage and message) is "known" -- reported already (see the summary's failures)
        prior = {p.source.key: e for p in plans
                 if (e := manifest.get(p.source.key)) and e.get("error") and e.get("status") in ("failed", "pending")}
        # mark what is about to be redone, so a killed run leaves no lie in the manifest
        if todo:
            for p in todo:
                entry = manifest.get(p.source.key)
                if entry is not None and entry.get("status") != "pending":
                    manifest.set(p.source.key, dict(entry, status="pending"))
            manifest.save()

        reporter.start(total=len(sources), todo=len(todo), out=out_dir)
        present = {s.key for s in sources}

        # ------------------------------------------------------- the cheap ones
        for p in plans:
            key = p.source.key
            if p.skip_status and p.skip_status[0] == "failed":
                entry = _entry(p, options, formats, status="failed", error=p.skip_status[1])
                known = _same_failure(manifest.get(key), entry)
                replace_entry(key, entry)
                _count_failure(summary, key, p.source.path, entry["error"], new=True, known=known)
                reporter.result(key, entry, None, known=known)
            elif p.skip_status:
                entry = manifest.get(key)
                if entry.get("stat") != p.stat:  # touched, not changed: remember the new stat
                    entry = dict(entry, stat=p.stat)
                    replace_entry(key, entry)
                if p.trim:
                    entry = dict(entry, outputs={f: o for f, o in entry["outputs"].items() if f in formats})
                    replace_entry(key, entry)
                    summary["trimmed"] += 1
                if p.skip_status[0] == "failed_before":
                    summary["failed_before"] += 1
                    _count_failure(summary, key, p.source.path, entry.get("error") or {}, new=False, known=True)
                else:
                    summary["skipped"] += 1
                    if sink:
                        sink.sync(key, entry, reporter.warn)
            if p.task is not None:
                summary["reasons"][p.reason] = summary["reasons"].get(p.reason, 0) + 1

        # ------------------------------------------------------------- execute
        if dask:
            from clt.batch.dask_executor import DaskExecutor

            executor = DaskExecutor(dask, jobs)
        elif jobs > 1 and len(todo) > 1:
            executor = ProcessExecutor(min(jobs, len(todo)))
        else:
            executor = run_inline
        summary["executor"] = "dask" if dask else "process" if executor is not run_inline else "inline"
        by_key = {p.source.key: p for p in todo}
        last_save = 0.0  # the first result is saved at once, then at most every SAVE_INTERVAL
        interval = SAVE_INTERVAL
        # biggest first: with several workers the long ones do not end up last, alone
        order = sorted(todo, key=lambda p: -(p.size or 0)) if executor is not run_inline else todo
        results = (executor(p.task for p in order) if dask
                   else executor((p.task for p in order), on_page=reporter.page))
        try:
            for res in results:
                p = by_key[res["key"]]
                old = manifest.get(p.source.key) or {}
                outputs = dict(res["outputs"])
                stats = res["stats"]
                if p.task.get("from_jsonl"):
                    outputs = {f: o for f, o in (old.get("outputs") or {}).items() if f in formats}
                    outputs.update(res["outputs"])
                    stats = old.get("stats") or stats
                if res["ok"]:
                    entry = _entry(p, options, formats, status="ok", outputs=outputs, stats=stats,
                                   sha256=res["sha256"], size=res["size"], stat=res.get("stat"))
                    summary["converted"] += 1
                    summary["pages"] += res["stats"].get("pages", 0)
                    if not stats.get("articles"):
                        summary["without_articles"].append(p.source.key)
                        reporter.warn(f"{p.source.path}: no article found (not a law, or a scan that "
                                      "could not be read?)")
                elif res["error"].get("kind") == "crash" and old.get("outputs"):
                    # the worker died, not necessarily through the source's fault (memory, a
                    # misconfigured cluster): its earlier outputs stay, and the entry stays
                    # pending so that the next run tries again
                    entry = dict(old, status="pending", error=_entry(p, options, formats, status="failed",
                                                                     error=res["error"])["error"])
                    _count_failure(summary, p.source.key, p.source.path, res["error"], new=True)
                elif res["outputs"]:
                    # some formats failed to convert; the outputs that did are kept and listed
                    entry = _entry(p, options, formats, status="failed", error=res["error"], outputs=outputs,
                                   stats=stats, sha256=res["sha256"], size=res["size"], stat=res.get("stat"))
                    summary["pages"] += res["stats"].get("pages", 0)
                    _count_failure(summary, p.source.key, p.source.path, res["error"], new=True)
                else:
                    entry = _entry(p, options, formats, status="failed", error=res["error"],
                                   sha256=res.get("sha256") or p.sha256, size=res.get("size") or p.size,
                                   stat=res.get("stat") if res.get("sha256") else p.stat)
                    _count_failure(summary, p.source.key, p.source.path, res["error"], new=True)
                if entry.get("error"):
                    summary["failures"][-1]["known"] = _same_failure(prior.get(p.source.key), entry)
                replace_entry(p.source.key, entry)
                if sink and entry.get("status") == "ok":
                    sink.sync(p.source.key, entry, reporter.warn)
                reporter.result(p.source.key, entry, res, known=bool(entry.get("error"))
                                and summary["failures"][-1]["known"])
                if time.monotonic() - last_save >= interval:
                    t_save = time.monotonic()
                    manifest.save()
                    last_save = time.monotonic()
                    # a huge manifest is saved less often: at most ~5% of the time goes to it
                    interval = max(SAVE_INTERVAL, 20 * (last_save - t_save))

            # ------------------------------------------------- vanished sources
            for key in sorted(set(manifest.keys()) - present):
                if prune:
                    entry = manifest.pop(key)
                    owners.discard(key, entry)
                    remove_outputs(entry)
                    if sink:
                        sink.remove(key)
                    summary["pruned"] += 1
                else:
                    summary["vanished"] += 1
        finally:
            close = getattr(results, "close", None)
            if close:
                close()
            manifest.save()
            if sink:
                summary["database"] = sink.summary()
                sink.close()

    elapsed = time.monotonic() - t0
    summary["elapsed"] = round(elapsed, 3)
    summary["files_per_s"] = round(summary["converted"] / elapsed, 3) if elapsed > 0 else None
    summary["pages_per_s"] = round(summary["pages"] / elapsed, 3) if elapsed > 0 else None
    summary["ok"] = not summary["failures"]
    summary["new_failures"] = sum(1 for f in summary["failures"] if not f.get("known"))
    reporter.finish(summary)
    return summary


def _open_sink(path, out_dir, formats):
    """The SQLite sink for *path* (None without one), opened: a bad database stops the run now."""
    if not path:
        return None
    if "jsonl" not in formats:
        raise UsageError("the database is filled from the jsonl outputs", hint="add jsonl to --to")
    from clt.batch.sqlite_sink import SqliteSink

    sink = SqliteSink(path, out_dir)
    sink.open()
    return sink


def _reason(entry, p, options, want, formats, out_dir, force, retry_failed):
    """Why the source must be (re)done, or None to skip it."""
    if force:
        return "forced"
    if entry is None:
        return "new"
    if entry.get("status") == "pending":
        return "interrupted"
    if entry.get("sha256") != p.sha256:
        return "changed"
    if entry.get("clt_version") != __version__:
        return "clt version"
    if entry.get("options") != options:
        return "options"
    if entry.get("status") == "failed":
        kind = (entry.get("error") or {}).get("kind")
        return "retry" if retry_failed or kind == "crash" else None
    if entry.get("status") != "ok":
        return "unknown state"
    outputs = entry.get("outputs") or {}
    missing = [f for f in formats
               if not (outputs.get(f, {}).get("path") == want[f] and _output_ok(out_dir, outputs[f]))]
    if not missing:
        return None
    jsonl = outputs.get("jsonl")
    if "jsonl" not in missing and jsonl and jsonl.get("path") == want.get("jsonl", jsonl.get("path")) \
            and _output_ok(out_dir, jsonl):
        return "formats added"
    return "outputs missing"


def _task(src, out_abs, outputs, options, from_jsonl=None):
    task = {"key": src.key, "name": src.key, "path": src.abspath, "out_dir": out_abs, "outputs": outputs,
            "options": options, "clt_version": __version__}
    if from_jsonl:
        task["from_jsonl"] = from_jsonl["path"]
        task["from_sha256"] = from_jsonl.get("sha256")
    return task


def _entry(p, options, formats, *, status, outputs=None, stats=None, error=None, sha256=None, size=None,
           stat=False):
    entry = {"source": p.source.path, "sha256": sha256 or p.sha256, "size": size if size is not None else p.size,
             "stat": p.stat if stat is False else stat,
             "clt_version": __version__, "options": options, "status": status,
             "outputs": outputs or {}}
    if stats is not None:
        entry["stats"] = stats
    if error is not None:
        entry["error"] = {k: error[k] for k in ("stage", "formats", "message", "kind") if k in error}
    return entry


def _same_failure(before, entry):
    """Whether *entry* fails as the manifest entry *before* did: the same source content
    (SHA-256) and the same error (stage and message) -- a failure already reported."""
    if not before or not before.get("error") or not entry.get("error"):
        return False
    a, b = before["error"], entry["error"]
    return (before.get("sha256") is not None and before.get("sha256") == entry.get("sha256")
            and a.get("stage") == b.get("stage") and a.get("message") == b.get("message"))


def _count_failure(summary, key, path, error, new, known=False):
    """*new*: failed in this run (not an unchanged source left alone); *known*: failed before,
    the same way, on the same content (``clt batch --quiet`` does not report it again)."""
    if new:
        summary["failed"] += 1
    summary["failures"].append({"source": key, "path": path, "stage": error.get("stage"),
                                "message": error.get("message"), "new": new, "known": known})
