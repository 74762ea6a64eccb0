"""Which database errors are races worth a retry (frontiers_de.db.is_conflict), on a real
SQLite file: a busy write lock is, a broken constraint or a missing table is not; and the
engine marks a race retryable for pyramid_retry as it happens."""

from __future__ import annotations

import sqlite3

import pytest
from pyramid_retry import IRetryableError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from frontiers_de.db import get_engine, is_conflict


@pytest.fixture
def engine(tmp_path):
    eng = get_engine({"sqlalchemy.url": f"sqlite:///{tmp_path / 'c.sqlite'}"})
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    yield eng
    eng.dispose()


def test_a_busy_write_lock_is_a_retryable_conflict(engine, tmp_path):
    holder = sqlite3.connect(tmp_path / "c.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with engine.connect() as conn:
            conn.execute(text("PRAGMA busy_timeout=50"))
            with pytest.raises(OperationalError) as caught:
                conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert is_conflict(caught.value)
    assert IRetryableError.providedBy(caught.value)


def test_other_database_errors_are_not_races(engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
    with engine.connect() as conn:
        with pytest.raises(IntegrityError) as duplicate:
            conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
        with pytest.raises(OperationalError) as missing:
            conn.execute(text("SELECT * FROM no_such_table"))
    assert not is_conflict(duplicate.value)
    assert not is_conflict(missing.value)
    assert not IRetryableError.providedBy(missing.value)
    assert not is_conflict(ValueError("not a database error"))
