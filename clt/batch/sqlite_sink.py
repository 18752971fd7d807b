"""``clt batch --to sqlite``: every source's laws in one SQLite database.

The sink runs in the batch process (SQLite has one writer at a time) as the
results arrive.  For each source whose JSON Lines output is in order it
loads that output with :func:`clt.convert.sqlite.load`, keyed by the
source's archive key (``documents.origin``): each law is committed in a
transaction of its own, and the hash of the JSON Lines loaded is recorded
(``clt_origins``) in a last transaction.  A source whose recorded hash is
that of its current output is left alone, so a rerun over an unchanged
archive costs one query per source; a run killed at any moment (``kill -9``)
leaves every law whole, and the next run loads again whatever source was cut
short.  A law found in two sources (the same title, 题注 and text) is
stored once and held by both (``document_origins``); laws a source no
longer holds, and those of sources pruned, are removed unless another
source still holds them.
"""

import os
import sqlite3

from clt.errors import CltError

__all__ = ["SqliteSink", "DEFAULT_NAME"]

#: the database's name in OUT when --db is not given
DEFAULT_NAME = "laws.db"


class SqliteSink:
    def __init__(self, path, out_dir):
        self.path = os.fspath(path)
        self.out_dir = out_dir
        self.con = None
        self.counts = {"path": self.path, "sources_loaded": 0, "sources_unchanged": 0, "laws": 0,
                       "laws_unchanged": 0, "removed": 0, "failed": 0}

    def open(self):
        """Open (or create) the database now: a file that is not a clt database stops the run before it starts."""
        from clt.convert.sqlite import connect

        self.con = connect(self.path, create=True)

    def sync(self, key, entry, warn=None):
        """Bring the laws of source *key* (a manifest entry with status ok) into the database."""
        from clt.convert.sqlite import load, origin_sha256
        from clt.records import read_records

        out = (entry.get("outputs") or {}).get("jsonl") or {}
        rel, sha = out.get("path"), out.get("sha256")
        if not rel or not sha:
            return
        if origin_sha256(self.con, key) == sha:
            self.counts["sources_unchanged"] += 1
            return
        try:
            s = load(self.path, read_records(os.path.join(self.out_dir, rel)), origin=key, origin_sha256=sha,
                     allow_empty=True)
        except (CltError, sqlite3.Error) as e:
            self.counts["failed"] += 1
            if warn:
                warn(f"{self.path}: {key}: not loaded: {e}")
            return
        self.counts["sources_loaded"] += 1
        self.counts["laws"] += s["added"] + s["replaced"]
        self.counts["laws_unchanged"] += s["unchanged"]
        self.counts["removed"] += s.get("removed", 0)

    def remove(self, key):
        """Forget source *key* (pruned): its laws leave the database."""
        from clt.convert.sqlite import remove_origin

        self.counts["removed"] += remove_origin(self.con, key)

    def summary(self):
        return dict(self.counts)

    def close(self):
        if self.con is not None:
            self.con.close()
            self.con = None
