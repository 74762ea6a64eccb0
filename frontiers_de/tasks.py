"""Background jobs with Celery, tied to the request's transaction.

Work is enqueued only after the transaction commits (a failed request never starts a job),
and a task reloads what it needs by id in a transaction of its own. The embedded default runs
tasks in-process (``celery.always_eager``); production sends them to the broker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import transaction
from celery import Celery
from pyramid.config import Configurator
from pyramid.request import Request
from sqlalchemy.orm import Session

from frontiers_de.config import as_bool, load_settings, resolve_settings

celery_app = Celery("frontiers_de")
celery_app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
)

_state: dict[str, Any] = {}


def configure_celery(settings: dict[str, Any]) -> Celery:
    """Point the Celery app at the settings' broker and database (web app or worker)."""
    from frontiers_de.db import get_engine, get_session_factory

    eager = as_bool(settings.get("celery.always_eager", False))
    celery_app.conf.update(
        broker_url=settings.get("celery.broker_url", "memory://"),
        task_always_eager=eager,
        task_eager_propagates=False,
    )
    if settings.get("celery.result_backend"):
        celery_app.conf.update(
            result_backend=settings["celery.result_backend"], task_ignore_result=False
        )
    engine = _state.get("engine")
    if engine is None or str(engine.url) != settings["sqlalchemy.url"]:
        engine = get_engine(settings)
        _state["engine"] = engine
        _state["session_factory"] = get_session_factory(engine)
    _state["settings"] = settings
    return celery_app


def task_settings() -> dict[str, Any]:
    """The settings the tasks run with; a worker started on its own reads FDE_CONFIG."""
    if "settings" not in _state:
        import os

        configure_celery(load_settings(os.environ.get("FDE_CONFIG")))
    return _state["settings"]


@contextmanager
def task_session() -> Iterator[Session]:
    """A database session in its own transaction: committed when the block ends normally."""
    from frontiers_de.db import get_tm_session

    task_settings()
    tm = transaction.TransactionManager(explicit=True)
    with tm:
        yield get_tm_session(_state["session_factory"], tm)


def enqueue_after_commit(
    tm: transaction.TransactionManager, task: Any, *args: Any, **kwargs: Any
) -> None:
    """Send ``task`` with these arguments once ``tm``'s transaction has committed."""

    def hook(committed: bool) -> None:
        if committed:
            task.apply_async(args=args, kwargs=kwargs)

    tm.get().addAfterCommitHook(hook)


def _request_enqueue(request: Request) -> Callable[..., None]:
    def enqueue(task: Any, *args: Any, **kwargs: Any) -> None:
        enqueue_after_commit(request.tm, task, *args, **kwargs)

    return enqueue


def includeme(config: Configurator) -> None:
    configure_celery(resolve_settings(config.get_settings()))
    config.add_request_method(_request_enqueue, "enqueue", reify=True)
