"""Database wiring: engine, session factory, and ``request.db`` joined to the transaction.

Each request gets one session tied to ``pyramid_tm``'s transaction (zope.sqlalchemy), so a
request that fails rolls back everything it did, and work queued for after commit never runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import transaction
import zope.sqlalchemy
from pyramid.config import Configurator
from pyramid.request import Request
from sqlalchemy import engine_from_config, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from frontiers_de.db.meta import Base

__all__ = ["Base", "get_engine", "get_session_factory", "get_tm_session", "includeme"]


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def get_engine(settings: Mapping[str, Any], prefix: str = "sqlalchemy.") -> Engine:
    engine = engine_from_config(dict(settings), prefix)
    if engine.dialect.name == "sqlite":
        url = engine.url
        if url.database and url.database != ":memory:":
            from pathlib import Path

            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)
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


def includeme(config: Configurator) -> None:
    settings = config.get_settings()
    settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    config.include("pyramid_tm")
    config.include("pyramid_retry")
    # Two requests changing the same row at once: retry the loser on a fresh transaction.
    from pyramid_retry import mark_error_retryable

    mark_error_retryable(IntegrityError)
    mark_error_retryable(OperationalError)
    # A versioned row (a submission) saved by another request between our read and our
    # write: on the retry the service sees the new version and answers as for any stale
    # form (the author's text shown again), instead of an error page.
    mark_error_retryable(StaleDataError)
    engine = get_engine(settings)
    config.registry["db_engine"] = engine
    config.registry["dbsession_factory"] = get_session_factory(engine)
    config.add_request_method(_request_db, "db", reify=True)
