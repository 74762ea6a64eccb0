"""``fde deadlines run`` and ``fde deadlines list`` on the test database: a review long
overdue is listed as overdue, its reminder and the editor-in-chief's escalation go out once,
and a bad ``--now`` is refused with the shape it wants."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontiers_de.deadlines.models import DeadlineNotice
from frontiers_de.editorial import workflow
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from tests.factories import make_journal, make_user
from tests.functional.test_cli_admin import invoke
from tests.functional.test_cli_admin import test_db as test_db  # the fixture
from tests.submission_factories import SubmissionFactory

INVITED = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _late_review(engine) -> int:
    with Session(engine) as db:
        journal = make_journal(db)
        make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
        editor = make_user(db, roles=[Role.SECTION_EDITOR], journal=journal)
        reviewer = make_user(db, "rev@example.org", roles=[Role.REVIEWER], journal=journal)
        paper = SubmissionFactory(db=db, journal=journal, submitter=make_user(db), title="Late")
        workflow.apply(db, paper, "send_to_review", editor)
        a = review.invite(
            db, paper, editor, reviewer_id=reviewer.id, due="2026-02-01", now=INVITED
        ).assignment
        review.accept(db, a, now=INVITED)
        db.commit()
        return a.id


def test_run_sends_each_reminder_and_escalation_once(test_db):
    ini, engine = test_db
    assignment_id = _late_review(engine)
    listed = invoke("deadlines", "list", "--now", "2026-05-01", "--config", str(ini))
    assert listed.exit_code == 0, listed.output
    assert "2026-02-01  OVERDUE 88 d" in listed.output and "review" in listed.output
    first = invoke("deadlines", "run", "--now", "2026-05-01", "--config", str(ini))
    assert first.exit_code == 0, first.output
    assert f"review {assignment_id}: after:7" in first.output
    assert f"review {assignment_id}: escalate" in first.output
    assert "1 reminder(s), 1 escalation(s) sent." in first.output
    again = invoke("deadlines", "run", "--now", "2026-05-02", "--config", str(ini))
    assert "0 reminder(s), 0 escalation(s) sent." in again.output
    with Session(engine) as db:
        assert db.scalar(select(func.count(DeadlineNotice.id))) == 2
        sent = db.scalars(
            select(OutboxEmail.template).where(
                OutboxEmail.template.in_(("deadline_escalation", "review_reminder"))
            )
        )
        assert sorted(sent) == ["deadline_escalation", "review_reminder"]


def test_a_bad_now_is_refused(test_db):
    ini, _engine = test_db
    result = invoke("deadlines", "run", "--now", "yesterday", "--config", str(ini))
    assert result.exit_code == 2
    assert "ISO 8601" in result.output
