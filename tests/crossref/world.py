"""Test data for DOI registration in the app: a journal with a DOI prefix, an editor and a
production editor, submissions moved through the real workflow, articles with JATS, and
settings that point the app at the local Crossref stand-in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, ArticleState, Issue
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.journals.models import Journal
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.articles_factories import ArticleFactory, IssueFactory, VolumeFactory
from tests.crossref.standin import CrossrefStandIn
from tests.factories import make_journal, make_user
from tests.submission_factories import SubmissionFactory

SAMPLE_JATS = Path(__file__).resolve().parent.parent / "unit" / "crossref" / "data" / "article.xml"
SAMPLE_DOI = "10.5555/fde.2025.0007"


def crossref_settings(standin: CrossrefStandIn) -> dict[str, str]:
    """App settings that send deposits to the stand-in, with waits short enough for tests
    (the retry and poll logic is the real one)."""
    return {
        "crossref.deposit_url": standin.deposit_url,
        "crossref.api_url": standin.base_url,
        "crossref.username": standin.username,
        "crossref.password": standin.password,
        "crossref.timeout": "2",
        "crossref.rest_timeout": "2",
        "crossref.poll_interval": "0.01",
        "crossref.max_polls": "6",
        "crossref.retry_attempts": "4",
        "crossref.retry_base_delay": "0.01",
        "crossref.retry_max_delay": "0.05",
        "crossref.retry_base_seconds": "60",
        "fde.base_url": "https://fde.example.org",
        # The public address above, and the test clients' own (WebTest, live_server).
        "fde.allowed_hosts": "fde.example.org localhost 127.0.0.1",
    }


def jats_for(doi: str, title: str | None = None) -> str:
    """The sample article's JATS carrying ``doi`` (and another title, if given)."""
    text = SAMPLE_JATS.read_text(encoding="utf-8").replace(SAMPLE_DOI, doi)
    if title is not None:
        text = re.sub(
            r"<article-title>.*?</article-title>",
            f"<article-title>{title}</article-title>",
            text,
            count=1,
            flags=re.S,
        )
    return text


@dataclass
class World:
    """The journal and its people, as rows of one session."""

    journal: Journal
    author: User
    editor: User
    producer: User


@dataclass(frozen=True)
class WorldIds:
    """A :class:`World` by its rows' ids: what a functional test keeps between its sessions
    and requests, since rows belong to the session that loaded them. ``load(db)`` gives the
    World back on another session."""

    journal: int
    author: int
    editor: int
    producer: int

    @classmethod
    def of(cls, world: World) -> WorldIds:
        return cls(world.journal.id, world.author.id, world.editor.id, world.producer.id)

    def load(self, db: Session) -> World:
        return World(
            db.get(Journal, self.journal),
            db.get(User, self.author),
            db.get(User, self.editor),
            db.get(User, self.producer),
        )


def make_world(db: Session) -> World:
    journal = make_journal(db)
    journal.issn_online = "2999-0001"
    journal.doi_prefix = "10.5555"
    journal.doi_suffix_pattern = "fde.{year}.{number:04d}"
    author = make_user(db)
    editor = make_user(db, roles=[Role.SECTION_EDITOR], journal=journal)
    producer = make_user(db, roles=[Role.PRODUCTION_EDITOR], journal=journal)
    db.flush()
    for user in (editor, producer):
        db.refresh(user)
    return World(journal, author, editor, producer)


def under_review(db: Session, world: World, title: str = "On learning") -> Submission:
    return SubmissionFactory(
        db=db,
        journal=world.journal,
        submitter=world.author,
        title=title,
        abstract="",
        state=SubmissionState.UNDER_REVIEW,
        submitted_at=None,
    )


def accept(db: Session, world: World, sub: Submission) -> Submission:
    workflow.apply(db, sub, "decide", world.editor, decision=DecisionKind.ACCEPT)
    return sub


def make_article(
    db: Session,
    world: World,
    sub: Submission | None,
    *,
    doi: str | None = None,
    jats_doi: str | None = None,
    state: ArticleState = ArticleState.PUBLISHED,
    issue: Issue | None = None,
    title: str | None = None,
) -> Article:
    """An article for ``sub`` whose JATS carries ``jats_doi`` (default: the article's DOI)."""
    doi = doi or (sub.doi if sub is not None else None)
    return ArticleFactory(
        db=db,
        journal=world.journal,
        submission=sub,
        issue=issue,
        doi=doi,
        jats_xml=jats_for(jats_doi or doi or "", title) if (jats_doi or doi) else None,
        state=state,
        **({"title": title} if title else {}),
    )


def make_issue(db: Session, world: World) -> Issue:
    volume = VolumeFactory(db=db, journal=world.journal, number=2, year=2025)
    return IssueFactory(db=db, journal=world.journal, volume=volume)


def published_paper(db: Session, world: World, title: str = "On learning", **kw: Any) -> Article:
    """A submission accepted through the workflow (so it has its DOI) and its article."""
    sub = accept(db, world, under_review(db, world, title))
    return make_article(db, world, sub, **kw)
