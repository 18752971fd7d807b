"""Options and plumbing shared by every clt command.

A command only parses its options, calls one library function over an
iterator of records, and hands the result to :func:`emit`.  Everything about
files, pipes, encodings and errors lives here, defined once.
"""

import contextlib
import logging
import os
import sys

import click

from clt.fsutil import atomic_file
from clt.records import read_inputs, write_records


# --------------------------------------------------------------------------- options

def verbose_option(f):
    """-v/--verbose: full tracebacks on error and more detail in warnings."""

    def callback(ctx, param, value):
        if value:
            state(ctx).verbose = True
            logging.getLogger("clt").setLevel(logging.DEBUG)
        return value

    return click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True,
                        callback=callback, help="Show tracebacks and debugging detail on error.")(f)


def input_options(f):
    """FILES... arguments (default stdin) and --encoding."""
    f = click.option("--encoding", "-e", metavar="NAME",
                     help="Decode plain-text input with this encoding (e.g. gb18030, big5, "
                          "utf-16) instead of detecting it.")(f)
    f = click.argument("files", nargs=-1, type=click.Path(allow_dash=True, dir_okay=True))(f)
    return f


def output_option(f):
    """-o/--output FILE, written atomically (a temporary file renamed on success)."""
    return click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
                        help="Write to FILE instead of stdout; the file is replaced only when the "
                             "command succeeds.")(f)


def common_options(f):
    """The options every record-stream command shares."""
    return verbose_option(output_option(input_options(f)))


# --------------------------------------------------------------------------- state

class State:
    """Per-invocation state kept on the click context object."""

    def __init__(self):
        self.verbose = False
        self.failed = False  # set when some inputs failed but the run went on


def state(ctx=None):
    ctx = ctx or click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def inputs(files, encoding=None):
    """Records from FILES (stdin when none)."""
    return read_inputs(list(files) or ["-"], encoding=encoding)


# --------------------------------------------------------------------------- output

@contextlib.contextmanager
def atomic_output(path, mode="w", encoding="utf-8", newline=None):
    """A file object for *path* that replaces it only when the block succeeds.

    ``None`` or ``"-"`` yields stdout.  On any exception the temporary file is
    removed, so no partial output file is ever left behind.
    """
    if path in (None, "-"):
        if "b" in mode:
            yield sys.stdout.buffer
        else:
            yield sys.stdout
        return
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise click.UsageError(f"{path}: directory {directory} does not exist")
    with atomic_file(path, mode, encoding=encoding, newline=newline) as fp:
        yield fp


class PipeClosed(Exception):
    """The reader of stdout went away (``clt ... | head``)."""


@contextlib.contextmanager
def _pipe_guard():
    try:
        yield
    except BrokenPipeError:
        raise PipeClosed() from None


def emit(records, output=None):
    """Write *records* as JSON Lines to *output* (stdout when None/'-')."""
    with _pipe_guard(), atomic_output(output) as fp:
        return write_records(records, fp)


def emit_text(chunks, output=None):
    """Write text *chunks* (str) to *output* (stdout when None/'-')."""
    with _pipe_guard(), atomic_output(output) as fp:
        for chunk in chunks:
            fp.write(chunk)
            if output in (None, "-"):
                fp.flush()
