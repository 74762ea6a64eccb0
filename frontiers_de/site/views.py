"""The journal's own pages for readers: ``/about`` and its pages, the editorial board, and
the announcements with their feed. Public, read-only."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.i18n import _, html_lang
from frontiers_de.security.permissions import Permission
from frontiers_de.site import board, home, news, pages
from frontiers_de.site.models import Announcement

NEWS_TITLE = _("Announcements")


@view_config(
    route_name="home", request_method="GET", renderer="home.html", permission=Permission.VIEW
)
def home_page(request: Request) -> dict[str, Any]:
    journal = request.journal
    if journal is None:
        return {"page": None}
    page = home.home_page(request.db, journal, request.locale_name, request.localizer.translate)
    sections = [s for s in journal.sections if s.is_active]
    return {"page": page, "sections": sections}


@view_config(
    route_name="site.about",
    request_method="GET",
    renderer="site/about.html",
    permission=Permission.VIEW,
)
def about(request: Request) -> dict[str, Any]:
    translate = request.localizer.translate
    shown = [
        pages.page_in(request.db, request.journal, kind.slug, request.locale_name, translate)
        for kind in pages.PAGES
    ]
    return {"pages": [p for p in shown if p is not None]}


@view_config(
    route_name="site.page",
    request_method="GET",
    renderer="site/page.html",
    permission=Permission.VIEW,
)
def about_page(request: Request) -> dict[str, Any]:
    page = pages.page_in(
        request.db,
        request.journal,
        request.matchdict["slug"],
        request.locale_name,
        request.localizer.translate,
    )
    if page is None:
        raise HTTPNotFound()
    return {"page": page, "page_lang": html_lang(page.language)}


@view_config(
    route_name="site.board",
    request_method="GET",
    renderer="site/board.html",
    permission=Permission.VIEW,
)
def editorial_board(request: Request) -> dict[str, Any]:
    return {"groups": board.editorial_board(request.db, request.journal, request.locale_name)}


@view_config(
    route_name="site.news",
    request_method="GET",
    renderer="site/news.html",
    permission=Permission.VIEW,
)
def news_list(request: Request) -> dict[str, Any]:
    return {"posts": news.published(request.db, request.journal.id)}


@view_config(
    route_name="site.news_item",
    request_method="GET",
    renderer="site/news_item.html",
    permission=Permission.VIEW,
)
def news_item(request: Request) -> dict[str, Any]:
    post = request.db.get(Announcement, int(request.matchdict["post_id"]))
    if post is None or not news.visible(post, request.journal.id):
        raise HTTPNotFound()
    return {"post": post}


@view_config(route_name="site.news_feed", request_method="GET", permission=Permission.VIEW)
def news_feed(request: Request) -> Response:
    journal = request.journal
    body = news.news_feed(
        news.published(request.db, journal.id, limit=50),
        title=f"{journal.title}: {request.localizer.translate(NEWS_TITLE)}",
        self_url=request.route_url("site.news_feed"),
        site_url=request.route_url("site.news"),
        publisher=journal.publisher,
        language=request.locale_name,
        post_url=lambda p: request.route_url("site.news_item", post_id=p.id),
    )
    response = Response(body=body, content_type="application/atom+xml", charset="utf-8")
    response.cache_control.public = True
    response.cache_control.max_age = 600
    return response
