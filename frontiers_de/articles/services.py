"""Reading articles (by DOI, the name their files are given), and the error the articles
domain's writes refuse with."""

from __future__ import annotations

import re

from pyramid.i18n import TranslationString
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article, ArticleState


class ArticleError(Exception):
    """A change of an article, an issue or a volume the rules refuse; ``message`` (text or a
    translation string) is for the editor. Production's errors derive from it."""

    def __init__(self, message: TranslationString | str) -> None:
        super().__init__(str(message))
        self.message = message


def pdf_filename(article: Article) -> str:
    base = (article.doi or f"article-{article.id}").rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._-]+", "-", base) + ".pdf"


def published_article(db: Session, doi: str) -> Article | None:
    """A published (or corrected) article by DOI, compared case-insensitively as DOIs are."""
    if not doi or len(doi) > 200:
        return None
    return db.scalar(
        select(Article).where(
            func.lower(Article.doi) == doi.strip().lower(),
            Article.state.in_([ArticleState.PUBLISHED, ArticleState.CORRECTED]),
        )
    )
