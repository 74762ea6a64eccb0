"""One round's reviews side by side (review.services.comparison): the submitted reviews in
invitation order with their scores and the means, the invitations still open (late ones
flagged), the invitations by state and the tally of recommendations; earlier rounds by
number."""

from __future__ import annotations

import datetime as dt

from frontiers_de.editorial import services as editorial
from frontiers_de.editorial import workflow
from frontiers_de.review import services
from frontiers_de.review.models import AssignmentState, Recommendation
from frontiers_de.security.roles import Role
from tests.factories import make_user
from tests.review_factories import DUE, GOOD, NOW, ReviewWorld
from tests.submission_factories import SubmissionFactory

LETTER = "Thank you for your paper; please revise it as the reviewers ask."


def reviewer(db, w: ReviewWorld, name: str):
    return make_user(db, f"{name.lower()}@example.org", roles=[Role.REVIEWER], journal=w.journal)


def reviewed(db, w: ReviewWorld, who, **form: str):
    """``who`` invited, accepting and submitting a review (GOOD, changed by ``form``)."""
    invitation = services.invite(db, w.submission, w.editor, reviewer_id=who.id, due=DUE, now=NOW)
    services.accept(db, invitation.assignment, now=NOW)
    services.save_review(db, invitation.assignment, {**GOOD, **form}, submit=True, now=NOW)
    return invitation.assignment


def test_no_round_no_comparison(dbsession, world):
    # A paper not sent to review has no round; the world's paper has only round 1.
    fresh = SubmissionFactory(db=dbsession, journal=world.journal, submitter=world.author)
    assert services.round_numbers(dbsession, fresh) == []
    assert services.compare_round(dbsession, fresh) is None
    assert services.round_numbers(dbsession, world.submission) == [1]
    assert services.compare_round(dbsession, world.submission, 2) is None


def test_the_round_compared(dbsession, world):
    w = world
    first = reviewed(dbsession, w, w.reviewer)
    second = reviewed(
        dbsession,
        w,
        reviewer(dbsession, w, "Bo"),
        recommendation="reject",
        score_originality="2",
        score_rigour="2",
        comments_to_editor="",
    )
    # A third reviewer accepted and is writing (a draft does not count); a fourth declined.
    writing = services.invite(
        dbsession, w.submission, w.editor, reviewer_id=reviewer(dbsession, w, "Cy").id, due=DUE
    ).assignment
    services.accept(dbsession, writing, now=NOW)
    services.save_review(dbsession, writing, {"recommendation": "accept"}, submit=False, now=NOW)
    declined = services.invite(
        dbsession, w.submission, w.editor, reviewer_id=reviewer(dbsession, w, "Di").id, due=DUE
    ).assignment
    services.decline(dbsession, declined, "On leave.", now=NOW)

    c = services.compare_round(dbsession, w.submission, now=NOW)
    assert c is not None and c.round.number == 1 and c.latest and c.is_open
    assert [(r.number, r.assignment) for r in c.reviews] == [(1, first), (2, second)]
    assert c.reviews[0].reviewer == w.reviewer
    assert c.reviews[0].review.comments_to_editor == "No ethical concerns."
    assert [r.recommendation for r in c.reviews] == [
        Recommendation.MINOR_REVISION,
        Recommendation.REJECT,
    ]
    assert [(i.assignment, i.overdue) for i in c.invitations] == [
        (writing, False),
        (declined, False),
    ]
    assert c.states == {
        AssignmentState.ACCEPTED: 1,
        AssignmentState.DECLINED: 1,
        AssignmentState.SUBMITTED: 2,
    }
    assert c.tally == {
        Recommendation.ACCEPT: 0,
        Recommendation.MINOR_REVISION: 1,
        Recommendation.MAJOR_REVISION: 0,
        Recommendation.REJECT: 1,
    }
    assert c.unanimous is None
    assert c.criteria == ["originality", "rigour", "clarity", "relevance"]
    assert c.means == {"originality": 3.0, "rigour": 2.5, "clarity": 5.0, "relevance": 4.0}

    # After the due date the reviewer still writing is late; the one who declined is not.
    late = dt.datetime(2027, 1, 10, tzinfo=dt.UTC)
    c = services.compare_round(dbsession, w.submission, now=late)
    assert [i.overdue for i in c.invitations] == [True, False]


def test_earlier_rounds_by_number_and_closed(dbsession, world):
    w = world
    reviewed(dbsession, w, w.reviewer)
    editorial.decide(dbsession, w.submission, w.editor, "minor_revision", LETTER)
    workflow.apply(dbsession, w.submission, "resubmit", w.author)
    assert services.round_numbers(dbsession, w.submission) == [1, 2]

    latest = services.compare_round(dbsession, w.submission, now=NOW)
    assert latest.round.number == 2 and latest.latest and latest.is_open
    assert latest.reviews == [] and latest.states == {} and latest.unanimous is None
    assert set(latest.tally.values()) == {0} and latest.criteria == [] and latest.means == {}

    earlier = services.compare_round(dbsession, w.submission, 1, now=NOW)
    assert earlier.round.number == 1 and not earlier.latest and not earlier.is_open
    assert earlier.unanimous == Recommendation.MINOR_REVISION
    assert services.compare_round(dbsession, w.submission, 3) is None


def test_an_open_invitation_of_a_closed_round_is_not_late(dbsession, world):
    w = world
    reviewed(dbsession, w, w.reviewer)
    waiting = services.invite(
        dbsession, w.submission, w.editor, reviewer_id=reviewer(dbsession, w, "Ed").id, due=DUE
    ).assignment
    editorial.decide(dbsession, w.submission, w.editor, "reject", LETTER)
    c = services.compare_round(
        dbsession, w.submission, 1, now=dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    )
    # The decision cancelled the invitation; nothing in a decided round is overdue.
    assert [(i.assignment, i.assignment.state, i.overdue) for i in c.invitations] == [
        (waiting, AssignmentState.CANCELLED, False)
    ]
