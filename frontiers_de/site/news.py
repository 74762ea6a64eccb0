"""Announcements: news posts by the journal's editors (a call for papers, a special issue, a
change of policy), on the home page, at ``/news`` and in their own Atom feed.

A post may be dated ahead (it appears when its time comes) and withdrawn (it disappears
everywhere; its row stays, so the feed's ids are never reused).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.i18n import LANGUAGES, _, html_lang
from frontiers_de.publishing.feeds import ATOM_NS, XML_LANG, rfc3339
from frontiers_de.site.markdown import first_paragraph, to_html
from frontiers_de.site.models import Announcement

TITLE_MAX = 300
BODY_MAX = 20_000


class NewsError(ValueError):
    def __init__(self, field: str, message: Any) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def published(db: Session, journal_id: int, limit: int | None = None) -> list[Announcement]:
    """The journal's posts readers see, newest first."""
    query = (
        select(Announcement)
        .where(
            Announcement.journal_id == journal_id,
            Announcement.withdrawn_at.is_(None),
            Announcement.published_at <= _now(),
        )
        .order_by(Announcement.published_at.desc(), Announcement.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.scalars(query))


def all_posts(db: Session, journal_id: int) -> list[Announcement]:
    """Every post of the journal for its editors, withdrawn and scheduled ones too."""
    return list(
        db.scalars(
            select(Announcement)
            .where(Announcement.journal_id == journal_id)
            .order_by(Announcement.published_at.desc(), Announcement.id.desc())
        )
    )


def visible(post: Announcement | None, journal_id: int) -> bool:
    """Whether a reader may open ``post`` in journal ``journal_id``."""
    return (
        post is not None
        and post.journal_id == journal_id
        and post.withdrawn_at is None
        and post.published_at <= _now()
    )


# Characters XML 1.0 cannot hold (control characters a paste can bring): the feed would
# fail to build, so they never get in.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _checked(title: str, body: str, language: str) -> tuple[str, str]:
    title, body = _NOT_XML.sub("", title).strip(), _NOT_XML.sub("", body).strip()
    if not title:
        raise NewsError("title", _("Give the announcement a title."))
    if len(title) > TITLE_MAX:
        raise NewsError("title", _("The title is too long (at most 300 characters)."))
    if not body:
        raise NewsError("body", _("Write the announcement."))
    if len(body) > BODY_MAX:
        raise NewsError("body", _("The text is too long (at most 20,000 characters)."))
    if language not in LANGUAGES:
        raise NewsError("language", _("Choose one of the site's languages."))
    return title, body


def post(
    db: Session,
    journal_id: int,
    author: Any,
    title: str,
    body: str,
    language: str,
    published_at: dt.datetime | None = None,
) -> Announcement:
    """A new post, shown from ``published_at`` (now when None)."""
    title, body = _checked(title, body, language)
    row = Announcement(
        journal_id=journal_id,
        author_id=getattr(author, "id", None),
        title=title,
        body=body,
        language=language,
        published_at=published_at or _now(),
    )
    db.add(row)
    db.flush()
    return row


def edit(
    db: Session,
    row: Announcement,
    title: str,
    body: str,
    language: str,
    published_at: dt.datetime | None = None,
) -> Announcement:
    row.title, row.body = _checked(title, body, language)
    row.language = language
    if published_at is not None:
        row.published_at = published_at
    row.updated_at = _now()
    db.flush()
    return row


def withdraw(db: Session, row: Announcement) -> None:
    if row.withdrawn_at is None:
        row.withdrawn_at = _now()
        db.flush()


def restore(db: Session, row: Announcement) -> None:
    row.withdrawn_at = None
    db.flush()


def news_feed(
    posts: Sequence[Announcement],
    *,
    title: str,
    self_url: str,
    site_url: str,
    publisher: str,
    language: str,
    post_url: Any,
) -> bytes:
    """The Atom feed (RFC 4287) of ``posts``. Each entry's id is its page's address
    (``post_url(post)``), made from the post's id, which never changes."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    feed.set(XML_LANG, html_lang(language))

    def text(parent: etree._Element, tag: str, value: str, **attrs: str) -> etree._Element:
        el = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        el.text = value
        return el

    def link(parent: etree._Element, href: str, rel: str, media_type: str) -> None:
        etree.SubElement(
            parent, f"{{{ATOM_NS}}}link", {"href": href, "rel": rel, "type": media_type}
        )

    text(feed, "id", self_url)
    text(feed, "title", title, type="text")
    newest = max((p.updated_at for p in posts), default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    text(feed, "updated", rfc3339(newest))
    author = etree.SubElement(feed, f"{{{ATOM_NS}}}author")
    text(author, "name", publisher or title)
    link(feed, self_url, "self", "application/atom+xml")
    link(feed, site_url, "alternate", "text/html")
    for p in posts:
        entry = etree.SubElement(feed, f"{{{ATOM_NS}}}entry")
        entry.set(XML_LANG, html_lang(p.language))
        text(entry, "id", f"{post_url(p)}")
        text(entry, "title", p.title, type="text")
        text(entry, "published", rfc3339(p.published_at))
        text(entry, "updated", rfc3339(max(p.updated_at, p.published_at)))
        link(entry, post_url(p), "alternate", "text/html")
        text(entry, "summary", first_paragraph(p.body), type="text")
        text(entry, "content", str(to_html(p.body)), type="html")
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
