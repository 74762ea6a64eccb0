"""Submission's settings, declared once: see frontiers_de/settings.py."""

from __future__ import annotations

from frontiers_de.production.jats.convert import MAX_INPUT_BYTES
from frontiers_de.settings import SettingsGroup, declare, positive_int, setting


@declare
class SubmissionSettings(SettingsGroup):
    max_upload_bytes: int = setting(
        "fde.submissions.max_upload_bytes",
        positive_int,
        MAX_INPUT_BYTES,
        "the largest manuscript or file an author or reviewer may upload",
    )
