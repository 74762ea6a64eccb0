"""Handling editors: the editor-in-chief assigns a paper to an editor (never one of its
authors), the assignment is recorded and the editor emailed; a section editor handles the
papers of their sections and those assigned to them, the same in the workflow's rule and
in the lists' SQL."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial import handling, services, workflow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.editorial.services import EditorialError
from frontiers_de.journals.models import Journal
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import make_journal, make_user
from tests.notifications import BASE, bind_subscribers, outbox
from tests.submission_factories import SubmissionFactory


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


@dataclass
class World:
    journal: Journal
    chief: User
    alice: User  # a section editor of the first section
    bob: User  # a section editor with no section: the whole journal
    author: User
    papers: list[Submission]  # in the first, second, first section


@pytest.fixture
def world(dbsession) -> World:
    journal = make_journal(dbsession)
    chief = make_user(dbsession, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    alice = make_user(
        dbsession,
        "alice@example.org",
        roles=[Role.SECTION_EDITOR],
        journal=journal,
        preferred_language="zh",
    )
    bob = make_user(dbsession, "bob@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
    author = make_user(dbsession, "author@example.org")
    first, second = journal.sections[0], journal.sections[1]
    papers = [
        SubmissionFactory(db=dbsession, journal=journal, submitter=author, section=section)
        for section in (first, second, first)
    ]
    handling.set_sections(dbsession, journal.id, alice, [first.id])
    return World(journal, chief, alice, bob, author, papers)


def test_the_chief_assigns_and_reassigns_and_the_editor_is_emailed(dbsession, world):
    paper = world.papers[1]
    event = handling.assign(dbsession, paper, world.chief, str(world.alice.id))
    assert paper.handling_editor_id == world.alice.id
    assert event.action == "assign_handling_editor"
    assert event.detail == {"editor_id": world.alice.id, "previous_editor_id": None}
    (mail,) = outbox(dbsession)
    assert mail.template == "editorial_handling_editor"
    assert mail.recipients == ["alice@example.org"]
    assert f"{BASE}/editorial/submissions/{paper.id}\n" in mail.body_text  # its workspace
    assert "责任编辑" in mail.subject  # her language
    # The same editor again: nothing to record, nobody to tell.
    assert handling.assign(dbsession, paper, world.chief, world.alice.id) is None
    # Reassigned: the previous editor is recorded; the chief choosing themselves gets no mail.
    handling.assign(dbsession, paper, world.chief, world.chief.id)
    assert len(outbox(dbsession)) == 1
    handling.assign(dbsession, paper, world.chief, "")
    assert paper.handling_editor_id is None
    steps = handling.history(dbsession, paper)
    assert [(s.editor, s.previous) for s in steps] == [
        (None, world.chief),
        (world.chief, world.alice),
        (world.alice, None),
    ]
    assert all(s.actor == world.chief for s in steps)


def test_an_author_of_the_paper_is_never_its_handling_editor(dbsession, world):
    coauthor = make_user(
        dbsession, "Co.Author@Example.org", roles=[Role.SECTION_EDITOR], journal=world.journal
    )
    paper = SubmissionFactory(
        db=dbsession,
        journal=world.journal,
        submitter=world.author,
        authors=[{"given_name": "Co", "family_name": "Author", "email": "co.author@example.org"}],
    )
    with pytest.raises(EditorialError, match="is an author of this paper"):
        handling.assign(dbsession, paper, world.chief, coauthor.id)
    assert coauthor not in [c.user for c in handling.candidates(dbsession, paper)]
    # Nor is a user without an editor's role, or an id that is not a user.
    for wrong in (world.author.id, 999999, "x", "1" * 30):
        with pytest.raises(EditorialError, match="journal's editors"):
            handling.assign(dbsession, paper, world.chief, wrong)
    assert paper.handling_editor_id is None
    assert dbsession.scalar(select(AuditEvent).where(AuditEvent.submission_id == paper.id)) is None


def test_only_the_chief_who_is_not_an_author_assigns(dbsession, world):
    with pytest.raises(EditorialError, match="Only the editor-in-chief"):
        handling.assign(dbsession, world.papers[0], world.alice, world.alice.id)
    own = SubmissionFactory(db=dbsession, journal=world.journal, submitter=world.chief)
    with pytest.raises(EditorialError, match="Only the editor-in-chief"):
        handling.assign(dbsession, own, world.chief, world.alice.id)
    draft = SubmissionFactory(
        db=dbsession, journal=world.journal, submitter=world.author, state=SubmissionState.DRAFT
    )
    with pytest.raises(EditorialError):
        handling.assign(dbsession, draft, world.chief, world.alice.id)


def _scoped(dbsession, world, editor):
    rows = dbsession.scalars(
        select(Submission.id).where(
            Submission.journal_id == world.journal.id,
            workflow.scope_condition(dbsession, world.journal.id, editor),
        )
    )
    return set(rows)


def test_a_section_editor_handles_their_sections_and_their_assignments(dbsession, world):
    first, second, third = world.papers
    ids = {p.id for p in world.papers}
    assert [workflow.may_handle(p, world.alice) for p in world.papers] == [True, False, True]
    assert _scoped(dbsession, world, world.alice) == {first.id, third.id}
    assert not workflow.may(second, "desk_reject", world.alice)
    # Assigned to her, the other section's paper is hers too.
    handling.assign(dbsession, second, world.chief, world.alice.id)
    assert workflow.may_handle(second, world.alice)
    assert workflow.may(second, "desk_reject", world.alice)
    assert _scoped(dbsession, world, world.alice) == ids
    # No section: the whole journal, as before sections were split; the chief sees all.
    assert all(workflow.may_handle(p, world.bob) for p in world.papers)
    assert _scoped(dbsession, world, world.bob) >= ids
    assert _scoped(dbsession, world, world.chief) >= ids
    assert _scoped(dbsession, world, None) == set()


def test_the_queue_shows_assigned_to_me_and_unassigned(dbsession, world):
    first, second, third = world.papers
    handling.assign(dbsession, first, world.chief, world.bob.id)
    handling.assign(dbsession, third, world.chief, world.alice.id)

    def queue(editor, shown=None):
        return [
            e.submission
            for e in services.new_submissions(dbsession, world.journal.id, editor, shown)
        ]

    assert queue(world.alice) == [first, third]
    assert queue(world.alice, "me") == [third]
    assert queue(world.alice, "unassigned") == []
    assert queue(world.chief, "unassigned") == [second]
    assert queue(world.bob, "me") == [first]
    assert services.in_review(dbsession, world.journal.id, world.alice, "me") == []


def test_sections_are_the_journals_and_only_for_section_editors(dbsession, world):
    chosen = handling.set_sections(
        dbsession, world.journal.id, world.bob, [world.journal.sections[1].id, "999999", "x"]
    )
    assert chosen == {world.journal.sections[1].id}
    assert handling.sections_by_editor(dbsession, world.journal.id)[world.bob.id] == chosen
    assert handling.set_sections(dbsession, world.journal.id, world.bob, []) == set()
    assert world.bob.id not in handling.sections_by_editor(dbsession, world.journal.id)
    with pytest.raises(EditorialError, match="Only section editors"):
        handling.set_sections(dbsession, world.journal.id, world.chief, [])
