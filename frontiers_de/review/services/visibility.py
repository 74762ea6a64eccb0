"""What a reviewer may see: whether the authors are hidden from reviewers (double-
anonymous) and reviewers named to authors (open review), and which files of the
manuscript a reviewer may open, under which names. The reviewer copies themselves are
made by :mod:`frontiers_de.submissions.services.anonymity`."""

from __future__ import annotations

from pathlib import PurePosixPath

from sqlalchemy.orm import Session

from frontiers_de.review import assignments
from frontiers_de.review.assignments import submission_of
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.submissions import services as submission_rules
from frontiers_de.submissions.models import ManuscriptFile, ReviewMode, Submission


def is_anonymous_to_reviewers(submission: Submission) -> bool:
    return submission.review_mode == ReviewMode.DOUBLE_ANONYMOUS


def reviewers_named(submission: Submission) -> bool:
    """Whether reviewers' names may be shown to authors and to the other reviewers."""
    return submission.review_mode == ReviewMode.OPEN


def may_read_manuscript(assignment: ReviewAssignment) -> bool:
    return assignment.state in assignments.READS_MANUSCRIPT


def assignment_files(db: Session, assignment: ReviewAssignment) -> list[ManuscriptFile]:
    """What the reviewer of ``assignment`` may open of the manuscript: nothing before
    accepting, then the files of the assignment's own round (never a later one)."""
    if not may_read_manuscript(assignment):
        return []
    return reviewer_files(submission_of(db, assignment), assignment.round.number)


files_of_round = submission_rules.files_of_round


def reviewer_files(submission: Submission, round_number: int | None = None) -> list[ManuscriptFile]:
    """The files a reviewer of round ``round_number`` (every round when None) may open:
    the reviewer copy of that round's newest manuscript, its newest response to the
    reviewers, every figure and supplementary file up to it
    (:func:`~frontiers_de.submissions.services.reviewer_originals`), hidden names removed.
    A reviewer of round 1 who is not invited again never sees what the authors send for
    round 2. In double-anonymous review only copies are given, and only cleaned ones: an
    original without a copy, or one the anonymiser could not clean, is withheld (the
    editor's page says so). In the other modes an original without a copy is given as it
    is."""
    double = is_anonymous_to_reviewers(submission)
    copies = submission_rules.reviewer_copies(submission)
    out: list[ManuscriptFile] = []
    for original in submission_rules.reviewer_originals(submission, round_number):
        copy = copies.get(original.id)
        cleaned = copy is not None and (copy.anonymisation or {}).get("cleaned", True)
        if copy is not None and (cleaned or not double):
            out.append(copy)
        elif not double:
            out.append(original)
    return out


def reviewer_filename(submission: Submission, row: ManuscriptFile, position: int) -> str:
    """The name a reviewer sees: in double-anonymous review a neutral one (an author's file
    name often carries their name), otherwise the uploaded one."""
    if not is_anonymous_to_reviewers(submission):
        return row.filename
    suffix = PurePosixPath(row.filename.lower()).suffix
    kind = submission_rules.COPY_SOURCE_KINDS.get(row.kind, row.kind).value.replace("_", "-")
    return f"submission-{submission.id}-{kind}-{position}{suffix}"
