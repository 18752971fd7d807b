"""The manifest of a ``clt batch`` output tree: what was made from what.

``OUT/.clt-batch.json`` holds one entry per source, keyed by the source's
path relative to its SRC root (``/`` separated), e.g.::

    {"manifest": 1, "clt_version": "0.1.0", "schema": 1,
     "sources": {
       "2024/gb-07.pdf": {
         "source": "archive/2024/gb-07.pdf", "sha256": "...", "size": 123456,
         "stat": {"size": 123456, "mtime_ns": ..., "ctime_ns": ..., "ino": ...},  # or null
         "clt_version": "0.1.0", "options": {"extract": {...}, ...},
         "status": "ok",                      # or "failed" / "pending"
         "outputs": {"jsonl": {"path": "2024/gb-07.jsonl", "sha256": "...", "size": 9876}},
         "stats": {"pages": 12, "documents": 2, "articles": 87, "warnings": 0},
         "error": {"stage": "extract", "message": "..."}      # when failed
       }}}

The file is only ever replaced whole (a temporary file renamed over it), so
a reader -- or a run killed at any moment -- sees either the old or the new
manifest, never a mixture.  It holds no timestamps, so the same sources and
options give the same manifest byte for byte, whichever machines did the work.
"""

import json
import os

from clt import SCHEMA_VERSION, __version__
from clt.fsutil import atomic_file

MANIFEST_NAME = ".clt-batch.json"
MANIFEST_VERSION = 1


def atomic_write_bytes(path, data, fsync=True):
    """Replace *path* with *data*: a temporary file in the same directory, renamed."""
    with atomic_file(path, "wb", fsync=fsync, suffix=TEMP_SUFFIX) as fp:
        fp.write(data)


#: every temporary file batch writes ends so; a later run removes leftovers
TEMP_SUFFIX = ".clt-part"


def json_bytes(text):
    """UTF-8 bytes of JSON *text*; a file name that is not valid in the file system's
    encoding (a lone surrogate, e.g. a GBK name on a UTF-8 system) stays a
    ``\\udcXX`` escape, which reads back as the same name."""
    return text.encode("utf-8", errors="backslashreplace")


class Manifest:
    """The manifest of one output directory (see the module docstring)."""

    def __init__(self, out_dir, sources=None, problem=None):
        self.out_dir = out_dir
        self.path = os.path.join(out_dir, MANIFEST_NAME)
        self.sources = sources if sources is not None else {}
        #: why an existing manifest could not be used (None when fine)
        self.problem = problem

    @classmethod
    def load(cls, out_dir):
        """The manifest in *out_dir*; empty when there is none or it is unreadable."""
        path = os.path.join(out_dir, MANIFEST_NAME)
        try:
            with open(path, "rb") as fp:
                data = json.loads(fp.read().decode("utf-8"))
        except FileNotFoundError:
            return cls(out_dir)
        except (OSError, ValueError) as e:
            return cls(out_dir, problem=f"unreadable manifest, starting afresh: {e}")
        if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
            return cls(out_dir, problem="manifest has no 'sources', starting afresh")
        if data.get("manifest") != MANIFEST_VERSION:
            return cls(out_dir, problem=f"manifest version {data.get('manifest')!r} unknown, starting afresh")
        return cls(out_dir, {k: v for k, v in data["sources"].items() if isinstance(v, dict)})

    def to_json(self):
        doc = {"manifest": MANIFEST_VERSION, "clt_version": __version__, "schema": SCHEMA_VERSION,
               "sources": self.sources}
        return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    def save(self):
        atomic_write_bytes(self.path, json_bytes(self.to_json()))

    def get(self, key):
        return self.sources.get(key)

    def set(self, key, entry):
        self.sources[key] = entry

    def pop(self, key):
        return self.sources.pop(key, None)

    def keys(self):
        return self.sources.keys()
