"""Production's new emails: the production editors hear the author's answer to a proof
(ProofAnswered), and the author hears of the publication with the article's page and DOI
(ArticlePublished, IssuePublished), each as the recipient chose."""

from __future__ import annotations

import pytest

from frontiers_de import events
from frontiers_de.articles.events import ArticlePublished, IssuePublished
from frontiers_de.articles.models import Issue, Volume
from frontiers_de.mail.models import Delivery, DigestItem
from frontiers_de.mail.preferences import set_preferences
from frontiers_de.production import services
from frontiers_de.production.events import ProofAnswered
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import make_journal, make_user
from tests.notifications import BASE, SETTINGS, bind_subscribers, outbox
from tests.production_factories import make_accepted_submission


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


@pytest.fixture
def proofed(dbsession, tmp_path):
    """An article in production whose proof went to its corresponding author."""
    journal = make_journal(dbsession)
    producer = make_user(
        dbsession, "producer@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal
    )
    chief = make_user(dbsession, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    author = make_user(dbsession, "wei.zhang@example.edu.cn", preferred_language="zh")
    submission = make_accepted_submission(dbsession, journal, author)
    article = services.start_production(dbsession, submission, producer)
    article.pdf_sha256 = LocalFileStorage(tmp_path).put(b"%PDF-1.7 proof")
    sent = services.send_proof(dbsession, SETTINGS, article, chief)
    return article, sent.proof, producer, chief, author


def test_an_approval_reaches_the_production_editors_and_the_sender(dbsession, proofed, announced):
    article, proof, producer, chief, _author = proofed
    heard = announced(ProofAnswered)
    services.answer_proof(dbsession, proof, approve=True)
    assert [e.approved for e in heard] == [True]
    mails = outbox(dbsession, "production_proof_answered")
    assert sorted(m.recipients[0] for m in mails) == [chief.email, producer.email]
    mail = mails[0]
    assert "approved" in mail.subject and article.title in mail.subject
    assert f"{BASE}/production/articles/{article.id}" in mail.body_text


def test_corrections_are_quoted_to_the_production_editors(dbsession, proofed):
    _article, proof, producer, _chief, _author = proofed
    producer.preferred_language = "zh"
    services.answer_proof(dbsession, proof, approve=False, corrections="Fix the <b>table</b>.")
    mail = next(
        m
        for m in outbox(dbsession, "production_proof_answered")
        if m.recipients == [producer.email]
    )
    assert "提出修改" in mail.subject
    assert "Fix the <b>table</b>." in mail.body_text


def test_a_production_editor_who_chose_the_digest_gets_it_there(dbsession, proofed):
    _article, proof, producer, chief, _author = proofed
    set_preferences(dbsession, producer.id, {"production_answers": Delivery.DIGEST})
    services.answer_proof(dbsession, proof, approve=True)
    assert [m.recipients for m in outbox(dbsession, "production_proof_answered")] == [[chief.email]]
    (item,) = dbsession.query(DigestItem).all()
    assert item.user_id == producer.id and item.link.endswith(f"/production/articles/{_article.id}")


def _published(db, article):
    article.doi = "10.5555/fde.2026.0042"
    article.published_at = article.published_at or article.created_at
    return article


def test_the_author_hears_of_publication_with_link_and_doi(dbsession, proofed):
    article, _proof, _producer, _chief, author = proofed
    _published(dbsession, article)
    events.notify(ArticlePublished(db=dbsession, article=article, actor=None))
    (mail,) = outbox(dbsession, "production_published")
    assert mail.recipients == [author.email]
    assert "您的文章已发表" in mail.subject  # the author's language
    assert f"{BASE}/articles/10.5555/fde.2026.0042" in mail.body_text
    assert "https://doi.org/10.5555/fde.2026.0042" in mail.body_text


def test_an_issue_tells_the_author_of_each_article_it_published(dbsession, proofed):
    article, _proof, _producer, _chief, author = proofed
    author.preferred_language = "en"
    _published(dbsession, article)
    volume = Volume(journal_id=article.journal_id, number=2, year=2026)
    dbsession.add(volume)
    dbsession.flush()
    issue = Issue(journal_id=article.journal_id, volume_id=volume.id, number="3", year=2026)
    dbsession.add(issue)
    dbsession.flush()
    events.notify(IssuePublished(db=dbsession, issue=issue, articles=(article,), actor=None))
    (mail,) = outbox(dbsession, "production_published")
    assert "Vol. 2(3)" in mail.body_text and "10.5555/fde.2026.0042" in mail.body_text


def test_an_author_who_turned_publication_off_hears_nothing(dbsession, proofed):
    article, _proof, _producer, _chief, author = proofed
    set_preferences(dbsession, author.id, {"publication": Delivery.OFF})
    _published(dbsession, article)
    events.notify(ArticlePublished(db=dbsession, article=article, actor=None))
    assert outbox(dbsession, "production_published") == []
