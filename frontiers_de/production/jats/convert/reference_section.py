"""The manuscript's own reference section: found by what it holds, taken out of the body,
and made a ``ref-list`` (structured by :mod:`..references`, or mixed-citations)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from frontiers_de.identifiers import DOI_PREFIX_PATTERN
from frontiers_de.production.jats.convert.common import XLINK, ConversionReport, _text

# Headings under which a manuscript lists its references, in the languages we receive,
# with an optional number ("7.", "VII.", "七、") and colon.
REFERENCE_HEADING = re.compile(
    r"^\s*(?:(?:\d+(?:\.\d+)*|[IVXLC]+|[一二三四五六七八九十]+)\s*[.、)]?\s*)?"
    r"(references?|references and notes|bibliography|literature cited|works cited|"
    r"reference list|cited literature|参考文献|參考文獻|references bibliographiques|"
    r"références|références bibliographiques|bibliographie|referencias|"
    r"referencias bibliográficas|bibliografía|referências|литература|список литературы|"
    r"المراجع|literaturverzeichnis)\s*[:：]?\s*$",
    re.IGNORECASE,
)


DOI_IN_TEXT = re.compile(rf"\b({DOI_PREFIX_PATTERN}/[^\s\"<>]+[^\s\"<>.,;)\]])")


def _take_reference_section(
    body: Any, report: ConversionReport
) -> tuple[list[str], list[list[str]]]:
    """Remove the references section from the body; return its entries as strings, and for
    each entry the anchor ids inside it (Word bookmarks that in-text citations link to).

    The section is found by what it holds, whatever the styles say: a heading-like line
    (a section title, or a short paragraph, bold or not) naming the references, followed by
    entries (numbered "1." "[1]" "1)", items of a numbered list, or author-year). Entries
    typed as headings count too. The section ends where the entries end: figure legends and
    appendices after it stay where they are.
    """
    blocks = _reading_order(body)
    for index, (kind, element) in enumerate(blocks):
        if kind not in ("title", "p") or not REFERENCE_HEADING.match(_text(element)):
            continue
        heading_sec = element.getparent() if kind == "title" else None
        if heading_sec is not None and heading_sec.find("ref-list") is not None:
            return [], []
        entries = _reference_entries(blocks[index + 1 :], heading_sec)
        if not entries:
            if heading_sec is not None and all(c.tag == "title" for c in heading_sec):
                # An empty "References" heading (citeproc or a ref-list fills that role).
                heading_sec.getparent().remove(heading_sec)
            continue
        strings = [_reference_text(e) for _, e in entries]
        # Word numbers the items of its own lists ("[1]" from numPr): the number is not in
        # the text, so give it, for the label and the "[1]" citations that point at it.
        for position, (kind_, entry) in enumerate(entries):
            ordered = kind_ == "item" and entry.getparent().get("list-type") == "order"
            if ordered and not _NUMBERED_ENTRY.match(strings[position]):
                strings[position] = f"{position + 1}. {strings[position]}"
        anchors = [[a.get("id") for a in e.iter() if a.get("id")] for _, e in entries]
        title = _text(element)
        _remove_reference_blocks([(kind, element), *entries])
        styled = sum(1 for k, _ in entries if k == "title")
        report.changes.append(
            f"{len(strings)} entries under {title!r} moved to the reference list"
            + (f" ({styled} of them styled as headings)" if styled else "")
        )
        return strings, anchors
    return [], []


# Entries: numbered ("1.", "[1]", "1)", "(1)"), then the text of the reference.
_NUMBERED_ENTRY = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)](?!\d))\s*\S")
_YEAR_IN_ENTRY = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_LINK_IN_ENTRY = re.compile(r"\b10\.\d{4,9}/|https?://", re.IGNORECASE)
# Author-year: a name first ("Smith, J.", "Smith J", "van Dijk", "王明"), a year soon after.
_AUTHOR_FIRST = re.compile(r"^\s*(?:[^\W\d_][\w'’-]*\b|[\u3400-\u9fff])", re.UNICODE)
# What ends a reference list: legends, tables, appendices, supplements, notes.
_AFTER_REFERENCES = re.compile(
    r"^\s*(?:fig(?:ure)?s?\.?\s*\d|table\s*\d|tab\.\s*\d|appendix|appendices|"
    r"supplementary|supporting information|figure legends|legends|(?:图|表)\s*\d|附录)",
    re.IGNORECASE,
)
MIN_ENTRY_CHARS = 20


def _reading_order(body: Any) -> list[tuple[str, Any]]:
    """The body's blocks in reading order: section titles, paragraphs, list items, others."""
    blocks: list[tuple[str, Any]] = []

    def walk(container: Any) -> None:
        for child in container:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "sec":
                walk(child)
            elif child.tag == "title" and container.tag == "sec":
                blocks.append(("title", child))
            elif child.tag == "p":
                blocks.append(("p", child))
            elif child.tag == "list":
                blocks.extend(("item", item) for item in child.findall("list-item"))
            else:
                blocks.append(("other", child))

    walk(body)
    return blocks


def _reference_entries(
    blocks: list[tuple[str, Any]], heading_sec: Any | None
) -> list[tuple[str, Any]]:
    """The entries after a references heading, up to the first block that is not one.

    Inside the section the heading titles, every paragraph and list item is an entry until
    a legend or an appendix starts; beyond it (the heading a plain paragraph, or entries
    typed as headings of their own) only what reads as a reference: numbered in increasing
    order, or a name first with a year, DOI or link.
    """
    entries: list[tuple[str, Any]] = []
    last_number = 0
    for kind, element in blocks:
        text = _text(element)
        if kind == "other":
            break
        if not text:
            if kind == "title":
                break
            continue
        if _AFTER_REFERENCES.match(text):
            break
        inside = heading_sec is not None and any(a is heading_sec for a in element.iterancestors())
        if kind == "title" and inside and element.getparent() is not heading_sec:
            inside = False  # a subsection of the references: only if it reads as one
        numbered = _NUMBERED_ENTRY.match(text)
        if numbered:
            number = int(next(g for g in numbered.groups() if g))
            if number <= last_number and not inside:
                break
            last_number = number
        if inside or kind == "item" or _reads_as_reference(text, bool(numbered)):
            entries.append((kind, element))
            continue
        break
    return entries


def _reads_as_reference(text: str, numbered: bool) -> bool:
    if len(text) < MIN_ENTRY_CHARS:
        return False
    found = _YEAR_IN_ENTRY.search(text) or _LINK_IN_ENTRY.search(text)
    if numbered:
        return bool(found)
    return bool(_AUTHOR_FIRST.match(text)) and bool(found) and found.start() < 200


def _remove_reference_blocks(blocks: list[tuple[str, Any]]) -> None:
    """Take the heading and entries out of the body. A section whose title was taken
    (the references heading, or an entry styled as a heading) gives its remaining content
    to the section around it; a list left without items goes."""
    dissolved: list[Any] = []
    for kind, element in blocks:
        parent = element.getparent()
        if parent is None:
            continue
        if kind == "title":
            dissolved.append(parent)
        parent.remove(element)
        if kind == "item" and parent.find("list-item") is None and parent.getparent() is not None:
            parent.getparent().remove(parent)
    for sec in reversed(dissolved):  # innermost first
        holder = sec.getparent()
        if holder is None:
            continue
        position = holder.index(sec)
        for offset, child in enumerate(list(sec)):
            holder.insert(position + offset, child)
        holder.remove(sec)


def _reference_text(entry: Any) -> str:
    """An entry's text, plus link targets its text does not show (a DOI link whose visible
    text was lost, as with BibTeX's ``\\href{https://doi.org/...}{\\path{...}}``)."""
    text = _text(entry)
    for link in entry.iter("ext-link", "uri"):
        href = link.get(f"{{{XLINK}}}href") or ""
        if href and href not in text and not _text(link):
            text = f"{text.rstrip(' .')}. {href}"
    return text


def _retarget_anchor_links(
    article: Any, ref_list: Any, anchors: list[list[str]], report: ConversionReport
) -> None:
    """Citations that linked to bookmarks in the old references section now link to the
    ref made from that entry (refs are in the order of the strings they came from)."""
    refs = ref_list.findall("ref")
    if len(refs) != len(anchors):
        return
    target = {a: ref.get("id") for ref, ids in zip(refs, anchors, strict=True) for a in ids}
    if not target:
        return
    moved = 0
    for xref in article.iter("xref"):
        rid = xref.get("rid")
        if target.get(rid):
            xref.set("rid", target[rid])
            xref.set("ref-type", "bibr")
            moved += 1
    if moved:
        report.changes.append(f"{moved} citation links kept from the document's bookmarks")


def _lazy_references() -> Any | None:
    """references.py is written by another engineer; until it lands we degrade, and say so."""
    try:
        from frontiers_de.production.jats import references
    except ImportError:
        return None
    return references


def reference_list(strings: list[str], report: ConversionReport) -> Any:
    """A ref-list for reference strings: structured by references.py, or mixed-citations."""
    references = _lazy_references()
    if references is not None and hasattr(references, "build_ref_list"):
        try:
            result = references.build_ref_list(strings)
        except Exception as exc:  # a parser bug must not cost the author the references
            report.warnings.append(
                f"references: structuring failed ({type(exc).__name__}: {exc}); "
                "kept as mixed-citation"
            )
            return mixed_citation_list(strings)
        ref_list = getattr(result, "ref_list", None)
        if ref_list is None:
            ref_list = getattr(result, "element", result)
        if isinstance(ref_list, etree._ElementTree):
            ref_list = ref_list.getroot()
        for note in getattr(result, "warnings", []) or []:
            report.warnings.append(f"references: {note}")
        return ref_list
    report.warnings.append(
        "structured references unavailable (frontiers_de.production.jats.references has not "
        "landed): references kept as mixed-citation with their DOIs"
    )
    return mixed_citation_list(strings)


def mixed_citation_list(strings: list[str]) -> Any:
    """Each string as a numbered mixed-citation, DOIs marked as pub-id."""
    ref_list = etree.Element("ref-list")
    etree.SubElement(ref_list, "title").text = "References"
    for number, text in enumerate(strings, 1):
        ref = etree.SubElement(ref_list, "ref", id=f"ref-{number}")
        citation = etree.SubElement(ref, "mixed-citation")
        match = DOI_IN_TEXT.search(text)
        if match:
            citation.text = text[: match.start()]
            pub_id = etree.SubElement(citation, "pub-id", {"pub-id-type": "doi"})
            pub_id.text = match.group(1)
            pub_id.tail = text[match.end() :]
        else:
            citation.text = text
    return ref_list
