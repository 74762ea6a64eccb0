"""Editorial's own panels of the workspace, without HTTP: the deadlines panel gives the
paper's open deadlines only (another paper's stay out), earliest first, overdue as the
engine says, and stays out when nothing is open; the finder panel gives the first
suggestions while the paper is under review and stays out otherwise; the app registers
them, and the discussions panel, in their columns."""

from __future__ import annotations

import datetime as dt

import pytest
from pyramid.config import Configurator

from frontiers_de.deadlines.rules import DeadlineKind
from frontiers_de.editorial import workflow, workspace, workspace_panels
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from tests.factories import make_journal, make_user
from tests.notifications import bind_subscribers
from tests.submission_factories import SubmissionFactory

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


@pytest.fixture
def world(dbsession):
    journal = make_journal(dbsession)
    chief = make_user(dbsession, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    reviewers = [
        make_user(dbsession, f"rev{n}@example.org", roles=[Role.REVIEWER], journal=journal)
        for n in range(1, 5)
    ]
    for reviewer in reviewers[:3]:
        reviewer.research_interests = ["blended learning"]
    reviewers[3].research_interests = ["library science"]  # matches nothing here
    author = make_user(dbsession, "author@example.org")
    papers = [
        SubmissionFactory(
            db=dbsession,
            journal=journal,
            submitter=author,
            title=f"Blended learning in rural schools {n}",
            keywords=["blended learning"],
        )
        for n in (1, 2)
    ]
    return journal, chief, reviewers, papers


def test_the_deadlines_are_the_papers_own_earliest_first(dbsession, world):
    _journal, chief, (r1, r2, *_), (paper, other) = world
    now = dt.datetime.now(dt.UTC)
    assert workspace_panels.deadline_facts(dbsession, paper, chief, now) is None  # none open
    for s in (paper, other):
        workflow.apply(dbsession, s, "send_to_review", chief)
    due = (now + 20 * DAY).date()
    review.invite(dbsession, paper, chief, reviewer_id=r1.id, due=due, now=now - 8 * DAY)
    accepted = review.invite(dbsession, paper, chief, reviewer_id=r2.id, due=due).assignment
    review.accept(dbsession, accepted)
    review.invite(dbsession, other, chief, reviewer_id=r1.id, due=due)

    facts = workspace_panels.deadline_facts(dbsession, paper, chief, now)
    assert facts is not None and facts.now == now
    assert [line.deadline.kind for line in facts.lines] == [
        DeadlineKind.INVITATION,
        DeadlineKind.REVIEW,
    ]
    assert {line.deadline.submission_id for line in facts.lines} == {paper.id}
    late, in_time = facts.lines
    assert (late.overdue, late.days_overdue) == (True, 3)  # five days' period, eight gone
    assert (in_time.overdue, in_time.days_overdue) == (False, 0)
    assert str(late.what) == "Unanswered review invitation" and facts.overdue == 1


def test_a_revision_owed_is_a_deadline_of_the_paper(dbsession, world):
    _journal, chief, _reviewers, (paper, _other) = world
    workflow.apply(dbsession, paper, "send_to_review", chief)
    workflow.apply(
        dbsession, paper, "decide", chief, decision=DecisionKind.MAJOR_REVISION, letter="Revise."
    )
    facts = workspace_panels.deadline_facts(dbsession, paper, chief)
    assert facts is not None
    assert [line.deadline.kind for line in facts.lines] == [DeadlineKind.MAJOR_REVISION]


def test_the_finder_suggests_only_while_the_paper_is_under_review(dbsession, world):
    _journal, chief, reviewers, (paper, _other) = world
    assert workspace_panels.finder_facts(dbsession, paper, chief) is None  # submitted
    workflow.apply(dbsession, paper, "send_to_review", chief)
    due = (dt.date.today() + 20 * DAY).isoformat()
    review.invite(dbsession, paper, chief, reviewer_id=reviewers[0].id, due=due)
    facts = workspace_panels.finder_facts(dbsession, paper, chief)
    assert facts is not None and facts.may_invite
    shown = {row.user.id for row in facts.rows}
    # Those who match and are not invited yet: not the one invited to the round, not the
    # one whose interests match nothing (a score of 0 is no suggestion).
    assert shown == {reviewers[1].id, reviewers[2].id}
    assert all(row.match.score > 0 for row in facts.rows)
    workflow.apply(dbsession, paper, "decide", chief, decision=DecisionKind.REJECT, letter="No.")
    assert workspace_panels.finder_facts(dbsession, paper, chief) is None


def test_the_app_registers_the_panels_in_their_columns():
    config = Configurator(settings={})
    config.include("frontiers_de.editorial")
    config.include("frontiers_de.discussions")
    placed = {p.name: (p.column, p.order) for p in workspace.panels(config.registry)}
    assert placed["deadlines"] == (workspace.SIDE, 5)  # first in the side column
    assert placed["finder"][0] == workspace.MAIN
    assert placed["discussions"][0] == workspace.MAIN
    assert placed["reviewers"][1] < placed["finder"][1] < placed["files"][1]
    discussions = next(p for p in workspace.panels(config.registry) if p.name == "discussions")
    assert discussions.stylesheet == "frontiers_de:static/css/discussions.css"


def test_the_finder_shows_at_most_a_few(dbsession, world):
    journal, chief, _reviewers, (paper, _other) = world
    for n in range(5, 10):
        make_user(
            dbsession, f"rev{n}@example.org", roles=[Role.REVIEWER], journal=journal
        ).research_interests = ["rural schools"]
    workflow.apply(dbsession, paper, "send_to_review", chief)
    facts = workspace_panels.finder_facts(dbsession, paper, chief)
    assert facts is not None and len(facts.rows) == workspace_panels.TOP_SUGGESTIONS
    scores = [row.match.score for row in facts.rows]
    assert scores == sorted(scores, reverse=True)  # the best first
