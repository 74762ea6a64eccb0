"""`fde crossref`: see DESIGN.md, "Command line"."""

from __future__ import annotations

import click


@click.group()
def crossref() -> None:
    """crossref commands."""
