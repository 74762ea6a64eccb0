"""FDE Press: the publishing system of Frontiers of Digital Education."""

from __future__ import annotations

import warnings
from typing import Any

# Pyramid 2.1 still imports pkg_resources, which setuptools 81 marks deprecated; the warning
# says nothing a user of `fde` can act on. (Tests keep it as configured in pyproject.toml.)
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)

from pyramid.config import Configurator  # noqa: E402
from pyramid.router import Router  # noqa: E402

from frontiers_de import events  # noqa: E402
from frontiers_de.config import SiteSettings, resolve_settings  # noqa: E402
from frontiers_de.settings import load  # noqa: E402

# The domains, in the order their includeme runs (STYLE.md).
DOMAINS = (
    "frontiers_de.journals",
    "frontiers_de.throttling",
    "frontiers_de.accounts",
    "frontiers_de.mail",
    "frontiers_de.deadlines",
    "frontiers_de.submissions",
    "frontiers_de.review",
    "frontiers_de.editorial",
    "frontiers_de.discussions",
    "frontiers_de.production",
    "frontiers_de.crossref",
    "frontiers_de.publishing",
    "frontiers_de.site",
)


def check_production_secrets(settings: dict[str, Any]) -> None:
    """A production configuration must take its secrets from the environment."""
    site = SiteSettings.of(settings)
    if not site.require_secrets:
        return
    missing = [
        name
        for name, secret in (
            ("FDE_SESSION_SECRET", site.session_secret),
            ("FDE_TOKEN_SECRET", site.token_secret),
        )
        if len(secret) < 32
    ]
    if missing:
        raise ValueError(f"set {', '.join(missing)} (32 characters or more) in the environment")
    from frontiers_de.mail.links import base_host
    from frontiers_de.security.hosts import LOOPBACK_NAMES

    # Every emailed link and the one host name answered come from it (mail/links.py).
    if base_host(settings) in LOOPBACK_NAMES:
        raise ValueError(
            "set FDE_BASE_URL to the journal's public address (such as "
            "https://journal.example.org) in the environment"
        )


def make_config(settings: dict[str, Any]) -> Configurator:
    settings = resolve_settings(settings)
    check_production_secrets(settings)
    settings.setdefault("jinja2.i18n.domain", "fde")
    settings.setdefault("jinja2.filters", "")
    config = Configurator(settings=settings, root_factory="frontiers_de.security.root.JournalRoot")
    load(config, SiteSettings)
    config.include("pyramid_jinja2")
    config.add_jinja2_renderer(".html")
    config.include(".db")
    config.include(".security")
    config.include(".security.headers")
    config.include(".i18n")
    config.include(".tasks")
    config.include(".templating")
    config.include(".storage")
    config.include(".forms")
    for domain in DOMAINS:
        config.include(domain)
    # Each domain's reactions to the others' events (frontiers_de/events.py).
    events.include_subscribers(config, DOMAINS)
    events.bind(config.registry)
    config.include(".routes")
    config.scan(ignore=["frontiers_de.migrations", "frontiers_de.cli"])
    return config


def main(global_config: dict[str, Any] | None = None, **settings: Any) -> Router:
    """The WSGI application (``paste.app_factory``)."""
    return make_config(settings).make_wsgi_app()
