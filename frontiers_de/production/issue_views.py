"""The production editor's volumes and issues: the list with the forms to add a volume and
an issue, and an issue's page (its details, its articles in order, adding, moving and
removing them). Thin: load the issue, call one rule of :mod:`.issues`, redirect or show the
form again with what was wrong."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.articles import issues
from frontiers_de.articles.models import Issue, IssueState
from frontiers_de.forms import translate_errors
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.production import issues as production_issues
from frontiers_de.security.permissions import Permission
from frontiers_de.templating import flash

PRODUCE = Permission.PRODUCE
_ISSUE_FIELDS = ("volume", "number", "year", "title", "description")


def _journal(request: Request) -> Any:
    """The journal (the list pages' resources.JournalContext, or the issue's: else 404)."""
    return request.journal


def _issue(request: Request) -> Issue:
    """The route's issue of the journal (resources.issue_factory; else 404)."""
    issue: Issue = request.context.obj
    return issue


def _sent(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """What the form sent, bounded, to show it again for correction."""
    return {n: str(request.POST.get(n, ""))[:6000].replace("\x00", "") for n in names}


def _list_page(
    request: Request,
    *,
    volume_errors: dict[str, Any] | None = None,
    volume_values: dict[str, str] | None = None,
    issue_errors: dict[str, Any] | None = None,
    issue_values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    journal = _journal(request)
    response = render_to_response(
        "production/issues.html",
        {
            "volumes": issues.overview(request.db, journal.id),
            "volume_errors": translate_errors(request, volume_errors or {}),
            "volume_values": volume_values or {},
            "issue_errors": translate_errors(request, issue_errors or {}),
            "issue_values": issue_values or {},
            "max_title": issues.MAX_TITLE_LENGTH,
            "max_description": issues.MAX_DESCRIPTION_LENGTH,
        },
        request=request,
    )
    response.status_int = status
    return response


@view_config(route_name="production.issues", request_method="GET", permission=PRODUCE)
def issue_list(request: Request) -> Response:
    return _list_page(request)


@view_config(route_name="production.volumes", request_method="POST", permission=PRODUCE)
def create_volume(request: Request) -> Response:
    journal = _journal(request)
    try:
        volume = issues.create_volume(
            request.db, journal, request.POST.get("number"), request.POST.get("year")
        )
    except issues.IssueFormError as exc:
        return _list_page(
            request,
            volume_errors=exc.errors,
            volume_values=_sent(request, ("number", "year")),
            status=400,
        )
    flash(
        request,
        _t(request, _("Volume ${number} is created.", mapping={"number": volume.number})),
        "success",
    )
    return HTTPFound(request.route_path("production.issues"))


@view_config(route_name="production.issues", request_method="POST", permission=PRODUCE)
def create_issue(request: Request) -> Response:
    journal = _journal(request)
    post = request.POST
    try:
        issue = issues.create_issue(
            request.db,
            journal,
            post.get("volume"),
            post.get("number"),
            post.get("year"),
            post.get("title", ""),
            post.get("description", ""),
        )
    except issues.IssueFormError as exc:
        return _list_page(
            request,
            issue_errors=exc.errors,
            issue_values=_sent(request, _ISSUE_FIELDS),
            status=400,
        )
    flash(request, _t(request, _("The issue is created.")), "success")
    return HTTPFound(request.route_path("production.issue", issue_id=issue.id))


def _issue_page(
    request: Request,
    issue: Issue,
    *,
    edit_errors: dict[str, Any] | None = None,
    edit_values: dict[str, str] | None = None,
    assign_errors: dict[str, Any] | None = None,
    publish_problems: list[tuple[Any, list[Any]]] | None = None,
    status: int = 200,
) -> Response:
    values = edit_values or {
        "number": issue.number,
        "year": str(issue.year),
        "title": issue.title,
        "description": issue.description,
    }
    planned = issue.state == IssueState.PLANNED
    candidates = issues.assignable_articles(request.db, issue) if planned else []
    placed = issues.articles_in(request.db, issue)
    response = render_to_response(
        "production/issue.html",
        {
            "issue": issue,
            "planned": planned,
            "articles": placed,
            "candidates": candidates,
            # Said before the change: what placing (or taking out) does to PDF and proofs.
            "effects": {
                a.id: production_issues.placement_effect(request.db, a)
                for a in (candidates + placed if planned else [])
            },
            "edit_errors": translate_errors(request, edit_errors or {}),
            "edit_values": values,
            "assign_errors": translate_errors(request, assign_errors or {}),
            "publish_problems": [
                (article, [_t(request, r) for r in reasons])
                for article, reasons in publish_problems or []
            ],
            "max_title": issues.MAX_TITLE_LENGTH,
            "max_description": issues.MAX_DESCRIPTION_LENGTH,
        },
        request=request,
    )
    response.status_int = status
    return response


def _to_issue(request: Request, issue: Issue) -> HTTPFound:
    return HTTPFound(request.route_path("production.issue", issue_id=issue.id))


@view_config(route_name="production.issue", request_method="GET", permission=PRODUCE)
def issue_page(request: Request) -> Response:
    return _issue_page(request, _issue(request))


@view_config(route_name="production.issue", request_method="POST", permission=PRODUCE)
def edit_issue(request: Request) -> Response:
    issue = _issue(request)
    post = request.POST
    try:
        issues.edit_issue(
            request.db,
            request.storage,
            issue,
            post.get("number"),
            post.get("year"),
            post.get("title", ""),
            post.get("description", ""),
            request.user,
            settings=request.registry.settings,
        )
    except issues.IssueFormError as exc:
        return _issue_page(
            request,
            issue,
            edit_errors=exc.errors,
            edit_values=_sent(request, _ISSUE_FIELDS),
            status=400,
        )
    except issues.IssueError as exc:
        flash(request, _t(request, exc.message), "error")
        return _to_issue(request, issue)
    flash(request, _t(request, _("The issue is saved.")), "success")
    return _to_issue(request, issue)


@view_config(route_name="production.issue_assign", request_method="POST", permission=PRODUCE)
def assign_article(request: Request) -> Response:
    issue = _issue(request)
    try:
        article = issues.assign_article(
            request.db,
            request.storage,
            issue,
            request.POST.get("article"),
            request.user,
            settings=request.registry.settings,
        )
    except issues.IssueFormError as exc:
        return _issue_page(request, issue, assign_errors=exc.errors, status=400)
    except issues.IssueError as exc:
        flash(request, _t(request, exc.message), "error")
        return _to_issue(request, issue)
    flash(
        request,
        _t(request, _("“${title}” is in the issue.", mapping={"title": article.title})),
        "success",
    )
    return _to_issue(request, issue)


@view_config(route_name="production.issue_move", request_method="POST", permission=PRODUCE)
def move_article(request: Request) -> Response:
    issue = _issue(request)
    try:
        issues.move_article(
            request.db,
            issue,
            request.matchdict["article_id"],
            str(request.POST.get("direction", "")),
        )
    except issues.IssueError as exc:
        flash(request, _t(request, exc.message), "error")
    return _to_issue(request, issue)


@view_config(route_name="production.issue_remove", request_method="POST", permission=PRODUCE)
def remove_article(request: Request) -> Response:
    issue = _issue(request)
    try:
        article = issues.remove_article(
            request.db,
            request.storage,
            issue,
            request.matchdict["article_id"],
            request.user,
            settings=request.registry.settings,
        )
    except issues.IssueError as exc:
        flash(request, _t(request, exc.message), "error")
        return _to_issue(request, issue)
    flash(
        request,
        _t(request, _("“${title}” is no longer in the issue.", mapping={"title": article.title})),
        "success",
    )
    return _to_issue(request, issue)


@view_config(route_name="production.issue_publish", request_method="POST", permission=PRODUCE)
def publish_issue(request: Request) -> Response:
    """Publish the issue and its articles at once, or show every article's problems."""
    from frontiers_de.jobs.services import start_job
    from frontiers_de.production import services, tasks

    issue = _issue(request)
    try:
        done = production_issues.publish_issue(
            request.db, request.storage, issue, request.user, request.registry.settings
        )
    except production_issues.IssuePublishRefused as exc:
        return _issue_page(request, issue, publish_problems=exc.problems, status=400)
    except issues.IssueError as exc:
        flash(request, _t(request, exc.message), "error")
        return _to_issue(request, issue)
    # Publishing added the publication date to each JATS: check those versions too.
    for article in done.published:
        start_job(request, tasks.check_jats, kind=services.JOB_CHECK, target=article)
    flash(
        request,
        _t(
            request,
            _(
                "The issue is published, with ${count} article(s) published now.",
                mapping={"count": len(done.published)},
            ),
        ),
        "success",
    )
    # What those who heard of it have to say (Crossref: the deposit queued, or not).
    for level, message in done.notices:
        flash(request, _t(request, message), level)
    return _to_issue(request, issue)


@view_config(route_name="production.issue_cover", request_method="POST", permission=PRODUCE)
def issue_cover(request: Request) -> Response:
    """Upload the issue's cover image (``cover``), or take it away (``action=remove``);
    allowed whether the issue is planned or published."""
    from frontiers_de.articles import covers

    issue = _issue(request)
    try:
        if request.POST.get("action") == "remove":
            covers.remove_cover(request.db, issue, request.user)
            flash(request, _t(request, _("The cover image is removed.")), "success")
        else:
            upload = request.POST.get("cover")
            data = upload.file.read(covers.MAX_BYTES + 1) if hasattr(upload, "file") else b""
            covers.set_cover(request.db, request.storage, issue, data, request.user)
            flash(request, _t(request, _("The cover image is saved.")), "success")
    except issues.IssueError as exc:
        flash(request, _t(request, exc.message), "error")
    return _to_issue(request, issue)
