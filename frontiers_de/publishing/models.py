"""The reader site's own records: the search index of articles, and the usage figures
(COUNTER-style counts per article and month, and the short-lived double-click marks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontiers_de.db.meta import Base, utcnow


class ArticleSearchDocument(Base):
    """An article's text as search matches it (folded: ``publishing.search.fold``), and
    the original text the results show. Written where the JATS changes and on
    publication; whether the article is shown is decided by the article's own state."""

    __tablename__ = "article_search_documents"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    title_text: Mapped[str] = mapped_column(Text, default="")
    keywords_text: Mapped[str] = mapped_column(Text, default="")
    authors_text: Mapped[str] = mapped_column(Text, default="")
    doi_text: Mapped[str] = mapped_column(String(200), default="")
    abstract_text: Mapped[str] = mapped_column(Text, default="")
    # title, trans_titles [[lang, title]], authors, native_authors, abstracts [{lang, text}]
    display: Mapped[dict[str, Any]] = mapped_column(default=dict)
    indexed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class UsageCount(Base):
    """How often an article was used in a month (``YYYY-MM``, UTC): ``kind`` is ``view``
    (the article page), ``pdf`` or ``xml`` (a download). Robots and double-clicks are not
    counted (``publishing.usage``); nothing about who used it is kept."""

    __tablename__ = "usage_counts"
    __table_args__ = (UniqueConstraint("article_id", "month", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(8))
    count: Mapped[int] = mapped_column(Integer, default=0)


class UsageClick(Base):
    """The last counted-or-not use of one item by one client, for COUNTER's 30-second
    double-click rule: only a salted hash (user agent, address, item, kind; the salt
    rotates) and the moment. Rows older than the window are deleted as new uses come in."""

    __tablename__ = "usage_clicks"
    __table_args__ = (Index("ix_usage_clicks_seen_at", "seen_at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column()
