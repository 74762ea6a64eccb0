"""The reviewers of a round hear the decision (editorial's subscriber of SubmissionMoved),
with the other reviewers' comments to the author when the journal shares them: never the
confidential comments, never their own, names only in open review; and the author gets a
receipt for a revision."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import services as editorial
from frontiers_de.editorial import workflow
from frontiers_de.review import services
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import ReviewMode
from tests.factories import make_journal, make_user
from tests.notifications import BASE, bind_subscribers, outbox
from tests.review_factories import DUE, GOOD, NOW, ReviewWorld
from tests.submission_factories import SubmissionFactory

LETTER = "Please revise the sampling section as the reviewers ask."


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


@pytest.fixture
def world(dbsession) -> ReviewWorld:
    """A paper under review, its author (Ada Author), an editor and a reviewer."""
    journal = make_journal(dbsession)
    author = make_user(dbsession, "author@example.org")
    editor = make_user(dbsession, roles=[Role.SECTION_EDITOR], journal=journal)
    reviewer = make_user(dbsession, roles=[Role.REVIEWER], journal=journal)
    submission = SubmissionFactory(
        db=dbsession,
        journal=journal,
        submitter=author,
        title="Tutoring at scale",
        authors=[{"given_name": "Ada", "family_name": "Author", "email": "author@example.org"}],
    )
    workflow.apply(dbsession, submission, "send_to_review", editor)
    return ReviewWorld(journal, author, author, editor, reviewer, submission)


def _review(db, world, reviewer, to_author, to_editor):
    invitation = services.invite(
        db, world.submission, world.editor, reviewer_id=reviewer.id, due=DUE, now=NOW
    )
    services.accept(db, invitation.assignment, now=NOW)
    answers = {**GOOD, "comments_to_author": to_author, "comments_to_editor": to_editor}
    services.save_review(db, invitation.assignment, answers, submit=True, now=NOW)
    return invitation.assignment


def _round(db, world, *, share=False, mode=ReviewMode.SINGLE_ANONYMOUS):
    world.journal.share_reviews_with_reviewers = share
    world.submission.review_mode = mode
    second = make_user(
        db,
        "second@example.org",
        roles=[Role.REVIEWER],
        journal=world.journal,
        given_name="Sam",
        family_name="Second",
    )
    late = make_user(db, "late@example.org", roles=[Role.REVIEWER], journal=world.journal)
    first = _review(db, world, world.reviewer, "First: the sampling is thin.", "SECRET ONE")
    other = _review(db, world, second, "Second: the tables need units.", "SECRET TWO")
    services.invite(db, world.submission, world.editor, reviewer_id=late.id, due=DUE, now=NOW)
    editorial.decide(db, world.submission, world.editor, "minor_revision", LETTER)
    mails = outbox(db, "editorial_decision_reviewers")
    return first, other, second, late, {tuple(m.recipients): m for m in mails}


def test_each_reviewer_who_reviewed_hears_the_decision(dbsession, world):
    first, _other, second, _late, mails = _round(dbsession, world)
    assert set(mails) == {(world.reviewer.email,), (second.email,)}  # not the unanswered one
    mail = mails[(world.reviewer.email,)]
    assert "minor revision" in mail.body_text
    assert f"{BASE}/reviews/{first.id}" in mail.body_text
    # Not shared by default: no one's comments.
    assert "Second: the tables" not in mail.body_text
    assert "SECRET" not in mail.body_text


def test_shared_reviews_are_the_others_comments_to_the_author_only(dbsession, world):
    _first, _other, second, _late, mails = _round(dbsession, world, share=True)
    mine = mails[(world.reviewer.email,)].body_text
    theirs = mails[(second.email,)].body_text
    assert "Reviewer 2:" in mine and "Second: the tables need units." in mine
    assert "First: the sampling is thin." not in mine  # not their own
    assert "Reviewer 1:" in theirs and "First: the sampling is thin." in theirs
    assert "Sam Second" not in mine  # the other reviewer's name, hidden outside open review
    for body in (mine, theirs):
        assert "SECRET" not in body  # never the confidential comments
        assert "Ada" not in body and world.author.email not in body


def test_open_review_names_the_other_reviewers(dbsession, world):
    _first, _other, _second, _late, mails = _round(
        dbsession, world, share=True, mode=ReviewMode.OPEN
    )
    assert "Reviewer 2 (Sam Second):" in mails[(world.reviewer.email,)].body_text


def test_the_reviewer_hears_in_their_language(dbsession, world):
    world.reviewer.preferred_language = "zh"
    _first, _other, _second, _late, mails = _round(dbsession, world)
    mail = mails[(world.reviewer.email,)]
    assert "您审阅的稿件已有决定" in mail.subject and "小修" in mail.body_text


def test_a_revision_gets_its_receipt(dbsession, world):
    editorial.decide(
        dbsession,
        world.submission,
        world.editor,
        "major_revision",
        LETTER,
        without_reviews=False,
    )
    workflow.apply(dbsession, world.submission, "resubmit", world.author)
    (receipt,) = outbox(dbsession, "submissions_revision_received")
    assert receipt.recipients == [world.author.email]
    assert "review round 2" in receipt.body_text
    assert f"{BASE}/submissions/{world.submission.id}" in receipt.body_text
