"""Licence, copyright and a corresponding author in the article metadata."""

from __future__ import annotations

from collections.abc import Iterator

from frontiers_de.production.jats.rules.base import (
    NOTICE_TYPES,
    RuleContext,
    Severity,
    Violation,
    line_of,
    rule,
    text_of,
)

ALI_NS = "http://www.niso.org/schemas/ali/1.0/"


def _meta_line(context: RuleContext) -> int:
    return line_of(context.article_meta if context.article_meta is not None else context.root)


@rule("FDE-LIC-001", Severity.ERROR, "article has no licence (permissions/license)")
def licence_present(context: RuleContext) -> Iterator[Violation]:
    meta = context.article_meta
    if meta is not None:
        permissions = meta.find("permissions")
        if permissions is not None and (
            permissions.find("license") is not None
            or permissions.find(f"{{{ALI_NS}}}license_ref") is not None
        ):
            return
    yield Violation(_meta_line(context))


@rule(
    "FDE-COPY-001",
    Severity.ERROR,
    "article has no copyright statement, year or holder (permissions)",
)
def copyright_present(context: RuleContext) -> Iterator[Violation]:
    meta = context.article_meta
    permissions = meta.find("permissions") if meta is not None else None
    if permissions is not None and any(
        text_of(permissions.find(name))
        for name in ("copyright-statement", "copyright-year", "copyright-holder")
    ):
        return
    yield Violation(_meta_line(context))


@rule("FDE-CORR-001", Severity.ERROR, "article has no corresponding author")
def corresponding_author(context: RuleContext) -> Iterator[Violation]:
    meta = context.article_meta
    if meta is not None:
        if meta.find("author-notes/corresp") is not None:
            return
        # Who corresponds is read as the page and the PDF read it: a contrib marked so, or
        # the one author who gives an e-mail address.
        people = context.meta.contributors
        if any(c.corresponding for c in people):
            return
        named = [c for c in people if c.surname or c.given_names or c.collab]
        if not named and context.article_type in NOTICE_TYPES:
            return  # a notice from the journal names no author to write to
    yield Violation(_meta_line(context))
