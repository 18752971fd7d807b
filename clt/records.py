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
import os
import re
import sys

from clt import SCHEMA_VERSION
from clt.errors import InputError
from clt.fsutil import open_input
from clt.textio import decode_bytes, sniff_bom

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


#: record types whose ``text`` every stage reads as a string
TEXT_TYPES = frozenset({"line", "para", "removed", "block", "heading", "article", "paragraph", "item"})


def iter_jsonl(lines, name):
    """Records from an iterable of JSON Lines (bytes or str); blank lines skipped."""
    for n, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError("not UTF-8 (JSON Lines must be UTF-8)", source=name, line=n) from None
        if n == 1 and raw.startswith("\ufeff"):
            raw = raw[1:]
        s = raw.strip()
        if not s:
            continue
        try:
            obj = json.loads(s)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            raise InputError("not a JSON object", source=name, line=n)
        if "type" not in obj:
            raise InputError("JSON object without a \"type\"", source=name, line=n)
        if obj["type"] in TEXT_TYPES and not isinstance(obj.get("text"), (str, type(None))):
            raise InputError(f"a {obj['type']} record whose \"text\" is not a string", source=name, line=n)
        yield obj


def _starts_like_json(head):
    """A JSON object that does not fit on its first line (pretty-printed)."""
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    return text.lstrip().startswith(b"{")


def iter_json_values(data, name):
    """Records from pretty-printed JSON (``clt convert --to json --indent 2``):
    JSON objects one after the other, each over several lines.  The whole
    input is read: such files are made for people, not for streams."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError("not UTF-8 (JSON must be UTF-8)", source=name,
                         line=data[: e.start].count(b"\n") + 1) from None
    decoder = json.JSONDecoder()
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            return
        try:
            obj, pos_next = decoder.raw_decode(text, pos)
        except ValueError as e:
            raise InputError(f"not valid JSON ({getattr(e, 'msg', e)})", source=name,
                             line=text.count("\n", 0, getattr(e, "pos", pos)) + 1) from None
        line = text.count("\n", 0, pos) + 1
        if not isinstance(obj, dict):
            raise InputError("not a JSON object", source=name, line=line)
        if "type" not in obj:
            raise InputError("JSON object without a \"type\"", source=name, line=line)
        yield obj
        pos = pos_next


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
    pages = text.split("\f")
    for pi, chunk in enumerate(pages):
        if pi == len(pages) - 1 and not chunk.strip() and pi > 0:
            break  # the form feed that ends the last page
        page = pi + 1
        yield record("page", source=name, page=page)
        line_in_page = 0
        lines = chunk.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for line in lines:
            lineno += 1
            line_in_page += 1
            yield record("line", source=name, page=page, line=line_in_page, lineno=lineno,
                         text=line.rstrip("\r"))


def _refuse_documents(head, name):
    """A PDF, Word file, web page or image is not a record stream nor plain
    text: say so (and what to run) instead of failing to decode it."""
    from clt.extract.sniff import sniff

    kind = sniff(head, name)
    what = {"pdf": "a PDF document", "zip": "a DOCX/ZIP file", "html": "an HTML page"}.get(kind)
    if what is None and isinstance(kind, tuple) and kind[0] == "binary":
        what = kind[1].split(";")[0]
    if what:
        raise InputError(f"is {what}, not JSON Lines or plain text",
                         source=name, hint="read it with 'clt extract' first, e.g. "
                                           "clt extract FILE | clt normalize")


def read_records(src="-", encoding=None):
    """Records from one input: a path, ``"-"`` for stdin, or a binary file object.

    JSON Lines come through as they are (streamed, one line at a time); plain
    text is decoded (see :func:`clt.textio.decode_bytes`) and turned into
    ``line`` records by :func:`text_line_records`.
    """
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
            yield from iter_jsonl(byte_lines(head, rest), name)
            return
        if not encoding and _starts_like_json(head):
            yield from iter_json_values(head + rest.read(), name)
            return
        if not encoding:
            _refuse_documents(head, name)
        data = head + rest.read()
        if not data.strip():
            return
        text, enc = decode_bytes(data, encoding, source=name)
        yield from text_line_records(text, name, encoding=enc)
    finally:
        if close:
            stream.close()


def read_inputs(sources, encoding=None):
    """Records from several inputs in turn (see :func:`read_records`)."""
    if not sources:
        sources = ["-"]
    for src in sources:
        yield from read_records(src, encoding=encoding)


_MD_TITLE = re.compile(r"^#[ \t]+\S")


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
    return found, itertools.chain(buf, it)


# --------------------------------------------------------------------------- writing

def dumps(rec):
    """One record as one line of JSON (no newline), UTF-8 characters kept as they are."""
    return json.dumps(rec, ensure_ascii=False, separators=(", ", ": "))


def write_records(records, fp, flush=True):
    """Write *records* to the text file *fp*, one JSON object per line.

    Each line is flushed (unless *flush* is false) so that a downstream
    ``clt`` stage sees records as soon as they are made.  Returns the count.
    """
    n = 0
    for rec in records:
        fp.write(dumps(rec))
        fp.write("\n")
        if flush:
            fp.flush()
        n += 1
    return n
