"""The mail domain."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan)."""
    # request.email_url: every link an email carries, under fde.base_url (mail/links.py).
    config.include(".links")
