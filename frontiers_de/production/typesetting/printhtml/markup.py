"""What every part of the print HTML uses: the JATS tag tables, the HTML-building helpers
and the statistics the conversion keeps."""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass, field

from lxml import etree
from markupsafe import Markup

from frontiers_de.production.jats.meta import XLINK, XML_LANG

HREF = f"{{{XLINK}}}href"
MML = "http://www.w3.org/1998/Math/MathML"

BLOCK_TAGS = {
    "disp-formula",
    "disp-formula-group",
    "list",
    "def-list",
    "table-wrap",
    "table-wrap-group",
    "fig",
    "fig-group",
    "boxed-text",
    "disp-quote",
    "preformat",
    "code",
    "statement",
    "supplementary-material",
    "media",
    "graphic",
    "chem-struct-wrap",
    "array",
    "speech",
    "verse-group",
    "table",
}


INLINE_TAGS = {
    "italic": "i",
    "bold": "b",
    "sup": "sup",
    "sub": "sub",
    "underline": "u",
    "strike": "s",
    "monospace": "code",
    "overline": "span",
    "sc": "span",
    "roman": "span",
    "sans-serif": "span",
}

ARTICLE_TYPES = {
    "research-article": "Research Article",
    "review-article": "Review Article",
    "article-commentary": "Commentary",
    "brief-report": "Brief Report",
    "case-report": "Case Report",
    "editorial": "Editorial",
    "letter": "Letter",
    "correction": "Correction",
    "book-review": "Book Review",
    "discussion": "Discussion",
    "methods-article": "Methods",
    "systematic-review": "Systematic Review",
    "article": "Article",
}

RTL_LANGS = {"ar", "he", "fa", "ur"}


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _append_text(dst: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(dst):
        last = dst[-1]
        last.tail = (last.tail or "") + text
    else:
        dst.text = (dst.text or "") + text


_SPACES = re.compile(r"\s+")


def _collapse_space(el: etree._Element) -> None:
    """Fold white space inside ``el`` to single spaces.

    WeasyPrint 70 keeps the line breaks of the source inside footnotes (each newline starts
    a new line in the footnote area), so footnote content is folded here.
    """
    for node in el.iter():
        if node.text:
            node.text = _SPACES.sub(" ", node.text)
        if node is not el and node.tail:
            node.tail = _SPACES.sub(" ", node.tail)
    if el.text:
        el.text = el.text.lstrip()


def _sub(parent: etree._Element, tag: str, cls: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag)
    if cls:
        el.set("class", cls)
    for key, value in attrs.items():
        if value:
            el.set(key.rstrip("_").replace("_", "-"), value)
    return el


def _lang_of(el: etree._Element) -> str:
    return (el.get(XML_LANG) or "").lower()


def _web_url(url: str) -> str:
    """``url`` when it is an http(s) address, else "": a link in the PDF opens what it
    names, so a licence link from the JATS must not be ``javascript:`` or a local file."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def _doi_url(doi: str) -> str:
    doi = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "http://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    return f"https://doi.org/{doi}"


@dataclass
class Stats:
    # Labels in order (for an unlabelled one, its caption title or first words).
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    formulas: int = 0
    formula_failures: int = 0
    images_found: int = 0
    images_missing: int = 0
    images_downsampled: int = 0
    references: int = 0
    words: int = 0


def _html(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode", method="html")


def _inner_html(container: etree._Element) -> Markup:
    """The content of ``container`` as HTML: its leading text escaped like every other text
    node (lxml escapes the rest when it serialises the children).

    The result is :class:`markupsafe.Markup`, so the template's autoescaping lets these
    fragments (and only these) through as they are; everything else it escapes."""
    return Markup(html.escape(container.text or "", quote=False)) + Markup(
        "".join(_html(c) for c in container)
    )


def _copy(el: etree._Element) -> etree._Element:
    """A copy of ``el``, to regroup notes without moving them out of the source tree."""
    return copy.deepcopy(el)


def _unlink_dangling(container: etree._Element, ids: set[str]) -> int:
    count = 0
    for a in list(container.iter("a")):
        href = a.get("href")
        if href is None:
            continue
        if (href.startswith("#") and href[1:] not in ids) or href == "":
            a.tag = "span"
            a.attrib.pop("href", None)
            a.set("class", "xref-unlinked")
            count += 1
    return count
