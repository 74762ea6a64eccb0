"""One table of CRediT roles: every spelling reads as the role, every page shows its name."""

from __future__ import annotations

import pytest
from pyramid.i18n import make_localizer

from frontiers_de.production.jats.frontmatter import CREDIT_ROLE_SLUGS
from frontiers_de.submissions.credit import CREDIT_ROLES, credit_role
from frontiers_de.submissions.services import CREDIT_LABELS, credit_roles
from tests.functional.test_article_page_language import CATALOG


def test_the_table_is_the_schema_list():
    assert [role.name for role in CREDIT_ROLES] == credit_roles()
    assert {role.name: role.slug for role in CREDIT_ROLES} == CREDIT_ROLE_SLUGS
    assert set(CREDIT_LABELS) == set(credit_roles())


@pytest.mark.parametrize(
    "value",
    [
        "writing-original-draft",
        "Writing – original draft",
        "writing - Original Draft",
        "WRITING ORIGINAL DRAFT",
    ],
)
def test_any_spelling_is_the_role(value):
    role = credit_role(value)
    assert role is not None and role.name == "Writing – original draft"


def test_unknown_roles_are_none():
    assert credit_role("Cooking") is None


def test_every_role_has_a_chinese_name():
    localizer = make_localizer("zh", [str(CATALOG.parents[2])])
    for role in CREDIT_ROLES:
        name = localizer.translate(role.label)
        assert name != role.name and not any(c.isascii() and c.isalpha() for c in name), name
