"""Shared fixtures. The official schemas and the corpus are read from ../shared (or from
FDE_SCHEMA_DIR / FDE_CORPUS_DIR); they are never copied into the project."""

from __future__ import annotations

import csv
import logging
import os
import shutil
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from frontiers_de.package_files import TEMPLATES_SPEC

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCHEMA_DIR = Path(os.environ.get("FDE_SCHEMA_DIR") or SHARED / "schemas")
CORPUS_DIR = Path(os.environ.get("FDE_CORPUS_DIR") or SHARED / "corpus")
os.environ.setdefault("FDE_SCHEMA_DIR", str(SCHEMA_DIR))
# Task failures are logged where the real task threads log them.
tasks_log = logging.getLogger("frontiers_de.tasks")


def corpus_files(kind: str) -> list[Path]:
    """Files of one kind (jats, docx, crossref, …) listed in the corpus MANIFEST.tsv."""
    manifest = CORPUS_DIR / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [CORPUS_DIR / r["file"] for r in rows if r["kind"] == kind]


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    if not SCHEMA_DIR.is_dir():
        pytest.fail(f"official schemas not found at {SCHEMA_DIR} (set FDE_SCHEMA_DIR)")
    return SCHEMA_DIR


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.fail(f"corpus not found at {CORPUS_DIR} (set FDE_CORPUS_DIR)")
    return CORPUS_DIR


# --- the database: the same suite on SQLite and, with FDE_TEST_BACKEND=postgresql, on PostgreSQL


def _database_url(tmp_dir: Path) -> str:
    if os.environ.get("FDE_TEST_BACKEND") == "postgresql":
        from frontiers_de.config import normalise_database_url

        return normalise_database_url(
            os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/fde_test")
        )
    return f"sqlite:///{tmp_dir / 'test.sqlite'}"


def _fresh_postgresql(url: str) -> None:
    """Drop and re-create the test database, so that the migrations start from nothing."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    conn = psycopg.connect(
        host=u.host,
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        dbname="postgres",
        autocommit=True,
    )
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{u.database}"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _database_url(tmp_path_factory.mktemp("db"))
    if url.startswith("postgresql"):
        _fresh_postgresql(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str):
    """The test database, built by the Alembic migrations (not create_all), then checked
    against the models: a model change without its migration fails here."""
    from frontiers_de.db import get_engine
    from frontiers_de.db.migrate import check, upgrade

    eng = get_engine({"sqlalchemy.url": database_url})
    upgrade(eng)
    check(eng)
    yield eng
    eng.dispose()


def _clean_tables(engine) -> None:
    from frontiers_de.db import models  # noqa: F401
    from frontiers_de.db.meta import Base

    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@contextmanager
def _rolled_back(engine) -> Iterator[sessionmaker]:
    """Sessions on one connection whose outer transaction is rolled back at the end: a
    session's commit only releases a savepoint, so nothing a test writes outlives it."""
    connection = engine.connect()
    outer = connection.begin()
    if engine.dialect.name == "sqlite":
        # pysqlite opens no transaction of its own before a SAVEPOINT, so the first savepoint
        # would be the transaction and its RELEASE would commit: open the real one here.
        connection.exec_driver_sql("BEGIN")
    try:
        yield sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def dbsession(engine):
    """A session inside a transaction that is rolled back after the test."""
    with _rolled_back(engine) as factory:
        session = factory()
        yield session
        session.close()


@pytest.fixture
def app_settings(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> dict[str, str]:
    settings = {
        "sqlalchemy.url": database_url,
        "fde.session_secret": "test-session-secret-0123456789abcdef",
        "fde.token_secret": "test-token-secret-0123456789abcdef",
        "fde.files_dir": str(tmp_path / "files"),
        "fde.base_url": "http://localhost",
        "fde.schema_dir": str(SCHEMA_DIR),
        "mail.backend": "file",
        "mail.outbox_dir": str(tmp_path / "mail"),
        "celery.always_eager": "true",
        "celery.broker_url": "memory://",
        "jinja2.directories": TEMPLATES_SPEC,
        # Crossref is not reachable from here, and tests must never try: unless a test points
        # these at the local stand-in, they name a loopback port where nothing listens.
        "crossref.deposit_url": "http://127.0.0.1:9/servlet/deposit",
        "crossref.api_url": "http://127.0.0.1:9",
    }
    # A test that asks for the SMTP server gets an app that sends to it.
    if "smtp_server" in request.fixturenames:
        settings.update(request.getfixturevalue("smtp_server").settings)
    return settings


# Tests whose app must commit for real, because something outside the test's one
# connection reads or writes the database: another thread serving HTTP (``live_server``,
# and the browser tests on it), a connection the test or one of its fixtures opens itself
# (they ask for ``engine``), a Celery worker or a command in another process, or requests
# racing each other (those are marked ``commits``).
COMMITTING_FIXTURES = {"live_server", "browser"}
_ROLLED_BACK_FIXTURES = {"engine", "wsgi_app", "dbsession", "testapp"}


def _commits_for_real(request: pytest.FixtureRequest) -> bool:
    if request.node.get_closest_marker("commits"):
        return True
    if COMMITTING_FIXTURES & set(request.fixturenames):
        return True
    info = request.node._fixtureinfo
    if "engine" in info.argnames:
        return True
    return any(
        "engine" in definition.argnames
        for name, definitions in info.name2fixturedefs.items()
        if name not in _ROLLED_BACK_FIXTURES
        for definition in definitions
    )


class InlineTasks:
    """The rolled-back app's stand-in for the embedded task threads
    (``frontiers_de.tasks.embedded_workers``): what a commit queues runs in the test's own
    thread when the test drains (after each WebTest request, at the end of ``app_request``
    and of the test), one task after another, on the test's connection.

    A SQLAlchemy connection belongs to one thread at a time. With a real task thread a task
    could begin its savepoint while the thread that queued it (a request finishing its
    commit, the test) still used the same connection, and now and then one of them found
    its savepoint gone ("no such savepoint", "nested transaction already deassociated").
    Here the request has finished before its tasks start, and each task's savepoint is
    released before the next begins."""

    def __init__(self) -> None:
        self._queue: deque[tuple[Any, tuple[Any, ...], dict[str, Any]]] = deque()
        self._draining = False

    def configure(self, threads: int, queue_size: int) -> None:
        """The apps the test builds configure their threads; there are none here."""

    def submit(self, task: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        self._queue.append((task, args, kwargs))
        return True

    def drain(self, timeout: float | None = None) -> bool:
        """Run every task queued so far, and those they queue in turn. False when asked
        from inside a task (as a worker thread would answer)."""
        if self._draining:
            return False
        self._draining = True
        try:
            while self._queue:
                task, args, kwargs = self._queue.popleft()
                try:
                    result = task.apply(args=args, kwargs=kwargs)
                    if result.failed():
                        tasks_log.error("task %s%r failed:\n%s", task.name, args, result.traceback)
                except Exception:  # as on a worker thread: logged, the next one runs
                    tasks_log.exception("task %s%r failed", task.name, args)
        finally:
            self._draining = False
        return True

    @property
    def pending(self) -> int:
        return len(self._queue)


@pytest.fixture
def wsgi_app(engine, app_settings, request: pytest.FixtureRequest, monkeypatch):
    """The real app on the test database.

    By default every request, every ``app_session`` and every background task of the test
    runs on one connection inside a transaction that is rolled back after the test (a
    request's commit releases a savepoint), and the tasks run in the test's thread
    (:class:`InlineTasks`). Tests marked ``commits``, using one of ``COMMITTING_FIXTURES``
    or asking for ``engine`` get an app that commits for real, with its task threads;
    their tables are emptied afterwards."""
    from frontiers_de import main, tasks

    if _commits_for_real(request):
        app = main({}, **app_settings)
        yield app
        # Background tasks of this test finish before its rows go.
        tasks.drain_tasks()
        _clean_tables(engine)
        return
    import frontiers_de.db

    with _rolled_back(engine) as factory:
        # Every app the test builds (this one, one with other settings, the command line's)
        # and the background tasks get their sessions from the test's connection.
        monkeypatch.setattr(frontiers_de.db, "get_session_factory", lambda _engine: factory)
        for key in ("engine", "session_factory"):  # the tasks' own, as they were before
            monkeypatch.setitem(tasks._state, key, tasks._state.get(key))
        monkeypatch.setattr(tasks, "embedded_workers", InlineTasks())
        app = main({}, **app_settings)
        yield app
        tasks.drain_tasks()


@pytest.fixture(autouse=True)
def _webtest_waits_for_background_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded default runs tasks on in-process threads after the request's commit
    (frontiers_de/tasks.py). A WebTest request returns once those it queued have run, as a
    user who reloads the page would see them: tests stay deterministic without sleeping.
    ``live_server`` requests do not wait; a test calls ``drain_tasks()`` where it must."""
    import webtest

    from frontiers_de.tasks import drain_tasks

    original = webtest.TestApp.do_request

    def do_request(self, *args, **kwargs):
        try:
            return original(self, *args, **kwargs)
        finally:
            drain_tasks()

    monkeypatch.setattr(webtest.TestApp, "do_request", do_request)


@pytest.fixture
def testapp(wsgi_app):
    import webtest

    return webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})


@pytest.fixture
def live_server(wsgi_app):
    """The app served by waitress on a free loopback port, for real HTTP clients (the
    browser, the OAI-PMH harvester); its base URL."""
    import threading

    from waitress.server import create_server

    server = create_server(wsgi_app, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    stopping = threading.Event()

    def serve() -> None:
        try:
            server.run()
        except (OSError, ValueError):
            # Closing the sockets under the running loop ends it this way; only then.
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    stopping.set()
    # Let the worker threads finish the last responses first: one that finished after
    # close() would write to the server's closed wake-up pipe (EBADF in a thread).
    server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
    server.close()
    thread.join(timeout=5)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so that the PostgreSQL pass runs them."""
    db_fixtures = {"engine", "dbsession", "wsgi_app", "testapp", "database_url"}
    for item in items:
        if db_fixtures & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


# --- a real SMTP server (aiosmtpd) that the mail tests send to and read from


class ReceivedMail:
    """One message as the SMTP server received it: envelope and parsed message."""

    def __init__(self, mail_from: str, rcpt_tos: list[str], content: bytes) -> None:
        import email
        import email.policy

        self.mail_from = mail_from
        self.rcpt_tos = rcpt_tos
        self.content = content
        self.message = email.message_from_bytes(content, policy=email.policy.default)

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def text(self) -> str:
        """The text/plain body, decoded."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


class SMTPTestServer:
    """aiosmtpd's Controller on a free loopback port. ``settings`` point the app at it;
    ``stop()`` and ``start()`` take it down and bring it back on the same port."""

    def __init__(self) -> None:
        import socket
        import threading

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.host = "127.0.0.1"
        self.messages: list[ReceivedMail] = []
        self._received = threading.Condition()
        self.controller = None

    async def handle_DATA(self, server, session, envelope) -> str:
        mail = ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        with self._received:
            self.messages.append(mail)
            self._received.notify_all()
        return "250 Message accepted for delivery"

    @property
    def settings(self) -> dict[str, str]:
        return {
            "mail.backend": "smtp",
            "mail.host": self.host,
            "mail.port": str(self.port),
            "mail.tls": "false",
        }

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        """Block until ``count`` messages have arrived (or fail after ``timeout`` seconds)."""
        with self._received:
            if not self._received.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(
                    f"expected {count} message(s) at the SMTP server, got {len(self.messages)}"
                )
            return list(self.messages)


@pytest.fixture
def smtp_server():
    """A real SMTP server for this test. Asking for it also switches ``app_settings`` (and
    so ``wsgi_app``/``testapp``) to ``mail.backend = smtp`` pointed at it."""
    server = SMTPTestServer()
    server.start()
    yield server
    server.stop()


# --- one real browser for the whole session (a second Playwright session in the same
# process would fail: the first keeps its event loop running)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def announced() -> Iterator[Any]:
    """``announced(EventType)``: a list that collects the events of that type announced
    outside a request during the test (on the registry events go to; the domains'
    subscribers still run)."""
    from frontiers_de import events

    registry = events.current_registry()
    added: list[tuple[Any, type]] = []

    def collect(kind: type) -> list[Any]:
        seen: list[Any] = []

        def handler(event: Any) -> None:
            seen.append(event)

        registry.registerHandler(handler, (kind,))
        added.append((handler, kind))
        return seen

    yield collect
    for handler, kind in added:
        registry.unregisterHandler(handler, (kind,))
