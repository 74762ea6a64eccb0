"""The Crossref deposit never runs inside an editor's request.

Found by a bounded fault run: in the embedded default, Celery tasks ran eagerly after the
commit, still in the request's thread. With Crossref hanging, Publish took 125 s, and four
such requests (waitress has four threads) froze the whole site for two minutes.

Replayed against ``live_server`` and the Crossref stand-in, which holds every deposit
upload until released: four production editors' Publish clicks answer at once, the site
answers other readers meanwhile, and once Crossref answers the deposits go through, one
upload each, on the in-process task threads.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sqlalchemy import select

from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.crossref.models import DoiRecord, DoiState
from frontiers_de.editorial import workflow
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.storage import LocalFileStorage
from frontiers_de.tasks import drain_tasks
from tests.crossref.standin import CrossrefStandIn
from tests.crossref.world import (
    accept,
    crossref_settings,
    make_article,
    make_world,
    under_review,
)
from tests.factories import app_session
from tests.security.live_clients import TIMEOUT, at_once, csrf_of, signed_in

# JATS that passes the journal's checks (Publish refuses any other).
VALID_JATS = Path(__file__).resolve().parents[1] / "fixtures" / "jats" / "article-valid.xml"
VALID_DOI = "10.5555/fde.2026.0001"
PAPERS = 4  # as many as waitress has threads: before the fix, the site froze
QUICK = 5.0  # seconds: a page that takes longer is waiting for Crossref


@pytest.fixture
def standin() -> Iterator[CrossrefStandIn]:
    with CrossrefStandIn(hang_limit=TIMEOUT) as service:
        yield service


@pytest.fixture
def app_settings(app_settings, standin):
    # Long enough that a request waiting for Crossref would still be waiting when we look.
    return {**app_settings, **crossref_settings(standin), "crossref.timeout": "20"}


def _jats(doi: str) -> str:
    """The valid article with this DOI, without its figure (whose image we do not store)."""
    text = VALID_JATS.read_text(encoding="utf-8").replace(VALID_DOI, doi)
    text = re.sub(r'<xref ref-type="fig" rid="f1">(.*?)</xref>', r"\1", text)
    return re.sub(r"<fig .*?</fig>", "", text, flags=re.S)


@pytest.fixture
def schemas_compiled(app_settings) -> None:
    """The official schemas compiled before the clock starts: compiling JATS takes seconds,
    once per process, and is not what these tests measure."""
    from frontiers_de.crossref.validate import SCHEMA_NAME
    from frontiers_de.production.jats.check import OFFICIAL_SCHEMA
    from frontiers_de.xml.schemas import load_schema

    for name in (OFFICIAL_SCHEMA, SCHEMA_NAME):
        load_schema(name, app_settings)


def _ready_to_publish(wsgi_app, app_settings) -> tuple[str, list[int]]:
    """Articles in production with valid JATS, a PDF and the author's approved proof."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    ids = []
    with app_session(wsgi_app) as db:
        world = make_world(db)
        producer_email = world.producer.email
        for n in range(PAPERS):
            sub = accept(db, world, under_review(db, world, f"Paper {n}"))
            workflow.apply(db, sub, "start_production", world.producer)
            article = make_article(db, world, sub, state=ArticleState.IN_PRODUCTION)
            article.jats_xml = _jats(sub.doi)
            article.pdf_sha256 = storage.put(f"%PDF-1.7 proof of paper {n}\n".encode())
            db.add(
                Proof(
                    article_id=article.id,
                    number=1,
                    pdf_sha256=article.pdf_sha256,
                    state=ProofState.APPROVED,
                    token_hash=f"{n:064d}",
                )
            )
            db.flush()
            ids.append(article.id)
    return producer_email, ids


def _timed(call):
    def run():
        started = time.monotonic()
        res = call()
        return res, time.monotonic() - started

    return run


def test_publish_answers_at_once_while_crossref_hangs(
    wsgi_app, live_server, app_settings, standin, schemas_compiled
):
    producer_email, article_ids = _ready_to_publish(wsgi_app, app_settings)
    editors = []
    for article_id in article_ids:
        client = signed_in(live_server, producer_email)
        page = client.get(f"{live_server}/production/articles/{article_id}", timeout=TIMEOUT)
        editors.append((client, article_id, csrf_of(page.text)))
    standin.fail_next("deposit", *["hang"] * PAPERS)

    def publish(client, article_id, token):
        return _timed(
            lambda: client.post(
                f"{live_server}/production/articles/{article_id}/publish",
                data={"csrf_token": token},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
        )

    try:
        results = at_once([publish(*editor) for editor in editors])
        for result in results:
            assert not isinstance(result, Exception), result
            res, seconds = result
            assert res.status_code == 302, res.text[:500]
            assert seconds < QUICK, f"Publish took {seconds:.1f} s: it waited for Crossref"
        # Crossref still has every upload on hold …
        standin.wait_until_hanging(PAPERS, timeout=TIMEOUT)
        # … and the site answers readers and editors meanwhile.
        for path in ("/", "/issues", "/login"):
            res, seconds = _timed(
                lambda p=path: editors[0][0].get(live_server + p, timeout=QUICK)
            )()
            assert res.status_code == 200 and seconds < QUICK, (path, seconds)
        page = editors[0][0].get(
            urljoin(live_server, results[0][0].headers["Location"]), timeout=QUICK
        )
        assert "The article is published." in page.text
        with app_session(wsgi_app) as db:
            articles = db.scalars(select(Article).where(Article.id.in_(article_ids))).all()
            assert {a.state for a in articles} == {ArticleState.PUBLISHED}
    finally:
        standin.release()
    # Crossref answers: each deposit goes through, uploaded once.
    assert drain_tasks(TIMEOUT)
    assert len(standin.uploads) == PAPERS
    with app_session(wsgi_app) as db:
        states = db.scalars(select(DoiRecord.state).where(DoiRecord.article_id.in_(article_ids)))
        assert set(states) <= {DoiState.SUBMITTED, DoiState.REGISTERED}
