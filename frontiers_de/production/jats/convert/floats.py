"""Figures and tables: an id, a label and the links Word pointed at their captions, and
"Figure 2" or "Table 1" in the text linked to them."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from frontiers_de.production.jats.convert.common import ConversionReport, _text, _unwrap

_CAPTION_LABEL = re.compile(
    r"^\s*((?:Figure|Fig\.?|Table|Tab\.?|图|表)\s*\d+[A-Za-z]?)\s*[.:|—–：-]?\s*", re.IGNORECASE
)
_FLOAT_KINDS = {"fig": ("fig", "Figure"), "table-wrap": ("table", "Table")}


def _label_and_anchor_floats(article: Any, report: ConversionReport) -> None:
    """Figures and tables get an id, a label and the links Word pointed at their caption.

    Word cross-references (REF fields) point at a bookmark inside the caption; the float
    itself takes that id so the link names the figure or table. A caption that starts with
    "Figure 3." or "Table 2:" gives its label; floats without one are numbered in order,
    as the typeset article would number them.
    """
    body = article.find("body")
    if body is None:
        return
    retyped: dict[str, str] = {}
    numbered = 0
    for tag, (ref_type, word) in _FLOAT_KINDS.items():
        for number, element in enumerate(body.iter(tag), 1):
            caption = element.find("caption")
            anchors = [] if caption is None else list(caption.iter("named-content"))
            for anchor in anchors:
                if anchor.get("content-type") == "anchor" and anchor.get("id"):
                    if element.get("id") is None:
                        element.set("id", anchor.get("id"))
                    else:
                        retyped[anchor.get("id")] = element.get("id")
                    _unwrap(anchor)
            if element.get("id") is None:
                element.set("id", f"{ref_type}-{number}")
            retyped.setdefault(element.get("id"), element.get("id"))
            if element.find("label") is not None:
                continue
            label = None
            first = caption.find("p") if caption is not None else None
            if first is None and caption is not None:
                first = caption.find("title")
            if first is not None:
                match = _CAPTION_LABEL.match(first.text or "")
                if match:
                    label = match.group(1)
                    first.text = first.text[match.end() :]
                    if not _text(first) and len(first) == 0:
                        # The caption was only "Table 1": the label says it all.
                        caption.remove(first)
                        if len(caption) == 0:
                            element.remove(caption)
            if label is None:
                label = f"{word} {number}"
                numbered += 1
            label_element = etree.Element("label")
            label_element.text = label
            element.insert(0, label_element)
    for xref in article.iter("xref"):
        rid = xref.get("rid")
        if rid in retyped:
            target = article.xpath("//*[@id=$id]", id=retyped[rid])
            if target:
                xref.set("rid", retyped[rid])
                xref.set("ref-type", _FLOAT_KINDS[target[0].tag][0])
    if numbered:
        report.changes.append(f"{numbered} figures/tables without a label numbered in order")


_FLOAT_MENTION = re.compile(r"\b(Figures?|Figs?\.|Tables?)\s+(\d+)(?![\d.]\d)")
_NO_LINKING_INSIDE = {
    *("xref", "ext-link", "uri", "label", "caption", "title", "tex-math", "alt-text"),
    *("long-desc", "email", "inline-graphic", "graphic", "ref-list"),
}


def _link_float_mentions(article: Any, report: ConversionReport) -> None:
    """ "Table 2" and "Fig. 3" in the text become xrefs to that table or figure."""
    body = article.find("body")
    if body is None:
        return
    targets: dict[tuple[str, str], str] = {}
    for tag, (ref_type, _) in _FLOAT_KINDS.items():
        for element in body.iter(tag):
            label = element.findtext("label") or ""
            number = re.search(r"\d+", label)
            if number and element.get("id"):
                targets.setdefault((ref_type, number.group(0)), element.get("id"))
    if not targets:
        return
    made = 0

    def kind_of(word: str) -> str:
        return "table" if word.lower().startswith("tab") else "fig"

    def split(text: str) -> list[Any]:
        pieces: list[Any] = []
        pos = 0
        for match in _FLOAT_MENTION.finditer(text):
            rid = targets.get((kind_of(match.group(1)), match.group(2)))
            if rid is None:
                continue
            pieces.append(text[pos : match.start()])
            xref = etree.Element("xref", {"ref-type": kind_of(match.group(1)), "rid": rid})
            xref.text = match.group(0)
            pieces.append(xref)
            pos = match.end()
        pieces.append(text[pos:])
        return pieces

    def eligible(root: Any) -> list[Any]:
        """Elements whose text may hold mentions: not inside links, labels, captions, math."""
        found, stack = [], [root]
        while stack:
            node = stack.pop()
            if not isinstance(node.tag, str) or node.tag in _NO_LINKING_INSIDE:
                continue
            if etree.QName(node).namespace:
                continue
            found.append(node)
            stack.extend(node)
        return found

    for element in eligible(body):
        if element.text and _FLOAT_MENTION.search(element.text):
            pieces = split(element.text)
            if len(pieces) > 1:
                element.text = pieces[0]
                for position, i in enumerate(range(1, len(pieces), 2)):
                    xref, after = pieces[i], pieces[i + 1]
                    xref.tail = after
                    element.insert(position, xref)
                    made += 1
        for child in list(element):
            if not isinstance(child.tag, str) or not child.tail:
                continue
            if not _FLOAT_MENTION.search(child.tail):
                continue
            pieces = split(child.tail)
            if len(pieces) == 1:
                continue
            child.tail = pieces[0]
            anchor = child
            for i in range(1, len(pieces), 2):
                xref, after = pieces[i], pieces[i + 1]
                xref.tail = after
                anchor.addnext(xref)
                anchor = xref
                made += 1
    if made:
        report.changes.append(f"{made} mentions of figures and tables linked")


def link_float_mentions(article: Any) -> list[str]:
    """Link "Figure 2" and "Table 1" in the text to figures and tables added after the
    conversion (an uploaded figure placed at its legend); mentions already linked stay as
    they are. Returns what changed, for a report."""
    report = ConversionReport(source="", source_format="jats")
    _link_float_mentions(article, report)
    return report.changes
