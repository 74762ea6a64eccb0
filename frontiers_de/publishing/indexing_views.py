"""For indexers and archives: ``/sitemap.xml`` (a sitemap index past 50,000 addresses),
``/robots.txt`` naming it, the DOAJ article XML export of the journal and an article's
archive package (for production editors). Thin: the documents are built by
:mod:`.sitemap`, :mod:`.doaj` and :mod:`.archive_package`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pyramid.httpexceptions import HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.articles.urls import article_url
from frontiers_de.db.meta import utcnow
from frontiers_de.publishing import archive_package, doaj, services, sitemap
from frontiers_de.publishing.services import VISIBLE_STATES
from frontiers_de.responses import file_response
from frontiers_de.security.permissions import Permission

# Registry key: functions (request -> list of SitemapEntry) of the domains above this one
# that have public pages of their own (the journal's /about pages and announcements: site).
SITEMAP_SOURCES = "frontiers_de.sitemap_sources"


def add_sitemap_source(config: Any, source: Any) -> None:
    """Let ``source(request)`` add its public pages to the sitemap."""
    config.registry.setdefault(SITEMAP_SOURCES, []).append(source)


def sitemap_entries(request: Request) -> list[sitemap.SitemapEntry]:
    """Every public page of the journal: home, the archive, each shown issue and each
    published article, with when it last changed; then the pages of the sources other
    domains registered (``add_sitemap_source``)."""
    journal = request.journal
    if journal is None:
        return []
    db = request.db
    articles = services.shown_articles(db, journal.id)
    issues = services.shown_issues(db, journal.id)
    changed = {a.id: services.last_change(a) for a in articles}
    newest = max(changed.values(), default=None)
    by_issue: dict[int, list[dt.datetime]] = {}
    for a in articles:
        if a.issue_id is not None:
            by_issue.setdefault(a.issue_id, []).append(changed[a.id])
    entries = [
        sitemap.SitemapEntry(request.route_url("home"), newest),
        sitemap.SitemapEntry(request.route_url("publishing.archive"), newest),
    ]
    for issue in issues:
        moment = max(by_issue.get(issue.id, []), default=issue.published_at)
        url = request.route_url("publishing.issue", volume=issue.volume.number, issue=issue.number)
        entries.append(sitemap.SitemapEntry(url, moment))
    entries += [sitemap.SitemapEntry(article_url(request, a), changed[a.id]) for a in articles]
    for source in request.registry.get(SITEMAP_SOURCES, ()):
        entries += source(request)
    return entries


def _xml(body: bytes) -> Response:
    response = Response(body=body, content_type=sitemap.MEDIA_TYPE, charset="utf-8")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@view_config(route_name="publishing.sitemap", request_method="GET", permission=Permission.VIEW)
def sitemap_xml(request: Request) -> Response:
    entries = sitemap_entries(request)
    pages = sitemap.page_count(len(entries), sitemap.MAX_URLS)
    if pages == 1:
        return _xml(sitemap.urlset(entries))
    index = [
        sitemap.SitemapEntry(
            request.route_url("publishing.sitemap_page", page=n),
            sitemap.latest(entries[(n - 1) * sitemap.MAX_URLS : n * sitemap.MAX_URLS]),
        )
        for n in range(1, pages + 1)
    ]
    return _xml(sitemap.sitemap_index(index))


@view_config(route_name="publishing.sitemap_page", request_method="GET", permission=Permission.VIEW)
def sitemap_page(request: Request) -> Response:
    """One numbered sitemap of the index (404 past the last)."""
    entries = sitemap_entries(request)
    page = int(request.matchdict["page"])
    if not 1 <= page <= sitemap.page_count(len(entries), sitemap.MAX_URLS):
        raise HTTPNotFound()
    return _xml(sitemap.urlset(entries[(page - 1) * sitemap.MAX_URLS : page * sitemap.MAX_URLS]))


@view_config(route_name="publishing.robots", request_method="GET", permission=Permission.VIEW)
def robots_txt(request: Request) -> Response:
    body = sitemap.robots_txt(request.route_url("publishing.sitemap"))
    response = Response(body=body, content_type="text/plain", charset="utf-8")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@view_config(
    route_name="publishing.doaj_export", request_method="GET", permission=Permission.PRODUCE
)
def doaj_export(request: Request) -> Response:
    """The journal's published articles as DOAJ article XML, for DOAJ's bulk upload."""
    journal = request.context.journal
    body = doaj.journal_doaj_xml(request.db, journal, request.application_url)
    return file_response(body, doaj.MEDIA_TYPE, f"doaj-{journal.code}.xml", private=True)


@view_config(
    route_name="publishing.article_archive", request_method="GET", permission=Permission.PRODUCE
)
def article_archive(request: Request) -> Response:
    """A published article's archive package (zip: JATS, PDF, figures, supplements and a
    manifest) for deposit and preservation."""
    article = request.context.obj  # resources.ProductionContext: the journal's article
    if article.state not in VISIBLE_STATES or not article.jats_xml:
        raise HTTPNotFound()
    package = archive_package.package_files(request.db, request.storage, article)
    body = archive_package.to_zip(package, utcnow())
    name = archive_package.archive_filename(package)
    return file_response(body, archive_package.MEDIA_TYPE, name, private=True)
