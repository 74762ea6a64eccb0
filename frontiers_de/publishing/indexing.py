"""What indexers read in a page's head, beside the Highwire tags of :mod:`.citations`:
schema.org JSON-LD (``ScholarlyArticle`` on an article, ``PublicationIssue`` in a
``Periodical`` on an issue), ``citation_reference`` tags (one per reference, as Google
Scholar's inclusion guidelines ask), Dublin Core and Open Graph.

Pure functions of a :class:`~.citations.Citation`, the JATS references and the journal's
facts, so the tests check them on data alone and every page says the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from frontiers_de.identifiers import orcid_url
from frontiers_de.production.jats.meta import Reference
from frontiers_de.publishing.citations import Citation, Person
from frontiers_de.publishing.oai.crosswalks import dc_source

SCHEMA_ORG = "https://schema.org"
DC_SCHEMA = "http://purl.org/dc/elements/1.1/"
HEADLINE_CHARS = 110  # schema.org's advice for a headline
DESCRIPTION_CHARS = 300

# ISO 639-1 to the locale Open Graph names (og:locale); other languages give just the code.
_OG_LOCALES = {"en": "en_US", "zh": "zh_CN", "fr": "fr_FR", "es": "es_ES", "ru": "ru_RU"}


def script_json(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>`` and ``&``
    escaped so that no value can close the element (an author's title holding
    ``</script>`` stays text)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _person(person: Person) -> dict[str, Any]:
    if person.collab:
        return {"@type": "Organization", "name": person.collab}
    out: dict[str, Any] = {"@type": "Person", "name": person.display_name}
    if person.given_names:
        out["givenName"] = person.given_names
    if person.surname:
        out["familyName"] = person.surname
    orcid = orcid_url(person.orcid) if person.orcid else None
    if orcid:
        out["sameAs"] = orcid
        out["identifier"] = orcid
    if person.affiliations:
        out["affiliation"] = [{"@type": "Organization", "name": a} for a in person.affiliations]
    return out


def periodical(citation: Citation, site_url: str = "") -> dict[str, Any]:
    """The journal as a schema.org ``Periodical``."""
    out: dict[str, Any] = {"@type": "Periodical", "name": citation.journal_title}
    if citation.journal_abbrev:
        out["alternateName"] = citation.journal_abbrev
    if citation.issns:
        out["issn"] = list(citation.issns)
    if citation.publisher:
        out["publisher"] = {"@type": "Organization", "name": citation.publisher}
    if site_url:
        out["url"] = site_url
    return out


def _part_of(citation: Citation, site_url: str) -> dict[str, Any]:
    journal = periodical(citation, site_url)
    if not citation.volume:
        return journal
    volume = {"@type": "PublicationVolume", "volumeNumber": citation.volume, "isPartOf": journal}
    if not citation.issue:
        return volume
    return {"@type": "PublicationIssue", "issueNumber": citation.issue, "isPartOf": volume}


def _reference_work(ref: Reference) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    name = ref.article_title or ref.source or ref.text
    if name:
        work["name"] = _shorten(name, 500)
    if ref.doi:
        work["sameAs"] = f"https://doi.org/{ref.doi}"
    if ref.text:
        work["description"] = _shorten(ref.text, 1000)
    return work


def article_json_ld(
    citation: Citation,
    references: Sequence[Reference] = (),
    *,
    site_url: str = "",
    modified: str = "",
) -> dict[str, Any]:
    """The article as a schema.org ``ScholarlyArticle``, in its issue, volume and journal."""
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "ScholarlyArticle",
        "headline": _shorten(citation.title, HEADLINE_CHARS),
        "name": citation.title,
        "author": [_person(p) for p in citation.authors],
        "isAccessibleForFree": True,
        "inLanguage": citation.language,
        "isPartOf": _part_of(citation, site_url),
    }
    if citation.url:
        data["@id"] = citation.url
        data["url"] = citation.url
        data["mainEntityOfPage"] = citation.url
    if citation.published is not None:
        data["datePublished"] = citation.published.iso()
    if modified:
        data["dateModified"] = modified
    if citation.publisher:
        data["publisher"] = {"@type": "Organization", "name": citation.publisher}
    if citation.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": citation.doi}
        data["sameAs"] = f"https://doi.org/{citation.doi}"
    if citation.abstract:
        data["abstract"] = citation.abstract
        data["description"] = _shorten(citation.abstract, DESCRIPTION_CHARS)
    if citation.keywords:
        data["keywords"] = list(citation.keywords)
    if citation.licence_url:
        data["license"] = citation.licence_url
    if citation.fpage:
        data["pageStart"] = citation.fpage
        if citation.lpage:
            data["pageEnd"] = citation.lpage
    elif citation.elocation_id:
        data["pagination"] = citation.elocation_id
    if citation.article_type:
        data["genre"] = citation.article_type
    encodings = [
        {"@type": "MediaObject", "encodingFormat": fmt, "contentUrl": url}
        for fmt, url in (
            ("application/pdf", citation.pdf_url),
            ("application/xml", citation.xml_url),
        )
        if url
    ]
    if encodings:
        data["encoding"] = encodings
    if citation.trans_titles:
        data["alternativeHeadline"] = [t for _lang, t in citation.trans_titles]
    if references:
        data["citation"] = [_reference_work(r) for r in references]
    return data


@dataclass(frozen=True)
class IssueFacts:
    volume: str
    number: str
    year: str
    title: str
    url: str
    published: str = ""  # YYYY-MM-DD


def issue_json_ld(
    issue: IssueFacts, journal: Citation, articles: Sequence[Citation], site_url: str = ""
) -> dict[str, Any]:
    """An issue as a schema.org ``PublicationIssue`` of a ``PublicationVolume`` of the
    journal (``Periodical``), with its articles as parts. ``journal`` carries the journal's
    facts (a citation with only those set)."""
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "PublicationIssue",
        "@id": issue.url,
        "url": issue.url,
        "issueNumber": issue.number,
        "isPartOf": {
            "@type": "PublicationVolume",
            "volumeNumber": issue.volume,
            "isPartOf": periodical(journal, site_url),
        },
    }
    if issue.title:
        data["name"] = issue.title
    if issue.published:
        data["datePublished"] = issue.published
    elif issue.year:
        data["datePublished"] = issue.year
    data["hasPart"] = [
        {
            "@type": "ScholarlyArticle",
            "headline": _shorten(a.title, HEADLINE_CHARS),
            "name": a.title,
            **({"url": a.url, "@id": a.url} if a.url else {}),
            **({"sameAs": f"https://doi.org/{a.doi}"} if a.doi else {}),
            "author": [_person(p) for p in a.authors],
        }
        for a in articles
    ]
    return data


# --- meta tags ------------------------------------------------------------------------------


def reference_tag(ref: Reference) -> str:
    """One ``citation_reference`` value: the reference's fields as ``citation_*=value``
    pairs joined by ``; `` (what Google Scholar reads), or its text when it has no
    trusted fields."""
    if not ref.use_fields:
        return " ".join(ref.text.split())
    pairs: list[tuple[str, str]] = []
    title = ref.article_title or ref.source
    if title:
        pairs.append(("citation_title", title))
    for surname, given in ref.authors:
        pairs.append(("citation_author", ", ".join(p for p in (surname, given) if p)))
    if ref.collab:
        pairs.append(("citation_author", ref.collab))
    if ref.article_title and ref.source:
        pairs.append(("citation_journal_title", ref.source))
    for name, value in (
        ("citation_publication_date", ref.year),
        ("citation_volume", ref.volume),
        ("citation_issue", ref.issue),
        ("citation_firstpage", ref.fpage or ref.elocation_id),
        ("citation_lastpage", ref.lpage),
        ("citation_doi", ref.doi),
        ("citation_pmid", ref.pmid),
    ):
        if value:
            pairs.append((name, value))
    # a ";" inside a value would split it; Scholar reads the pairs as written
    text = "; ".join(f"{name}={' '.join(value.replace(';', ',').split())}" for name, value in pairs)
    return text or " ".join(ref.text.split())


def reference_tags(references: Sequence[Reference]) -> list[tuple[str, str]]:
    """``citation_reference`` tags, one per reference with something to say."""
    return [("citation_reference", tag) for tag in map(reference_tag, references) if tag]


def dublin_core(citation: Citation) -> list[tuple[str, str]]:
    """Dublin Core ``DC.*`` meta tags (name, content); empty values are left out."""
    tags: list[tuple[str, str]] = [("DC.title", citation.title)]
    tags += [("DC.creator", p.inverted_name) for p in citation.authors]
    if citation.published is not None:
        tags.append(("DC.date", citation.published.iso()))
    tags += [
        ("DC.identifier", f"doi:{citation.doi}" if citation.doi else ""),
        ("DC.identifier", citation.url),
        ("DC.publisher", citation.publisher),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
        ("DC.language", citation.language),
        ("DC.rights", citation.licence_url),
        ("DC.description", citation.abstract),
        ("DC.relation.ispartof", citation.journal_title),
    ]
    tags += [("DC.subject", k) for k in citation.keywords]
    tags.append(("DC.source", dc_source(citation)))
    return [(name, value) for name, value in tags if value]


def open_graph(citation: Citation, site_name: str) -> list[tuple[str, str]]:
    """Open Graph ``og:*`` and ``article:*`` properties (property, content)."""
    lang = citation.language[:2]
    tags: list[tuple[str, str]] = [
        ("og:type", "article"),
        ("og:title", citation.title),
        ("og:url", citation.url),
        ("og:site_name", site_name),
        ("og:description", _shorten(citation.abstract, DESCRIPTION_CHARS)),
        ("og:locale", _OG_LOCALES.get(lang, lang)),
    ]
    if citation.published is not None:
        tags.append(("article:published_time", citation.published.iso()))
    tags += [("article:tag", k) for k in citation.keywords]
    return [(name, value) for name, value in tags if value]


def issue_open_graph(issue: IssueFacts, heading: str, site_name: str) -> list[tuple[str, str]]:
    """Open Graph properties of an issue's table of contents (a ``website`` page)."""
    title = f"{heading}: {issue.title}" if issue.title else heading
    tags = [
        ("og:type", "website"),
        ("og:title", title),
        ("og:url", issue.url),
        ("og:site_name", site_name),
    ]
    return [(name, value) for name, value in tags if value]
