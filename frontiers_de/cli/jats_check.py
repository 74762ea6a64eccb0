"""`fde jats check IN.xml [--json]`: official JATS 1.3 XSD plus the journal's house rules.

Prints ``FILE:LINE: SEVERITY RULE-ID message`` per finding (XSD errors have rule id ``XSD``).
Exit 0 when valid (warnings allowed), 1 when invalid, 2 when the input cannot be used.
"""

from __future__ import annotations

import json

import click
from lxml import etree

from frontiers_de.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNUSABLE,
    config_option,
    settings_for,
)
from frontiers_de.production.jats.check import check_article
from frontiers_de.production.jats.rules import CheckOptions
from frontiers_de.xml.safe import XMLInputError, parse_xml


def _require_article(root: etree._Element) -> None:
    """Another kind of XML (a Crossref deposit, a book) is not an article to check."""
    name = etree.QName(root)
    if name.localname != "article" or name.namespace:
        raise XMLInputError(
            f"the root element is <{root.tag}>, not a JATS <article>", root.sourceline
        )


@click.command()
@click.argument("in_path", metavar="IN.xml", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@config_option
def check(in_path: str, as_json: bool, config_path: str | None) -> None:
    """Validate IN.xml against JATS 1.3 Publishing and the house rules."""
    settings = settings_for(config_path)
    try:
        options = CheckOptions.from_settings(settings)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        tree = parse_xml(in_path)
        _require_article(tree.getroot())
    except XMLInputError as exc:
        where = f"{in_path}:{exc.line}" if exc.line else in_path
        if as_json:
            click.echo(json.dumps({"file": in_path, "usable": False, "error": str(exc)}))
        click.echo(f"{where}: unusable input: {exc}", err=True)
        raise SystemExit(EXIT_UNUSABLE) from exc

    report = check_article(tree, settings, options)
    if report.official_validation_skipped:
        click.echo(f"{in_path}: note: {report.official_validation_skipped}", err=True)
    if as_json:
        document = {
            "file": in_path,
            "usable": True,
            "valid": report.valid,
            "official_validation": "skipped" if report.official_validation_skipped else "done",
            "official_validation_note": report.official_validation_skipped,
            "errors": len(report.errors),
            "warnings": len(report.findings) - len(report.errors),
            "findings": [{"file": in_path, **f.as_dict()} for f in report.findings],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            click.echo(
                f"{in_path}:{finding.line}: {finding.severity} {finding.rule_id} {finding.message}"
            )
    raise SystemExit(EXIT_OK if report.valid else EXIT_INVALID)
