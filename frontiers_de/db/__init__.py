"""Database wiring: engine, session factory, and ``request.db`` joined to the transaction.

Each request gets one session tied to ``pyramid_tm``'s transaction (zope.sqlalchemy), so a
request that fails rolls back everything it did, and work queued for after commit never runs.

Two requests that change the same rows at once: the loser's error is a *conflict*
(:func:`is_conflict`), and pyramid_retry runs the loser again on a fresh transaction, where
the services see the winner's change and answer as they do for any stale form. Only when
the retries are used up does the conflict reach the reader, as the "changed by someone else,
reload" page (409, ``frontiers_de/views.py``). The error pages never use a session whose
transaction has failed (:func:`database_usable`): asking it again raised a second error
inside the error page, which hid the first from pyramid_retry and gave waitress's raw 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import transaction
import zope.sqlalchemy
from pyramid.config import Configurator
from pyramid.request import Request
from sqlalchemy import engine_from_config, event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from frontiers_de.db.meta import Base

__all__ = [
    "Base",
    "database_usable",
    "get_engine",
    "get_session_factory",
    "get_tm_session",
    "includeme",
    "is_conflict",
]

# PostgreSQL's ways of saying "another transaction got in the way; try again":
# serialization_failure, deadlock_detected, lock_not_available.
_PG_CONFLICT_STATES = frozenset({"40001", "40P01", "55P03"})
# SQLite's: SQLITE_BUSY (with its extended codes, such as BUSY_SNAPSHOT when a writer
# committed since our read began) and SQLITE_LOCKED; the primary code is the low byte.
_SQLITE_CONFLICT_CODES = frozenset({5, 6})


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def is_conflict(exc: BaseException | None) -> bool:
    """Whether ``exc`` means that a concurrent transaction got in the way: a versioned row
    saved by someone else since we read it (StaleDataError), a deadlock, a serialization
    failure or a lock we could not get. Such an error is worth a retry; any other database
    error (a constraint we broke, a server that is down) is not a race."""
    if isinstance(exc, StaleDataError):
        return True
    if not isinstance(exc, DBAPIError) or isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _PG_CONFLICT_STATES:
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_CONFLICT_CODES
    # Older sqlite3 modules carry no code, only the message.
    text = str(orig).lower()
    return "database is locked" in text or "database table is locked" in text


def _mark_conflicts_retryable(context: ExceptionContext) -> None:
    # Marked one error at a time (not every OperationalError): a database that is down is
    # not a race, and three quick retries would only triple the wait for the error page.
    error = context.sqlalchemy_exception
    if error is not None and is_conflict(error):
        from pyramid_retry import mark_error_retryable

        mark_error_retryable(error)


def get_engine(settings: Mapping[str, Any], prefix: str = "sqlalchemy.") -> Engine:
    engine = engine_from_config(dict(settings), prefix)
    if engine.dialect.name == "sqlite":
        url = engine.url
        if url.database and url.database != ":memory:":
            from pathlib import Path

            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "handle_error", _mark_conflicts_retryable)
    return engine


def get_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def get_tm_session(
    session_factory: sessionmaker[Session], transaction_manager: transaction.TransactionManager
) -> Session:
    """A session joined to ``transaction_manager``: commit and abort go through it."""
    dbsession = session_factory()
    zope.sqlalchemy.register(dbsession, transaction_manager=transaction_manager)
    # Services that get only the session can still queue work for after the commit.
    dbsession.info["tm"] = transaction_manager
    return dbsession


def _request_db(request: Request) -> Session:
    # Tests pass a session in through the environ, so that nothing they do is committed.
    dbsession = request.environ.get("app.dbsession")
    if dbsession is None:
        dbsession = get_tm_session(request.registry["dbsession_factory"], request.tm)
    return dbsession


def database_usable(request: Request) -> bool:
    """Whether ``request`` may still ask the database.

    Not after pyramid_tm has committed or aborted (the debug toolbar and error pages for a
    failed commit run then: there is no transaction left to join), and not once the request's
    transaction has failed (a flush that lost a race, a deadlock): the session then answers
    every query with PendingRollbackError or "current transaction is aborted". Pages that
    may render in that state (the error pages, the locale negotiator, the user and journal
    shown in the layout) ask this first and do without the database."""
    from transaction.interfaces import NoTransaction

    if isinstance(getattr(request, "exception", None), SQLAlchemyError):
        return False
    if "app.dbsession" not in request.environ:
        try:
            request.tm.get()
        except NoTransaction:
            return False
    dbsession = request.__dict__.get("db")  # only a session this request already opened
    if dbsession is not None:
        current = dbsession.get_transaction()
        if current is not None and not current.is_active:
            return False
    return True


def includeme(config: Configurator) -> None:
    settings = config.get_settings()
    settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    config.include("pyramid_tm")
    config.include("pyramid_retry")
    # Two requests changing the same row at once: retry the loser on a fresh transaction.
    from pyramid_retry import mark_error_retryable

    # Two requests inserting the same unique value: on the retry the service finds the
    # winner's row and answers as for any existing one.
    mark_error_retryable(IntegrityError)
    # A versioned row (a submission) saved by another request between our read and our
    # write: on the retry the service sees the new version and answers as for any stale
    # form (the author's text shown again), instead of an error page.
    mark_error_retryable(StaleDataError)
    # Deadlocks, serialization failures and busy locks are marked as they happen
    # (``_mark_conflicts_retryable`` on the engine), other OperationalErrors are not.
    engine = get_engine(settings)
    config.registry["db_engine"] = engine
    config.registry["dbsession_factory"] = get_session_factory(engine)
    config.add_request_method(_request_db, "db", reify=True)
