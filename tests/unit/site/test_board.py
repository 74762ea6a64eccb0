"""The editorial board comes from the roles: grouped, sorted, with profile facts and never an
email address."""

from __future__ import annotations

from frontiers_de.editorial import handling
from frontiers_de.security.roles import Role
from frontiers_de.site.board import editorial_board
from tests.factories import make_journal, make_user


def test_groups_members_sections_and_no_email(dbsession):
    journal = make_journal(dbsession)
    make_user(
        dbsession,
        "chief@example.org",
        roles=[Role.EDITOR_IN_CHIEF],
        journal=journal,
        given_name="Ada",
        family_name="Zhang",
        native_name="张艾达",
        affiliation="Beijing Normal University",
        orcid="0000-0002-1825-0097",
    )
    se = make_user(
        dbsession,
        "se@example.org",
        roles=[Role.SECTION_EDITOR],
        journal=journal,
        given_name="Bo",
        family_name="Adams",
    )
    make_user(
        dbsession,
        "se2@example.org",
        roles=[Role.SECTION_EDITOR],
        journal=journal,
        given_name="Cy",
        family_name="Baker",
    )
    make_user(
        dbsession,
        "noname@example.org",
        roles=[Role.SECTION_EDITOR],
        journal=journal,
        given_name="",
        family_name="",
    )
    make_user(
        dbsession,
        "rev@example.org",
        roles=[Role.REVIEWER],
        journal=journal,
        given_name="Rae",
        family_name="Viewer",
    )
    handling.set_sections(dbsession, journal.id, se, [journal.sections[0].id])
    groups = editorial_board(dbsession, journal, "en")
    assert [g.role for g in groups] == [Role.EDITOR_IN_CHIEF, Role.SECTION_EDITOR]
    chief = groups[0].members[0]
    assert chief.name == "Ada Zhang" and chief.native_lang == "zh"
    assert chief.affiliation == "Beijing Normal University"
    assert [m.name for m in groups[1].members] == ["Bo Adams", "Cy Baker"]
    assert groups[1].members[0].sections == (journal.sections[0].name,)
    shown = repr(groups)
    assert "@example.org" not in shown and "Rae" not in shown
