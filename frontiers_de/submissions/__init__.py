"""The submissions domain."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan), and let upload
    forms carry the largest manuscript the settings allow."""
    from frontiers_de.forms import allow_uploads
    from frontiers_de.submissions.services import max_upload_bytes

    allow_uploads(config.registry, max_upload_bytes(config.get_settings()))
