"""Handling editors: the editor-in-chief assigns a submission to a section editor (or to
themselves), and sets the sections whose papers each section editor handles.

Who may see which paper is the workflow's rule (:func:`workflow.in_scope`); this module
writes the two facts it reads (``Submission.handling_editor_id`` and the
:class:`~frontiers_de.editorial.models.EditorSection` links) and gives the lists the same
rule as an SQL condition (:func:`workflow.scope_condition`), so that they filter in the database.
An author of a paper is never its handling editor (conflicts of interest), and every
assignment is recorded in the audit trail and announced
(:class:`~frontiers_de.editorial.events.HandlingEditorAssigned`: the new editor is emailed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.editorial import conflicts, workflow
from frontiers_de.editorial.events import HandlingEditorAssigned
from frontiers_de.editorial.models import AuditEvent, EditorSection
from frontiers_de.editorial.services import EditorialError
from frontiers_de.i18n import _
from frontiers_de.journals.models import Section
from frontiers_de.security.permissions import CHIEF, EDITORS
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission

ASSIGN = "assign_handling_editor"  # the audit event's action


@dataclass(frozen=True)
class Candidate:
    user: User
    of_section: bool  # a section editor of the paper's section


def journal_editors(db: Session, journal_id: int) -> list[User]:
    """The active users holding an editor's role in the journal, by name."""
    return list(
        db.scalars(
            select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.journal_id == journal_id,
                RoleAssignment.role.in_(EDITORS),
                User.is_active.is_(True),
            )
            .distinct()
            .order_by(User.family_name, User.given_name, User.email_key)
        )
    )


def candidates(db: Session, submission: Submission) -> list[Candidate]:
    """Who may handle ``submission``: the journal's editors less its authors, the section
    editors of its section first."""
    section_editors = set(
        db.scalars(
            select(EditorSection.user_id).where(EditorSection.section_id == submission.section_id)
        )
    )
    out = [
        Candidate(u, u.id in section_editors)
        for u in journal_editors(db, submission.journal_id)
        if not conflicts.is_author(submission, u)
    ]
    return sorted(out, key=lambda c: not c.of_section)


def may_assign(submission: Submission, actor: User | None) -> bool:
    """The editor-in-chief (or an administrator) who may handle the paper."""
    return (
        actor is not None
        and bool(workflow.actor_roles(actor, submission.journal_id) & CHIEF)
        and workflow.may_handle(submission, actor)
    )


def assign(
    db: Session, submission: Submission, actor: User | None, editor_id: Any
) -> AuditEvent | None:
    """Make the user ``editor_id`` the handling editor of ``submission`` (an empty value:
    nobody). Returns the audit event, or None when nothing changed. Raises
    :class:`EditorialError` when ``actor`` may not assign, or when the editor is not one of
    the journal's editors or is an author of the paper; nothing changes then."""
    if not may_assign(submission, actor):
        raise EditorialError(_("Only the editor-in-chief assigns handling editors."))
    editor = _editor(db, submission, editor_id)
    if (editor.id if editor else None) == submission.handling_editor_id:
        return None
    previous_id = submission.handling_editor_id
    previous = db.get(User, previous_id) if previous_id else None
    submission.handling_editor_id = editor.id if editor else None
    event = workflow.audit(
        db,
        submission,
        actor,
        ASSIGN,
        editor_id=editor.id if editor else None,
        previous_editor_id=previous_id,
    )
    db.flush()
    events.notify(
        HandlingEditorAssigned(
            db=db,
            submission=submission,
            editor=editor,
            previous=previous,
            actor=actor,
            audit=event,
        )
    )
    return event


def _editor(db: Session, submission: Submission, editor_id: Any) -> User | None:
    text = str(editor_id or "").strip()
    if not text:
        return None
    editor = db.get(User, int(text)) if text.isdigit() and len(text) < 19 else None
    if editor is None or not (workflow.actor_roles(editor, submission.journal_id) & EDITORS):
        raise EditorialError(_("Choose one of the journal's editors."))
    if not editor.is_active:
        raise EditorialError(_("Choose one of the journal's editors."))
    if conflicts.is_author(submission, editor):
        raise EditorialError(
            _(
                "${name} is an author of this paper and cannot handle it.",
                mapping={"name": editor.display_name},
            )
        )
    return editor


@dataclass(frozen=True)
class Reassignment:
    event: AuditEvent
    actor: User | None
    editor: User | None
    previous: User | None


def history(db: Session, submission: Submission) -> list[Reassignment]:
    """Every assignment of a handling editor to ``submission``, newest first."""
    rows = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.submission_id == submission.id, AuditEvent.action == ASSIGN)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )

    def user(value: Any) -> User | None:
        return db.get(User, value) if isinstance(value, int) else None

    return [
        Reassignment(
            e,
            user(e.actor_id),
            user(e.detail.get("editor_id")),
            user(e.detail.get("previous_editor_id")),
        )
        for e in rows
    ]


# --- the sections each section editor handles -------------------------------------------------


def sections_by_editor(db: Session, journal_id: int) -> dict[int, set[int]]:
    """For each section editor of the journal linked to sections, those sections' ids."""
    out: dict[int, set[int]] = {}
    for user_id, section_id in db.execute(
        select(EditorSection.user_id, EditorSection.section_id).where(
            EditorSection.journal_id == journal_id
        )
    ):
        out.setdefault(user_id, set()).add(section_id)
    return out


def set_sections(db: Session, journal_id: int, user: User, section_ids: Iterable[Any]) -> set[int]:
    """Make ``section_ids`` (the journal's sections; others are ignored) the sections
    whose papers section editor ``user`` handles; none: the whole journal. Raises
    :class:`EditorialError` when ``user`` is not a section editor of the journal."""
    if Role.SECTION_EDITOR not in workflow.actor_roles(user, journal_id):
        raise EditorialError(_("Only section editors are given sections."))
    wanted = {int(v) for v in section_ids if str(v).isdigit() and len(str(v)) < 19}
    valid = set(
        db.scalars(
            select(Section.id).where(Section.journal_id == journal_id, Section.id.in_(wanted))
        )
    )
    db.execute(
        delete(EditorSection).where(
            EditorSection.user_id == user.id, EditorSection.journal_id == journal_id
        )
    )
    db.add_all(
        EditorSection(journal_id=journal_id, user_id=user.id, section_id=s) for s in sorted(valid)
    )
    db.flush()
    return valid
