"""Background jobs with Celery, tied to the request's transaction.

Work is enqueued only after the transaction commits (a failed request never starts a job),
and a task reloads what it needs by id in a transaction of its own.

The embedded default (``celery.always_eager``) runs tasks in-process, but never in the
request that enqueued them: after the commit they go to :class:`EmbeddedWorkers`, a few
threads of the serving process (``celery.embedded_threads``, default 4) fed by a bounded
queue (``celery.embedded_queue``, default 500). A Crossref that hangs, a slow SMTP server or
a long typesetting run then delays only that task, not the editor's page, and cannot tie up
waitress's threads. A task that fails is logged and the next one runs; a full queue drops
the task with a log line, since everything a task does is also in a table that the periodic
drain and sweep go through (outbox, deposits, jobs). ``fde serve`` and the interpreter's
exit drain the queue (bounded) before stopping; ``app_request`` (the command line) drains it
after its commit, so a script's work is done when it returns. Tests wait for it with
:func:`drain_tasks`.

Production is unchanged by this: with ``celery.always_eager = false`` tasks are sent to the
broker after the commit, exactly as before, and run by Celery workers. Production sends them
to the broker named by ``celery.broker_url`` (environment ``CELERY_BROKER_URL``) and runs::

    FDE_CONFIG=production.ini celery -A frontiers_de.tasks worker
    FDE_CONFIG=production.ini celery -A frontiers_de.tasks beat

The worker and beat read their settings from the .ini file named by ``FDE_CONFIG`` plus the
environment, exactly as the web app does. Beat drains the mail outbox every minute.
"""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import transaction
from celery import Celery, signals
from pyramid.config import Configurator
from pyramid.request import Request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from frontiers_de.config import TaskSettings, load_settings, resolve_settings
from frontiers_de.settings import PERIODIC, load

log = logging.getLogger(__name__)


def _task_modules() -> list[str]:
    """Each domain's ``tasks`` module, where it defines its tasks and registers its periodic
    ones (``frontiers_de.settings.periodic``): adding one to a domain is all it takes."""
    from frontiers_de import DOMAINS

    return [f"{d}.tasks" for d in DOMAINS if importlib.util.find_spec(f"{d}.tasks") is not None]


# Modules whose tasks the worker registers.
TASK_MODULES = _task_modules()

celery_app = Celery("frontiers_de", include=TASK_MODULES)
celery_app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    # A task is acknowledged when it has finished, so a worker that dies mid-task leaves it
    # for another worker; tasks are written to be run twice without harm.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
    # A request must not hang on a dead broker: give up publishing quickly; what was not
    # sent stays in its table (outbox, jobs) and is picked up by the periodic drain.
    task_publish_retry_policy={
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.5,
        "interval_max": 1,
    },
    broker_connection_timeout=3,
    timezone="UTC",
    enable_utc=True,
)

_state: dict[str, Any] = {}

DEFAULT_EMBEDDED_THREADS = TaskSettings.embedded_threads
DEFAULT_EMBEDDED_QUEUE = TaskSettings.embedded_queue
# How long the interpreter's exit, ``fde serve`` and ``app_request`` wait for queued tasks.
SHUTDOWN_DRAIN_SECONDS = 60.0


class EmbeddedWorkers:
    """The embedded default's task runners: a few daemon threads fed by a bounded queue.

    Tasks arrive after their transaction committed (:func:`enqueue_after_commit`) and run
    with Celery's local ``apply`` in a worker thread, each reloading its data by id in its
    own transaction, as on a real worker. Threads start on the first task, so a process
    that forks (a WSGI server with workers) starts its own."""

    def __init__(
        self, threads: int = DEFAULT_EMBEDDED_THREADS, queue_size: int = DEFAULT_EMBEDDED_QUEUE
    ) -> None:
        self.threads = threads
        self.queue_size = queue_size
        self._queue: queue.Queue[tuple[Any, tuple[Any, ...], dict[str, Any]] | None] = queue.Queue(
            maxsize=queue_size
        )
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0  # queued or running
        self._running: list[threading.Thread] = []
        self._pid = os.getpid()
        self._local = threading.local()

    def configure(self, threads: int, queue_size: int) -> None:
        """Settings for threads not started yet; a queue of another size is made only
        while nothing waits in the current one."""
        with self._lock:
            self.threads = threads
            if queue_size != self.queue_size and self._pending == 0:
                self.queue_size = queue_size
                self._queue = queue.Queue(maxsize=queue_size)

    def submit(self, task: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        """Queue ``task`` to run in a worker thread; False (and a log line) when the queue is
        full: the periodic drain and sweep find the work in its table later."""
        with self._lock:
            self._start_threads()
            try:
                self._queue.put_nowait((task, args, kwargs))
            except queue.Full:
                log.error(
                    "in-process task queue full (%d); %s%r left for the periodic drain",
                    self.queue_size,
                    task.name,
                    args,
                )
                return False
            self._pending += 1
        return True

    def _start_threads(self) -> None:
        if self._pid != os.getpid():  # forked: the parent's threads do not exist here
            self._running, self._pending, self._pid = [], 0, os.getpid()
            self._queue = queue.Queue(maxsize=self.queue_size)
        self._running = [t for t in self._running if t.is_alive()]
        while len(self._running) < self.threads:
            thread = threading.Thread(
                target=self._work, name=f"fde-task-{len(self._running) + 1}", daemon=True
            )
            thread.start()
            self._running.append(thread)

    def _work(self) -> None:
        self._local.worker = True
        while True:
            item = self._queue.get()
            if item is None:
                return
            task, args, kwargs = item
            try:
                result = task.apply(args=args, kwargs=kwargs)
                if result.failed():
                    log.error("task %s%r failed:\n%s", task.name, args, result.traceback)
            except Exception:  # a failing task must not stop the worker
                log.exception("task %s%r failed", task.name, args)
            finally:
                with self._lock:
                    self._pending -= 1
                    if self._pending <= 0:
                        self._pending = 0
                        self._idle.notify_all()

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every task queued so far, and those they queue in turn, has run.
        False when ``timeout`` seconds passed first, or when asked from a worker thread
        (a task waiting for the queue would wait for itself)."""
        if getattr(self._local, "worker", False):
            return False
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    @property
    def pending(self) -> int:
        """Tasks queued or running now."""
        with self._lock:
            return self._pending


embedded_workers = EmbeddedWorkers()


def drain_tasks(timeout: float | None = SHUTDOWN_DRAIN_SECONDS) -> bool:
    """Wait for the in-process tasks (embedded default) queued so far to finish; True when
    they did within ``timeout`` seconds. Production's broker is not affected."""
    drained = embedded_workers.drain(timeout)
    if not drained:
        log.warning(
            "%d in-process task(s) still running after %.0f s", embedded_workers.pending, timeout
        )
    return drained


def _drain_at_exit() -> None:
    # Daemon threads would die with the interpreter: give queued work a bounded chance.
    if embedded_workers.pending:
        drain_tasks(SHUTDOWN_DRAIN_SECONDS)


atexit.register(_drain_at_exit)


def beat_schedule(settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The periodic tasks, as each domain's tasks module registered them
    (``frontiers_de.settings.periodic``), every one at the interval its settings give."""
    import_task_modules()
    return {
        entry.name: {
            "task": entry.task,
            "schedule": float(getattr(entry.group.of(settings), entry.interval)),
        }
        for entry in PERIODIC.values()
    }


def _forget_broker_connections() -> None:
    """Drop the connection and producer pools made for the previous broker URL.

    Celery creates them on first use (even eager mode takes a producer) and never looks at
    the URL again, so after a change of broker messages would still go to the old one.
    This is the reset Celery itself does after a fork (``Celery._after_fork``).
    """
    # Not closed: kombu's shared producer pools may still hand them out for that URL.
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def configure_celery(settings: dict[str, Any], engine: Engine | None = None) -> Celery:
    """Point the Celery app at the settings' broker and database (web app or worker).

    ``engine``: the web app's own engine, so tasks run in-process share its pool.
    """
    import frontiers_de.db.models  # noqa: F401  (every mapper, for a worker on its own)
    from frontiers_de.db import get_engine, get_session_factory

    tasks = TaskSettings.of(settings)
    eager = tasks.always_eager
    broker_url = tasks.broker_url
    if broker_url == "memory://":
        # With a host named, kombu does not log a warning each time a task is applied.
        broker_url = "memory://localhost/"
    if celery_app.conf.broker_url != broker_url:
        _forget_broker_connections()
    embedded_workers.configure(
        tasks.embedded_threads,
        tasks.embedded_queue,
    )
    celery_app.conf.update(
        broker_url=broker_url,
        task_always_eager=eager,
        task_eager_propagates=False,
        task_default_queue=tasks.queue,
        beat_schedule=beat_schedule(settings),
    )
    if tasks.result_backend:
        celery_app.conf.update(result_backend=tasks.result_backend, task_ignore_result=False)
    if engine is None:
        engine = _state.get("engine")
        if engine is None or engine.url.render_as_string(hide_password=False) != str(
            settings["sqlalchemy.url"]
        ):
            engine = get_engine(settings)
    if engine is not _state.get("engine"):
        _state["engine"] = engine
        _state["session_factory"] = get_session_factory(engine)
    _state["settings"] = settings
    return celery_app


def task_queue() -> str:
    """The queue tasks are sent to (``celery.queue``, default ``celery``)."""
    return TaskSettings.of(task_settings()).queue


def task_settings() -> dict[str, Any]:
    """The settings the tasks run with; a worker started on its own reads FDE_CONFIG."""
    if "settings" not in _state:
        configure_celery(load_settings(os.environ.get("FDE_CONFIG")))
    return _state["settings"]


def task_session_factory() -> sessionmaker[Session]:
    """Sessions on the tasks' database, each to be used in a transaction of its own."""
    task_settings()
    return _state["session_factory"]


@contextmanager
def task_session() -> Iterator[Session]:
    """A database session in its own transaction: committed when the block ends normally,
    rolled back when it raises."""
    from frontiers_de.db import get_tm_session

    factory = task_session_factory()
    tm = transaction.TransactionManager(explicit=True)
    db: Session | None = None
    try:
        with tm:
            db = get_tm_session(factory, tm)
            yield db
    finally:
        if db is not None:
            db.close()


def registered_task(task: Any) -> Any:
    """``task`` itself, or the task registered under that name
    (``"frontiers_de.mail.deliver_email"``), importing the domains' tasks modules first if
    they are not yet (a process that built no app)."""
    if not isinstance(task, str):
        return task
    if task not in celery_app.tasks:
        import_task_modules()
    return celery_app.tasks[task]


def enqueue_after_commit(
    tm: transaction.TransactionManager, task: Any, *args: Any, **kwargs: Any
) -> None:
    """Send ``task`` with these arguments once ``tm``'s transaction has committed.

    ``task`` is a task or the name it is registered under: a domain's services name their
    tasks (the task is looked up when it is sent), because its tasks module imports them.

    Embedded default (``celery.always_eager``): to the in-process workers, never run in the
    committing request's thread. Otherwise to the broker. A broker that cannot be reached is
    logged, not raised: the request has already committed, and what the task was to do is in
    the database for the periodic drain.
    """

    def hook(committed: bool) -> None:
        if not committed:
            return
        to_send = registered_task(task)
        if celery_app.conf.task_always_eager:
            embedded_workers.submit(to_send, args, kwargs)
            return
        try:
            # The queue is named each time: Celery caches its default queue on first use,
            # and the settings may have changed since (tests run several configurations).
            to_send.apply_async(args=args, kwargs=kwargs, queue=task_queue())
        except Exception:
            log.exception(
                "could not enqueue %s%r; the periodic drain will retry", to_send.name, args
            )

    tm.get().addAfterCommitHook(hook)


def _request_enqueue(request: Request) -> Callable[..., None]:
    def enqueue(task: Any, *args: Any, **kwargs: Any) -> None:
        enqueue_after_commit(request.tm, task, *args, **kwargs)

    return enqueue


class EmbeddedBeat:
    """The beat schedule run by a thread inside ``fde serve`` when tasks run in-process
    (the embedded default has no worker or beat process, but retries must still happen)."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.schedule = beat_schedule(settings)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="fde-embedded-beat", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=5)

    def take_due(self, next_due: dict[str, float], now: float) -> list[str]:
        """The entries due at ``now`` (monotonic seconds); each is set to run again one
        interval later, so an hourly purge runs hourly beside a one-minute mail drain."""
        due = [name for name, at in next_due.items() if at <= now]
        for name in due:
            next_due[name] = now + float(self.schedule[name]["schedule"])
        return due

    def _run(self) -> None:
        import_task_modules()
        started = time.monotonic()
        next_due = {
            name: started + float(entry["schedule"]) for name, entry in self.schedule.items()
        }
        while not self.stop_event.wait(max(0.0, min(next_due.values()) - time.monotonic())):
            for name in self.take_due(next_due, time.monotonic()):
                task = self.schedule[name]["task"]
                try:
                    celery_app.tasks[task].apply()
                except Exception:  # a failing run must not stop the schedule
                    log.exception("periodic task %s failed", task)


@signals.celeryd_init.connect
@signals.beat_init.connect
def _configure_worker(**kwargs: Any) -> None:
    """A worker or beat started without FDE_CONFIG reads development.ini + environment."""
    task_settings()


@signals.worker_process_init.connect
def _fresh_connections_after_fork(**kwargs: Any) -> None:
    # Database connections must not be shared between forked worker processes.
    engine = _state.get("engine")
    if engine is not None:
        engine.dispose(close=False)


def import_task_modules() -> None:
    """Register every task (the worker does this itself through ``include``)."""
    for module in TASK_MODULES:
        importlib.import_module(module)


def includeme(config: Configurator) -> None:
    load(config, TaskSettings)
    import_task_modules()
    configure_celery(
        resolve_settings(config.get_settings()), engine=config.registry.get("db_engine")
    )
    config.add_request_method(_request_enqueue, "enqueue", reify=True)


# ``celery -A frontiers_de.tasks worker|beat`` imports this module before it reads any
# configuration (beat reads its schedule and broker even before the signals above): with
# FDE_CONFIG set, configure from it right away.
if os.environ.get("FDE_CONFIG"):
    configure_celery(load_settings(os.environ["FDE_CONFIG"]))
