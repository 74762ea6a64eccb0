"""Test data that every domain's tests can use: the journal with its sections, and users
with roles: ``make_user(db, roles=[Role.ADMIN])``.

Rows are built by factory_boy factories over the session given at each call
(``UserFactory(db=db, given_name="Ada")``, ``JournalFactory``, :class:`ModelFactory`); each
domain keeps its own in ``tests/<domain>_factories.py`` (submissions, articles, production,
publishing, review). A test builds rows through them, not with ``Model(...)`` and
``db.add``, so a new required column is filled in one place.

Passwords are hashed with deliberately cheap argon2 parameters so that tests stay fast; the
app verifies such hashes like any other (and re-hashes them with its own parameters on
sign-in).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import factory
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.accounts.services import AccountService
from frontiers_de.accounts.tokens import TokenSigner
from frontiers_de.db.meta import utcnow
from frontiers_de.journals.models import Journal
from frontiers_de.journals.services import ensure_default_journal
from frontiers_de.security.roles import Role

DEFAULT_PASSWORD = "a quiet harbour at dawn"
TOKEN_SECRET = "test-token-secret-0123456789abcdef"  # as in tests/conftest.py app_settings
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class ModelFactory(factory.Factory):
    """A factory whose ``create`` adds the row to the session passed as ``db`` and flushes
    it (so it has its id), whichever session that is: a unit test's ``dbsession``, an
    ``app_session`` of a functional test."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, db: Session, **kwargs: Any) -> Any:
        row = model_class(*args, **kwargs)
        db.add(row)
        db.flush()
        return row


class UserFactory(ModelFactory):
    """A verified user who signs in with ``DEFAULT_PASSWORD``; ``verified=False`` and
    ``password=None`` (no password: an invited reviewer) give the other kinds."""

    class Meta:
        model = User

    class Params:
        n = factory.Sequence(lambda n: n + 1)
        password = DEFAULT_PASSWORD
        verified = True

    email = factory.LazyAttribute(lambda o: f"user{o.n}@example.org")
    email_key = factory.LazyAttribute(lambda o: o.email.strip().casefold())
    password_hash = factory.LazyAttribute(
        lambda o: FAST_HASHER.hash(o.password) if o.password is not None else None
    )
    given_name = factory.LazyAttribute(lambda o: f"Given{o.n}")
    family_name = factory.LazyAttribute(lambda o: f"Family{o.n}")
    email_verified_at = factory.LazyAttribute(lambda o: utcnow() if o.verified else None)
    security_stamp = 0
    preferred_language = "en"


class JournalFactory(ModelFactory):
    """A journal of its own beside the default one (``make_journal``), without sections:
    ``JournalFactory(db=db, code="other")``."""

    class Meta:
        model = Journal

    code = factory.Sequence(lambda n: f"j{n + 1}")
    title = factory.LazyAttribute(lambda o: f"Journal {o.code}")


def account_service(db: Session, **kw: Any) -> AccountService:
    """The account service with the tests' token secret and the cheap hasher."""
    return AccountService(db, TokenSigner(TOKEN_SECRET), kw.pop("hasher", FAST_HASHER), **kw)


def make_journal(db: Session, settings: Mapping[str, Any] | None = None) -> Journal:
    """The default journal (FDE) with its five sections."""
    return ensure_default_journal(db, settings)


def make_user(
    db: Session,
    email: str | None = None,
    *,
    password: str | None = DEFAULT_PASSWORD,
    verified: bool = True,
    roles: Iterable[Role | str] = (),
    journal: Journal | None = None,
    **fields: Any,
) -> User:
    """A user (verified unless told otherwise) holding ``roles`` in ``journal`` (by
    default the default journal, created if needed)."""
    if email is not None:
        fields["email"] = email
    user = UserFactory(db=db, password=password, verified=verified, **fields)
    roles = list(roles)
    if roles:
        journal = journal or make_journal(db)
        service = account_service(db)
        for role in roles:
            service.grant_role(user, journal.id, role)
    return user


@contextmanager
def app_session(wsgi_app: Any) -> Iterator[Session]:
    """A session on the app's own database that commits on leaving, for arranging data
    that the app (which commits for real in functional tests) must see."""
    session = wsgi_app.registry["dbsession_factory"]()
    try:
        yield session
        session.commit()
    finally:
        session.close()
