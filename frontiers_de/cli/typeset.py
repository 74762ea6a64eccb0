"""`fde typeset IN.xml -o OUT.pdf`: see DESIGN.md, "Command line"."""

from __future__ import annotations

import click


@click.command()
def typeset() -> None:
    """Typeset a JATS article into a PDF."""
