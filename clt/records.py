"""The record stream every clt stage reads and writes.

A stream is a sequence of JSON objects, one per line (JSON Lines), each with a
``type``.  The schema is described in ``man/clt-records.5``; its version is
:data:`clt.SCHEMA_VERSION` and travels on the ``source`` records written by
``extract`` (and on ``document`` records written by ``split``) as ``schema``.

Reading accepts either JSON Lines or plain text: a file (or stdin) whose first
non-blank line is not a JSON object is read as text in any common Chinese
encoding and turned into ``line`` records, so ``cat law.txt | clt split``
works.  Records of a type a stage does not know pass through untouched.
"""

import io
import itertools
import json

try:  # several times faster at reading records; the standard reader decides where it refuses
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; kept working without it
    orjson = None
import os
import re
import sys

from clt import SCHEMA_VERSION
from clt.errors import InputError, OutputError
from clt.fsutil import open_input
from clt.textio import decode_bytes, sniff_bom
from clt import recache

SNIFF_BYTES = 64 * 1024


def record(type_, **fields):
    """A new record of *type_*: a plain dict whose first key is ``type``."""
    r = {"type": type_}
    r.update(fields)
    return r


def source_record(path, fmt, **fields):
    """The ``source`` record that opens the lines of one input file."""
    return record("source", schema=SCHEMA_VERSION, path=path, format=fmt, **fields)


# --------------------------------------------------------------------------- reading

def _open_binary(src):
    """(binary file object, display name, must_close) for a path, '-' or file object."""
    if src is None or src == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        return stream, "<stdin>", False
    if hasattr(src, "read"):
        name = getattr(src, "name", "<stream>")
        if not isinstance(name, str):
            name = "<stream>"
        if isinstance(src, io.TextIOBase):
            src = getattr(src, "buffer", None) or io.BytesIO(src.read().encode("utf-8"))
        return src, name, False
    path = os.fspath(src)
    return open_input(path), path, True


def looks_like_jsonl(head):
    """True when the first non-blank line of *head* (bytes) is a JSON object."""
    if sniff_bom(head) not in (None, "utf-8-sig"):
        return False
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    for raw in text.split(b"\n"):
        s = raw.strip()
        if not s:
            continue
        if not s.startswith(b"{"):
            return False
        try:
            return isinstance(json.loads(s.decode("utf-8")), dict)
        except RecursionError:
            return True  # an object nested too deep: iter_jsonl says so
        except UnicodeDecodeError:
            return False
        except ValueError:
            # a first line longer than the sniffing window is cut: trust the brace
            return len(head) >= SNIFF_BYTES and b"\n" not in text.lstrip()
    return False


def byte_lines(head, stream):
    """Lines (bytes) of *head* followed by the rest of *stream*, without loading it."""
    buf = io.BytesIO(head)
    partial = b""
    for line in buf:
        if line.endswith(b"\n"):
            yield partial + line
            partial = b""
        else:
            partial = line
    if partial:
        rest = stream.readline()
        yield partial + rest
    for line in stream:
        yield line


# --------------------------------------------------------------------------- validation

#: deepest nesting of arrays/objects a record may have (the deepest clt writes
#: is an article's items within items, well under this)
MAX_DEPTH = 64

_STR, _INT, _NUM, _BOOL, _LIST, _DICT = "a string", "an integer", "a number", "true or false", "a list", "an object"
_CHECKS = {
    _STR: lambda v: isinstance(v, str),
    _INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
    _NUM: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    _BOOL: lambda v: isinstance(v, bool),
    _LIST: lambda v: isinstance(v, list),
    _DICT: lambda v: isinstance(v, dict),
    "a [page, line] list": lambda v: isinstance(v, list) and all(
        isinstance(p, list) and len(p) == 2 and all(_CHECKS[_INT](x) for x in p) for p in v),
    "a list of 4 numbers": lambda v: isinstance(v, list) and len(v) == 4 and all(_CHECKS[_NUM](x) for x in v),
    "a list of 2 numbers": lambda v: isinstance(v, list) and len(v) == 2 and all(_CHECKS[_NUM](x) for x in v),
    "a list of strings": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "a list of objects": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
    "a string or a list of strings": lambda v: isinstance(v, str) or (
        isinstance(v, list) and all(isinstance(x, str) for x in v)),
    "true, false or a number": lambda v: isinstance(v, (bool, int, float)),
    # an article's or heading's number: 第一条 is 1, there is no 第零条 nor 第负一条
    "a positive integer": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
    "a list of [x0, x1] pairs": lambda v: isinstance(v, list) and all(
        isinstance(p, list) and len(p) == 2 and all(_CHECKS[_NUM](x) for x in p) for p in v),
    "an object or a list of objects": lambda v: isinstance(v, dict) or (
        isinstance(v, list) and all(isinstance(x, dict) for x in v)),
}
_PAIRS = "a [page, line] list"
_POS = "a positive integer"
_LOBJ = "a list of objects"
_LSTR = "a list of strings"

#: fields every record may have
_COMMON = {"source": _STR, "page": _INT, "line": _INT}

#: type -> {field: expected kind}, after clt-records(5); a field not listed is
#: not checked, and ``null`` is accepted for every field but the required ones
SCHEMA = {
    "source": {"schema": _INT, "path": _STR, "format": _STR, "encoding": _STR, "pages": _INT,
               "producer": _STR, "engine": _STR, "title": _STR},
    "page": {"width": _NUM, "height": _NUM, "ocr": _BOOL, "turned": _INT},
    "line": {"text": _STR, "lineno": _INT, "bbox": "a list of 4 numbers", "size": _NUM, "font": _STR,
             "bold": _BOOL, "spans": _LOBJ, "ocr": _BOOL, "conf": _NUM, "column": _INT,
             "column_box": "a list of 2 numbers", "rotated": _BOOL, "continued": _BOOL, "align": _STR,
             "indent": _NUM, "left": _NUM, "style": _STR, "numbered": _BOOL, "tag": _STR,
             "cells": _LSTR, "table": _INT, "row": _INT, "layer_text": _STR, "ocr_engine": _STR,
             "char_boxes": "a list of [x0, x1] pairs"},
    "warning": {"stage": _STR, "message": _STR, "code": _STR},
    # a para's indent: whether its first line is indented (normalize), or points (a DOCX paragraph)
    "para": {"text": _STR, "lines": _PAIRS, "edits": _LOBJ, "align": _STR, "indent": "true, false or a number"},
    "removed": {"text": _STR, "rule": _STR, "reason": _STR, "part": _STR},
    "document": {"schema": _INT, "title": _STR, "caption": "a string or a list of strings", "history": _LOBJ, "notice": _DICT},
    "block": {"kind": _STR, "text": _STR, "lines": _PAIRS, "entries": _LIST, "notice": _DICT},
    "heading": {"level": _STR, "label": _STR, "num": _POS, "title": _STR, "path": _LSTR, "lines": _PAIRS},
    "article": {"label": _STR, "num": _POS, "sub": _POS, "path": _LSTR, "text": _STR,
                "paragraphs": _LOBJ, "lines": _PAIRS},
    "paragraph": {"article": _STR, "num": _INT, "sub": _INT, "index": _INT, "text": _STR,
                  "items": _LOBJ, "path": _LSTR},
    "item": {"article": _STR, "paragraph": _INT, "label": _STR, "num": _INT, "text": _STR,
             "items": _LOBJ, "path": _LSTR},
    "document_end": {"title": _STR, "articles": _INT, "warnings": _INT, "effective": _DICT},
    "change": {"op": _STR, "old": "an object or a list of objects", "new": "an object or a list of objects",
               "similarity": _NUM},
}

#: fields that must be present (and not null) in a record of the type
REQUIRED = {t: ("text",) for t in ("line", "para", "removed", "article", "paragraph", "item")}

#: record types whose ``text`` every stage reads as a string
TEXT_TYPES = frozenset({"line", "para", "removed", "block", "heading", "article", "paragraph", "item"})


#: type -> {field: kind} of every field checked (the common ones and the type's own)
_KINDS = {t: {**_COMMON, **fields} for t, fields in SCHEMA.items()}
assert all(len(_KINDS[t]) == len(_COMMON) + len(f) for t, f in SCHEMA.items())

#: kind -> the exact value types that certainly fit it (a value of another type, a
#: subclass of str or int included, is judged by the kind's check in :data:`_CHECKS`)
_FITS = {_STR: (str,), _INT: (int,), _NUM: (int, float), _BOOL: (bool,), _LIST: (list,), _DICT: (dict,)}
#: type -> {field: exact types that fit it without a call} (None or absent: the check decides)
_FAST = {t: {name: _FITS.get(kind, ()) for name, kind in kinds.items()} for t, kinds in _KINDS.items()}
_NONE = type(None)
#: value types that are never a float (a float, or a subclass of one, is looked at for NaN)
_NOT_FLOAT = frozenset({str, int, bool, list, dict, _NONE})
_INFINITIES = (float("inf"), float("-inf"))


_T_LIST = frozenset({list})
_T_INT = frozenset({int})
_T_NUM = frozenset({int, float})
_T_STR = frozenset({str})
_T_DICT = frozenset({dict})


def _fast_pairs(v):
    # a list of [int, int] lists, every one of exact types (C loops: no Python frame per pair)
    return not v or (_T_LIST.issuperset(map(type, v)) and _LEN_2.issuperset(map(len, v))
                     and _T_INT.issuperset(map(type, itertools.chain.from_iterable(v))))


def _fast_num_pairs(v):
    return not v or (_T_LIST.issuperset(map(type, v)) and _LEN_2.issuperset(map(len, v))
                     and _T_NUM.issuperset(map(type, itertools.chain.from_iterable(v))))


_LEN_2 = frozenset({2})

#: kind -> (the exact value types that may fit it, a quick test of such a value or None):
#: the test, when true, means the kind's check in :data:`_CHECKS` is true (when false,
#: that check decides); without a test, a value of those types fits
_QUICK = {
    **{kind: (types, None) for kind, types in _FITS.items()},
    "true, false or a number": ((bool, int, float), None),
    _POS: ((int,), lambda v: v >= 1),
    _PAIRS: ((list,), _fast_pairs),
    "a list of [x0, x1] pairs": ((list,), _fast_num_pairs),
    "a list of 4 numbers": ((list,), lambda v: len(v) == 4 and _T_NUM.issuperset(map(type, v))),
    "a list of 2 numbers": ((list,), lambda v: len(v) == 2 and _T_NUM.issuperset(map(type, v))),
    _LSTR: ((list,), lambda v: _T_STR.issuperset(map(type, v))),
    _LOBJ: ((list,), lambda v: _T_DICT.issuperset(map(type, v))),
    "a string or a list of strings": ((str, list), lambda v: type(v) is str or _T_STR.issuperset(map(type, v))),
    "an object or a list of objects": ((dict, list), lambda v: type(v) is dict or _T_DICT.issuperset(map(type, v))),
}
assert set(_QUICK) == set(_CHECKS)


def _quickened(kind):
    types, quick = _QUICK[kind]
    full = _CHECKS[kind]
    if quick is None:
        return full
    return lambda v: (type(v) in types and quick(v)) or full(v)


#: the checks as written above (the tests hold the quick ones to them)
_FULL_CHECKS = dict(_CHECKS)
#: the checks, each trying its quick test first (same answers)
_CHECKS.update({kind: _quickened(kind) for kind in list(_CHECKS)})
_FAST = {t: {name: _QUICK[kind][0] if _QUICK[kind][1] is None else () for name, kind in kinds.items()}
         for t, kinds in _KINDS.items()}


def check_record(obj):
    """``None`` when *obj* fits clt-records(5), else what is wrong with it, as
    ``"<type> record: field 'text' must be a string"``.  Records of unknown
    types are not checked past having a string ``type``."""
    if not isinstance(obj, dict):
        return "not a JSON object"
    if "type" not in obj:
        return "JSON object without a \"type\""
    t = obj["type"]
    if not isinstance(t, str):
        return "record: field 'type' must be a string"
    kinds = _KINDS.get(t)
    if kinds is None:
        return None
    for name in REQUIRED.get(t, ()):
        if obj.get(name) is None:
            return f"{t} record: field '{name}' is missing"
    # the fields the record has (a handful) rather than all the schema names; when one is
    # wrong, the schema order below decides which is named
    fast = _FAST[t]
    for name, v in obj.items():
        fits = fast.get(name)
        if fits is None or type(v) in fits or v is None:
            continue  # a field of no kind, a value of a type that fits it, or null
        if not _CHECKS[kinds[name]](v):
            break
    else:
        if t != "change":
            return None
    fields = SCHEMA[t]
    for table in (_COMMON, fields):
        for name, kind in table.items():
            v = obj.get(name)
            if v is not None and not _CHECKS[kind](v):
                return f"{t} record: field '{name}' must be {kind}"
    if t == "change":
        for side in ("old", "new"):
            v = obj.get(side)
            for art in (v if isinstance(v, list) else [v] if v else []):
                for name, kind in (("label", _STR), ("text", _STR), ("path", _LSTR)):
                    x = art.get(name)
                    if x is not None and not _CHECKS[kind](x):
                        return f"change record: field '{side}.{name}' must be {kind}"
    return None


def _depth_ok(obj, limit=MAX_DEPTH):
    """True when *obj* nests arrays/objects no deeper than *limit* (iterative)."""
    stack = [(obj, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            v = v.values()
        elif not isinstance(v, list):
            continue
        if d > limit:
            return False
        stack.extend((x, d + 1) for x in v if isinstance(x, (dict, list)))
    return True


_SURROGATE = recache.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = recache.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_B = recache.compile(rb"\\u[dD][89a-fA-F]")
_OPENS, _OPENS_B = ("[", "{"), (b"[", b"{")


def _has_lone_surrogate(obj):
    stack = [obj]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


class _BadRecord(Exception):
    pass


#: 19 digits in a row: perhaps an integer beyond 64 bits, which orjson reads as a float
#: (\d with re.ASCII, and in a bytes pattern, is [0-9]: its search is the faster)
_LONG_DIGITS = recache.compile(r"\d{19}", re.ASCII)
_LONG_DIGITS_B = recache.compile(rb"\d{19}")


def parse_record(s):
    """The record one JSON text *s* holds, strictly: RFC 8259 JSON (no NaN or
    Infinity), no lone surrogate (``"\\ud800"``), nesting no deeper than
    :data:`MAX_DEPTH`, and fitting the schema (:func:`check_record`).
    Raises ``ValueError`` with what is wrong."""
    if orjson is not None and not _LONG_DIGITS.search(s):
        try:
            obj = orjson.loads(s)
        except Exception:
            pass  # what orjson refuses, the standard reader judges (and words the error)
        else:
            return _checked(obj, s)
    try:
        obj = json.loads(s, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as e:
        msg = getattr(e, "msg", None) or str(e)
        raise ValueError(msg if "is not JSON" in msg else "not a JSON object") from None
    return _checked(obj, s)


def _checked(obj, s=None):
    """*obj*, a record read from the JSON text *s* (str, or its UTF-8 bytes), if it passes."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    # (the marks counted and looked for are ASCII: the same in the text and in its bytes)
    opens, escape = (_OPENS_B, _SURROGATE_ESCAPE_B) if type(s) is bytes else (_OPENS, _SURROGATE_ESCAPE)
    if (s is None or s.count(opens[0]) + s.count(opens[1]) > MAX_DEPTH) and not _depth_ok(obj):
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    if (s is None or escape.search(s)) and _has_lone_surrogate(obj):
        raise ValueError("a lone surrogate (\\ud800-\\udfff) is not text")
    problem = check_record(obj)
    if problem:
        raise ValueError(problem)
    return obj


class Checked:
    """Records that need no check at the next stage's boundary: read (and checked) by
    :func:`read_records`, or made by a clt stage from checked records.  An iterator
    of the records as they are; :func:`checked` lets them through without looking at
    them again (each record of a pipe is checked once, where it is read)."""

    __slots__ = ("records",)

    def __init__(self, records):
        self.records = iter(records)

    def __iter__(self):
        return self.records

    def __next__(self):
        return next(self.records)


def rewrap(old, new):
    """*new*, records of *old* re-chained (after a look at their head), marked
    :class:`Checked` when *old* was."""
    return Checked(new) if type(old) is Checked else new


def checked(records, name=None):
    """*records* as they are, each checked by :func:`check_record` (and for
    NaN/Infinity) on its way: the boundary of every stage's library function,
    for records that did not come through :func:`read_records`.  A record of
    the wrong shape raises :class:`~clt.errors.InputError` naming its
    ``source`` (or *name*) and its position in the stream.  Records marked
    :class:`Checked` (read by :func:`read_records`, or a stage's output) pass
    without a second look."""
    if type(records) is Checked:
        return records.records
    return _check_each(records, name)


def _check_each(records, name):
    fast_types = _FAST
    for n, rec in enumerate(records, 1):
        # the common case, in line: a dict of a known type (not change) whose every value is
        # of a type that certainly fits its field (no float: NaN), its text present -- what
        # check_record accepts at once; anything else goes the whole way
        if type(rec) is dict:
            t = rec.get("type")
            fast = fast_types.get(t) if type(t) is str and t != "change" else None
            if fast is not None and (t not in REQUIRED or rec.get("text") is not None):
                for name, v in rec.items():
                    tv = type(v)
                    if tv not in _NOT_FLOAT and (tv is not float or v != v or v in _INFINITIES):
                        break  # NaN, Infinity or a value of an unusual type: the whole way
                    fits = fast.get(name)
                    if fits is None or tv in fits or v is None:
                        continue
                    break
                else:
                    yield rec
                    continue
        problem = check_record(rec)
        if problem is None and isinstance(rec, dict) and not _NOT_FLOAT.issuperset(map(type, rec.values())):
            for v in rec.values():
                if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
                    problem = f"{rec['type']} record: a field is NaN or Infinity (not JSON)"
                    break
        if problem:
            src = rec.get("source") if isinstance(rec, dict) else None
            raise InputError(f"record {n}: {problem}",
                             source=src if isinstance(src, str) else name)
        yield rec


def invalid_record_warning(name, line, problem):
    """The ``warning`` record that stands for a record skipped under ``--lenient``."""
    return record("warning", stage="read", code="invalid-record", source=name, line=line,
                  message=f"record skipped: {problem}")


def iter_jsonl(lines, name, lenient=False):
    """Records from an iterable of JSON Lines (bytes or str); blank lines skipped.

    Each line is read by :func:`parse_record`: a line that is not a record
    of the documented shape raises :class:`~clt.errors.InputError` naming
    the file and line, or with *lenient* becomes a ``warning`` record
    (code ``invalid-record``) in its place."""
    for n, raw in enumerate(lines, 1):
        try:
            obj = _parse_line(raw, n)
        except UnicodeDecodeError:
            raise InputError("not UTF-8 (JSON Lines must be UTF-8)", source=name, line=n) from None
        except ValueError as e:
            if lenient:
                yield invalid_record_warning(name, n, str(e))
                continue
            raise InputError(str(e), source=name, line=n) from None
        if obj is not None:
            yield obj


def _parse_line(raw, n):
    """The record on line *n* (bytes or str), None for a blank line; ValueError for a bad one,
    UnicodeDecodeError for bytes that are not UTF-8."""
    if orjson is not None and type(raw) is bytes:
        # the common line, read from its bytes as they are (orjson checks the UTF-8 itself):
        # one JSON object, nothing orjson would read otherwise than the standard reader.
        # Anything else -- not UTF-8, a BOM, other white space around it, not an object --
        # goes the way below, which words the error
        b = raw.strip()
        if b[:1] == b"{" and _LONG_DIGITS_B.search(b) is None:
            try:
                obj = orjson.loads(b)
            except Exception:  # noqa: BLE001 - judged again below
                obj = None
            if type(obj) is dict:
                return _checked(obj, b)
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    if n == 1 and raw.startswith("\ufeff"):
        raw = raw[1:]
    s = raw.strip()
    return parse_record(s) if s else None


def _starts_like_json(head):
    """A JSON object that does not fit on its first line (pretty-printed)."""
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    return text.lstrip().startswith(b"{")


def iter_json_values(data, name, lenient=False):
    """Records from pretty-printed JSON (``clt convert --to json --indent 2``):
    JSON objects one after the other, each over several lines.  The whole
    input is read: such files are made for people, not for streams."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError("not UTF-8 (JSON must be UTF-8)", source=name,
                         line=data[: e.start].count(b"\n") + 1) from None
    decoder = json.JSONDecoder(parse_constant=_refuse_constant)
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            return
        try:
            obj, pos_next = decoder.raw_decode(text, pos)
        except RecursionError:
            raise InputError(f"nested deeper than {MAX_DEPTH} levels", source=name,
                             line=text.count("\n", 0, pos) + 1) from None
        except ValueError as e:
            raise InputError(f"not valid JSON ({getattr(e, 'msg', e)})", source=name,
                             line=text.count("\n", 0, getattr(e, "pos", pos)) + 1) from None
        line = text.count("\n", 0, pos) + 1
        try:
            obj = _checked(obj)
        except ValueError as e:
            if not lenient:
                raise InputError(str(e), source=name, line=line) from None
            obj = invalid_record_warning(name, line, str(e))
        yield obj
        pos = pos_next


#: characters of plain text :func:`text_line_records` splits into lines at a time
TEXT_BLOCK = 1 << 18


def text_line_records(text, name, fmt="text", **source_fields):
    """``source``/``page``/``line`` records for plain *text*.

    A form feed starts a new page (``pdftotext`` writes one per page); ``line``
    is the 1-based line number within its page, ``lineno`` the line number in
    the file.  Every line is kept, blank ones included (as empty ``text``), so
    the next stage can see paragraph gaps.
    """
    yield source_record(name, fmt, **source_fields)
    page = 1
    line_in_page = 0
    lineno = 0
    # a block of lines at a time (never a list of all the lines: a text without form feeds is one page)
    n = len(text)
    pos = 0
    while True:
        ff = text.find("\f", pos)
        end = n if ff < 0 else ff
        if ff < 0 and page > 1 and not text[pos:].strip():
            break  # the form feed that ends the last page
        yield {"type": "page", "source": name, "page": page}
        line_in_page = 0
        start = pos
        while start < end:
            # the page's lines a block of about TEXT_BLOCK characters at a time (split in one
            # call; a page may be the whole text): the block ends at a newline, or at the page
            b = text.find("\n", start + TEXT_BLOCK, end) if start + TEXT_BLOCK < end else -1
            stop = end if b < 0 else b
            block = text[start:stop]
            lines = block.split("\n")
            if b < 0 and lines[-1] == "":
                lines.pop()  # the page's text ends with a newline: no line after it
            if "\r" in block:
                lines = [ln.rstrip("\r") for ln in lines]
            del block
            for ln in lines:
                lineno += 1
                line_in_page += 1
                yield {"type": "line", "source": name, "page": page, "line": line_in_page, "lineno": lineno,
                       "text": ln}
            start = stop + 1
        if ff < 0:
            break
        pos = ff + 1
        page += 1


def _refuse_documents(head, name):
    """A PDF, Word file, web page or image is not a record stream nor plain
    text: say so (and what to run) instead of failing to decode it."""
    from clt.extract.sniff import sniff

    kind = sniff(head, name)
    what = {"pdf": "a PDF document", "zip": "a DOCX/ZIP file", "html": "an HTML page",
            "doc": "an old Word/WPS (OLE) file"}.get(kind)
    if what is None and isinstance(kind, tuple) and kind[0] == "binary":
        what = kind[1].split(";")[0]
    if what:
        raise InputError(f"is {what}, not JSON Lines or plain text",
                         source=name, hint="read it with 'clt extract' first, e.g. "
                                           "clt extract FILE | clt normalize")


def read_records(src="-", encoding=None, lenient=False):
    """Records from one input: a path, ``"-"`` for stdin, or a binary file object.

    JSON Lines come through as they are (streamed, one line at a time), each
    checked as it is read; plain text is decoded (see
    :func:`clt.textio.decode_bytes`) and turned into ``line`` records by
    :func:`text_line_records`.  The records come marked :class:`Checked`.
    """
    return Checked(_read_records(src, encoding, lenient))


def _read_records(src, encoding, lenient):
    stream, name, close = _open_binary(src)
    try:
        head = stream.read(SNIFF_BYTES)
        if isinstance(head, str):  # a text stream slipped through
            head = head.encode("utf-8")
        rest = stream
        if len(head) < SNIFF_BYTES:
            # a short read is the end of the input: reading again would wait for
            # a second Ctrl-D on a terminal
            rest = io.BytesIO()
        if looks_like_jsonl(head):  # JSON Lines are UTF-8 whatever --encoding says of text
            yield from iter_jsonl(byte_lines(head, rest), name, lenient=lenient)
            return
        if not encoding and _starts_like_json(head):
            yield from iter_json_values(head + rest.read(), name, lenient=lenient)
            return
        if not encoding:
            _refuse_documents(head, name)
        data = head + rest.read()
        if not data.strip():
            return
        text, enc = decode_bytes(data, encoding, source=name)
        del data, head  # the text alone is held while its lines stream out
        yield from text_line_records(text, name, encoding=enc)
    finally:
        if close:
            stream.close()


def read_inputs(sources, encoding=None, lenient=False):
    """Records from several inputs in turn (see :func:`read_records`), marked :class:`Checked`."""
    return Checked(_read_inputs(sources or ["-"], encoding, lenient))


def _read_inputs(sources, encoding, lenient):
    for src in sources:
        yield from read_records(src, encoding=encoding, lenient=lenient)


_MD_TITLE = recache.compile(r"^#[ \t]+\S")


def peek_markdown(records, window=200):
    """``(is_markdown, records)``: whether the text lines of *records* are a
    LawRefBook-style Markdown law (a ``# 标题`` line within the first *window*
    records), and the records, all of them, to go on with.  Markdown is
    split as it is: normalizing would take its ``#`` marks for text."""
    it = iter(records)
    buf = []
    found = False
    for rec in it:
        buf.append(rec)
        if rec.get("type") == "line" and _MD_TITLE.match(rec.get("text") or ""):
            found = True
            break
        if len(buf) >= window:
            break
    return found, rewrap(records, itertools.chain(buf, it))


# --------------------------------------------------------------------------- writing

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


def _c_encoder():
    """The C encoder ``json.dumps(rec, ensure_ascii=False, separators=(", ", ": "),
    allow_nan=False)`` builds on every call, built once (None without the C
    accelerator): the same bytes, without constructing an encoder per record."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return None
    e = _ENCODER
    return make({}, e.default, json.encoder.encode_basestring, e.indent, e.key_separator,
                e.item_separator, e.sort_keys, e.skipkeys, e.allow_nan)


_C_ENCODE = _c_encoder()


try:  # the optional compiled writer (clt/_jsonout.c): the same text, written in one C call
    if os.environ.get("CLT_JSON_ACCEL", "1") == "0":
        raise ImportError("disabled by CLT_JSON_ACCEL=0")
    from clt import _jsonout

    if getattr(_jsonout, "VERSION", None) != 2:
        raise ImportError("built from an older source")
    _FAST_ENCODE = _jsonout.encode
except ImportError:  # not built (no compiler), or turned off: the standard library's encoder
    _FAST_ENCODE = None


def _encode(rec):
    global _C_ENCODE
    if _C_ENCODE is None or type(rec) is not dict:
        return _ENCODER.encode(rec)
    try:
        return "".join(_C_ENCODE(rec, 0))
    except BaseException:
        _C_ENCODE = _c_encoder()  # its circular-reference markers may be left half-filled
        raise


def dumps(rec):
    """One record as one line of strict JSON (RFC 8259; no newline), UTF-8
    characters kept as they are.  The one place clt turns a record into JSON.

    Never NaN or Infinity: a record holding one is a bug, raised as
    :class:`~clt.errors.OutputError`.  Never a lone surrogate: the readers
    refuse them, so the only ones that reach here are undecodable bytes of a
    file name (``surrogateescape``, U+DC80-U+DCFF) or a broken engine's
    half of a pair; each is written as U+FFFD, so the output is always valid
    UTF-8 (the name's raw bytes are not kept)."""
    if _FAST_ENCODE is not None:
        s = _FAST_ENCODE(rec)  # (surrogates already written as U+FFFD)
        if s is not None:
            return s  # (None: a shape it leaves to the standard library, which writes or refuses it)
    try:
        s = _encode(rec)
    except ValueError as e:
        raise OutputError(f"{rec.get('type', 'a')} record holds {e} (NaN or Infinity is not JSON)",
                          source=rec.get("source") if isinstance(rec.get("source"), str) else None
                          ) from None
    if _SURROGATE.search(s):
        s = _SURROGATE.sub("\ufffd", s)
    return s


#: record types that open or close a unit of the stream: the writer flushes after each
UNIT_TYPES = frozenset({"source", "page", "document", "document_end", "heading", "article", "warning"})


def write_records(records, fp, flush=None):
    """Write *records* to the text file *fp*, one JSON object per line.

    *flush* True flushes every line, False none (the caller closes *fp*).
    The default flushes every line on a terminal; elsewhere (a pipe, a file)
    after each record of :data:`UNIT_TYPES` and whenever the page changes, so
    a downstream ``clt`` stage still sees every page, article and document
    as soon as it is complete, without a system call per record.  Returns
    the count.
    """
    if flush is None:
        try:
            flush = fp.isatty()
        except (AttributeError, ValueError):
            flush = False
        per_unit = not flush
    else:
        per_unit = False
    n = 0
    if flush:
        for rec in records:
            fp.write(dumps(rec) + "\n")
            fp.flush()
            n += 1
        return n
    # the lines of a unit are written together, when it ends (or every WRITE_BATCH lines: a
    # text without page breaks is one page), instead of one write call a record
    page = None
    buf = []
    try:
        for rec in records:
            buf.append(dumps(rec))
            n += 1
            if per_unit:
                p = rec.get("page")
                if rec.get("type") in UNIT_TYPES or p != page:
                    page = p
                    _write_lines(fp, buf)
                    fp.flush()
                    continue
            if len(buf) >= WRITE_BATCH:
                _write_lines(fp, buf)
    finally:
        if buf:  # what was made before an error is written, as it was a record at a time
            _write_lines(fp, buf)
    return n


#: lines :func:`write_records` holds at most before writing them
WRITE_BATCH = 256


def _write_lines(fp, buf):
    data = "\n".join(buf) + "\n"
    buf.clear()
    fp.write(data)
