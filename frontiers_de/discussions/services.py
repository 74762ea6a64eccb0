"""Discussions on a submission: start a thread, reply, attach files, read, and the lists
each participant sees (unread counts, the last message). Who may do what is
:mod:`frontiers_de.discussions.access`; every new message is announced
(:class:`~frontiers_de.discussions.events.DiscussionMessagePosted`) and emailed by a
subscriber (:mod:`frontiers_de.discussions.notifications`).

Input is checked before anything is written: an empty or too long subject or message, a
file of a type not allowed, too large, or not what its name says each raise
:class:`DiscussionError` with a message for the person, and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from frontiers_de import events
from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.discussions import access
from frontiers_de.discussions.events import DiscussionMessagePosted
from frontiers_de.discussions.models import (
    DiscussionAttachment,
    DiscussionMessage,
    DiscussionRead,
    DiscussionThread,
    Seat,
    ThreadKind,
)
from frontiers_de.i18n import _
from frontiers_de.review.models import ReviewAssignment, ReviewRound
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import Submission
from frontiers_de.submissions.services import SubmissionError, check_content, clean_filename
from frontiers_de.submissions.services.files import SUPPLEMENTARY_SUFFIXES, mib

MAX_SUBJECT = 200
MAX_BODY = 20000
MAX_FILES = 5
# What may be attached: the types an author may add as supplementary files, but a zip
# (there a LaTeX source's). Never HTML or SVG: a page or an image that runs script.
ATTACHMENT_SUFFIXES: dict[str, str] = {
    suffix: media for suffix, media in SUPPLEMENTARY_SUFFIXES.items() if suffix != ".zip"
}
KIND_LABELS: dict[ThreadKind, TranslationString] = {
    ThreadKind.AUTHORS: _("Editors and authors"),
    ThreadKind.REVIEWER: _("Editors and reviewer"),
    ThreadKind.EDITORS: _("Editors only"),
}
SEAT_LABELS: dict[Seat, TranslationString] = {
    Seat.EDITOR: _("Editor"),
    Seat.AUTHOR: _("Author"),
    Seat.REVIEWER: _("Reviewer"),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Upload = tuple[str, bytes]  # (the file's name, its bytes: at most max_bytes + 1 of them)


class DiscussionError(Exception):
    """Input the discussion refuses; ``message`` (a ``_()`` string) says why."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class NotInDiscussion(LookupError):
    """The user may not do this in this thread (the pages answer 404)."""


def clean_text(value: Any, limit: int, empty: TranslationString, too_long: Any) -> str:
    text = _CONTROL.sub("", str(value or "")).replace("\r\n", "\n").strip()
    if not text:
        raise DiscussionError(empty)
    if len(text) > limit:
        raise DiscussionError(too_long)
    return text


def clean_subject(value: Any) -> str:
    return " ".join(
        clean_text(
            value,
            MAX_SUBJECT,
            _("Give the discussion a subject."),
            _("The subject is too long: at most ${max} characters.", mapping={"max": MAX_SUBJECT}),
        ).split()
    )


def clean_body(value: Any) -> str:
    return clean_text(
        value,
        MAX_BODY,
        _("Write a message."),
        _("The message is too long: at most ${max} characters.", mapping={"max": MAX_BODY}),
    )


def check_upload(filename: str, data: bytes, max_bytes: int) -> tuple[str, str]:
    """The cleaned name and the media type of an attachment; :class:`DiscussionError` if
    it may not be attached (its type, its size, its content)."""
    try:
        name = clean_filename(filename)
        suffix = PurePosixPath(name.lower()).suffix
        if suffix not in ATTACHMENT_SUFFIXES:
            raise DiscussionError(
                _(
                    "${name}: a file of this type cannot be attached. Attach one of: ${types}.",
                    mapping={"name": name, "types": ", ".join(sorted(ATTACHMENT_SUFFIXES))},
                )
            )
        if len(data) > max_bytes:
            raise DiscussionError(
                _(
                    "${name} is too large: at most ${mib} MiB may be attached.",
                    mapping={"name": name, "mib": mib(max_bytes)},
                )
            )
        check_content(suffix, data)
    except SubmissionError as exc:
        raise DiscussionError(exc.message) from None
    return name, ATTACHMENT_SUFFIXES[suffix]


def _checked_uploads(uploads: Sequence[Upload], max_bytes: int) -> list[tuple[str, str, bytes]]:
    real = [(name, data) for name, data in uploads if name or data]
    if len(real) > MAX_FILES:
        raise DiscussionError(
            _("At most ${max} files may be attached to a message.", mapping={"max": MAX_FILES})
        )
    return [(*check_upload(name, data, max_bytes), data) for name, data in real]


@dataclass(frozen=True)
class Place:
    """Where someone stands in a paper's discussions: the paper, the user, the seat, and
    for a reviewer their assignment."""

    submission: Submission
    user: User | None
    seat: Seat
    assignment: ReviewAssignment | None = None


def _require_read(thread: DiscussionThread, place: Place) -> None:
    if not access.may_read(thread, place.submission, place.user, place.seat, place.assignment):
        raise NotInDiscussion()


def start_thread(
    db: Session,
    storage: FileStorage,
    place: Place,
    kind: Any,
    subject: Any,
    body: Any,
    uploads: Sequence[Upload] = (),
    *,
    assignment_id: Any = None,
    max_bytes: int,
    now: dt.datetime | None = None,
) -> DiscussionThread:
    """Start a thread of ``kind`` on the paper with its first message. An editor names the
    kind (with a reviewer: the assignment); an author's thread is with the editors, a
    reviewer's is on their own assignment."""
    submission, user = place.submission, place.user
    if place.seat == Seat.REVIEWER:
        kind, target = ThreadKind.REVIEWER, place.assignment
    elif place.seat == Seat.AUTHOR:
        kind, target = ThreadKind.AUTHORS, None
    else:
        kind, target = _editor_target(db, submission, kind, assignment_id)
    subject_text = clean_subject(subject)
    thread = DiscussionThread(
        journal_id=submission.journal_id,
        submission_id=submission.id,
        kind=kind,
        assignment_id=target.id if target is not None else None,
        subject=subject_text,
        started_by_id=user.id if user is not None else None,
    )
    if not access.may_post(db, thread, submission, user, place.seat, place.assignment):
        raise NotInDiscussion()
    body_text = clean_body(body)
    files = _checked_uploads(uploads, max_bytes)
    db.add(thread)
    db.flush()
    _write(db, storage, thread, place, body_text, files, now)
    return thread


def _editor_target(
    db: Session, submission: Submission, kind: Any, assignment_id: Any
) -> tuple[ThreadKind, ReviewAssignment | None]:
    try:
        chosen = ThreadKind(str(kind or ""))
    except ValueError:
        raise DiscussionError(
            _("Choose whom the discussion is with: the authors, a reviewer or the editors.")
        ) from None
    if chosen != ThreadKind.REVIEWER:
        return chosen, None
    target = None
    if str(assignment_id or "").isdigit():
        target = db.get(ReviewAssignment, int(assignment_id))
    offered = {a.id for a, _name in reviewer_choices(db, submission)}
    if target is None or target.id not in offered:
        raise DiscussionError(_("Choose a reviewer of this paper who has accepted the invitation."))
    return chosen, target


def reply(
    db: Session,
    storage: FileStorage,
    thread: DiscussionThread,
    place: Place,
    body: Any,
    uploads: Sequence[Upload] = (),
    *,
    max_bytes: int,
    now: dt.datetime | None = None,
) -> DiscussionMessage:
    """Add a message to ``thread``."""
    if not access.may_post(db, thread, place.submission, place.user, place.seat, place.assignment):
        raise NotInDiscussion()
    body_text = clean_body(body)
    files = _checked_uploads(uploads, max_bytes)
    return _write(db, storage, thread, place, body_text, files, now)


def _write(
    db: Session,
    storage: FileStorage,
    thread: DiscussionThread,
    place: Place,
    body: str,
    files: list[tuple[str, str, bytes]],
    now: dt.datetime | None,
) -> DiscussionMessage:
    at = now or utcnow()
    message = DiscussionMessage(
        author_id=place.user.id if place.user is not None else None,
        seat=place.seat,
        body=body,
        created_at=at,
    )
    for name, media_type, data in files:
        message.attachments.append(
            DiscussionAttachment(
                filename=name, media_type=media_type, size=len(data), sha256=storage.put(data)
            )
        )
    thread.messages.append(message)
    thread.last_message_at = at
    db.flush()
    if place.user is not None:
        mark_read(db, thread, place.user)
    events.notify(
        DiscussionMessagePosted(
            db=db, submission=place.submission, thread=thread, message=message, actor=place.user
        )
    )
    return message


def mark_read(db: Session, thread: DiscussionThread, user: User) -> None:
    """Remember that ``user`` has seen every message of ``thread`` so far."""
    newest = max((m.id for m in thread.messages), default=0)
    row = db.scalar(
        select(DiscussionRead).where(
            DiscussionRead.thread_id == thread.id, DiscussionRead.user_id == user.id
        )
    )
    if row is None:
        db.add(DiscussionRead(thread_id=thread.id, user_id=user.id, last_message_id=newest))
    elif row.last_message_id < newest:
        row.last_message_id = newest
        row.read_at = utcnow()
    db.flush()


def reviewer_choices(db: Session, submission: Submission) -> list[tuple[ReviewAssignment, str]]:
    """The assignments an editor may start a thread on (the reviewer reviews: accepted or
    submitted), with the reviewer's name and round, newest round first."""
    rows = db.execute(
        select(ReviewAssignment, User, ReviewRound.number)
        .join(ReviewRound, ReviewAssignment.round_id == ReviewRound.id)
        .join(User, User.id == ReviewAssignment.reviewer_id)
        .where(ReviewRound.submission_id == submission.id)
        .order_by(ReviewRound.number.desc(), ReviewAssignment.id)
    ).all()
    return [
        (a, f"{user.display_name} · {number}")
        for a, user, number in rows
        if access.reviewer_takes_part(a)
    ]


# --- what each participant sees ----------------------------------------------------------------


@dataclass
class ShownMessage:
    message: DiscussionMessage
    name: str | None  # None: hidden from this viewer (the seat is shown instead)
    mine: bool
    unread: bool


@dataclass
class ThreadSummary:
    thread: DiscussionThread
    messages: int
    unread: int
    last_at: dt.datetime
    last_name: str | None
    last_seat: Seat | None
    reviewer: str | None = None  # for editors: the reviewer a reviewer thread is with


def threads_query(place: Place) -> Any:
    """The threads of the paper ``place`` may see, newest activity first."""
    query = (
        select(DiscussionThread)
        .options(selectinload(DiscussionThread.messages))
        .where(
            DiscussionThread.submission_id == place.submission.id,
            DiscussionThread.kind.in_(access.KINDS_OF_SEAT[place.seat]),
        )
    )
    if place.seat == Seat.REVIEWER:
        assert place.assignment is not None
        query = query.where(DiscussionThread.assignment_id == place.assignment.id)
    return query.order_by(DiscussionThread.last_message_at.desc(), DiscussionThread.id.desc())


def _users(db: Session, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))}


def _name(
    message: DiscussionMessage, users: dict[int, User], place: Place
) -> tuple[str | None, bool]:
    viewer_id = place.user.id if place.user is not None else None
    mine = message.author_id is not None and message.author_id == viewer_id
    poster = users.get(message.author_id) if message.author_id is not None else None
    if poster is None or not access.shown_name(message.seat, place.seat, place.submission, mine):
        return None, mine
    return poster.display_name, mine


def _last_read(db: Session, threads: Sequence[DiscussionThread], user: User | None) -> dict:
    if user is None or not threads:
        return {}
    rows = db.scalars(
        select(DiscussionRead).where(
            DiscussionRead.user_id == user.id,
            DiscussionRead.thread_id.in_([t.id for t in threads]),
        )
    )
    return {r.thread_id: r.last_message_id for r in rows}


def summaries(db: Session, place: Place) -> list[ThreadSummary]:
    """The threads ``place`` may see with their counts, unread messages and last message
    (its poster's name as this viewer may see it)."""
    if place.seat != Seat.REVIEWER and not access.may_open(
        place.seat, place.submission, place.user
    ):
        return []
    if place.seat == Seat.REVIEWER and (
        place.assignment is None or not access.is_taking_reviewer(place.assignment, place.user)
    ):
        return []
    threads = list(db.scalars(threads_query(place)))
    read = _last_read(db, threads, place.user)
    assignments = _assignments(db, threads)
    ids = {m.author_id for t in threads for m in t.messages if m.author_id}
    users = _users(db, ids | {a.reviewer_id for a in assignments.values()})
    out = []
    for thread in threads:
        last = thread.messages[-1] if thread.messages else None
        seen = read.get(thread.id, 0)
        unread = [
            m
            for m in thread.messages
            if m.id > seen and not (place.user is not None and m.author_id == place.user.id)
        ]
        name = _name(last, users, place)[0] if last is not None else None
        reviewer = None
        if place.seat == Seat.EDITOR and thread.assignment_id in assignments:
            who = users.get(assignments[thread.assignment_id].reviewer_id)
            reviewer = who.display_name if who is not None else None
        out.append(
            ThreadSummary(
                thread=thread,
                messages=len(thread.messages),
                unread=len(unread),
                last_at=thread.last_message_at,
                last_name=name,
                last_seat=last.seat if last is not None else None,
                reviewer=reviewer,
            )
        )
    return out


def _assignments(db: Session, threads: Sequence[DiscussionThread]) -> dict[int, ReviewAssignment]:
    ids = {t.assignment_id for t in threads if t.assignment_id is not None}
    if not ids:
        return {}
    return {
        a.id: a for a in db.scalars(select(ReviewAssignment).where(ReviewAssignment.id.in_(ids)))
    }


def open_thread(db: Session, thread: DiscussionThread, place: Place) -> list[ShownMessage]:
    """The messages of ``thread`` as ``place`` sees them (names hidden by the review mode,
    the unread ones marked), and the thread marked read for them."""
    _require_read(thread, place)
    read = _last_read(db, [thread], place.user).get(thread.id, 0)
    users = _users(db, {m.author_id for m in thread.messages if m.author_id})
    shown = []
    for message in thread.messages:
        name, mine = _name(message, users, place)
        shown.append(ShownMessage(message, name, mine, unread=not mine and message.id > read))
    if place.user is not None:
        mark_read(db, thread, place.user)
    return shown


def thread_reviewer(db: Session, thread: DiscussionThread) -> tuple[User | None, Any]:
    """For an editor: the reviewer a reviewer thread is with, and their assignment."""
    if thread.assignment_id is None:
        return None, None
    assignment = db.get(ReviewAssignment, thread.assignment_id)
    if assignment is None:
        return None, None
    return db.get(User, assignment.reviewer_id), assignment


def attachment_of(
    db: Session, thread: DiscussionThread, attachment_id: int
) -> DiscussionAttachment | None:
    """The attachment ``attachment_id`` if it is one of ``thread``'s messages' (else None:
    an attachment of another thread is not there)."""
    row = db.get(DiscussionAttachment, attachment_id)
    if row is None or row.message.thread_id != thread.id:
        return None
    return row
