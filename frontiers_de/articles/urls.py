"""An article's public address: where the reader site shows it."""

from __future__ import annotations

from urllib.parse import quote

from pyramid.request import Request

from frontiers_de.articles.models import Article


def article_path(article: Article) -> str:
    """``/articles/<doi>`` (the DOI's slashes kept, anything else unsafe quoted)."""
    return f"/articles/{quote(article.doi or '', safe='/')}"


def article_url(request: Request, article: Article, suffix: str = "") -> str:
    """The public address of the article (``/articles/<doi>``, slashes of the DOI kept)."""
    return f"{request.application_url}{article_path(article)}{suffix}"
