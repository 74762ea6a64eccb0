"""The decision letter as the editor edits it before it goes.

:func:`decision_context` is the one list of what the decision templates are given, used
alike to send the letter (:mod:`frontiers_de.editorial.notifications`) and to pre-fill the
decision form (:func:`decision_letters`: the journal's ``editorial_decision`` template for
each kind of decision, rendered for the paper in the author's language, with the reviews'
comments to the author quoted). The editor's text is checked and stored with the decision
(``Decision.letter`` its body, ``letter_subject`` its subject) and sent as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.editorial.services import (
    DECISIONS,
    decision_letter,
    submitted_reviews,
)
from frontiers_de.editorial.workflow import current_round
from frontiers_de.journals.models import Journal
from frontiers_de.mail.letters import EditedLetter
from frontiers_de.mail.links import base_url, email_url
from frontiers_de.mail.services import render_email
from frontiers_de.submissions.models import Submission

TEMPLATE = "editorial_decision"


def decision_context(
    settings: Mapping[str, Any],
    submission: Submission,
    recipient: User,
    *,
    kind: str,
    letter: str,
    reviewed: bool,
) -> dict[str, Any]:
    """What a decision template is given about the paper, the author and the decision."""
    return {
        "lang": recipient.preferred_language,
        "name": recipient.display_name,
        "title": submission.title,
        "number": submission.id,
        "letter": letter,
        "decision": kind,
        "reviewed": reviewed,
        "link": email_url(settings, "submissions.view", submission_id=submission.id),
    }


def decision_letters(
    db: Session, settings: Mapping[str, Any], submission: Submission
) -> dict[str, EditedLetter]:
    """The letter the decision form opens with, for each kind of decision: the journal's
    template for the submitter, quoting the comments to the author of the current round's
    reviews (the editor writes their own above them). Empty without a submitter."""
    submitter = db.get(User, submission.submitter_id)
    if submitter is None:
        return {}
    journal = db.get(Journal, submission.journal_id)
    rnd = current_round(db, submission)
    reviewed = submitted_reviews(db, rnd.id if rnd else None) > 0
    quoted = decision_letter(db, submission, "").strip()
    out: dict[str, EditedLetter] = {}
    for kind in DECISIONS:
        context = {
            "journal": journal,
            "base_url": base_url(settings),
            **decision_context(
                settings, submission, submitter, kind=kind.value, letter=quoted, reviewed=reviewed
            ),
        }
        mail = render_email(settings, TEMPLATE, context, db)
        out[kind.value] = EditedLetter(mail.subject, mail.body_text.strip())
    return out


def chosen_decision(kind: Any) -> dict[str, str]:
    """The decision a page was opened for (``?decision=``: its letter is the one shown),
    as the decision form's values; nothing for anything else."""
    return {"decision": kind} if kind in {k.value for k in DECISIONS} else {}
