"""Test data that every domain's tests can use: the journal with its sections, and users
with roles. Plain functions over a SQLAlchemy session: ``make_user(db, roles=[Role.ADMIN])``.

Passwords are hashed with deliberately cheap argon2 parameters so that tests stay fast; the
app verifies such hashes like any other (and re-hashes them with its own parameters on
sign-in).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

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
_numbers = itertools.count(1)


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
    n = next(_numbers)
    user = User(
        email=email or f"user{n}@example.org",
        email_key=(email or f"user{n}@example.org").strip().casefold(),
        password_hash=FAST_HASHER.hash(password) if password is not None else None,
        given_name=fields.pop("given_name", f"Given{n}"),
        family_name=fields.pop("family_name", f"Family{n}"),
        email_verified_at=utcnow() if verified else None,
        security_stamp=0,
        preferred_language=fields.pop("preferred_language", "en"),
        **fields,
    )
    db.add(user)
    db.flush()
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
