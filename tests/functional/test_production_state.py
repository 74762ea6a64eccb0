"""The production page tells one story: each step's state is derived from the stored facts
(the JATS and its hash, the PDF, the jobs and their results, the proofs), shown once, and
never contradicts another step (issue 10, part 8)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.articles.jats import store_jats
from frontiers_de.articles.models import Article
from frontiers_de.db.meta import utcnow
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.production import services
from frontiers_de.submissions.models import Submission
from tests.factories import app_session
from tests.functional.test_production_flow import VALID_JATS, production

__all__ = ["production"]


def _job(db, article: Article, kind: str, state: JobState, **fields) -> Job:
    job = Job(
        kind=kind,
        target_type=Article.__tablename__,
        target_id=article.id,
        journal_id=article.journal_id,
        state=state,
        **fields,
    )
    db.add(job)
    db.flush()
    return job


def _article_with_jats(wsgi_app, storage, submission_id: int) -> int:
    with app_session(wsgi_app) as db:
        submission = db.get(Submission, submission_id)
        editor = db.scalar(select(User).where(User.email == "prod@example.org"))
        article = services.start_production(db, submission, editor)
        store_jats(db, storage, article, VALID_JATS.read_bytes(), filename="a.xml")
        return article.id


def _states(page) -> dict[str, tuple[str, str]]:
    out = {}
    for node in page.html.select(".step-state"):
        state = next(c for c in node["class"] if c.startswith("state-"))
        out[node["id"]] = (state.removeprefix("state-"), node.text.strip())
    return out


def test_checks_made_by_the_conversion_are_the_checks_of_the_current_jats(
    testapp, wsgi_app, production
):
    submission_id, storage = production
    article_id = _article_with_jats(wsgi_app, storage, submission_id)
    with app_session(wsgi_app) as db:
        article = db.get(Article, article_id)
        summary = services.check_jats(article, None, {})
        summary["errors"], summary["warnings"] = 3, 9
        # A conversion's result carries the checks; no check job ever ran.
        _job(db, article, services.JOB_CONVERT, JobState.DONE, result=summary)
    page = testapp.get(f"/production/articles/{article_id}")
    states = _states(page)
    assert states["check-state"] == (
        "errors",
        "3 error(s), 9 warning(s) in the current JATS.",
    )
    assert "not run yet" not in page.text and "not been checked" not in page.text
    assert len(states) == 4  # conversion, checks, PDF, proof: each once


def test_a_pdf_of_an_earlier_jats_is_not_called_done(testapp, wsgi_app, production):
    submission_id, storage = production
    article_id = _article_with_jats(wsgi_app, storage, submission_id)
    with app_session(wsgi_app) as db:
        article = db.get(Article, article_id)
        earlier = utcnow() - dt.timedelta(hours=1)
        _job(
            db,
            article,
            services.JOB_TYPESET,
            JobState.DONE,
            result={"pdf_sha256": "0" * 64, "jats_sha256": "1" * 64, "warnings": ["old"]},
            created_at=earlier,
        )
    page = testapp.get(f"/production/articles/{article_id}")
    state, text = _states(page)["pdf-state"]
    assert state == "outdated" and "earlier JATS" in text
    assert "done" not in page.html.select_one("#pdf").text
    assert "Typesetting warnings" not in page.text  # they were of a PDF that is gone
    assert page.html.select_one("meta[http-equiv=refresh]") is None


def test_a_failed_typesetting_of_the_current_jats_says_why_once(testapp, wsgi_app, production):
    submission_id, storage = production
    article_id = _article_with_jats(wsgi_app, storage, submission_id)
    with app_session(wsgi_app) as db:
        article = db.get(Article, article_id)
        _job(db, article, services.JOB_TYPESET, JobState.FAILED, error="typesetting failed: x")
    page = testapp.get(f"/production/articles/{article_id}")
    state, text = _states(page)["pdf-state"]
    assert state == "failed" and "there is no PDF of it" in text
    assert page.html.select_one("#pdf").text.count("typesetting failed: x") == 1


def test_a_lost_job_is_not_shown_as_queued_and_the_page_stops_refreshing(
    testapp, wsgi_app, production
):
    submission_id, storage = production
    article_id = _article_with_jats(wsgi_app, storage, submission_id)
    with app_session(wsgi_app) as db:
        article = db.get(Article, article_id)
        long_ago = utcnow() - services.STALE_JOB_AFTER - dt.timedelta(minutes=1)
        _job(db, article, services.JOB_CHECK, JobState.QUEUED, created_at=long_ago)
    page = testapp.get(f"/production/articles/{article_id}")
    state, text = _states(page)["check-state"]
    assert state == "lost" and "did not finish" in text
    assert "queued" not in page.html.select_one("#checks").text
    assert page.html.select_one("meta[http-equiv=refresh]") is None

    # A job that is really queued is shown as such, and the page refreshes itself.
    with app_session(wsgi_app) as db:
        _job(db, db.get(Article, article_id), services.JOB_CHECK, JobState.QUEUED)
    page = testapp.get(f"/production/articles/{article_id}")
    assert _states(page)["check-state"][0] == "queued"
    assert page.html.select_one("meta[http-equiv=refresh]") is not None


def test_the_state_speaks_chinese(testapp, wsgi_app, production):
    submission_id, storage = production
    article_id = _article_with_jats(wsgi_app, storage, submission_id)
    testapp.set_cookie("fde_lang", "zh")
    page = testapp.get(f"/production/articles/{article_id}")
    states = _states(page)
    assert states["check-state"][1] == "当前 JATS 尚未检查。"
    assert states["proof-state"][1] == "尚未发送校样。"
    assert states["pdf-state"][1] == "当前 JATS 尚未排版。"
    assert states["conversion-state"][1].startswith("当前 JATS 为 a.xml，保存于 ")
