"""Production jobs through a real broker and a real worker: the page sees the job queued,
the worker (a separate ``celery worker`` process on a local Redis) runs it, and the page
sees it done — the scale-out path, not the embedded in-process default."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from frontiers_de.articles.jats import store_jats
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.production import services
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import app_session, make_journal, make_user
from tests.production_factories import make_accepted_submission
from tests.web import client_for, csrf

# A Celery worker in another process reads what the requests committed.
pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.commits]

ROOT = Path(__file__).resolve().parents[2]
VALID_JATS = ROOT / "tests" / "fixtures" / "jats" / "article-valid.xml"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def app_settings(app_settings, redis_url):
    """The app sends its tasks to the broker instead of running them in-process."""
    return {**app_settings, "celery.always_eager": "false", "celery.broker_url": redis_url}


def _drop_broker_connections() -> None:
    """Celery keeps the connection and producer pools of the first broker it used for the
    life of the process (even the eager path takes a producer); this test changes brokers
    within one process. The pools themselves are kombu's, shared and keyed by broker, so
    they are only forgotten here, never closed."""
    from frontiers_de.tasks import celery_app

    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(wsgi_app):
    _drop_broker_connections()
    yield
    _drop_broker_connections()


@pytest.fixture
def worker(app_settings, redis_url, tmp_path, broker):
    env = {
        **os.environ,
        "FDE_CONFIG": str(tmp_path / "worker.ini"),
        "DATABASE_URL": app_settings["sqlalchemy.url"],
        "FDE_FILES_DIR": app_settings["fde.files_dir"],
        "FDE_SCHEMA_DIR": app_settings["fde.schema_dir"],
        "CELERY_BROKER_URL": redis_url,
    }
    # A minimal .ini: everything that matters comes from the environment, as in a container.
    (tmp_path / "worker.ini").write_text(
        "[app:main]\nuse = egg:frontiers_de\ncelery.always_eager = false\n", encoding="utf-8"
    )
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "frontiers_de.tasks",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def test_a_check_job_is_queued_then_done_by_a_real_worker(wsgi_app, app_settings, worker, tmp_path):
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        author = make_user(db, roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        article = services.start_production(db, submission, editor)
        broken = VALID_JATS.read_bytes().replace(b'rid="r2"', b'rid="elsewhere"')
        store_jats(db, storage, article, broken, filename="a.xml")
        article_id = article.id
    client = client_for(wsgi_app, "prod@example.org")
    base = f"/production/articles/{article_id}"
    page = client.get(base)
    client.post(base + "/check", {"csrf_token": csrf(page)})

    deadline = time.monotonic() + 90
    seen = []
    while time.monotonic() < deadline:
        with app_session(wsgi_app) as db:
            job = db.scalars(select(Job).where(Job.kind == services.JOB_CHECK)).one()
            seen.append(job.state)
            if job.state in (JobState.DONE, JobState.FAILED):
                break
        time.sleep(0.2)
    log = (tmp_path / "worker.log").read_text(encoding="utf-8", errors="replace")
    assert seen[0] in (JobState.QUEUED, JobState.RUNNING), seen
    assert seen[-1] == JobState.DONE, f"job states {seen}; worker log:\n{log[-3000:]}"
    assert "frontiers_de.production.check_jats" in log
    page = client.get(base)
    assert page.html.select_one("#check-state.state-passed, #check-state.state-errors") is not None
    assert any("elsewhere" in row.text for row in page.html.select("#findings tbody tr"))
