"""The editorial deadlines through the one engine, on a fixed clock: the decision due once
every review of the round is in (the handling editor reminded, else the editors-in-chief),
the author's revision due from a minor or major revision decision, and the editor-in-chief
told once a deadline is long overdue (never one who is an author of the paper); each
reminder and escalation once, on the journal's own rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.deadlines import engine, rules
from frontiers_de.deadlines.models import DeadlineNotice
from frontiers_de.deadlines.rules import DEFAULTS, DeadlineKind
from frontiers_de.editorial import handling, workflow
from frontiers_de.editorial import services as editorial
from frontiers_de.editorial.models import Decision
from frontiers_de.journals.models import Journal
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Contributor, Submission
from tests.factories import make_journal, make_user
from tests.review_factories import GOOD
from tests.submission_factories import SubmissionFactory

pytestmark = pytest.mark.db

T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
SETTINGS = {"jinja2.directories": "templates", "fde.base_url": "http://journal.example"}


@dataclass
class Paper:
    journal: Journal
    chief: User
    editor: User
    author: User
    reviewer: User
    submission: Submission


@pytest.fixture
def paper(dbsession) -> Paper:
    journal = make_journal(dbsession)
    chief = make_user(dbsession, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    editor = make_user(
        dbsession, "editor@example.org", roles=[Role.SECTION_EDITOR], journal=journal
    )
    author = make_user(dbsession, "author@example.org", preferred_language="zh")
    reviewer = make_user(dbsession, "rev@example.org", roles=[Role.REVIEWER], journal=journal)
    s = SubmissionFactory(
        db=dbsession,
        journal=journal,
        submitter=author,
        title="Peer tutoring",
        authors=[{"given_name": "Ada", "family_name": "Author", "email": "author@example.org"}],
    )
    workflow.apply(dbsession, s, "send_to_review", editor)
    return Paper(journal, chief, editor, author, reviewer, s)


def reviewed(db, p: Paper, at: dt.datetime = T0) -> None:
    """One reviewer invited, accepting and reviewing at ``at``."""
    a = review.invite(
        db, p.submission, p.editor, reviewer_id=p.reviewer.id, due="2026-06-01", now=at - DAY
    ).assignment
    review.accept(db, a, now=at - DAY)
    review.save_review(db, a, GOOD, submit=True, now=at)


def decided(db, p: Paper, kind: str) -> Decision:
    """The editor asks for a revision (``kind``), as of T0."""
    editorial.decide(db, p.submission, p.editor, kind, "Please revise the sampling, then resend.")
    decision = db.scalar(select(Decision).where(Decision.submission_id == p.submission.id))
    decision.decided_at = T0
    db.flush()
    return decision


def run(db, when):
    return [(s.kind.value, s.stage) for s in engine.run(db, SETTINGS, when)]


def mails(db, template):
    return db.scalars(
        select(OutboxEmail).where(OutboxEmail.template == template).order_by(OutboxEmail.id)
    ).all()


def test_the_decision_is_due_once_every_review_is_in(dbsession, paper):
    reviewed(dbsession, paper)
    [d] = engine.open_deadlines(dbsession, T0, kinds=[DeadlineKind.DECISION])
    assert (d.item_id, d.started_at, d.due_at) == (
        paper.submission.current_round_id
        if hasattr(paper.submission, "current_round_id")
        else d.item_id,
        T0,
        T0 + 14 * DAY,
    )
    # A second reviewer still to answer: no decision is due yet.
    other = make_user(dbsession, roles=[Role.REVIEWER], journal=paper.journal)
    review.invite(
        dbsession, paper.submission, paper.editor, reviewer_id=other.id, due="2026-06-01", now=T0
    )
    assert engine.open_deadlines(dbsession, T0, kinds=[DeadlineKind.DECISION]) == []


def test_an_unassigned_decision_reminds_the_chief_and_an_assigned_one_its_editor(dbsession, paper):
    reviewed(dbsession, paper)
    assert run(dbsession, T0 + 13 * DAY) == []
    assert run(dbsession, T0 + 14 * DAY + dt.timedelta(hours=1)) == [("decision", "after:0")]
    [first] = mails(dbsession, "deadline_reminder")
    assert first.recipients == ["chief@example.org"]
    assert "decision on submission" in first.subject and "overdue" in first.subject
    assert f"/editorial/submissions/{paper.submission.id}/review" in first.body_text
    # Assigned now: the handling editor is reminded of the next stage (none after 0 by
    # default), and the editor-in-chief is told seven days overdue, once.
    handling.assign(dbsession, paper.submission, paper.chief, paper.editor.id)
    assert run(dbsession, T0 + 20 * DAY) == []
    assert run(dbsession, T0 + 21 * DAY + dt.timedelta(hours=2)) == [("decision", "escalate")]
    assert run(dbsession, T0 + 60 * DAY) == []
    [told] = mails(dbsession, "deadline_escalation")
    assert told.recipients == ["chief@example.org"]
    assert "Overdue for 7 days: a decision" in told.subject
    assert "handling editor" in told.body_text


def test_a_decision_reminder_goes_to_the_handling_editor(dbsession, paper):
    handling.assign(dbsession, paper.submission, paper.chief, paper.editor.id)
    reviewed(dbsession, paper)
    assert run(dbsession, T0 + 15 * DAY) == [("decision", "after:0")]
    [mail] = mails(dbsession, "deadline_reminder")
    assert mail.recipients == ["editor@example.org"]


def test_a_revision_is_due_by_its_kind_and_the_author_reminded_in_their_language(dbsession, paper):
    reviewed(dbsession, paper)
    editorial.decide(
        dbsession,
        paper.submission,
        paper.editor,
        "major_revision",
        "Please revise the sampling, then send it again.",
    )
    decision = dbsession.scalar(
        select(Decision).where(Decision.submission_id == paper.submission.id)
    )
    decision.decided_at = T0
    dbsession.flush()
    [d] = engine.open_deadlines(dbsession, T0)
    assert (d.kind, d.item_id, d.due_at) == (
        DeadlineKind.MAJOR_REVISION,
        decision.id,
        T0 + 60 * DAY,
    )
    assert run(dbsession, T0 + 46 * DAY) == [("major_revision", "before:14")]
    assert run(dbsession, T0 + 47 * DAY) == []
    assert run(dbsession, T0 + 57 * DAY) == [("major_revision", "before:3")]
    assert run(dbsession, T0 + 61 * DAY) == [("major_revision", "after:0")]
    assert run(dbsession, T0 + 90 * DAY + dt.timedelta(hours=1)) == [("major_revision", "escalate")]
    reminders = mails(dbsession, "deadline_reminder")
    assert [m.recipients for m in reminders] == [["author@example.org"]] * 3
    assert "修改稿" in reminders[0].subject and "截止" in reminders[0].subject
    assert "已逾期" in reminders[2].subject
    assert f"/submissions/{paper.submission.id}" in reminders[0].body_text
    notices = dbsession.scalars(select(DeadlineNotice.stage).order_by(DeadlineNotice.id)).all()
    assert notices == ["before:14", "before:3", "after:0", "escalate"]
    # The revision comes in: nothing more is due.
    workflow.apply(dbsession, paper.submission, "resubmit", paper.author)
    assert engine.open_deadlines(dbsession, T0 + 100 * DAY, kinds=rules.DeadlineKind) == []


def test_the_journals_own_rule_decides_when(dbsession, paper):
    values = rules.form_values(DEFAULTS.values())
    values.update(
        {
            "minor_revision-period": "10",
            "minor_revision-before": "",
            "minor_revision-after": "2",
            "minor_revision-escalate": "",
        }
    )
    rules.save_rules(dbsession, paper.journal.id, values)
    reviewed(dbsession, paper)
    editorial.decide(
        dbsession,
        paper.submission,
        paper.editor,
        "minor_revision",
        "Please revise the sampling, then send it again.",
    )
    decision = dbsession.scalar(
        select(Decision).where(Decision.submission_id == paper.submission.id)
    )
    decision.decided_at = T0
    dbsession.flush()
    assert run(dbsession, T0 + 11 * DAY) == []
    assert run(dbsession, T0 + 12 * DAY) == [("minor_revision", "after:2")]
    assert run(dbsession, T0 + 300 * DAY) == []  # never escalated


def test_an_editor_in_chief_who_wrote_the_paper_is_not_told(dbsession, paper):
    # The editor-in-chief is a co-author of the paper: never told of its deadlines.
    paper.submission.contributors.append(
        Contributor(given_name="Cy", family_name="Chief", email="CHIEF@example.org", position=2)
    )
    dbsession.flush()
    reviewed(dbsession, paper)
    assert run(dbsession, T0 + 30 * DAY) == [("decision", "after:0"), ("decision", "escalate")]
    assert mails(dbsession, "deadline_escalation") == []
    assert mails(dbsession, "deadline_reminder") == []
