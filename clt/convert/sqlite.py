"""``split`` output loaded into a SQLite database (stdlib :mod:`sqlite3`): a library of laws.

The file is an ordinary SQLite 3 database — the ``sqlite3`` shell,
``sqlite-utils`` and Datasette open it — with these tables (see
:data:`SCHEMA`):

``documents``  one row per law: ``title``, ``caption`` (the 题注 as printed),
               ``history`` (its events, JSON text), the dates taken from them
               (``adopted``, ``amended``, ``promulgated``, ``effective``), ``notice``
               (JSON), ``source``, ``origin`` (the archive key under
               ``clt batch``), counts, ``record`` (the whole document record, JSON).
``headings``   编/章/节 with ``parent_id``, ``level``, ``label``, ``num``, ``title``, ``path``.
``articles``   ``document_id``, ``heading_id``, ``seq`` (order in the law),
               ``path`` (JSON list), ``label``, ``num``, ``sub``, ``text`` (as in the
               records: 款 joined by newlines), ``anchor`` (art-20-1, as in HTML),
               ``citation`` (《title》第X条).
``paragraphs`` the 款 of each article (``num`` 1-based, ``text``).
``items``      the 项 (and, with ``parent_id``, 目) of each 款: ``seq``, ``num``, ``label``, ``text``.
``blocks``     unnumbered text (notice, preamble, annex, a judicial
               interpretation's introduction); the 目录 is not kept.
``refs``       every cross-reference :mod:`clt.refs` finds: span, words,
               kind, target (law, label, num, sub, para, item, or a heading's
               level), ``target_document_id``/``target_article_id`` (and
               ``to_article_id`` for a range) where the target is in the
               database, ``unresolved``/``warning`` as ``clt refs`` says.
``articles_fts`` an FTS5 index over ``articles.text`` with the ``trigram``
               tokenizer (SQLite ≥ 3.34), kept in step by triggers (the
               sqlite-utils layout, so Datasette offers full-text search).
``articles_chars`` a second FTS5 index over ``articles.text`` for queries of one
               or two characters (trigram cannot hold them): contentless,
               ``unicode61`` over the text with a space after every character,
               so that each character is a token and ``罚款`` is the phrase
               ``"罚 款"``.  clt writes it with each article (no trigger: a trigger
               would need clt's function in every client); a law written by
               another program is found by ``LIKE`` alone.
``clt_meta``   ``application`` = ``clt``, the schema version.
``clt_origins`` under ``clt batch``: what each archive source last loaded.
``document_origins`` under ``clt batch``: every source that holds each law
               (``documents.origin`` is the first): a law found in two
               sources is stored once, and leaves the database only when no
               source holds it any more.

Re-running with the same law replaces it: a law is keyed by its title and
题注 (two versions of a law differ in their 题注), and a law whose records
are unchanged is left as it is.  Each law is written in one transaction, so
a run killed at any point (``kill -9``) leaves every law either as before or
as new: never half-written.  A database that exists is updated, not
clobbered; other tables in it are left alone.

:func:`search` finds articles by substring: through the trigram index for
words of three characters or more, through ``articles_chars`` for shorter
ones (a phrase of single characters: it also matches across punctuation the
tokenizer drops, so each hit is checked with ``LIKE``) — the same articles
as ``LIKE`` over every article, without reading every article.
"""

import contextlib
import hashlib
import json
import os
import logging
import sqlite3

from clt.errors import InputError, OutputError, UsageError

EXT = "db"
BINARY = True
STREAMING = False
CHANGES = False
OPTIONS = ()
#: a database, not a stream of chunks: written by :func:`load` to a file
DATABASE = True

SCHEMA_VERSION = 1
APPLICATION = "clt"
#: trigram (and so FTS5 substring search) needs SQLite 3.34
TRIGRAM_MIN = (3, 34, 0)

SCHEMA = """
CREATE TABLE IF NOT EXISTS clt_meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    doc_key TEXT NOT NULL UNIQUE,
    content_sha256 TEXT NOT NULL,
    title TEXT,
    caption TEXT,
    history TEXT,
    adopted TEXT,
    amended TEXT,
    promulgated TEXT,
    effective TEXT,
    notice TEXT,
    source TEXT,
    page INTEGER,
    origin TEXT,
    articles INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    record TEXT
);
CREATE INDEX IF NOT EXISTS documents_title ON documents (title);
CREATE INDEX IF NOT EXISTS documents_origin ON documents (origin);
CREATE TABLE IF NOT EXISTS headings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES headings (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    depth INTEGER NOT NULL,
    level TEXT,
    label TEXT,
    num INTEGER,
    title TEXT,
    path TEXT,
    anchor TEXT,
    UNIQUE (document_id, seq)
);
CREATE INDEX IF NOT EXISTS headings_parent ON headings (parent_id);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    heading_id INTEGER REFERENCES headings (id) ON DELETE SET NULL,
    seq INTEGER NOT NULL,
    path TEXT,
    label TEXT,
    num INTEGER,
    sub INTEGER,
    text TEXT NOT NULL,
    anchor TEXT,
    citation TEXT,
    page INTEGER,
    UNIQUE (document_id, seq)
);
CREATE INDEX IF NOT EXISTS articles_num ON articles (document_id, num, sub);
CREATE INDEX IF NOT EXISTS articles_heading ON articles (heading_id);
CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    num INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (article_id, num)
);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES items (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    num INTEGER,
    label TEXT,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_paragraph ON items (paragraph_id, seq);
CREATE INDEX IF NOT EXISTS items_parent ON items (parent_id);
CREATE TABLE IF NOT EXISTS blocks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS blocks_document ON blocks (document_id, seq);
CREATE TABLE IF NOT EXISTS refs (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT,
    external INTEGER NOT NULL DEFAULT 0,
    target_law TEXT,
    target_level TEXT,
    target_label TEXT,
    target_num INTEGER,
    target_sub INTEGER,
    target_para INTEGER,
    target_item INTEGER,
    target_subitem INTEGER,
    to_label TEXT,
    to_num INTEGER,
    to_sub INTEGER,
    to_para INTEGER,
    to_item INTEGER,
    target_document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    target_article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    to_article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    unresolved TEXT,
    warning TEXT,
    UNIQUE (article_id, seq)
);
CREATE INDEX IF NOT EXISTS refs_target_article ON refs (target_article_id);
CREATE INDEX IF NOT EXISTS refs_to_article ON refs (to_article_id);
CREATE INDEX IF NOT EXISTS refs_target_document ON refs (target_document_id);
CREATE INDEX IF NOT EXISTS refs_target_law ON refs (target_law);
CREATE TABLE IF NOT EXISTS clt_origins (
    origin TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    laws INTEGER NOT NULL
);
"""

#: every archive source that holds a law (a law in two sources is stored once, with both)
ORIGINS_SCHEMA = """
CREATE TABLE IF NOT EXISTS document_origins (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    origin TEXT NOT NULL,
    PRIMARY KEY (document_id, origin)
);
CREATE INDEX IF NOT EXISTS document_origins_origin ON document_origins (origin);
"""

FTS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
    text, content='articles', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO articles_fts (rowid, text) VALUES (new.id, new.text);
END;
"""

#: one- and two-character search: every character its own token (see the module docstring)
CHARS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS articles_chars USING fts5 (
    text, content='', columnsize=0, tokenize='unicode61 remove_diacritics 0'
);
"""

log = logging.getLogger("clt.convert.sqlite")

__all__ = ["load", "open_db", "connect", "search", "fts_available", "SCHEMA_VERSION", "TRIGRAM_MIN"]


# --------------------------------------------------------------------------- opening

def fts_available():
    """True when this Python's SQLite has FTS5 with the trigram tokenizer."""
    if sqlite3.sqlite_version_info < TRIGRAM_MIN:
        return False
    try:
        con = sqlite3.connect(":memory:")
        try:
            con.execute("CREATE VIRTUAL TABLE t USING fts5 (x, tokenize='trigram')")
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def _is_sqlite_file(path):
    try:
        with open(path, "rb") as fp:
            head = fp.read(16)
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", source=path) from None
    return head == b"SQLite format 3\x00", len(head)


def _clt_version(con):
    try:
        row = con.execute("SELECT value FROM clt_meta WHERE key = 'application'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def connect(path, *, create=False):
    """A connection to the clt database *path* (autocommit; transactions by hand).

    With *create*, a missing or empty file becomes a new database; an existing
    SQLite file must be a clt database, or hold no table at all.  Raises
    :class:`~clt.errors.InputError` (one line) for a file that is not SQLite
    or a database of another program, :class:`~clt.errors.UsageError` when
    *path* names a directory or a missing directory.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        raise UsageError("is a directory (give the database file)", source=path)
    exists = os.path.exists(path)
    if not exists:
        if not create:
            raise InputError("no such database", source=path)
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise UsageError(f"directory {parent} does not exist", source=path)
    else:
        ok, size = _is_sqlite_file(path)
        if size and not ok:
            raise InputError("not a SQLite database", source=path)
        if not size and not create:
            raise InputError("empty file, not a clt database", source=path)
    try:
        con = sqlite3.connect(path, isolation_level=None, timeout=30)
    except sqlite3.Error as e:
        err = OutputError if create else InputError
        raise err(f"cannot open the database: {e}", source=path) from None
    try:
        con.execute("PRAGMA foreign_keys = ON")
        app = _clt_version(con)
        if app == APPLICATION:
            version = int(con.execute("SELECT value FROM clt_meta WHERE key = 'schema'").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise InputError(f"database schema {version} is newer than this clt's ({SCHEMA_VERSION})",
                                 source=path, hint="upgrade clt")
            if create:
                _upgrade(con)
            return con
        tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables or not create:
            raise InputError("not a clt database" + (" (it holds tables of its own)" if tables else ""),
                             source=path, hint="clt convert --to sqlite -o FILE makes one")
        _create(con)
        return con
    except sqlite3.DatabaseError as e:
        con.close()
        msg = str(e)
        if "not a database" in msg or "malformed" in msg:
            raise InputError(f"not a usable SQLite database ({msg})", source=path) from None
        raise (OutputError if create else InputError)(f"database error: {msg}", source=path) from None
    except BaseException:
        con.close()
        raise


def _create(con):
    con.execute("BEGIN IMMEDIATE")
    try:
        for stmt in _statements(SCHEMA) + _statements(ORIGINS_SCHEMA):
            con.execute(stmt)
        fts = fts_available()
        if fts:
            for stmt in _statements(FTS_SCHEMA) + _statements(CHARS_SCHEMA):
                con.execute(stmt)
        con.executemany("INSERT OR REPLACE INTO clt_meta (key, value) VALUES (?, ?)",
                        [("application", APPLICATION), ("schema", str(SCHEMA_VERSION)),
                         ("fts", "trigram" if fts else "none"),
                         ("sqlite_version", sqlite3.sqlite_version)])
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _statements(script):
    """The statements of *script* (triggers hold ``;`` inside BEGIN … END)."""
    out, cur = [], []
    for line in script.strip().splitlines():
        cur.append(line)
        joined = "\n".join(cur).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            cur = []
    return out


def has_fts(con):
    return con.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchone() is not None


def has_chars(con):
    return con.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_chars'").fetchone() is not None


def _spaced(text):
    """*text* with a space after every character: each one a unicode61 token."""
    return " ".join(text or "")


def _upgrade(con):
    """Give a database an earlier clt made the tables it lacks: ``articles_chars``
    (filled from ``articles``) and ``document_origins`` (from ``documents.origin``),
    in one transaction."""
    chars = has_fts(con) and not has_chars(con)
    origins = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'document_origins'").fetchone() is None
    if not (chars or origins):
        return
    with _transaction(con):
        if chars:
            for stmt in _statements(CHARS_SCHEMA):
                con.execute(stmt)
            con.executemany("INSERT INTO articles_chars (rowid, text) VALUES (?, ?)",
                            ((i, _spaced(t)) for i, t in con.execute("SELECT id, text FROM articles").fetchall()))
        if origins:
            for stmt in _statements(ORIGINS_SCHEMA):
                con.execute(stmt)
            con.execute("INSERT INTO document_origins (document_id, origin)"
                        " SELECT id, origin FROM documents WHERE origin IS NOT NULL")


def open_db(path):
    """A connection to an existing clt database, for reading (:func:`search`)."""
    return connect(path, create=False)


# --------------------------------------------------------------------------- one law

def _first_date(history, acts, last=False):
    found = [e.get("date") for e in history or () if isinstance(e, dict) and isinstance(e.get("date"), str)
             and (e.get("act") in acts or set(e.get("acts") or ()) & set(acts))]
    if not found:
        return None
    return found[-1] if last else found[0]


def _json(v):
    return None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=False)


def _doc_key(doc):
    """A law's identity: its title and 题注 (hashed)."""
    title = doc.get("title") if isinstance(doc.get("title"), str) else ""
    caption = doc.get("caption") if isinstance(doc.get("caption"), str) else ""
    return hashlib.sha256(f"{title}\n{caption}".encode("utf-8", "surrogatepass")).hexdigest()


class _Law:
    """The records of one law, gathered from a Walk."""

    def __init__(self, doc, front):
        self.doc = doc
        self.front = list(front)
        self.events = []
        self.end = None
        self.sha = hashlib.sha256()
        self._feed(doc)
        for b in self.front:
            self._feed(b)

    def _feed(self, rec):
        self.sha.update(json.dumps(rec, ensure_ascii=False, sort_keys=True, default=str)
                        .encode("utf-8", "surrogatepass"))
        self.sha.update(b"\n")

    def add(self, ev):
        self.events.append(ev)
        self._feed(ev["rec"])


def _laws(records):
    """(law, origin-free) per law of *records*: each with its events and its document_end."""
    from clt.convert.tree import Walk

    ends = []

    def watch(recs):
        for rec in recs:
            if rec.get("type") == "document_end":
                ends.append(rec)
            yield rec

    w = Walk(watch(records))
    law = None
    for ev in w:
        kind = ev["ev"]
        if kind == "law":
            law = _Law(ev["doc"], ev["front"])
        elif kind == "end" and law is not None:
            if ends:
                law.end = ends[-1]
                ends.clear()
                law._feed(law.end)
            yield law
            law = None
        elif kind in ("heading", "article", "block") and law is not None:
            law.add(ev)
    return w


def _citation(title, label):
    if not label:
        return None
    return f"《{title}》{label}" if title else label


def _write_law(con, law, origin=None, replace_id=None):
    """Insert *law* (inside the caller's transaction); its document id."""
    from clt.refs import LawIndex, amended_law, resolve_article

    doc = law.doc
    title = doc.get("title") if isinstance(doc.get("title"), str) else None
    history = doc.get("history") if isinstance(doc.get("history"), list) else None
    end = law.end or {}
    eff = end.get("effective") if isinstance(end.get("effective"), dict) else None
    effective = (eff or {}).get("date") or _first_date(history, ("施行", "实施"))
    articles = [ev for ev in law.events if ev["ev"] == "article"]
    warnings = end.get("warnings") if isinstance(end.get("warnings"), int) else 0
    cur = con.execute(
        "INSERT INTO documents (id, doc_key, content_sha256, title, caption, history, adopted, amended, promulgated,"
        " effective, notice, source, page, origin, articles, warnings, record)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (replace_id, _doc_key(doc), law.sha.hexdigest(), title,
         doc.get("caption") if isinstance(doc.get("caption"), str) else None,
         _json(history), _first_date(history, ("通过", "批准", "颁布")),
         _first_date(history, ("修正", "修订"), last=True), _first_date(history, ("公布", "发布")),
         effective, _json(doc.get("notice")),
         _str(doc.get("source")), _int(doc.get("page")), origin, len(articles), warnings,
         json.dumps(doc, ensure_ascii=False)))
    doc_id = cur.lastrowid

    # references, resolved within the law as clt refs does
    index = LawIndex(title)
    for ev in law.events:
        if ev["ev"] == "article":
            index.add_article(ev["rec"])
        elif ev["ev"] == "heading":
            index.add_heading(ev["rec"])
    base = amended_law(title)

    heading_ids = []  # stack of (depth, id)
    # ids are given here (the transaction holds the write lock), so that every
    # table is written with one executemany
    ids = {t: con.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]
           for t in ("headings", "articles", "paragraphs", "items", "blocks")}

    def new_id(table):
        ids[table] += 1
        return ids[table]

    rows = {"headings": [], "articles": [], "paragraphs": [], "items": [], "blocks": []}

    def add_items(para_id, parent, items):
        for seq, it in enumerate(items, 1):
            iid = new_id("items")
            rows["items"].append((iid, para_id, parent, seq, _int(it.get("num")), it.get("label") or None,
                                  it.get("text") or ""))
            if it.get("items"):
                add_items(para_id, iid, it["items"])

    block_seq = 0
    for b in law.front:
        block_seq += 1
        rows["blocks"].append((new_id("blocks"), doc_id, block_seq, _str(b.get("kind")), _str(b.get("text")) or ""))
    art_seq = head_seq = 0
    article_refs = []   # (article id, refs)
    for ev in law.events:
        kind = ev["ev"]
        rec = ev["rec"]
        if kind == "heading":
            head_seq += 1
            depth = ev["depth"]
            while heading_ids and heading_ids[-1][0] >= depth:
                heading_ids.pop()
            parent = heading_ids[-1][1] if heading_ids else None
            path = rec.get("path") if isinstance(rec.get("path"), list) else None
            hid = new_id("headings")
            rows["headings"].append((hid, doc_id, parent, head_seq, depth, _str(rec.get("level")),
                                     _str(rec.get("label")), _int(rec.get("num")), _str(rec.get("title")),
                                     _json(path), ev.get("hid")))
            heading_ids.append((depth, hid))
        elif kind == "block":
            if rec.get("kind") == "toc":
                continue
            block_seq += 1
            rows["blocks"].append((new_id("blocks"), doc_id, block_seq, _str(rec.get("kind")),
                                   _str(rec.get("text")) or ""))
        elif kind == "article":
            art_seq += 1
            depth = ev["depth"]
            while heading_ids and heading_ids[-1][0] > depth:
                heading_ids.pop()
            heading = heading_ids[-1][1] if heading_ids and depth else None
            text = rec.get("text") if isinstance(rec.get("text"), str) else ""
            path = rec.get("path") if isinstance(rec.get("path"), list) else ev.get("trail")
            label = ev["label"] or None
            art_id = new_id("articles")
            rows["articles"].append((art_id, doc_id, heading, art_seq, _json(path), label, ev["num"], ev["sub"], text,
                                     ev["hid"], _citation(title, label), _int(rec.get("page"))))
            for pn, p in enumerate(ev["paras"], 1):
                pid = new_id("paragraphs")
                rows["paragraphs"].append((pid, art_id, pn, p["text"]))
                add_items(pid, None, p["items"])
            refs = rec.get("refs")
            if not isinstance(refs, list):
                try:
                    refs = resolve_article(dict(rec, text=text), index, title, base)
                except (ValueError, TypeError, KeyError, IndexError) as e:  # a bug in refs: say so, keep the law
                    log.warning("%s %s: references not stored: %s: %s", title or "", label or "", type(e).__name__, e)
                    refs = []
            article_refs.append((art_id, refs))
    con.executemany("INSERT INTO headings (id, document_id, parent_id, seq, depth, level, label, num, title, path,"
                    " anchor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows["headings"])
    con.executemany("INSERT INTO articles (id, document_id, heading_id, seq, path, label, num, sub, text, anchor,"
                    " citation, page) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows["articles"])
    if has_chars(con):
        con.executemany("INSERT INTO articles_chars (rowid, text) VALUES (?, ?)",
                        ((r[0], _spaced(r[8])) for r in rows["articles"]))
    con.executemany("INSERT INTO paragraphs (id, article_id, num, text) VALUES (?, ?, ?, ?)", rows["paragraphs"])
    con.executemany("INSERT INTO items (id, paragraph_id, parent_id, seq, num, label, text)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)", rows["items"])
    con.executemany("INSERT INTO blocks (id, document_id, seq, kind, text) VALUES (?, ?, ?, ?, ?)", rows["blocks"])
    for art_id, refs in article_refs:
        _write_refs(con, art_id, doc_id, refs)
    return doc_id


def _write_refs(con, art_id, doc_id, refs):
    rows = []
    for seq, r in enumerate(refs, 1):
        if not isinstance(r, dict):
            continue
        t = r.get("target") if isinstance(r.get("target"), dict) else {}
        to = r.get("to") if isinstance(r.get("to"), dict) else {}
        external = bool(r.get("external"))
        rows.append((art_id, seq, _int(r.get("start")) or 0, _int(r.get("end")) or 0, _str(r.get("text")) or "",
                     _str(r.get("kind")), int(external), _str(t.get("law")), _str(t.get("level")),
                     _str(t.get("label")), _int(t.get("num")), _int(t.get("sub")), _int(t.get("para")),
                     _int(t.get("item")), _int(t.get("subitem")), _str(to.get("label")), _int(to.get("num")),
                     _int(to.get("sub")), _int(to.get("para")), _int(to.get("item")),
                     None if external or not t else doc_id,
                     _str(r.get("unresolved")), _str(r.get("warning"))))
    con.executemany(
        "INSERT INTO refs (article_id, seq, span_start, span_end, text, kind, external, target_law, target_level,"
        " target_label, target_num, target_sub, target_para, target_item, target_subitem, to_label, to_num, to_sub,"
        " to_para, to_item, target_document_id, unresolved, warning)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _link_refs(con, doc_id, title):
    """Point refs at the articles they name: this law's own, other laws' that
    cite it by title (中华人民共和国刑法, or 刑法 for it), and this law's
    references to laws already in the database."""
    # this law's external references: to a law in the database by its title
    con.execute("""
        UPDATE refs SET target_document_id = (
            SELECT d.id FROM documents d
            WHERE d.title = refs.target_law OR d.title = '中华人民共和国' || refs.target_law
            ORDER BY d.id DESC LIMIT 1)
        WHERE external = 1 AND target_law IS NOT NULL
          AND article_id IN (SELECT id FROM articles WHERE document_id = ?)""", (doc_id,))
    if title:
        short = title[len("中华人民共和国"):] if title.startswith("中华人民共和国") else None
        con.execute("""
            UPDATE refs SET target_document_id = ?
            WHERE target_law IN (?, ?) AND external = 1""", (doc_id, title, short or title))
    # article ids, wherever the target document is now known: this law's references,
    # and the other laws' references to this law (two statements, each on an index)
    resolve = """
        UPDATE refs SET
          target_article_id = (SELECT a.id FROM articles a WHERE a.document_id = refs.target_document_id
                               AND a.num = refs.target_num AND a.sub IS refs.target_sub ORDER BY a.seq LIMIT 1),
          to_article_id = CASE WHEN refs.to_num IS NULL THEN NULL ELSE
                              (SELECT a.id FROM articles a WHERE a.document_id = refs.target_document_id
                               AND a.num = refs.to_num AND a.sub IS refs.to_sub ORDER BY a.seq LIMIT 1) END
        WHERE {} AND target_document_id IS NOT NULL AND target_level IS NULL AND target_num IS NOT NULL"""
    con.execute(resolve.format("article_id IN (SELECT id FROM articles WHERE document_id = ?)"), (doc_id,))
    con.execute(resolve.format("target_document_id = ?"), (doc_id,))


def _delete_document(con, doc_id):
    """Remove a law and everything under it (explicitly: a client may have
    foreign keys off); references other laws make to it lose their ids."""
    arts = "SELECT id FROM articles WHERE document_id = ?"
    con.execute("DELETE FROM document_origins WHERE document_id = ?", (doc_id,))
    con.execute(f"UPDATE refs SET target_article_id = NULL WHERE target_article_id IN ({arts})", (doc_id,))
    con.execute(f"UPDATE refs SET to_article_id = NULL WHERE to_article_id IN ({arts})", (doc_id,))
    con.execute("UPDATE refs SET target_document_id = NULL WHERE target_document_id = ?", (doc_id,))
    con.execute(f"DELETE FROM refs WHERE article_id IN ({arts})", (doc_id,))
    con.execute(f"DELETE FROM items WHERE paragraph_id IN (SELECT p.id FROM paragraphs p JOIN articles a"
                f" ON p.article_id = a.id WHERE a.document_id = ?)", (doc_id,))
    con.execute(f"DELETE FROM paragraphs WHERE article_id IN ({arts})", (doc_id,))
    if has_chars(con):  # contentless: a row is deleted by giving the tokens it was written with
        con.executemany("INSERT INTO articles_chars (articles_chars, rowid, text) VALUES ('delete', ?, ?)",
                        [(i, _spaced(t)) for i, t in
                         con.execute("SELECT id, text FROM articles WHERE document_id = ?", (doc_id,)).fetchall()])
    con.execute("DELETE FROM articles WHERE document_id = ?", (doc_id,))
    con.execute("DELETE FROM headings WHERE document_id = ?", (doc_id,))
    con.execute("DELETE FROM blocks WHERE document_id = ?", (doc_id,))
    con.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def _str(v):
    return v if isinstance(v, str) else None


def _int(v):
    return v if isinstance(v, int) and not isinstance(v, bool) else None


@contextlib.contextmanager
def _transaction(con):
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _store(con, law, origin=None):
    """Write one law (the caller holds the transaction): 'added', 'replaced' or 'unchanged', and its id."""
    key = _doc_key(law.doc)
    row = con.execute("SELECT id, content_sha256, origin FROM documents WHERE doc_key = ?", (key,)).fetchone()
    sha = law.sha.hexdigest()
    if row and row[1] == sha:  # the same law, maybe from another source: stored once, held by both
        if origin is not None:
            con.execute("INSERT OR IGNORE INTO document_origins (document_id, origin) VALUES (?, ?)", (row[0], origin))
            if row[2] is None:
                con.execute("UPDATE documents SET origin = ? WHERE id = ?", (origin, row[0]))
        return "unchanged", row[0]
    origins = []
    if row:
        origins = [o for (o,) in con.execute("SELECT origin FROM document_origins WHERE document_id = ?"
                                              " ORDER BY rowid", (row[0],))]
        _delete_document(con, row[0])
    if origin is not None and origin not in origins:
        origins.append(origin)
    first = row[2] if row and row[2] is not None else (origins[0] if origins else None)
    doc_id = _write_law(con, law, first, replace_id=row[0] if row else None)
    con.executemany("INSERT OR IGNORE INTO document_origins (document_id, origin) VALUES (?, ?)",
                    [(doc_id, o) for o in origins])
    _link_refs(con, doc_id, law.doc.get("title") if isinstance(law.doc.get("title"), str) else None)
    return ("replaced" if row else "added"), doc_id


def _release(con, origin, keep=()):
    """Source *origin* no longer holds the laws it held but those in *keep*: each
    leaves the database unless another source holds it.  How many left."""
    removed = 0
    held = [d for (d,) in con.execute("SELECT document_id FROM document_origins WHERE origin = ?", (origin,))]
    held += [d for (d,) in con.execute("SELECT id FROM documents WHERE origin = ? AND id NOT IN"
                                       " (SELECT document_id FROM document_origins)", (origin,))]
    for doc_id in held:
        if doc_id in keep:
            continue
        con.execute("DELETE FROM document_origins WHERE document_id = ? AND origin = ?", (doc_id, origin))
        other = con.execute("SELECT origin FROM document_origins WHERE document_id = ? ORDER BY rowid LIMIT 1",
                            (doc_id,)).fetchone()
        if other is None:
            _delete_document(con, doc_id)
            removed += 1
        else:
            con.execute("UPDATE documents SET origin = ? WHERE id = ? AND origin = ?", (other[0], doc_id, origin))
    return removed


def load(path, records, *, origin=None, origin_sha256=None, on_law=None, allow_empty=False):
    """Load the laws of *records* (``split`` output, or text split on the fly)
    into the SQLite database *path*, created when missing; a summary dict
    ``{"added", "replaced", "unchanged", "laws", "articles", "path"}``.

    Each law is one transaction (see the module docstring).  *origin* names
    where the laws came from (the archive key under ``clt batch``): every
    law that origin loaded before and that is not in *records* any more is
    removed — unless another origin holds it too (``document_origins``: a
    law in two sources is stored once) — and *origin_sha256* (the hash of what was loaded) recorded in
    ``clt_origins``, in one last transaction: a run killed before it leaves
    the origin's record stale, so the next run loads it again.  *on_law(status, doc_id, title)*
    is called after each commit.  Raises :class:`~clt.errors.InputError` when
    the stream holds no article (nothing is written then), unless
    *allow_empty* and *origin*: then the origin's laws are removed.
    """
    from clt.convert import structured
    from clt.records import checked

    path = os.fspath(path)
    summary = {"path": path, "laws": 0, "added": 0, "replaced": 0, "unchanged": 0, "articles": 0}
    laws = _laws(structured(checked(records)))
    con = None
    try:
        first = None
        for law in laws:
            if any(ev["ev"] == "article" for ev in law.events):
                first = law
                break
        if first is None and not (allow_empty and origin is not None):
            raise _no_articles()
        con = connect(path, create=True)
        kept = []

        def one(law):
            if not any(ev["ev"] == "article" for ev in law.events):
                return
            with _transaction(con):
                status, doc_id = _store(con, law, origin)
            kept.append(doc_id)
            summary["laws"] += 1
            summary[status] += 1
            summary["articles"] += sum(1 for ev in law.events if ev["ev"] == "article")
            if on_law:
                on_law(status, doc_id, law.doc.get("title"))

        if first is not None:
            one(first)
        for law in laws:
            one(law)
        if origin is not None:
            summary["removed"] = 0
            with _transaction(con):
                summary["removed"] = _release(con, origin, set(kept))
                con.execute("INSERT OR REPLACE INTO clt_origins (origin, sha256, laws) VALUES (?, ?, ?)",
                            (origin, origin_sha256 or "", len(kept)))
        return summary
    except sqlite3.Error as e:
        raise OutputError(f"database error: {e}", source=path) from None
    finally:
        if con is not None:
            con.close()


def origin_sha256(con, origin):
    """The hash recorded for what *origin* last loaded, or None."""
    row = con.execute("SELECT sha256 FROM clt_origins WHERE origin = ?", (origin,)).fetchone()
    return row[0] if row else None


def remove_origin(con, origin):
    """Forget source *origin* (one transaction): the laws it held leave the
    database, but for those another source holds too.  How many left."""
    with _transaction(con):
        n = _release(con, origin)
        con.execute("DELETE FROM clt_origins WHERE origin = ?", (origin,))
    return n


def _no_articles():
    return InputError("no articles to load", hint="--to sqlite reads the output of 'clt split' or the text of a law")


# --------------------------------------------------------------------------- searching

def _like_escape(s):
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_phrase(term):
    return '"' + term.replace('"', '""') + '"'


def _has_token_char(word):
    """True when unicode61 (its default categories L* N* Co, Unicode 6.1) surely makes a
    token of some character of *word*: a letter or digit of the BMP or of CJK Extension B."""
    import unicodedata

    return any(ord(c) < 0x2A6E0 and unicodedata.category(c)[0] in "LN" for c in word)


def search(path_or_con, query, *, law=None, limit=None, context=20):
    """The articles of the database whose text holds every word of *query*.

    *query* is split at white space into words, each a substring to find
    (punctuation and all; no operators).  A word of three characters or more
    is looked up in the trigram FTS5 index, a shorter one in ``articles_chars``
    (a trigram index cannot find one or two characters) and checked with
    ``LIKE``; a word of punctuation only, or a database without the indexes,
    goes through ``LIKE`` over every article.  *law* keeps the
    articles of the laws whose title is it or holds it (white space ignored).
    Yields dicts in document order: ``document_id``, ``article_id``, ``law``,
    ``label``, ``num``, ``sub``, ``citation`` (《law》第X条), ``anchor``,
    ``text``, ``matches`` ([start, end] of every match in ``text``) and
    ``snippet`` (``{"text", "matches"}``: the text around the first match,
    *context* characters either side).
    """
    words = [w for w in (query or "").split() if w]
    if not words:
        raise UsageError("empty search query")
    con = path_or_con if isinstance(path_or_con, sqlite3.Connection) else open_db(path_or_con)
    own = con is not path_or_con
    try:
        fts = has_fts(con)
        where, args = [], []
        long_words = [w for w in words if len(w) >= 3] if fts else []
        # with a limit, articles are read in the order of the laws and the first hits kept
        # (+a.id: the index's hits a set to test, not the rows to start from and then sort)
        lead = "+" if limit else ""
        if long_words:
            where.append(lead + "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            args.append(" AND ".join(_fts_phrase(w) for w in long_words))
        short = [w for w in words if w not in long_words and _has_token_char(w)] if has_chars(con) else []
        if short and not long_words:  # the candidates; LIKE below keeps the true substrings
            where.append(lead + "a.id IN (SELECT rowid FROM articles_chars WHERE articles_chars MATCH ?)")
            args.append(" AND ".join(_fts_phrase(_spaced(w)) for w in short))
        for w in words:
            if w not in long_words:
                where.append("a.text LIKE ? ESCAPE '\\'")
                args.append(f"%{_like_escape(w)}%")
        if law:
            from clt.laws import _norm

            title_like = ("replace(replace(replace(replace(replace(d.title, ' ', ''), '　', ''), '（', '('),"
                          " '）', ')'), char(10), '') LIKE ? ESCAPE '\\'")
            pattern = f"%{_like_escape(_norm(law))}%"
            if not con.execute(f"SELECT 1 FROM documents d WHERE {title_like} LIMIT 1", (pattern,)).fetchone():
                raise UsageError(f"--law {law!r}: no law with that title in the database")
            where.append(title_like)
            args.append(pattern)
        sql = ("SELECT a.id, a.document_id, d.title, a.label, a.num, a.sub, a.citation, a.anchor, a.text, a.path"
               " FROM articles a JOIN documents d ON d.id = a.document_id"
               f" WHERE {' AND '.join(where)} ORDER BY a.document_id, a.seq")
        if limit:
            sql += " LIMIT ?"
            args.append(int(limit))
        try:
            rows = con.execute(sql, args).fetchall()
        except sqlite3.Error as e:
            raise InputError(f"search failed: {e}") from None
        paths = {}  # the articles of a chapter share their path: parsed once
        cased = any(w.lower() != w.upper() for w in "".join(words))
        for aid, did, title, label, num, sub, citation, anchor, text, path in rows:
            matches = _matches(text, words, cased)
            if path and path not in paths:
                paths[path] = json.loads(path)
            yield {"document_id": did, "article_id": aid, "law": title, "label": label, "num": num, "sub": sub,
                   "citation": citation or label, "anchor": anchor,
                   "path": list(paths[path]) if path else None,
                   "text": text, "matches": matches, "snippet": _snippet(text, matches, context)}
    finally:
        if own:
            con.close()


def _matches(text, words, cased=True):
    """[start, end] of every occurrence of every word in *text*, in order, overlaps merged
    (case folded as LIKE folds it, unless no word has a cased letter: *cased* false)."""
    spans = []
    low = text.lower() if cased else text
    for w in words:
        wl = w.lower() if cased else w
        i = low.find(wl)
        while i >= 0:
            spans.append([i, i + len(w)])
            i = low.find(wl, i + 1)
    spans.sort()
    merged = []
    for s in spans:
        if merged and s[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], s[1])
        else:
            merged.append(s)
    return merged


def _snippet(text, matches, context):
    """The text around the first match (one line of it), with the matches in it."""
    if not matches:
        return {"text": text[:2 * context], "matches": [], "start": 0}
    s, e = matches[0]
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    a = max(line_start, s - context)
    b = min(line_end, max(e + context, a + 2 * context))
    inside = [[max(ms, a) - a, min(me, b) - a] for ms, me in matches if ms < b and me > a]
    return {"text": text[a:b], "matches": inside, "start": a, "before": a > 0, "after": b < len(text)}


def stats(path_or_con):
    """Counts of the main tables (for tests and ``--verbose``)."""
    con = path_or_con if isinstance(path_or_con, sqlite3.Connection) else open_db(path_or_con)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "headings", "articles", "paragraphs", "items", "blocks", "refs")}
    finally:
        if con is not path_or_con:
            con.close()
