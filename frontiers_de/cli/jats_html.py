"""`fde jats html IN.xml -o OUT.html`: the reader HTML of a JATS article, as a standalone page.

Exit 0 when written, 2 when the input cannot be used (missing, not XML, not an article),
3 when the transform ran past its time limit (the setting fde.production.xslt_timeout, 60 s
unless set). The output file is replaced only when the whole page was made.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from frontiers_de.cli.common import EXIT_TOO_LONG, EXIT_UNUSABLE, config_option, settings_for
from frontiers_de.jobs.time_limit import ChildFailed, TookTooLong
from frontiers_de.production.jats.html import (
    XSLT_TIMEOUT_SETTING,
    NotAnArticle,
    article_document_within,
    xslt_timeout,
)
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.xml.safe import XMLInputError, parse_xml


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename, so a failure never leaves half a page."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        # mkstemp creates the file private; a web page is meant to be readable.
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command()
@click.argument("in_path", metavar="IN.xml", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Where to write the HTML page ('-' for standard output).",
)
@click.option(
    "--asset-base",
    default=None,
    help="Prefix for relative figure and supplement URLs "
    "(default: the fde.jats.asset_base setting, else as written in the JATS).",
)
@config_option
def html(in_path: str, out_path: str, asset_base: str | None, config_path: str | None) -> None:
    """Render IN.xml (JATS) as the reader HTML page."""
    settings = settings_for(config_path)
    try:
        if asset_base is None:
            asset_base = ProductionSettings.of(settings).jats_asset_base
        seconds = xslt_timeout(settings)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    warnings: list[str] = []
    try:
        page = article_document_within(
            parse_xml(in_path), asset_base=asset_base, seconds=seconds, warnings=warnings
        )
    except XMLInputError as exc:
        where = f"{in_path}:{exc.line}" if exc.line else in_path
        click.echo(f"{where}: unusable input: {exc}", err=True)
        raise SystemExit(EXIT_UNUSABLE) from exc
    except (NotAnArticle, ChildFailed) as exc:
        click.echo(f"{in_path}: unusable input: {exc}", err=True)
        raise SystemExit(EXIT_UNUSABLE) from exc
    except TookTooLong as exc:
        click.echo(f"{in_path}: {exc} (setting {XSLT_TIMEOUT_SETTING})", err=True)
        raise SystemExit(EXIT_TOO_LONG) from exc
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if out_path == "-":
        click.echo(page, nl=False)
        return
    try:
        _write_atomically(Path(out_path), page)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out_path}: {exc.strerror}") from exc
