"""The reader site's own records: the search index of articles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text
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
