"""The emails the submission workflow sends, one subscriber of
:class:`~frontiers_de.editorial.events.SubmissionMoved` (registered in ``subscribers.py``):

* ``submit``: the submitter hears that the submission is received (number, files, link);
* ``desk_reject`` and ``send_to_review``: the author hears of the first decision on a new
  submission (rejected without review, with the editor's reason; or sent to peer review);
* ``decide``: the author hears of the decision after peer review (with the letter that
  quotes the reviews);
* ``decide``: also the reviewers who submitted a review in the round hear the decision
  (with the other reviewers' comments to the author when the journal shares them:
  ``Journal.share_reviews_with_reviewers``; never the confidential comments, and the
  reviewers named only in open review, as in the author's letter);
* ``resubmit``: the editor who asked for the revision hears that it has come in, and the
  submitter gets a receipt (round, files, corrected metadata).

And one subscriber of :class:`~frontiers_de.editorial.events.HandlingEditorAssigned`: the
editor assigned to handle a paper is told, with a link to its editorial page.

The deadline engine's events (:mod:`frontiers_de.deadlines.engine`): a
:class:`~frontiers_de.deadlines.events.DeadlineReminder` of a decision goes to the handling
editor (else to the editors-in-chief), of a revision to the submitting author; every
:class:`~frontiers_de.deadlines.events.DeadlineEscalated` goes to the journal's
editors-in-chief, except one who is an author of the paper.

Into the mail domain's outbox in the transaction that moved the submission, delivered after
it commits; links are built by the route mapper under ``fde.base_url``
(:func:`frontiers_de.mail.links.email_url`). The recipient's preferred language picks the
template variant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.deadlines.events import DeadlineEscalated, DeadlineReminder
from frontiers_de.deadlines.rules import DeadlineKind
from frontiers_de.editorial import conflicts, workflow
from frontiers_de.editorial.events import HandlingEditorAssigned, SubmissionMoved
from frontiers_de.editorial.letters import decision_context
from frontiers_de.editorial.models import Decision, DecisionKind
from frontiers_de.editorial.services import reviews_of_round, submitted_reviews
from frontiers_de.journals.models import Journal, Section
from frontiers_de.mail.letters import LETTER_KEY, EditedLetter
from frontiers_de.mail.links import email_url
from frontiers_de.mail.services import send_email, settings_of
from frontiers_de.review.models import AssignmentState, ReviewRound
from frontiers_de.security.roles import Role
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
    if event.transition == "decide":
        send_decision_to_reviewers(db, settings, submission)
    elif event.transition == "resubmit":
        changed = (event.audit.detail or {}).get("changed") or []
        send_revision_to_editor(db, settings, submission, changed)
        send_revision_receipt(db, settings, submission, event.audit.created_at, changed)


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
    edited: dict[str, Any] = {}
    if action in ("desk_reject", "decide"):
        query = select(Decision).where(Decision.submission_id == submission.id)
        if action == "desk_reject":
            query = query.where(Decision.kind == DecisionKind.DESK_REJECT)
        decision = db.scalar(query.order_by(Decision.id.desc()).limit(1))
        letter = decision.letter if decision else ""
        kind = decision.kind.value if decision else ""
        if decision is not None:
            reviewed = submitted_reviews(db, decision.round_id) > 0
            if decision.letter_subject:  # the whole email as the editor wrote it
                edited = {LETTER_KEY: EditedLetter(decision.letter_subject, decision.letter)}
    journal = db.get(Journal, submission.journal_id)
    context = decision_context(
        settings, submission, submitter, kind=kind, letter=letter, reviewed=reviewed
    )
    return send_email(
        db,
        settings,
        TEMPLATES[action],
        [submitter.email],
        {**context, "journal": journal, **edited},
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


def send_revision_receipt(
    db: Session,
    settings: Mapping[str, Any],
    submission: Submission,
    when: dt.datetime,
    changed: Any = (),
) -> Any:
    """A receipt to the submitter for the revision they sent: the round it opens, its
    files and the metadata they corrected."""
    submitter = db.get(User, submission.submitter_id)
    rnd = workflow.current_round(db, submission)
    if submitter is None or rnd is None:
        return None
    journal = db.get(Journal, submission.journal_id)
    return send_email(
        db,
        settings,
        "submissions_revision_received",
        [submitter.email],
        {
            "lang": submitter.preferred_language,
            "name": submitter.display_name,
            "title": submission.title,
            "number": submission.id,
            "round": rnd.number,
            "submitted": when.strftime("%Y-%m-%d %H:%M UTC"),
            "files": [f.filename for f in submission.files if f.round_number == rnd.number],
            "changed": list(changed),
            "link": email_url(settings, "submissions.view", submission_id=submission.id),
            "journal": journal,
        },
        journal,
    )


def send_decision_to_reviewers(
    db: Session, settings: Mapping[str, Any], submission: Submission
) -> list[Any]:
    """Tell each reviewer who submitted a review in the decided round the decision; with
    the other reviewers' comments to the author when the journal shares them."""
    decision = db.scalar(
        select(Decision)
        .where(Decision.submission_id == submission.id)
        .order_by(Decision.id.desc())
        .limit(1)
    )
    if decision is None or decision.round_id is None:
        return []
    rnd = db.get(ReviewRound, decision.round_id)
    journal = db.get(Journal, submission.journal_id)
    if rnd is None or journal is None:
        return []
    shared = (
        reviews_of_round(db, submission, rnd.id) if journal.share_reviews_with_reviewers else []
    )
    sent = []
    for assignment in rnd.assignments:
        reviewer = db.get(User, assignment.reviewer_id)
        if (
            assignment.state != AssignmentState.SUBMITTED
            or reviewer is None
            or not reviewer.is_active
        ):
            continue
        others = [(h, text) for a_id, h, text in shared if a_id != assignment.id]
        sent.append(
            send_email(
                db,
                settings,
                "editorial_decision_reviewers",
                [reviewer.email],
                {
                    "lang": reviewer.preferred_language,
                    "name": reviewer.display_name,
                    "title": submission.title,
                    "decision": decision.kind.value,
                    "reviews": others,
                    "link": email_url(settings, "review.assignment", assignment_id=assignment.id),
                    "journal": journal,
                },
                journal,
            )
        )
    return sent


# --- deadlines --------------------------------------------------------------------------------


def editors_in_chief(db: Session, submission: Submission) -> list[User]:
    """The journal's active editors-in-chief, less any who is an author of ``submission``."""
    chiefs = db.scalars(
        select(User)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(
            RoleAssignment.journal_id == submission.journal_id,
            RoleAssignment.role == Role.EDITOR_IN_CHIEF,
            User.is_active.is_(True),
        )
        .distinct()
        .order_by(User.id)
    ).all()
    return [u for u in chiefs if not conflicts.is_author(submission, u)]


def _deadline_context(event: DeadlineReminder | DeadlineEscalated) -> dict[str, Any]:
    deadline = event.deadline
    return {
        "kind": deadline.kind.value,
        "title": deadline.title,
        "number": deadline.submission_id,
        "due": deadline.due_on.isoformat(),
        "days_overdue": deadline.days_overdue(event.now),
    }


def send_deadline_reminder(event: DeadlineReminder) -> list[Any]:
    """Remind the handling editor of a decision, or the author of a revision."""
    deadline = event.deadline
    if deadline.kind not in (
        DeadlineKind.DECISION,
        DeadlineKind.MINOR_REVISION,
        DeadlineKind.MAJOR_REVISION,
    ):
        return []
    db, settings = event.db, settings_of(event)
    submission = db.get(Submission, deadline.submission_id)
    if submission is None:
        return []
    if deadline.kind == DeadlineKind.DECISION:
        editor = db.get(User, submission.handling_editor_id or 0)
        people = [editor] if editor and editor.is_active else editors_in_chief(db, submission)
        link = email_url(settings, "editorial.review", submission_id=submission.id)
    else:
        submitter = db.get(User, submission.submitter_id)
        people = [submitter] if submitter and submitter.is_active else []
        link = email_url(settings, "submissions.view", submission_id=submission.id)
    journal = db.get(Journal, submission.journal_id)
    context = {**_deadline_context(event), "before": event.before, "link": link}
    return [
        send_email(
            db,
            settings,
            "deadline_reminder",
            [person.email],
            {**context, "lang": person.preferred_language, "name": person.display_name},
            journal,
        )
        for person in people
    ]


def send_deadline_escalation(event: DeadlineEscalated) -> list[Any]:
    """Tell the editors-in-chief that a deadline is overdue past the rule's days."""
    deadline = event.deadline
    db, settings = event.db, settings_of(event)
    submission = db.get(Submission, deadline.submission_id)
    if submission is None:
        return []
    if deadline.kind == DeadlineKind.PROOF:
        link = email_url(settings, "production.dashboard")
    else:
        link = email_url(settings, "editorial.review", submission_id=submission.id)
    journal = db.get(Journal, submission.journal_id)
    context = {
        **_deadline_context(event),
        "responsible": deadline.responsible,
        "escalate_after": deadline.rule.escalate_after,
        "reminded": bool(deadline.rule.remind_before or deadline.rule.remind_after),
        "link": link,
    }
    return [
        send_email(
            db,
            settings,
            "deadline_escalation",
            [chief.email],
            {**context, "lang": chief.preferred_language, "name": chief.display_name},
            journal,
        )
        for chief in editors_in_chief(db, submission)
    ]
