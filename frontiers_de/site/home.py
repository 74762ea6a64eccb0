"""What the home page shows: the current issue with its contents, the latest articles and
the latest announcements, the aims and scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article, Issue
from frontiers_de.publishing import services as publishing
from frontiers_de.publishing import usage
from frontiers_de.site import news, pages
from frontiers_de.site.models import Announcement

LATEST_ARTICLES = 6
LATEST_NEWS = 3
MOST_READ = 5


@dataclass(frozen=True)
class HomePage:
    current_issue: Issue | None
    contents: list[publishing.TocSection]
    latest: list[Article]
    announcements: list[Announcement]
    aims: pages.ShownPage | None
    most_read: list[tuple[Article, int]]  # (article, views and downloads), most first


def current_issue(db: Session, journal_id: int) -> Issue | None:
    """The newest issue readers can open (the archive's first): a published issue, or an
    open one that already holds published articles."""
    for volume in publishing.archive(db, journal_id):
        if volume.issues:
            return volume.issues[0].issue
    return None


def home_page(db: Session, journal: Any, locale: str, translate: Any) -> HomePage:
    issue = current_issue(db, journal.id)
    contents = publishing.table_of_contents(db, issue) if issue is not None else []
    in_issue = {e.article.id for s in contents for e in s.entries}
    latest = [
        a
        for a, _section in publishing.latest_articles(db, journal.id, limit=LATEST_ARTICLES * 2)
        if a.id not in in_issue
    ][:LATEST_ARTICLES]
    return HomePage(
        current_issue=issue,
        contents=contents,
        latest=latest,
        announcements=news.published(db, journal.id, limit=LATEST_NEWS),
        aims=pages.page_in(db, journal, "aims-and-scope", locale, translate),
        most_read=usage.most_read(db, journal.id, MOST_READ, publishing.VISIBLE_STATES),
    )
