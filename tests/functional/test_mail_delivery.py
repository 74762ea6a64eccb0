"""The outbox against a real SMTP server (aiosmtpd): delivered after commit, never for a
transaction that aborts, retried while the server is down, failed after the last try."""

from __future__ import annotations

import datetime as dt

import pytest
import webtest
from sqlalchemy import select

from frontiers_de.db import get_session_factory
from frontiers_de.mail.models import OutboxEmail, OutboxState
from frontiers_de.mail.services import deliver_due, send_email
from frontiers_de.scripting import app_request
from tests.conftest import _clean_tables

CONTEXT = {"name": "Ada Okafor", "set_password_url": "http://localhost/password/reset/t0k3n"}


@pytest.fixture
def committed(engine):
    """These tests commit for real (delivery reads the row in its own transaction)."""
    yield get_session_factory(engine)
    _clean_tables(engine)


def _rows(session_factory) -> list[OutboxEmail]:
    with session_factory() as db:
        return list(db.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def test_delivered_after_commit(app_settings, smtp_server, committed):
    with app_request(app_settings) as request:
        row = send_email(
            request.db,
            request.registry.settings,
            "accounts_set_password",
            ["Ada Okafor <ada@example.org>", "wei@example.cn"],
            {**CONTEXT, "lang": "en"},
        )
        assert row.id is not None and row.state is OutboxState.PENDING
        assert smtp_server.messages == []  # nothing leaves before the commit

    (mail,) = smtp_server.wait_for(1)
    assert sorted(mail.rcpt_tos) == ["ada@example.org", "wei@example.cn"]
    assert mail.mail_from == "no-reply@fde.example.org"
    assert mail.subject == "Your account at FDE Press: choose a password"
    assert "http://localhost/password/reset/t0k3n" in mail.text()
    assert '<a href="http://localhost/password/reset/t0k3n">' in mail.html()
    (stored,) = _rows(committed)
    assert stored.state is OutboxState.SENT
    assert stored.attempts == 1 and stored.sent_at is not None and stored.last_error == ""


def test_chinese_recipient_gets_the_chinese_variant(app_settings, smtp_server, committed):
    with app_request(app_settings) as request:
        send_email(
            request.db,
            request.registry.settings,
            "accounts_set_password",
            ["张伟 <wei@example.cn>"],
            {**CONTEXT, "lang": "zh"},
        )
    (mail,) = smtp_server.wait_for(1)
    assert mail.message["To"].addresses[0].display_name == "张伟"
    assert mail.subject.startswith("您在《FDE Press》的账户")
    assert "请打开以下链接设置您的密码" in mail.text()


def test_nothing_is_stored_or_sent_when_the_transaction_aborts(
    app_settings, smtp_server, committed
):
    with pytest.raises(RuntimeError), app_request(app_settings) as request:
        send_email(
            request.db,
            request.registry.settings,
            "accounts_set_password",
            ["ada@example.org"],
            CONTEXT,
        )
        raise RuntimeError("the request failed after queueing the email")
    assert _rows(committed) == []
    assert deliver_due(committed, app_settings).sent == 0
    assert smtp_server.messages == []


def test_a_failing_web_request_sends_nothing(app_settings, smtp_server, committed):
    from frontiers_de import make_config

    def queue_then_fail(request):
        send_email(
            request.db,
            request.registry.settings,
            "accounts_set_password",
            ["ada@example.org"],
            CONTEXT,
        )
        raise RuntimeError("boom after queueing")

    config = make_config(dict(app_settings))
    config.add_route("test.queue_then_fail", "/test/queue-then-fail")
    config.add_view(queue_then_fail, route_name="test.queue_then_fail")
    app = webtest.TestApp(config.make_wsgi_app(), extra_environ={"HTTP_HOST": "localhost"})
    res = app.get("/test/queue-then-fail", status=500)
    assert "boom" not in res.text
    assert _rows(committed) == []
    assert smtp_server.messages == []


def test_retried_while_the_server_is_down_then_sent(app_settings, smtp_server, committed):
    smtp_server.stop()
    before = dt.datetime.now(dt.UTC)
    with app_request(app_settings) as request:
        send_email(
            request.db,
            request.registry.settings,
            "accounts_set_password",
            ["ada@example.org"],
            CONTEXT,
        )

    (row,) = _rows(committed)
    assert row.state is OutboxState.PENDING and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    # Exponential backoff: the first retry is a minute later, not at once.
    assert dt.timedelta(seconds=55) < row.next_attempt_at - before < dt.timedelta(seconds=70)
    assert deliver_due(committed, app_settings).sent == 0

    smtp_server.start()
    report = deliver_due(committed, app_settings, now=row.next_attempt_at)
    assert (report.sent, report.failed) == (1, 0)
    assert len(smtp_server.wait_for(1)) == 1
    (row,) = _rows(committed)
    assert row.state is OutboxState.SENT and row.attempts == 2 and row.last_error == ""


def test_failed_after_the_last_attempt_with_the_error_kept(app_settings, smtp_server, committed):
    app_settings["mail.max_attempts"] = "3"
    smtp_server.stop()
    with app_request(app_settings) as request:
        send_email(
            request.db,
            request.registry.settings,
            "accounts_set_password",
            ["ada@example.org"],
            CONTEXT,
        )

    waits = []
    for _ in range(2):
        (row,) = _rows(committed)
        waits.append(row.next_attempt_at)
        deliver_due(committed, app_settings, now=row.next_attempt_at)
    (row,) = _rows(committed)
    assert row.state is OutboxState.FAILED and row.attempts == 3
    assert "ConnectionRefusedError" in row.last_error
    # The waits double: about 1 minute after the first try, 2 after the second.
    assert dt.timedelta(seconds=110) < waits[1] - waits[0] < dt.timedelta(seconds=130)
    smtp_server.start()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert deliver_due(committed, app_settings, now=later).sent == 0
    assert smtp_server.messages == []


def test_a_sent_email_is_not_sent_again(app_settings, smtp_server, committed):
    with app_request(app_settings) as request:
        row = send_email(
            request.db,
            request.registry.settings,
            "accounts_set_password",
            ["ada@example.org"],
            CONTEXT,
        )
    smtp_server.wait_for(1)
    from frontiers_de.mail.services import deliver

    assert deliver(committed, app_settings, row.id) is None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert deliver_due(committed, app_settings, now=later).sent == 0
    assert len(smtp_server.messages) == 1


def test_bad_recipient_is_refused_before_anything_is_stored(app_settings, committed):
    from frontiers_de.mail.sender import InvalidAddress

    with pytest.raises(InvalidAddress), app_request(app_settings) as request:
        send_email(
            request.db,
            request.registry.settings,
            "accounts_set_password",
            ["a@example.org\r\nBcc: b@example.org"],
            CONTEXT,
        )
    assert _rows(committed) == []


def test_embedded_beat_of_fde_serve_retries_due_mail(app_settings, smtp_server, committed):
    from frontiers_de.tasks import EmbeddedBeat

    app_settings["mail.drain_interval"] = "0.2"
    app_settings["mail.retry_base_seconds"] = "0"  # due again at once
    smtp_server.stop()
    with app_request(app_settings) as request:
        send_email(
            request.db,
            request.registry.settings,
            "accounts_set_password",
            ["ada@example.org"],
            CONTEXT,
        )
    (row,) = _rows(committed)
    assert row.state is OutboxState.PENDING
    smtp_server.start()
    beat = EmbeddedBeat(app_settings)
    beat.start()
    try:
        smtp_server.wait_for(1)
    finally:
        beat.stop()
    (row,) = _rows(committed)
    assert row.state is OutboxState.SENT
