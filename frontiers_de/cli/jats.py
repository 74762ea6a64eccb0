"""`fde jats`: see DESIGN.md, "Command line"."""

from __future__ import annotations

import click


@click.group()
def jats() -> None:
    """jats commands."""
