"""The Atom feed (RFC 4287) of the latest articles, built from their citations.

A pure function of what it is given: the feed's facts and one :class:`FeedEntry` per
article (its citation, from the JATS, and its dates). Each entry's id is the article's DOI
as a URL, which never changes, so a feed reader that saw an article once knows it again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from frontiers_de.publishing.citations import Citation, abstract_paragraphs

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedEntry:
    citation: Citation
    published: dt.datetime
    updated: dt.datetime
    category: str = ""  # the section's name


@dataclass(frozen=True)
class FeedInfo:
    feed_id: str  # a permanent IRI for the feed
    title: str
    self_url: str
    site_url: str
    publisher: str
    subtitle: str = ""
    rights: str = ""
    language: str = "en"
    created: dt.datetime | None = None  # the feed's "updated" while it has no entries


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _atom(tag: str) -> str:
    return f"{{{ATOM_NS}}}{tag}"


def _text(parent: etree._Element, tag: str, value: str, **attrs: str) -> etree._Element | None:
    value = " ".join(_NOT_XML_RE.sub("", value).split())
    if not value:
        return None
    el = etree.SubElement(parent, _atom(tag), attrs)
    el.text = value
    return el


def _link(
    parent: etree._Element, href: str, rel: str, media_type: str = "", title: str = ""
) -> None:
    if href:
        attrs = {"rel": rel, "href": href}
        if media_type:
            attrs["type"] = media_type
        if title:
            attrs["title"] = title
        etree.SubElement(parent, _atom("link"), attrs)


def entry_id(citation: Citation) -> str:
    """The entry's permanent id: the DOI as a URL, or the article page without one."""
    return f"https://doi.org/{citation.doi}" if citation.doi else citation.url


def atom_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """The feed document (UTF-8 bytes with an XML declaration)."""
    feed = etree.Element(_atom("feed"), nsmap={None: ATOM_NS})
    feed.set(XML_LANG, info.language)
    _text(feed, "id", info.feed_id)
    _text(feed, "title", info.title, type="text")
    _text(feed, "subtitle", info.subtitle, type="text")
    newest = max((e.updated for e in entries), default=None)
    updated = newest or info.created or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    _text(feed, "updated", rfc3339(updated))
    author = etree.SubElement(feed, _atom("author"))
    _text(author, "name", info.publisher or info.title)
    _text(author, "uri", info.site_url)
    _link(feed, info.self_url, "self", "application/atom+xml")
    _link(feed, info.site_url, "alternate", "text/html")
    _text(feed, "generator", "FDE Press")
    _text(feed, "rights", info.rights, type="text")
    for entry in entries:
        _entry(feed, entry)
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _entry(feed: etree._Element, entry: FeedEntry) -> None:
    c = entry.citation
    el = etree.SubElement(feed, _atom("entry"))
    _text(el, "id", entry_id(c))
    _text(el, "title", c.title, type="text")
    _text(el, "published", rfc3339(entry.published))
    _text(el, "updated", rfc3339(max(entry.updated, entry.published)))
    for person in c.authors:
        author = etree.SubElement(el, _atom("author"))
        _text(author, "name", person.display_name)
        if person.orcid:
            _text(author, "uri", f"https://orcid.org/{person.orcid}")
    _link(el, c.url, "alternate", "text/html")
    _link(el, c.pdf_url, "alternate", "application/pdf", "PDF")
    _link(el, c.xml_url, "alternate", "application/xml", "JATS XML")
    if c.doi:
        _link(el, f"https://doi.org/{c.doi}", "related", title="DOI")
    if entry.category:
        etree.SubElement(el, _atom("category"), {"term": entry.category})
    # type="text" keeps white space: a blank line between paragraphs
    summary = _text(el, "summary", c.abstract, type="text")
    if summary is not None:
        parts = (" ".join(_NOT_XML_RE.sub("", p).split()) for p in abstract_paragraphs(c))
        summary.text = "\n\n".join(p for p in parts if p)
    _text(el, "rights", c.licence_url, type="text")
