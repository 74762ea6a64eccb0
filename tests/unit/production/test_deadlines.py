"""The proof deadline through the one engine: a proof not answered is reminded on the
journal's days with a fresh link (the old one stops working), the editor-in-chief is told
when it is long overdue, and an answered proof is no longer due."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from frontiers_de.deadlines import engine
from frontiers_de.deadlines.rules import DeadlineKind
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.production import services
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import make_journal, make_user
from tests.production_factories import make_accepted_submission

pytestmark = pytest.mark.db

SETTINGS = {
    "jinja2.directories": "templates",
    "fde.base_url": "http://journal.example",
    "mail.default_sender": "FDE <fde@example.org>",
}
T0 = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def proof(dbsession, tmp_path):
    journal = make_journal(dbsession)
    make_user(dbsession, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    producer = make_user(dbsession, roles=[Role.PRODUCTION_EDITOR], journal=journal)
    author = make_user(dbsession, "wei.zhang@example.edu.cn", roles=[Role.AUTHOR], journal=journal)
    submission = make_accepted_submission(dbsession, journal, author)
    article = services.start_production(dbsession, submission, producer)
    article.pdf_sha256 = LocalFileStorage(str(tmp_path)).put(b"%PDF-1.7 proof")
    return services.send_proof(dbsession, SETTINGS, article, producer, now=T0)


def run(db, when):
    return [(s.kind.value, s.stage) for s in engine.run(db, SETTINGS, when)]


def test_an_unanswered_proof_is_reminded_with_a_fresh_link(dbsession, proof):
    [d] = engine.open_deadlines(dbsession, T0, kinds=[DeadlineKind.PROOF], settings=SETTINGS)
    assert (d.item_id, d.due_at) == (proof.proof.id, T0 + 3 * DAY)
    assert run(dbsession, T0 + DAY) == []
    assert run(dbsession, T0 + 2 * DAY) == [("proof", "before:1")]
    assert run(dbsession, T0 + 3 * DAY + dt.timedelta(hours=1)) == [("proof", "after:0")]
    assert run(dbsession, T0 + 6 * DAY + dt.timedelta(hours=2)) == [("proof", "escalate")]
    assert run(dbsession, T0 + 7 * DAY) == []
    reminders = dbsession.scalars(
        select(OutboxEmail).where(OutboxEmail.template == "deadline_reminder")
    ).all()
    assert [m.recipients for m in reminders] == [["wei.zhang@example.edu.cn"]] * 2
    assert "please answer the proof" in reminders[0].subject
    assert "overdue" in reminders[1].subject
    # The old link stops working; the newest one answers.
    with pytest.raises(services.ProofLinkError):
        services.proof_for_token(dbsession, proof.token, SETTINGS, now=T0 + 4 * DAY)
    token = reminders[1].body_text.split("/proofs/")[1].split()[0]
    found = services.proof_for_token(dbsession, token, SETTINGS, now=T0 + 4 * DAY)
    assert found.id == proof.proof.id
    [told] = dbsession.scalars(
        select(OutboxEmail).where(OutboxEmail.template == "deadline_escalation")
    ).all()
    assert told.recipients == ["chief@example.org"]
    assert "/production" in told.body_text


def test_an_answered_proof_is_no_longer_due(dbsession, proof):
    services.answer_proof(dbsession, proof.proof, approve=True, corrections="")
    assert engine.open_deadlines(dbsession, T0 + 30 * DAY, kinds=[DeadlineKind.PROOF]) == []
    assert run(dbsession, T0 + 30 * DAY) == []
