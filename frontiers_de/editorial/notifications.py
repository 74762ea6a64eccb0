"""The emails of the editorial domain: the author hears of the first decision on a new
submission (rejected without review, with the editor's reason; or sent to peer review).

Through the mail domain's outbox (``send_template``), in the request's transaction; the
submitter's preferred language picks the template variant.
"""

from __future__ import annotations

from typing import Any

from pyramid.request import Request
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial.models import Decision, DecisionKind
from frontiers_de.journals.models import Journal
from frontiers_de.submissions.models import Submission

TEMPLATES = {"desk_reject": "editorial_desk_reject", "send_to_review": "editorial_under_review"}


def send_decision_to_author(request: Request, submission: Submission, action: str) -> Any:
    from frontiers_de.mail.services import send_template

    submitter = request.db.get(User, submission.submitter_id)
    if submitter is None or action not in TEMPLATES:
        return None
    letter = ""
    if action == "desk_reject":
        decision = request.db.scalar(
            select(Decision)
            .where(
                Decision.submission_id == submission.id,
                Decision.kind == DecisionKind.DESK_REJECT,
            )
            .order_by(Decision.id.desc())
            .limit(1)
        )
        letter = decision.letter if decision else ""
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
            "link": request.route_url("submissions.view", submission_id=submission.id),
            "journal": journal,
        },
        journal,
    )
