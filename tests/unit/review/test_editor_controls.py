"""The editor's controls on an invitation without HTTP: cancelling it (the link answers
"cancelled", a draft is kept read-only) and moving its due date later (the deadline engine
keys its reminders by the due date, so the new date gets its own); every refusal changes
nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from frontiers_de.deadlines import engine
from frontiers_de.review import services
from frontiers_de.review.models import AssignmentState
from frontiers_de.submissions.models import SubmissionState
from tests.factories import make_user
from tests.review_factories import GOOD, NOW, SETTINGS, accepted, invite

LATER = "2026-12-31"
REMINDER_SETTINGS = {"jinja2.directories": "templates", "fde.base_url": "http://journal.example"}


def test_an_unanswered_invitation_is_cancelled_and_its_link_stops_working(dbsession, world):
    invitation = invite(dbsession, world)
    a = services.cancel(dbsession, world.submission, invitation.assignment, world.editor)
    assert a.state == AssignmentState.CANCELLED
    with pytest.raises(services.InvitationLinkError) as exc:
        services.assignment_for_token(dbsession, invitation.token, SETTINGS, now=NOW)
    assert exc.value.reason == "cancelled"
    with pytest.raises(services.ReviewError, match="already been answered"):
        services.accept(dbsession, a, now=NOW)


def test_a_cancelled_review_keeps_its_draft_and_can_no_longer_be_written(dbsession, world):
    a = accepted(dbsession, world)
    services.save_review(dbsession, a, {"comments_to_author": "Half"}, submit=False, now=NOW)
    services.cancel(dbsession, world.submission, a, world.editor)
    assert a.review is not None and a.review.comments_to_author == "Half"
    with pytest.raises(services.ReviewError, match="cancelled this review"):
        services.save_review(dbsession, a, GOOD, submit=True, now=NOW)
    assert a.review.submitted_at is None and a.review.comments_to_author == "Half"


def submitted(db, w):
    a = accepted(db, w)
    services.save_review(db, a, GOOD, submit=True, now=NOW)
    return a


def declined(db, w):
    a = invite(db, w).assignment
    services.decline(db, a, now=NOW)
    return a


def cancelled(db, w):
    a = invite(db, w).assignment
    services.cancel(db, w.submission, a, w.editor)
    return a


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (submitted, "has been submitted"),
        (declined, "reviewer declined"),
        (cancelled, "already cancelled"),
    ],
)
def test_only_an_open_invitation_can_be_cancelled_or_moved(dbsession, world, make, message):
    a = make(dbsession, world)
    state, due = a.state, a.due_at
    with pytest.raises(services.ReviewError, match=message):
        services.cancel(dbsession, world.submission, a, world.editor)
    with pytest.raises(services.ReviewError, match=message):
        services.change_due(dbsession, world.submission, a, world.editor, LATER, now=NOW)
    assert (a.state, a.due_at) == (state, due)


def test_only_an_editor_of_the_journal_may_cancel_or_move(dbsession, world):
    a = accepted(dbsession, world)
    due = a.due_at
    for who in (None, world.reviewer, world.author, make_user(dbsession)):
        with pytest.raises(services.ReviewError, match="Only the journal's editors"):
            services.cancel(dbsession, world.submission, a, who)
        with pytest.raises(services.ReviewError, match="Only the journal's editors"):
            services.change_due(dbsession, world.submission, a, who, LATER, now=NOW)
    assert a.state == AssignmentState.ACCEPTED and a.due_at == due


def test_nothing_changes_on_a_closed_round(dbsession, world):
    a = accepted(dbsession, world)
    a.round.closed_at = NOW
    with pytest.raises(services.ReviewError, match="round is closed"):
        services.cancel(dbsession, world.submission, a, world.editor)
    with pytest.raises(services.ReviewError, match="round is closed"):
        services.change_due(dbsession, world.submission, a, world.editor, LATER, now=NOW)
    assert a.state == AssignmentState.ACCEPTED


def test_nothing_changes_once_the_paper_has_left_review(dbsession, world):
    a = accepted(dbsession, world)
    world.submission.state = SubmissionState.REJECTED
    with pytest.raises(services.ReviewError, match="round is closed"):
        services.cancel(dbsession, world.submission, a, world.editor)


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("", "as a date"),
        ("31/12/2026", "as a date"),
        ("2026-11-19", "after today"),  # the past
        ("2026-11-20", "after today"),  # today
        ("2026-12-10", "later than the current one"),  # earlier than the due date, 12-15
        ("2026-12-15", "later than the current one"),  # the same day
        ("2027-12-01", "too far away"),
    ],
)
def test_a_bad_new_due_date_is_refused_and_the_old_one_kept(dbsession, world, due, message):
    a = accepted(dbsession, world)
    old = a.due_at
    with pytest.raises(services.ReviewError, match=message):
        services.change_due(dbsession, world.submission, a, world.editor, due, now=NOW)
    assert a.due_at == old


def test_a_later_due_date_is_set_to_the_end_of_that_day(dbsession, world):
    a = invite(dbsession, world).assignment  # still unanswered: may be moved too
    services.change_due(dbsession, world.submission, a, world.editor, LATER, now=NOW)
    assert a.due_at.replace(tzinfo=dt.UTC) == dt.datetime(2026, 12, 31, 23, 59, tzinfo=dt.UTC)
    assert a.state == AssignmentState.INVITED


def test_a_new_due_date_gets_its_own_reminders(dbsession, world):
    a = accepted(dbsession, world)  # due 2026-12-15 23:59, accepted on 11-20
    reviewer_id = a.id

    def run(when):
        sent = engine.run(dbsession, REMINDER_SETTINGS, when)
        return [(r.stage, r.item_id) for r in sent if r.stage != engine.ESCALATE]

    late = dt.datetime(2026, 12, 16, 9, 0, tzinfo=dt.UTC)
    assert run(dt.datetime(2026, 12, 13, 9, 0, tzinfo=dt.UTC)) == [("before:3", reviewer_id)]
    assert run(late) == [("after:0", reviewer_id)]
    assert run(late + dt.timedelta(days=1)) == []

    services.change_due(dbsession, world.submission, a, world.editor, "2027-01-10", now=late)
    assert run(late + dt.timedelta(days=2)) == []  # no longer overdue
    assert run(dt.datetime(2027, 1, 8, 9, 0, tzinfo=dt.UTC)) == [("before:3", reviewer_id)]
    assert run(dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)) == [("after:0", reviewer_id)]


def test_the_invitation_reminder_is_not_sent_again_when_the_date_moves(dbsession, world):
    a = invite(dbsession, world).assignment  # invited at NOW: reminded five days on
    fifth = NOW + dt.timedelta(days=5)
    sent = engine.run(dbsession, REMINDER_SETTINGS, fifth)
    assert [(r.stage, r.item_id) for r in sent] == [("after:0", a.id)]
    services.change_due(dbsession, world.submission, a, world.editor, LATER, now=fifth)
    later = engine.run(dbsession, REMINDER_SETTINGS, fifth + dt.timedelta(hours=1))
    assert [r for r in later if r.stage != engine.ESCALATE] == []


def test_a_cancelled_assignment_is_never_reminded(dbsession, world):
    a = accepted(dbsession, world)
    services.cancel(dbsession, world.submission, a, world.editor)
    late = dt.datetime(2026, 12, 16, 9, 0, tzinfo=dt.UTC)
    assert engine.run(dbsession, REMINDER_SETTINGS, late) == []
