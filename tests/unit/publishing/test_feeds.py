"""The Atom feed's structure, checked with lxml against what RFC 4287 requires."""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from frontiers_de.publishing.citations import Citation, Person
from frontiers_de.publishing.feeds import ATOM_NS, FeedEntry, FeedInfo, atom_feed

A = {"a": ATOM_NS}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
INFO = FeedInfo(
    feed_id="https://fde.example.org/feed.atom",
    title="Frontiers of Digital Education",
    subtitle="数字教育前沿",
    self_url="https://fde.example.org/feed.atom",
    site_url="https://fde.example.org/",
    publisher="FDE Press",
    rights="CC BY 4.0",
    created=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
)


def entry(n: int, **kw) -> FeedEntry:
    day = dt.datetime(2026, 3, n, 8, tzinfo=dt.UTC)
    citation = Citation(
        title=kw.pop("title", f"Article {n}"),
        authors=kw.pop("authors", (Person("Wang", "Li", orcid="0000-0002-1825-0097"),)),
        doi=f"10.5555/fde.2026.{n:04d}",
        url=f"https://fde.example.org/articles/10.5555/fde.2026.{n:04d}",
        pdf_url=kw.pop("pdf_url", ""),
        xml_url=f"https://fde.example.org/articles/10.5555/fde.2026.{n:04d}/xml",
        abstract=kw.pop("abstract", "What we found."),
        licence_url="https://creativecommons.org/licenses/by/4.0/",
    )
    return FeedEntry(citation, published=day, updated=kw.pop("updated", day), category="Review")


def check_atom(feed: etree._Element) -> None:
    """The constraints of RFC 4287 sections 4.1.1 and 4.1.2 that a feed can break."""
    assert feed.tag == f"{{{ATOM_NS}}}feed"
    for parent in [feed, *feed.findall("a:entry", A)]:
        for required in ("id", "title", "updated"):
            assert len(parent.findall(f"a:{required}", A)) == 1, (parent.tag, required)
        assert RFC3339.match(parent.findtext("a:updated", namespaces=A))
        alternates = [
            (link.get("type"), link.get("hreflang"))
            for link in parent.findall("a:link[@rel='alternate']", A)
        ]
        assert len(alternates) == len(set(alternates))
    for entry_el in feed.findall("a:entry", A):
        assert entry_el.find("a:author", A) is not None or feed.find("a:author", A) is not None
        assert entry_el.find("a:link[@rel='alternate']", A) is not None
        assert RFC3339.match(entry_el.findtext("a:published", namespaces=A))
    ids = [e.findtext("a:id", namespaces=A) for e in feed.findall("a:entry", A)]
    assert len(ids) == len(set(ids))


def test_feed_with_entries():
    body = atom_feed(
        INFO,
        [
            entry(3, pdf_url="https://x/pdf"),
            entry(1, updated=dt.datetime(2026, 3, 9, tzinfo=dt.UTC)),
        ],
    )
    assert body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    feed = etree.fromstring(body)
    check_atom(feed)
    assert feed.findtext("a:updated", namespaces=A) == "2026-03-09T00:00:00Z"  # the newest change
    assert feed.find("a:link[@rel='self']", A).get("href") == INFO.self_url
    first = feed.find("a:entry", A)
    assert first.findtext("a:id", namespaces=A) == "https://doi.org/10.5555/fde.2026.0003"
    assert first.find("a:author/a:uri", A).text == "https://orcid.org/0000-0002-1825-0097"
    types = [link.get("type") for link in first.findall("a:link[@rel='alternate']", A)]
    assert types == ["text/html", "application/pdf", "application/xml"]
    assert first.find("a:category", A).get("term") == "Review"
    assert first.findtext("a:summary", namespaces=A) == "What we found."


def test_empty_feed_is_still_valid():
    feed = etree.fromstring(atom_feed(INFO, []))
    check_atom(feed)
    assert feed.findtext("a:updated", namespaces=A) == "2025-01-01T00:00:00Z"
    assert feed.find("a:entry", A) is None


def test_text_is_escaped_and_control_characters_dropped():
    bad = entry(2, title="Tags <b>&amp; \x0bthings</b>", abstract="", authors=())
    feed = etree.fromstring(atom_feed(INFO, [bad]))
    check_atom(feed)
    e = feed.find("a:entry", A)
    assert e.findtext("a:title", namespaces=A) == "Tags <b>&amp; things</b>"
    assert e.find("a:summary", A) is None and e.find("a:author", A) is None
