"""The one map of roles to permissions (security/permissions.py): the journal's ACL and the
workflow's role sets are both read from it."""

from __future__ import annotations

from pyramid.authorization import ACLHelper, Authenticated, Everyone

from frontiers_de.editorial import workflow
from frontiers_de.security import role_principal
from frontiers_de.security.permissions import ROLE_PERMISSIONS, Permission
from frontiers_de.security.roles import Role
from frontiers_de.security.root import JournalRoot


def test_the_workflows_role_sets_are_the_holders_of_a_permission():
    assert {Role.SECTION_EDITOR, Role.EDITOR_IN_CHIEF, Role.ADMIN} == workflow.EDITORS
    assert {Role.PRODUCTION_EDITOR, Role.EDITOR_IN_CHIEF, Role.ADMIN} == workflow.PRODUCTION
    assert {Role.EDITOR_IN_CHIEF, Role.ADMIN} == workflow.CHIEF


def test_the_journal_grants_each_role_what_the_map_says():
    root = JournalRoot(None)  # type: ignore[arg-type]
    for role in Role:
        principals = [Everyone, Authenticated, role_principal(role)]  # signed in, unconfirmed
        granted = {p for p in Permission if ACLHelper().permits(root, principals, p)}
        assert granted == {Permission.VIEW, Permission.ACCOUNT} | ROLE_PERMISSIONS[role], role
    assert ACLHelper().permits(root, [Everyone, Authenticated, "verified"], Permission.SUBMIT)
    assert not ACLHelper().permits(root, [Everyone], Permission.ACCOUNT)
