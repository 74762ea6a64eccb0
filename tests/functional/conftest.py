"""Fixtures of the functional tests."""

from __future__ import annotations

import pytest

from frontiers_de.journals.models import Journal
from tests.factories import app_session, make_journal


@pytest.fixture
def journal(wsgi_app) -> Journal:
    """The default journal, saved where the app sees it: the same shape (a ``Journal``) as
    the unit tests' ``journal`` on ``dbsession``."""
    with app_session(wsgi_app) as db:
        return make_journal(db)
