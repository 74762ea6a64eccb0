"""The deadline engine's settings, declared once: see frontiers_de/settings.py. The rules
themselves are per journal, in the database (``/admin/deadlines``)."""

from __future__ import annotations

from frontiers_de.settings import SettingsGroup, declare, seconds, setting


@declare
class DeadlineSettings(SettingsGroup):
    interval: float = setting(
        "fde.deadlines.interval",
        seconds,
        3600.0,
        "how often the beat sends the reminders and escalations that are due",
    )
