"""The invitation to review as a letter the editor edits before it goes.

:func:`invitation_context` is the one list of what the ``review_invitation`` template is
given, used alike to send the invitation (:mod:`frontiers_de.review.notifications`) and to
pre-fill the invite form (:func:`invitation_letter`: the journal's template rendered for the
paper, with ``{{ name }}``, ``{{ due }}`` and the answer links left as placeholders, since
the reviewer, the due date and the link token are settled only when the editor invites).
The edited text is checked (:func:`frontiers_de.mail.letters.check_letter`: the answer
links must stay), stored with the invitation, and sent as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.journals.models import Journal
from frontiers_de.mail.letters import EditedLetter, placeholders_context
from frontiers_de.mail.links import base_url
from frontiers_de.mail.services import render_email
from frontiers_de.paragraphs import paragraphs
from frontiers_de.review.services.visibility import is_anonymous_to_reviewers
from frontiers_de.review.settings import ReviewSettings
from frontiers_de.submissions.models import Submission

TEMPLATE = "review_invitation"


def invitation_context(
    settings: Mapping[str, Any], submission: Submission, editor: User | None
) -> dict[str, Any]:
    """What the invitation says of the paper and the editor (the recipient's name, the due
    date and the answer links are added by the sender)."""
    return {
        "editor": editor.display_name if editor else "",
        "title": submission.title,
        "abstract": "\n\n".join(paragraphs(submission.abstract)),
        "days": ReviewSettings.of(settings).invitation_days,
        "double_anonymous": is_anonymous_to_reviewers(submission),
    }


def invitation_letter(
    db: Session,
    settings: Mapping[str, Any],
    submission: Submission,
    editor: User | None,
    lang: str,
) -> EditedLetter:
    """The invitation the invite form opens with: the journal's template in ``lang`` (the
    editor's language: the reviewer is not chosen yet) rendered for the paper."""
    journal = db.get(Journal, submission.journal_id)
    context = {
        "lang": lang,
        "journal": journal,
        "base_url": base_url(settings),
        **invitation_context(settings, submission, editor),
        **placeholders_context(TEMPLATE),
    }
    rendered = render_email(settings, TEMPLATE, context, db)
    return EditedLetter(rendered.subject, rendered.body_text.strip())
