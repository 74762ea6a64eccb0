"""Check a JATS article: the journal's house rules and the official JATS 1.3 XSD.

Pure functions over a parsed tree: :func:`check_house_rules` runs every registered rule
(``frontiers_de.production.jats.rules``), :func:`check_article` adds the official schema.
The ``fde jats check`` command and the production pages both call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from lxml import etree

from frontiers_de.production.jats.rules import CheckOptions, RuleContext, Severity, all_rules
from frontiers_de.xml.schemas import SchemaUnavailable, validate

OFFICIAL_SCHEMA = "jats-1.3"
XSD_RULE_ID = "XSD"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: where (source line, 0 if unknown), how bad, which rule, and what."""

    line: int
    severity: str
    rule_id: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckReport:
    """Findings of every check that ran, and why official validation was skipped, if it was."""

    findings: list[Finding] = field(default_factory=list)
    official_validation_skipped: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def valid(self) -> bool:
        """Valid means no errors; warnings are for the production editor to judge."""
        return not self.errors


def check_house_rules(
    tree: etree._ElementTree | etree._Element,
    options: CheckOptions | None = None,
    rule_ids: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the house rules (all, or those in ``rule_ids``) and return findings by line."""
    if isinstance(tree, etree._Element):
        tree = tree.getroottree()
    context = RuleContext(tree, options or CheckOptions())
    wanted = set(rule_ids) if rule_ids is not None else None
    findings: list[Finding] = []
    for house_rule in all_rules():
        if wanted is not None and house_rule.id not in wanted:
            continue
        for violation in house_rule.run(context):
            message = house_rule.message
            if violation.detail:
                message = f"{message}: {violation.detail}"
            findings.append(
                Finding(violation.line, str(house_rule.severity), house_rule.id, message)
            )
    return sorted(findings)


def check_official_schema(
    tree: etree._ElementTree | etree._Element, settings: Mapping[str, Any] | None = None
) -> list[Finding]:
    """Validate against the JATS 1.3 Publishing XSD; raises SchemaUnavailable without it."""
    return [
        Finding(error.line or 0, str(Severity.ERROR), XSD_RULE_ID, error.message)
        for error in validate(tree, OFFICIAL_SCHEMA, settings)
    ]


def check_article(
    tree: etree._ElementTree | etree._Element,
    settings: Mapping[str, Any] | None = None,
    options: CheckOptions | None = None,
) -> CheckReport:
    """House rules plus the official schema; the rules still run when the schema is missing."""
    options = options or CheckOptions.from_settings(dict(settings or {}))
    report = CheckReport(check_house_rules(tree, options))
    try:
        report.findings = sorted(report.findings + check_official_schema(tree, settings))
    except SchemaUnavailable as exc:
        report.official_validation_skipped = (
            f"official JATS 1.3 validation skipped: {exc}; only the house rules were checked"
        )
    return report
