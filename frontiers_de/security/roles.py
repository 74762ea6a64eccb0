"""The per-journal roles (DESIGN.md, "Who uses it")."""

from __future__ import annotations

import enum

from frontiers_de.i18n import _


class Role(enum.StrEnum):
    AUTHOR = "author"
    REVIEWER = "reviewer"
    SECTION_EDITOR = "section_editor"
    EDITOR_IN_CHIEF = "editor_in_chief"
    PRODUCTION_EDITOR = "production_editor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The English name (the msgid of :data:`ROLE_LABELS`); pages translate the entry."""
        return str(ROLE_LABELS[self])


# Written out with _() so that the extractor finds them; a page shows
# ``request.localizer.translate(ROLE_LABELS[role])``.
ROLE_LABELS = {
    Role.AUTHOR: _("Author"),
    Role.REVIEWER: _("Reviewer"),
    Role.SECTION_EDITOR: _("Section editor"),
    Role.EDITOR_IN_CHIEF: _("Editor-in-chief"),
    Role.PRODUCTION_EDITOR: _("Production editor"),
    Role.ADMIN: _("Administrator"),
}
