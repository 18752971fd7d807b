"""Opening inputs with clear errors, and writing files so that a reader never sees half of one.

Every file clt writes (``-o FILE``, ``convert -o DIR``, ``batch`` outputs and
its manifest) is first written to a temporary file in the destination's own
directory and then renamed over the destination, which POSIX makes atomic.
"""

import contextlib
import os

from clt.errors import InputError


def open_input(path, directory_hint=""):
    """Open the input file *path* for reading bytes.

    Raises :class:`~clt.errors.InputError` naming the file ("no such file",
    "is a directory", "permission denied", ...) instead of an ``OSError``.
    """
    if os.path.isdir(path):
        raise InputError("is a directory" + directory_hint, source=path)
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError("no such file", source=path) from None
    except PermissionError:
        raise InputError("permission denied", source=path) from None
    except OSError as e:
        raise InputError(e.strerror or str(e), source=path) from None


def temp_beside(final, suffix=".part"):
    """``(fd, path)`` of a new temporary file in the directory of *final*."""
    directory = os.path.dirname(os.path.abspath(final)) or "."
    import tempfile  # (loaded when a file is written, not at every start)

    return tempfile.mkstemp(prefix="." + os.path.basename(final) + ".", suffix=suffix, dir=directory)


def apply_default_mode(path):
    """Give *path* the permissions a plain ``open()`` would (0666 less the umask);
    ``mkstemp`` creates files readable by their owner only."""
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(path, 0o666 & ~mask)
    except OSError:
        pass


@contextlib.contextmanager
def atomic_file(path, mode="w", encoding="utf-8", newline=None, fsync=False, suffix=".part"):
    """A file object that replaces *path* only when the ``with`` block succeeds.

    On any exception the temporary file is removed and *path* is untouched.
    """
    fd, tmp = temp_beside(path, suffix)
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, mode, **kwargs) as fp:
            yield fp
            if fsync:
                fp.flush()
                os.fsync(fp.fileno())
        apply_default_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
