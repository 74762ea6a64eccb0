"""Deadlines for every role, one policy: the journal's rules (``rules``, edited at
``/admin/deadlines``), one engine that computes each open item's due date from them and
sends reminders and escalations once (``engine``; the items come from each domain's
``deadlines`` module), the beat task and ``fde deadlines run``."""

from __future__ import annotations

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Read the engine's settings (a bad value stops the app here, naming the key)."""
    from frontiers_de.deadlines.settings import DeadlineSettings
    from frontiers_de.settings import load

    load(config, DeadlineSettings)
