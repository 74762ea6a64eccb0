"""Crossref's settings, declared once: see frontiers_de/settings.py. The credentials and
endpoints come from the environment in production (config.ENV_OVERRIDES). A default of None
means the reading code decides (the deposit client's defaults depend on celery.always_eager).
"""

from __future__ import annotations

from frontiers_de.settings import (
    SettingsGroup,
    declare,
    number,
    seconds,
    setting,
    text,
    words,
)


@declare
class CrossrefSettings(SettingsGroup):
    username: str = setting("crossref.username", text, "", "deposit account (CROSSREF_USERNAME)")
    password: str = setting("crossref.password", text, "", "its password (CROSSREF_PASSWORD)")
    deposit_url: str = setting(
        "crossref.deposit_url",
        text,
        "https://test.crossref.org/servlet/deposit",
        "the deposit endpoint (CROSSREF_DEPOSIT_URL)",
    )
    api_url: str = setting(
        "crossref.api_url", text, "https://api.crossref.org", "REST API (CROSSREF_API_URL)"
    )
    result_url: str = setting(
        "crossref.result_url", text, "", "submission-log endpoint; empty: beside the deposit URL"
    )
    auth_fields: str = setting(
        "crossref.auth_fields", text, "", "how credentials are sent; empty: login (the form fields)"
    )
    timeout: float | None = setting("crossref.timeout", seconds, None, "HTTP time-out; empty: 60")
    poll_interval: float | None = setting(
        "crossref.poll_interval",
        seconds,
        None,
        "wait between result polls; empty: 2 in-process, 10 on a worker",
    )
    max_polls: float | None = setting(
        "crossref.max_polls", number, None, "result polls; empty: 1 in-process, 3 on a worker"
    )
    retry_attempts: float | None = setting(
        "crossref.retry_attempts",
        number,
        None,
        "tries of one HTTP call; empty: 2 in-process, 4 on a worker",
    )
    retry_base_delay: float | None = setting(
        "crossref.retry_base_delay",
        seconds,
        None,
        "first wait between HTTP tries; empty: 1 in-process, 2 on a worker",
    )
    retry_max_delay: float = setting(
        "crossref.retry_max_delay", seconds, 60.0, "longest wait between HTTP tries"
    )
    rest_timeout: float = setting("crossref.rest_timeout", seconds, 20.0, "REST API time-out")
    retry_base_seconds: float = setting(
        "crossref.retry_base_seconds", seconds, 60.0, "first wait before a deposit is re-sent"
    )
    retry_max_seconds: float = setting(
        "crossref.retry_max_seconds", seconds, 6 * 3600.0, "longest wait before a re-send"
    )
    readback_days: float = setting(
        "crossref.readback_days", number, 7.0, "days the sweep reads back registered DOIs"
    )
    sweep_interval: float = setting(
        "crossref.sweep_interval", seconds, 300.0, "how often the beat sweeps deposits"
    )
    landing_url: str = setting(
        "crossref.landing_url", text, "{base}/articles/{doi}", "deposited landing page"
    )
    pdf_url: str = setting("crossref.pdf_url", text, "{base}/articles/{doi}/pdf", "PDF link")
    xml_url: str = setting("crossref.xml_url", text, "{base}/articles/{doi}/xml", "XML link")
    crossmark_policy: str = setting(
        "crossref.crossmark_policy", text, "", "Crossmark policy page DOI; empty: no Crossmark"
    )
    crossmark_domains: tuple[str, ...] = setting(
        "crossref.crossmark_domains", words, (), "Crossmark domains"
    )
    reference_cache: str = setting(
        "crossref.reference_cache", text, "", "JSON file caching reference look-ups; empty: none"
    )
