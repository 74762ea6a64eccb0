"""The submissions domain."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan)."""
