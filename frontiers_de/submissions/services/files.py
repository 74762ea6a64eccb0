"""Uploads: which file types each kind of file may be, the checks that a file is what
its name says, its name cleaned, the size limit (``fde.submissions.max_upload_bytes``),
and the immutable file rows stored by content; a draft's upload deleted by mistake."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.i18n import _
from frontiers_de.production.jats import archive
from frontiers_de.production.jats.convert import FORMATS_BY_SUFFIX, MAX_INPUT_BYTES, REQUIRED_PART
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission
from frontiers_de.submissions.services.access import editable, require_editable, touch
from frontiers_de.submissions.services.errors import SubmissionError
from frontiers_de.submissions.services.figures import forget_file
from frontiers_de.submissions.settings import SubmissionSettings

# The setting that bounds one upload (bytes); the converter's own input limit by default.
MAX_UPLOAD_SETTING = "fde.submissions.max_upload_bytes"
DEFAULT_MAX_UPLOAD_BYTES = MAX_INPUT_BYTES
MAX_FILENAME_LENGTH = 200

# What an author may upload, by kind: suffix -> media type. The manuscript formats are the
# ones the converter takes (its JATS inputs are for production, not for authors).
_MANUSCRIPT_MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "markdown": "text/markdown",
    "latex": "application/x-tex",
    "latex-zip": "application/zip",
}
MANUSCRIPT_SUFFIXES = {
    suffix: _MANUSCRIPT_MEDIA[fmt] for suffix, fmt in FORMATS_BY_SUFFIX.items() if fmt != "jats"
}
FIGURE_SUFFIXES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
}
SUPPLEMENTARY_SUFFIXES = {
    **FIGURE_SUFFIXES,
    ".docx": MANUSCRIPT_SUFFIXES[".docx"],
    ".odt": MANUSCRIPT_SUFFIXES[".odt"],
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".zip": "application/zip",
}
COVER_LETTER_SUFFIXES = {
    ".pdf": "application/pdf",
    ".docx": MANUSCRIPT_SUFFIXES[".docx"],
    ".odt": MANUSCRIPT_SUFFIXES[".odt"],
    ".txt": "text/plain",
    ".md": "text/markdown",
}
UPLOAD_KINDS: dict[FileKind, dict[str, str]] = {
    FileKind.MANUSCRIPT: MANUSCRIPT_SUFFIXES,
    FileKind.FIGURE: FIGURE_SUFFIXES,
    FileKind.SUPPLEMENTARY: SUPPLEMENTARY_SUFFIXES,
    FileKind.COVER_LETTER: COVER_LETTER_SUFFIXES,
}
KIND_LABELS: dict[FileKind, TranslationString] = {
    FileKind.MANUSCRIPT: _("Manuscript"),
    FileKind.FIGURE: _("Figure"),
    FileKind.SUPPLEMENTARY: _("Supplementary file"),
    FileKind.COVER_LETTER: _("Cover letter"),
    FileKind.RESPONSE_TO_REVIEWERS: _("Response to the reviewers"),
}
# Zip-based formats and the part that proves the file is one.
_ZIP_PARTS = {
    ".docx": REQUIRED_PART["docx"],
    ".odt": REQUIRED_PART["odt"],
    ".xlsx": "xl/workbook.xml",
    ".ods": "content.xml",
}
_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".tif": (b"II*\x00", b"MM\x00*"),
    ".tiff": (b"II*\x00", b"MM\x00*"),
    ".pdf": (b"%PDF-",),
}
_TEXT_SUFFIXES = {".md", ".markdown", ".tex", ".csv", ".txt"}


def max_upload_bytes(settings: Mapping[str, Any]) -> int:
    return SubmissionSettings.of(settings).max_upload_bytes


def clean_filename(raw: str) -> str:
    """The file's own name, without any folder a browser or a forged request put in front
    (``C:\\Users\\me\\paper.docx``, ``../../etc/passwd.docx``). It is only ever shown and
    used in download headers; the bytes are stored under their digest, never under it."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name).strip()
    if not name or name in {".", ".."} or name.startswith("."):
        raise SubmissionError(_("The file has no usable name; rename it and upload it again."))
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise SubmissionError(
            _("The file name contains control characters; rename the file and upload it again.")
        )
    if len(name) > MAX_FILENAME_LENGTH:
        raise SubmissionError(
            _(
                "The file name is longer than ${max} characters; rename the file.",
                mapping={"max": MAX_FILENAME_LENGTH},
            )
        )
    return name


def _zip_names(data: bytes) -> tuple[str, ...]:
    try:
        return archive.inspect_zip(data, reject_dtd=True).names
    except archive.ArchiveError as exc:
        raise SubmissionError(
            _("The file could not be read as a zip archive: ${reason}.", mapping={"reason": exc})
        ) from exc


def check_content(suffix: str, data: bytes) -> None:
    """Refuse a file that is not what its name says (a .docx must be a zip holding
    word/document.xml, a .png must start like a PNG, a .tex must be UTF-8 text …)."""
    if not data:
        raise SubmissionError(_("The file is empty."))
    if suffix in _ZIP_PARTS:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise SubmissionError(
                _(
                    "This is not a real ${type} file (it is not a zip archive, as ${type} files "
                    "are). Save it again from your word processor in that format.",
                    mapping={"type": suffix[1:].upper()},
                )
            )
        if _ZIP_PARTS[suffix] not in _zip_names(data):
            raise SubmissionError(
                _(
                    "This is not a real ${type} file: it lacks ${part}.",
                    mapping={"type": suffix[1:].upper(), "part": _ZIP_PARTS[suffix]},
                )
            )
    elif suffix == ".zip":
        names = _zip_names(data)
        if not any(n.lower().endswith(".tex") for n in names):
            raise SubmissionError(
                _("The zip archive holds no .tex file; a LaTeX manuscript needs its .tex source.")
            )
    elif suffix in _MAGIC:
        if not data.startswith(_MAGIC[suffix]):
            raise SubmissionError(
                _(
                    "This file is not a ${type} file, although its name ends in ${suffix}.",
                    mapping={"type": suffix[1:].upper(), "suffix": suffix},
                )
            )
    elif suffix in _TEXT_SUFFIXES:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SubmissionError(
                _("This text file is not UTF-8; save it as UTF-8 and upload it again.")
            ) from exc
        if "\x00" in text:
            raise SubmissionError(_("This text file contains NUL bytes; it is not plain text."))


def mib(size: int) -> str:
    return f"{size / 1048576:.0f}" if size >= 1048576 else f"{size / 1048576:.2f}"


def add_file(
    db: Session,
    storage: FileStorage,
    submission: Submission,
    kind: Any,
    filename: str,
    data: bytes,
    actor: User | None,
    max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
) -> ManuscriptFile:
    """Store an upload and add its (immutable) row. ``data`` may be one byte longer than
    ``max_bytes``: that is how a caller reading at most ``max_bytes + 1`` says "too large"."""
    require_editable(submission, actor)
    try:
        kind = FileKind(kind)
    except ValueError:
        kind = None
    if kind not in UPLOAD_KINDS:
        raise SubmissionError(
            _("Choose what the file is: manuscript, figure, supplementary file or cover letter.")
        )
    name = clean_filename(filename)
    suffix = PurePosixPath(name.lower()).suffix
    allowed = UPLOAD_KINDS[kind]
    if suffix not in allowed:
        raise SubmissionError(
            _(
                "A ${kind} must be one of these file types: ${types} (this file is ${suffix}).",
                mapping={
                    "kind": KIND_LABELS[kind],
                    "types": ", ".join(sorted(allowed)),
                    "suffix": suffix or "?",
                },
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
    digest = storage.put(data)
    row = ManuscriptFile(
        round_number=0,
        kind=kind,
        filename=name,
        media_type=allowed[suffix],
        size=len(data),
        sha256=digest,
        uploaded_by_id=actor.id if actor else None,
    )
    submission.files.append(row)
    touch(submission)
    db.flush()
    return row


def current_files(submission: Submission) -> dict[FileKind, list[ManuscriptFile]]:
    """The files by kind, newest first (older manuscripts stay, the newest one counts)."""
    out: dict[FileKind, list[ManuscriptFile]] = {k: [] for k in UPLOAD_KINDS}
    for row in sorted(submission.files, key=lambda f: f.id, reverse=True):
        if row.kind in out:
            out[row.kind].append(row)
    return out


class FileNotDeletable(SubmissionError):
    """The file belongs to a submitted paper: it is part of the record and stays."""


def delete_file(db: Session, submission: Submission, row: ManuscriptFile, actor: User | None):
    """Delete a file uploaded by mistake, from a draft, by its submitter. A submitted
    paper's files are the record of what was reviewed and never go (:class:`FileNotDeletable`).

    Only the row goes: the bytes are content-addressed and shared by every row (of any
    submission or article) that holds the same digest, and the storage has no delete, so an
    unreferenced blob is left for a sweep. No history line: a draft's uploads record none."""
    if row.submission_id != submission.id or row.kind not in UPLOAD_KINDS:
        raise SubmissionError(_("This file is not one of this draft's uploads."))
    if not editable(submission, actor):
        raise FileNotDeletable(
            _(
                "The files of a submitted paper cannot be deleted: they are the record of "
                "what was submitted. To correct a file, upload a revision when the editor "
                "asks for one, or write to the editor."
            )
        )
    # A reviewer copy made from it (none in a draft today) goes with it.
    for copy in [f for f in submission.files if f.source_id == row.id]:
        submission.files.remove(copy)
    if row.kind == FileKind.FIGURE:
        forget_file(db, row)
    submission.files.remove(row)
    touch(submission)
    db.flush()
