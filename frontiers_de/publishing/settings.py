"""The reader site's settings (search, OAI-PMH, the usage counter), declared once: see
frontiers_de/settings.py."""

from __future__ import annotations

from frontiers_de.settings import (
    SettingsGroup,
    clamped_int,
    declare,
    positive_int,
    seconds,
    setting,
    text,
)

SEARCH_PAGE_SIZE = 20
MAX_SEARCH_PAGE_SIZE = 100


@declare
class PublishingSettings(SettingsGroup):
    search_page_size: int = setting(
        "fde.search.page_size",
        clamped_int(1, MAX_SEARCH_PAGE_SIZE, SEARCH_PAGE_SIZE),
        SEARCH_PAGE_SIZE,
        "search results per page (1-100)",
    )
    oai_repository_identifier: str = setting(
        "oai.repository_identifier",
        text,
        "",
        "identifiers are oai:<this>:<DOI>; empty: the host of fde.base_url",
    )
    oai_page_size: int = setting("oai.page_size", positive_int, 50, "OAI-PMH records per page")
    oai_token_ttl_hours: int = setting(
        "oai.token_ttl_hours", positive_int, 24, "hours a resumption token stays valid"
    )
    oai_admin_email: str = setting(
        "oai.admin_email", text, "", "adminEmail; empty: the journal's depositor email"
    )
    usage_purge_interval: float = setting(
        "fde.usage.purge_interval",
        seconds,
        60.0,
        "how often the beat deletes the usage counter's double-click marks past their window",
    )
