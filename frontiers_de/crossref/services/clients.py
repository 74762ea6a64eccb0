"""Crossref's two clients made from the settings: the deposit client (upload, polling) and
the REST client (reading a DOI back), and whether an account is configured at all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from frontiers_de.config import TaskSettings
from frontiers_de.crossref.client import (
    DepositClient,
    RetryPolicy,
)
from frontiers_de.crossref.rest import CrossrefRest
from frontiers_de.crossref.settings import CrossrefSettings

NO_CREDENTIALS = (
    "Crossref credentials are not configured (set CROSSREF_USERNAME and CROSSREF_PASSWORD); "
    "the deposit waits and is sent once they are"
)


def credentials_configured(settings: Mapping[str, Any]) -> bool:
    crossref = CrossrefSettings.of(settings)
    return bool(crossref.username and crossref.password)


def deposit_client(settings: Mapping[str, Any]) -> DepositClient:
    """The deposit client from settings (endpoint, credentials, time-outs, retries).

    When tasks run in-process (``celery.always_eager``, the embedded default) the task runs
    on one of the few in-process task threads (never in the publishing request), so by
    default it tries briefly and leaves the rest (Crossref takes minutes to process a
    batch) to the sweep, keeping those threads free for mail and typesetting."""
    eager = TaskSettings.of(settings).always_eager
    crossref = CrossrefSettings.of(settings)

    def unless_set(value: float | None, default: float) -> float:
        return default if value is None else value

    retry = RetryPolicy(
        attempts=int(unless_set(crossref.retry_attempts, 2 if eager else 4)),
        base_delay=unless_set(crossref.retry_base_delay, 1.0 if eager else 2.0),
        max_delay=crossref.retry_max_delay,
    )
    return DepositClient.from_settings(
        settings,
        retry=retry,
        poll_interval=unless_set(crossref.poll_interval, 2.0 if eager else 10.0),
        max_polls=int(unless_set(crossref.max_polls, 1 if eager else 3)),
    )


def rest_client(settings: Mapping[str, Any]) -> CrossrefRest:
    return CrossrefRest.from_settings(settings, timeout=CrossrefSettings.of(settings).rest_timeout)
