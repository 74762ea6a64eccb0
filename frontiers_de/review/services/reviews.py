"""The reviewer's side: their own assignments, the review form (a draft, then submitted
once) with its scores, recommendation and optional attachment; and the attachments for
the editors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.i18n import _
from frontiers_de.review import assignments
from frontiers_de.review.assignments import ReviewError, submission_of
from frontiers_de.review.models import Recommendation, Review, ReviewAssignment, ReviewRound
from frontiers_de.review.services.answers import invited_reviewer
from frontiers_de.review.services.rounds import rounds
from frontiers_de.review.services.text import MAX_TEXT, clean_text
from frontiers_de.storage import FileStorage
from frontiers_de.submissions import services as submission_rules
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission

# The criteria a reviewer scores from 1 (poor) to 5 (excellent).
CRITERIA: dict[str, TranslationString] = {
    "originality": _("Originality"),
    "rigour": _("Rigour of the methods"),
    "clarity": _("Clarity of writing"),
    "relevance": _("Relevance to the journal"),
}
SCORES = range(1, 6)
RECOMMENDATION_LABELS: dict[Recommendation, TranslationString] = {
    Recommendation.ACCEPT: _("Accept"),
    Recommendation.MINOR_REVISION: _("Minor revision"),
    Recommendation.MAJOR_REVISION: _("Major revision"),
    Recommendation.REJECT: _("Reject"),
}
ATTACHMENT_SUFFIXES = {
    ".pdf": "application/pdf",
    ".docx": submission_rules.MANUSCRIPT_SUFFIXES[".docx"],
    ".odt": submission_rules.MANUSCRIPT_SUFFIXES[".odt"],
    ".txt": "text/plain",
    ".md": "text/markdown",
}


@dataclass(frozen=True)
class MyAssignment:
    assignment: ReviewAssignment
    submission: Submission


def my_assignments(db: Session, reviewer: User, journal_id: int) -> list[MyAssignment]:
    """The reviewer's own invitations and reviews in the journal, newest first."""
    rows = db.execute(
        select(ReviewAssignment, Submission)
        .join(ReviewRound, ReviewRound.id == ReviewAssignment.round_id)
        .join(Submission, Submission.id == ReviewRound.submission_id)
        .where(ReviewAssignment.reviewer_id == reviewer.id, Submission.journal_id == journal_id)
        .order_by(ReviewAssignment.invited_at.desc(), ReviewAssignment.id.desc())
    )
    return [MyAssignment(a, s) for a, s in rows]


def review_of(assignment: ReviewAssignment) -> Review | None:
    return assignment.review


def _check_attachment(filename: str, data: bytes, max_bytes: int) -> tuple[str, str]:
    try:
        name = submission_rules.clean_filename(filename)
    except submission_rules.SubmissionError as exc:
        raise ReviewError(exc.message) from None
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in ATTACHMENT_SUFFIXES:
        raise ReviewError(
            _(
                "An attachment must be one of these file types: ${types}.",
                mapping={"types": ", ".join(sorted(ATTACHMENT_SUFFIXES))},
            )
        )
    if len(data) > max_bytes:
        raise ReviewError(_("The attachment is too large."))
    try:
        submission_rules.check_content(suffix, data)
    except submission_rules.SubmissionError as exc:
        raise ReviewError(exc.message) from None
    return name, ATTACHMENT_SUFFIXES[suffix]


@dataclass(frozen=True)
class _Answers:
    """What the review form says, checked."""

    recommendation: Recommendation | None
    scores: dict[str, int]
    to_author: str
    to_editor: str


def save_review(
    db: Session,
    assignment: ReviewAssignment,
    form: Mapping[str, Any],
    *,
    submit: bool,
    storage: FileStorage | None = None,
    attachment: tuple[str, bytes] | None = None,
    max_bytes: int = submission_rules.DEFAULT_MAX_UPLOAD_BYTES,
    now: dt.datetime | None = None,
) -> Review:
    """Save the reviewer's form as a draft, or submit it (then it is final). Refuses a review
    on an assignment not accepted (declined, cancelled, still only invited), a second
    submission, and a submission without a recommendation or with a score out of range;
    on refusal nothing is saved (the assignment table says when:
    :mod:`frontiers_de.review.assignments`)."""
    move = "submit" if submit else "save_draft"
    reviewer = invited_reviewer(db, assignment)
    assignments.check(db, assignment, move, reviewer)
    submission = submission_of(db, assignment)
    answers = _read_answers(form, submit)
    stored = _store_attachment(db, storage, submission, assignment, attachment, max_bytes)
    review = assignment.review
    if review is None:
        review = Review(assignment_id=assignment.id)
        assignment.review = review
    review.recommendation = answers.recommendation
    review.scores = answers.scores
    review.comments_to_author = answers.to_author
    review.comments_to_editor = answers.to_editor
    if stored is not None:
        review.attachment_id = stored.id
    elif form.get("remove_attachment") == "yes":
        review.attachment_id = None
    now = now or utcnow()
    if submit:
        review.submitted_at = now
    db.flush()
    assignments.apply(db, assignment, move, reviewer, now=now)
    return review


def _read_answers(form: Mapping[str, Any], submit: bool) -> _Answers:
    """The recommendation, the scores and the comments; to submit, all of them but the
    comments to the editor are needed. Raises :class:`ReviewError`."""
    raw = str(form.get("recommendation") or "").strip()
    recommendation: Recommendation | None = None
    if raw:
        try:
            recommendation = Recommendation(raw)
        except ValueError:
            raise ReviewError(_("Choose one of the recommendations.")) from None
    scores: dict[str, int] = {}
    for key in CRITERIA:
        value = str(form.get(f"score_{key}") or "").strip()
        if not value:
            continue
        if not value.isdigit() or int(value) not in SCORES:
            raise ReviewError(_("Each score is a whole number from 1 to 5."))
        scores[key] = int(value)
    to_author = clean_text(form.get("comments_to_author"), MAX_TEXT)
    to_editor = clean_text(form.get("comments_to_editor"), MAX_TEXT)
    if submit:
        if recommendation is None:
            raise ReviewError(_("Choose a recommendation before submitting the review."))
        missing = [k for k in CRITERIA if k not in scores]
        if missing:
            raise ReviewError(_("Give a score for every criterion before submitting."))
        if not to_author:
            raise ReviewError(_("Write your comments to the author before submitting."))
    return _Answers(recommendation, scores, to_author, to_editor)


def _store_attachment(
    db: Session,
    storage: FileStorage | None,
    submission: Submission,
    assignment: ReviewAssignment,
    attachment: tuple[str, bytes] | None,
    max_bytes: int,
) -> ManuscriptFile | None:
    """The review's attachment, checked and stored in the assignment's round (None when
    none was sent)."""
    stored: ManuscriptFile | None = None
    if attachment is not None and attachment[0]:
        name, media_type = _check_attachment(attachment[0], attachment[1], max_bytes)
        assert storage is not None
        digest = storage.put(attachment[1])
        stored = ManuscriptFile(
            submission_id=submission.id,
            round_number=assignment.round.number,
            kind=FileKind.REVIEW_ATTACHMENT,
            filename=name,
            media_type=media_type,
            size=len(attachment[1]),
            sha256=digest,
            uploaded_by_id=assignment.reviewer_id,
        )
        db.add(stored)
        db.flush()
    return stored


def review_values(review: Review | None) -> dict[str, str]:
    if review is None:
        return {}
    values = {
        "recommendation": review.recommendation.value if review.recommendation else "",
        "comments_to_author": review.comments_to_author,
        "comments_to_editor": review.comments_to_editor,
    }
    for key, score in (review.scores or {}).items():
        values[f"score_{key}"] = str(score)
    return values


def attachment_of(db: Session, review: Review | None) -> ManuscriptFile | None:
    if review is None or review.attachment_id is None:
        return None
    return db.get(ManuscriptFile, review.attachment_id)


def attachments_by_review(db: Session, submission: Submission) -> dict[int, ManuscriptFile]:
    """The attachment of each review of the submission, by review id (editors only)."""
    out: dict[int, ManuscriptFile] = {}
    for rnd in rounds(db, submission):
        for a in rnd.assignments:
            row = attachment_of(db, a.review)
            if row is not None and a.review is not None:
                out[a.review.id] = row
    return out
