"""The submissions domain."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Register the domain's services (views are found by the app's scan), and let upload
    forms carry the largest manuscript the settings allow."""
    from frontiers_de.forms import allow_uploads
    from frontiers_de.settings import load
    from frontiers_de.submissions.settings import SubmissionSettings

    allow_uploads(config.registry, load(config, SubmissionSettings).max_upload_bytes)
