"""The reviews of a round side by side, with the decision form beside them
(``/editorial/submissions/{id}/review/compare?round=N``).

GET shows the round (the latest unless ``round`` names an earlier one): the tally of
recommendations, the invitations still open, the scores of every review in one table, and
each review with its comments to the author and, marked as such, its confidential comments
to the editor. POST decides on the open round from the same page, through the same
service as the review page's form (:func:`frontiers_de.editorial.services.decide`); a
refusal keeps this page with its reason. Earlier rounds are read-only, with the decision
taken on them. Only the editors who may handle the paper reach it (the route's
``SubmissionContext``: authors of the paper and its reviewers get 404); what the authors
see is unchanged.
"""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.request import Request
from pyramid.view import view_config

from frontiers_de.editorial import letters, ratings, services, workflow
from frontiers_de.editorial.workflow import TransitionNotAllowed
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.mail.letters import MAX_BODY
from frontiers_de.review import services as review_services
from frontiers_de.security.permissions import Permission
from frontiers_de.submissions import services as submission_rules
from frontiers_de.submissions.models import Submission
from frontiers_de.templating import flash

ROUTE = "editorial.review_compare"
RENDERER = "editorial/compare.html"
DECISION_FIELDS = ("decision", "subject", "message", "without_reviews", "without_reviews_reason")


def _round_asked(request: Request) -> int | None:
    """The round named in the query (None: the latest); a malformed one is not found."""
    raw = request.GET.get("round")
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:  # not '²' either
        raise HTTPNotFound()
    return int(raw)


def _compare_page(
    request: Request, submission: Submission, number: int | None, **extra: Any
) -> dict[str, Any]:
    comparison = review_services.compare_round(request.db, submission, number)
    if comparison is None and number is not None:
        raise HTTPNotFound()
    may_decide = (
        comparison is not None
        and comparison.latest
        and comparison.is_open
        and workflow.may(submission, "decide", request.user)
    )
    taken = [
        d
        for d in services.decisions(request.db, submission)
        if comparison is not None and d.round_id == comparison.round.id
    ]
    return {
        "submission": submission,
        "c": comparison,
        "round_numbers": review_services.round_numbers(request.db, submission),
        "may_decide": may_decide,
        "round_decisions": taken,
        "reviewers_named": review_services.reviewers_named(submission),
        "review_mode_labels": {
            k.value: _t(request, v) for k, v in submission_rules.REVIEW_MODE_LABELS.items()
        },
        "state_labels": {k: _t(request, v) for k, v in review_services.STATE_LABELS.items()},
        "recommendations": {
            k.value: _t(request, v) for k, v in review_services.RECOMMENDATION_LABELS.items()
        },
        "criteria": {k: _t(request, v) for k, v in review_services.CRITERIA.items()},
        "decisions": {k.value: _t(request, v) for k, v in services.DECISIONS.items()},
        "decision_labels": {k: _t(request, v) for k, v in services.DECISION_LABELS.items()},
        "for_author": services.reviews_for_author(request.db, submission) if may_decide else [],
        "reviews_submitted": len(comparison.reviews) if comparison else 0,
        "decision_letters": letters.decision_letters(
            request.db, request.registry.settings, submission
        )
        if may_decide
        else {},
        "values": letters.chosen_decision(request.GET.get("decision")),
        # the editors' private ratings of the reviews (editorial.ratings)
        "ratings": ratings.ratings_of(
            request.db, [r.assignment.id for r in comparison.reviews] if comparison else []
        ),
        "decide_errors": {},
        **extra,
    }


@view_config(route_name=ROUTE, request_method="GET", renderer=RENDERER, permission=Permission.EDIT)
def compare(request: Request) -> dict[str, Any]:
    """The round's reviews compared, the decision form beside them while it is open."""
    return _compare_page(request, request.context.submission, _round_asked(request))


@view_config(route_name=ROUTE, request_method="POST", renderer=RENDERER, permission=Permission.EDIT)
def decide_here(request: Request) -> Any:
    """The decision on the open round, taken beside its reviews; the author is emailed the
    letter (and the reviewers whose open invitations it cancels are told), as from the
    review page."""
    submission = request.context.submission
    post = request.POST
    here = request.route_path(ROUTE, submission_id=submission.id)
    try:
        prefilled = letters.decision_letters(request.db, request.registry.settings, submission)
        services.decide_from_form(request.db, submission, request.user, post, prefilled)
    except services.EditorialError as exc:
        request.response.status_int = 400
        limit = MAX_BODY + 100
        values = {k: str(post.get(k, ""))[:limit] for k in DECISION_FIELDS if k in post}
        return _compare_page(
            request,
            submission,
            None,
            values=values,
            decide_errors={"decide": _t(request, exc.message)},
        )
    except TransitionNotAllowed:
        message = _("This is no longer possible: the submission has moved on.")
        flash(request, _t(request, message), "error")
        return HTTPFound(here)
    # The round just decided is the latest: the page shows it closed, with the decision.
    flash(request, _t(request, _("The decision is recorded and emailed to the author.")), "success")
    return HTTPFound(here)
