"""Nothing a browser would run: only JATS, MathML, ALI, XLink and ``xml:`` in an article.

The article's JATS is served to readers, harvesters and indexers as it is, so what
normalisation removes (:mod:`frontiers_de.production.jats.sanitise`, the one list) must
not come back through a file the production editor uploads by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

from frontiers_de.production.jats.rules.base import (
    RuleContext,
    Severity,
    Violation,
    line_of,
    rule,
)
from frontiers_de.production.jats.sanitise import Unsafe


def _found(context: RuleContext, *kinds: str) -> Iterator[Unsafe]:
    return (item for item in context.unsafe if item.kind in kinds)


def _line(item: Unsafe) -> int:
    return int(item.node.sourceline or 0) or line_of(item.node.getparent())


@rule(
    "FDE-SAFE-001",
    Severity.ERROR,
    "element outside JATS, MathML and ALI (or MathML annotation-xml)",
)
def foreign_elements(context: RuleContext) -> Iterator[Violation]:
    for item in _found(context, "element"):
        yield Violation(_line(item), item.what)


@rule(
    "FDE-SAFE-002",
    Severity.ERROR,
    "attribute outside JATS, MathML, XLink, ALI and xml:, or an event handler (on…)",
)
def foreign_attributes(context: RuleContext) -> Iterator[Violation]:
    for item in _found(context, "attribute"):
        yield Violation(_line(item), f"{item.what} on <{item.node.tag}>")


@rule("FDE-SAFE-003", Severity.ERROR, "processing instruction")
def instructions(context: RuleContext) -> Iterator[Violation]:
    for item in _found(context, "instruction"):
        yield Violation(_line(item), item.what)


@rule(
    "FDE-SAFE-004",
    Severity.ERROR,
    "link that runs script (javascript:, vbscript:, data: other than a raster image)",
)
def script_links(context: RuleContext) -> Iterator[Violation]:
    for item in _found(context, "link"):
        yield Violation(_line(item), item.what)
