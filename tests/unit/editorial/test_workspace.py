"""The editor's workspace of one submission, assembled without HTTP: the actions are the
workflow table's (every move of the table is offered or said not to be, and never one the
table refuses now), the primary action is the one the paper waits for, the stages follow
the paper's life with their dates, the files are grouped by round and numbered by version,
the history is named, and panels added by other parts take their place (or stay out when
they have nothing to show). Also the SQL twin of ``workflow.may_handle`` the lists use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from pyramid.config import Configurator
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial import services, workflow, workspace
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.journals.models import Journal
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import FileKind, Submission, SubmissionState
from tests.factories import make_journal, make_user
from tests.notifications import bind_subscribers
from tests.review_factories import GOOD
from tests.submission_factories import ManuscriptFileFactory, SubmissionFactory

DUE = (dt.date.today() + dt.timedelta(days=14)).isoformat()
LETTER = "Thank you; please revise the paper as the reviewers ask."


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


@dataclass
class World:
    journal: Journal
    chief: User
    section_editor: User
    reviewer: User
    author: User
    paper: Submission


@pytest.fixture
def world(dbsession) -> World:
    journal = make_journal(dbsession)
    chief = make_user(dbsession, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    se = make_user(dbsession, "se@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
    reviewer = make_user(
        dbsession,
        "rev@example.org",
        roles=[Role.REVIEWER, Role.SECTION_EDITOR],
        journal=journal,
        given_name="Riya",
        family_name="Reviewer",
    )
    author = make_user(dbsession, "author@example.org")
    paper = SubmissionFactory(
        db=dbsession,
        journal=journal,
        submitter=author,
        title="A paper",
        uploads=[{"filename": "first.md"}],
    )
    return World(journal, chief, se, reviewer, author, paper)


def _review_in(db, world: World) -> None:
    invitation = review.invite(db, world.paper, world.chief, reviewer_id=world.reviewer.id, due=DUE)
    review.accept(db, invitation.assignment)
    review.save_review(db, invitation.assignment, GOOD, submit=True)


def test_every_move_of_the_table_is_offered_or_said_not_to_be():
    table = set(workflow.TRANSITIONS)
    assert set(workspace.MOVE_OFFERS) | set(workspace.NOT_OFFERED) == table
    assert not set(workspace.MOVE_OFFERS) & set(workspace.NOT_OFFERED)
    # The review steps are not moves of the table: no name is both.
    assert not set(workspace.STEP_OFFERS) & table


def test_the_primary_action_is_what_the_paper_waits_for():
    names = ["decide", "withdraw", "invite"]
    assert workspace.primary_action(names, reviews_in=1, active_reviewers=1) == "decide"
    assert workspace.primary_action(names, reviews_in=0, active_reviewers=0) == "invite"
    assert workspace.primary_action(names, reviews_in=0, active_reviewers=2) == "invite"
    assert workspace.primary_action(["send_to_review", "desk_reject"], 0, 0) == "send_to_review"
    assert workspace.primary_action(["withdraw"], 0, 0) is None  # nothing to push it on


def _names(ws: workspace.Workspace) -> list[str]:
    return [a.name for a in ws.band.actions]


def test_the_actions_follow_the_table_through_the_papers_life(dbsession, world):
    db, chief, paper = dbsession, world.chief, world.paper
    ws = workspace.build(db, paper, chief)
    assert _names(ws) == ["send_to_review", "desk_reject", "withdraw", "assign"]
    assert ws.band.primary is not None and ws.band.primary.name == "send_to_review"
    # A section editor may not assign a handling editor: not offered.
    assert "assign" not in _names(workspace.build(db, paper, world.section_editor))

    workflow.apply(db, paper, "send_to_review", chief)
    ws = workspace.build(db, paper, chief)
    assert ws.band.primary.name == "invite" and "decide" in _names(ws)
    assert ws.band.waiting is None and ws.band.next_due is None

    _review_in(db, world)
    ws = workspace.build(db, paper, chief)
    assert ws.band.primary.name == "decide" and ws.band.reviews_in == 1

    workflow.apply(db, paper, "decide", chief, decision=DecisionKind.MINOR_REVISION, letter=LETTER)
    ws = workspace.build(db, paper, chief)
    assert ws.band.primary is None and "withdraw" in _names(ws)
    assert "revision" in str(ws.band.waiting)
    for name in _names(ws):
        if name in workflow.TRANSITIONS:
            assert workflow.may(paper, name, chief)  # never a move the table refuses


def test_each_action_knows_its_route(world):
    send = workspace.Action("send_to_review", workspace.MOVE_OFFERS["send_to_review"])
    assert send.route_args(7) == {"action": "send_to_review", "submission_id": 7}
    publish = workspace.Action("publish", workspace.MOVE_OFFERS["publish"])
    assert publish.route_args(7) == {}
    invite = workspace.Action("invite", workspace.STEP_OFFERS["invite"])
    assert invite.route_args(7) == {"submission_id": 7, "_anchor": "invite-heading"}


def test_the_stages_follow_the_paper(dbsession, world):
    db, chief, paper = dbsession, world.chief, world.paper
    keys = [s.key for s in workspace.build(db, paper, chief).stages]
    assert keys == ["submission", "review", "decision", "production"]
    workflow.apply(db, paper, "send_to_review", chief)
    _review_in(db, world)
    workflow.apply(db, paper, "decide", chief, decision=DecisionKind.MAJOR_REVISION, letter=LETTER)
    stages = workspace.build(db, paper, chief).stages
    assert [s.key for s in stages][:2] == ["submission", "round-1"]
    assert stages[2].key.startswith("decision-")
    assert stages[2].detail == services.DECISION_LABELS[DecisionKind.MAJOR_REVISION]
    assert [s.key for s in stages][3:] == ["revision", "production"]
    assert [s.status for s in stages] == ["done", "done", "done", "current", "upcoming"]
    assert stages[1].started is not None and stages[1].ended is not None


def test_a_desk_rejection_ends_the_stages(dbsession, world):
    workflow.apply(dbsession, world.paper, "desk_reject", world.chief, letter="Out of scope.")
    stages = workspace.build(dbsession, world.paper, world.chief).stages
    assert stages[0].key == "submission"
    assert stages[1].key.startswith("decision-") and len(stages) == 2


def test_files_by_round_and_version(dbsession, world):
    db, paper = dbsession, world.paper
    for round_number, kind, name in (
        (0, FileKind.COVER_LETTER, "letter.txt"),
        (2, FileKind.MANUSCRIPT, "second.md"),
        (2, FileKind.RESPONSE_TO_REVIEWERS, "response.md"),
        (1, FileKind.REVIEW_ATTACHMENT, "notes.txt"),
        (3, FileKind.JATS, "article.xml"),
    ):
        ManuscriptFileFactory(
            db=db, submission=paper, round_number=round_number, kind=kind, filename=name
        )
    first = paper.files[0]
    ManuscriptFileFactory(
        db=db,
        submission=paper,
        round_number=0,
        kind=FileKind.ANONYMISED_MANUSCRIPT,
        filename="copy.md",
        source_id=first.id,
    )
    db.refresh(paper)
    rounds = workspace.file_rounds(paper)
    assert [(r.number, r.production) for r in rounds] == [
        (0, False),
        (1, False),
        (2, False),
        (0, True),
    ]
    lines = {line.row.filename: line for r in rounds for line in r.files}
    assert "copy.md" not in lines  # beside its original, not apart
    assert lines["first.md"].copy is not None and lines["first.md"].copy.filename == "copy.md"
    assert (lines["first.md"].version, lines["first.md"].current) == (1, False)
    assert (lines["second.md"].version, lines["second.md"].current) == (2, True)
    assert lines["first.md"].route == "submissions.file"
    assert lines["notes.txt"].route == "editorial.review_file"
    assert lines["article.xml"].route is None  # production's, not linked here
    assert lines["notes.txt"].version is None


def test_the_history_names_what_happened_and_to_whom(dbsession, world):
    db, chief, paper = dbsession, world.chief, world.paper
    workflow.apply(db, paper, "send_to_review", chief)
    _review_in(db, world)
    workflow.apply(db, paper, "decide", chief, decision=DecisionKind.ACCEPT, letter=LETTER)
    lines = workspace.build(db, paper, chief).history
    said = [(str(line.label), str(line.note)) for line in lines]
    assert said[0] == ("Decision", "Accept")
    assert ("Review submitted", "Riya Reviewer") in said
    assert said[-1][0] == "Sent to peer review"
    assert lines[-1].actor is not None and lines[-1].actor.id == chief.id


def test_overdue_is_the_deadline_engines_answer(dbsession, world):
    """One rule for "overdue" (the engine's, :mod:`frontiers_de.review.deadlines`): an
    invitation left unanswered past the journal's period is overdue though its review is
    due weeks later, an accepted review only once its date has passed; the reviewer lines,
    the band's count and the round's note all say so."""
    db, chief, paper = dbsession, world.chief, world.paper
    other = make_user(db, "rev2@example.org", roles=[Role.REVIEWER], journal=world.journal)
    workflow.apply(db, paper, "send_to_review", chief)
    unanswered = review.invite(db, paper, chief, reviewer_id=world.reviewer.id, due=DUE)
    accepted = review.invite(db, paper, chief, reviewer_id=other.id, due=DUE).assignment
    review.accept(db, accepted)
    invited_at = unanswered.assignment.invited_at.replace(tzinfo=dt.UTC)

    def late(ws: workspace.Workspace) -> dict[int, str]:
        return {line.assignment.id: str(line.late.label) for line in ws.reviewers if line.late}

    ws = workspace.build(db, paper, chief, now=invited_at + dt.timedelta(days=1))
    assert late(ws) == {} and ws.band.overdue == 0
    ws = workspace.build(db, paper, chief, now=invited_at + dt.timedelta(days=6))
    assert late(ws) == {unanswered.assignment.id: "Invitation unanswered"}
    assert ws.band.overdue == 1
    assert "1 overdue" in [n.interpolate() for n in ws.stages[1].notes]  # the round's note
    ws = workspace.build(db, paper, chief, now=invited_at + dt.timedelta(days=16))
    assert late(ws) == {
        unanswered.assignment.id: "Invitation unanswered",
        accepted.id: "Review overdue",
    }
    assert ws.band.overdue == 2
    # The paper's lines only: another paper's late invitation is not counted here.
    assert set(workspace.late_assignments(db, paper, invited_at + dt.timedelta(days=16))) == {
        unanswered.assignment.id,
        accepted.id,
    }
    # Answered or cancelled, nothing is owed: not overdue, whatever the date.
    review.decline(db, unanswered.assignment)
    ws = workspace.build(db, paper, chief, now=invited_at + dt.timedelta(days=16))
    assert set(late(ws)) == {accepted.id}


def test_the_older_overdue_rule_is_gone():
    assert not hasattr(review, "is_overdue")


def test_panels_are_added_in_order_and_left_out_when_they_have_nothing(dbsession, world):
    config = Configurator(settings={})
    config.add_directive("add_workspace_panel", workspace.add_panel)
    config.add_workspace_panel(
        workspace.Panel("notes", "x/_notes.html", workspace.SIDE, 5, lambda db, s, u: ["a note"])
    )
    config.add_workspace_panel(
        workspace.Panel("nothing", "x/_none.html", workspace.MAIN, 15, lambda db, s, u: None)
    )
    with pytest.raises(ValueError, match="already called"):
        workspace.add_panel(config, workspace.Panel("files", "y.html", workspace.MAIN, 1))
    with pytest.raises(ValueError, match="column"):
        workspace.add_panel(config, workspace.Panel("wide", "y.html", "middle", 1))
    shown = workspace.shown_panels(config.registry, dbsession, world.paper, world.chief)
    assert [p.panel.name for p in shown[workspace.SIDE]] == ["notes", "people", "pages"]
    assert shown[workspace.SIDE][0].facts == ["a note"]
    assert "nothing" not in [p.panel.name for p in shown[workspace.MAIN]]
    assert [p.panel.name for p in shown[workspace.MAIN]] == [
        "stages",
        "reviewers",
        "files",
        "history",
    ]


def test_the_lists_sql_twin_agrees_with_may_handle(dbsession, world):
    db, chief, paper = dbsession, world.chief, world.paper
    other = SubmissionFactory(db=db, journal=world.journal, submitter=world.author)
    workflow.apply(db, paper, "send_to_review", chief)
    review.invite(db, paper, chief, reviewer_id=world.reviewer.id, due=DUE)
    for editor in (chief, world.reviewer, world.section_editor, world.author):
        found = set(
            db.scalars(
                select(Submission.id).where(
                    workflow.handled_condition(db, paper.journal_id, editor)
                )
            )
        )
        expected = {s.id for s in (paper, other) if workflow.may_handle(s, editor)}
        assert found == expected, editor.email
    assert paper.id not in set(
        db.scalars(
            select(Submission.id).where(
                workflow.handled_condition(db, paper.journal_id, world.reviewer)
            )
        )
    )
    assert workflow.is_party(paper, world.reviewer) and workflow.is_party(paper, world.author)
    assert not workflow.is_party(paper, chief)
    assert paper.state is SubmissionState.UNDER_REVIEW
