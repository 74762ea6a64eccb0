"""The parts of the article page read from its reader HTML: the contents (an outline of the
article's sections, for the sidebar that follows the reader) and the place after the
article's header where the page puts its "Download / Cite" box, beside the title.

Both read the HTML as it is shown (stored by production, with the interface words in the
reader's language), so the outline's headings are the page's own. Every section the
stylesheet writes has an id (its JATS id, or one made from its place), which the outline
links to.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from lxml import etree, html

# How deep the outline goes: the article's sections and their subsections.
MAX_DEPTH = 2
MAX_TITLE_CHARS = 120
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# The visible language tag in a heading ("Abstract English"): put after it in brackets.
_LANGUAGE_TAGS = ("lang-label",)


@dataclass(frozen=True)
class OutlineEntry:
    id: str
    title: str
    children: tuple[OutlineEntry, ...] = field(default=())
    # the heading's language: the article's, or the reader's for a word of the interface
    # ("References" shown as 参考文献)
    lang: str = ""


@dataclass(frozen=True)
class ArticleParts:
    """The reader HTML cut after the article's header: the page's box goes between."""

    head: str
    rest: str


def split_after_header(article_html: str) -> ArticleParts:
    """The reader HTML up to and including the end of the article's header, and the rest.
    The article's own header comes first (sub-articles' headers follow it); without one the
    whole HTML is the rest."""
    end = article_html.find("</header>")
    if end < 0 or not article_html.lstrip().startswith("<article"):
        return ArticleParts("", article_html)
    end += len("</header>")
    return ArticleParts(article_html[:end], article_html[end:])


def _heading(section: etree._Element) -> etree._Element | None:
    return next((child for child in section if child.tag in _HEADINGS), None)


def _heading_lang(heading: etree._Element) -> str:
    """The language of the heading's first words."""
    first = heading
    if not (heading.text or "").strip():
        first = next((c for c in heading if isinstance(c.tag, str)), heading)
    declared = first.xpath("ancestor-or-self::*[@lang][1]/@lang")
    return str(declared[0]) if declared else ""


def _heading_text(heading: etree._Element) -> str:
    """The heading's words, its language tag in brackets after them."""
    words: list[str] = []
    tags: list[str] = []

    def walk(element: etree._Element) -> None:
        if element is not heading and any(
            c in (element.get("class") or "").split() for c in _LANGUAGE_TAGS
        ):
            tags.append(" ".join(element.text_content().split()))
            if element.tail:
                words.append(element.tail)
            return
        if element.text:
            words.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            elif child.tail:
                words.append(child.tail)
        if element is not heading and element.tail:
            words.append(element.tail)

    walk(heading)
    text = " ".join("".join(words).split())
    if len(text) > MAX_TITLE_CHARS:
        text = text[: MAX_TITLE_CHARS - 1] + "…"
    # two abstracts are both 摘要 on a Chinese page: their languages tell them apart
    tag = " ".join(t for t in tags if t)
    return f"{text} ({tag})" if text and tag else text


def _sections(parent: etree._Element) -> list[etree._Element]:
    return [child for child in parent if child.tag == "section" and child.get("id")]


def _entries(sections: list[etree._Element], depth: int) -> list[OutlineEntry]:
    entries = []
    for section in sections:
        heading = _heading(section)
        title = _heading_text(heading) if heading is not None else ""
        if heading is None or not title:
            continue
        children = _entries(_sections(section), depth + 1) if depth < MAX_DEPTH else []
        entries.append(
            OutlineEntry(section.get("id") or "", title, tuple(children), _heading_lang(heading))
        )
    return entries


def _outline(article_html: str) -> tuple[OutlineEntry, ...]:
    try:
        root = html.fragment_fromstring(article_html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ()
    article = root.find("article")
    if article is None:
        return ()
    parts: list[etree._Element] = []
    for child in article:
        classes = (child.get("class") or "").split()
        if child.tag == "section" and "abstract" in classes:
            parts.append(child)
        elif child.tag == "div" and ("article-body" in classes or "article-back" in classes):
            parts.extend(_sections(child))
    return tuple(_entries(parts, 1))


# Outlines of the most read pages, by a digest of the HTML they were read from (reading a
# 0.5 MB article takes a few milliseconds).
_CACHE_SIZE = 64
_cache: OrderedDict[bytes, tuple[OutlineEntry, ...]] = OrderedDict()
_lock = threading.Lock()


def outline(article_html: str) -> tuple[OutlineEntry, ...]:
    """The article's sections (abstracts, body sections with their subsections, back
    matter), each with its id and heading text."""
    key = hashlib.sha256(article_html.encode("utf-8")).digest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    found = _outline(article_html)
    with _lock:
        _cache[key] = found
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return found
