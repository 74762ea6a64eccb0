"""A request outside HTTP, for the command line and tests: the real app's registry, a
database session and a transaction, so services that take a request work unchanged."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from frontiers_de.config import SiteSettings


@contextmanager
def app_request(settings: Mapping[str, Any]) -> Iterator[Any]:
    """A request on an app built from ``settings``, inside a transaction that commits when
    the block ends normally (running what was queued for after commit, such as emails)
    and aborts when it raises. In the embedded default that work runs on the in-process
    task threads; a script is not a page anyone waits on, so it waits for it here and its
    work is done when the block has ended."""
    from pyramid.request import Request
    from pyramid.scripting import prepare

    from frontiers_de import make_config
    from frontiers_de.tasks import drain_tasks

    settings = dict(settings)
    # Development tools (the debug toolbar) belong to the served site, not to scripts.
    settings.pop("pyramid.includes", None)
    config = make_config(settings)
    config.commit()
    registry = config.registry
    base_url = SiteSettings.of(registry.settings).base_url.rstrip("/")
    request = Request.blank("/", base_url=base_url)
    request.registry = registry
    env = prepare(request=request, registry=registry)
    try:
        with request.tm:
            yield request
        drain_tasks()
    finally:
        env["closer"]()
