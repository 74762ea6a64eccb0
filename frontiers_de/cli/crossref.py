"""`fde crossref xml|check|deposit`: see DESIGN.md, "Command line".

Credentials for ``deposit`` come from CROSSREF_USERNAME / CROSSREF_PASSWORD (or the settings
file); they are never printed.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from frontiers_de.cli.common import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, config_option
from frontiers_de.cli.common import settings_for as _settings_for
from frontiers_de.config import JournalProfile


@click.group()
def crossref() -> None:
    """Crossref deposit XML from JATS, its schema check, and the deposit itself."""


@crossref.command("xml")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@config_option
def xml_command(inputs: tuple[str, ...], output: str, config_path: str | None) -> None:
    """Build one deposit (Crossref schema 5.4.0) from one or more JATS articles."""
    from frontiers_de.crossref.deposit import DepositError, DepositSettings, build_deposit
    from frontiers_de.xml.safe import XMLInputError, parse_xml

    settings = _settings_for(config_path)
    trees = []
    for path in inputs:
        try:
            trees.append(parse_xml(path))
        except XMLInputError as exc:
            line = f":{exc.line}" if exc.line else ""
            click.echo(f"{path}{line}: {exc}", err=True)
            sys.exit(EXIT_UNUSABLE)
    try:
        deposit = build_deposit(
            trees, JournalProfile.from_settings(settings), DepositSettings.from_settings(settings)
        )
    except DepositError as exc:
        click.echo(f"cannot build the deposit: {exc}", err=True)
        sys.exit(EXIT_UNUSABLE)
    Path(output).write_bytes(deposit.to_bytes())
    click.echo(
        f"{output}: batch {deposit.batch_id}, {len(deposit.dois)} DOI(s): {', '.join(deposit.dois)}"
    )


@crossref.command("check")
@click.argument("deposit", type=click.Path(dir_okay=False))
@config_option
def check_command(deposit: str, config_path: str | None) -> None:
    """Validate a deposit file against the official Crossref 5.4.0 XSD.

    Exit 0 valid, 1 invalid (each error with its line), 2 unusable input or no schema.
    """
    from frontiers_de.crossref.validate import format_errors, validate_deposit
    from frontiers_de.xml.safe import XMLInputError, parse_xml
    from frontiers_de.xml.schemas import SchemaUnavailable

    settings = _settings_for(config_path)
    try:
        tree = parse_xml(deposit)
    except XMLInputError as exc:
        line = f":{exc.line}" if exc.line else ""
        click.echo(f"{deposit}{line}: {exc}", err=True)
        sys.exit(EXIT_UNUSABLE)
    try:
        errors = validate_deposit(tree, settings)
    except SchemaUnavailable as exc:
        click.echo(f"{deposit}: {exc}", err=True)
        sys.exit(EXIT_UNUSABLE)
    if errors:
        for line in format_errors(errors, deposit):
            click.echo(line)
        click.echo(f"{deposit}: invalid, {len(errors)} error(s)", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"{deposit}: valid (Crossref 5.4.0)")
    sys.exit(EXIT_OK)


@crossref.command("deposit")
@click.argument("deposit", type=click.Path(dir_okay=False, exists=True))
@click.option("--poll-interval", type=float, default=None, help="Seconds between result polls.")
@click.option("--max-polls", type=int, default=40, show_default=True)
@click.option("--timeout", type=float, default=None, help="Seconds to wait for each answer.")
@config_option
def deposit_command(
    deposit: str,
    poll_interval: float | None,
    max_polls: int,
    timeout: float | None,
    config_path: str | None,
) -> None:
    """Send a deposit file to the configured Crossref endpoint and print each DOI's result.

    Exit 0 when every DOI is registered (warnings included), 1 when any failed or is still
    unprocessed, 2 when the deposit could not be made (credentials, unreachable, bad file).
    """
    from frontiers_de.crossref.client import (
        CrossrefError,
        DepositClient,
        NotYetProcessed,
    )
    from frontiers_de.crossref.models import DoiState

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    settings = _settings_for(config_path)
    options: dict[str, float | int] = {"max_polls": max_polls}
    if poll_interval is not None:
        options["poll_interval"] = poll_interval
    if timeout is not None:
        options["timeout"] = timeout
    try:
        client = DepositClient.from_settings(settings, **options)
        result = client.deposit(Path(deposit).read_bytes(), Path(deposit).name)
    except NotYetProcessed as exc:
        click.echo(f"{exc}; ask again later", err=True)
        sys.exit(EXIT_INVALID)
    except CrossrefError as exc:
        click.echo(f"deposit failed: {exc}", err=True)
        sys.exit(EXIT_UNUSABLE)
    failed = False
    for outcome in result.outcomes:
        line = f"{outcome.doi}\t{outcome.status}"
        if outcome.message:
            line += f"\t{outcome.message}"
        click.echo(line)
        failed |= outcome.status in (DoiState.FAILED, DoiState.SUBMITTED)
    sys.exit(EXIT_INVALID if failed else EXIT_OK)
