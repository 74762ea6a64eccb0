"""Who reads and writes which thread, whose name each viewer is shown, and who hears of a
new message (frontiers_de.discussions.access)."""

from __future__ import annotations

import pytest

from frontiers_de.discussions import access, services
from frontiers_de.discussions.models import Seat, ThreadKind
from frontiers_de.review import services as review
from frontiers_de.submissions.models import ReviewMode, SubmissionState

LIMIT = 10_000


def _start(db, world, kind: str, **kw):
    place = kw.pop("place", world.place(Seat.EDITOR))
    return services.start_thread(
        db,
        world.storage,
        place,
        kind,
        kw.pop("subject", f"About {kind}"),
        kw.pop("body", "A message."),
        assignment_id=kw.pop("assignment_id", world.assignment.id),
        max_bytes=LIMIT,
    )


@pytest.fixture
def threads(dbsession, world):
    return {kind.value: _start(dbsession, world, kind.value) for kind in ThreadKind}


def _reads(world, thread, seat, user, assignment=None):
    return access.may_read(thread, world.submission, user, seat, assignment)


def test_editors_read_every_thread_authors_and_reviewers_only_theirs(dbsession, world, threads):
    a, r, e = threads["authors"], threads["reviewer"], threads["editors"]
    for thread in (a, r, e):
        assert _reads(world, thread, Seat.EDITOR, world.editor)
        assert _reads(world, thread, Seat.EDITOR, world.chief)
    assert _reads(world, a, Seat.AUTHOR, world.author)
    assert not _reads(world, r, Seat.AUTHOR, world.author)
    assert not _reads(world, e, Seat.AUTHOR, world.author)
    assert _reads(world, r, Seat.REVIEWER, world.reviewer, world.assignment)
    assert not _reads(world, a, Seat.REVIEWER, world.reviewer, world.assignment)
    assert not _reads(world, e, Seat.REVIEWER, world.reviewer, world.assignment)


def test_nobody_reads_from_a_seat_that_is_not_theirs(dbsession, world, threads):
    a, r = threads["authors"], threads["reviewer"]
    # The author is no editor of their paper; the reviewer is no author; the editor is no
    # reviewer; the invited reviewer has not accepted; another reviewer's assignment.
    assert not _reads(world, a, Seat.EDITOR, world.author)
    assert not _reads(world, a, Seat.AUTHOR, world.reviewer)
    assert not _reads(world, a, Seat.AUTHOR, world.editor)
    assert not _reads(world, r, Seat.REVIEWER, world.editor, world.assignment)
    assert not _reads(world, r, Seat.REVIEWER, world.pending, world.pending_assignment)
    assert not _reads(world, r, Seat.REVIEWER, world.pending, world.assignment)
    assert not _reads(world, a, Seat.AUTHOR, None)


def test_a_thread_of_another_paper_is_read_by_nobody_here(dbsession, world, threads):
    thread = threads["authors"]
    other = services.Place(world.other, world.author, Seat.AUTHOR)
    assert not access.may_read(thread, other.submission, world.author, Seat.AUTHOR)
    assert not access.may_read(thread, world.other, world.editor, Seat.EDITOR)


def test_a_reviewer_takes_part_from_accepting_until_cancelled(dbsession, world, threads):
    r = threads["reviewer"]
    assert access.may_post(dbsession, r, world.submission, world.editor, Seat.EDITOR)
    review.cancel(dbsession, world.submission, world.assignment, world.chief)
    assert not _reads(world, r, Seat.REVIEWER, world.reviewer, world.assignment)
    # The editors keep the thread, read-only: its reviewer could not read an answer.
    assert _reads(world, r, Seat.EDITOR, world.editor)
    assert not access.may_post(dbsession, r, world.submission, world.editor, Seat.EDITOR)


def test_a_draft_has_no_author_discussion(dbsession, world):
    world.submission.state = SubmissionState.DRAFT
    assert not access.is_paper_author(world.submission, world.author)
    assert not access.may_open(Seat.EDITOR, world.submission, world.editor)


@pytest.mark.parametrize(
    ("poster", "viewer", "mode", "shown"),
    [
        (Seat.EDITOR, Seat.AUTHOR, ReviewMode.DOUBLE_ANONYMOUS, True),
        (Seat.EDITOR, Seat.REVIEWER, ReviewMode.DOUBLE_ANONYMOUS, True),
        (Seat.REVIEWER, Seat.EDITOR, ReviewMode.DOUBLE_ANONYMOUS, True),
        (Seat.AUTHOR, Seat.EDITOR, ReviewMode.DOUBLE_ANONYMOUS, True),
        (Seat.REVIEWER, Seat.AUTHOR, ReviewMode.SINGLE_ANONYMOUS, False),
        (Seat.REVIEWER, Seat.AUTHOR, ReviewMode.OPEN, False),
        (Seat.AUTHOR, Seat.REVIEWER, ReviewMode.DOUBLE_ANONYMOUS, False),
        (Seat.AUTHOR, Seat.REVIEWER, ReviewMode.SINGLE_ANONYMOUS, True),
        (Seat.REVIEWER, Seat.REVIEWER, ReviewMode.SINGLE_ANONYMOUS, False),
    ],
)
def test_whose_name_is_shown(world, poster, viewer, mode, shown):
    world.submission.review_mode = mode
    assert access.shown_name(poster, viewer, world.submission, same_person=False) is shown
    assert access.shown_name(poster, viewer, world.submission, same_person=True)


def test_the_handling_editor_and_the_author_hear_of_each_other(dbsession, world, threads):
    a = threads["authors"]
    told = access.recipients(dbsession, a, world.submission, world.editor)
    assert told == [(world.author, Seat.AUTHOR)]
    told = access.recipients(dbsession, a, world.submission, world.author)
    assert told == [(world.editor, Seat.EDITOR)]


def test_a_reviewer_thread_reaches_its_reviewer_and_the_editors_who_wrote(
    dbsession, world, threads
):
    r = threads["reviewer"]
    services.reply(
        dbsession,
        world.storage,
        r,
        world.place(Seat.EDITOR, world.chief),
        "Me too.",
        max_bytes=LIMIT,
    )
    told = access.recipients(dbsession, r, world.submission, world.reviewer)
    assert sorted(u.email for u, _seat in told) == ["chief@example.org", "se@example.org"]
    told = access.recipients(dbsession, r, world.submission, world.editor)
    assert (world.reviewer, Seat.REVIEWER) in told and world.author not in [u for u, _ in told]


def test_with_nobody_else_following_the_chiefs_are_told(dbsession, world, threads):
    e = threads["editors"]
    told = access.recipients(dbsession, e, world.submission, world.editor)
    assert told == [(world.chief, Seat.EDITOR)]
    # Without a handling editor, the author's message goes to the editor-in-chief.
    world.submission.handling_editor_id = None
    thread = _start(dbsession, world, "authors", place=world.place(Seat.AUTHOR))
    told = access.recipients(dbsession, thread, world.submission, world.author)
    assert told == [(world.chief, Seat.EDITOR)]
