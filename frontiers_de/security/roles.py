"""The per-journal roles (DESIGN.md, "Who uses it")."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    AUTHOR = "author"
    REVIEWER = "reviewer"
    SECTION_EDITOR = "section_editor"
    EDITOR_IN_CHIEF = "editor_in_chief"
    PRODUCTION_EDITOR = "production_editor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            Role.AUTHOR: "Author",
            Role.REVIEWER: "Reviewer",
            Role.SECTION_EDITOR: "Section editor",
            Role.EDITOR_IN_CHIEF: "Editor-in-chief",
            Role.PRODUCTION_EDITOR: "Production editor",
            Role.ADMIN: "Administrator",
        }[self]
