"""The paragraphs of an abstract, from JATS or from what an author typed.

One home for the rule, used wherever an abstract is shown or exported: pages show one
``<p>`` per paragraph; exports join the paragraphs as their format expects (a space where a
field is one line, a blank line where the format keeps paragraphs). Without it, JATS
paragraphs ran together ("reproducible.We adapt") and typed ones, sent by browsers with
CRLF line ends, showed as one block.
"""

from __future__ import annotations

import re

from lxml import etree

# A blank line (white space allowed on it) separates paragraphs typed in a text area;
# browsers send CRLF, pasted text may bring lone CRs.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
# Headings and labels are not running text; a section's title leads its first paragraph.
_NOT_TEXT = {"title", "label"}


def _folded(text: str) -> str:
    return " ".join(text.split())


def _text(el: etree._Element) -> str:
    """The running text of ``el``: no comments or PIs; white space folded."""
    return _folded("".join(el.itertext()))


def paragraphs(value: str | etree._Element | None) -> list[str]:
    """The paragraphs of an abstract: a JATS ``<abstract>``/``<trans-abstract>`` element or
    a stored abstract (paragraphs separated by a blank line). White space inside each is
    folded; empty ones are left out. In JATS, every ``<p>`` (not inside another) is one; a
    section's title leads its first paragraph ("Background: …"); the abstract's own title
    is not part of its text."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        return [p for p in (_folded(block) for block in _BLANK_LINE.split(text)) if p]
    if not isinstance(value.tag, str):
        return []
    out: list[str] = []
    for p in value.iter("p"):
        if any(a.tag == "p" for a in p.iterancestors()):
            continue
        text = _text(p)
        if not text:
            continue
        section = p.getparent()
        heading = section.find("title") if section is not None and section is not value else None
        first_p = section.find("p") if section is not None else None
        if heading is not None and first_p is p and _text(heading):
            title = _text(heading)
            text = f"{title} {text}" if title[-1] in ":.?!" else f"{title}: {text}"
        out.append(text)
    if out:
        return out
    # No paragraphs: the whole text, less headings and labels.
    parts = []
    for node in value.iter():
        if isinstance(node.tag, str) and node.tag not in _NOT_TEXT and node.text:
            parts.append(node.text)
        if node is not value and node.tail:
            parts.append(node.tail)
    text = _folded("".join(parts))
    return [text] if text else []


def joined(value: str | etree._Element | None, separator: str = " ") -> str:
    """The paragraphs joined by ``separator``: " " for a one-line field (RIS, meta tags,
    search snippets), "\\n\\n" where the format keeps paragraphs (BibTeX, Atom text)."""
    return separator.join(paragraphs(value))
