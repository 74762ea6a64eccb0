"""The demo data keep the journal's rules, because they are seeded through the services:
every accepted, in-production and published paper has its DOI (assigned on acceptance by
the journal's DOI formatter), every published DOI is listed on /production/dois, the
journal has its ISSNs and DOI prefix, and production finds no journal setting missing."""

from __future__ import annotations

import webtest
from sqlalchemy import select

from frontiers_de import demo
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.crossref.doi import is_valid_doi
from frontiers_de.crossref.models import DoiRecord
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent, Decision
from frontiers_de.identifiers import normalise_issn
from frontiers_de.journals.models import Journal
from frontiers_de.production import services as production
from frontiers_de.storage import storage_from_settings
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import app_session
from tests.web import client_for

WITH_DOI = (SubmissionState.ACCEPTED, SubmissionState.IN_PRODUCTION, SubmissionState.PUBLISHED)


def login(wsgi_app, who: str) -> webtest.TestApp:
    user = next(u for u in demo.DEMO_USERS if u.key == who)
    return client_for(wsgi_app, user.email, user.password)


def test_demo_seeded_into_a_fresh_database_keeps_the_rules(wsgi_app, app_settings) -> None:
    with app_session(wsgi_app) as db:
        demo.seed(db, app_settings)

    with app_session(wsgi_app) as db:
        journal = db.scalar(select(Journal))
        assert normalise_issn(journal.issn_print) == journal.issn_print
        assert normalise_issn(journal.issn_online) == journal.issn_online
        assert journal.doi_prefix

        submissions = db.scalars(select(Submission)).all()
        assert {s.state for s in submissions} >= set(WITH_DOI) - {SubmissionState.IN_PRODUCTION}
        for s in submissions:
            if s.state in WITH_DOI:
                assert s.doi and is_valid_doi(s.doi) and s.doi_number, (s.title, s.state)
                assert s.accepted_at is not None
                record = db.scalar(select(DoiRecord).where(DoiRecord.doi == s.doi))
                assert record is not None, s.doi
            else:
                assert not s.doi, (s.title, s.state)
            # every move is a workflow transition, in order, ending where the paper is
            events = db.scalars(
                select(AuditEvent)
                .where(AuditEvent.submission_id == s.id)
                .order_by(AuditEvent.created_at, AuditEvent.id)
            ).all()
            if events:
                assert events[-1].to_state == s.state.value
                assert [e.from_state for e in events[1:]] == [e.to_state for e in events[:-1]]
            # recorded by the workflow itself, dated when the demo says it happened
            moves = [e for e in events if e.action in workflow.TRANSITIONS]
            assert all(e.detail.get("demo") for e in moves), s.title
            decided = {e.created_at for e in events if e.action in ("decide", "desk_reject")}
            decisions = db.scalars(select(Decision).where(Decision.submission_id == s.id)).all()
            assert {d.decided_at for d in decisions} == decided, s.title
        published = [s for s in submissions if s.state is SubmissionState.PUBLISHED]
        published_dois = {s.doi for s in published}
        article = db.scalar(select(Article).where(Article.submission_id == published[0].id))
        assert article.doi == published[0].doi
        assert article.elocation_id == f"e{published[0].doi_number:04d}"
        article_id = article.id

        # What the production page's conversion reports: no journal setting missing (the
        # article converted again as in production, then the change rolled back).
        article.state = ArticleState.IN_PRODUCTION
        storage = storage_from_settings(dict(app_settings))
        summary = production.convert_manuscript(db, storage, article, app_settings)
        journal_words = ("issn", "journal", "doi prefix", "publisher")
        assert not [m for m in summary["missing"] if any(w in m.lower() for w in journal_words)]
        db.rollback()

    producer = login(wsgi_app, "production")
    listing = producer.get("/production/dois")
    for doi in published_dois:
        assert doi in listing.text
    page = producer.get(f"/production/articles/{article_id}")
    assert "journal ISSN" not in page.text  # the footer shows the ISSNs themselves


def test_the_demo_paper_under_review_is_being_discussed(wsgi_app, app_settings) -> None:
    """Seeded through the discussion services: the author sees the thread with the editors
    (and the editor's name), the reviewer who accepted sees theirs, and seeding emailed no
    one."""
    from frontiers_de.discussions.models import DiscussionThread
    from frontiers_de.mail.models import OutboxEmail

    with app_session(wsgi_app) as db:
        demo.seed(db, app_settings)
    with app_session(wsgi_app) as db:
        threads = db.scalars(select(DiscussionThread).order_by(DiscussionThread.id)).all()
        assert [t.kind.value for t in threads] == ["authors", "reviewer"]
        sid, aid = threads[0].submission_id, threads[1].assignment_id
        assert (
            db.scalar(select(OutboxEmail).where(OutboxEmail.template == "discussion_message"))
            is None
        )
    author = login(wsgi_app, "author").get(f"/submissions/{sid}/discussions")
    assert "Sharing the interview data" in author.text and "Figure 2" not in author.text
    reviewer = login(wsgi_app, "reviewer").get(f"/reviews/{aid}/discussions")
    assert "Figure 2 in your copy" in reviewer.text
