"""Persistent identifiers in the article: ORCID iDs, ROR ids and DOIs are well-formed."""

from __future__ import annotations

from collections.abc import Iterator

from frontiers_de.identifiers import is_valid_doi, is_valid_orcid, is_valid_ror
from frontiers_de.production.jats.rules.base import (
    XLINK_HREF,
    RuleContext,
    Severity,
    Violation,
    line_of,
    rule,
    text_of,
)

# institution-id types that hold a DOI (Crossref Funder Registry ids are DOIs).
_DOI_INSTITUTION_TYPES = {"doi", "fundref", "funder-id", "crossref-funder-id"}


@rule(
    "FDE-ORCID-001",
    Severity.ERROR,
    "ORCID iD is malformed or its check digit (ISO 7064 MOD 11-2) is wrong",
)
def orcid_well_formed(context: RuleContext) -> Iterator[Violation]:
    for element in context.iter("contrib-id"):
        value = text_of(element)
        kind = (element.get("contrib-id-type") or "").lower()
        if (kind == "orcid" or "orcid.org" in value.lower()) and not is_valid_orcid(value):
            yield Violation(line_of(element), repr(value))


@rule("FDE-ROR-001", Severity.ERROR, "ROR id is malformed or its check digits are wrong")
def ror_well_formed(context: RuleContext) -> Iterator[Violation]:
    for element in context.iter("institution-id"):
        value = text_of(element)
        kind = (element.get("institution-id-type") or "").lower()
        if (kind == "ror" or "ror.org" in value.lower()) and not is_valid_ror(value):
            yield Violation(line_of(element), repr(value))


def _doi_values(context: RuleContext) -> Iterator[tuple[int, str]]:
    for element in context.iter("article-id", "pub-id", "object-id"):
        if (element.get("pub-id-type") or "").lower() == "doi":
            yield line_of(element), text_of(element)
    for element in context.iter("ext-link"):
        if (element.get("ext-link-type") or "").lower() == "doi":
            yield line_of(element), (element.get(XLINK_HREF) or text_of(element))
    for element in context.iter("institution-id"):
        if (element.get("institution-id-type") or "").lower() in _DOI_INSTITUTION_TYPES:
            yield line_of(element), text_of(element)


@rule("FDE-DOI-001", Severity.ERROR, "DOI is malformed (expected 10.NNNN/suffix)")
def doi_well_formed(context: RuleContext) -> Iterator[Violation]:
    for line, value in _doi_values(context):
        if not is_valid_doi(value):
            yield Violation(line, repr(value))
