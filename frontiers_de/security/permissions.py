"""Every permission, and which journal role holds which, in one place. Views require one
with ``permission=``; contexts grant them to principals through ``__acl__``
(frontiers_de/resources.py), and the workflow's role sets are read from here."""

from __future__ import annotations

import enum

from frontiers_de.security.roles import Role


class Permission(enum.StrEnum):
    VIEW = "view"  # public pages
    ACCOUNT = "account"  # one's own profile, password, dashboard
    SUBMIT = "submit"  # start and edit one's own submissions
    REVIEW = "review"  # the reviewer's pages
    EDIT = "edit"  # editorial queues and decisions
    MANAGE_EDITORS = "manage_editors"  # assign handling editors, override decisions
    PRODUCE = "produce"  # production: JATS, typesetting, proofs, DOIs, issues
    ADMIN = "admin"  # journal settings, users and roles


P = Permission

# What each journal role may do in its journal (an author's rights come from being the
# submitter, not from a role). The administrator may do everything.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.AUTHOR: frozenset(),
    Role.REVIEWER: frozenset({P.REVIEW}),
    Role.SECTION_EDITOR: frozenset({P.EDIT, P.REVIEW}),
    Role.EDITOR_IN_CHIEF: frozenset({P.EDIT, P.REVIEW, P.MANAGE_EDITORS, P.PRODUCE}),
    Role.PRODUCTION_EDITOR: frozenset({P.PRODUCE}),
    Role.ADMIN: frozenset(Permission),
}


def holders(permission: Permission) -> frozenset[Role]:
    """The roles that hold ``permission`` in their journal."""
    return frozenset(role for role, held in ROLE_PERMISSIONS.items() if permission in held)


# The role sets the workflow's transitions and the pages ask for.
EDITORS = holders(P.EDIT)  # section editors, the editor-in-chief, administrators
PRODUCTION = holders(P.PRODUCE)  # production editors, the editor-in-chief, administrators
CHIEF = holders(P.MANAGE_EDITORS)  # the editor-in-chief, administrators
