"""The reviewer finder's pages: ``/editorial/reviewers`` (every reviewer of the journal with
their figures; ``?submission=ID`` ranks them for that paper), the finder's part of a paper's
review page (the top suggestions, the authors' suggested and opposed reviewers), and the
editor's private rating of a review. Thin: the figures and the ranking are
``editorial.reviewer_finder``'s, the rating ``editorial.ratings``'."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.editorial import ratings, reviewer_finder, workflow
from frontiers_de.editorial.matching import FROM_AUTHORED, FROM_INTERESTS, FROM_REVIEWED
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.security.permissions import Permission
from frontiers_de.submissions.models import Submission, SubmissionState
from frontiers_de.templating import flash

SOURCE_LABELS = {
    FROM_INTERESTS: _("interests"),
    FROM_REVIEWED: _("reviewed papers"),
    FROM_AUTHORED: _("own papers"),
}
SORT_LABELS = {
    "score": _("Match with the paper"),
    "name": _("Name"),
    "open": _("Fewest open assignments"),
    "completed": _("Most completed reviews"),
    "turnaround": _("Fastest median turnaround"),
    "last_invited": _("Most recently invited"),
    "decline_rate": _("Lowest decline rate"),
    "rating": _("Highest rating"),
}


def _labels(request: Request) -> dict[str, Any]:
    return {
        "source_labels": {k: _t(request, v) for k, v in SOURCE_LABELS.items()},
        "sort_labels": {k: _t(request, v) for k, v in SORT_LABELS.items()},
    }


def _paper(request: Request) -> Submission | None:
    """The paper of ``?submission=`` if the editor may handle it; 404 for any other (one
    that is not there, another journal's, or one they are an author or reviewer of)."""
    raw = str(request.GET.get("submission", "")).strip().lstrip("#")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise HTTPNotFound()
    submission = request.db.get(Submission, int(raw))
    if (
        submission is None
        or submission.journal_id != request.journal.id
        or not workflow.may_handle(submission, request.user)
    ):
        raise HTTPNotFound()
    return submission


@view_config(
    route_name="editorial.reviewers",
    request_method="GET",
    renderer="editorial/reviewers.html",
    permission=Permission.EDIT,
)
def reviewers(request: Request) -> dict[str, Any]:
    """Every reviewer with their figures; search, sort, and rank for a paper."""
    paper = _paper(request)
    query = str(request.GET.get("q", ""))[: reviewer_finder.MAX_QUERY]
    sort = str(request.GET.get("sort", ""))
    if sort not in reviewer_finder.SORTS or (sort == "score" and paper is None):
        sort = "score" if paper is not None else "name"
    found = reviewer_finder.find(request.db, request.journal.id, paper, query, sort)
    return {
        "paper": paper,
        "found": found,
        "query": query,
        "sort": sort,
        "sorts": [s for s in reviewer_finder.SORTS if paper is not None or s != "score"],
        **_labels(request),
    }


def invite_values(request: Request) -> dict[str, str]:
    """The invitation form filled from the finder's Invite links: ``?invite=ID`` selects a
    reviewer of the journal, ``?invite_name=&invite_email=`` fills in someone new."""
    values: dict[str, str] = {}
    chosen = str(request.GET.get("invite", "")).strip()
    if chosen.isdigit() and len(chosen) <= 18:
        values["reviewer_id"] = chosen
    name = str(request.GET.get("invite_name", "")).strip()[:200]
    email = str(request.GET.get("invite_email", "")).strip()[:254]
    if email:
        values["name"], values["email"] = name, email
    return values


def review_page_extras(request: Request, submission: Submission, rounds: list[Any]) -> dict:
    """What the review page adds for the finder: the top suggestions (when reviewers may be
    invited), and the editors' ratings of the reviews shown."""
    ids = [a.id for rnd in rounds for a in rnd.assignments]
    extra: dict[str, Any] = {"ratings": ratings.ratings_of(request.db, ids)}
    if submission.state == SubmissionState.UNDER_REVIEW:
        top = reviewer_finder.SHOWN_SUGGESTIONS
        found = reviewer_finder.find(
            request.db, submission.journal_id, submission, with_conflicts=top
        )
        found.rows = found.rows[:top]
        extra |= {"finder": found, **_labels(request)}
    return extra


@view_config(
    route_name="editorial.review_rating", request_method="POST", permission=Permission.EDIT
)
def rate_review(request: Request) -> Response:
    """The editor's private rating (1-5) of a submitted review."""
    submission = request.context.submission  # of the assignment, in the route: else 404
    assignment = request.context.assignment
    if request.POST.get("back") == "compare":  # the reviews side by side, of its round
        url = request.route_path(
            "editorial.review_compare",
            submission_id=submission.id,
            _query={"round": assignment.round.number},
        )
    else:
        url = request.route_path("editorial.review", submission_id=submission.id)
    try:
        ratings.rate(request.db, submission, assignment, request.user, request.POST.get("rating"))
    except ratings.RatingError as exc:
        flash(request, _t(request, exc.message), "error")
        return HTTPFound(url)
    flash(request, _t(request, _("Your rating is saved; only the editors see it.")), "success")
    return HTTPFound(url + f"#review-rating-{assignment.id}")
