"""Publication with a real Celery worker on the local Redis: the publishing request returns
at once with the deposit queued, and the worker (a separate process reading the same
settings file) sends it to the Crossref stand-in and registers the DOI."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from frontiers_de import events
from frontiers_de.articles.events import ArticlePublished
from frontiers_de.articles.models import ArticleState
from frontiers_de.config import resolve_settings
from frontiers_de.crossref.models import DepositState, DoiDeposit, DoiRecord, DoiState
from frontiers_de.db import get_session_factory
from frontiers_de.editorial import workflow
from frontiers_de.scripting import app_request
from frontiers_de.tasks import celery_app, configure_celery
from tests.conftest import ROOT, _clean_tables
from tests.crossref.standin import CrossrefStandIn
from tests.crossref.world import (
    WorldIds,
    accept,
    crossref_settings,
    make_article,
    make_world,
    under_review,
)

pytestmark = pytest.mark.redis


@pytest.fixture
def standin():
    with CrossrefStandIn() as service:
        yield service


def _fresh_broker_connections() -> None:
    """Forget connections to the broker earlier tests used (Celery caches its pools and
    keeps them when the broker URL changes; it resets them the same way after a fork)."""
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


def _write_ini(path: Path, settings: dict[str, str]) -> None:
    lines = ["[app:main]", "use = egg:frontiers_de"]
    lines += [f"{key} = {value}" for key, value in settings.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_real_worker_registers_the_doi_after_publication_returns(
    engine, app_settings, tmp_path, standin
):
    queue = f"fde-doi-test-{uuid.uuid4().hex[:10]}"
    settings = {
        **app_settings,
        **crossref_settings(standin),
        "celery.always_eager": "false",
        "celery.broker_url": "redis://127.0.0.1:6379/0",
        "celery.queue": queue,
        # Crossref takes a while to process the batch: about two seconds here.
        "crossref.poll_interval": "0.5",
    }
    standin.polls_before_done = 4
    ini = tmp_path / "worker.ini"
    _write_ini(ini, settings)
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "frontiers_de.tasks",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "warning",
        ],
        env={**os.environ, "FDE_CONFIG": str(ini)},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    factory = get_session_factory(engine)
    _fresh_broker_connections()
    try:
        with app_request(settings) as request:
            world = make_world(request.db)
            sub = accept(request.db, world, under_review(request.db, world, "Worked"))
            doi = sub.doi
        with app_request(settings) as request:
            db = request.db
            sub = db.get(type(sub), sub.id)
            producer = db.get(type(world.producer), world.producer.id)
            workflow.apply(db, sub, "start_production", producer)
            article = make_article(
                db, WorldIds.of(world).load(db), sub, state=ArticleState.PUBLISHED
            )
            workflow.apply(db, sub, "publish", producer)
            events.notify(ArticlePublished(db=db, article=article, actor=producer))
        # The publishing request has returned; Crossref has not finished with the batch.
        with factory() as db:
            deposit = db.scalar(select(DoiDeposit))
            assert deposit is not None and deposit.xml and article.doi == doi
            now = db.scalar(select(DoiRecord.state).where(DoiRecord.doi == doi))
            assert now in (DoiState.QUEUED, DoiState.SUBMITTED)
        deadline = time.monotonic() + 60
        state = None
        while time.monotonic() < deadline:
            with factory() as db:
                state = db.scalar(select(DoiRecord.state).where(DoiRecord.doi == doi))
            if state is DoiState.REGISTERED:
                break
            time.sleep(0.25)
        log.flush()
        assert state is DoiState.REGISTERED, (tmp_path / "worker.log").read_text()
        with factory() as db:
            assert db.scalar(select(DoiDeposit.state)) is DepositState.COMPLETED
        assert len(standin.uploads) == 1
    finally:
        worker.terminate()
        worker.wait(20)
        log.close()
        # Later tests get the in-process (eager) Celery set-up back.
        configure_celery(resolve_settings(app_settings))
        _fresh_broker_connections()
        _clean_tables(engine)
