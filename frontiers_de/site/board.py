"""The editorial board (``/about/editorial-board``), made from who holds which role: the
editor-in-chief, the section editors with the sections they handle, and the production
editors. Nobody types it twice, so it is never out of date. Only what a person shows on
their own profile is shown (name, name in their own script, affiliation, country, ORCID iD);
never an email address, so the page gives spammers nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.editorial.handling import sections_by_editor
from frontiers_de.i18n import _
from frontiers_de.security.roles import Role

# The board's groups in the order shown, with their headings (plural where it reads so).
BOARD_ROLES: tuple[tuple[Role, Any], ...] = (
    (Role.EDITOR_IN_CHIEF, _("Editor-in-chief")),
    (Role.SECTION_EDITOR, _("Section editors")),
    (Role.PRODUCTION_EDITOR, _("Production editors")),
)


@dataclass(frozen=True)
class Member:
    name: str
    native_name: str
    affiliation: str
    country: str
    orcid: str
    sections: tuple[str, ...] = ()  # a section editor's sections, in the reader's language

    @property
    def native_lang(self) -> str:
        """The language of the name in the person's own script, where it can be told
        (Han characters: Chinese), so that a screen reader says it right; else ""."""
        return "zh" if any("\u3400" <= c <= "\u9fff" for c in self.native_name) else ""


@dataclass
class Group:
    role: Role
    heading: Any
    members: list[Member] = field(default_factory=list)


def editorial_board(db: Session, journal: Any, locale: str) -> list[Group]:
    """The journal's board as groups of members, each group sorted by family name; a
    group with nobody in it is left out. A person holding two board roles is in both."""
    rows = db.execute(
        select(RoleAssignment.role, User)
        .join(User, RoleAssignment.user_id == User.id)
        .where(
            RoleAssignment.journal_id == journal.id,
            RoleAssignment.role.in_([r for r, _h in BOARD_ROLES]),
            User.is_active.is_(True),
        )
    ).all()
    section_names = {s.id: s.name_in(locale) for s in journal.sections}
    handled = sections_by_editor(db, journal.id)
    groups = {role: Group(role, heading) for role, heading in BOARD_ROLES}
    for role, user in rows:
        sections: tuple[str, ...] = ()
        if role == Role.SECTION_EDITOR:
            sections = tuple(
                sorted(section_names[i] for i in handled.get(user.id, ()) if i in section_names)
            )
        name = _public_name(user)
        if not name:
            continue  # no name on the profile: nothing to show without the email address
        groups[role].members.append(
            Member(
                name=name,
                native_name=user.native_name,
                affiliation=user.affiliation,
                country=user.country,
                orcid=user.orcid or "",
                sections=sections,
            )
        )
    for group in groups.values():
        group.members.sort(key=lambda m: (m.name.split()[-1].casefold() if m.name else "", m.name))
    return [g for g in groups.values() if g.members]


def _public_name(user: User) -> str:
    """The name a profile shows; the email address (the display name's fallback) never."""
    return " ".join(p for p in (user.given_name, user.family_name) if p) or user.native_name
