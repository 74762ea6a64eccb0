"""Writing the journal's own pages: the admin edits each ``/about`` page per interface
language (``/admin/pages``), the editors post announcements (``/editorial/news``). Every
change is a POST with the CSRF token (checked for every unsafe request)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.i18n import LANGUAGES, _, html_lang
from frontiers_de.i18n import translate as _t
from frontiers_de.security.permissions import Permission
from frontiers_de.site import news, pages
from frontiers_de.site.markdown import to_html
from frontiers_de.site.models import Announcement
from frontiers_de.templating import flash

# --- the admin's pages -----------------------------------------------------------------------


@view_config(route_name="admin.pages", renderer="admin/pages.html", permission=Permission.ADMIN)
def page_list(request: Request) -> dict[str, Any]:
    return {
        "kinds": pages.PAGES,
        "languages": LANGUAGES,
        "written": pages.overview(request.db, request.journal.id),
    }


def _page_target(request: Request) -> tuple[pages.PageKind, str]:
    kind = pages.BY_SLUG.get(request.matchdict["slug"])
    language = request.matchdict["language"]
    if kind is None or language not in LANGUAGES:
        raise HTTPNotFound()
    return kind, language


def _editor_page(
    request: Request,
    kind: pages.PageKind,
    language: str,
    values: dict[str, str],
    errors: dict[str, str],
    preview: bool = False,
) -> dict[str, Any]:
    row = pages.stored(request.db, request.journal.id, kind.slug, language)
    request.override_renderer = "admin/page_edit.html"
    if errors:
        request.response.status_int = 400
    return {
        "kind": kind,
        "language": language,
        "language_name": LANGUAGES[language],
        "text_lang": html_lang(language),
        "values": values,
        "errors": errors,
        "row": row,
        "has_default": pages.default_body(kind.slug, language) is not None,
        "preview": to_html(values.get("body", "")) if preview else None,
    }


@view_config(
    route_name="admin.page",
    request_method="GET",
    permission=Permission.ADMIN,
    renderer="admin/page_edit.html",
)
def page_edit(request: Request) -> dict[str, Any]:
    kind, language = _page_target(request)
    row = pages.stored(request.db, request.journal.id, kind.slug, language)
    if row is not None:
        values = {"title": row.title, "body": row.body}
    else:
        default = pages.default_body(kind.slug, language) or ""
        title = _t(request, kind.title) if language == request.locale_name else str(kind.title)
        values = {"title": title, "body": default}
    return _editor_page(request, kind, language, values, {})


@view_config(
    route_name="admin.page",
    request_method="POST",
    permission=Permission.ADMIN,
    renderer="admin/page_edit.html",
)
def page_save(request: Request) -> Any:
    kind, language = _page_target(request)
    action = request.POST.get("action", "save")
    target = request.route_path("admin.page", slug=kind.slug, language=language)
    if action == "restore":
        if pages.restore_default(request.db, request.journal.id, kind.slug, language):
            flash(request, _t(request, _("The page is back to its default text.")), "success")
        return HTTPFound(target)
    values = {
        "title": str(request.POST.get("title", "")),
        "body": str(request.POST.get("body", "")),
    }
    if action == "preview":
        return _editor_page(request, kind, language, values, {}, preview=True)
    try:
        pages.save_page(
            request.db,
            request.journal.id,
            kind.slug,
            language,
            values["title"],
            values["body"],
            request.user,
        )
    except pages.PageError as exc:
        return _editor_page(request, kind, language, values, {exc.field: _t(request, exc.message)})
    flash(request, _t(request, _("The page is saved.")), "success")
    return HTTPFound(target)


# --- the editors' announcements -----------------------------------------------------------


def _when(raw: str) -> dt.datetime | None:
    """A publication date from the form (YYYY-MM-DD, at midnight UTC); empty: now."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise news.NewsError("published_on", _("Enter a date like 2027-01-31.")) from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _news_values(request: Request) -> dict[str, str]:
    return {
        name: str(request.POST.get(name, ""))
        for name in ("title", "body", "language", "published_on")
    }


def _news_page(
    request: Request, values: dict[str, str], errors: dict[str, str], post: Any = None
) -> dict[str, Any]:
    if errors:
        request.response.status_int = 400
    return {
        "posts": news.all_posts(request.db, request.journal.id),
        "values": values,
        "errors": errors,
        "languages": LANGUAGES,
        "post": post,
        "now": dt.datetime.now(dt.UTC),
    }


@view_config(
    route_name="editorial.news",
    request_method="GET",
    renderer="editorial/news.html",
    permission=Permission.EDIT,
)
def news_manage(request: Request) -> dict[str, Any]:
    return _news_page(request, {"language": request.locale_name}, {})


@view_config(
    route_name="editorial.news",
    request_method="POST",
    renderer="editorial/news.html",
    permission=Permission.EDIT,
)
def news_create(request: Request) -> Any:
    values = _news_values(request)
    try:
        post = news.post(
            request.db,
            request.journal.id,
            request.user,
            values["title"],
            values["body"],
            values["language"],
            _when(values["published_on"]),
        )
    except news.NewsError as exc:
        return _news_page(request, values, {exc.field: _t(request, exc.message)})
    flash(request, _t(request, _("The announcement is posted.")), "success")
    return HTTPFound(request.route_path("editorial.news_item", post_id=post.id))


def _own_post(request: Request) -> Announcement:
    post = request.db.get(Announcement, int(request.matchdict["post_id"]))
    if post is None or post.journal_id != request.journal.id:
        raise HTTPNotFound()
    return post


@view_config(
    route_name="editorial.news_item",
    request_method="GET",
    renderer="editorial/news_item.html",
    permission=Permission.EDIT,
)
def news_edit(request: Request) -> dict[str, Any]:
    post = _own_post(request)
    values = {
        "title": post.title,
        "body": post.body,
        "language": post.language,
        "published_on": post.published_at.date().isoformat(),
    }
    return {"post": post, "values": values, "errors": {}, "languages": LANGUAGES}


@view_config(
    route_name="editorial.news_item",
    request_method="POST",
    renderer="editorial/news_item.html",
    permission=Permission.EDIT,
)
def news_change(request: Request) -> Response | dict[str, Any]:
    post = _own_post(request)
    action = request.POST.get("action", "save")
    here = request.route_path("editorial.news_item", post_id=post.id)
    if action == "withdraw":
        news.withdraw(request.db, post)
        flash(request, _t(request, _("The announcement is withdrawn.")), "success")
        return HTTPFound(here)
    if action == "restore":
        news.restore(request.db, post)
        flash(request, _t(request, _("The announcement is shown again.")), "success")
        return HTTPFound(here)
    values = _news_values(request)
    try:
        news.edit(
            request.db,
            post,
            values["title"],
            values["body"],
            values["language"],
            _when(values["published_on"]),
        )
    except news.NewsError as exc:
        request.response.status_int = 400
        errors = {exc.field: _t(request, exc.message)}
        return {"post": post, "values": values, "errors": errors, "languages": LANGUAGES}
    flash(request, _t(request, _("The announcement is saved.")), "success")
    return HTTPFound(here)
