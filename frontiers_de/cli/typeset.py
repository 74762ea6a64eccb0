"""`fde typeset IN.xml -o OUT.pdf`: see DESIGN.md, "Command line"."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from frontiers_de.cli.common import EXIT_TOO_LONG, EXIT_UNUSABLE, config_option, settings_for


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@click.option(
    "--variant",
    type=click.Choice(["ua", "pdfa"]),
    default="ua",
    show_default=True,
    help="ua: tagged PDF/UA-1; pdfa: PDF/A-3b with the JATS attached.",
)
@click.option(
    "--assets",
    "assets_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder with the figure files (default: the XML's folder).",
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the print HTML (for inspection).",
)
@config_option
def typeset(
    source: Path,
    output: Path,
    variant: str,
    assets_dir: Path | None,
    html_out: Path | None,
    config_path: str | None,
) -> None:
    """Typeset a JATS article into a PDF.

    Exit 0 when written, 2 when the input cannot be typeset, 3 when typesetting ran past
    its time limit (the setting fde.production.typeset_timeout, 300 s unless set)."""
    from frontiers_de.config import JournalProfile
    from frontiers_de.jobs.time_limit import ChildFailed, TookTooLong
    from frontiers_de.production.typesetting.service import (
        TYPESET_TIMEOUT_SETTING,
        TypesetError,
        typeset_timeout,
        typeset_within,
    )
    from frontiers_de.xml.safe import XMLInputError

    settings = settings_for(config_path)
    profile = JournalProfile.from_settings(settings)
    try:
        seconds = typeset_timeout(settings)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        result = typeset_within(
            source.read_bytes(),
            profile,
            seconds=seconds,
            variant=variant,
            assets_dir=assets_dir or source.parent,
        )
    except (XMLInputError, TypesetError, ChildFailed) as exc:
        click.echo(f"{source}: cannot typeset: {exc}", err=True)
        sys.exit(EXIT_UNUSABLE)
    except TookTooLong as exc:
        click.echo(f"{source}: {exc} (setting {TYPESET_TIMEOUT_SETTING})", err=True)
        sys.exit(EXIT_TOO_LONG)
    output.write_bytes(result.pdf_bytes)
    if html_out is not None:
        html_out.write_text(result.html, encoding="utf-8")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    t = result.timings
    click.echo(
        f"{output}: {result.pages} pages, {len(result.pdf_bytes) / 1024:.0f} KiB, "
        f"{t['total']:.2f} s (ours {result.own_seconds:.2f} s, layout {t['layout']:.2f} s, "
        f"write {t['write']:.2f} s), {len(result.warnings)} warning(s)"
    )
