"""Peer review's settings (days), declared once: see frontiers_de/settings.py. The due date
an invitation offers and the reminders are the journal's deadline rules
(:mod:`frontiers_de.deadlines.rules`, ``/admin/deadlines``)."""

from __future__ import annotations

from frontiers_de.settings import SettingsGroup, declare, positive_int, setting


@declare
class ReviewSettings(SettingsGroup):
    invitation_days: int = setting(
        "fde.review.invitation_days", positive_int, 14, "days an invitation link answers"
    )
