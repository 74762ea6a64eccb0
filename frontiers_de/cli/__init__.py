"""The ``fde`` command: one module per command group.

The file commands (``jats``, ``typeset``, ``crossref``) work on files alone, without the
database or the web app; the others (``initdb``, ``user`` …) work on the configured database.
"""

from __future__ import annotations

import click

from frontiers_de.cli import admin, crossref, deadlines, export, jats, typeset


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def fde() -> None:
    """FDE Press, the publishing system of Frontiers of Digital Education."""


fde.add_command(jats.jats)
fde.add_command(typeset.typeset)
fde.add_command(crossref.crossref)
fde.add_command(export.export)
for command in admin.COMMANDS + deadlines.COMMANDS:
    fde.add_command(command)


def main() -> None:
    fde(prog_name="fde")
