"""The mail domain."""

from __future__ import annotations

from pyramid.config import Configurator

from frontiers_de.mail.settings import MailSettings
from frontiers_de.settings import load


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan)."""
    load(config, MailSettings)  # a bad value stops the app here, naming the key
    # request.email_url: every link an email carries, under fde.base_url (mail/links.py).
    config.include(".links")
