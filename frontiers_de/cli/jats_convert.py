"""`fde jats convert`."""

from __future__ import annotations

import click


@click.command()
def convert() -> None:
    """Not built yet."""
    raise click.ClickException("fde jats convert is not built yet")
