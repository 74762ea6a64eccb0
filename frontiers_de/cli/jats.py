"""`fde jats convert|check|html`: see DESIGN.md, "Command line"."""

from __future__ import annotations

import click

from frontiers_de.cli import jats_check, jats_convert, jats_html


@click.group()
def jats() -> None:
    """Manuscripts to JATS 1.3, JATS checks, and JATS to reader HTML."""


jats.add_command(jats_convert.convert)
jats.add_command(jats_check.check)
jats.add_command(jats_html.html)
