"""Accessibility: every graphic has alt text or a caption that describes it."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from frontiers_de.production.jats.rules.base import (
    MML_NS,
    XLINK_HREF,
    RuleContext,
    Severity,
    Violation,
    line_of,
    rule,
    text_of,
)

_CAPTIONED = (
    "fig",
    "fig-group",
    "table-wrap",
    "boxed-text",
    "supplementary-material",
    "chem-struct-wrap",
)


def _described(graphic: etree._Element) -> bool:
    if text_of(graphic.find("alt-text")) or text_of(graphic.find("long-desc")):
        return True
    if text_of(graphic.find("caption")):
        return True
    # A graphic that is one rendering of a formula is described by the MathML or TeX beside it.
    parent = graphic.getparent()
    if parent is not None and parent.tag == "alternatives":
        siblings = list(parent)
        if parent.find(f"{{{MML_NS}}}math") is not None or any(
            s.tag == "tex-math" for s in siblings
        ):
            return True
    for ancestor in graphic.iterancestors(*_CAPTIONED):
        return bool(text_of(ancestor.find("caption")))
    return False


@rule("FDE-ALT-001", Severity.ERROR, "graphic has neither alt text nor a caption")
def graphic_described(context: RuleContext) -> Iterator[Violation]:
    for graphic in context.iter("graphic", "inline-graphic"):
        if not _described(graphic):
            yield Violation(line_of(graphic), graphic.get(XLINK_HREF) or "graphic without href")
