"""Traversal roots: who is granted which permission on the journal's pages."""

from __future__ import annotations

from typing import Any

from pyramid.authorization import ALL_PERMISSIONS, Allow, Authenticated, Everyone
from pyramid.request import Request

from frontiers_de.accounts.services import AccountAction, needs_confirmed_address
from frontiers_de.security import role_principal
from frontiers_de.security.permissions import Permission as P
from frontiers_de.security.roles import Role

# The journal-wide grants. Rights that also depend on a submission's state live with the
# submission's own context (editorial workflow), which extends these.
JOURNAL_ACL: list[tuple[str, str, Any]] = [
    (Allow, Everyone, P.VIEW),
    (Allow, Authenticated, P.ACCOUNT),
    # Any signed-in user may submit (they become an author), with a confirmed address if
    # the account rule asks for one (accounts.services.NEEDS_CONFIRMED; it does).
    (
        Allow,
        "verified" if needs_confirmed_address(AccountAction.SUBMIT) else Authenticated,
        P.SUBMIT,
    ),
    (Allow, role_principal(Role.REVIEWER), P.REVIEW),
    (Allow, role_principal(Role.SECTION_EDITOR), (P.EDIT, P.REVIEW)),
    (Allow, role_principal(Role.EDITOR_IN_CHIEF), (P.EDIT, P.REVIEW, P.MANAGE_EDITORS, P.PRODUCE)),
    (Allow, role_principal(Role.PRODUCTION_EDITOR), P.PRODUCE),
    (Allow, role_principal(Role.ADMIN), ALL_PERMISSIONS),
]


class JournalRoot:
    """The default context of every page: the journal the installation serves."""

    __acl__ = JOURNAL_ACL

    def __init__(self, request: Request) -> None:
        self.request = request
