"""Domain events: how one domain reacts to what another did without importing it.

The domain where something happens defines the event (a frozen dataclass deriving from
:class:`DomainEvent`, in its ``events.py``) and announces it with :func:`notify` in the
transaction that made the change: a submission moved (``editorial.events.SubmissionMoved``),
a review assignment moved (``review.events.AssignmentMoved``), an article's JATS changed,
an article or an issue was published (``articles.events``). A domain that reacts subscribes
in its own ``subscribers.py``, whose ``includeme`` calls ``config.add_subscriber(handler,
EventType)``; :func:`include_subscribers` includes every domain's ``subscribers`` module, in
the domains' order, so nothing else wires them.

Subscribers run at once, in the announcing transaction, one after another in that order;
one that raises rolls the change back, as any failure in the transaction does. Work that
must wait for the commit (a Crossref deposit, an email's delivery) is queued by the
subscriber with the transaction's after-commit hooks, as before. A subscriber takes what it
needs from the event (the session, the records, the actor), never from a request.

The registry an event goes to: in a request, the request's (Pyramid's ``registry.notify``);
elsewhere (Celery tasks, the embedded workers, the command line, the demo seeding) the
app's registry, bound when the app was built (:func:`bind`), or, in a process that built no
app (a standalone worker, a script, a unit test), one registry of the subscribers alone,
built once from the same ``subscribers`` modules. Either way the same subscribers run.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyramid.config import Configurator
from pyramid.registry import Registry, global_registry
from pyramid.threadlocal import get_current_registry
from sqlalchemy.orm import Session

SUBSCRIBERS_MODULE = "subscribers"

_lock = threading.Lock()
_bound: dict[str, Registry] = {}


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Something that happened, announced in the transaction that did it.

    ``db`` is that transaction's session. ``settings`` are the app's settings when the
    event went through an app's registry (None in a process that built no app: the
    subscriber then reads them as the tasks do)."""

    db: Session
    settings: Mapping[str, Any] | None = field(default=None, compare=False)


def include_subscribers(config: Configurator, domains: Iterable[str]) -> None:
    """Include ``<domain>.subscribers`` for each domain that has one, in order."""
    for domain in domains:
        module = f"{domain}.{SUBSCRIBERS_MODULE}"
        if importlib.util.find_spec(module) is not None:
            config.include(module)


def _app_domains() -> tuple[str, ...]:
    # The domain list lives with the app's wiring (frontiers_de.DOMAINS), above every
    # domain; read at run time so this foundation module imports no domain.
    return tuple(importlib.import_module("frontiers_de").DOMAINS)


def subscribers_registry(settings: Mapping[str, Any] | None = None) -> Registry:
    """A registry holding only the domains' subscribers (for a process without an app)."""
    config = Configurator(settings=dict(settings or {}))
    include_subscribers(config, _app_domains())
    config.commit()
    return config.registry


def bind(registry: Registry) -> None:
    """Send events raised outside a request to ``registry`` (the app's, once built)."""
    with _lock:
        _bound["registry"] = registry


def current_registry() -> Registry:
    """The registry an event raised now goes to (see the module's docstring)."""
    registry = get_current_registry()
    if registry is not global_registry:
        return registry
    with _lock:
        if "registry" not in _bound:
            _bound["registry"] = subscribers_registry()
        return _bound["registry"]


def notify(event: DomainEvent, registry: Registry | None = None) -> None:
    """Run every subscriber of ``event``'s type (and of its base types), now."""
    registry = registry or current_registry()
    if event.settings is None and registry.settings:
        object.__setattr__(event, "settings", registry.settings)
    registry.notify(event)
