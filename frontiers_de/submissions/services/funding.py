"""The funders of a draft (or of a paper whose revision is requested): name, optional
Funder Registry DOI, award numbers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.forms import Field, FieldError, read_form
from frontiers_de.i18n import _
from frontiers_de.identifiers import is_funder_doi, normalise_doi
from frontiers_de.submissions.models import Funding, Submission
from frontiers_de.submissions.services.access import require_metadata_editable, touch
from frontiers_de.submissions.services.errors import InvalidInput, SubmissionError
from frontiers_de.submissions.services.revisions import record_correction

MAX_FUNDING = 30


def _check_funder_doi(value: str) -> str:
    doi = normalise_doi(value)
    if doi is None:
        raise FieldError(
            _("Enter the funder's DOI like 10.13039/501100001809 (or leave it empty).")
        )
    if not is_funder_doi(doi):
        raise FieldError(
            _(
                "This DOI is not a Funder Registry id: those start with 10.13039/ "
                "(for example 10.13039/501100001809)."
            )
        )
    return doi


def _check_awards(value: str) -> list[str]:
    awards = [a.strip() for a in re.split(r"[;,\n]+", value) if a.strip()]
    if len(awards) > 20 or any(len(a) > 100 for a in awards):
        raise FieldError(_("At most 20 award numbers of up to 100 characters each."))
    return awards


FUNDING_FIELDS = (
    Field("funder_name", max_length=300, required=True),
    Field("funder_doi", max_length=200, check=_check_funder_doi),
    Field("award_ids", max_length=2000, check=_check_awards),
)


def add_funding(
    db: Session, submission: Submission, post: Mapping[str, Any], actor: User | None
) -> Funding:
    """Add a funder (name, optional Funder Registry DOI, award numbers)."""
    require_metadata_editable(submission, actor)
    if len(submission.funding) >= MAX_FUNDING:
        raise SubmissionError(_("At most ${max} funders, please.", mapping={"max": MAX_FUNDING}))
    form = read_form(post, FUNDING_FIELDS)
    if not form.ok:
        raise InvalidInput(form)
    grant = Funding(
        position=len(submission.funding),
        funder_name=form.values["funder_name"],
        funder_doi=form.values.get("funder_doi") or "",
        award_ids=form.values.get("award_ids") or [],
    )
    submission.funding.append(grant)
    record_correction(db, submission, actor, ["funding"])
    touch(submission)
    db.flush()
    return grant


def remove_funding(db: Session, submission: Submission, grant: Funding, actor: User | None):
    require_metadata_editable(submission, actor)
    if grant.submission_id != submission.id:
        raise SubmissionError(_("This funder is not part of this submission."))
    submission.funding.remove(grant)
    db.flush()
    for i, row in enumerate(submission.funding):
        row.position = i
    record_correction(db, submission, actor, ["funding"])
    touch(submission)
    db.flush()
