"""Review modes, reviewer copies and the leak check: how a paper is reviewed (its
section's mode until it is submitted, then its own, which an editor may change before
review), the reviewer copy of each file a reviewer may be given (hidden names removed by
:mod:`frontiers_de.submissions.anonymise`), and the check of those copies for the
authors' names (:mod:`frontiers_de.submissions.leaks`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.i18n import _
from frontiers_de.journals.models import Section
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import (
    FileKind,
    ManuscriptFile,
    ReviewMode,
    Submission,
    SubmissionState,
)
from frontiers_de.submissions.services.access import touch
from frontiers_de.submissions.services.errors import SubmissionError

REVIEW_MODE_LABELS: dict[ReviewMode, TranslationString] = {
    ReviewMode.SINGLE_ANONYMOUS: _("Single-anonymous"),
    ReviewMode.DOUBLE_ANONYMOUS: _("Double-anonymous"),
    ReviewMode.OPEN: _("Open review"),
}
# The kind of the reviewer copy of each kind of file a reviewer may open.
REVIEWER_COPY_KINDS: dict[FileKind, FileKind] = {
    FileKind.MANUSCRIPT: FileKind.ANONYMISED_MANUSCRIPT,
    FileKind.FIGURE: FileKind.ANONYMISED_FIGURE,
    FileKind.SUPPLEMENTARY: FileKind.ANONYMISED_SUPPLEMENTARY,
    FileKind.RESPONSE_TO_REVIEWERS: FileKind.ANONYMISED_RESPONSE,
}
COPY_SOURCE_KINDS: dict[FileKind, FileKind] = {v: k for k, v in REVIEWER_COPY_KINDS.items()}


def review_mode_of(db: Session, submission: Submission) -> ReviewMode:
    """The mode the paper is reviewed in: its own once submitted; while it is a draft,
    its section's (which submitting copies to it)."""
    if submission.state != SubmissionState.DRAFT or submission.section_id is None:
        return submission.review_mode
    section = db.get(Section, submission.section_id)
    return section.review_mode if section is not None else submission.review_mode


def change_review_mode(
    db: Session, submission: Submission, editor: User | None, mode: Any
) -> AuditEvent | None:
    """The editor sets how the paper is reviewed, before it is sent to review: whoever
    the workflow lets send it may choose the mode first. Kept in the audit trail; None
    when the mode stays as it was. Raises :class:`SubmissionError`, nothing changed."""
    try:
        chosen = ReviewMode(str(mode or ""))
    except ValueError:
        raise SubmissionError(
            _("Choose single-anonymous, double-anonymous or open review.")
        ) from None
    if not workflow.may(submission, "send_to_review", editor):
        raise SubmissionError(
            _(
                "The review mode can be changed only by an editor, before the paper is sent "
                "to peer review."
            )
        )
    if chosen == submission.review_mode:
        return None
    before = submission.review_mode
    submission.review_mode = chosen
    touch(submission)
    db.flush()
    return workflow.audit(
        db, submission, editor, "review_mode_change", **{"from": before.value, "to": chosen.value}
    )


def files_of_round(submission: Submission, round_number: int) -> list[ManuscriptFile]:
    """The submission's files as they stood in review round ``round_number``: those sent
    with the submission (round 0) or with a revision up to that round."""
    return [f for f in submission.files if f.round_number <= round_number]


def reviewer_originals(
    submission: Submission, round_number: int | None = None
) -> list[ManuscriptFile]:
    """The author's files a reviewer of round ``round_number`` (every round when None) is
    given (as their copies): the newest manuscript, the newest response to the reviewers,
    every figure and supplementary file, as they stood in that round. Cover letters
    (written to the editors, and signed) and review attachments are not among them."""
    rows = submission.files if round_number is None else files_of_round(submission, round_number)
    newest: dict[FileKind, ManuscriptFile] = {}
    others: list[ManuscriptFile] = []
    for row in sorted(rows, key=lambda f: f.id, reverse=True):
        if row.kind in (FileKind.MANUSCRIPT, FileKind.RESPONSE_TO_REVIEWERS):
            newest.setdefault(row.kind, row)
        elif row.kind in (FileKind.FIGURE, FileKind.SUPPLEMENTARY):
            others.append(row)
    order = (FileKind.MANUSCRIPT, FileKind.RESPONSE_TO_REVIEWERS)
    return [*(newest[k] for k in order if k in newest), *sorted(others, key=lambda f: f.id)]


def reviewer_copies(submission: Submission) -> dict[int, ManuscriptFile]:
    """The reviewer copy of each original, by the original's id."""
    return {f.source_id: f for f in submission.files if f.source_id is not None}


def make_reviewer_copies(
    db: Session, storage: FileStorage, submission: Submission
) -> list[ManuscriptFile]:
    """Make the reviewer copy of every file a reviewer may be given that has none yet:
    the hidden names removed by :func:`~frontiers_de.submissions.anonymise.anonymise`,
    stored by content like any file, in the same round, with what was removed and what
    could not be checked in ``anonymisation``. Copies are made in every review mode (a
    tracked change's author or a photo's GPS position is nobody's business, and the editor
    may still change the mode): the originals stay as uploaded. Idempotent."""
    from frontiers_de.storage import FileNotStored
    from frontiers_de.submissions.anonymise import anonymise

    have = reviewer_copies(submission)
    made: list[ManuscriptFile] = []
    for row in list(submission.files):
        if row.kind not in REVIEWER_COPY_KINDS or row.id in have:
            continue
        try:
            data = storage.get(row.sha256)
        except FileNotStored:
            continue  # reported as "no reviewer copy" on the editor's page
        result = anonymise(data, row.filename)
        copy = ManuscriptFile(
            round_number=row.round_number,
            kind=REVIEWER_COPY_KINDS[row.kind],
            filename=row.filename,
            media_type=row.media_type,
            size=len(result.data),
            sha256=storage.put(result.data),
            uploaded_by_id=None,
            source_id=row.id,
            anonymisation={
                "cleaned": result.cleaned,
                "removed": result.removed,
                "warnings": result.warnings,
            },
        )
        submission.files.append(copy)
        made.append(copy)
    if made:
        db.flush()
    return made


@dataclass(frozen=True)
class FileCheck:
    """The anonymity check of one file a reviewer may be given: its stored copy (None for
    a draft's file, checked on a copy made in memory, or when no copy could be made), what
    the anonymiser removed, what it could not check, and where the copy's text still names
    an author."""

    original: ManuscriptFile
    copy: ManuscriptFile | None
    made: bool  # a copy exists (stored, or made in memory for a draft)
    removed: list[str]
    warnings: list[str]
    cleaned: bool
    hits: list[Any]
    unread: list[str]

    @property
    def leaks(self) -> list[Any]:
        """The hits that are not (probable) self-citations."""
        return [h for h in self.hits if not h.self_citation]

    @property
    def needs_attention(self) -> bool:
        return bool(self.leaks or self.warnings or self.unread or not self.cleaned)


def anonymity_check(storage: FileStorage, submission: Submission) -> list[FileCheck]:
    """The leak check of every file a reviewer may be given, searched for the authors'
    names (given, family, native script), email addresses, ORCID iDs and affiliations.
    A draft's files have no stored copy yet (they are made when it is submitted): they are
    checked on a copy made in memory, exactly as submitting will make it."""
    from frontiers_de.storage import FileNotStored
    from frontiers_de.submissions import leaks
    from frontiers_de.submissions.anonymise import anonymise

    terms = leaks.terms_for(submission.contributors)
    copies = reviewer_copies(submission)
    out: list[FileCheck] = []
    for original in reviewer_originals(submission):
        copy = copies.get(original.id)
        notes: dict[str, Any] = dict(copy.anonymisation or {}) if copy is not None else {}
        report = leaks.LeakReport()
        data: bytes | None = None
        try:
            if copy is not None:
                data = storage.get(copy.sha256)
            elif submission.state == SubmissionState.DRAFT:
                result = anonymise(storage.get(original.sha256), original.filename)
                data = result.data
                notes = {
                    "cleaned": result.cleaned,
                    "removed": result.removed,
                    "warnings": result.warnings,
                }
        except FileNotStored:
            report.unread.append(f"{original.filename}: the stored file is missing")
        if data is not None:
            report = leaks.check_file(data, original.filename, terms)
        out.append(
            FileCheck(
                original=original,
                copy=copy,
                made=data is not None,
                removed=list(notes.get("removed") or []),
                warnings=list(notes.get("warnings") or []),
                cleaned=data is not None and notes.get("cleaned", True) is not False,
                hits=report.hits,
                unread=report.unread,
            )
        )
    return out
