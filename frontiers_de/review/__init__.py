"""The review domain."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan)."""
    from frontiers_de.review.settings import ReviewSettings
    from frontiers_de.settings import load

    load(config, ReviewSettings)  # a bad value stops the app here, naming the key
