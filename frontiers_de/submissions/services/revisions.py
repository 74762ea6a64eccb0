"""The revision after peer review: the revised manuscript and the response to the
reviewers, checked, stored in the next round and sent back (workflow "resubmit"); the
metadata the authors corrected meanwhile, each correction a history line
(:data:`CORRECTION`) and all of them named in the resubmission's audit detail
(``{"changed": [...]}``), so the editor sees what changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent, Decision
from frontiers_de.i18n import _
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission
from frontiers_de.submissions.services.access import revising, touch
from frontiers_de.submissions.services.anonymity import make_reviewer_copies
from frontiers_de.submissions.services.errors import SubmissionError
from frontiers_de.submissions.services.files import (
    COVER_LETTER_SUFFIXES,
    DEFAULT_MAX_UPLOAD_BYTES,
    MANUSCRIPT_SUFFIXES,
    UPLOAD_KINDS,
    check_content,
    clean_filename,
    mib,
)

RESPONSE_SUFFIXES = COVER_LETTER_SUFFIXES
# What an author may download of their own submission: what they uploaded, and their
# responses to the reviewers (review attachments and production files are not theirs).
AUTHOR_FILE_KINDS = frozenset({*UPLOAD_KINDS, FileKind.RESPONSE_TO_REVIEWERS})

# The audit action of a metadata correction made while a revision is requested.
CORRECTION = "correct_metadata"
# What the authors may correct in a revision, in the order the pages name them.
CORRECTABLE_FIELDS: dict[str, TranslationString] = {
    "title": _("Title"),
    "subtitle": _("Subtitle"),
    "abstract": _("Abstract"),
    "keywords": _("Keywords"),
    "title_zh": _("Chinese title"),
    "abstract_zh": _("Chinese abstract"),
    "keywords_zh": _("Chinese keywords"),
    "data_availability": _("Data availability"),
    "competing_interests": _("Competing interests"),
    "acknowledgements": _("Acknowledgements"),
    "authors": _("Authors"),
    "funding": _("Funding"),
}


def record_correction(
    db: Session, submission: Submission, actor: User | None, fields: Iterable[str]
) -> AuditEvent | None:
    """A history line naming the ``fields`` just corrected, when a revision is requested
    (a draft's edits are not history: nobody has seen the draft yet)."""
    changed = [name for name in CORRECTABLE_FIELDS if name in set(fields)]
    if not changed or not revising(submission):
        return None
    return workflow.audit(db, submission, actor, CORRECTION, fields=changed)


def corrections(db: Session, submission: Submission) -> list[str]:
    """The fields corrected since the last decision (the one asking for this revision)."""
    last_decision = db.scalar(
        select(AuditEvent.id)
        .where(AuditEvent.submission_id == submission.id, AuditEvent.action == "decide")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    rows = db.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.submission_id == submission.id,
            AuditEvent.action == CORRECTION,
            AuditEvent.id > (last_decision or 0),
        )
    )
    seen = {name for detail in rows for name in (detail or {}).get("fields", [])}
    return [name for name in CORRECTABLE_FIELDS if name in seen]


def revision_request(db: Session, submission: Submission) -> Decision | None:
    """The decision asking for the revision the authors owe now; None when none is owed."""
    if not revising(submission):
        return None
    return db.scalar(
        select(Decision)
        .where(Decision.submission_id == submission.id)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(1)
    )


def _checked_upload(
    upload: tuple[str, bytes] | None,
    allowed: Mapping[str, str],
    missing: TranslationString,
    max_bytes: int,
) -> tuple[str, str, bytes]:
    if upload is None or not upload[0]:
        raise SubmissionError(missing)
    name = clean_filename(upload[0])
    data = upload[1]
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in allowed:
        raise SubmissionError(
            _(
                "${name}: the file must be one of these types: ${types}.",
                mapping={"name": name, "types": ", ".join(sorted(allowed))},
            )
        )
    if len(data) > max_bytes:
        raise SubmissionError(
            _(
                "The file is too large: at most ${mib} MiB may be uploaded.",
                mapping={"mib": mib(max_bytes)},
            )
        )
    check_content(suffix, data)
    return name, allowed[suffix], data


def resubmit(
    db: Session,
    storage: FileStorage,
    submission: Submission,
    actor: User | None,
    manuscript: tuple[str, bytes] | None,
    response: tuple[str, bytes] | None,
    max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
) -> AuditEvent:
    """The authors' revision: the revised manuscript and the response to the reviewers, both
    checked before anything is stored, then workflow "resubmit" (which opens the next review
    round; the files carry its number). Raises :class:`SubmissionError` naming what is
    wrong, or ``TransitionNotAllowed``; nothing is saved then."""
    if not workflow.may(submission, "resubmit", actor):
        raise SubmissionError(_("This submission is not waiting for a revision from you."))
    checked = [
        (
            FileKind.MANUSCRIPT,
            _checked_upload(
                manuscript, MANUSCRIPT_SUFFIXES, _("Upload the revised manuscript."), max_bytes
            ),
        ),
        (
            FileKind.RESPONSE_TO_REVIEWERS,
            _checked_upload(
                response,
                RESPONSE_SUFFIXES,
                _("Upload your response to the reviewers."),
                max_bytes,
            ),
        ),
    ]
    last_round = workflow.current_round(db, submission)
    next_round = (last_round.number if last_round else 0) + 1
    for kind, (name, media_type, data) in checked:
        submission.files.append(
            ManuscriptFile(
                round_number=next_round,
                kind=kind,
                filename=name,
                media_type=media_type,
                size=len(data),
                sha256=storage.put(data),
                uploaded_by_id=actor.id if actor else None,
            )
        )
    touch(submission)
    db.flush()
    make_reviewer_copies(db, storage, submission)
    changed = corrections(db, submission)
    detail = {"changed": changed} if changed else None
    return workflow.apply(db, submission, "resubmit", actor, detail=detail)


def responses(submission: Submission) -> list[ManuscriptFile]:
    """The responses to the reviewers, newest first."""
    rows = [f for f in submission.files if f.kind == FileKind.RESPONSE_TO_REVIEWERS]
    return sorted(rows, key=lambda f: f.id, reverse=True)
