"""The journal's own pages: ``/about`` (policies the admin writes per language, the
editorial board made from the roles) and the editors' announcements. It reads what
journals, accounts, editorial and publishing hold and writes only its own tables."""

from __future__ import annotations

from pyramid.config import Configurator
from pyramid.events import BeforeRender


def add_page_helpers(event: BeforeRender) -> None:
    """Template globals: ``about_pages`` (the /about pages, for the footer and the
    about menu), ``markdown(text)`` and ``teaser(text)``."""
    from frontiers_de.site.markdown import first_paragraph, to_html
    from frontiers_de.site.pages import PAGES

    event.setdefault("about_pages", PAGES)
    event.setdefault("markdown", to_html)
    event.setdefault("teaser", first_paragraph)


def includeme(config: Configurator) -> None:
    config.add_subscriber(add_page_helpers, BeforeRender)
