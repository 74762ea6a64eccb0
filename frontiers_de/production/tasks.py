"""Production work in the background: conversion to JATS, checks, typesetting.

Each task gets a job id, reloads everything by id in its own transaction
(:func:`frontiers_de.jobs.services.run_job`), and records queued/running/failed/done on the
job, which the article's production page shows. A failure rolls the work back, so the
previous JATS and PDF stay as they were.
"""

from __future__ import annotations

from pyramid.i18n import TranslationString
from sqlalchemy.orm.exc import StaleDataError

from frontiers_de.articles.models import Article
from frontiers_de.jobs.services import JobFailed, run_job
from frontiers_de.journals.models import Journal
from frontiers_de.production import services
from frontiers_de.production.services import ProductionError, convert_manuscript, typeset_current
from frontiers_de.storage import storage_from_settings
from frontiers_de.tasks import celery_app, task_settings

# Another change of the article (a new JATS, say) committed while this job worked on it.
CHANGED_MEANWHILE = "the article changed while this step ran; nothing was saved, run it again"


def _failed(exc) -> JobFailed:
    """The job failure for a refused production step, its message as the editor reads it
    (a translation string with ``${…}`` placeholders filled in)."""
    message = exc.message
    text = message.interpolate() if isinstance(message, TranslationString) else str(message)
    return JobFailed(text)


def _article(run) -> Article:
    article = run.db.get(Article, run.job.target_id)
    if article is None:
        raise JobFailed("the article no longer exists")
    return article


def _storage():
    return storage_from_settings(task_settings())


@celery_app.task(name="frontiers_de.production.convert_jats", ignore_result=True)
def convert_jats(job_id: int) -> None:
    """Convert the latest manuscript of the job's article to JATS, then check it."""
    with run_job(job_id) as run:
        if run is None:
            return
        try:
            run.result = convert_manuscript(run.db, _storage(), _article(run), task_settings())
        except ProductionError as exc:
            raise _failed(exc) from exc
        except StaleDataError as exc:
            raise JobFailed(CHANGED_MEANWHILE) from exc


@celery_app.task(name="frontiers_de.production.check_jats", ignore_result=True)
def check_jats(job_id: int) -> None:
    """Check the article's current JATS (house rules and the official XSD)."""
    with run_job(job_id) as run:
        if run is None:
            return
        article = _article(run)
        try:
            run.result = services.check_jats(
                article, run.db.get(Journal, article.journal_id), task_settings()
            )
        except services.ProductionError as exc:
            raise _failed(exc) from exc


@celery_app.task(name=services.TYPESET_TASK, ignore_result=True)
def typeset_article(job_id: int) -> None:
    """Typeset the article's current JATS into its PDF."""
    with run_job(job_id) as run:
        if run is None:
            return
        try:
            run.result = typeset_current(run.db, _storage(), _article(run), task_settings())
        except ProductionError as exc:
            raise _failed(exc) from exc
        except StaleDataError as exc:
            raise JobFailed(CHANGED_MEANWHILE) from exc
