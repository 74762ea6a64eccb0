"""Administration: per-journal roles and the journal's settings and sections."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Nothing to register: the views are found by the app's scan."""
