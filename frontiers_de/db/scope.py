"""A session in a transaction of its own, for work outside a request (tasks, commands)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker


@contextmanager
def session_scope(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session; commit when the block ends normally, roll back when it raises."""
    with session_factory() as db, db.begin():
        yield db
