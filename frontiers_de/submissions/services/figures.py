"""The author describes each uploaded figure file: alt text and a long description for
readers who cannot see the image (``FigureDescription``, one per file).

At submission there is no JATS yet, so the description is kept beside the file; the
conversion copies it into the JATS figure that uses the file (``production/figures.py``),
where the production editor keeps it up. What may be written is the rule of
``xml/figure_text.py``, the same as on the production page (the caption is not known
before conversion: the house rules compare the two there). Who may: the submitter, while
they may correct the metadata (a draft, or while a revision is requested).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.forms import FormResult
from frontiers_de.submissions.models import (
    FigureDescription,
    FileKind,
    ManuscriptFile,
    Submission,
)
from frontiers_de.submissions.services.access import require_metadata_editable, touch
from frontiers_de.submissions.services.errors import InvalidInput
from frontiers_de.xml import figure_text


def figure_files(submission: Submission) -> list[ManuscriptFile]:
    """The author's figure files (not reviewer copies), oldest first: the ones to describe."""
    rows = [
        f
        for f in submission.files
        if f.kind == FileKind.FIGURE and f.source_id is None and f.id is not None
    ]
    return sorted(rows, key=lambda f: f.id)


def figure_descriptions(db: Session, submission: Submission) -> dict[int, FigureDescription]:
    """The author's descriptions of the submission's files, by file id."""
    rows = db.scalars(
        select(FigureDescription).where(FigureDescription.submission_id == submission.id)
    )
    return {row.file_id: row for row in rows}


def describe_figure_file(
    db: Session,
    submission: Submission,
    row: ManuscriptFile,
    alt_text: str,
    long_desc: str,
    actor: User | None,
) -> FigureDescription | None:
    """Keep the author's alt text and long description of figure file ``row`` (both empty:
    the description is removed, None returned). Raises :class:`InvalidInput` with the field
    that is wrong, or :class:`SubmissionError` when the submission cannot be changed;
    nothing changes then."""
    require_metadata_editable(submission, actor)
    if row.submission_id != submission.id or row not in figure_files(submission):
        raise ValueError("not one of this submission's figure files")  # the view's 404
    try:
        alt = figure_text.clean_alt_text(alt_text)
        long = figure_text.clean_long_desc(long_desc)
    except figure_text.DescriptionRefused as exc:
        message, field = figure_text.refusal(exc.code)
        form = FormResult(sent={"alt_text": alt_text, "long_desc": long_desc})
        form.errors[field] = message
        raise InvalidInput(form) from exc
    found = figure_descriptions(db, submission).get(row.id)
    if not alt and not long:
        if found is not None:
            db.delete(found)
            touch(submission)
            db.flush()
        return None
    if found is None:
        found = FigureDescription(submission_id=submission.id, file_id=row.id)
        db.add(found)
    found.alt_text, found.long_desc = alt, long
    found.updated_by_id = actor.id if actor else None
    found.updated_at = utcnow()
    touch(submission)
    db.flush()
    return found


def forget_file(db: Session, row: ManuscriptFile) -> None:
    """Drop the description of a file that is deleted (a draft's upload made by mistake)."""
    db.execute(delete(FigureDescription).where(FigureDescription.file_id == row.id))
