"""The publishing domain."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan)."""
    from frontiers_de.publishing.settings import PublishingSettings
    from frontiers_de.settings import load

    load(config, PublishingSettings)  # a bad value stops the app here, naming the key
