"""Options and plumbing shared by every clt command.

A command only parses its options, calls one library function over an
iterator of records, and hands the result to :func:`emit`.  Everything about
files, pipes, encodings and errors lives here, defined once.
"""

import contextlib
import errno
import logging
import os
import sys

import click

from clt.errors import OutputError, UsageError
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

    f = click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True,
                     callback=callback, help="Show tracebacks and debugging detail on error.")(f)
    return version_option(f)


def version_option(f):
    """-V/--version: every command and the group print the version (and the record schema)."""
    from clt import SCHEMA_VERSION, __version__

    return click.version_option(__version__, "-V", "--version", prog_name="clt",
                                message=f"%(prog)s %(version)s (record schema {SCHEMA_VERSION})")(f)


def quiet_option(f):
    """-q/--quiet: no warnings and no progress bar on stderr (errors are still said)."""

    def callback(ctx, param, value):
        if value:
            state(ctx).quiet = True
            log = logging.getLogger("clt")
            if log.level < logging.ERROR:
                log.setLevel(logging.ERROR)
        return value

    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=callback,
                        help="No warnings and no progress bar on stderr (errors are still reported; "
                             "warning records are still written).")(f)


def lenient_option(f):
    """--lenient: a record of the wrong shape is skipped with a warning record."""

    def callback(ctx, param, value):
        if value:
            state(ctx).lenient = True
        return value

    return click.option("--lenient", is_flag=True, expose_value=False, callback=callback,
                        help="Skip an input record of the wrong shape (a field of the wrong "
                             "type, NaN, a lone surrogate) with a warning record instead of "
                             "stopping.")(f)


def encoding_option(f):
    """-e/--encoding NAME for plain-text input (detected when not given)."""
    return click.option("--encoding", "-e", metavar="NAME",
                        help="Decode plain-text input with this encoding (e.g. gb18030, big5, "
                             "utf-16) instead of detecting it.")(f)


def input_options(f):
    """FILES... arguments (default stdin) and --encoding."""
    f = encoding_option(f)
    f = click.argument("files", nargs=-1, type=click.Path(allow_dash=True, readable=False))(f)
    return f


def output_option(f):
    """-o/--output FILE, written atomically (a temporary file renamed on success)."""
    return click.option("-o", "--output", metavar="FILE", type=click.Path(allow_dash=True),
                        help="Write to FILE instead of stdout; the file is replaced only when the "
                             "command succeeds.")(f)


def law_option(f):
    """--law TITLE|N: keep one law of a stream that holds several (clt.laws.select_law)."""
    return click.option("--law", metavar="TITLE|N",
                        help="Use only the law whose title is TITLE or holds it (网络安全法), or the "
                             "N-th law of the input: a bulletin prints several.")(f)


def common_options(f):
    """The options every record-stream command shares."""
    return input_options(output_option(quiet_option(verbose_option(f))))  # listed as -e, -o, -q, -v, -V


def complete_rules(ctx, param, incomplete):
    """Shell completion of normalize rule names (--disable; comma-separated lists too)."""
    from click.shell_completion import CompletionItem

    from clt.normalize import list_rules

    head, _, last = incomplete.rpartition(",")
    prefix = head + "," if head else ""
    return [CompletionItem(prefix + name, help=desc) for name, _family, desc in list_rules()
            if name.startswith(last)]


def complete_opencc(ctx, param, incomplete):
    """Shell completion of OpenCC configurations (--opencc)."""
    from click.shell_completion import CompletionItem

    from clt.normalize import OPENCC_CONFIGS

    return [CompletionItem(c) for c in OPENCC_CONFIGS if c.startswith(incomplete)]


def complete_choices(choices):
    """A shell_complete callback offering *choices* (comma-separated lists too: --to jsonl,md)."""

    def complete(ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        head, _, last = incomplete.rpartition(",")
        prefix = head + "," if head else ""
        return [CompletionItem(prefix + c) for c in choices if c.startswith(last)]

    return complete


# --------------------------------------------------------------------------- state

class State:
    """Per-invocation state kept on the click context object."""

    def __init__(self):
        self.verbose = False
        self.quiet = False  # -q: no warnings, no progress on stderr
        self.failed = False  # set when some inputs failed but the run went on
        self.lenient = False  # --lenient: skip bad records with a warning


def state(ctx=None):
    ctx = ctx or click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def inputs(files, encoding=None, stage=None, plain_text="normalize"):
    """Records from FILES (stdin when none); with *stage*, every source, a
    PDF, Word file or web page included, brought up to that stage
    (:func:`clt.stages.open_at`: extract, normalize and split run as needed)."""
    files = list(files) or ["-"]
    if "-" in files:
        stdin_hint()
    if stage is not None:
        from clt.stages import open_at

        observe = page_progress if show_progress() else None  # a PDF or scan read here: its pages
        return open_at(files, stage, encoding=encoding, plain_text=plain_text, lenient=lenient(), observe=observe)
    return read_inputs(files, encoding=encoding, lenient=lenient())


def lenient():
    """Whether --lenient was given (false outside a command)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and state(ctx).lenient)


def stdin_hint():
    """Someone typed a command without its FILE: say that it waits for the terminal."""
    try:
        tty = sys.stdin.isatty()
    except (AttributeError, ValueError):
        tty = False
    if tty:
        sys.stderr.write("clt: reading from the terminal (end with Ctrl-D; "
                         "give FILES or see --help)\n")


# --------------------------------------------------------------------------- progress

_BARS = []  # the progress bar on stderr now, if any (messages clear it and redraw it)


def show_progress():
    """Whether a progress bar goes to stderr: a terminal, and no -q."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    ctx = click.get_current_context(silent=True)
    return tty and not (ctx is not None and state(ctx).quiet)


def stderr_line(text):
    """Write one line to stderr, around the progress bar when one is shown."""
    bar = _BARS[-1] if _BARS else None
    if bar is not None:
        try:
            bar.clear()
        except (OSError, ValueError):
            bar = None
    sys.stderr.write(text.rstrip("\n") + "\n")
    sys.stderr.flush()
    if bar is not None:
        try:
            bar.refresh()
        except (OSError, ValueError):
            pass


def page_progress(records, enabled=None, interval=0.2):
    """*records* as they are, while a progress bar (tqdm) on stderr counts the
    pages of each PDF or scan as they are read (OCR included): pages done of
    the file's pages, pages/s, the time left.  Nothing is shown when stderr is
    not a terminal or with -q; files without pages (text, Word, HTML) show none."""
    if enabled is None:
        enabled = show_progress()
    if not enabled:
        yield from records
        return
    from tqdm import tqdm

    bar = None
    try:
        for rec in records:
            t = rec.get("type")
            if t == "source":
                if bar is not None:
                    bar.close()
                    _BARS.remove(bar)
                    bar = None
                pages = rec.get("pages")
                if isinstance(pages, int) and pages > 1:
                    name = os.path.basename(str(rec.get("path") or ""))
                    bar = tqdm(total=pages, desc=name[:30], unit="page", file=sys.stderr, leave=False,
                               dynamic_ncols=True, mininterval=interval, miniters=1)
                    _BARS.append(bar)
            elif t == "page" and bar is not None:
                if rec.get("ocr") and not bar.desc.endswith("OCR"):
                    bar.set_description_str(f"{bar.desc} OCR", refresh=False)
                if bar.total is not None and bar.n >= bar.total:  # not expected: count on, no bar
                    bar.total = None
                bar.update(1)
            yield rec
    finally:
        if bar is not None:
            bar.close()
            if bar in _BARS:
                _BARS.remove(bar)


# --------------------------------------------------------------------------- signals

#: holds the signal number once SIGTERM (kill, timeout(1)) stopped the run: exit 143, not 130
TERMINATED = []


def _on_signal_factory(main_pid):
    def on_signal(signum, frame):
        import signal

        if os.getpid() != main_pid:
            os._exit(128 + signum)  # a forked worker (--jobs): no traceback, the main process says it
        if signum == signal.SIGTERM and not TERMINATED:
            TERMINATED.append(signum)
        raise KeyboardInterrupt

    on_signal.clt_handler = True
    return on_signal


def install_signal_handlers(force=False):
    """SIGINT and SIGTERM unwind the run as a KeyboardInterrupt in this
    process (``clt.cli.main`` then exits 130 for SIGINT, 143 for SIGTERM); a
    worker process forked by a stage (``--jobs``) that gets either leaves at
    once with status 128+signal, silently: only the main process reports.
    A signal that is ignored or handled by whoever embeds clt is left alone
    (SIGTERM is taken all the same with *force*: batch must record what it did).  Returns the previous handlers, for :func:`restore_signal_handlers`."""
    import signal

    handler = _on_signal_factory(os.getpid())
    previous = {}
    for sig, default in ((signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, signal.SIG_DFL)):
        current = signal.getsignal(sig)
        if getattr(current, "clt_handler", False):
            continue
        if current is not default and not (force and sig == signal.SIGTERM):
            continue  # ignored, or handled by whoever embeds us
        try:
            signal.signal(sig, handler)
            previous[sig] = current
        except ValueError:  # not the main thread
            pass
    return previous


def restore_signal_handlers(previous):
    import signal

    for sig, handler in previous.items():
        try:
            signal.signal(sig, handler)
        except (ValueError, TypeError):
            pass


# --------------------------------------------------------------------------- output

@contextlib.contextmanager
def atomic_output(path, mode="w", encoding="utf-8", newline=None):
    """A file object for *path* that replaces it only when the block succeeds.

    ``None`` or ``"-"`` yields stdout.  On any exception the temporary file is
    removed, so no partial output file is ever left behind.  A path that
    cannot be written is one line naming *path*: a missing directory or a
    directory is a :class:`~clt.errors.UsageError` (status 2), a read-only
    place or a full disk an :class:`~clt.errors.OutputError` (status 1).
    """
    if path in (None, "-"):
        with _write_errors("<stdout>"):
            yield sys.stdout.buffer if "b" in mode else sys.stdout
        return
    path = os.fspath(path)
    if _special_file(path):
        # /dev/stdout, /dev/null, a named pipe: not a file to replace
        try:
            fp = open(path, mode, **({} if "b" in mode else {"encoding": encoding, "newline": newline}))
        except OSError as e:
            raise OutputError(f"cannot write: {e.strerror or e}", source=path) from None
        with _write_errors(path), fp:
            yield fp
        return
    if os.path.islink(path) and os.path.isfile(path):
        path = os.path.realpath(path)  # replace the file the link points to, keep the link
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError("is a directory (give a file name)", source=path)
    if not os.path.isdir(directory):
        raise UsageError(f"cannot write: directory {directory} does not exist", source=path)
    cm = atomic_file(path, mode, encoding=encoding, newline=newline)
    try:
        fp = cm.__enter__()
    except OSError as e:
        raise OutputError(f"cannot write: {e.strerror or e}", source=path) from None
    try:
        with _write_errors(path):
            yield fp
    except BaseException:
        if not cm.__exit__(*sys.exc_info()):
            raise
    else:
        try:
            cm.__exit__(None, None, None)
        except OSError as e:
            raise OutputError(f"cannot write: {e.strerror or e}", source=path) from None


_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EROFS}


@contextlib.contextmanager
def _write_errors(path):
    """A full disk (or quota, or I/O error) while writing *path*: one line naming it."""
    try:
        yield
    except OSError as e:
        if e.errno in _WRITE_ERRNOS and not getattr(e, "filename", None):
            raise OutputError(f"cannot write: {e.strerror or e}", source=path) from None
        raise


def _special_file(path):
    """True for an existing output that is not a regular file (a device, a
    FIFO, /dev/stdout): it is written in place, never replaced."""
    try:
        import stat

        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        return True
    real = os.path.realpath(path)
    return path.startswith(("/dev/", "/proc/")) or real.startswith(("/dev/", "/proc/"))


class PipeClosed(Exception):
    """The reader of stdout went away (``clt ... | head``)."""


@contextlib.contextmanager
def _pipe_guard():
    try:
        yield
    except BrokenPipeError:
        raise PipeClosed() from None


class _Discard(Exception):
    """Leave the output FILE as it was (see :func:`emit`)."""


def emit(records, output=None, keep=None):
    """Write *records* as JSON Lines to *output* (stdout when None/'-').

    *keep*, when given, is called with the number of records written once
    the stream ends; when it returns false the output FILE is left as it was
    (no empty file for a run whose every input failed).  Returns the count.
    """
    try:
        with _pipe_guard(), atomic_output(output) as fp:
            n = write_records(records, fp)
            if keep is not None and output not in (None, "-") and not keep(n):
                raise _Discard()
            return n
    except _Discard:
        return 0


def emit_text(chunks, output=None):
    """Write text *chunks* (str) to *output* (stdout when None/'-')."""
    with _pipe_guard(), atomic_output(output) as fp:
        for chunk in chunks:
            fp.write(chunk)
            if output in (None, "-"):
                fp.flush()
