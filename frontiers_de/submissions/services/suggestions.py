"""The reviewers the authors suggest, and those they oppose (with a reason), given with the
draft. The paper's editors see them beside the reviewer finder's suggestions
(``editorial.reviewer_finder``); reviewers never do. An opposed reviewer is ranked out of
the finder's suggestions and flagged."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from frontiers_de.accounts.forms import check_email
from frontiers_de.accounts.models import User, email_key
from frontiers_de.forms import Field, FieldError, read_form
from frontiers_de.i18n import _
from frontiers_de.submissions.models import ReviewerSuggestion, Submission, SuggestionKind
from frontiers_de.submissions.services.access import require_editable, touch
from frontiers_de.submissions.services.errors import InvalidInput, SubmissionError

MAX_PER_KIND = 10
MIN_REASON = 10


def _check_kind(value: str) -> SuggestionKind:
    try:
        return SuggestionKind(value)
    except ValueError:
        raise FieldError(_("Choose whether you suggest or oppose this reviewer.")) from None


SUGGESTION_FIELDS = (
    Field("kind", max_length=20, required=True, check=_check_kind),
    Field("name", max_length=200, required=True),
    Field("email", max_length=254, required=True, check=check_email),
    Field("affiliation", max_length=300),
    Field("reason", max_length=2000, multiline=True),
)


def add_suggestion(
    db: Session, submission: Submission, post: Mapping[str, Any], actor: User | None
) -> ReviewerSuggestion:
    """Add a suggested or opposed reviewer to the draft: a name and an email address, the
    affiliation if known; an opposed reviewer needs a reason. An author of the paper, or an
    address given twice, is refused. Raises :class:`InvalidInput` (by field) or
    :class:`SubmissionError`; nothing is saved then."""
    require_editable(submission, actor)
    form = read_form(post, SUGGESTION_FIELDS)
    v = form.values
    kind = v.get("kind")
    short = len(v.get("reason") or "") < MIN_REASON
    if kind == SuggestionKind.OPPOSED and "reason" not in form.errors and short:
        form.errors["reason"] = _(
            "Say why this reviewer should not review the paper (at least ${min} "
            "characters): the editors read it.",
            mapping={"min": MIN_REASON},
        )
    if "email" in v:
        key = email_key(v["email"])
        if any(email_key(c.email or "") == key for c in submission.contributors):
            form.errors["email"] = _("This is the address of one of the paper's authors.")
        elif any(email_key(s.email) == key for s in submission.reviewer_suggestions):
            form.errors["email"] = _("This address is already in your list.")
    if not form.ok:
        raise InvalidInput(form)
    if sum(1 for s in submission.reviewer_suggestions if s.kind == kind) >= MAX_PER_KIND:
        raise SubmissionError(
            _("At most ${max} reviewers of each kind, please.", mapping={"max": MAX_PER_KIND})
        )
    row = ReviewerSuggestion(
        kind=kind,
        name=v["name"],
        email=v["email"],
        affiliation=v.get("affiliation") or "",
        reason=v.get("reason") or "",
    )
    submission.reviewer_suggestions.append(row)
    touch(submission)
    db.flush()
    return row


def remove_suggestion(
    db: Session, submission: Submission, row: ReviewerSuggestion, actor: User | None
) -> None:
    require_editable(submission, actor)
    if row.submission_id != submission.id:
        raise SubmissionError(_("This reviewer is not part of this submission."))
    submission.reviewer_suggestions.remove(row)
    touch(submission)
    db.flush()
