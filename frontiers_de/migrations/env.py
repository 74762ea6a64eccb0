"""Alembic environment: the database URL comes from the app's own settings (the .ini given
with ``-c``, then DATABASE_URL), so there is one source of truth."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from frontiers_de.config import load_settings
from frontiers_de.db import (
    get_engine,
    models,  # noqa: F401  (registers every table)
)
from frontiers_de.db.meta import Base

config = context.config
target_metadata = Base.metadata


def _settings() -> dict[str, str]:
    # A connection handed in by code (fde initdb, the tests) wins over any file.
    settings = load_settings(config.config_file_name)
    url = config.attributes.get("sqlalchemy.url")
    if url:
        settings["sqlalchemy.url"] = url
    return settings


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=_settings()["sqlalchemy.url"],
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = get_engine(_settings())
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
