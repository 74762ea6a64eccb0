"""Our article from pandoc's: a new front from the submission metadata (or what the
document says of itself), pandoc's body and back, the references, and the repairs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats import frontmatter
from frontiers_de.production.jats.convert.citations import (
    _clean_pandoc_ref_list,
    _link_citations,
    _number_bare_key_citations,
    _order_references,
    _refs_for_citation_keys,
    _retarget_citation_keys,
)
from frontiers_de.production.jats.convert.common import XML_LANG, ConversionReport, _text
from frontiers_de.production.jats.convert.reference_section import (
    _retarget_anchor_links,
    _take_reference_section,
    reference_list,
)
from frontiers_de.production.jats.convert.repairs import repair
from frontiers_de.production.jats.normalise import one_statement_per_kind, section_numbers_to_labels
from frontiers_de.production.jats.sanitise import sanitise


def new_article(metadata: Mapping[str, Any] | None, profile: JournalProfile) -> Any:
    article = etree.Element("article", nsmap=frontmatter.NSMAP)
    article.set("dtd-version", "1.3")
    article.set("article-type", (metadata or {}).get("article_type") or "research-article")
    article.set(XML_LANG, (metadata or {}).get("language") or profile.language)
    return article


def assemble(
    raw: etree._ElementTree,
    metadata: Mapping[str, Any] | None,
    profile: JournalProfile,
    report: ConversionReport,
    *,
    document_title: str | None = None,
    citation_labels: Mapping[str, str] | None = None,
) -> etree._ElementTree:
    """Our article from pandoc's: new front, pandoc's body and back repaired, references."""
    raw_root = raw.getroot()
    pandoc_title = raw_root.find("front/article-meta/title-group/article-title")
    if pandoc_title is not None:
        for line_break in pandoc_title.iter("break"):
            line_break.tail = " " + (line_break.tail or "")
    title = _text(pandoc_title) if pandoc_title is not None else None
    title = title or document_title
    if not (metadata or {}).get("title") and title:
        report.changes.append(f"title taken from the document: {title!r}")
    if metadata is None:
        report.missing.append("submission metadata (--meta): front matter derived from the file")
    if not (metadata or {}).get("article_type"):
        report.missing.append("article type (research-article assumed)")

    article = new_article(metadata, profile)
    derived = _metadata_from_document(raw_root, metadata or {}, profile, report)
    effective = {**derived, **(metadata or {})}
    front, front_report = frontmatter.build_front(effective, profile, fallback_title=title)
    report.missing.extend(front_report.missing)
    report.warnings.extend(front_report.warnings)
    article.append(front)

    body = raw_root.find("body")
    if body is None:
        body = etree.Element("body")
    article.append(body)
    back = etree.SubElement(article, "back")
    raw_back = raw_root.find("back")
    if raw_back is not None:
        back.extend(list(raw_back))
    back.extend(frontmatter.build_back_matter(metadata))

    strings, anchors = _take_reference_section(body, report)
    if strings and back.find("ref-list") is None:
        ref_list = reference_list(strings, report)
        back.append(ref_list)
        _retarget_anchor_links(article, ref_list, anchors, report)
        if citation_labels:
            _retarget_citation_keys(article, ref_list, citation_labels, report)
    elif strings:
        report.warnings.append(
            "the document has both a references section and a citeproc bibliography; "
            "the section's entries were dropped"
        )
    _refs_for_citation_keys(article, back, report)
    _clean_pandoc_ref_list(back)
    _number_bare_key_citations(article)
    _order_references(article, back)
    # pandoc writes only what its readers understood, but ODT formulas and our filters add
    # markup of their own: the same rule as for JATS input holds.
    report.warnings.extend(sanitise(article).removed)
    repair(article, report)
    section_numbers_to_labels(article, report.changes)
    one_statement_per_kind(article, report.changes, report.warnings)
    if back.find("ref-list") is not None:
        _link_citations(article, report)
    if len(back) == 0:
        article.remove(back)
    if len(body) == 0:
        report.warnings.append("the document body is empty")
        etree.SubElement(body, "p")
    return etree.ElementTree(article)


def _metadata_from_document(
    raw_root: Any, metadata: Mapping[str, Any], profile: JournalProfile, report: ConversionReport
) -> dict[str, Any]:
    """Authors and abstract that pandoc found in the document itself (Markdown YAML, Word
    document properties), used only where the submission metadata has none."""
    derived: dict[str, Any] = {}
    meta = raw_root.find("front/article-meta")
    if meta is None:
        return derived
    if not metadata.get("contributors"):
        people = []
        for contrib in meta.iterfind("contrib-group/contrib"):
            surname = contrib.findtext("name/surname")
            given = contrib.findtext("name/given-names")
            if not surname:
                whole = " ".join((contrib.findtext("string-name") or "").split())
                if not whole:
                    continue
                given, _, surname = whole.rpartition(" ")
            person: dict[str, Any] = {"family_names": surname.strip()}
            if given and given.strip():
                person["given_names"] = given.strip()
            people.append(person)
        if people:
            derived["contributors"] = people
            report.changes.append(
                f"{len(people)} authors taken from the document (names split at the last "
                "space: check given and family names)"
            )
    if not metadata.get("abstracts"):
        abstract = meta.find("abstract")
        paragraphs = [] if abstract is None else [_text(p) for p in abstract.iter("p")]
        paragraphs = [p for p in paragraphs if p]
        if paragraphs:
            lang = metadata.get("language") or profile.language
            derived["abstracts"] = [{"lang": lang, "text": "\n\n".join(paragraphs)}]
            report.changes.append("abstract taken from the document")
    return derived
