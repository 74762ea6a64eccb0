"""Already-structured sources (BibTeX, BibLaTeX, RIS, EndNote XML, CSL JSON): nothing to
guess, pandoc's citeproc readers give CSL JSON, mapped field by field to JATS.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from frontiers_de.production.jats.references.build import _XLINK, _XLINK_NSMAP
from frontiers_de.production.jats.references.patterns import _DASH

BIBLIOGRAPHY_FORMATS = ("bibtex", "biblatex", "csljson", "ris", "endnotexml")
_CSL_TYPES = {
    "article-journal": "journal",
    "article-magazine": "journal",
    "article-newspaper": "newspaper",
    "book": "book",
    "chapter": "book",
    "paper-conference": "confproc",
    "thesis": "thesis",
    "report": "report",
    "webpage": "webpage",
    "post-weblog": "webpage",
    "dataset": "data",
    "software": "software",
    "patent": "patent",
}


class BibliographyError(ValueError):
    """A bibliography file that pandoc cannot read."""


def read_bibliography(data: str | bytes, fmt: str) -> list[dict[str, object]]:
    """CSL JSON items from a BibTeX/BibLaTeX/RIS/EndNote XML/CSL JSON bibliography.

    Already-structured sources need no guessing: pandoc's citeproc readers turn them into
    CSL JSON, which :func:`csl_citation` maps field by field.
    """
    import json

    import pypandoc

    if fmt not in BIBLIOGRAPHY_FORMATS:
        raise BibliographyError(
            f"unknown bibliography format {fmt!r}; use one of {', '.join(BIBLIOGRAPHY_FORMATS)}"
        )
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if fmt == "csljson":
        raw = text
    else:
        try:
            raw = pypandoc.convert_text(text, "csljson", format=fmt)
        except RuntimeError as exc:
            raise BibliographyError(f"pandoc could not read the {fmt} bibliography: {exc}") from exc
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BibliographyError(f"not CSL JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(items, list):
        raise BibliographyError("CSL JSON must be a list of items")
    return [item for item in items if isinstance(item, dict)]


def _csl_names(item: dict[str, object], role: str) -> list[tuple[str, str]]:
    names = []
    for person in item.get(role) or []:  # type: ignore[union-attr]
        if not isinstance(person, dict):
            continue
        family = str(person.get("family") or person.get("literal") or "").strip()
        particle = str(person.get("non-dropping-particle") or "").strip()
        if particle:
            family = f"{particle} {family}"
        if family:
            names.append((family, str(person.get("given") or "").strip()))
    return names


def csl_citation(item: dict[str, object]) -> etree._Element:
    """The ``element-citation`` for one CSL JSON item (as pandoc's citeproc writes it)."""
    csl_type = str(item.get("type") or "")
    kind = _CSL_TYPES.get(csl_type, "other")
    cit = etree.Element("element-citation", {"publication-type": kind})
    for role in ("author", "editor"):
        names = _csl_names(item, role)
        if names:
            group = etree.SubElement(cit, "person-group", {"person-group-type": role})
            for surname, given in names:
                name = etree.SubElement(group, "name")
                etree.SubElement(name, "surname").text = surname
                if given:
                    etree.SubElement(name, "given-names").text = given
    title = str(item.get("title") or "")
    container = str(item.get("container-title") or "")
    if csl_type == "book" or (kind == "other" and not container):
        if title:
            etree.SubElement(cit, "source").text = title
    else:
        if title:
            tag = "chapter-title" if csl_type == "chapter" else "article-title"
            etree.SubElement(cit, tag).text = title
        if container:
            etree.SubElement(cit, "source").text = container
    for key, tag in (
        ("edition", "edition"),
        ("publisher-place", "publisher-loc"),
        ("publisher", "publisher-name"),
    ):
        if item.get(key):
            etree.SubElement(cit, tag).text = str(item[key])
    issued = item.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if parts and isinstance(parts, list) and parts[0]:
        date = [str(p) for p in parts[0]]
        etree.SubElement(cit, "year").text = date[0]
        if len(date) > 1:
            etree.SubElement(cit, "month").text = date[1].zfill(2)
    elif isinstance(issued, dict) and issued.get("literal"):
        etree.SubElement(cit, "string-date").text = str(issued["literal"])
    for key, tag in (("volume", "volume"), ("issue", "issue")):
        if item.get(key):
            etree.SubElement(cit, tag).text = str(item[key])
    page = str(item.get("page") or "")
    if page:
        bounds = re.split(rf"\s*[{_DASH}]+\s*", page)
        first, last = bounds[0], bounds[1] if len(bounds) > 1 else ""
        if first.lower().startswith("e") and not last:
            etree.SubElement(cit, "elocation-id").text = first
        else:
            etree.SubElement(cit, "fpage").text = first
            if last:
                etree.SubElement(cit, "lpage").text = last
    for key, kind_id in (("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid")):
        if item.get(key):
            etree.SubElement(cit, "pub-id", {"pub-id-type": kind_id}).text = str(item[key])
    if item.get("ISBN"):
        etree.SubElement(cit, "isbn").text = str(item["ISBN"])
    if item.get("URL") and not item.get("DOI"):
        link = etree.SubElement(cit, "ext-link", {"ext-link-type": "uri"}, nsmap=_XLINK_NSMAP)
        link.set(f"{{{_XLINK}}}href", str(item["URL"]))
        link.text = str(item["URL"])
    return cit


def ref_list_from_csl(
    items: Sequence[dict[str, object]], *, id_prefix: str = "ref-"
) -> tuple[etree._Element, dict[str, str]]:
    """A ``<ref-list>`` from CSL JSON items, and the map citation key → ref id.

    Citation keys (``DBLP:journals/dcc/MaxwellPSW19``) are rarely valid XML ids, so refs
    are numbered and the map lets the caller point in-text citations at them.
    """
    ref_list = etree.Element("ref-list")
    etree.SubElement(ref_list, "title").text = "References"
    ids: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        rid = f"{id_prefix}{number}"
        ref = etree.SubElement(ref_list, "ref", {"id": rid})
        ref.append(csl_citation(item))
        if item.get("id"):
            ids[str(item["id"])] = rid
    return ref_list, ids
