"""The publishing domain: the reader site. It reads what the articles domain owns and
writes nothing of it (the layers contract in pyproject.toml keeps the direction)."""

from __future__ import annotations

from pyramid.config import Configurator
from pyramid.events import BeforeRender

from frontiers_de.articles.urls import article_url


def add_article_url(event: BeforeRender) -> None:
    """Every page template can link an article to its reader page: ``article_url(a)``."""
    request = event.get("request")
    if request is None:
        return
    event.setdefault(
        "article_url", lambda article, suffix="": article_url(request, article, suffix)
    )


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan) and the
    ``article_url`` template global."""
    from frontiers_de.publishing.settings import PublishingSettings
    from frontiers_de.settings import load

    load(config, PublishingSettings)  # a bad value stops the app here, naming the key
    config.add_subscriber(add_article_url, BeforeRender)
