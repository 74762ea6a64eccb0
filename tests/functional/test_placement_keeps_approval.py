"""Placing a proofed article in an issue through the web: the issue page says beforehand
that no new proof is needed, the PDF is typeset again with the placement (a job), the
author is told by email and the approval stands, so the issue publishes; any other change
of the JATS still needs a new proof, and the production page says so once."""

from __future__ import annotations

import re

import pytest
import webtest
from lxml import etree
from sqlalchemy import select

from frontiers_de.articles.models import Article, ArticleState, Issue
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.production import services
from frontiers_de.production.models import Proof, ProofState
from tests.factories import app_session, make_journal
from tests.functional.test_issue_management import _post, csrf, editor_app, in_production

__all__ = ["editor_app"]  # the fixture, imported for pytest

# These tests publish issues (a Crossref deposit recorded in a transaction of its own) and
# see a refused publication roll back: they need real commits (see tests/conftest.py).
pytestmark = pytest.mark.commits


def _approve_a_proof(client, wsgi_app, base: str, number: int = 1) -> None:
    """Typeset (a job run in-process), send the proof, the author approves it through the
    mailed link."""
    page = client.get(base)
    _post(client, page, base + "/typeset")
    page = client.get(base)
    assert page.html.select_one("#pdf-state.state-current") is not None, page.text
    _post(client, page, base + "/proofs")
    with app_session(wsgi_app) as db:
        mail = db.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.template == "production_proof")
            .order_by(OutboxEmail.id.desc())
        ).first()
        link = re.search(r"http://localhost(/proofs/\S+)", mail.body_text).group(1)
    author = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    form = author.get(link)
    author.post(link, {"csrf_token": csrf(form), "action": "approve"})
    page = client.get(base)
    assert f"Proof {number} was approved." in page.html.select_one("#proof-state").text


def test_placing_a_proofed_article_retypesets_tells_the_author_and_keeps_the_approval(
    editor_app, wsgi_app
):
    client, storage = editor_app
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        journal.issn_online = "2999-0001"
        article_id = in_production(db, storage, journal, "10.5555/fde.2026.0601", "Gamma", 601)
    base = f"/production/articles/{article_id}"
    _approve_a_proof(client, wsgi_app, base)
    with app_session(wsgi_app) as db:
        approved_pdf = db.get(Article, article_id).pdf_sha256

    page = client.get("/production/issues")
    _post(client, page, "/production/issues/volumes", number="3", year="2026")
    page = client.get("/production/issues")
    volume = page.html.find("select", {"name": "volume"}).find_all("option")[-1]["value"]
    _post(client, page, "/production/issues", volume=volume, number="2", year="2026")
    with app_session(wsgi_app) as db:
        issue_id = db.scalar(select(Issue.id))

    # Before the change, the issue page says what placing the article will do.
    issue_page = client.get(f"/production/issues/{issue_id}")
    effect = issue_page.html.select_one(f"#placement-effects tr[data-article='{article_id}']")
    assert "No new proof: the approval of proof 1 stands" in effect.text

    _post(client, issue_page, f"/production/issues/{issue_id}/articles", article=str(article_id))

    with app_session(wsgi_app) as db:
        article = db.get(Article, article_id)
        meta = etree.fromstring(article.jats_xml.encode()).find("front/article-meta")
        assert (meta.findtext("volume"), meta.findtext("issue")) == ("3", "2")
        # Typeset again with the placement, in the background: a new PDF of the new JATS.
        typeset = db.scalars(
            select(Job).where(Job.kind == services.JOB_TYPESET).order_by(Job.id.desc())
        ).first()
        assert typeset.state == JobState.DONE, typeset.error
        assert typeset.result["jats_sha256"] == services.jats_sha256(article)
        assert article.pdf_sha256 and article.pdf_sha256 != approved_pdf
        # The approval stands: the proof is still approved and covers the new PDF.
        (proof,) = db.scalars(select(Proof)).all()
        assert proof.state == ProofState.APPROVED
        assert services.approved_proof(db, article) == proof
        # The author is told, with a link under the configured address.
        told = db.scalars(
            select(OutboxEmail).where(OutboxEmail.template == "production_placed")
        ).one()
        sent_to = db.scalars(
            select(OutboxEmail.recipients).where(OutboxEmail.template == "production_proof")
        ).one()
        assert told.recipients == sent_to
        assert "Volume 3, Issue 2" in told.body_text and "e0601" in told.body_text
        assert "Your approval of proof 1 stands" in told.body_text
        assert re.search(r"http://localhost/submissions/\d+", told.body_text)

    page = client.get(base)
    assert page.html.select_one("#pdf-state.state-current") is not None
    assert "Proof 1 was approved." in page.html.select_one("#proof-state").text
    # Exactly one account of each step: no second, contradicting line.
    assert len(page.html.select(".step-state")) == 4

    # The issue publishes with the approved proof: no second proof round.
    issue_page = client.get(f"/production/issues/{issue_id}")
    done = _post(client, issue_page, f"/production/issues/{issue_id}/publish").follow()
    assert "The issue is published, with 1 article(s) published now." in done.text
    with app_session(wsgi_app) as db:
        assert db.get(Article, article_id).state == ArticleState.PUBLISHED


def test_any_other_change_of_the_jats_needs_a_new_proof(editor_app, wsgi_app):
    client, storage = editor_app
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        article_id = in_production(db, storage, journal, "10.5555/fde.2026.0602", "Delta", 602)
    base = f"/production/articles/{article_id}"
    _approve_a_proof(client, wsgi_app, base)

    page = client.get(base)
    hint = page.html.select_one("#jats-proof-effect").text
    assert "volume, issue, e-location or publication date only" in hint
    assert "Any other change needs a new proof." in hint
    current = client.get(base + "/jats").body
    edited = current.replace(b"<article-title>Delta", b"<article-title>Delta revisited")
    assert edited != current
    client.post(
        base + "/jats", {"csrf_token": csrf(page)}, upload_files=[("jats", "e.xml", edited)]
    )
    page = client.get(base)
    assert page.html.select_one("#proof-state.state-outdated") is not None
    assert page.html.select_one("#pdf-state.state-outdated") is not None
    with app_session(wsgi_app) as db:
        assert db.scalars(select(Proof.state)).all() == [ProofState.SUPERSEDED]
        assert (
            db.scalars(select(OutboxEmail).where(OutboxEmail.template == "production_placed")).all()
            == []
        )
    refused = _post(client, page, base + "/publish").follow()
    assert "There is no PDF of the current JATS" in refused.text

    # An edit of the placement alone (the e-location, by hand) keeps the approval.
    _approve_a_proof(client, wsgi_app, base, number=2)
    page = client.get(base)
    current = client.get(base + "/jats").body
    moved = re.sub(rb"<elocation-id>[^<]*<", b"<elocation-id>e0999<", current, count=1)
    assert moved != current
    client.post(base + "/jats", {"csrf_token": csrf(page)}, upload_files=[("jats", "m.xml", moved)])
    page = client.get(base)
    assert "Proof 2 was approved." in page.html.select_one("#proof-state").text
    assert page.html.select_one("#pdf-state.state-current") is not None  # typeset again
    with app_session(wsgi_app) as db:
        told = db.scalars(
            select(OutboxEmail).where(OutboxEmail.template == "production_placed")
        ).one()
        assert "e0999" in told.body_text
