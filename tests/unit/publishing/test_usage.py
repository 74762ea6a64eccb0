"""Usage counting, COUNTER's way: robots left out, the 30-second double-click rule on a fixed
clock, month boundaries, no hash kept past the window, and a database error never breaks
the page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from frontiers_de.publishing import usage
from frontiers_de.publishing.models import UsageClick, UsageCount
from tests.factories import make_journal
from tests.publishing_factories import publish_article

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
T0 = dt.datetime(2026, 3, 31, 23, 59, 0, tzinfo=dt.UTC)
SECRET = "test-secret"


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0 Safari/537.36",
        "",
        "   ",
        None,
    ],
)
def test_robots_and_machines_are_not_people(agent):
    assert usage.is_robot(agent)


@pytest.mark.parametrize(
    "agent",
    [
        BROWSER,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    ],
)
def test_browsers_are_people(agent):
    assert not usage.is_robot(agent)


@pytest.fixture
def journal(dbsession):
    return make_journal(dbsession)


@pytest.fixture
def article(dbsession, journal):
    return publish_article(dbsession, journal, "10.5555/usage.1")


def _use(article, at, kind=usage.VIEW, agent=BROWSER, client="192.0.2.7"):
    return usage.Use(article_id=article.id, kind=kind, user_agent=agent, client=client, at=at)


def _counts(db, article):
    return {
        (c.month, c.kind): c.count
        for c in db.scalars(select(UsageCount).where(UsageCount.article_id == article.id))
    }


def test_a_double_click_within_30_seconds_counts_once(dbsession, article):
    assert usage.record_use(dbsession, _use(article, T0), SECRET)
    assert not usage.record_use(dbsession, _use(article, T0 + dt.timedelta(seconds=29)), SECRET)
    # the window slides: 29 s after the second click is still the same use
    assert not usage.record_use(dbsession, _use(article, T0 + dt.timedelta(seconds=58)), SECRET)
    # 31 s after the last click: a new use
    assert usage.record_use(dbsession, _use(article, T0 + dt.timedelta(seconds=89)), SECRET)
    assert _counts(dbsession, article) == {("2026-03", "view"): 1, ("2026-04", "view"): 1}


def test_other_clients_items_and_kinds_are_other_uses(dbsession, journal, article):
    other = publish_article(dbsession, journal, "10.5555/usage.2")
    assert usage.record_use(dbsession, _use(article, T0), SECRET)
    assert usage.record_use(dbsession, _use(article, T0, client="198.51.100.1"), SECRET)
    assert usage.record_use(dbsession, _use(article, T0, agent=BROWSER + " extra"), SECRET)
    assert usage.record_use(dbsession, _use(article, T0, kind=usage.PDF), SECRET)
    assert usage.record_use(dbsession, _use(article, T0, kind=usage.XML), SECRET)
    assert usage.record_use(dbsession, _use(other, T0), SECRET)
    assert _counts(dbsession, article) == {
        ("2026-03", "view"): 3,
        ("2026-03", "pdf"): 1,
        ("2026-03", "xml"): 1,
    }
    totals = usage.article_totals(dbsession, article.id)
    assert (totals.views, totals.pdf, totals.xml, totals.downloads) == (3, 1, 1, 2)


def test_robots_are_not_counted(dbsession, article):
    assert not usage.record_use(dbsession, _use(article, T0, agent="Googlebot/2.1"), SECRET)
    assert _counts(dbsession, article) == {}
    assert dbsession.scalars(select(UsageClick)).all() == []  # nothing kept of them either


def test_a_double_click_across_the_month_counts_in_the_first_month(dbsession, article):
    assert usage.record_use(dbsession, _use(article, T0 + dt.timedelta(seconds=59)), SECRET)
    assert not usage.record_use(dbsession, _use(article, T0 + dt.timedelta(seconds=61)), SECRET)
    assert _counts(dbsession, article) == {("2026-03", "view"): 1}
    assert usage.month_of(dt.datetime(2026, 4, 1, 0, 0, tzinfo=dt.UTC)) == "2026-04"


def test_only_a_salted_hash_is_kept_and_dropped_after_the_window(dbsession, article):
    usage.record_use(dbsession, _use(article, T0), SECRET)
    marks = dbsession.scalars(select(UsageClick)).all()
    assert len(marks) == 1
    key = marks[0].key
    assert len(key) == 64 and "192.0.2.7" not in key and "Mozilla" not in key
    # the next use, of anything, by anyone, after the window deletes the old mark
    later = T0 + dt.timedelta(seconds=31)
    usage.record_use(dbsession, _use(article, later, client="203.0.113.9"), SECRET)
    assert key not in {m.key for m in dbsession.scalars(select(UsageClick))}
    assert usage.forget_expired_clicks(dbsession, later + dt.timedelta(seconds=31)) == 1
    assert dbsession.scalars(select(UsageClick)).all() == []


def test_the_salt_rotates_every_hour_and_a_double_click_across_it_is_still_one(dbsession, article):
    args = (BROWSER, "192.0.2.7", article.id, usage.VIEW)
    at_hour_end = dt.datetime(2026, 5, 1, 9, 59, 50, tzinfo=dt.UTC)
    next_hour = at_hour_end + dt.timedelta(seconds=20)
    assert usage.click_key(SECRET, at_hour_end, *args) != usage.click_key(SECRET, next_hour, *args)
    assert usage.click_key(SECRET, at_hour_end, *args) != usage.click_key(
        "other", at_hour_end, *args
    )
    assert usage.record_use(dbsession, _use(article, at_hour_end), SECRET)
    assert not usage.record_use(dbsession, _use(article, next_hour), SECRET)


def test_a_database_error_is_logged_and_the_use_dropped(dbsession, article, caplog):
    use = usage.Use(article_id=10**12, kind=usage.VIEW, user_agent=BROWSER, client="x", at=T0)
    # an article that is not there breaks the foreign key on PostgreSQL; on SQLite (no
    # foreign keys enforced) the count is simply kept: either way no error reaches the page
    usage.record_use(dbsession, use, SECRET)
    assert usage.record_use(dbsession, _use(article, T0), SECRET)  # the session still works


def test_an_unknown_kind_is_a_programming_error(dbsession, article):
    with pytest.raises(ValueError, match="unknown usage kind"):
        usage.record_use(dbsession, _use(article, T0, kind="tweet"), SECRET)


def test_most_read_and_monthly_counts(dbsession, journal, article):
    other = publish_article(dbsession, journal, "10.5555/usage.2", title="Other")
    for seconds in (0, 40, 80):
        usage.record_use(dbsession, _use(other, T0 + dt.timedelta(seconds=seconds)), SECRET)
    usage.record_use(dbsession, _use(article, T0, kind=usage.PDF), SECRET)
    ranked = usage.most_read(dbsession, article.journal_id, 5)
    assert [(a.id, n) for a, n in ranked] == [(other.id, 3), (article.id, 1)]
    figures = usage.monthly_counts(dbsession, article.journal_id, "2026-03", "2026-03")
    # 23:59:00 and 23:59:40 in March, 00:00:20 on 1 April
    assert figures[other.id].counts == {("2026-03", "view"): 2}
    assert figures[article.id].counts == {("2026-03", "pdf"): 1}
    april = usage.monthly_counts(dbsession, article.journal_id, "2026-04", "2026-04")
    assert april == {other.id: usage.MonthlyFigures(other.id, {("2026-04", "view"): 1})}
