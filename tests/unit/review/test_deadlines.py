"""Review deadlines through the one engine (frontiers_de.deadlines.engine): an unanswered
invitation reminded on the rule's day (with fresh links), a review reminded before and after
its due date; each stage once per assignment, nothing for closed rounds, declined or
submitted assignments; the beat runs them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from frontiers_de.deadlines import engine
from frontiers_de.editorial import workflow
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.review import services
from frontiers_de.review.models import AssignmentState
from frontiers_de.security.roles import Role
from frontiers_de.tasks import beat_schedule
from tests.factories import make_journal, make_user
from tests.submission_factories import SubmissionFactory

T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
SETTINGS = {
    "jinja2.directories": "templates",
    "fde.base_url": "http://journal.example",
}


def make_paper(db):
    journal = make_journal(db)
    author = make_user(db)
    editor = make_user(db, roles=[Role.SECTION_EDITOR], journal=journal)
    s = SubmissionFactory(
        db=db,
        journal=journal,
        submitter=author,
        title="Peer tutoring",
        authors=[{"given_name": "Hidden", "family_name": "Authorname", "email": "a@x.org"}],
    )
    workflow.apply(db, s, "send_to_review", editor)
    return journal, editor, s


@pytest.fixture
def paper(dbsession):
    return make_paper(dbsession)


def invite(db, journal, editor, s, due="2026-11-21", **user):
    reviewer = make_user(db, roles=[Role.REVIEWER], journal=journal, **user)
    return services.invite(db, s, editor, reviewer_id=reviewer.id, due=due, now=T0)


def run(db, when, escalations=False):
    """The reminders (and escalations, when asked) the engine sends at ``when``."""
    return [
        (r.stage, r.item_id)
        for r in engine.run(db, SETTINGS, when)
        if escalations or r.stage != engine.ESCALATE
    ]


def mails(db):
    return db.scalars(select(OutboxEmail).where(OutboxEmail.template == "review_reminder")).all()


def test_an_unanswered_invitation_is_reminded_once_with_fresh_links(dbsession, paper):
    journal, editor, s = paper
    invitation = invite(dbsession, journal, editor, s)
    a = invitation.assignment
    assert run(dbsession, T0 + dt.timedelta(days=4)) == []
    assert run(dbsession, T0 + dt.timedelta(days=5)) == [("after:0", a.id)]
    assert run(dbsession, T0 + dt.timedelta(days=6)) == []  # once
    assert a.reminder_count == 1 and a.last_reminded_at == T0 + dt.timedelta(days=5)
    (mail,) = mails(dbsession)
    assert "Reminder: invitation to review" in mail.subject
    assert "Authorname" not in mail.body_text and "Hidden" not in mail.body_text
    # The old link is replaced by the new one in the reminder.
    with pytest.raises(services.InvitationLinkError):
        services.assignment_for_token(dbsession, invitation.token, {}, now=T0)
    token = mail.body_text.split("/review/invitations/")[1].split("?")[0]
    assert services.assignment_for_token(dbsession, token, {}, now=T0 + dt.timedelta(days=6)) is a


def test_accepted_reviews_are_reminded_before_and_after_the_due_date_once_each(dbsession, paper):
    journal, editor, s = paper
    a = invite(dbsession, journal, editor, s, preferred_language="zh").assignment
    services.accept(dbsession, a, now=T0 + dt.timedelta(days=1))
    assert run(dbsession, T0 + dt.timedelta(days=10)) == []
    soon = dt.datetime(2026, 11, 19, 9, 0, tzinfo=dt.UTC)  # due 2026-11-21 23:59
    assert run(dbsession, soon) == [("before:3", a.id)]
    assert run(dbsession, soon + dt.timedelta(days=1)) == []
    late = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    assert run(dbsession, late) == [("after:0", a.id)]
    assert run(dbsession, late + dt.timedelta(days=5)) == []
    # A week late, the rule's second reminder after the due date.
    assert run(dbsession, late + dt.timedelta(days=7)) == [("after:7", a.id)]
    subjects = [m.subject for m in mails(dbsession)]
    assert "截止" in subjects[0] and "逾期" in subjects[1]  # the reviewer's language
    assert len(subjects) == 3


def test_a_review_accepted_close_to_its_due_date_gets_no_due_soon_reminder(dbsession, paper):
    journal, editor, s = paper
    a = invite(dbsession, journal, editor, s).assignment
    services.accept(dbsession, a, now=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    assert run(dbsession, dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)) == []


def test_no_reminders_for_finished_assignments_or_closed_rounds(dbsession, paper):
    journal, editor, s = paper
    declined = invite(dbsession, journal, editor, s).assignment
    services.decline(dbsession, declined)
    done = invite(dbsession, journal, editor, s).assignment
    services.accept(dbsession, done, now=T0)
    services.save_review(
        dbsession,
        done,
        {
            "recommendation": "accept",
            "comments_to_author": "Fine.",
            **{f"score_{k}": "4" for k in services.CRITERIA},
        },
        submit=True,
    )
    waiting = invite(dbsession, journal, editor, s).assignment
    # The invitation has expired by then: no reminder for a link that cannot be used (the
    # editor-in-chief hears that it went unanswered).
    assert run(dbsession, T0 + dt.timedelta(days=40), escalations=True) == [
        ("escalate", waiting.id)
    ]
    from frontiers_de.editorial import services as editorial

    editorial.decide(dbsession, s, editor, "accept", "Accepted with thanks to the reviewers.")
    assert waiting.state == AssignmentState.CANCELLED
    assert run(dbsession, T0 + dt.timedelta(days=6)) == []
    assert mails(dbsession) == []


def test_the_beat_task_sends_the_reminders_on_the_database(wsgi_app):
    from frontiers_de.tasks import celery_app, import_task_modules
    from tests.factories import app_session

    import_task_modules()
    entry = beat_schedule({"fde.deadlines.interval": "600"})["deadlines"]
    assert entry == {"task": "frontiers_de.deadlines.run", "schedule": 600.0}
    now = dt.datetime.now(dt.UTC)
    with app_session(wsgi_app) as db:
        journal, editor, s = make_paper(db)
        invitation = invite(db, journal, editor, s, due=(now + dt.timedelta(days=20)).date())
        invitation.assignment.invited_at = now - dt.timedelta(days=6)
    task = celery_app.tasks["frontiers_de.deadlines.run"]
    assert task.apply().get() == 1
    assert task.apply().get() == 0  # once per stage
    with app_session(wsgi_app) as db:
        assert len(mails(db)) == 1
