"""Who sees and who changes a submission: its submitter, or an editor of its journal
once it is submitted (the route contexts ask :func:`may_see`); a draft is changed only
by its submitter, and only if the form was opened on its current version (optimistic
locking: :func:`touch` moves the version on, :func:`check_version` refuses a stale one)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.submissions.models import Submission, SubmissionState
from frontiers_de.submissions.services.errors import StaleDraft, SubmissionError


def is_editor(user: User | None, journal_id: int) -> bool:
    """Whether ``user`` holds an editor's role in the journal (the workflow's EDITORS)."""
    return user is not None and bool(workflow.actor_roles(user, journal_id) & workflow.EDITORS)


def may_see(submission: Submission, user: User | None) -> bool:
    """Whether ``user`` may open the author's pages of ``submission``: its submitter, or an
    editor of its journal once it is submitted (a draft is the author's own until then).
    The pages answer 404 to anyone else (resources.SubmissionContext), as for no such id."""
    if user is None:
        return False
    if submission.submitter_id == user.id:
        return True
    return (
        submission.state != SubmissionState.DRAFT
        and is_editor(user, submission.journal_id)
        and workflow.in_scope(submission, user)
    )


def is_submitter(submission: Submission, user: User | None) -> bool:
    return user is not None and submission.submitter_id == user.id


def editable(submission: Submission, user: User | None) -> bool:
    """Whether ``user`` may change the submission: its submitter, while it is a draft."""
    return is_submitter(submission, user) and submission.state == SubmissionState.DRAFT


def require_editable(submission: Submission, user: User | None) -> None:
    if not editable(submission, user):
        raise SubmissionError(
            _("This submission has been submitted and can no longer be changed here.")
        )


# The states in which the submitter may correct the metadata (title, abstract, keywords,
# statements, authors, funding): the draft, and a revision the editor asked for.
METADATA_STATES = frozenset({SubmissionState.DRAFT, SubmissionState.REVISION_REQUESTED})


def revising(submission: Submission) -> bool:
    """Whether the editor has asked the authors for a revision (and it is not in yet)."""
    return submission.state == SubmissionState.REVISION_REQUESTED


def metadata_editable(submission: Submission, user: User | None) -> bool:
    """Whether ``user`` may correct the metadata: its submitter, in a draft or while a
    revision is requested (the same forms, the same checks; the article type, language and
    files stay as submitted: a revision's files come with the revision)."""
    return is_submitter(submission, user) and submission.state in METADATA_STATES


def require_metadata_editable(submission: Submission, user: User | None) -> None:
    if not metadata_editable(submission, user):
        raise SubmissionError(
            _("This submission has been submitted and can no longer be changed here.")
        )


def my_submissions(db: Session, user: User, journal_id: int) -> list[Submission]:
    """The user's own submissions in the journal, most recently changed first."""
    return list(
        db.scalars(
            select(Submission)
            .where(Submission.submitter_id == user.id, Submission.journal_id == journal_id)
            .order_by(Submission.updated_at.desc(), Submission.id.desc())
        )
    )


def touch(submission: Submission) -> None:
    """Mark the submission changed, so its version moves on (optimistic locking)."""
    submission.updated_at = utcnow()


def check_version(submission: Submission, expected: Any) -> None:
    try:
        expected_int = int(str(expected).strip())
    except (TypeError, ValueError):
        expected_int = -1
    if expected_int != submission.version:
        raise StaleDraft(submission.version)
