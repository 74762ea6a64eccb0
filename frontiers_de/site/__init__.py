"""The journal's own pages: ``/about`` (policies the admin writes per language, the
editorial board made from the roles) and the editors' announcements. It reads what
journals, accounts, editorial and publishing hold and writes only its own tables."""

from __future__ import annotations

from typing import Any

from pyramid.config import Configurator
from pyramid.events import BeforeRender


def add_page_helpers(event: BeforeRender) -> None:
    """Template globals: ``about_pages`` (the /about pages, for the footer and the
    about menu), ``markdown(text)`` and ``teaser(text)``."""
    from frontiers_de.site.markdown import first_paragraph, to_html
    from frontiers_de.site.pages import PAGES

    event.setdefault("about_pages", PAGES)
    event.setdefault("markdown", to_html)
    event.setdefault("teaser", first_paragraph)


def sitemap_pages(request: Any) -> list[Any]:
    """The journal's own public pages for the sitemap: /about and each page (when the
    admin last wrote it), the editorial board, the announcements and each shown post."""
    from frontiers_de.publishing.sitemap import SitemapEntry
    from frontiers_de.site import news, pages

    journal = request.journal
    written = pages.overview(request.db, journal.id)
    posts = news.published(request.db, journal.id)
    newest_post = max((p.updated_at for p in posts), default=journal.created_at)

    # A page never written shows its shipped default, unchanged since the journal began.
    since = journal.created_at

    def changed(slug: str) -> Any:
        moments = [row.updated_at for (s, _lang), row in written.items() if s == slug]
        return max(moments, default=since)

    entries = [
        SitemapEntry(request.route_url("site.about"), max(changed(k.slug) for k in pages.PAGES)),
        SitemapEntry(request.route_url("site.board"), since),
        *(
            SitemapEntry(request.route_url("site.page", slug=kind.slug), changed(kind.slug))
            for kind in pages.PAGES
        ),
        SitemapEntry(request.route_url("site.news"), newest_post),
    ]
    entries += [
        SitemapEntry(request.route_url("site.news_item", post_id=p.id), p.updated_at) for p in posts
    ]
    return entries


def includeme(config: Configurator) -> None:
    from frontiers_de.publishing.indexing_views import add_sitemap_source

    config.add_subscriber(add_page_helpers, BeforeRender)
    add_sitemap_source(config, sitemap_pages)
