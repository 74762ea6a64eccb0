"""`fde jats html`."""

from __future__ import annotations

import click


@click.command()
def html() -> None:
    """Not built yet."""
    raise click.ClickException("fde jats html is not built yet")
