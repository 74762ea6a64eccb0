"""``/sitemap.xml`` and ``/robots.txt``: where search engines find every public page.

The sitemap follows the sitemaps.org protocol 0.9: a ``urlset`` of ``url`` elements with
``loc`` and ``lastmod`` (W3C datetime). A site with more than :data:`MAX_URLS` addresses
gets a ``sitemapindex`` at ``/sitemap.xml`` naming numbered sitemaps of at most that many
each (the protocol allows 50,000 per file). Pure functions: entries in, bytes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
MEDIA_TYPE = "application/xml"

# Pages no search engine needs: the signed-in side and search results.
PRIVATE_PREFIXES = (
    "/account",
    "/admin/",
    "/editorial/",
    "/production/",
    "/submissions/",
    "/reviews/",
    "/proofs/",
    "/search",
    "/login",
    "/register",
    "/password/",
)


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: dt.datetime | dt.date | None = None


def _w3c(moment: dt.datetime | dt.date) -> str:
    if isinstance(moment, dt.datetime):
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat()


def page_count(n_entries: int, per_page: int = MAX_URLS) -> int:
    return max(1, -(-n_entries // per_page))


def _document(root_tag: str, item_tag: str, entries: Sequence[SitemapEntry]) -> bytes:
    root = etree.Element(f"{{{SITEMAP_NS}}}{root_tag}", nsmap={None: SITEMAP_NS})
    for entry in entries:
        item = etree.SubElement(root, f"{{{SITEMAP_NS}}}{item_tag}")
        etree.SubElement(item, f"{{{SITEMAP_NS}}}loc").text = entry.loc
        if entry.lastmod is not None:
            etree.SubElement(item, f"{{{SITEMAP_NS}}}lastmod").text = _w3c(entry.lastmod)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def urlset(entries: Sequence[SitemapEntry]) -> bytes:
    """One sitemap file: a ``urlset`` of ``url`` elements."""
    return _document("urlset", "url", entries)


def sitemap_index(entries: Sequence[SitemapEntry]) -> bytes:
    """A sitemap index: a ``sitemapindex`` naming the numbered sitemaps (``loc``) with
    their latest change."""
    return _document("sitemapindex", "sitemap", entries)


def latest(entries: Sequence[SitemapEntry]) -> dt.datetime | dt.date | None:
    moments = [e.lastmod for e in entries if isinstance(e.lastmod, dt.datetime)]
    return max(moments) if moments else None


def robots_txt(sitemap_url: str) -> str:
    """Everything public may be crawled; the signed-in side and search results not; the
    sitemap is named."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES]
    lines += ["Allow: /", "", f"Sitemap: {sitemap_url}", ""]
    return "\n".join(lines)
