"""The emails of the submissions domain: the confirmation that a submission is received.

Through the mail domain's outbox (``send_template``): written in the request's transaction,
delivered after it commits; the submitter's preferred language picks the template variant.
"""

from __future__ import annotations

from typing import Any

from pyramid.request import Request

from frontiers_de.accounts.models import User
from frontiers_de.journals.models import Journal, Section
from frontiers_de.submissions.models import Submission


def send_submission_received(request: Request, submission: Submission) -> Any:
    """Email the submitter that ``submission`` is received, with its number and a link."""
    from frontiers_de.mail.services import send_template

    submitter = request.db.get(User, submission.submitter_id)
    if submitter is None:
        return None
    journal = request.db.get(Journal, submission.journal_id)
    section = request.db.get(Section, submission.section_id) if submission.section_id else None
    authors = ", ".join(
        " ".join(p for p in (c.given_name, c.family_name) if p) for c in submission.contributors
    )
    return send_template(
        request,
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
            "link": request.email_url("submissions.view", submission_id=submission.id),
            "files": [f.filename for f in submission.files],
            "journal": journal,
        },
        journal,
    )
