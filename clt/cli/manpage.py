"""Render roff man pages from the click command definitions.

``python -m clt.cli.manpage man/`` (run by ``scripts/gen-man``) rewrites
``man/clt.1`` and ``man/clt-COMMAND.1`` so that the pages always list every
command and option the code defines; the test suite fails when they drift.
Hand-written pages (``clt-records.5``) are left alone.
"""

import datetime
import os
import sys

import click

from clt import __version__


def _esc(text):
    out = []
    for line in text.splitlines():
        line = line.replace("\\", "\\e").replace("-", "\\-")
        if line.startswith((".", "'")):
            line = "\\&" + line
        out.append(line)
    return "\n".join(out)


def _paragraphs(text):
    """Split click help text into (kind, text) blocks; \\b blocks stay verbatim."""
    blocks = []
    for chunk in (text or "").strip().split("\n\n"):
        lines = chunk.splitlines()
        if lines and lines[0].strip() == "\b":
            blocks.append(("pre", "\n".join(lines[1:])))
        else:
            blocks.append(("p", " ".join(l.strip() for l in lines)))
    return blocks


def _body(text):
    out = []
    for kind, chunk in _paragraphs(text):
        if not chunk.strip():
            continue
        if kind == "pre":
            out.append(".PP\n.nf\n" + _esc(chunk) + "\n.fi")
        else:
            out.append(".PP\n" + _esc(chunk))
    return "\n".join(out)


def _options(cmd, ctx):
    out = []
    for param in cmd.get_params(ctx):
        rec = param.get_help_record(ctx)
        if not rec or not isinstance(param, click.Option):
            continue
        names, help_ = rec
        out.append(".TP\n.B " + _esc(names) + "\n" + _esc(help_ or ""))
    return "\n".join(out)


def render(cmd, name, see_also=(), date=None, parent=None):
    """The man page (roff source) of click command *cmd* called *name*."""
    date = date or os.environ.get("SOURCE_DATE", "") or datetime.date.today().isoformat()
    ctx = click.Context(cmd, info_name=name, parent=parent)
    short = (cmd.get_short_help_str(limit=120) or "").rstrip(".")
    usage = " ".join(cmd.collect_usage_pieces(ctx))
    parts = [
        f'.TH {_esc(name.upper())} 1 "{date}" "clt {__version__}" "clt manual"',
        ".SH NAME",
        f"{_esc(name)} \\- {_esc(short)}",
        ".SH SYNOPSIS",
        f".B {_esc(name)}\n{_esc(usage)}",
        ".SH DESCRIPTION",
        _body(cmd.help or ""),
    ]
    if isinstance(cmd, click.Group):
        parts.append(".SH COMMANDS")
        for sub in cmd.list_commands(ctx):
            sc = cmd.get_command(ctx, sub)
            parts.append(f".TP\n.B {sub}\n{_esc(sc.get_short_help_str(limit=120))}\nSee \\fB{name}\\-{sub}\\fR(1).")
    opts = _options(cmd, ctx)
    if opts:
        parts += [".SH OPTIONS", opts]
    if cmd.epilog:
        parts += [".SH NOTES", _body(cmd.epilog)]
    parts += [
        ".SH EXIT STATUS",
        "0 on success; 1 when an input could not be read or some inputs failed "
        "(\\fBclt diff\\fR: 1 when the versions differ); 2 on a usage error; "
        "130 when interrupted (SIGINT), 143 when terminated (SIGTERM).",
        ".SH SEE ALSO",
        ", ".join(f"\\fB{s.split('(')[0]}\\fR({s.split('(')[1]}" for s in see_also),
    ]
    return "\n".join(p for p in parts if p) + "\n"


def write_all(directory):
    """Write clt.1 and one page per subcommand into *directory*; return the paths."""
    from clt.cli import cli

    ctx = click.Context(cli, info_name="clt", **cli.context_settings)
    subs = cli.list_commands(ctx)
    written = []
    pages = [("clt", cli, [f"clt-{s}(1)" for s in subs] + ["clt-records(5)"])]
    for s in subs:
        pages.append((f"clt-{s}", cli.get_command(ctx, s), ["clt(1)", "clt-records(5)"]))
    for name, cmd, see in pages:
        path = os.path.join(directory, f"{name}.1")
        text = render(cmd, name, see, parent=None if cmd is cli else ctx)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        # keep the date of an unchanged page so regeneration is a no-op
        if old is not None and old.split("\n", 1)[1:] == text.split("\n", 1)[1:]:
            continue
        with open(path, "w", encoding="utf-8") as fp:
            fp.write(text)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in write_all(sys.argv[1] if len(sys.argv) > 1 else "man"):
        print(p)
