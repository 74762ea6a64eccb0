"""Per-client throttling (see ``services``): the limits are read and checked once at
start-up, so a malformed ``fde.throttle.*`` setting stops the app with a clear message, and
every request gets ``request.throttle``."""

from __future__ import annotations

from pyramid.config import Configurator
from pyramid.request import Request


def _request_throttle(request: Request) -> object:
    from frontiers_de.throttling.services import ClientThrottle

    return ClientThrottle(request.db, request.registry["throttle_limits"])


def includeme(config: Configurator) -> None:
    from frontiers_de.settings import load
    from frontiers_de.throttling.services import limits_from_settings
    from frontiers_de.throttling.settings import ThrottleSettings

    load(config, ThrottleSettings)
    config.registry["throttle_limits"] = limits_from_settings(config.get_settings())
    config.add_request_method(_request_throttle, "throttle", reify=True)
