"""Announcements: shown from their date until withdrawn, only in their journal, and a feed
that is valid Atom with each post's own id."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from frontiers_de.site import news
from tests.factories import make_journal, make_user

ATOM = "{http://www.w3.org/2005/Atom}"


def test_scheduled_and_withdrawn_posts_are_not_shown(dbsession):
    journal = make_journal(dbsession)
    editor = make_user(dbsession)
    now = dt.datetime.now(dt.UTC)
    old = news.post(dbsession, journal.id, editor, "Old", "Body", "en", now - dt.timedelta(days=9))
    new = news.post(dbsession, journal.id, editor, "New", "Body", "zh")
    later = news.post(dbsession, journal.id, editor, "Later", "B", "en", now + dt.timedelta(days=3))
    assert [p.title for p in news.published(dbsession, journal.id)] == ["New", "Old"]
    assert not news.visible(later, journal.id)
    news.withdraw(dbsession, old)
    assert [p.title for p in news.published(dbsession, journal.id)] == ["New"]
    assert not news.visible(old, journal.id) and news.visible(new, journal.id)
    assert not news.visible(new, journal.id + 1)  # another journal's id never reaches it
    news.restore(dbsession, old)
    assert len(news.published(dbsession, journal.id)) == 2
    assert len(news.all_posts(dbsession, journal.id)) == 3


@pytest.mark.parametrize(
    ("title", "body", "language", "field"),
    [
        ("", "B", "en", "title"),
        ("T" * 301, "B", "en", "title"),
        ("T", "\x00\x01  ", "en", "body"),
        ("T", "B" * 20_001, "en", "body"),
        ("T", "B", "klingon", "language"),
    ],
)
def test_refused_posts_name_the_field(dbsession, title, body, language, field):
    journal = make_journal(dbsession)
    with pytest.raises(news.NewsError) as refused:
        news.post(dbsession, journal.id, None, title, body, language)
    assert refused.value.field == field
    assert news.all_posts(dbsession, journal.id) == []


def test_an_edit_that_is_refused_changes_nothing(dbsession):
    journal = make_journal(dbsession)
    row = news.post(dbsession, journal.id, None, "Call for papers", "Send them.", "en")
    with pytest.raises(news.NewsError):
        news.edit(dbsession, row, "", "Changed", "en")
    assert (row.title, row.body) == ("Call for papers", "Send them.")


def test_the_feed_is_atom_with_the_posts(dbsession):
    journal = make_journal(dbsession)
    first = news.post(dbsession, journal.id, None, "Special issue\x07", "**Bold** news.", "en")
    second = news.post(dbsession, journal.id, None, "征稿", "欢迎投稿。", "zh")
    body = news.news_feed(
        [second, first],
        title="Journal: Announcements",
        self_url="https://j.example/news/feed.atom",
        site_url="https://j.example/news",
        publisher="Publisher",
        language="en",
        post_url=lambda p: f"https://j.example/news/{p.id}",
    )
    feed = etree.fromstring(body)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["征稿", "Special issue"]
    assert entries[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"
    assert entries[1].findtext(f"{ATOM}id") == f"https://j.example/news/{first.id}"
    assert "<strong>Bold</strong>" in entries[1].findtext(f"{ATOM}content")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/news/feed.atom")
