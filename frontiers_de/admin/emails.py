"""The journal's email templates as the admin sees them (``/admin/emails``): which are the
journal's own and which the defaults, the text to start editing from, and a preview with a
real submission of the journal.

The rules of an override (sandbox, checks, storage) live in
:mod:`frontiers_de.mail.overrides`; what each email is for and may use, in
:mod:`frontiers_de.mail.catalogue`. This module only gathers them for the pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.journals.models import Journal, Section
from frontiers_de.mail import overrides
from frontiers_de.mail.catalogue import EMAIL_LANGUAGES, TEMPLATES, EmailTemplate
from frontiers_de.mail.links import base_url, email_url
from frontiers_de.mail.services import RenderedEmail, default_source, render_email
from frontiers_de.submissions.models import Submission


@dataclass(frozen=True)
class TemplateRow:
    """One line of the list: the template and, per language, whether it is the journal's."""

    template: EmailTemplate
    customised: dict[str, bool]


def template_rows(db: Session, journal_id: int) -> list[TemplateRow]:
    own = overrides.customised(db, journal_id)
    return [
        TemplateRow(t, {lang: (name, lang) in own for lang in EMAIL_LANGUAGES})
        for name, t in sorted(TEMPLATES.items())
    ]


def current_text(
    db: Session, settings: Mapping[str, Any], journal_id: int, template: str, lang: str
) -> tuple[str, str, Any]:
    """Subject and body the edit form opens with (the journal's own, else the default
    file's source) and the override row (None: the default is in use)."""
    row = overrides.find(db, journal_id, template, lang)
    if row is not None:
        return row.subject, row.body, row
    subject, body = default_source(settings, template, lang)
    return subject.strip(), body, None


def preview_submissions(db: Session, journal_id: int, limit: int = 50) -> list[Submission]:
    """The journal's submitted papers, newest first: those a preview may use."""
    return list(
        db.scalars(
            select(Submission)
            .where(Submission.journal_id == journal_id, Submission.submitted_at.is_not(None))
            .order_by(Submission.submitted_at.desc(), Submission.id.desc())
            .limit(limit)
        )
    )


def preview_submission(db: Session, journal_id: int, asked: Any) -> Submission | None:
    """The submission named by ``?submission=`` if it is a submitted paper of the journal
    (else LookupError, for a 404: no other journal's paper, no draft), or the newest one."""
    if asked in (None, ""):
        found = preview_submissions(db, journal_id, 1)
        return found[0] if found else None
    raw = str(asked)
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise LookupError(raw)
    submission = db.get(Submission, int(raw))
    if submission is None or submission.journal_id != journal_id or not submission.submitted_at:
        raise LookupError(raw)
    return submission


def preview_context(
    db: Session,
    settings: Mapping[str, Any],
    journal: Journal,
    template: str,
    lang: str,
    submission: Submission | None,
) -> dict[str, Any]:
    """The catalogue's examples, with the facts of ``submission`` where the email speaks
    of a paper (its title, number, abstract, authors, submitter, link)."""
    context = overrides.example_context(TEMPLATES[template], journal)
    context.update(lang=lang, base_url=base_url(settings))
    if submission is None:
        return context
    submitter = db.get(User, submission.submitter_id)
    section = db.get(Section, submission.section_id) if submission.section_id else None
    facts: dict[str, Any] = {
        "name": submitter.display_name if submitter else context["name"],
        "title": submission.title,
        "number": submission.id,
        "abstract": submission.abstract,
        "authors": ", ".join(
            " ".join(p for p in (c.given_name, c.family_name) if p) for c in submission.contributors
        ),
        "section": section.name if section else "",
        "section_zh": (section.name_zh or section.name) if section else "",
        "submitted": submission.submitted_at.strftime("%Y-%m-%d %H:%M UTC")
        if submission.submitted_at
        else "",
        "files": [f.filename for f in submission.files],
        "link": email_url(settings, "submissions.view", submission_id=submission.id),
    }
    context.update({k: v for k, v in facts.items() if k in TEMPLATES[template].names})
    return context


def preview(
    db: Session,
    settings: Mapping[str, Any],
    journal: Journal,
    template: str,
    lang: str,
    submission: Submission | None,
    text: tuple[str, str] | None = None,
) -> RenderedEmail:
    """The email as the recipient would get it now (``text``: an unsaved subject and body,
    checked first: :class:`~frontiers_de.mail.overrides.OverrideError`)."""
    context = preview_context(db, settings, journal, template, lang, submission)
    if text is None:
        return render_email(settings, template, context, db)
    subject, body = overrides.check(template, text[0], text[1], overrides.journal_view(journal))
    subject, body = overrides.render_text(template, subject, body, context)
    return RenderedEmail(subject.strip(), body.strip() + "\n", "")
