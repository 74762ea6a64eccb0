"""The journal's root context and its grants: who holds which permission on the journal's
pages. Kept apart from the route contexts (``frontiers_de.resources``), which load the
domains' objects, so that foundation modules (forms, templating) can ask the journal
without importing every domain.

The grants come from the one map of roles to permissions (security/permissions.py).
"""

from __future__ import annotations

from typing import Any

from pyramid.authorization import ALL_PERMISSIONS, Allow, Authenticated, Everyone
from pyramid.request import Request

from frontiers_de.accounts.services import AccountAction, needs_confirmed_address
from frontiers_de.security import role_principal
from frontiers_de.security.permissions import ROLE_PERMISSIONS
from frontiers_de.security.permissions import Permission as P

ACE = tuple[str, str, Any]


def _role_grants() -> list[ACE]:
    grants: list[ACE] = []
    for role, held in ROLE_PERMISSIONS.items():
        if held == frozenset(P):
            grants.append((Allow, role_principal(role), ALL_PERMISSIONS))
        elif held:
            grants.append((Allow, role_principal(role), tuple(p for p in P if p in held)))
    return grants


# The journal-wide grants. Rights that also depend on one object live with the object's own
# context (frontiers_de.resources), which narrows these.
JOURNAL_ACL: list[ACE] = [
    (Allow, Everyone, P.VIEW),
    (Allow, Authenticated, P.ACCOUNT),
    # Any signed-in user may submit (they become an author), with a confirmed address if
    # the account rule asks for one (accounts.services.NEEDS_CONFIRMED; it does).
    (
        Allow,
        "verified" if needs_confirmed_address(AccountAction.SUBMIT) else Authenticated,
        P.SUBMIT,
    ),
    *_role_grants(),
]


class JournalRoot:
    """The default context of every page: the journal the installation serves."""

    __acl__ = JOURNAL_ACL

    def __init__(self, request: Request) -> None:
        self.request = request
