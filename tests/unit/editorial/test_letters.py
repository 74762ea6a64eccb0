"""The decision letter the editor edits: one pre-filled letter per kind of decision, from
the journal's template in the author's language with the reviews quoted; the edited letter
is stored with the decision and sent as written."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import letters, services, workflow
from frontiers_de.editorial.models import Decision
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from tests.factories import make_journal, make_user
from tests.notifications import SETTINGS, bind_subscribers, outbox
from tests.review_factories import GOOD, NOW, ReviewWorld, accepted
from tests.submission_factories import SubmissionFactory


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


@pytest.fixture
def world(dbsession) -> ReviewWorld:
    """A paper under review (as the review tests' world): its author, an editor, a reviewer."""
    journal = make_journal(dbsession)
    author = make_user(dbsession, "author@example.org", given_name="Ada")
    editor = make_user(dbsession, roles=[Role.SECTION_EDITOR], journal=journal)
    reviewer = make_user(dbsession, roles=[Role.REVIEWER], journal=journal)
    submission = SubmissionFactory(
        db=dbsession, journal=journal, submitter=author, title="Tutoring at scale"
    )
    workflow.apply(dbsession, submission, "send_to_review", editor)
    return ReviewWorld(journal, author, author, editor, reviewer, submission)


def _reviewed(db, world):
    review.save_review(db, accepted(db, world), GOOD, submit=True, now=NOW)


def test_one_letter_per_decision_in_the_authors_language(dbsession, world):
    _reviewed(dbsession, world)
    prefilled = letters.decision_letters(dbsession, SETTINGS, world.submission)
    assert set(prefilled) == {"accept", "minor_revision", "major_revision", "reject"}
    assert "decision is: reject" in prefilled["reject"].body
    assert "> The sampling needs a clearer account." in prefilled["accept"].body
    assert "No ethical concerns." not in prefilled["accept"].body  # confidential
    world.author.preferred_language = "zh"
    chinese = letters.decision_letters(dbsession, SETTINGS, world.submission)
    assert "编辑的决定是：大修" in chinese["major_revision"].body


def test_the_edited_letter_is_the_decision_and_the_email(dbsession, world):
    _reviewed(dbsession, world)
    services.decide(
        dbsession,
        world.submission,
        world.editor,
        "minor_revision",
        "",
        letter=("A minor revision", "Dear Ada,\n\nPlease answer the reviewer's point."),
    )
    decision = dbsession.query(Decision).one()
    assert (decision.letter_subject, decision.letter) == (
        "A minor revision",
        "Dear Ada,\n\nPlease answer the reviewer's point.",
    )
    (mail,) = outbox(dbsession, "editorial_decision")
    assert (mail.subject, mail.body_text) == (
        "A minor revision",
        "Dear Ada,\n\nPlease answer the reviewer's point.\n",
    )


def test_an_untouched_letter_of_another_kind_becomes_the_chosen_kinds():
    prefilled = {
        "accept": letters.EditedLetter("Accepted", "We accept it."),
        "reject": letters.EditedLetter("Rejected", "We reject it."),
    }
    assert services.letter_for_kind("reject", "Accepted", " We accept\r\nit. ", prefilled) == (
        "Rejected",
        "We reject it.",
    )
    edited = services.letter_for_kind("reject", "Mine", "We accept it, almost.", prefilled)
    assert edited == ("Mine", "We accept it, almost.")
    assert letters.chosen_decision("reject") == {"decision": "reject"}
    assert letters.chosen_decision("desk_reject") == {}
