"""Announcing events in unit tests: the domains' own subscribers, on a registry of their
own built with the test's settings (as a process without an app builds one), and the
outbox they fill.

A test module binds it for each of its tests::

    @pytest.fixture(autouse=True)
    def _subscribers(monkeypatch):
        bind_subscribers(monkeypatch)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from pyramid.registry import Registry
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.package_files import TEMPLATES_SPEC

BASE = "https://journal.example.org"
SETTINGS: dict[str, str] = {"fde.base_url": BASE, "jinja2.directories": TEMPLATES_SPEC}


def bind_subscribers(
    monkeypatch: pytest.MonkeyPatch, settings: Mapping[str, Any] = SETTINGS
) -> Registry:
    """Send the events announced outside a request to every domain's subscribers, with
    ``settings`` (undone after the test)."""
    registry = events.subscribers_registry(settings)
    monkeypatch.setitem(events._bound, "registry", registry)
    return registry


def outbox(db: Session, template: str | None = None) -> list[OutboxEmail]:
    """The emails queued in ``db`` (of ``template``), oldest first."""
    query = select(OutboxEmail).order_by(OutboxEmail.id)
    if template is not None:
        query = query.where(OutboxEmail.template == template)
    return list(db.scalars(query))


def templates(db: Session) -> list[str]:
    return [mail.template for mail in outbox(db)]
