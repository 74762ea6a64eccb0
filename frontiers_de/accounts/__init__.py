"""The accounts domain."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Check at start-up what the account pages need (views are found by the app's scan):
    without a token secret no verification or reset link could be made."""
    from frontiers_de.accounts.settings import AccountSettings
    from frontiers_de.accounts.tokens import TokenSigner
    from frontiers_de.config import SiteSettings
    from frontiers_de.settings import load

    load(config, AccountSettings)
    TokenSigner(SiteSettings.of(config.get_settings()).token_secret)  # raises if unusable
