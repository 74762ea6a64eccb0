"""The web test app's isolation (tests/conftest.py ``wsgi_app``): what a request commits is
seen by the next request and by ``app_session``, and is gone after the test."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from frontiers_de.accounts.models import User
from tests.conftest import _rolled_back
from tests.factories import app_session, make_journal, make_user
from tests.web import client_for


def _users(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM users")).scalar_one()


@pytest.mark.rolled_back
def test_a_commit_inside_the_rolled_back_transaction_is_gone_afterwards(engine):
    before = _users(engine)
    with _rolled_back(engine) as factory:
        with factory() as db:
            make_user(db, "ada@example.org")
            db.commit()  # releases a savepoint only
        with factory() as db:  # a second session on the same connection sees it
            assert db.scalar(select(func.count(User.id))) == before + 1
    assert _users(engine) == before


@pytest.mark.rolled_back
def test_requests_see_what_earlier_requests_and_the_test_committed(wsgi_app):
    with app_session(wsgi_app) as db:
        make_journal(db)
        make_user(db, "ada@example.org", given_name="Ada")
    client = client_for(wsgi_app, "ada@example.org")  # the sign-in request commits
    assert "Ada" in client.get("/account").text
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == "ada@example.org"))
        assert user.last_login_at is not None  # written by the sign-in request
