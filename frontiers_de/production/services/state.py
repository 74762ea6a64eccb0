"""Where an article stands in production, as its page shows it: the newest job of each
kind, the check summary of the current JATS, and one state per step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.articles.placement import content_sha256
from frontiers_de.db.meta import utcnow
from frontiers_de.i18n import _
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.production.services.proofs import approval_of_content, proof_covers, proofs_of
from frontiers_de.production.services.versions import jats_sha256, jats_versions
from frontiers_de.submissions.models import ManuscriptFile

# Job kinds shown on the article's production page.
JOB_CONVERT = "jats_convert"
JOB_CHECK = "jats_check"
JOB_TYPESET = "typeset"
# The typesetting task's registered name: services send it by name (frontiers_de.tasks).
TYPESET_TASK = "frontiers_de.production.typeset"
JOB_KINDS = (JOB_CONVERT, JOB_CHECK, JOB_TYPESET)


# --- jobs -------------------------------------------------------------------------------


def latest_jobs(db: Session, article: Article) -> dict[str, Job]:
    """The newest job of each production kind for the article."""
    jobs = db.scalars(
        select(Job)
        .where(
            Job.target_type == Article.__tablename__,
            Job.target_id == article.id,
            Job.kind.in_(JOB_KINDS),
        )
        .order_by(Job.id.desc())
    ).all()
    out: dict[str, Job] = {}
    for job in jobs:
        out.setdefault(job.kind, job)
    return out


def current_findings(db: Session, article: Article) -> dict[str, Any] | None:
    """The newest check summary made from the current JATS (by a conversion or a check)."""
    digest = jats_sha256(article)
    if digest is None:
        return None
    for job in db.scalars(
        select(Job)
        .where(
            Job.target_type == Article.__tablename__,
            Job.target_id == article.id,
            Job.kind.in_((JOB_CONVERT, JOB_CHECK)),
            Job.state == JobState.DONE,
        )
        .order_by(Job.id.desc())
    ):
        if (job.result or {}).get("jats_sha256") == digest:
            return job.result
    return None


# A job queued or running for longer than this is taken as lost (a broker that was down, a
# worker that died) and the step may be started again; the job itself is idempotent.
STALE_JOB_AFTER = dt.timedelta(minutes=30)


def job_busy(db: Session, article: Article, kind: str, now: dt.datetime | None = None) -> bool:
    """Whether a job of ``kind`` for the article is queued or running (and not stale)."""
    return _live(latest_jobs(db, article).get(kind), now or utcnow())


# --- the article's state in production --------------------------------------------------


@dataclass(frozen=True)
class StepState:
    """One step of production as the page shows it: ``state`` is a word for styles and
    tests, ``message`` the one sentence the editor reads, ``reason`` a failed job's
    reason, ``job`` the job in progress or that failed."""

    state: str
    message: TranslationString
    reason: str = ""
    job: Job | None = None


@dataclass(frozen=True)
class ProductionState:
    """Where an article stands in production, derived from the stored facts only (the
    JATS and its sha256, the PDF, the jobs and their results, the proofs): each step has
    one state, and no two steps contradict each other."""

    conversion: StepState
    checks: StepState
    pdf: StepState
    proof: StepState
    findings: dict[str, Any] | None = None  # the check summary of the current JATS
    conversion_result: dict[str, Any] | None = None  # the last conversion's report
    typeset_warnings: list[str] = field(default_factory=list)  # of the current PDF
    busy: bool = False  # a step is queued or running: the page refreshes itself


def _live(job: Job | None, now: dt.datetime) -> bool:
    """A job queued or running that is not lost (see STALE_JOB_AFTER)."""
    if job is None or job.state not in (JobState.QUEUED, JobState.RUNNING):
        return False
    return now - (job.started_at or job.created_at) < STALE_JOB_AFTER


def _lost(job: Job | None, now: dt.datetime) -> bool:
    return (
        job is not None and job.state in (JobState.QUEUED, JobState.RUNNING) and not _live(job, now)
    )


def _after_jats(job: Job, article: Article) -> bool:
    """Whether the job was started after the current JATS was saved (its outcome is about
    the current JATS, not an earlier one)."""
    return article.jats_updated_at is None or job.created_at >= article.jats_updated_at


def _in_progress(job: Job, queued: TranslationString, running: TranslationString) -> StepState:
    if job.state == JobState.RUNNING:
        return StepState("running", running, job=job)
    return StepState("queued", queued, job=job)


def _lost_step(job: Job) -> StepState:
    when = (job.started_at or job.created_at).strftime("%Y-%m-%d %H:%M")
    return StepState(
        "lost",
        _(
            "The step started at ${when} UTC did not finish (the worker may have stopped): "
            "start it again.",
            mapping={"when": when},
        ),
        job=job,
    )


def _conversion_state(
    article: Article, job: Job | None, latest: ManuscriptFile | None, now: dt.datetime
) -> StepState:
    if job is not None and _live(job, now):
        return _in_progress(
            job, _("The conversion is queued."), _("The manuscript is being converted.")
        )
    if job is not None and job.state == JobState.FAILED and _after_jats(job, article):
        message = (
            _("The last conversion failed; the previous JATS is kept.")
            if article.jats_xml
            else _("The conversion failed.")
        )
        return StepState("failed", message, reason=job.error, job=job)
    if job is not None and _lost(job, now):
        return _lost_step(job)
    if not article.jats_xml:
        return StepState("none", _("There is no JATS yet: convert the manuscript."))
    when = article.jats_updated_at.strftime("%Y-%m-%d %H:%M") if article.jats_updated_at else ""
    return StepState(
        "current",
        _(
            "The current JATS is ${file}, saved ${when} UTC.",
            mapping={"file": latest.filename if latest else "", "when": when},
        ),
    )


def _checks_state(
    article: Article,
    check: Job | None,
    convert: Job | None,
    findings: dict[str, Any] | None,
    now: dt.datetime,
) -> StepState:
    if not article.jats_xml:
        return StepState("none", _("Nothing to check until there is JATS."))
    running = next((j for j in (check, convert) if j is not None and _live(j, now)), None)
    if running is not None:
        return _in_progress(
            running, _("The checks are queued."), _("The current JATS is being checked.")
        )
    if findings is not None:
        counts = {"errors": findings["errors"], "warnings": findings["warnings"]}
        message = _(
            "${errors} error(s), ${warnings} warning(s) in the current JATS.", mapping=counts
        )
        return StepState("errors" if findings["errors"] else "passed", message)
    if check is not None and check.state == JobState.FAILED and _after_jats(check, article):
        return StepState(
            "failed", _("The checks of the current JATS failed."), reason=check.error, job=check
        )
    if check is not None and _lost(check, now):
        return _lost_step(check)
    return StepState("not_checked", _("The current JATS has not been checked yet."))


def _pdf_state(
    article: Article, job: Job | None, approval: Proof | None, now: dt.datetime
) -> StepState:
    if not article.jats_xml:
        return StepState("none", _("Nothing to typeset until there is JATS."))
    if job is not None and _live(job, now):
        return _in_progress(
            job, _("Typesetting is queued."), _("The current JATS is being typeset.")
        )
    failed = job is not None and job.state == JobState.FAILED and _after_jats(job, article)
    if article.pdf_sha256:
        pages = {"pages": article.pdf_pages or 0}
        if failed:
            assert job is not None
            return StepState(
                "failed",
                _(
                    "Typesetting again failed; the PDF of the current JATS (${pages} pages) "
                    "is kept.",
                    mapping=pages,
                ),
                reason=job.error,
                job=job,
            )
        return StepState(
            "current", _("The PDF of the current JATS: ${pages} pages.", mapping=pages)
        )
    if failed:
        assert job is not None
        return StepState(
            "failed",
            _("Typesetting the current JATS failed: there is no PDF of it."),
            reason=job.error,
            job=job,
        )
    if job is not None and _lost(job, now):
        return _lost_step(job)
    if approval is not None:
        return StepState(
            "outdated",
            _("The placement changed after the approved proof: typeset the PDF again."),
        )
    if job is not None:
        return StepState(
            "outdated", _("The PDF was made from an earlier JATS: typeset the current one.")
        )
    return StepState("not_typeset", _("The current JATS has not been typeset yet."))


def _proof_state(
    article: Article, proofs: list[Proof], approval: Proof | None, content: str | None
) -> StepState:
    if approval is not None:
        number = {"number": approval.number}
        if not article.pdf_sha256:
            return StepState(
                "approved_placement",
                _(
                    "Proof ${number} is approved and stays approved: only the placement "
                    "changed since. The PDF must carry it before publishing.",
                    mapping=number,
                ),
            )
        return StepState("approved", _("Proof ${number} was approved.", mapping=number))
    if not proofs:
        return StepState("not_sent", _("No proof has been sent yet."))
    newest = proofs[0]
    number = {"number": newest.number}
    covers = proof_covers(newest, article.jats_xml, article.pdf_sha256, content)
    if newest.state == ProofState.SENT and covers:
        return StepState(
            "waiting", _("Proof ${number} is waiting for the author's answer.", mapping=number)
        )
    if newest.state == ProofState.CORRECTIONS_REQUESTED:
        return StepState(
            "corrections",
            _(
                "The author asked for corrections to proof ${number}: make them, typeset, "
                "and send a new proof.",
                mapping=number,
            ),
        )
    return StepState(
        "outdated",
        _(
            "The JATS or its files changed after proof ${number}: send a new proof of the "
            "current PDF.",
            mapping=number,
        ),
    )


def production_state(
    db: Session, article: Article, now: dt.datetime | None = None
) -> ProductionState:
    """The one account of where the article stands in production (see ProductionState)."""
    now = now or utcnow()
    jobs = latest_jobs(db, article)
    convert, check, typeset = (jobs.get(k) for k in JOB_KINDS)
    findings = current_findings(db, article)
    versions = jats_versions(db, article.submission_id) if article.submission_id else []
    content = content_sha256(article.jats_xml) if article.jats_xml else None
    approval = approval_of_content(db, article)
    proofs = proofs_of(db, article)
    warnings: list[str] = []
    if typeset is not None and article.pdf_sha256:
        done = db.scalars(
            select(Job)
            .where(
                Job.target_type == Article.__tablename__,
                Job.target_id == article.id,
                Job.kind == JOB_TYPESET,
                Job.state == JobState.DONE,
            )
            .order_by(Job.id.desc())
        )
        made = next(
            (j for j in done if (j.result or {}).get("pdf_sha256") == article.pdf_sha256), None
        )
        warnings = list((made.result or {}).get("warnings") or []) if made else []
    conversion_result = None
    if convert is not None and convert.state == JobState.DONE:
        conversion_result = convert.result
    if article.state != ArticleState.IN_PRODUCTION:
        proof = StepState("published", _("The proofs are closed: the article is published."))
    else:
        proof = _proof_state(article, proofs, approval, content)
    return ProductionState(
        conversion=_conversion_state(article, convert, versions[0] if versions else None, now),
        checks=_checks_state(article, check, convert, findings, now),
        pdf=_pdf_state(article, typeset, approval, now),
        proof=proof,
        findings=findings,
        conversion_result=conversion_result,
        typeset_warnings=warnings,
        busy=any(_live(j, now) for j in jobs.values()),
    )
