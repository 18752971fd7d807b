"""The per-file work of ``clt batch``: one source through the library stages.

:func:`process_source` is what every executor runs -- in this process, in a
local worker process or on a Dask worker -- so the outputs are the same
wherever it runs.  It takes and returns plain dicts (picklable, JSON-able)
and never raises for a bad source: the failure comes back as a result with
the stage that failed and a one-line reason.

The pipeline is the library's, nothing else::

    clt.extract.extract -> clt.normalize.normalize -> clt.split.split
        -> JSON Lines (the ``jsonl`` output)
        -> clt.convert.convert (clt.convert.convert_to_dir for one file per law) per format

Records stream through; the split records go to a temporary JSON Lines file
that each ``--to`` format is converted from, so memory stays flat however
long the source.  Every output is written to a temporary file next to its
destination and renamed over it only once the pipeline and every format
have been tried: a failing stage leaves no output at all, a format that
cannot be converted (Markdown of a notice without articles) is reported
without holding back the others.

``CLT_BATCH_TEST_DELAY`` (seconds, float) makes each task sleep -- half
before the pipeline and half between writing its temporary files and
renaming them -- so the tests can kill a run mid-way; it is a test knob,
not a feature.  Likewise ``CLT_BATCH_TEST_CRASH=NAME`` makes a *worker process*
(never the batch process itself) die abruptly on the source file named NAME.
"""

import contextlib
import hashlib
import os
import socket
import tempfile
import time
import traceback

from clt import __version__
from clt.batch.manifest import TEMP_SUFFIX
from clt.fsutil import apply_default_mode, temp_beside
from clt.errors import CltError

DELAY_ENV = "CLT_BATCH_TEST_DELAY"
CRASH_ENV = "CLT_BATCH_TEST_CRASH"  # test knob: a worker process given this file name dies
CHUNK = 1 << 20


class StageError(Exception):
    """An exception raised inside one stage, tagged with the stage's name."""

    def __init__(self, stage, error):
        super().__init__(f"{stage}: {error}")
        self.stage = stage
        self.error = error


def _guard(stage, records):
    """Pass *records* through, tagging any exception with *stage*."""
    try:
        yield from records
    except StageError:
        raise
    except Exception as e:  # noqa: BLE001 - every failure of a stage is recorded
        raise StageError(stage, e) from e


def _sha256(fp):
    """(hex sha256, size) of what is left to read in the binary file *fp*."""
    h = hashlib.sha256()
    size = 0
    while True:
        block = fp.read(CHUNK)
        if not block:
            break
        h.update(block)
        size += len(block)
    return h.hexdigest(), size


def file_sha256(path):
    """(hex sha256, size) of the file at *path*."""
    with open(path, "rb") as fp:
        return _sha256(fp)


#: a file modified this recently (ns) may change again within the same mtime tick
RACY_NS = 2_000_000_000


def source_stat(st):
    """What the manifest keeps of a source's ``os.stat`` to skip rehashing it."""
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns, "ino": st.st_ino}


def hash_source(path):
    """(sha256, size, stat) of a source; stat is None when it cannot vouch for the hash
    (the file changed while it was read, or so recently that it may change again
    unnoticed within one timestamp tick), so the next run hashes it again."""
    with open(path, "rb") as fp:
        before = source_stat(os.fstat(fp.fileno()))
        sha, size = _sha256(fp)
        after = source_stat(os.fstat(fp.fileno()))
    stat = before if before == after and time.time_ns() - before["mtime_ns"] >= RACY_NS else None
    return sha, size, stat


def one_line(error, limit=300):
    """A one-line reason for *error* (CltError text, or 'Type: message')."""
    if isinstance(error, CltError):
        text = str(error)
    else:
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Out:
    """A temporary output file that is renamed over its destination on commit."""

    def __init__(self, final):
        self.final = final
        directory = os.path.dirname(final)
        os.makedirs(directory, exist_ok=True)
        fd, self.tmp = temp_beside(final, TEMP_SUFFIX)
        self.fp = os.fdopen(fd, "wb", buffering=CHUNK)
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.hash.update(data)
        self.size += len(data)
        self.fp.write(data)

    def close(self):
        if not self.fp.closed:
            self.fp.flush()
            os.fsync(self.fp.fileno())
            self.fp.close()
        apply_default_mode(self.tmp)

    def commit(self):
        os.replace(self.tmp, self.final)
        self.tmp = None

    def discard(self):
        with contextlib.suppress(Exception):
            self.fp.close()
        if self.tmp:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


class _LawDir:
    """One file per law (``clt.convert.convert_to_dir``) in a temporary directory,
    moved into the destination directory on commit."""

    def __init__(self, out_dir, rel_dir):
        self.out_dir = out_dir
        self.rel_dir = rel_dir.rstrip("/")
        final = os.path.join(out_dir, self.rel_dir)
        parent = os.path.dirname(final)
        os.makedirs(parent, exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix="." + os.path.basename(final) + ".", suffix=TEMP_SUFFIX, dir=parent)
        self.final = final
        self.files = []

    def convert(self, jsonl_path, fmt):
        from clt.convert import convert_to_dir

        paths = convert_to_dir(_read_jsonl(jsonl_path), fmt, self.tmp)
        for p in paths:
            with open(p, "rb") as fp:
                os.fsync(fp.fileno())
            sha, size = file_sha256(p)
            self.files.append((os.path.basename(p), sha, size))
        self.files.sort()

    def commit(self):
        os.makedirs(self.final, exist_ok=True)
        files = []
        for name, sha, size in self.files:
            os.replace(os.path.join(self.tmp, name), os.path.join(self.final, name))
            files.append({"path": f"{self.rel_dir}/{name}", "sha256": sha, "size": size})
        self.discard()
        return {"path": self.rel_dir + "/", "files": files}

    def discard(self):
        if self.tmp:
            import shutil

            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


def _stage_kwargs(options, stage):
    return dict((options or {}).get(stage) or {})


def _pipeline(path, options, stats, name=None, on_page=None):
    """The split records of the source at *path*, through the library stages.

    *name*: what the records call the source (``source`` fields, the ``source``
    record's ``path``) instead of *path* -- batch uses the path relative to the
    SRC root, so outputs do not depend on where the archive is mounted.
    *on_page*: called with (page, pages) as each page has been read (progress).
    """
    from clt.extract import extract
    from clt.normalize import normalize
    from clt.split import split

    recs = _guard("extract", extract([path], on_error=_page_errors_only, **_stage_kwargs(options, "extract")))
    if name and name != path:
        recs = _rename_source(recs, path, name)
    recs = _count_pages(recs, stats, on_page)
    recs = _guard("normalize", normalize(recs, **_stage_kwargs(options, "normalize")))
    return _guard("split", split(recs, **_stage_kwargs(options, "split")))


def _page_errors_only(error):
    """``extract``'s *on_error*: one unreadable page stays a ``warning`` record in the
    output (the rest of the file is kept); an error about the whole file fails it."""
    if getattr(error, "page", None) is None:
        raise error


def _rename_source(records, old, new):
    for rec in records:
        if rec.get("source") == old:
            rec["source"] = new
        if rec.get("type") == "source" and rec.get("path") == old:
            rec["path"] = new
        yield rec


def _count_pages(records, stats, on_page=None):
    pages = None
    for rec in records:
        t = rec.get("type")
        if t == "page":
            stats["pages"] += 1
            if on_page is not None:
                on_page(rec.get("page") or stats["pages"], pages)
        elif t == "source" and isinstance(rec.get("pages"), int):
            pages = rec["pages"]
        yield rec


# A source whose file name is not valid in the file system's encoding (a GBK name
# on a UTF-8 system) carries lone surrogates into the records' "source": they are
# written as \udcXX escapes, which JSON reads back as the same name.

def _write_jsonl(records, out, stats):
    from clt.records import dumps

    buf = []
    n = 0
    for rec in records:
        t = rec.get("type")
        if t == "document":
            stats["documents"] += 1
        elif t == "article":
            stats["articles"] += 1
        elif t == "warning":
            stats["warnings"] += 1
        buf.append(dumps(rec))
        buf.append("\n")
        n += 1
        if len(buf) >= 512:
            out.write("".join(buf).encode("utf-8", errors="backslashreplace"))
            buf.clear()
    if buf:
        out.write("".join(buf).encode("utf-8", errors="backslashreplace"))
    return n


def _read_jsonl(path):
    from clt.records import iter_jsonl

    with open(path, "rb") as fp:
        yield from iter_jsonl(fp, path)


def _convert_to(jsonl_path, fmt, out):
    from clt.convert import convert

    for chunk in convert(_read_jsonl(jsonl_path), fmt):
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", errors="backslashreplace")
        out.write(chunk)


def _delay(fraction):
    try:
        delay = float(os.environ.get(DELAY_ENV) or 0)
    except ValueError:
        delay = 0
    if delay > 0:
        time.sleep(delay * fraction)


def _maybe_crash(path):
    name = os.environ.get(CRASH_ENV)
    if name and os.path.basename(path) == name:
        import multiprocessing

        if multiprocessing.parent_process() is not None:
            os._exit(70)


def process_source(task, on_page=None):
    """Run one source through the pipeline and write its outputs; a result dict.

    *on_page*, when given, is called with ``(key, page, pages)`` as each page
    of the source has been read (*pages*: the source's page count, or None):
    the progress of a long PDF or scan.

    *task*: ``key``, ``path`` (absolute), ``out_dir`` (absolute), ``outputs``
    ({format: path relative to out_dir}), ``options`` ({stage: kwargs}),
    ``clt_version``, and optionally ``from_jsonl`` (an existing JSON Lines
    output, relative to out_dir, with its ``from_sha256``) to convert the
    formats in ``outputs`` from instead of running the pipeline again.
    """
    t0 = time.monotonic()
    key = task["key"]
    result = {"key": key, "ok": False, "outputs": {}, "sha256": None, "size": None,
              "stats": {"pages": 0, "documents": 0, "articles": 0, "warnings": 0},
              "mode": "convert" if task.get("from_jsonl") else "full", "host": socket.gethostname(),
              "pid": os.getpid()}
    outs = {}
    stage = "read"
    try:
        if task.get("clt_version") and task["clt_version"] != __version__:
            stage = "worker"
            raise CltError(f"this worker runs clt {__version__}, the batch clt {task['clt_version']}")
        stage = "read"
        result["sha256"], result["size"], result["stat"] = hash_source(task["path"])
        _delay(0.5)
        _maybe_crash(task["path"])
        out_dir = task["out_dir"]
        formats = list(task["outputs"])
        jsonl_path = None
        if task.get("from_jsonl"):
            stage = "convert"
            jsonl_path = os.path.join(out_dir, task["from_jsonl"])
            sha, _ = file_sha256(jsonl_path)
            if sha != task.get("from_sha256"):
                raise CltError("the JSON Lines output changed since it was made", source=task["from_jsonl"])
        else:
            jsonl_final = os.path.join(out_dir, task["outputs"].get("jsonl") or _sibling(task, "jsonl"))
            jout = _Out(jsonl_final)
            outs["jsonl"] = jout
            stats = result["stats"]
            stage = "write"
            try:
                hook = None if on_page is None else (lambda page, pages: on_page(key, page, pages))
                _write_jsonl(_pipeline(task["path"], task.get("options"), stats, task.get("name"), hook),
                             jout, stats)
            except StageError as e:
                stage = e.stage
                raise e.error from None
            jout.close()
            jsonl_path = jout.tmp
        convert_errors = []  # (format, exception): one format failing does not sink the others
        for fmt in formats:
            if fmt == "jsonl":
                continue
            stage = "convert"
            try:
                if task["outputs"][fmt].endswith("/"):
                    out = outs[fmt] = _LawDir(out_dir, task["outputs"][fmt])
                    out.convert(jsonl_path, fmt)
                else:
                    out = outs[fmt] = _Out(os.path.join(out_dir, task["outputs"][fmt]))
                    _convert_to(jsonl_path, fmt, out)
                    out.close()
            except Exception as e:  # noqa: BLE001 - recorded below
                convert_errors.append((fmt, e, traceback.format_exc()))
                if fmt in outs:
                    outs.pop(fmt).discard()
        stage = "write"
        _delay(0.5)
        if "jsonl" not in formats and "jsonl" in outs:
            outs.pop("jsonl").discard()
        for fmt in formats:
            out = outs.get(fmt)
            if out is None:
                continue
            if isinstance(out, _LawDir):
                result["outputs"][fmt] = out.commit()
            else:
                out.commit()
                result["outputs"][fmt] = {"path": task["outputs"][fmt], "sha256": out.hash.hexdigest(),
                                          "size": out.size}
        if convert_errors:
            result["error"] = {
                "stage": "convert", "formats": [f for f, _, _ in convert_errors],
                "message": "; ".join(f"{f}: {_message(e, task)}" for f, e, _ in convert_errors),
                "kind": "input" if all(isinstance(e, (CltError, OSError)) for _, e, _ in convert_errors)
                else "internal"}
            result["traceback"] = "".join(tb for _, _, tb in convert_errors)
        else:
            result["ok"] = True
    except Exception as e:  # noqa: BLE001 - a bad source is a result, not a crash
        result["outputs"] = {}
        result["error"] = {"stage": stage, "message": _message(e, task),
                           "kind": "input" if isinstance(e, (CltError, OSError)) else "internal"}
        result["traceback"] = traceback.format_exc()
    finally:
        for out in outs.values():
            if out.tmp:
                out.discard()
        result["elapsed"] = time.monotonic() - t0
    return result


def _message(error, task):
    """One line for *error*, without the source's absolute path (the manifest has the source)."""
    return one_line(error).replace(task["path"] + ": ", "").replace(task["path"], os.path.basename(task["path"]))


def _sibling(task, fmt):
    """Where the intermediate JSON Lines goes when jsonl is not an output (a temp, removed)."""
    any_out = next(iter(task["outputs"].values())).rstrip("/")
    return os.path.join(os.path.dirname(any_out), "." + os.path.basename(any_out) + "." + fmt)
