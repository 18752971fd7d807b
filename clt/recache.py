"""Compiled regular expressions kept from one run to the next.

clt's stages compile about a hundred patterns when they load, many of them
character classes over the CJK blocks (``[\\u4e00-\\u9fff…]``), which the
standard ``re`` compiler fills one code point at a time in Python: about 50 ms
of every ``clt normalize`` start (a third of it), paid again by every command
of a pipeline and every call from an editor.

:func:`compile` is ``re.compile`` that keeps what the compiler made of each
pattern (its code for the regex engine, ``_sre``) in a small file in the
user's cache directory, and builds the pattern object from it on the next
run.  The file is tied to this very interpreter (its version string and the
engine's ``MAGIC``); a pattern is kept only when the object built from the
kept code equals the one ``re.compile`` makes (``Pattern`` objects compare
their code), so an interpreter whose ``re`` works otherwise simply compiles
as before.  Anything unexpected — no cache directory, a damaged file, an
unknown interpreter — falls back to ``re.compile``.

``CLT_REGEX_CACHE=0`` turns it off; ``CLT_CACHE_DIR`` says where the file
goes (default ``$XDG_CACHE_HOME/clt``, else ``~/.cache/clt``).
"""

import atexit
import os
import re
import sys

try:
    import _sre
    from re import _parser
    from re import _compiler
except ImportError:  # pragma: no cover - another Python implementation
    _sre = None

#: (pattern, flags) -> the arguments of ``_sre.compile`` after the pattern (None: not loaded yet)
_kept = None
_added = False
_enabled = os.environ.get("CLT_REGEX_CACHE", "1") != "0" and _sre is not None


def _tag():
    """What ties the kept code to this interpreter (kept in the file, checked when read)."""
    return f"{sys.version}|{getattr(_sre, 'MAGIC', '')}|{getattr(_sre, 'CODESIZE', '')}|{sys.maxunicode}"


def cache_path():
    """The file the compiled patterns are kept in (for this interpreter)."""
    base = os.environ.get("CLT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "clt")
    import zlib

    return os.path.join(base, f"regex-{zlib.crc32(_tag().encode()):08x}.marshal")


def _load():
    global _kept
    _kept = {}
    try:
        import marshal

        with open(cache_path(), "rb") as f:
            tag, data = marshal.loads(f.read())  # (one read: marshal.load reads a file in small steps)
        if tag == _tag() and type(data) is dict:
            _kept = data
    except Exception:  # noqa: BLE001 - no file yet, unreadable, damaged: compile as usual
        _kept = {}


def _save():
    if not _added:
        return
    path = cache_path()
    try:
        import marshal
        import tempfile

        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".regex-", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps((_tag(), _kept)))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001 - a read-only home, a full disk: next time compiles again
        pass


def _code(pattern, flags):
    """What ``re._compiler.compile`` hands ``_sre.compile`` for *pattern* (after the pattern)."""
    p = _parser.parse(pattern, flags)
    code = _compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    # (plain ints: the opcodes are an int subclass, which marshal does not write)
    return (int(flags | p.state.flags), [int(c) for c in code], int(p.state.groups - 1), groupindex,
            tuple(indexgroup))


def compile(pattern, flags=0):  # noqa: A001 - the name re users know
    """``re.compile(pattern, flags)``, built from the code kept by an earlier run when there is one."""
    global _added
    if not _enabled:
        return re.compile(pattern, flags)
    flags = int(flags)
    if _kept is None:
        _load()
    key = (pattern, flags)
    args = _kept.get(key)
    if args is not None:
        try:
            return _sre.compile(pattern, *args)
        except Exception:  # noqa: BLE001 - a damaged entry: compile afresh
            pass
    compiled = re.compile(pattern, flags)
    try:
        args = _code(pattern, flags)
        built = _sre.compile(pattern, *args)
        # the same code and flags (what Pattern equality compares) and the same groups
        if built == compiled and built.groupindex == compiled.groupindex and built.groups == compiled.groups:
            if not _added:
                atexit.register(_save)
            _kept[key] = args
            _added = True
    except Exception:  # noqa: BLE001 - a re whose internals differ: never kept
        pass
    return compiled
