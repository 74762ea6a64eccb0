"""Submitting a draft and withdrawing a submission (workflow moves "submit" and
"withdraw"), and its audit trail."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import Submission
from frontiers_de.submissions.services.access import check_version, require_editable
from frontiers_de.submissions.services.anonymity import make_reviewer_copies, review_mode_of
from frontiers_de.submissions.services.checks import submission_problems
from frontiers_de.submissions.services.errors import SubmissionError


def submit(
    db: Session,
    submission: Submission,
    actor: User | None,
    expected_version: Any,
    storage: FileStorage | None = None,
) -> AuditEvent:
    """Submit the draft (workflow "submit") when nothing is missing and the author reviewed
    the current version. The paper takes its section's review mode, and every file a
    reviewer may be given has its reviewer copy (``storage``). Raises
    :class:`SubmissionError` listing the first problem, :class:`StaleDraft`, or
    ``TransitionNotAllowed``."""
    require_editable(submission, actor)
    check_version(submission, expected_version)
    problems = submission_problems(db, submission)
    if problems:
        raise SubmissionError(problems[0].message)
    submission.review_mode = review_mode_of(db, submission)
    if storage is not None:
        make_reviewer_copies(db, storage, submission)
    return workflow.apply(db, submission, "submit", actor)


def withdraw(db: Session, submission: Submission, actor: User | None, reason: str) -> AuditEvent:
    """Withdraw the submission (workflow "withdraw": the author or an editor, before
    acceptance). ``reason`` is kept in the audit trail."""
    reason = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", reason or "").strip()[:2000]
    return workflow.apply(db, submission, "withdraw", actor, detail={"reason": reason})


def history(db: Session, submission: Submission) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.submission_id == submission.id)
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
    )
