"""The events of articles and issues (see :mod:`frontiers_de.events`).

Announced by the articles domain where it writes: a new or changed JATS
(:class:`ArticleJatsChanged`, by :func:`~frontiers_de.articles.jats.store_jats`), an
article's publication on its own (:class:`ArticlePublished`) and an issue's
(:class:`IssuePublished`, once for the issue and the articles it published), both by
:mod:`frontiers_de.articles.publication`. Production makes the reader HTML again and lets
the PDF and the proofs follow the JATS (and tells the author of a new placement), Crossref
queues deposits and marks changed metadata, search reindexes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from pyramid.i18n import TranslationString

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, Issue
from frontiers_de.articles.placement import placement_only_change
from frontiers_de.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ArticleJatsChanged(DomainEvent):
    """``article``'s JATS was stored (a conversion, an upload, a placement, the publication
    date); ``previous`` is the JATS it replaced ("" for the first), ``tree`` the new one
    parsed. ``keep_pdf``: the PDF stays the article's (publishing, or placing a published
    article). Subscribers that cannot show something of the JATS as intended (formulas
    left as TeX in the reader HTML) add a line to ``warnings`` when the caller gave a list.
    A subscriber that raises undoes the store (its caller sees the error, the previous
    JATS stays)."""

    article: Article
    user_id: int | None
    previous: str
    tree: etree._ElementTree
    keep_pdf: bool = False
    warnings: list[str] | None = field(default=None, compare=False)

    @property
    def changed(self) -> bool:
        """Whether the text differs from the previous JATS (a same-bytes upload does not)."""
        return self.previous != (self.article.jats_xml or "")

    @property
    def placement_only(self) -> bool:
        """Whether only the placement changed (volume, issue, e-location, dates)."""
        return bool(self.previous) and placement_only_change(
            self.previous, self.article.jats_xml or ""
        )


@dataclass(frozen=True, kw_only=True)
class ArticlePublished(DomainEvent):
    """``article`` was published on its own (not as part of an issue)."""

    article: Article
    actor: User | None


@dataclass(frozen=True, kw_only=True)
class IssuePublished(DomainEvent):
    """``issue`` was published with ``articles`` (those it published now; the others
    were published before, as continuous publication). Subscribers may leave a line for
    the person who published in ``notices`` (level, message), e.g. that a deposit is
    queued."""

    issue: Issue
    articles: tuple[Article, ...]
    actor: User | None
    notices: list[tuple[str, TranslationString]] = field(default_factory=list, compare=False)
