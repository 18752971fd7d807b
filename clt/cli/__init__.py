"""The ``clt`` command line: a thin click layer over the library stages.

Each subcommand lives in its own module (``clt.cli.extract`` ...) and exposes
``command``; this module assembles the group and turns library errors into
one-line messages.
"""

import logging
import os
import sys
import traceback

import click

from clt import SCHEMA_VERSION, __version__
from clt.cli import common
from clt.errors import CltError

EPILOG = """\b
Examples:
  clt extract bulletin.pdf | clt normalize | clt split > law.jsonl
  clt split law.txt | clt convert --to md > law.md
  clt diff old.jsonl new.jsonl --format table
  cat law.txt | clt normalize --text

Every command reads JSON Lines (or plain text) from FILES or stdin and writes
JSON Lines to stdout or -o FILE (convert, and diff --format, write documents;
batch writes a directory); see clt-records(5) for the record format, and
'clt COMMAND --help' for each command.  Errors are one line on stderr
(-v for a traceback); Ctrl-C exits with status 130, SIGTERM with 143.

Environment: CLT_CACHE_DIR is where clt keeps the regular expressions it
compiles, from one run to the next (a file of about 200 KB; default
$XDG_CACHE_HOME/clt or ~/.cache/clt; CLT_REGEX_CACHE=0 keeps none and
compiles them at every start, some 50 ms more).  The compiled accelerators,
built by pip where a C compiler is present, give the same records as the pure
Python they replace, and each can be turned off: CLT_PDFIUM_ACCEL=0 (PDFium's
glyphs and line building), CLT_PDFMINER_ACCEL=0 (pdfminer's content-stream
parser), CLT_JSON_ACCEL=0 (the record writer)."""


#: subcommand name -> module defining ``command``; imported only when used, so
#: ``clt split`` does not pay for python-docx or pdfminer at start-up
COMMANDS = {
    "extract": "clt.cli.extract",
    "normalize": "clt.cli.normalize",
    "split": "clt.cli.split",
    "diff": "clt.cli.diff",
    "convert": "clt.cli.convert",
    "batch": "clt.cli.batch",
    "amend": "clt.cli.amend",
    "refs": "clt.cli.refs",
    "get": "clt.cli.get",
    "search": "clt.cli.search",
}


class _Interrupted(Exception):
    """Ctrl-C, once the library has unwound: reported by :func:`main` (click
    would print a blank line to stderr for a KeyboardInterrupt)."""


class _Group(click.Group):
    """A group that imports each subcommand's module on first use."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted() from None

    def list_commands(self, ctx):
        return list(COMMANDS) + sorted(n for n in self.commands if n not in COMMANDS)

    def get_command(self, ctx, name):
        if name in COMMANDS and name not in self.commands:
            import importlib

            self.add_command(importlib.import_module(COMMANDS[name]).command, name)
        return super().get_command(ctx, name)


@click.group(cls=_Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True, no_args_is_help=True)
@common.verbose_option
@click.pass_context
def cli(ctx):
    """A toolkit for Chinese legislative text.

    Turn bulletins, laws and regulations (PDF, scans, Word, HTML, text) into
    clean, structured, comparable records, one JSON object per line, and
    compose the stages in pipelines.  'clt -v' alone prints the version, as
    'clt -V' does; before a command, -v is --verbose.
    """
    if ctx.invoked_subcommand is None:
        # `clt -v` (or `clt --verbose`) with no command: what someone typing it wants is the version
        click.echo(f"clt {__version__} (record schema {SCHEMA_VERSION})")
        ctx.exit(0)


class _StderrHandler(logging.Handler):
    def emit(self, rec):
        try:
            msg = self.format(rec)
            prefix = "clt: warning: " if rec.levelno >= logging.WARNING else "clt: "
            common.stderr_line(prefix + msg)
        except Exception:  # pragma: no cover - never let logging kill a run
            pass


def _setup_logging():
    log = logging.getLogger("clt")
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        log.addHandler(_StderrHandler())
    log.setLevel(logging.WARNING)  # each run starts at the default (-v and -q change it)
    log.propagate = False


def _quiet_broken_pipe():
    """Stdout's reader went away (``| head``): stop quietly, without a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _install_sigint_handler():
    """Ctrl-C and SIGTERM (``kill``, ``timeout``) unwind the run (so that
    ``-o`` leaves no temporary file behind); see :func:`common.install_signal_handlers`."""
    common.install_signal_handlers()


def _interrupted():
    if common.TERMINATED:
        sys.stderr.write("clt: terminated\n")
        sys.exit(143)
    sys.stderr.write("clt: interrupted\n")
    sys.exit(130)


def _utf8_stdout():
    """clt writes UTF-8 (JSON Lines, Markdown, tables...) whatever the locale
    says (a cron job with LANG=C on an old system, PYTHONIOENCODING=latin-1);
    stderr keeps the locale's encoding but never fails on a Chinese file name."""
    import codecs

    try:
        if codecs.lookup(sys.stdout.encoding or "ascii").name != "utf-8":
            sys.stdout.reconfigure(encoding="utf-8")
    except (AttributeError, LookupError, ValueError, OSError):
        pass
    try:
        sys.stderr.reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError, OSError):
        pass


def main(argv=None, prog_name="clt"):
    """Entry point of the ``clt`` console script (and ``python -m clt``)."""
    _setup_logging()
    _utf8_stdout()
    _install_sigint_handler()
    common.TERMINATED.clear()
    ctx_state = common.State()
    try:
        rv = cli.main(args=argv, prog_name=prog_name, standalone_mode=False, obj=ctx_state)
    except (click.exceptions.Abort, _Interrupted, KeyboardInterrupt):
        _interrupted()
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except (BrokenPipeError, common.PipeClosed):
        _quiet_broken_pipe()
        sys.exit(0)
    except CltError as e:
        if ctx_state.verbose or "-v" in (argv or sys.argv) or "--verbose" in (argv or sys.argv):
            traceback.print_exc()
        sys.stderr.write(f"clt: {e}\n")
        sys.exit(e.exit_code)
    except OSError as e:
        if ctx_state.verbose:
            traceback.print_exc()
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        sys.stderr.write(f"clt: {where}{e.strerror or e}\n")
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as e:  # a bug: say so in one line unless asked for detail
        if ctx_state.verbose:
            traceback.print_exc()
        else:
            sys.stderr.write(f"clt: internal error: {type(e).__name__}: {e} (run with --verbose for a traceback)\n")
        sys.exit(3)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
        sys.exit(0)
    if isinstance(rv, int) and not isinstance(rv, bool):
        sys.exit(rv)
    sys.exit(1 if ctx_state.failed else 0)
