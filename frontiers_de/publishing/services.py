"""What readers see of the journal: the archive of volumes and issues, an issue's table of
contents, an article's citation, and the latest articles for the feed.

Readers see published and corrected articles only. An issue is shown once it is published
or holds a published article (articles are published one by one, before their issue
closes), so the archive never links to an empty page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article, ArticleState, Issue, IssueState, Volume
from frontiers_de.articles.urls import article_path
from frontiers_de.journals.models import Journal, Section
from frontiers_de.production.jats.labels import Translate, localise
from frontiers_de.production.jats.meta import ArticleMeta, Reference, read_article_meta
from frontiers_de.publishing.citations import Citation, Placement, citation_from_meta
from frontiers_de.submissions.models import Submission
from frontiers_de.xml.safe import XMLInputError, parse_xml

VISIBLE_STATES = (ArticleState.PUBLISHED, ArticleState.CORRECTED)
DEFAULT_FEED_SIZE = 20


def _issue_sort_key(number: str) -> tuple[int, int, str]:
    """Issues in the order they appear: numbers numerically ("10" after "9"), then the rest."""
    m = re.match(r"\d+", number)
    return (0, int(m[0]), number) if m else (1, 0, number)


# --- the article page ---------------------------------------------------------------------


# The localised pages of the most read articles: localising costs about 20 µs per marked
# word (10 ms for a 0.5 MB article with 400 of them, most of them back-links), the digest
# that finds a cached page under 1 ms (measured on a loaded 2-core machine).
_LOCALISED_SIZE = 64
_localised: OrderedDict[tuple[bytes, str, tuple[tuple[str, str], ...]], str] = OrderedDict()
_localised_lock = threading.Lock()


def reader_html(article: Article, journal: Journal, locale: str, translate: Translate) -> str:
    """The article's stored reader HTML with the interface words in ``locale`` (the stored
    HTML has them in English, marked; see :mod:`frontiers_de.production.jats.labels`). The
    article-type line is the journal's section name, in ``locale`` as the journal names it."""
    stored = article.html or ""
    if locale == "en":
        return stored
    sections = tuple(sorted((s.name, s.name_in(locale)) for s in journal.sections))
    key = (hashlib.sha256(stored.encode("utf-8")).digest(), locale, sections)
    with _localised_lock:
        if key in _localised:
            _localised.move_to_end(key)
            return _localised[key]
    page = localise(stored, translate, locale, dict(sections))
    with _localised_lock:
        _localised[key] = page
        while len(_localised) > _LOCALISED_SIZE:
            _localised.popitem(last=False)
    return page


# --- metadata of one article (its JATS, read once per version) ----------------------------


def _meta_of(article: Article) -> ArticleMeta:
    if not article.jats_xml:
        return ArticleMeta()
    try:
        return read_article_meta(parse_xml(article.jats_xml.encode("utf-8")))
    except XMLInputError:
        return ArticleMeta()


def placement_of(
    article: Article, site_url: str, volume: int | None = None, issue: str | None = None
) -> Placement:
    """What the database knows of the article's place: its issue (given, or its own), its
    registered DOI and e-location, publication day and public addresses."""
    if volume is None and issue is None and article.issue is not None:
        volume, issue = article.issue.volume.number, article.issue.number
    url = f"{site_url.rstrip('/')}{article_path(article)}" if article.doi else ""
    return Placement(
        volume=str(volume) if volume is not None else "",
        issue=issue or "",
        elocation_id=article.elocation_id,
        doi=article.doi or "",
        published=article.published_at.date() if article.published_at else None,
        url=url,
        pdf_url=f"{url}/pdf" if url and article.pdf_sha256 else "",
        xml_url=f"{url}/xml" if url and article.jats_xml else "",
        title=article.title,
    )


def article_citation(
    article: Article,
    journal: Journal,
    site_url: str,
    volume: int | None = None,
    issue: str | None = None,
) -> Citation:
    """The article's citation: its JATS, the journal's settings and its placement."""
    placement = placement_of(article, site_url, volume, issue)
    return citation_from_meta(_meta_of(article), journal.profile(site_url), placement)


@dataclass(frozen=True)
class ArticleSummary:
    """The few facts a list of articles shows, read from the JATS."""

    title: str
    authors: tuple[str, ...]
    fpage: str = ""
    lpage: str = ""
    elocation_id: str = ""
    abstract: str = ""

    @property
    def locator(self) -> str:
        if self.fpage:
            if self.lpage and self.lpage != self.fpage:
                return f"{self.fpage}–{self.lpage}"
            return self.fpage
        return self.elocation_id


class _SummaryCache:
    """Summaries by the JATS they were read from (a digest, so a changed JATS is read
    again and nothing stale survives a new database), at most ``size`` of them."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[tuple[bytes, str, str], ArticleSummary] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, article: Article) -> ArticleSummary:
        jats = (article.jats_xml or "").encode("utf-8")
        key = (hashlib.sha256(jats).digest(), article.title, article.elocation_id)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        meta = _meta_of(article)
        abstract = meta.abstract()
        summary = ArticleSummary(
            title=meta.title or article.title,
            authors=tuple(c.display_name for c in meta.authors if c.display_name),
            fpage=meta.fpage,
            lpage=meta.lpage,
            elocation_id=article.elocation_id or meta.elocation_id,
            abstract=abstract.text if abstract is not None else "",
        )
        with self._lock:
            self._items[key] = summary
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return summary


_summaries = _SummaryCache()


def article_summary(article: Article) -> ArticleSummary:
    return _summaries.get(article)


# --- the archive and an issue's table of contents ----------------------------------------


@dataclass
class IssueListing:
    issue: Issue
    article_count: int

    @property
    def complete(self) -> bool:
        """False while the issue is open and still receiving articles."""
        return self.issue.state is IssueState.PUBLISHED


@dataclass
class VolumeListing:
    volume: Volume
    issues: list[IssueListing] = field(default_factory=list)


def _shown_issue_condition() -> ColumnElement[bool]:
    visible = select(Article.issue_id).where(
        Article.state.in_(VISIBLE_STATES), Article.issue_id.is_not(None)
    )
    return or_(Issue.state == IssueState.PUBLISHED, Issue.id.in_(visible))


def archive(db: Session, journal_id: int) -> list[VolumeListing]:
    """Volumes and their shown issues, newest first, each with its number of articles."""
    counts = (
        select(Article.issue_id, func.count(Article.id).label("n"))
        .where(Article.state.in_(VISIBLE_STATES), Article.journal_id == journal_id)
        .group_by(Article.issue_id)
        .subquery()
    )
    rows = db.execute(
        select(Issue, Volume, func.coalesce(counts.c.n, 0))
        .join(Volume, Volume.id == Issue.volume_id)
        .outerjoin(counts, counts.c.issue_id == Issue.id)
        .where(Issue.journal_id == journal_id, _shown_issue_condition())
    ).all()
    volumes: dict[int, VolumeListing] = {}
    for issue, volume, count in rows:
        volumes.setdefault(volume.id, VolumeListing(volume)).issues.append(
            IssueListing(issue, int(count))
        )
    listing = sorted(volumes.values(), key=lambda v: v.volume.number, reverse=True)
    for v in listing:
        v.issues.sort(key=lambda i: _issue_sort_key(i.issue.number), reverse=True)
    return listing


def find_issue(db: Session, journal_id: int, volume: int, number: str) -> Issue | None:
    """A shown issue by its volume and issue numbers."""
    if len(number) > 20 or volume > 10**9:
        return None
    return db.scalar(
        select(Issue)
        .join(Volume, Volume.id == Issue.volume_id)
        .where(
            Issue.journal_id == journal_id,
            Volume.number == volume,
            Issue.number == number,
            _shown_issue_condition(),
        )
    )


@dataclass
class TocEntry:
    article: Article
    summary: ArticleSummary


@dataclass
class TocSection:
    section: Section | None  # None: articles whose section is not known
    entries: list[TocEntry] = field(default_factory=list)


def table_of_contents(db: Session, issue: Issue) -> list[TocSection]:
    """The issue's published articles grouped by section, in the journal's order of
    sections, each in its place in the issue."""
    rows = db.execute(
        select(Article, Section)
        .outerjoin(Submission, Submission.id == Article.submission_id)
        .outerjoin(Section, Section.id == Submission.section_id)
        .where(Article.issue_id == issue.id, Article.state.in_(VISIBLE_STATES))
        .order_by(
            Section.position.is_(None),
            Section.position,
            Article.position,
            Article.published_at,
            Article.id,
        )
    ).all()
    sections: list[TocSection] = []
    for article, section in rows:
        if not sections or sections[-1].section is not section:
            sections.append(TocSection(section))
        sections[-1].entries.append(TocEntry(article, article_summary(article)))
    return sections


# --- the feed ----------------------------------------------------------------------------


def latest_articles(
    db: Session, journal_id: int, limit: int = DEFAULT_FEED_SIZE
) -> list[tuple[Article, Section | None]]:
    """The newest published (or corrected) articles with their sections, newest first
    (those with a DOI: the article page is addressed by it)."""
    return [
        (article, section)
        for article, section in db.execute(
            select(Article, Section)
            .outerjoin(Submission, Submission.id == Article.submission_id)
            .outerjoin(Section, Section.id == Submission.section_id)
            .where(
                Article.journal_id == journal_id,
                Article.state.in_(VISIBLE_STATES),
                Article.doi.is_not(None),
            )
            .order_by(Article.published_at.desc(), Article.id.desc())
            .limit(limit)
        )
    ]


def last_change(article: Article) -> dt.datetime:
    """When the article's published content last changed: its publication, or a later
    JATS (a correction)."""
    moments = [m for m in (article.published_at, article.jats_updated_at) if m is not None]
    return max(moments) if moments else article.updated_at


def article_citation_and_references(
    article: Article, journal: Journal, site_url: str
) -> tuple[Citation, list[Reference]]:
    """The article's citation and its JATS references, from one reading of the JATS (the
    article page's head needs both)."""
    meta = _meta_of(article)
    placement = placement_of(article, site_url)
    return citation_from_meta(meta, journal.profile(site_url), placement), meta.references


def shown_articles(db: Session, journal_id: int) -> list[Article]:
    """Every published or corrected article of the journal with a DOI, oldest first (the
    sitemap and the DOAJ export)."""
    return list(
        db.scalars(
            select(Article)
            .where(
                Article.journal_id == journal_id,
                Article.state.in_(VISIBLE_STATES),
                Article.doi.is_not(None),
            )
            .order_by(Article.published_at, Article.id)
        )
    )


def shown_issues(db: Session, journal_id: int) -> list[Issue]:
    """The journal's issues readers can open (as the archive lists them)."""
    return [listing.issue for volume in archive(db, journal_id) for listing in volume.issues]
