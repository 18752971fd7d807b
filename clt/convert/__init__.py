"""Render ``split`` output (and ``diff`` output) into the formats people and systems use.

:func:`convert` turns a record stream into chunks of one output (``str`` for
text formats, ``bytes`` for DOCX); :func:`convert_to_dir` writes one file per
law.  Each format lives in its own module (``markdown``, ``text``, ``html``,
``table``, ``jsontree``, ``akn``, ``docx``) over the shared event view of
:mod:`clt.convert.tree`.

The input is ``split`` output; the text of a law (``line`` records, as
``read_records`` makes of a text file) or ``para`` records are normalized
and split on the fly (:func:`structured`), so ``clt convert --to md law.txt``
works.

Markdown, text, CSV/TSV and JSON stream (a law is written as its records
arrive; JSON holds one law); HTML, Akoma Ntoso and DOCX build one law at a
time.  Output starts only once the stream has shown an article (or a diff
``change``), so a stream with no articles fails with nothing written.
"""

import contextlib
import os
import unicodedata

from collections.abc import Mapping

from clt.convert.tree import STRUCTURE_TYPES, Walk, law_title, no_articles_error, per_law
from clt.errors import InputError, OutputError, UsageError
from clt.fsutil import apply_default_mode, temp_beside
from clt import recache


class _Formats(Mapping):
    """--to name -> format module, each imported on first use (python-docx and
    lxml cost a tenth of a second to import: ``clt refs``, ``clt get`` and
    text formats do not pay for them)."""

    def __init__(self, modules):
        self._modules = modules  # name -> (module, attribute or None)
        self._loaded = {}

    def __getitem__(self, key):
        if key not in self._loaded:
            import importlib

            module, attr = self._modules[key]
            mod = importlib.import_module(f"clt.convert.{module}")
            self._loaded[key] = getattr(mod, attr) if attr else mod
        return self._loaded[key]

    def __iter__(self):
        return iter(self._modules)

    def __len__(self):
        return len(self._modules)


FORMATS = _Formats({
    "md": ("markdown", None),
    "txt": ("text", None),
    "html": ("html", None),
    "csv": ("table", "CSV"),
    "tsv": ("table", "TSV"),
    "json": ("jsontree", None),
    "akn": ("akn", None),
    "docx": ("docx", None),
    "sqlite": ("sqlite", None),
})
#: other names accepted for --to
ALIASES = {"markdown": "md", "text": "txt", "htm": "html", "xml": "akn", "akomantoso": "akn",
           "word": "docx", "jsonl": "json", "db": "sqlite", "sqlite3": "sqlite"}

#: option name -> default; an option only some formats accept is refused elsewhere
OPTION_DEFAULTS = {"level": "article", "bom": False, "indent": None}


def get_format(to):
    """The format module for a --to name (or alias); UsageError when unknown."""
    key = (to or "").lower()
    key = ALIASES.get(key, key)
    if key not in FORMATS:
        raise UsageError(f"unknown format {to!r}", hint="one of " + ", ".join(FORMATS))
    return key, FORMATS[key]


def _prepare(to, options):
    """(format name, format module, options) for *to*: options left unset dropped,
    UsageError for an unknown format or an option it does not take."""
    name, fmt = get_format(to)
    if getattr(fmt, "DATABASE", False):
        raise UsageError(f"--to {name} writes a database file, not a stream",
                         hint="clt convert --to sqlite -o FILE (clt.convert.sqlite.load)")
    options = {k: v for k, v in options.items() if v is not None or k in OPTION_DEFAULTS}
    _check_options(name, fmt, options)
    return name, fmt, options


def _check_options(name, fmt, options):
    for opt, value in options.items():
        if opt not in OPTION_DEFAULTS:
            raise UsageError(f"unknown option {opt!r}")
        if value != OPTION_DEFAULTS[opt] and opt not in fmt.OPTIONS:
            flag = "--" + opt.replace("_", "-")
            raise UsageError(f"{flag} does not apply to --to {name}")


def _events_checked(w, fmt, name):
    """The events of *w*, refusing diff output in a format that cannot show it."""
    for ev in w:
        if ev["ev"] in ("change", "summary") and not fmt.CHANGES:
            raise UsageError(f"--to {name} cannot show diff output (change records)",
                             hint="use md, html, csv, tsv or json")
        yield ev


def structured(records):
    """*records* as split output: text (``line`` records) is normalized and split,
    ``para`` records are split, on the fly and streaming; split output (or
    diff output) passes as it is (:func:`clt.stages.bring`)."""
    from clt.stages import bring

    return bring(records, "split")


def convert(records, to, **options):
    """Chunks (``str``, or ``bytes`` for DOCX) of *records* rendered as format *to*.

    *options*: ``level`` ("article", "paragraph" or "item": one CSV/TSV row
    per article, 款 or 项), ``bom`` (CSV/TSV: start with a UTF-8 BOM for
    Excel), ``indent`` (JSON: pretty-print with this indent).  Raises
    :class:`~clt.errors.InputError` when the stream holds no article (nor
    change) and :class:`~clt.errors.UsageError` for a format that cannot hold
    what is asked.  Nothing is yielded before the first article is seen.
    """
    from clt.records import checked

    name, fmt, options = _prepare(to, options)
    w = Walk(structured(checked(records)))
    held = []
    for chunk in _xml_safe(fmt.render(_events_checked(w, fmt, name), **options), name):
        if held is not None:
            held.append(chunk)
            if w.articles or w.changes:
                yield from held
                held = None
        else:
            yield chunk
    if not (w.articles or w.changes):
        raise no_articles_error(w)
    if held:
        yield from held


def _xml_safe(chunks, name):
    """*chunks*; lxml's refusal of a control character (U+000B, the line
    break Word pastes; U+0000...) in an XML format is one clt error: XML 1.0
    cannot hold the character, and dropping it silently would change the text."""
    try:
        yield from chunks
    except ValueError as e:
        if "XML compatible" not in str(e):
            raise
        raise InputError(f"--to {name}: the text holds a control character (U+0000-U+001F other than "
                         "tab, newline and CR) that XML cannot hold",
                         hint="remove it, or convert to md, text, html or json") from None


# --------------------------------------------------------------------------- one file per law

_UNSAFE = recache.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)}


def safe_filename(title, ext, used=None, fallback="law"):
    """A file name for a law titled *title*: characters kept, separators and
    control characters replaced, length bounded (200 bytes), unique within *used*."""
    name = unicodedata.normalize("NFC", title or "")
    name = _UNSAFE.sub("_", name).strip(" ._\u3000")
    # 《》 and brackets are fine in file names; leading dashes are not
    name = name.lstrip("-")
    while len(name.encode("utf-8")) > 200:
        name = name[:-1]
    if not name or name.upper() in _RESERVED:
        name = fallback
    candidate = f"{name}.{ext}"
    if used is not None:
        n = 1
        while candidate.lower() in used:
            n += 1
            candidate = f"{name}-{n}.{ext}"
        used.add(candidate.lower())
    return candidate


def convert_to_dir(records, to, directory, **options):
    """Write one file per law of *records* into *directory*; returns the paths.

    Files are named after the law titles (:func:`safe_filename`); each is
    written to a temporary file and all are renamed into place only when the
    whole stream converted, so an error leaves no partial file behind.
    *directory* is created when missing (its parent must exist).
    """
    name, fmt, options = _prepare(to, options)
    directory = os.fspath(directory)
    parent = os.path.dirname(os.path.abspath(directory))
    if not os.path.isdir(parent):
        raise UsageError(f"{directory}: directory {parent} does not exist")
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise UsageError(f"{directory}: not a directory")
    created = False
    if not os.path.isdir(directory):
        try:
            os.mkdir(directory)
        except OSError as e:
            raise InputError(f"cannot create directory: {e.strerror or e}", source=directory) from None
        created = True
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError("directory is not writable", source=directory)
    from clt.records import checked

    w = Walk(structured(checked(records)))
    temps = []  # (temporary path, final path)
    used = set()
    mode = "wb" if fmt.BINARY else "w"
    try:
        for law_ev, evs in per_law(_events_checked(w, fmt, name)):
            fname = safe_filename(law_title(law_ev["doc"]), fmt.EXT, used,
                                  fallback=f"law-{law_ev['index']}")
            final = os.path.join(directory, fname)
            try:
                fd, tmp = temp_beside(final)
            except OSError as e:
                raise OutputError(f"cannot write: {e.strerror or e}", source=final) from None
            temps.append((tmp, final))
            kwargs = {} if fmt.BINARY else {"encoding": "utf-8", "newline": ""}
            with os.fdopen(fd, mode, **kwargs) as fp:
                for chunk in _xml_safe(fmt.render(evs, **options), name):
                    fp.write(chunk)
        if w.changes and not w.articles:
            raise UsageError("diff output is one report, not one file per law",
                             hint="write it with -o FILE")
        if not w.articles:
            raise no_articles_error(w)
        for tmp, final in temps:
            apply_default_mode(tmp)
            os.replace(tmp, final)
        return [final for _, final in temps]
    except BaseException:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if created:
            with contextlib.suppress(OSError):
                os.rmdir(directory)
        raise


__all__ = ["convert", "convert_to_dir", "structured", "safe_filename", "get_format", "FORMATS"]
