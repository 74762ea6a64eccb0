"""Who takes part in which discussion of a paper, and whose name each of them is shown.

A paper's discussions are seen from three seats (:class:`~.models.Seat`), each with its own
pages:

* an editor who may handle the paper (``workflow.may_handle``: never one of its authors or
  reviewers) reads and writes every thread of it: with the authors, with each reviewer,
  and the editors' own notes;
* its author (the submitter, whose pages the submission's are) reads and writes the threads
  with the editors, once the paper is submitted;
* a reviewer reads and writes the threads of their own assignment while they review it:
  from accepting the invitation on, through and after submitting the review. Before an
  answer there is nothing to discuss but the invitation (its page has the answer); a
  declined or cancelled assignment closes its threads to the reviewer, and the editors
  keep them read-only.

Everyone else, and anyone asking for a thread of another paper or assignment, finds
nothing (the pages answer 404). Names follow the review mode: an author never sees a
reviewer's name, in double-anonymous review a reviewer never sees an author's, and the
editors' names are shown to everyone (:func:`shown_name`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.discussions.models import DiscussionThread, Seat, ThreadKind
from frontiers_de.editorial import workflow
from frontiers_de.review.assignments import READS_MANUSCRIPT, submission_of
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.review.services import is_anonymous_to_reviewers, may_use_reviewer_pages
from frontiers_de.security.permissions import CHIEF
from frontiers_de.submissions.models import Submission, SubmissionState

# The kinds of thread each seat may start (and read).
KINDS_OF_SEAT: dict[Seat, frozenset[ThreadKind]] = {
    Seat.EDITOR: frozenset(ThreadKind),
    Seat.AUTHOR: frozenset({ThreadKind.AUTHORS}),
    Seat.REVIEWER: frozenset({ThreadKind.REVIEWER}),
}


def is_paper_author(submission: Submission, user: User | None) -> bool:
    """Whether ``user`` takes part as the paper's author: its submitter, once submitted
    (a draft has nobody to discuss it with)."""
    return (
        user is not None
        and submission.submitter_id == user.id
        and submission.state != SubmissionState.DRAFT
    )


def reviewer_takes_part(assignment: ReviewAssignment) -> bool:
    """Whether the assignment's threads are open to its reviewer: accepted or submitted."""
    return assignment.state in READS_MANUSCRIPT


def is_taking_reviewer(assignment: ReviewAssignment, user: User | None) -> bool:
    """Whether ``user`` is the reviewer of ``assignment`` and may discuss it now (their own,
    accepted or submitted, with a confirmed address as every reviewer's page asks)."""
    return (
        user is not None
        and assignment.reviewer_id == user.id
        and reviewer_takes_part(assignment)
        and may_use_reviewer_pages(user)
    )


def may_open(seat: Seat, submission: Submission, user: User | None) -> bool:
    """Whether ``user`` may open the discussions of ``submission`` from ``seat`` (the
    reviewer's seat is asked of an assignment: :func:`is_taking_reviewer`)."""
    if seat == Seat.EDITOR:
        return workflow.may_handle(submission, user)
    if seat == Seat.AUTHOR:
        return is_paper_author(submission, user)
    return False


def workspace_panel(db: Session, submission: Submission, user: User | None) -> bool | None:
    """The facts of the workspace's Discussions panel: shown (True) to an editor who may open
    the paper's discussions, left out (None) for anyone else; its threads are the macro's
    (``discussion_threads``), read as the page renders."""
    return True if may_open(Seat.EDITOR, submission, user) else None


def may_read(
    thread: DiscussionThread,
    submission: Submission,
    user: User | None,
    seat: Seat,
    assignment: ReviewAssignment | None = None,
) -> bool:
    """Whether ``user``, from ``seat``, may read ``thread`` (of ``submission``; for the
    reviewer's seat, ``assignment`` is theirs)."""
    if thread.submission_id != submission.id or thread.kind not in KINDS_OF_SEAT[seat]:
        return False
    if seat == Seat.REVIEWER:
        return (
            assignment is not None
            and thread.assignment_id == assignment.id
            and is_taking_reviewer(assignment, user)
        )
    return may_open(seat, submission, user)


def may_post(
    db: Session,
    thread: DiscussionThread,
    submission: Submission,
    user: User | None,
    seat: Seat,
    assignment: ReviewAssignment | None = None,
) -> bool:
    """Whether ``user`` may write in ``thread``: who may read it, except that a thread with
    a reviewer who no longer reviews (declined, cancelled) stays read-only for the editors:
    the reviewer could not read the answer."""
    if not may_read(thread, submission, user, seat, assignment):
        return False
    if thread.kind == ThreadKind.REVIEWER:
        own = assignment if assignment is not None else _assignment(db, thread)
        return own is not None and reviewer_takes_part(own)
    return True


def _assignment(db: Session, thread: DiscussionThread) -> ReviewAssignment | None:
    if thread.assignment_id is None:
        return None
    return db.get(ReviewAssignment, thread.assignment_id)


def shown_name(
    poster_seat: Seat, viewer_seat: Seat, submission: Submission, same_person: bool
) -> bool:
    """Whether a viewer in ``viewer_seat`` is shown the name of someone who wrote from
    ``poster_seat`` (else only the seat: "A reviewer", "An author"). One's own name is
    always shown; an author never sees a reviewer's; in double-anonymous review a reviewer
    never sees an author's (nor, in any mode, another reviewer's); the editors' names are
    shown to everyone, and editors see every name."""
    if same_person or viewer_seat == Seat.EDITOR or poster_seat == Seat.EDITOR:
        return True
    if poster_seat == Seat.REVIEWER:
        return False
    # an author's message, read by a reviewer (the threads keep them apart; the rule holds)
    return not (viewer_seat == Seat.REVIEWER and is_anonymous_to_reviewers(submission))


# --- who hears of a new message ---------------------------------------------------------------


def _chiefs(db: Session, journal_id: int) -> list[User]:
    return list(
        db.scalars(
            select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(RoleAssignment.journal_id == journal_id, RoleAssignment.role.in_(CHIEF))
            .distinct()
            .order_by(User.id)
        )
    )


def _unique(users: Iterable[User | None]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.id not in seen:
            seen[user.id] = user
    return list(seen.values())


def editors_following(db: Session, thread: DiscussionThread, submission: Submission) -> list[User]:
    """The editors a thread's news goes to: the paper's handling editor and every editor
    who has written in it, who may still handle the paper."""
    posters = {m.author_id for m in thread.messages if m.seat == Seat.EDITOR and m.author_id}
    if submission.handling_editor_id is not None:
        posters.add(submission.handling_editor_id)
    users = [db.get(User, user_id) for user_id in sorted(posters)]
    return [u for u in _unique(users) if workflow.may_handle(submission, u)]


def recipients(
    db: Session, thread: DiscussionThread, submission: Submission, poster: User | None
) -> list[tuple[User, Seat]]:
    """Who is told of a new message in ``thread`` by ``poster``, each with the seat they
    read it from: the thread's other participants. When no editor follows the thread (no
    handling editor, no editor wrote in it), or an editors' note has nobody else to read
    it, the editors-in-chief are told, so a message never goes unheard."""
    poster_id = poster.id if poster is not None else None
    following = editors_following(db, thread, submission)
    editors = [u for u in following if u.id != poster_id]
    if not following or (not editors and thread.kind == ThreadKind.EDITORS):
        chiefs = _chiefs(db, submission.journal_id)
        editors = [u for u in chiefs if u.id != poster_id and workflow.may_handle(submission, u)]
    out = [(u, Seat.EDITOR) for u in editors]
    if thread.kind == ThreadKind.AUTHORS:
        author = db.get(User, submission.submitter_id)
        if author is not None and author.id != poster_id and is_paper_author(submission, author):
            out.append((author, Seat.AUTHOR))
    elif thread.kind == ThreadKind.REVIEWER:
        assignment = _assignment(db, thread)
        reviewer = db.get(User, assignment.reviewer_id) if assignment is not None else None
        if (
            assignment is not None
            and reviewer is not None
            and reviewer.id != poster_id
            and is_taking_reviewer(assignment, reviewer)
        ):
            out.append((reviewer, Seat.REVIEWER))
    return out


def assignment_submission(assignment: ReviewAssignment) -> Submission:
    """The paper of ``assignment`` (for the reviewer's seat)."""
    db = object_session(assignment)
    assert db is not None
    return submission_of(db, assignment)
