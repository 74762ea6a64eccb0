"""Accessibility: every graphic has alt text or a caption that describes it; every figure's
image has alt text of its own, short, that is not its caption (``jats/descriptions.py``)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from frontiers_de.production.jats import descriptions
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


def _figures_with_an_image(context: RuleContext) -> Iterator[tuple[etree._Element, etree._Element]]:
    for fig in context.iter("fig"):
        image = descriptions.figure_image(fig)
        if image is not None:
            yield fig, image


def _name(fig: etree._Element, image: etree._Element) -> str:
    return text_of(fig.find("label")) or fig.get("id") or image.get(XLINK_HREF) or "figure"


@rule(
    "FDE-ALT-002",
    Severity.WARNING,
    "figure has no alt text (the caption does not say what the image shows)",
)
def figure_has_alt_text(context: RuleContext) -> Iterator[Violation]:
    for fig, image in _figures_with_an_image(context):
        if not descriptions.description_of(fig).alt_text:
            yield Violation(line_of(image), _name(fig, image))


@rule("FDE-ALT-003", Severity.WARNING, "figure's alt text repeats its caption")
def alt_text_not_the_caption(context: RuleContext) -> Iterator[Violation]:
    for fig, image in _figures_with_an_image(context):
        alt = descriptions.description_of(fig).alt_text
        if alt and descriptions.repeats_caption(alt, fig):
            yield Violation(line_of(image), _name(fig, image))


@rule(
    "FDE-ALT-004",
    Severity.WARNING,
    f"alt text is longer than {descriptions.ALT_TEXT_MAX} characters; "
    "put the detail in a long description (long-desc)",
)
def alt_text_short(context: RuleContext) -> Iterator[Violation]:
    for element in context.iter("alt-text"):
        length = len(text_of(element))
        if length > descriptions.ALT_TEXT_MAX:
            yield Violation(line_of(element), f"{length} characters")
