"""Peer review's settings (days), declared once: see frontiers_de/settings.py."""

from __future__ import annotations

from frontiers_de.settings import SettingsGroup, declare, positive_int, seconds, setting


@declare
class ReviewSettings(SettingsGroup):
    invitation_days: int = setting(
        "fde.review.invitation_days", positive_int, 14, "days an invitation link answers"
    )
    due_days: int = setting(
        "fde.review.due_days", positive_int, 21, "the due date the invitation form offers"
    )
    remind_unanswered_days: int = setting(
        "fde.review.remind_unanswered_days",
        positive_int,
        5,
        "remind an invitation still unanswered after this many days",
    )
    remind_due_days: int = setting(
        "fde.review.remind_due_days", positive_int, 3, "remind a review due within this many days"
    )
    reminder_interval: float = setting(
        "fde.review.reminder_interval", seconds, 3600.0, "how often the beat looks for reminders"
    )
