"""The emails the submission workflow sends, one subscriber of
:class:`~frontiers_de.editorial.events.SubmissionMoved` (registered in ``subscribers.py``):

* ``submit``: the submitter hears that the submission is received (number, files, link);
* ``desk_reject`` and ``send_to_review``: the author hears of the first decision on a new
  submission (rejected without review, with the editor's reason; or sent to peer review);
* ``decide``: the author hears of the decision after peer review (with the letter that
  quotes the reviews);
* ``resubmit``: the editor who asked for the revision hears that it has come in.

And one subscriber of :class:`~frontiers_de.editorial.events.HandlingEditorAssigned`: the
editor assigned to handle a paper is told, with a link to its editorial page.

Into the mail domain's outbox in the transaction that moved the submission, delivered after
it commits; links are built by the route mapper under ``fde.base_url``
(:func:`frontiers_de.mail.links.email_url`). The recipient's preferred language picks the
template variant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.editorial.events import HandlingEditorAssigned, SubmissionMoved
from frontiers_de.editorial.models import Decision, DecisionKind
from frontiers_de.editorial.services import submitted_reviews
from frontiers_de.journals.models import Journal, Section
from frontiers_de.mail.links import email_url
from frontiers_de.mail.services import send_email, settings_of
from frontiers_de.submissions.models import Submission

TEMPLATES = {
    "desk_reject": "editorial_desk_reject",
    "send_to_review": "editorial_under_review",
    "decide": "editorial_decision",
}


def submission_moved(event: SubmissionMoved) -> None:
    """Tell whom the transition concerns (see the module's docstring)."""
    db, settings, submission = event.db, settings_of(event), event.submission
    if event.transition == "submit":
        send_submission_received(db, settings, submission)
    elif event.transition in TEMPLATES:
        send_decision_to_author(db, settings, submission, event.transition)
    elif event.transition == "resubmit":
        changed = (event.audit.detail or {}).get("changed") or []
        send_revision_to_editor(db, settings, submission, changed)


def send_submission_received(
    db: Session, settings: Mapping[str, Any], submission: Submission
) -> Any:
    """Email the submitter that ``submission`` is received, with its number and a link."""
    submitter = db.get(User, submission.submitter_id)
    if submitter is None:
        return None
    journal = db.get(Journal, submission.journal_id)
    section = db.get(Section, submission.section_id) if submission.section_id else None
    authors = ", ".join(
        " ".join(p for p in (c.given_name, c.family_name) if p) for c in submission.contributors
    )
    return send_email(
        db,
        settings,
        "submissions_received",
        [submitter.email],
        {
            "lang": submitter.preferred_language,
            "name": submitter.display_name,
            "title": submission.title,
            "number": submission.id,
            "section": section.name if section else "",
            "section_zh": (section.name_zh or section.name) if section else "",
            "authors": authors,
            "submitted": submission.submitted_at.strftime("%Y-%m-%d %H:%M UTC")
            if submission.submitted_at
            else "",
            "link": email_url(settings, "submissions.view", submission_id=submission.id),
            "files": [f.filename for f in submission.files],
            "journal": journal,
        },
        journal,
    )


def send_decision_to_author(
    db: Session, settings: Mapping[str, Any], submission: Submission, action: str
) -> Any:
    submitter = db.get(User, submission.submitter_id)
    if submitter is None or action not in TEMPLATES:
        return None
    letter = ""
    kind = ""
    reviewed = False  # whether the letter may say that the reviewers' reports are in
    if action in ("desk_reject", "decide"):
        query = select(Decision).where(Decision.submission_id == submission.id)
        if action == "desk_reject":
            query = query.where(Decision.kind == DecisionKind.DESK_REJECT)
        decision = db.scalar(query.order_by(Decision.id.desc()).limit(1))
        letter = decision.letter if decision else ""
        kind = decision.kind.value if decision else ""
        if decision is not None:
            reviewed = submitted_reviews(db, decision.round_id) > 0
    journal = db.get(Journal, submission.journal_id)
    return send_email(
        db,
        settings,
        TEMPLATES[action],
        [submitter.email],
        {
            "lang": submitter.preferred_language,
            "name": submitter.display_name,
            "title": submission.title,
            "number": submission.id,
            "letter": letter,
            "decision": kind,
            "reviewed": reviewed,
            "link": email_url(settings, "submissions.view", submission_id=submission.id),
            "journal": journal,
        },
        journal,
    )


def send_revision_to_editor(
    db: Session, settings: Mapping[str, Any], submission: Submission, changed: Any = ()
) -> Any:
    """Tell the editor who asked for the revision that it has come in (a new round), and
    which metadata the authors corrected (``changed``: the resubmission's audit detail)."""
    decision = db.scalar(
        select(Decision)
        .where(Decision.submission_id == submission.id, Decision.editor_id.is_not(None))
        .order_by(Decision.id.desc())
        .limit(1)
    )
    editor = db.get(User, decision.editor_id) if decision and decision.editor_id else None
    if editor is None:
        return None
    journal = db.get(Journal, submission.journal_id)
    return send_email(
        db,
        settings,
        "editorial_revision_received",
        [editor.email],
        {
            "lang": editor.preferred_language,
            "name": editor.display_name,
            "title": submission.title,
            "number": submission.id,
            "link": email_url(settings, "editorial.review", submission_id=submission.id),
            "journal": journal,
            "changed": list(changed),
        },
        journal,
    )


def handling_editor_assigned(event: HandlingEditorAssigned) -> Any:
    """Tell the editor now handling the paper (not the editor-in-chief who chose themselves)."""
    editor, submission = event.editor, event.submission
    if editor is None or (event.actor is not None and event.actor.id == editor.id):
        return None
    db, settings = event.db, settings_of(event)
    journal = db.get(Journal, submission.journal_id)
    return send_email(
        db,
        settings,
        "editorial_handling_editor",
        [editor.email],
        {
            "lang": editor.preferred_language,
            "name": editor.display_name,
            "title": submission.title,
            "number": submission.id,
            "by": event.actor.display_name if event.actor else "",
            "link": email_url(settings, "editorial.workspace", submission_id=submission.id),
            "journal": journal,
        },
        journal,
    )
