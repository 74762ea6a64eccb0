"""Journals and sections; ``request.journal`` is the journal the pages serve."""

from __future__ import annotations

from typing import Any

from pyramid.config import Configurator
from pyramid.request import Request
from sqlalchemy import select


def _request_journal(request: Request) -> Any:
    from frontiers_de.config import SiteSettings
    from frontiers_de.journals.models import Journal

    code = SiteSettings.of(request.registry.settings).default_journal
    return request.db.scalar(select(Journal).where(Journal.code == code))


def includeme(config: Configurator) -> None:
    config.add_request_method(_request_journal, "journal", reify=True)
