"""Bring any source up to a stage of the pipeline.

``extract | normalize | split`` is the pipeline; :func:`bring` takes records
at any point of it and runs the stages that are missing, and
:func:`open_at` does the same for sources on disk (or stdin), whatever they
are: a PDF, a scan, a Word file or a web page is extracted first, JSON
Lines are read as they are, plain text becomes ``line`` records.  Every
command that reads records (split, diff, convert) goes through here, so
``clt diff old.pdf new.docx`` and ``clt convert law.pdf --to md`` run the
same stages as the explicit pipeline would.

Stages are named after the command whose output they are:

* ``"extract"`` -- ``source``/``page``/``line`` records;
* ``"normalize"`` -- ``para`` (and ``removed``) records;
* ``"split"`` -- ``document``/``heading``/``article``/``block`` records
  (``clt diff`` output, ``change``/``summary``, counts as this stage too:
  ``clt convert`` renders it).

A Markdown law (``# 标题`` within its first lines) is never normalized: its
``#`` marks are structure, and :func:`clt.split.split` reads it as it is.
"""

import io
import itertools
import sys

from clt.errors import UsageError
from clt.records import Checked, checked, rewrap

#: the stages, in pipeline order
STAGES = ("extract", "normalize", "split")

_STAGE_OF = {
    "source": "extract", "page": "extract", "line": "extract",
    "para": "normalize", "removed": "normalize",
    "document": "split", "heading": "split", "article": "split", "block": "split",
    "document_end": "split", "paragraph": "split", "item": "split",
    "change": "split", "heading_change": "split", "summary": "split",
}

#: how many records are looked at to find the stage of a stream
PEEK = 500


def stage_of(rec):
    """The stage whose output record *rec* is, or None (warning, unknown types)."""
    return _STAGE_OF.get(rec.get("type"))


def _check_stage(stage):
    if stage not in STAGES:
        raise UsageError(f"unknown stage {stage!r}", hint="one of " + ", ".join(STAGES))


def peek_stage(records, window=PEEK):
    """``(stage, records)``: the furthest stage seen in the first records of
    *records* (None when none is known) and the records, all of them, to go on
    with.  Stops at the first record of a stage beyond ``extract`` (a
    ``source`` record and its ``page`` records come before the paragraphs of
    normalize output)."""
    it = iter(records)
    head = []
    found = None
    for rec in it:
        head.append(rec)
        s = stage_of(rec)
        if s is not None and (found is None or STAGES.index(s) > STAGES.index(found)):
            found = s
        if found in ("normalize", "split") or len(head) >= window:
            break
        if found == "extract" and rec.get("type") == "line" and len(head) >= 64:
            break  # lines, and plenty of them: nothing later will be a para
    return found, rewrap(records, itertools.chain(head, it))


#: ``source`` formats whose lines are printed lines (never paragraphs as they stand)
PRINTED = frozenset({"pdf", "image", "docx", "html"})


def printed_lines(records, window=PEEK):
    """``(printed, records)``: whether the ``line`` records of *records* are the
    printed lines of a document (from a PDF, a scan, a Word file or a web
    page: a ``source`` record says so, or the lines carry a ``bbox``) rather
    than plain text, and the records, all of them, to go on with."""
    it = iter(records)
    head = []
    printed = False
    for rec in it:
        head.append(rec)
        t = rec.get("type")
        if t == "source" and rec.get("format") in PRINTED:
            printed = True
            break
        if t == "line":
            if rec.get("bbox") is not None:
                printed = True
            break
        if len(head) >= window:
            break
    return printed, rewrap(records, itertools.chain(head, it))


def bring(records, stage="split", *, plain_text="normalize", normalize_options=None,
          split_options=None):
    """*records* brought up to *stage*, running the stages that are missing.

    Records already at *stage* (or beyond it) pass as they are; ``line``
    records are normalized (unless they are a Markdown law) and, for
    ``"split"``, split; ``para`` records are split.  Streaming: records are
    produced as the stages make them.

    *plain_text* says what becomes of the lines of plain text (not the
    printed lines of a document, see :func:`printed_lines`) brought to
    ``"normalize"``: ``"normalize"`` them, or ``"keep"`` them as they are
    (one paragraph per line: what ``clt split`` reads).  *normalize_options*
    and *split_options* are keyword arguments of
    :func:`clt.normalize.normalize` and :func:`clt.split.split`.
    """
    _check_stage(stage)
    if plain_text not in ("normalize", "keep"):
        raise UsageError(f"plain_text is 'normalize' or 'keep', not {plain_text!r}")
    at, stream = peek_stage(records)
    target = STAGES.index(stage)
    if at is None or STAGES.index(at) >= target:
        return stream
    if at == "extract":
        from clt.records import peek_markdown

        markdown, stream = peek_markdown(stream)
        if markdown:
            if stage == "normalize":
                return stream  # split reads Markdown lines as they are
            from clt.split import split

            return Checked(split(stream, **(split_options or {})))
        if stage == "normalize" and plain_text == "keep":
            printed, stream = printed_lines(stream)
            if not printed:
                return stream
            from clt.split import split

            return Checked(split(stream, **(split_options or {})))
        from clt.normalize import normalize

        stream = Checked(normalize(stream, **(normalize_options or {})))
    if stage == "split":
        from clt.split import split

        stream = Checked(split(stream, **(split_options or {})))
    return stream


class _Prefixed(io.RawIOBase):
    """A binary stream that yields *head* and then the rest of *stream*
    (stdin, once its first bytes were read to see what it is)."""

    def __init__(self, head, stream, name):
        self._head = head
        self._stream = stream
        self.name = name

    def readable(self):
        return True

    def readinto(self, b):
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(b))
        if not data:
            return 0
        b[:len(data)] = data
        return len(data)


#: what sniff() calls the documents that extract reads and read_records does not
_DOCUMENT_KINDS = ("pdf", "zip", "html")


def _is_document(kind):
    from clt.extract.sniff import IMAGES

    if kind in _DOCUMENT_KINDS:
        return True
    return isinstance(kind, tuple) and kind[0] == "binary" and kind[1] in IMAGES


def read_source(src="-", *, encoding=None, extract_options=None, lenient=False):
    """The records of one source, whatever it is: a document (PDF, scan,
    DOCX, HTML) is extracted (:func:`clt.extract.extract_one`, with
    *extract_options*), JSON Lines and plain text are read by
    :func:`clt.records.read_records`.  *src* is a path, ``"-"`` (stdin) or a
    binary file object; the type is told from the content, not the name."""
    from clt.extract.sniff import sniff
    from clt.records import SNIFF_BYTES, read_records

    if src is None or src == "-" or hasattr(src, "read"):
        if src is None or src == "-":
            stream, name = getattr(sys.stdin, "buffer", sys.stdin), "<stdin>"
        else:
            stream = src
            name = getattr(src, "name", "<stream>")
            name = name if isinstance(name, str) else "<stream>"
        head = stream.read(SNIFF_BYTES)
        if isinstance(head, str):
            head = head.encode("utf-8")
        if len(head) < SNIFF_BYTES:
            rest = io.BytesIO()  # a short read is the end: reading again would wait for a 2nd Ctrl-D
        else:
            rest = stream
        src = io.BufferedReader(_Prefixed(head, rest, name))  # .name is the raw stream's
    else:
        from clt.fsutil import open_input

        with open_input(str(src)) as fp:
            head = fp.read(SNIFF_BYTES)
        name = str(src)
    if _is_document(sniff(head, name)):
        from clt.extract import extract_one

        options = dict(extract_options or {})
        if encoding:
            options.setdefault("encoding", encoding)
        return extract_one(src, **options)
    return read_records(src, encoding=encoding, lenient=lenient)


def open_at(sources, stage="split", *, encoding=None, extract_options=None, plain_text="normalize",
            normalize_options=None, split_options=None, lenient=False, observe=None):
    """The records of every source in *sources* (paths, ``"-"``), each brought
    up to *stage* (see :func:`read_source` and :func:`bring`), one source
    after the other.  *observe*, when given, is called with the records each
    source is read as (before the missing stages run) and returns them: a
    hook to watch the pages go by (the command line's progress bar).

    The records come marked :class:`~clt.records.Checked`: JSON Lines are
    checked as they are read, a document's records where extract hands them
    over, and the next stage does not look at them again."""
    return Checked(_open_at(sources, stage, encoding, extract_options, plain_text, normalize_options,
                            split_options, lenient, observe))


def _open_at(sources, stage, encoding, extract_options, plain_text, normalize_options, split_options,
             lenient, observe):
    _check_stage(stage)
    if isinstance(sources, str) or hasattr(sources, "read"):
        sources = [sources]
    for src in list(sources) or ["-"]:
        records = read_source(src, encoding=encoding, extract_options=extract_options, lenient=lenient)
        if type(records) is not Checked:  # a document's records, as extract made them
            records = Checked(checked(records, src if isinstance(src, str) else None))
        if observe is not None:
            records = rewrap(records, observe(records))
        yield from bring(records, stage, plain_text=plain_text, normalize_options=normalize_options,
                         split_options=split_options)


__all__ = ["STAGES", "stage_of", "peek_stage", "printed_lines", "bring", "read_source", "open_at"]
