"""Cross-references and ids: every rid resolves, every id is unique."""

from __future__ import annotations

from collections.abc import Iterator

from frontiers_de.production.jats.rules.base import (
    RuleContext,
    Severity,
    Violation,
    line_of,
    rule,
)


@rule("FDE-XREF-001", Severity.ERROR, "rid points to an id that does not exist")
def rid_resolves(context: RuleContext) -> Iterator[Violation]:
    # rid is an IDREFS list on xref and a few other elements; check every element that has one.
    for element in context.with_attribute("rid"):
        rid = element.get("rid", "")
        targets = rid.split()
        if not targets:
            yield Violation(line_of(element), f"<{element.tag}> has an empty rid")
        for target in targets:
            if target not in context.ids:
                yield Violation(line_of(element), f"<{element.tag} rid={target!r}>")


@rule("FDE-XREF-002", Severity.WARNING, "xref has no rid, so it links nowhere")
def xref_has_rid(context: RuleContext) -> Iterator[Violation]:
    for xref in context.iter("xref"):
        if xref.get("rid") is None:
            yield Violation(line_of(xref), f"ref-type {xref.get('ref-type') or 'unset'}")


@rule("FDE-ID-001", Severity.ERROR, "id is used by more than one element")
def ids_unique(context: RuleContext) -> Iterator[Violation]:
    for ident, elements in context.ids.items():
        for duplicate in elements[1:]:
            first = line_of(elements[0])
            yield Violation(line_of(duplicate), f"{ident!r} (first used on line {first})")
