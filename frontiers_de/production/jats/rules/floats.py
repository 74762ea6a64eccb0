"""Figures and tables: each has a label and a caption and is cited from the text."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from frontiers_de.production.jats.rules.base import (
    RuleContext,
    Severity,
    Violation,
    line_of,
    rule,
    text_of,
)


def _describe(element: etree._Element) -> str:
    label = text_of(element.find("label"))
    ident = element.get("id")
    if label and ident:
        return f"{label} (id {ident})"
    return label or (f"id {ident}" if ident else f"{element.tag} without id")


def _missing_label(context: RuleContext, name: str) -> Iterator[Violation]:
    for element in context.iter(name):
        if not text_of(element.find("label")):
            yield Violation(line_of(element), _describe(element))


def _missing_caption(context: RuleContext, name: str) -> Iterator[Violation]:
    for element in context.iter(name):
        if not text_of(element.find("caption")):
            yield Violation(line_of(element), _describe(element))


def _is_cited(context: RuleContext, element: etree._Element) -> bool:
    # A figure inside a cited fig-group (or a cited group of tables) counts as cited.
    for candidate in (element, *element.iterancestors("fig-group", "table-wrap-group")):
        ident = candidate.get("id")
        if ident and ident in context.cited_ids:
            return True
    return False


def _uncited(context: RuleContext, name: str) -> Iterator[Violation]:
    for element in context.iter(name):
        if not _is_cited(context, element):
            yield Violation(line_of(element), _describe(element))


@rule("FDE-FIG-001", Severity.ERROR, "figure has no label")
def figure_label(context: RuleContext) -> Iterator[Violation]:
    return _missing_label(context, "fig")


@rule("FDE-FIG-002", Severity.ERROR, "figure has no caption")
def figure_caption(context: RuleContext) -> Iterator[Violation]:
    return _missing_caption(context, "fig")


@rule("FDE-FIG-003", Severity.ERROR, "figure is not cited by any xref in the text")
def figure_cited(context: RuleContext) -> Iterator[Violation]:
    return _uncited(context, "fig")


@rule("FDE-TAB-001", Severity.ERROR, "table has no label")
def table_label(context: RuleContext) -> Iterator[Violation]:
    return _missing_label(context, "table-wrap")


@rule("FDE-TAB-002", Severity.ERROR, "table has no caption")
def table_caption(context: RuleContext) -> Iterator[Violation]:
    return _missing_caption(context, "table-wrap")


@rule("FDE-TAB-003", Severity.ERROR, "table is not cited by any xref in the text")
def table_cited(context: RuleContext) -> Iterator[Violation]:
    return _uncited(context, "table-wrap")
