"""The archive, an issue's table of contents and the feed's articles."""

from __future__ import annotations

import datetime as dt

from frontiers_de.articles.models import ArticleState, IssueState
from frontiers_de.publishing import services
from tests.factories import make_journal
from tests.publishing_factories import jats_with, make_issue, publish_article


def test_archive_lists_shown_issues_newest_first(dbsession):
    journal = make_journal(dbsession)
    v1i1 = make_issue(dbsession, journal, 1, "1", year=2025)
    make_issue(dbsession, journal, 1, "2", year=2025)  # published, no articles yet
    v2i9 = make_issue(dbsession, journal, 2, "9", year=2026)
    v2i10 = make_issue(dbsession, journal, 2, "10", year=2026, state=IssueState.PLANNED)
    make_issue(dbsession, journal, 2, "11", year=2026, state=IssueState.PLANNED)  # empty
    make_issue(dbsession, journal, 3, "1", year=2027, state=IssueState.PLANNED)  # empty
    publish_article(dbsession, journal, "10.5555/a1", issue=v1i1)
    publish_article(dbsession, journal, "10.5555/a2", issue=v1i1, state=ArticleState.CORRECTED)
    publish_article(dbsession, journal, "10.5555/a3", issue=v1i1, state=ArticleState.RETRACTED)
    publish_article(dbsession, journal, "10.5555/a4", issue=v2i9, state=ArticleState.IN_PRODUCTION)
    publish_article(dbsession, journal, "10.5555/a5", issue=v2i10)

    listing = services.archive(dbsession, journal.id)
    assert [v.volume.number for v in listing] == [2, 1]
    assert [(i.issue.number, i.article_count, i.complete) for i in listing[0].issues] == [
        ("10", 1, False),  # open, with a published article: shown "in progress"
        ("9", 0, True),
    ]
    assert [(i.issue.number, i.article_count) for i in listing[1].issues] == [("2", 0), ("1", 2)]


def test_find_issue_only_finds_shown_issues(dbsession):
    journal = make_journal(dbsession)
    shown = make_issue(dbsession, journal, 1, "1")
    make_issue(dbsession, journal, 1, "2", state=IssueState.PLANNED)
    assert services.find_issue(dbsession, journal.id, 1, "1") is shown
    assert services.find_issue(dbsession, journal.id, 1, "2") is None
    assert services.find_issue(dbsession, journal.id, 2, "1") is None
    assert services.find_issue(dbsession, journal.id, 1, "x" * 500) is None
    assert services.find_issue(dbsession, journal.id, 10**12, "1") is None


def test_table_of_contents_groups_by_section_in_the_journals_order(dbsession):
    journal = make_journal(dbsession)
    issue = make_issue(dbsession, journal)
    publish_article(
        dbsession,
        journal,
        "10.5555/r2",
        issue=issue,
        section_code="review",
        position=2,
        title="Second review",
    )
    publish_article(
        dbsession,
        journal,
        "10.5555/r1",
        issue=issue,
        section_code="review",
        position=1,
        title="First review",
    )
    publish_article(
        dbsession, journal, "10.5555/x1", issue=issue, section_code=None, title="No section"
    )
    publish_article(dbsession, journal, "10.5555/a1", issue=issue, title="Research")
    publish_article(
        dbsession,
        journal,
        "10.5555/gone",
        issue=issue,
        state=ArticleState.RETRACTED,
        title="Retracted",
    )
    publish_article(
        dbsession,
        journal,
        "10.5555/later",
        issue=issue,
        state=ArticleState.SCHEDULED,
        title="Later",
    )

    toc = services.table_of_contents(dbsession, issue)
    assert [(s.section.code if s.section else None) for s in toc] == [
        "research-article",
        "review",
        None,
    ]
    assert [[e.summary.title for e in s.entries] for s in toc] == [
        ["Research"],
        ["First review", "Second review"],
        ["No section"],
    ]
    entry = toc[0].entries[0]
    assert entry.summary.authors == ("Li Wang", "Ada Okafor")
    assert entry.summary.locator == "e0001"


def test_summary_shows_pages_and_follows_a_changed_jats(dbsession):
    journal = make_journal(dbsession)
    jats = jats_with("10.5555/p1").replace(
        "<elocation-id>e0001</elocation-id>", "<fpage>12</fpage><lpage>18</lpage>"
    )
    article = publish_article(dbsession, journal, "10.5555/p1", jats=jats)
    assert services.article_summary(article).locator == "12–18"
    article.jats_xml = jats_with("10.5555/p1", title="A new title")
    assert services.article_summary(article).title == "A new title"
    article.jats_xml = None
    article.elocation_id = "e0042"
    summary = services.article_summary(article)
    assert (summary.title, summary.authors, summary.locator) == (article.title, (), "e0042")


def test_latest_articles_for_the_feed(dbsession):
    journal = make_journal(dbsession)
    day = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    old = publish_article(dbsession, journal, "10.5555/old", published_at=day)
    new = publish_article(
        dbsession,
        journal,
        "10.5555/new",
        section_code="review",
        published_at=day + dt.timedelta(days=3),
    )
    publish_article(dbsession, journal, None, published_at=day + dt.timedelta(days=5))
    publish_article(
        dbsession,
        journal,
        "10.5555/r",
        state=ArticleState.RETRACTED,
        published_at=day + dt.timedelta(days=6),
    )
    latest = services.latest_articles(dbsession, journal.id)
    assert [(a.doi, s.code if s else None) for a, s in latest] == [
        (new.doi, "review"),
        (old.doi, "research-article"),
    ]
    assert services.latest_articles(dbsession, journal.id, limit=1) == latest[:1]


def test_last_change_is_the_later_of_publication_and_jats():
    from frontiers_de.articles.models import Article

    published = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    article = Article(published_at=published, jats_updated_at=published - dt.timedelta(days=9))
    assert services.last_change(article) == published
    article.jats_updated_at = published + dt.timedelta(days=2)
    assert services.last_change(article) == published + dt.timedelta(days=2)


def test_article_citation_takes_the_issue_from_the_database(dbsession):
    journal = make_journal(dbsession)
    journal.issn_online = "2999-0001"
    issue = make_issue(dbsession, journal, 4, "2")
    article = publish_article(dbsession, journal, "10.5555/c1", issue=issue, elocation_id="e0101")
    dbsession.refresh(article)
    c = services.article_citation(article, journal, "https://fde.example.org/")
    assert (c.volume, c.issue, c.elocation_id) == ("4", "2", "e0101")  # the JATS says 2, 1, e0001
    assert c.url == "https://fde.example.org/articles/10.5555/c1"
    assert c.xml_url == c.url + "/xml" and c.pdf_url == ""
    assert c.issns == ("2999-0001",)
