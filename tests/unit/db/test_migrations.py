"""The migrations build the whole model, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm.exc import StaleDataError

from frontiers_de.accounts.models import User
from frontiers_de.db import models
from frontiers_de.db.meta import Base, utcnow
from frontiers_de.journals.models import Journal
from frontiers_de.submissions.models import Submission
from tests.factories import JournalFactory, UserFactory
from tests.submission_factories import SubmissionFactory


def test_every_model_table_exists_after_migrating(engine):
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert {name.lower() for name in models.__all__} and "alembic_version" in tables


def test_datetimes_come_back_aware_in_utc(dbsession):
    journal = JournalFactory(db=dbsession, code="j1", title="J")
    dbsession.expire_all()
    loaded = dbsession.get(Journal, journal.id)
    assert loaded.created_at.tzinfo is not None
    assert loaded.created_at.utcoffset() == dt.timedelta(0)


def test_submission_version_guards_against_lost_updates(engine):
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        journal = JournalFactory(db=s, code="lock", title="Lock")
        user = UserFactory(db=s, email="lock@example.org")
        sub = SubmissionFactory(db=s, journal=journal, submitter=user, title="v1")
        s.commit()
        ids = (journal.id, user.id, sub.id)
    try:
        with Session(engine) as first, Session(engine) as second:
            a = first.get(Submission, ids[2])
            b = second.get(Submission, ids[2])
            a.title = "first edit"
            first.commit()
            b.title = "second edit, based on the old version"
            with pytest.raises(StaleDataError):
                second.commit()
    finally:
        with Session(engine) as s:
            s.query(Submission).filter_by(id=ids[2]).delete()
            s.query(User).filter_by(id=ids[1]).delete()
            s.query(Journal).filter_by(id=ids[0]).delete()
            s.commit()


def _insert_as_it_was(db: Any, table_name: str, **values: Any) -> int:
    """Insert one row into ``table_name`` as the database has it now (reflected), filling
    each required column that has no default with an empty value of its kind."""
    import sqlalchemy as sa

    table = sa.Table(table_name, sa.MetaData(), autoload_with=db.connection())
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        if column.server_default is not None:
            continue
        kind = type(column.type).__name__.upper()
        if "INT" in kind or "BOOL" in kind:
            row[column.name] = 0
        elif "DATE" in kind or "TIME" in kind:
            row[column.name] = utcnow()
        elif "JSON" in kind:
            row[column.name] = {}
        else:
            row[column.name] = ""
    return int(db.execute(table.insert().values(**row)).inserted_primary_key[0])


def test_the_search_migration_indexes_existing_articles(tmp_path):
    """Articles stored before search existed are found once the database is upgraded."""
    from sqlalchemy.orm import Session

    from frontiers_de.articles.models import Article, ArticleState
    from frontiers_de.db import get_engine
    from frontiers_de.db.migrate import upgrade
    from frontiers_de.publishing import search
    from frontiers_de.publishing.models import ArticleSearchDocument
    from tests.publishing_factories import jats_with

    engine = get_engine({"sqlalchemy.url": f"sqlite:///{tmp_path / 'old.sqlite'}"})
    try:
        upgrade(engine, "0006_peer_review")
        with Session(engine) as db:
            # The journal row through the table as 0006 has it: the model of today names
            # columns the database does not have yet, and lacks some it still has.
            journal_id = _insert_as_it_was(
                db, "journals", code="fde", title="Frontiers of Digital Education"
            )
            # The articles through their table with the columns 0006 has (the model of
            # today has more: articles.html_version).
            db.execute(
                Article.__table__.insert(),
                [
                    dict(
                        journal_id=journal_id,
                        state=ArticleState.PUBLISHED,
                        doi="10.5555/old.1",
                        title="Stored before search",
                        jats_xml=jats_with("10.5555/old.1", title="Stored before search"),
                        published_at=utcnow(),
                    ),
                    dict(
                        journal_id=journal_id,
                        state=ArticleState.IN_PRODUCTION,
                        doi="10.5555/old.2",
                        title="No JATS yet",
                        jats_xml=None,
                        published_at=None,
                    ),
                ],
            )
            db.commit()
        upgrade(engine)
        with Session(engine) as db:
            assert db.query(ArticleSearchDocument).count() == 2
            found = search.search(db, journal_id, search.parse_query("before 农村学校"))
            assert [h.article.doi for h in found.hits] == ["10.5555/old.1"]
    finally:
        engine.dispose()
