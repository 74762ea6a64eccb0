"""References: each has a year and a source or title."""

from __future__ import annotations

import re
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

_CITATIONS = ("element-citation", "mixed-citation", "nlm-citation", "citation")
# A conference paper may be cited by its conference alone (<conf-name>): that is its source.
_TITLES = (
    "source",
    "article-title",
    "chapter-title",
    "part-title",
    "data-title",
    "trans-title",
    "conf-name",
)
# Any of these means the citation was tagged, so its parts can be checked one by one.
_STRUCTURE = {
    "person-group",
    "name",
    "string-name",
    "collab",
    "year",
    "date",
    "volume",
    "fpage",
    "elocation-id",
    *_TITLES,
}
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def _citation(ref: etree._Element) -> etree._Element | None:
    """The citation to check: the structured one when a ref carries several."""
    found = [el for el in ref.iter(*_CITATIONS)]
    for element in found:
        if element.tag == "element-citation":
            return element
    return found[0] if found else None


def _label(ref: etree._Element) -> str:
    return ref.get("id") or text_of(ref.find("label")) or "ref without id"


def is_structured(citation: etree._Element) -> bool:
    """True when the citation tags its parts (authors, year, title …), not just plain text."""
    return citation.tag != "mixed-citation" or any(
        el.tag in _STRUCTURE for el in citation.iterdescendants()
    )


@rule("FDE-REF-001", Severity.ERROR, "reference has no year")
def reference_year(context: RuleContext) -> Iterator[Violation]:
    for ref in context.iter("ref"):
        citation = _citation(ref)
        if citation is None:
            continue  # FDE-REF-002 reports a ref with no citation at all
        if text_of(citation.find(".//year")):
            continue
        if not is_structured(citation) and _YEAR_IN_TEXT.search(text_of(citation)):
            continue
        yield Violation(line_of(ref), _label(ref))


@rule("FDE-REF-002", Severity.ERROR, "reference has neither a source nor a title")
def reference_source_or_title(context: RuleContext) -> Iterator[Violation]:
    for ref in context.iter("ref"):
        citation = _citation(ref)
        if citation is None:
            yield Violation(line_of(ref), f"{_label(ref)} has no citation")
        elif is_structured(citation) and not any(
            text_of(citation.find(f".//{name}")) for name in _TITLES
        ):
            yield Violation(line_of(ref), _label(ref))


@rule(
    "FDE-REF-003",
    Severity.WARNING,
    "reference is untagged text; its source and title cannot be checked",
)
def reference_structured(context: RuleContext) -> Iterator[Violation]:
    for ref in context.iter("ref"):
        citation = _citation(ref)
        if citation is not None and not is_structured(citation):
            yield Violation(line_of(ref), _label(ref))
