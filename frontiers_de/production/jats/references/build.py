"""JATS for a reference string: an element-citation when the parse is confident, the
author's text as a mixed-citation otherwise (identifiers marked up), and ref-lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from frontiers_de.production.jats.references.model import ParsedReference
from frontiers_de.production.jats.references.parse import parse_reference
from frontiers_de.production.jats.references.patterns import _CJK, _clean

_XLINK = "http://www.w3.org/1999/xlink"
_XLINK_NSMAP = {"xlink": _XLINK}


def element_citation(ref: ParsedReference) -> etree._Element:
    """The JATS ``element-citation`` for a parsed reference (fields in the usual order)."""
    cit = etree.Element("element-citation", {"publication-type": ref.publication_type})
    if ref.authors or ref.collab:
        group = etree.SubElement(cit, "person-group", {"person-group-type": "author"})
        for surname, given in ref.authors:
            # Chinese, Japanese and Korean names are written surname first
            style = {"name-style": "eastern"} if _CJK.search(surname) else {}
            name = etree.SubElement(group, "name", style)
            etree.SubElement(name, "surname").text = surname
            if given:
                etree.SubElement(name, "given-names").text = given
        if ref.collab:
            etree.SubElement(group, "collab").text = ref.collab
        if ref.etal:
            etree.SubElement(group, "etal")
    if ref.title:
        # the part inside a book is a chapter; a data set or program has a data-title (JATS4R);
        # anything else inside a source is an article
        if ref.publication_type in ("data", "software"):
            tag = "data-title"
        elif ref.publication_type == "book" and ref.source:
            tag = "chapter-title"
        else:
            tag = "article-title"
        etree.SubElement(cit, tag).text = ref.title
    if ref.source:
        etree.SubElement(cit, "source").text = ref.source
    if ref.publisher_loc:
        etree.SubElement(cit, "publisher-loc").text = ref.publisher_loc
    if ref.publisher_name:
        etree.SubElement(cit, "publisher-name").text = ref.publisher_name
    if ref.year:
        etree.SubElement(cit, "year").text = ref.year
    for tag, value in (("volume", ref.volume), ("issue", ref.issue)):
        if value:
            etree.SubElement(cit, tag).text = value
    if ref.elocation_id:
        etree.SubElement(cit, "elocation-id").text = ref.elocation_id
    elif ref.fpage:
        etree.SubElement(cit, "fpage").text = ref.fpage
        if ref.lpage:
            etree.SubElement(cit, "lpage").text = ref.lpage
    if ref.version:
        etree.SubElement(cit, "version").text = ref.version
    _append_ids(cit, ref)
    if ref.url:
        link = etree.SubElement(cit, "ext-link", {"ext-link-type": "uri"}, nsmap=_XLINK_NSMAP)
        link.set(f"{{{_XLINK}}}href", ref.url)
        link.text = ref.url
    if ref.access_date:
        accessed = etree.SubElement(
            cit,
            "date-in-citation",
            {"content-type": "access-date", "iso-8601-date": ref.access_date},
        )
        accessed.text = ref.access_date_text or ref.access_date
    return cit


def _append_ids(parent: etree._Element, ref: ParsedReference) -> None:
    for kind, value in (
        ("doi", ref.doi),
        ("pmid", ref.pmid),
        ("pmcid", ref.pmcid),
        ("arxiv", ref.arxiv),
    ):
        if value:
            etree.SubElement(parent, "pub-id", {"pub-id-type": kind}).text = value


def _mixed_citation(text: str, ref: ParsedReference | None) -> etree._Element:
    """The original text; identifiers found in it are marked up where they stand."""
    mixed = etree.Element("mixed-citation")
    if ref is None or not (ref.doi or ref.pmid or ref.pmcid or ref.arxiv):
        mixed.text = text
        return mixed
    spans = []
    for kind, value in (
        ("doi", ref.doi),
        ("pmid", ref.pmid),
        ("pmcid", ref.pmcid),
        ("arxiv", ref.arxiv),
    ):
        if value:
            at = text.find(value)
            if at >= 0:
                spans.append((at, at + len(value), kind))
    spans.sort()
    cursor, last = 0, None
    for start, end, kind in spans:
        if start < cursor:
            continue
        pub_id = etree.SubElement(mixed, "pub-id", {"pub-id-type": kind})
        pub_id.text = text[start:end]
        if last is None:
            mixed.text = text[cursor:start]
        else:
            last.tail = text[cursor:start]
        last, cursor = pub_id, end
    if last is None:
        mixed.text = text
    else:
        last.tail = text[cursor:]
    return mixed


def citation_for(text: str, *, keep_original: bool = True) -> etree._Element:
    """One reference string as JATS: parsed confidently → element-citation (inside
    ``citation-alternatives`` with the original text when ``keep_original``); otherwise a
    mixed-citation holding the original, with any DOI/PMID marked as ``pub-id``."""
    text = _clean(text)
    ref = parse_reference(text)
    if ref is None or not ref.confident:
        return _mixed_citation(text, ref)
    cit = element_citation(ref)
    if not keep_original:
        return cit
    alternatives = etree.Element("citation-alternatives")
    alternatives.append(cit)
    alternatives.append(_mixed_citation(text, ref))
    return alternatives


def build_ref_list(
    strings: Iterable[str], *, id_prefix: str = "ref-", keep_original: bool = True
) -> etree._Element:
    """A ``<ref-list>`` with one ``<ref id="ref-N">`` per non-empty reference string.

    A list number the string starts with ("[12]", "12.") becomes the ref's ``<label>``, so
    numbered in-text citations find it (see :func:`link_citations`).
    """
    ref_list = etree.Element("ref-list")
    etree.SubElement(ref_list, "title").text = "References"
    number = 0
    for text in strings:
        if not text or not text.strip():
            continue
        number += 1
        ref = etree.SubElement(ref_list, "ref", {"id": f"{id_prefix}{number}"})
        label = _LIST_LABEL.match(text)
        if label:
            etree.SubElement(ref, "label").text = label.group("n1") or label.group("n2")
            text = text[label.end() :]
        ref.append(citation_for(text, keep_original=keep_original))
    return ref_list


_LIST_LABEL = re.compile(r"^\s*(?:\[(?P<n1>\d{1,3})\]|(?P<n2>\d{1,3})\.(?!\d))\s+")


def structure_references(tree: etree._ElementTree | etree._Element) -> int:
    """Upgrade plain mixed-citations of an existing JATS document; returns how many.

    A mixed-citation counts as plain when it has no field markup (only text, styling and
    links). The original is kept: the ref then holds ``citation-alternatives`` with the new
    element-citation and the original mixed-citation. Identifiers found in plain citations
    that do not parse confidently are still marked up as ``pub-id``.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    # markup that does not structure a citation: styling, links, identifiers, comments
    styling = {
        "italic",
        "bold",
        "sc",
        "sup",
        "sub",
        "underline",
        "ext-link",
        "uri",
        "monospace",
        "pub-id",
        "comment",
        "roman",
        "sans-serif",
    }
    upgraded = 0
    for mixed in list(root.iter("mixed-citation")):
        parent = mixed.getparent()
        if parent is None or parent.tag != "ref":
            continue
        if any(
            isinstance(c.tag, str) and c.tag not in styling for c in mixed.iter() if c is not mixed
        ):
            continue
        text = _clean("".join(mixed.itertext()))
        ref = parse_reference(text)
        if ref is None:
            continue
        if ref.confident:
            alternatives = etree.Element("citation-alternatives")
            alternatives.tail = mixed.tail
            parent.replace(mixed, alternatives)
            mixed.tail = None
            alternatives.append(element_citation(ref))
            alternatives.append(mixed)
            upgraded += 1
        elif not len(mixed) and (ref.doi or ref.pmid or ref.pmcid):
            new = _mixed_citation(text, ref)
            for key, value in mixed.attrib.items():
                new.set(key, value)
            new.tail = mixed.tail
            parent.replace(mixed, new)
    return upgraded
