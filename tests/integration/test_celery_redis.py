"""A real Celery worker on the local Redis delivers an email queued by a committed
transaction: web-side enqueue after commit, broker, worker reloading the row by id, SMTP."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis

from frontiers_de.config import resolve_settings
from frontiers_de.db import get_session_factory
from frontiers_de.mail.models import OutboxEmail, OutboxState
from frontiers_de.mail.services import send_email
from frontiers_de.scripting import app_request
from frontiers_de.tasks import configure_celery
from tests.conftest import ROOT, _clean_tables

REDIS_URL = os.environ.get("FDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
pytestmark = [pytest.mark.redis, pytest.mark.slow]


def _redis_answers(url: str) -> str | None:
    """None when Redis answers PING, else why not."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except redis.RedisError as exc:
        return str(exc)
    return None


@pytest.fixture
def redis_url() -> str:
    problem = _redis_answers(REDIS_URL)
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} does not answer, and CI requires it: {problem}")
        pytest.skip(f"no Redis at {REDIS_URL} ({problem}); start redis-server to run this test")
    return REDIS_URL


class Worker:
    """``celery -A frontiers_de.tasks worker`` in a subprocess, configured by FDE_CONFIG."""

    def __init__(self, config: Path, queue: str) -> None:
        env = {**os.environ, "FDE_CONFIG": str(config)}
        env.pop("DATABASE_URL", None)  # the .ini names the test database
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "frontiers_de.tasks",
                "worker",
                "--pool=solo",
                "--queues",
                queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                "--hostname",
                f"{queue}@%h",
                # Beat inside the worker, for the periodic drain of the outbox.
                "--beat",
                "--schedule",
                str(config.parent / "beat-schedule"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if " ready." in line:
                self.ready.set()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @property
    def log(self) -> str:
        return "".join(self.lines)


def _wait_for_row(session_factory, email_id: int, condition, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while True:
        with session_factory() as db:
            row = db.get(OutboxEmail, email_id)
        if row is not None and condition(row):
            return row
        if time.monotonic() > deadline:
            raise AssertionError(f"outbox row {email_id} never got there: {row and row.state}")
        time.sleep(0.2)


def test_worker_delivers_mail_enqueued_after_commit(
    engine, database_url, app_settings, smtp_server, redis_url, tmp_path
):
    queue = f"fde-test-{uuid.uuid4().hex[:12]}"
    settings = {
        **app_settings,
        "celery.always_eager": "false",
        "celery.broker_url": redis_url,
        "celery.queue": queue,
        "mail.drain_interval": "1",
        "mail.retry_base_seconds": "1",
    }
    config = tmp_path / "worker.ini"
    config.write_text(
        "[app:main]\nuse = egg:frontiers_de\n"
        + "".join(f"{key} = {value}\n" for key, value in settings.items()),
        encoding="utf-8",
    )
    worker = Worker(config, queue)
    session_factory = get_session_factory(engine)
    try:
        assert worker.ready.wait(60), f"worker did not start:\n{worker.log}"
        assert "Connected to redis://" in worker.log, worker.log

        with app_request(settings) as request:
            row = send_email(
                request.db,
                request.registry.settings,
                "accounts_set_password",
                ["worker-test@example.org"],
                {"name": "Worker Test", "set_password_url": "http://localhost/set/abc"},
            )
            email_id = row.id
        try:
            (mail,) = smtp_server.wait_for(1, timeout=60)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the worker said:\n{worker.log}") from None
        assert mail.rcpt_tos == ["worker-test@example.org"]
        assert "http://localhost/set/abc" in mail.text()

        row = _wait_for_row(session_factory, email_id, lambda r: r.state is OutboxState.SENT)
        assert row.attempts == 1
        assert "frontiers_de.mail.deliver_email[" in worker.log

        # SMTP down: the worker's attempt fails and is recorded; once the server is back,
        # beat's periodic drain delivers the email without anyone asking.
        smtp_server.stop()
        with app_request(settings) as request:
            retry_id = send_email(
                request.db,
                request.registry.settings,
                "accounts_set_password",
                ["retry@example.org"],
                {"name": "Retry", "set_password_url": "http://localhost/set/retry"},
            ).id
        row = _wait_for_row(session_factory, retry_id, lambda r: r.attempts >= 1 and r.last_error)
        assert row.state is OutboxState.PENDING, worker.log
        smtp_server.start()
        messages = smtp_server.wait_for(2, timeout=60)
        assert messages[1].rcpt_tos == ["retry@example.org"]
        row = _wait_for_row(session_factory, retry_id, lambda r: r.state is OutboxState.SENT)
        assert row.attempts >= 2
        assert "frontiers_de.mail.drain_outbox" in worker.log
    finally:
        worker.stop()
        # Back to the in-process default for the rest of the session, and no leftovers
        # of this test's queue in Redis.
        configure_celery(resolve_settings(app_settings))
        client = redis.Redis.from_url(redis_url)
        try:
            client.delete(queue, *client.keys(f"_kombu.binding*{queue}"))
        finally:
            client.close()
        _clean_tables(engine)
