"""`clt normalize` — placeholder until its issue lands."""

import click

from clt.cli import common


@click.command(name="normalize")
@common.common_options
def command(files, encoding, output):
    """Pass records through unchanged (not implemented yet)."""
    common.emit(common.inputs(files, encoding), output)
