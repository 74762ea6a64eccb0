"""Test data for the reader's side: volumes, issues and published articles whose JATS is
the valid fixture with their own DOI, title and placement."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article, ArticleState, Issue, IssueState, Volume
from frontiers_de.journals.models import Journal, Section
from frontiers_de.production.jats.html import rendering_version
from frontiers_de.publishing.search import index_article
from frontiers_de.submissions.models import SubmissionState
from tests.articles_factories import ArticleFactory, IssueFactory, VolumeFactory
from tests.factories import make_user
from tests.submission_factories import SubmissionFactory

JATS_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "jats" / "article-valid.xml"
FIXTURE_DOI = "10.5555/fde.2026.0001"


def jats_with(
    doi: str,
    *,
    title: str | None = None,
    volume: str | None = None,
    issue: str | None = None,
    elocation_id: str | None = None,
) -> str:
    """The fixture's JATS carrying another DOI (and title, volume, issue, e-location)."""
    text = JATS_FIXTURE.read_text(encoding="utf-8").replace(FIXTURE_DOI, doi)
    for tag, value in (
        ("article-title", title),
        ("volume", volume),
        ("issue", issue),
        ("elocation-id", elocation_id),
    ):
        if value is not None:
            text = re.sub(
                rf"<{tag}>.*?</{tag}>", f"<{tag}>{escape(value)}</{tag}>", text, count=1, flags=re.S
            )
    return text


def make_issue(
    db: Session,
    journal: Journal,
    volume: int = 1,
    number: str = "1",
    *,
    year: int = 2026,
    state: IssueState = IssueState.PUBLISHED,
    title: str = "",
) -> Issue:
    vol = db.scalar(select(Volume).where(Volume.journal_id == journal.id, Volume.number == volume))
    if vol is None:
        vol = VolumeFactory(db=db, journal=journal, number=volume, year=year)
    return IssueFactory(
        db=db,
        journal=journal,
        volume=vol,
        number=number,
        year=year,
        title=title,
        state=state,
        published_at=dt.datetime(year, 3, 1, tzinfo=dt.UTC)
        if state is IssueState.PUBLISHED
        else None,
    )


def publish_article(
    db: Session,
    journal: Journal,
    doi: str | None,
    *,
    title: str = "Learning analytics in rural schools",
    issue: Issue | None = None,
    section_code: str | None = "research-article",
    state: ArticleState = ArticleState.PUBLISHED,
    published_at: dt.datetime | None = None,
    updated_at: dt.datetime | None = None,
    jats: str | None = "",
    position: int = 0,
    elocation_id: str = "",
    pdf_sha256: str | None = None,
) -> Article:
    """A published article (in ``state``) of a submission in ``section_code``. Its JATS is
    the fixture with its DOI and title unless ``jats`` is given (``None``: no JATS)."""
    section = None
    if section_code is not None:
        section = db.scalar(
            select(Section).where(Section.journal_id == journal.id, Section.code == section_code)
        )
    submission = SubmissionFactory(
        db=db,
        journal=journal,
        section=section,
        submitter=make_user(db),
        title=title,
        abstract="",
        state=SubmissionState.PUBLISHED,
        submitted_at=None,
    )
    published_at = published_at or dt.datetime(2026, 3, 15, 9, tzinfo=dt.UTC)
    article = ArticleFactory(
        db=db,
        journal=journal,
        submission=submission,
        issue=issue,
        position=position,
        state=state,
        doi=doi,
        elocation_id=elocation_id,
        title=title,
        jats_xml=(jats_with(doi or FIXTURE_DOI, title=title) if jats == "" else jats),
        jats_updated_at=published_at,
        html="<p>The full text.</p>",
        # marked as this release's rendering, so the article page shows it as it stands
        html_version=rendering_version(),
        pdf_sha256=pdf_sha256,
        published_at=published_at,
        updated_at=updated_at or published_at,
    )
    # What store_jats does when production stores the JATS.
    index_article(db, article)
    db.flush()
    return article
