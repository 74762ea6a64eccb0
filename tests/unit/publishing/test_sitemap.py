"""The sitemap and sitemap index, validated against the sitemaps.org 0.9 protocol written as
an XML Schema (tests/fixtures/schemas/sitemap-0.9.xsd), and robots.txt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from frontiers_de.publishing import sitemap

XSD = Path(__file__).resolve().parents[2] / "fixtures" / "schemas" / "sitemap-0.9.xsd"
NS = {"s": sitemap.SITEMAP_NS}


def validate(body: bytes) -> etree._Element:
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    root = etree.fromstring(body)
    schema.assertValid(root)
    return root


def test_urlset_has_loc_and_lastmod_and_is_valid():
    body = sitemap.urlset(
        [
            sitemap.SitemapEntry("https://x.org/", dt.datetime(2026, 3, 15, 9, tzinfo=dt.UTC)),
            sitemap.SitemapEntry("https://x.org/issues/1/1", dt.date(2026, 3, 1)),
            sitemap.SitemapEntry("https://x.org/articles/10.5555/a?b=1&c=2"),
        ]
    )
    root = validate(body)
    assert (
        root.xpath("//s:loc/text()", namespaces=NS)[2] == "https://x.org/articles/10.5555/a?b=1&c=2"
    )
    assert root.xpath("//s:lastmod/text()", namespaces=NS) == ["2026-03-15T09:00:00Z", "2026-03-01"]


def test_sitemap_index_is_valid():
    body = sitemap.sitemap_index(
        [
            sitemap.SitemapEntry(
                f"https://x.org/sitemaps/{n}.xml", dt.datetime(2026, 1, n, tzinfo=dt.UTC)
            )
            for n in (1, 2)
        ]
    )
    root = validate(body)
    assert root.tag == f"{{{sitemap.SITEMAP_NS}}}sitemapindex"
    assert len(root) == 2


def test_page_count():
    assert sitemap.page_count(0) == 1
    assert sitemap.page_count(50_000) == 1
    assert sitemap.page_count(50_001) == 2


def test_robots_txt_names_the_sitemap_and_keeps_out_the_private_side():
    text = sitemap.robots_txt("https://x.org/sitemap.xml")
    lines = text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: https://x.org/sitemap.xml" in lines
    assert "Disallow: /editorial/" in lines and "Disallow: /production/" in lines
    assert not any(line == "Disallow: /articles/" for line in lines)
