"""`fde jats check`."""

from __future__ import annotations

import click


@click.command()
def check() -> None:
    """Not built yet."""
    raise click.ClickException("fde jats check is not built yet")
