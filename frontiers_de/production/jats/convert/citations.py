"""Citations and their references: citation keys without a bibliography entry, LaTeX
``\\cite`` keys and pandoc-crossref links retargeted, bare keys numbered, references put in
order of first citation, and in-text citations linked (:mod:`..references`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lxml import etree

from frontiers_de.production.jats.convert.common import XLINK, ConversionReport, _text
from frontiers_de.production.jats.convert.reference_section import _lazy_references


def _retarget_citation_keys(
    article: Any, ref_list: Any, labels: Mapping[str, str], report: ConversionReport
) -> None:
    """``\\cite{key}`` xrefs (rid ``ref-key``) now point at the ref built from that bibitem,
    and show its label, as the typeset paper would."""
    refs = ref_list.findall("ref")
    if len(refs) != len(labels):
        return
    target = {
        f"ref-{key}": (ref.get("id"), label)
        for (key, label), ref in zip(labels.items(), refs, strict=True)
    }
    for xref in article.iter("xref"):
        rids = (xref.get("rid") or "").split()
        if not rids or not all(r in target for r in rids):
            continue
        xref.set("rid", " ".join(target[r][0] for r in rids))
        if len(xref) == 0:
            xref.text = "[" + ", ".join(target[r][1] for r in rids) + "]"
    report.changes.append(f"{len(refs)} bibliography items linked to their \\cite commands")


_LINK_DEFINITION = re.compile(r"\[@([^\]\s]+)\]:\s*(\S+)")
_KEY_PUB_ID_TYPES = {"doi": "doi", "pmid": "pmid", "pmcid": "pmcid", "arxiv": "arxiv"}


def _citation_key_definitions(article: Any) -> dict[str, str]:
    """Manubot-style ``[@tag:name]: doi:10...`` lines: paragraphs that define citation keys.

    They are removed from the body (they are not text) and returned as key -> target.
    """
    definitions: dict[str, str] = {}
    for p in list(article.iter("p")):
        text = _text(p)
        found = _LINK_DEFINITION.findall(text)
        if found and not _LINK_DEFINITION.sub("", text).strip():
            definitions.update(found)
            p.getparent().remove(p)
    return definitions


def _refs_for_citation_keys(article: Any, back: Any, report: ConversionReport) -> None:
    """Citations whose key has no reference (a Markdown source without its bibliography
    file) get a reference made from the key itself: a DOI, PubMed or arXiv id, or a URL."""
    ids = {e.get("id") for e in article.iter() if isinstance(e.tag, str) and e.get("id")}
    missing: list[str] = []
    for xref in article.iter("xref"):
        if xref.get("ref-type") != "bibr":
            continue
        for rid in (xref.get("rid") or "").split():
            if rid not in ids and rid.startswith("ref-") and rid not in missing:
                missing.append(rid)
    missing = [rid for rid in missing if not _crossref_citation(article, rid, ids)]
    if not missing:
        return
    definitions = _citation_key_definitions(article)
    ref_list = back.find("ref-list")
    if ref_list is None:
        ref_list = etree.SubElement(back, "ref-list")
        etree.SubElement(ref_list, "title").text = "References"
    for rid in missing:
        key = rid.removeprefix("ref-")
        target = key
        for _ in range(3):  # tag:x -> doi:y chains are short
            target = definitions.get(target, target)
        ref = etree.SubElement(ref_list, "ref", id=rid)
        citation = etree.SubElement(ref, "mixed-citation")
        scheme, _, value = target.partition(":")
        if scheme == "doi" and value.startswith("10/"):
            # A shortDOI (10/abcd) resolves at doi.org but is not a DOI to deposit.
            scheme, value, target = "url", f"https://doi.org/{value}", f"https://doi.org/{value}"
        if scheme in _KEY_PUB_ID_TYPES and value:
            pub_id = etree.SubElement(
                citation, "pub-id", {"pub-id-type": _KEY_PUB_ID_TYPES[scheme]}
            )
            pub_id.text = value
        elif scheme == "isbn" and value:
            etree.SubElement(citation, "isbn").text = value
        elif target.startswith(("http://", "https://")) or scheme == "url":
            url = value if scheme == "url" else target
            link = etree.SubElement(citation, "ext-link", {"ext-link-type": "uri"})
            link.set(f"{{{XLINK}}}href", url)
            link.text = url
        else:
            citation.text = target
    report.warnings.append(
        f"{len(missing)} citation keys have no bibliography entry; references made from the "
        "keys alone (DOI, PubMed, arXiv id or URL) need completing"
    )


_CROSSREF_PREFIXES = {"fig": "fig", "tbl": "table", "eq": "disp-formula", "sec": "sec"}


def _crossref_citation(article: Any, rid: str, ids: set[str]) -> bool:
    """pandoc-crossref style ``@fig:name`` is a link to a figure, table, equation or section,
    not a reference. pandoc writes the target's id with ``:`` as ``U003A``."""
    key = rid.removeprefix("ref-")
    prefix, _, _ = key.partition(":")
    if prefix not in _CROSSREF_PREFIXES:
        return False
    target = next((c for c in (key, key.replace(":", "U003A")) if c in ids), None)
    if target is None:
        return False
    for xref in article.iter("xref"):
        if xref.get("rid") == rid:
            xref.set("rid", target)
            xref.set("ref-type", _CROSSREF_PREFIXES[prefix])
    return True


_NAMED_BEFORE = re.compile(r"\b(Figures?|Figs?\.|Tables?|Equations?|Eqs?\.|Sections?)\s*$", re.I)


def _crossref_link_texts(article: Any, report: ConversionReport) -> None:
    """``@fig:name`` shows as its key until the figure has a label: then it shows that."""
    labels = {
        e.get("id"): e.findtext("label")
        for e in article.iter("fig", "table-wrap", "disp-formula", "sec")
        if e.get("id") and e.findtext("label")
    }
    for xref in article.iter("xref"):
        text = _text(xref)
        if text.startswith("@") and len(xref) == 0 and xref.get("rid") in labels:
            label = labels[xref.get("rid")]
            previous = xref.getprevious()
            before = (previous.tail if previous is not None else xref.getparent().text) or ""
            if _NAMED_BEFORE.search(before):
                # "Figure @fig:x": the author wrote the word, the link is the number.
                label = label.split()[-1]
            xref.text = label


_NUMERIC_CITATION = re.compile(r"^[\s\[\(]*\d+([\s,;–—-]+\d+)*[\s\]\)]*$")


def _number_bare_key_citations(article: Any) -> None:
    """LaTeX ``\\cite{a,b}`` has no text of its own; the filter wrote the keys ("[a, b]").
    Show numbers instead, in order of first citation, as a numbered style would."""
    numbers: dict[str, int] = {}
    for xref in article.iter("xref"):
        rids = (xref.get("rid") or "").split()
        keys = [r.removeprefix("ref-") for r in rids]
        if xref.get("ref-type") != "bibr" or len(xref) or xref.text != f"[{', '.join(keys)}]":
            continue
        if all(key.isdigit() for key in keys):
            # "[2]" linking to ref-2: the author's own number (a Word cross-reference to a
            # numbered reference), not a key to replace.
            continue
        for rid in rids:
            numbers.setdefault(rid, len(numbers) + 1)
        xref.text = "[" + ", ".join(str(numbers[r]) for r in rids) + "]"


def _order_references(article: Any, back: Any) -> None:
    """Numbered citations list references in order of first citation; author-year ones
    stay alphabetical (citeproc's order). Refs never cited keep their place at the end."""
    ref_list = back.find("ref-list")
    if ref_list is None:
        return
    xrefs = [x for x in article.iter("xref") if x.get("ref-type") == "bibr"]
    if not xrefs or not all(_NUMERIC_CITATION.match(_text(x)) for x in xrefs):
        return
    first_use: dict[str, int] = {}
    for xref in xrefs:
        for rid in (xref.get("rid") or "").split():
            first_use.setdefault(rid, len(first_use))
    refs = ref_list.findall("ref")
    ordered = sorted(refs, key=lambda r: first_use.get(r.get("id"), len(first_use)))
    for ref in refs:
        ref_list.remove(ref)
    ref_list.extend(ordered)


def _link_citations(article: Any, report: ConversionReport) -> None:
    references = _lazy_references()
    if references is None or not hasattr(references, "link_citations"):
        report.warnings.append("in-text citations not linked (references.py has not landed)")
        return
    tree = etree.ElementTree(article)
    try:
        result = references.link_citations(tree)
    except Exception as exc:  # unlinked citations are still readable text
        report.warnings.append(
            f"references: linking citations failed ({type(exc).__name__}: {exc})"
        )
        return
    linked = getattr(result, "linked", result)
    if isinstance(linked, int) and linked:
        report.changes.append(f"{linked} in-text citations linked to references")


def _clean_pandoc_ref_list(back: Any) -> None:
    """pandoc's element-citations pad names with spaces and leave empty name parts."""
    ref_list = back.find("ref-list")
    if ref_list is None:
        return
    for element in ref_list.iter("surname", "given-names", "suffix", "prefix"):
        element.text = (element.text or "").strip()
        if not element.text and len(element) == 0:
            element.getparent().remove(element)
