"""store_jats: the one place an article's JATS changes, and what it announces."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyramid.config import Configurator
from sqlalchemy import select

from frontiers_de import events
from frontiers_de.articles.events import ArticleJatsChanged
from frontiers_de.articles.jats import store_jats
from frontiers_de.production import services
from frontiers_de.production.services import ProductionError
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile
from tests.factories import make_journal, make_user
from tests.production_factories import make_accepted_submission

ROOT = Path(__file__).resolve().parents[3]
VALID_JATS = (ROOT / "tests" / "fixtures" / "jats" / "article-valid.xml").read_bytes()


@pytest.fixture
def storage(tmp_path):
    return LocalFileStorage(tmp_path / "files")


@pytest.fixture
def article(dbsession):
    journal = make_journal(dbsession)
    producer = make_user(dbsession, roles=[Role.PRODUCTION_EDITOR], journal=journal)
    author = make_user(dbsession, roles=[Role.AUTHOR], journal=journal)
    submission = make_accepted_submission(dbsession, journal, author)
    return services.start_production(dbsession, submission, producer)


@pytest.fixture
def heard(monkeypatch):
    """Events raised outside a request go to a registry holding only these subscribers."""

    def bind(*subscribers):
        config = Configurator()
        for subscriber in subscribers:
            config.add_subscriber(subscriber, ArticleJatsChanged)
        config.commit()
        monkeypatch.setitem(events._bound, "registry", config.registry)

    return bind


def _jats_files(db) -> list[ManuscriptFile]:
    return list(db.scalars(select(ManuscriptFile).where(ManuscriptFile.kind == FileKind.JATS)))


def test_a_stored_jats_is_kept_as_a_version_and_announced(dbsession, storage, article, heard):
    got: list[ArticleJatsChanged] = []
    heard(got.append)

    record = store_jats(dbsession, storage, article, VALID_JATS, filename="a.xml")

    assert article.jats_xml == VALID_JATS.decode("utf-8")
    assert _jats_files(dbsession) == [record] and storage.get(record.sha256) == VALID_JATS
    [event] = got
    assert event.article is article and event.previous == "" and event.changed
    assert not event.placement_only and not event.keep_pdf

    store_jats(dbsession, storage, article, VALID_JATS, filename="again.xml")
    assert not got[-1].changed  # the same JATS again: a new version, no change


def test_a_subscriber_that_refuses_leaves_the_previous_jats(dbsession, storage, article, heard):
    heard(lambda event: None)
    store_jats(dbsession, storage, article, VALID_JATS, filename="a.xml")
    before = article.jats_xml

    def refuse(event: ArticleJatsChanged) -> None:
        raise ProductionError("making the reader HTML took too long")

    heard(refuse)
    edited = VALID_JATS.replace(b"rural schools", b"city schools")
    with pytest.raises(ProductionError):
        store_jats(dbsession, storage, article, edited, filename="b.xml")

    assert article.jats_xml == before
    assert [f.filename for f in _jats_files(dbsession)] == ["a.xml"]
