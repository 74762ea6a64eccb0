"""DOI registration through the app, against the local Crossref stand-in on loopback.

The app's settings point at the stand-in (no patching); Celery runs eagerly, so the deposit
task runs right after the publishing transaction commits. Acceptance and publication go
through the workflow in a request of the real app (as the editorial and production pages
call it); what the production editor sees and does goes through WebTest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import webtest
from lxml import etree
from sqlalchemy import select

from frontiers_de import events
from frontiers_de.accounts.models import User
from frontiers_de.articles.events import ArticlePublished
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.crossref import services
from frontiers_de.crossref.models import DepositState, DoiDeposit, DoiRecord, DoiState
from frontiers_de.crossref.tasks import sweep_deposits
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.scripting import app_request
from frontiers_de.submissions.models import Submission
from tests.crossref.standin import CR_NS, CrossrefStandIn
from tests.crossref.world import (
    WorldIds,
    accept,
    crossref_settings,
    jats_for,
    make_article,
    make_issue,
    make_world,
    under_review,
)
from tests.factories import app_session
from tests.web import client_for, csrf


@pytest.fixture
def standin() -> Iterator[CrossrefStandIn]:
    with CrossrefStandIn() as service:
        yield service


@pytest.fixture
def app_settings(app_settings, standin):
    # A deposit Crossref could not take is due again at once, so the sweep can be shown.
    return {**app_settings, **crossref_settings(standin), "crossref.retry_base_seconds": "0"}


@pytest.fixture
def ids(wsgi_app) -> WorldIds:
    with app_session(wsgi_app) as db:
        return WorldIds.of(make_world(db))


@pytest.fixture
def producer(wsgi_app, ids) -> webtest.TestApp:
    with app_session(wsgi_app) as db:
        email = db.get(User, ids.producer).email
    return client_for(wsgi_app, email)


def accept_paper(app_settings, ids, title: str) -> str:
    """An editor accepts a paper (through the workflow, in a request); returns its DOI."""
    with app_request(app_settings) as request:
        world = ids.load(request.db)
        sub = accept(request.db, world, under_review(request.db, world, title))
        return sub.doi


def publish_paper(app_settings, ids, doi: str, issue_id: int | None = None) -> int:
    """Production makes the article and publishes it, as the articles domain does: the
    workflow's "publish" transition and ArticlePublished announced, then the article set
    published. Returns its id."""
    with app_request(app_settings) as request:
        db = request.db
        world = ids.load(db)
        sub = db.scalar(select(Submission).where(Submission.doi == doi))
        workflow.apply(db, sub, "start_production", world.producer)
        article = make_article(db, world, sub, state=ArticleState.IN_PRODUCTION)
        article.issue_id = issue_id
        workflow.apply(db, sub, "publish", world.producer)
        events.notify(ArticlePublished(db=db, article=article, actor=world.producer))
        # Set after the announcement on purpose: the deposit is built at the commit.
        article.state = ArticleState.PUBLISHED
        article.published_at = utcnow()
        db.flush()
        return article.id


def record(wsgi_app, doi: str) -> DoiRecord:
    with app_session(wsgi_app) as db:
        row = db.scalar(select(DoiRecord).where(DoiRecord.doi == doi))
        _ = row.events
        return row


def deposits(wsgi_app) -> list[DoiDeposit]:
    with app_session(wsgi_app) as db:
        return list(db.scalars(select(DoiDeposit).order_by(DoiDeposit.id)))


def row_of(page, doi: str) -> str:
    link = page.html.find("a", string=doi)
    assert link is not None, f"{doi} not listed"
    return " ".join(link.find_parent("tr").get_text(" ").split())


def test_accept_assigns_the_doi_and_publishing_registers_it(
    wsgi_app, app_settings, ids, producer, standin
):
    doi = accept_paper(app_settings, ids, "Learning analytics in rural classrooms")
    assert doi and doi.startswith("10.5555/fde.")
    page = producer.get("/production/dois")
    assert "Not registered" in row_of(page, doi) and "No article yet" in row_of(page, doi)

    publish_paper(app_settings, ids, doi)

    (deposit,) = deposits(wsgi_app)
    assert deposit.state is DepositState.COMPLETED
    rec = record(wsgi_app, doi)
    assert rec.state is DoiState.REGISTERED and rec.metadata_mismatch == ""
    assert rec.metadata_checked_at is not None
    assert [e.state for e in rec.events] == [
        DoiState.UNREGISTERED,
        DoiState.QUEUED,
        DoiState.SUBMITTED,
        DoiState.REGISTERED,
    ]
    with app_session(wsgi_app) as db:
        job = db.scalar(select(Job).where(Job.kind == "doi_deposit"))
        assert job.state is JobState.DONE and job.result["outcomes"] == {doi: "registered"}
    # The pages: the filtered list, the DOI's history and check, the batch with its XML.
    listed = producer.get("/production/dois", {"status": "registered"})
    assert "Registered" in row_of(listed, doi) and "Matches" in row_of(listed, doi)
    assert doi not in producer.get("/production/dois", {"status": "failed"}).text
    detail = producer.get(f"/production/dois/{rec.id}")
    assert "Crossref holds the same title, authors and dates" in detail.text
    assert detail.text.count("Sent, waiting for Crossref") == 1  # one history row
    batches = producer.get("/production/dois/deposits")
    assert deposit.batch_id in batches.text and "done" in batches.text  # the job
    batch = producer.get(f"/production/dois/deposits/{deposit.id}")
    assert "record_diagnostic" in batch.text and "doi_batch_id" in batch.text
    xml = producer.get(f"/production/dois/deposits/{deposit.id}/xml")
    assert xml.content_type == "application/xml"
    root = etree.fromstring(xml.body)
    assert root.findtext(f".//{{{CR_NS}}}doi_data/{{{CR_NS}}}doi") == doi


def test_a_batch_with_one_failing_record_and_a_warning(
    wsgi_app, app_settings, ids, producer, standin
):
    dois = [accept_paper(app_settings, ids, f"Paper {n}") for n in range(3)]
    with app_session(wsgi_app) as db:
        issue_id = make_issue(db, ids.load(db)).id
    for doi in dois:
        publish_paper(app_settings, ids, doi, issue_id)
    assert {record(wsgi_app, d).state for d in dois} == {DoiState.REGISTERED}
    standin.record_rules[dois[1]] = ("Failure", "Record not processed: ISSN not registered")
    standin.record_rules[dois[2]] = ("Warning", "Added with conflict: title matches 10.5555/x")

    page = producer.get("/production/dois")
    res = producer.post(
        f"/production/dois/issues/{issue_id}/redeposit", {"csrf_token": csrf(page)}
    ).follow()
    assert "is queued" in res.text

    assert record(wsgi_app, dois[0]).state is DoiState.REGISTERED
    failed = record(wsgi_app, dois[1])
    assert failed.state is DoiState.FAILED
    assert failed.message == "Record not processed: ISSN not registered"
    warned = record(wsgi_app, dois[2])
    assert warned.state is DoiState.REGISTERED_WITH_WARNINGS
    assert warned.message == "Added with conflict: title matches 10.5555/x"
    page = producer.get("/production/dois")
    assert "ISSN not registered" in row_of(page, dois[1]) and "Failed" in row_of(page, dois[1])
    assert "Registered with warnings" in row_of(page, dois[2])
    # One batch carried all three (after the three of their publication).
    assert len(standin.submissions) == 4 and sorted(standin.submissions[-1].dois) == sorted(dois)


# Commits for real: a failed Crossref deposit is recorded in a transaction of its own while
# the job's transaction rolls back, which one connection's savepoints cannot reproduce.
@pytest.mark.commits
def test_an_issue_deposited_again_while_its_batches_are_queued_sends_each_once(
    wsgi_app, app_settings, ids, producer, standin
):
    dois = [accept_paper(app_settings, ids, f"Paper {n}") for n in range(2)]
    with app_session(wsgi_app) as db:
        issue_id = make_issue(db, ids.load(db)).id
    standin.fail_next("deposit", *["503"] * 8)  # Crossref down: each publish stays queued
    for doi in dois:
        publish_paper(app_settings, ids, doi, issue_id)
    assert {record(wsgi_app, d).state for d in dois} == {DoiState.QUEUED}
    standin.faults.clear()
    page = producer.get("/production/dois")
    res = producer.post(
        f"/production/dois/issues/{issue_id}/redeposit", {"csrf_token": csrf(page)}
    ).follow()
    assert res.text.count("is still on its way to Crossref") == 2
    assert len(deposits(wsgi_app)) == 2  # no third batch
    sweep_deposits.apply()
    assert {record(wsgi_app, d).state for d in dois} == {DoiState.REGISTERED}
    assert sorted(d for s in standin.submissions for d in s.dois) == sorted(dois)


def test_three_503s_then_success(wsgi_app, app_settings, ids, standin):
    doi = accept_paper(app_settings, ids, "Resilient")
    standin.fail_next("deposit", "503", "503", "503")
    publish_paper(app_settings, ids, doi)
    assert record(wsgi_app, doi).state is DoiState.REGISTERED
    assert [r for r in standin.requests if r[0] == "deposit"] == [("deposit", "POST")] * 4
    assert len(standin.uploads) == 1


# Commits for real: a failed Crossref deposit is recorded in a transaction of its own while
# the job's transaction rolls back, which one connection's savepoints cannot reproduce.
@pytest.mark.commits
def test_crossref_down_leaves_the_deposit_queued_until_the_sweep(
    wsgi_app, app_settings, ids, producer, standin
):
    doi = accept_paper(app_settings, ids, "Patience")
    standin.fail_next("deposit", "drop", "503", "timeout", "500")
    publish_paper(app_settings, ids, doi)  # publication goes through all the same
    with app_session(wsgi_app) as db:
        article = db.scalar(select(Article).where(Article.doi == doi))
        assert article.state.value == "published"
        job = db.scalar(select(Job).where(Job.kind == "doi_deposit"))
        assert job.state is JobState.FAILED and "tried again after" in job.error
    (deposit,) = deposits(wsgi_app)
    assert deposit.state is DepositState.QUEUED and deposit.attempts == 1
    assert "HTTP 500" in deposit.last_error
    assert "<doi_batch" in deposit.xml  # nothing lost: the row holds the XML
    rec = record(wsgi_app, doi)
    assert rec.state is DoiState.QUEUED and "HTTP 500" in rec.message
    assert "HTTP 500" in producer.get("/production/dois/deposits").text

    sweep_deposits.apply()

    assert record(wsgi_app, doi).state is DoiState.REGISTERED
    (deposit,) = deposits(wsgi_app)
    assert deposit.state is DepositState.COMPLETED and len(standin.uploads) == 1


def test_redeposit_after_a_change_sends_a_newer_timestamp(
    wsgi_app, app_settings, ids, producer, standin
):
    doi = accept_paper(app_settings, ids, "First title")
    article_id = publish_paper(app_settings, ids, doi)
    # Production corrects the title in the JATS and tells the DOI side.
    with app_request(app_settings) as request:
        article = request.db.get(Article, article_id)
        article.jats_xml = jats_for(doi, title="A corrected title")
        services.mark_metadata_changed(request.db, article, request.db.get(User, ids.producer))
    rec = record(wsgi_app, doi)
    assert rec.state is DoiState.STALE
    page = producer.get(f"/production/dois/{rec.id}")
    assert "metadata changed since" in page.text

    res = producer.post(f"/production/dois/{rec.id}/redeposit", {"csrf_token": csrf(page)})
    res.follow()
    rec = record(wsgi_app, doi)
    assert rec.state is DoiState.REGISTERED and rec.metadata_mismatch == ""
    first, second = deposits(wsgi_app)
    assert second.timestamp > first.timestamp and second.batch_id != first.batch_id
    sent = [etree.fromstring(x).findtext(f".//{{{CR_NS}}}timestamp") for x in standin.uploads]
    assert int(sent[1]) > int(sent[0])
    assert b"A corrected title" in standin.uploads[1]


def test_readback_mismatch_is_flagged_on_the_page(wsgi_app, app_settings, ids, producer, standin):
    doi = accept_paper(app_settings, ids, "Ours")
    standin.works[doi] = {
        "DOI": doi,
        "title": ["Somebody else's title"],
        "author": [{"family": "Wang", "given": "Li"}],
    }
    publish_paper(app_settings, ids, doi)
    rec = record(wsgi_app, doi)
    assert rec.state is DoiState.REGISTERED and "Somebody else's title" in rec.metadata_mismatch
    assert "Differs" in row_of(producer.get("/production/dois"), doi)
    page = producer.get(f"/production/dois/{rec.id}")
    assert "Crossref&#39;s metadata differs from ours" in page.text or (
        "Crossref's metadata differs from ours" in page.text
    )
    assert "Somebody else" in page.text


def test_redeposit_refuses_an_unpublished_article_and_needs_csrf(
    wsgi_app, app_settings, ids, producer
):
    doi = accept_paper(app_settings, ids, "Not yet")
    rec = record(wsgi_app, doi)
    page = producer.get(f"/production/dois/{rec.id}")
    assert "can be deposited once its article is published" in page.text
    res = producer.post(f"/production/dois/{rec.id}/redeposit", {"csrf_token": csrf(page)})
    assert "no article yet" in res.follow().text
    assert producer.post(f"/production/dois/{rec.id}/redeposit", expect_errors=True).status_int in (
        400,
        403,
    )
    assert deposits(wsgi_app) == []


def test_an_unknown_status_filter_is_explained(producer):
    page = producer.get("/production/dois", {"status": "lost"})
    assert "There is no such status" in page.text


def test_pages_speak_chinese(wsgi_app, app_settings, ids, producer):
    accept_paper(app_settings, ids, "Bilingual")
    producer.set_cookie("fde_lang", "zh")
    page = producer.get("/production/dois")
    assert "DOI 注册" in page.text and "未注册" in page.text


def test_the_menu_leads_the_production_editor_to_the_dois(producer):
    home = producer.get("/")
    assert home.html.find("a", href="/production/dois") is not None
    assert producer.get("/production/dois").html.find("a", href="/production/dois/deposits")


def test_an_invalid_deposit_is_not_sent_and_the_page_says_why(
    wsgi_app, app_settings, ids, producer, standin
):
    doi = accept_paper(app_settings, ids, "Invalid")
    with app_session(wsgi_app) as db:
        ids.load(db).journal.issn_online = "12345"  # refused by the schema's pattern
    publish_paper(app_settings, ids, doi)
    assert deposits(wsgi_app) == [] and standin.uploads == []
    rec = record(wsgi_app, doi)
    assert rec.state is DoiState.FAILED
    row = row_of(producer.get("/production/dois", {"status": "failed"}), doi)
    assert "invalid against the Crossref 5.4.0 schema" in row and "issn" in row


def test_a_long_list_shows_the_newest_and_says_so(wsgi_app, ids, producer):
    from frontiers_de.crossref.views import LIST_LIMIT

    with app_session(wsgi_app) as db:
        db.add_all(
            DoiRecord(journal_id=ids.journal, doi=f"10.5555/old.{n}") for n in range(LIST_LIMIT + 1)
        )
    page = producer.get("/production/dois")
    assert f"The newest {LIST_LIMIT} are shown" in page.text
    assert "10.5555/old.0<" not in page.text and f"10.5555/old.{LIST_LIMIT}<" in page.text
    assert "The newest" not in producer.get("/production/dois", {"status": "failed"}).text
