"""The emails of the editorial domain: the author hears of the first decision on a new
submission (rejected without review, with the editor's reason; or sent to peer review), and
of the decision after peer review (with the letter that quotes the reviews); the editor
hears that a revision has come in.

Through the mail domain's outbox (``send_template``), in the request's transaction; the
submitter's preferred language picks the template variant.
"""

from __future__ import annotations

from typing import Any

from pyramid.request import Request
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial.models import Decision, DecisionKind
from frontiers_de.editorial.services import submitted_reviews
from frontiers_de.journals.models import Journal
from frontiers_de.submissions.models import Submission

TEMPLATES = {
    "desk_reject": "editorial_desk_reject",
    "send_to_review": "editorial_under_review",
    "decide": "editorial_decision",
}


def send_decision_to_author(request: Request, submission: Submission, action: str) -> Any:
    from frontiers_de.mail.services import send_template

    submitter = request.db.get(User, submission.submitter_id)
    if submitter is None or action not in TEMPLATES:
        return None
    letter = ""
    kind = ""
    reviewed = False  # whether the letter may say that the reviewers' reports are in
    if action in ("desk_reject", "decide"):
        query = select(Decision).where(Decision.submission_id == submission.id)
        if action == "desk_reject":
            query = query.where(Decision.kind == DecisionKind.DESK_REJECT)
        decision = request.db.scalar(query.order_by(Decision.id.desc()).limit(1))
        letter = decision.letter if decision else ""
        kind = decision.kind.value if decision else ""
        if decision is not None:
            reviewed = submitted_reviews(request.db, decision.round_id) > 0
    journal = request.db.get(Journal, submission.journal_id)
    return send_template(
        request,
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
            "link": request.email_url("submissions.view", submission_id=submission.id),
            "journal": journal,
        },
        journal,
    )


def send_revision_to_editor(request: Request, submission: Submission) -> Any:
    """Tell the editor who asked for the revision that it has come in (a new round)."""
    from frontiers_de.mail.services import send_template

    decision = request.db.scalar(
        select(Decision)
        .where(Decision.submission_id == submission.id, Decision.editor_id.is_not(None))
        .order_by(Decision.id.desc())
        .limit(1)
    )
    editor = request.db.get(User, decision.editor_id) if decision and decision.editor_id else None
    if editor is None:
        return None
    journal = request.db.get(Journal, submission.journal_id)
    return send_template(
        request,
        "editorial_revision_received",
        [editor.email],
        {
            "lang": editor.preferred_language,
            "name": editor.display_name,
            "title": submission.title,
            "number": submission.id,
            "link": request.email_url("editorial.review", submission_id=submission.id),
            "journal": journal,
        },
        journal,
    )
