"""The author's side of submitting: drafts, authors, funding, files, the checks before
submission, submitting and withdrawing.

Drafts save whatever the author has so far (an empty title is fine while drafting); what a
submission needs is checked by :func:`submission_problems`, which the review page lists and
:func:`submit` enforces. State changes go through the workflow table
(:func:`frontiers_de.editorial.workflow.apply`); the metadata is built by the production
domain's :func:`~frontiers_de.production.services.submission_metadata` and validated against
``schemas/submission-metadata.schema.json``, so what is submitted is what production reads.

Every function takes plain values (a mapping of form strings, bytes of an upload) so the
rules can be tested without HTTP. Refusals raise :class:`SubmissionError` (one message) or
:class:`InvalidInput` (a message per field); nothing is changed when they do.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.forms import check_country, check_email, check_orcid, check_ror
from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.forms import Field, FieldError, FormResult, read_form
from frontiers_de.i18n import _
from frontiers_de.identifiers import is_funder_doi, normalise_doi
from frontiers_de.journals.models import Journal, Section
from frontiers_de.production.jats import archive
from frontiers_de.production.jats.convert import FORMATS_BY_SUFFIX, MAX_INPUT_BYTES, REQUIRED_PART
from frontiers_de.production.jats.frontmatter import metadata_schema, validate_metadata
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.credit import CREDIT_ROLES
from frontiers_de.submissions.models import (
    Contributor,
    FileKind,
    Funding,
    ManuscriptFile,
    ReviewMode,
    Submission,
    SubmissionState,
)
from frontiers_de.submissions.settings import SubmissionSettings

# The setting that bounds one upload (bytes); the converter's own input limit by default.
MAX_UPLOAD_SETTING = "fde.submissions.max_upload_bytes"
DEFAULT_MAX_UPLOAD_BYTES = MAX_INPUT_BYTES
MAX_CONTRIBUTORS = 100
MAX_FUNDING = 30
MAX_AFFILIATIONS = 3  # affiliation rows on the author form
MAX_KEYWORDS = 12
MAX_FILENAME_LENGTH = 200

# The article languages an author may choose; the second-language block of the form is
# Chinese (Submission.translations["zh"]).
ARTICLE_LANGUAGES = ("en", "zh")
TRANSLATION_LANGUAGE = "zh"
NATIVE_NAME_LANGUAGES = ("zh", "ja", "ko", "ru", "ar", "el", "he", "hi", "th", "uk", "vi")


def credit_roles() -> list[str]:
    """The 14 CRediT role names, from the metadata JSON Schema (the one list)."""
    return list(metadata_schema()["$defs"]["creditRole"]["enum"])


# Labels for the form; the stored values stay the CRediT names above (one table: credit.py).
CREDIT_LABELS: dict[str, TranslationString] = {role.name: role.label for role in CREDIT_ROLES}


class SubmissionError(Exception):
    """A step the rules refuse; ``message`` is for the author."""

    def __init__(self, message: TranslationString) -> None:
        super().__init__(str(message))
        self.message = message


class StaleDraft(SubmissionError):
    """The draft changed (another tab, a co-worker) since the form was opened."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            _(
                "This submission was changed elsewhere (in another window or tab) after you "
                "opened this page, so your changes were not saved. They are still in the form "
                "below: check them and save again to keep them."
            )
        )
        self.current_version = current_version


class InvalidInput(Exception):
    """Some fields are refused; ``form`` has the messages and what was sent."""

    def __init__(self, form: FormResult) -> None:
        super().__init__(", ".join(form.errors))
        self.form = form


# --- who sees what ---------------------------------------------------------------------------


def is_editor(user: User | None, journal_id: int) -> bool:
    """Whether ``user`` holds an editor's role in the journal (the workflow's EDITORS)."""
    return user is not None and bool(workflow.actor_roles(user, journal_id) & workflow.EDITORS)


def may_see(submission: Submission, user: User | None) -> bool:
    """Whether ``user`` may open the author's pages of ``submission``: its submitter, or an
    editor of its journal once it is submitted (a draft is the author's own until then).
    The pages answer 404 to anyone else (resources.SubmissionContext), as for no such id."""
    if user is None:
        return False
    if submission.submitter_id == user.id:
        return True
    return submission.state != SubmissionState.DRAFT and is_editor(user, submission.journal_id)


def is_submitter(submission: Submission, user: User | None) -> bool:
    return user is not None and submission.submitter_id == user.id


def editable(submission: Submission, user: User | None) -> bool:
    """Whether ``user`` may change the submission: its submitter, while it is a draft."""
    return is_submitter(submission, user) and submission.state == SubmissionState.DRAFT


def require_editable(submission: Submission, user: User | None) -> None:
    if not editable(submission, user):
        raise SubmissionError(
            _("This submission has been submitted and can no longer be changed here.")
        )


def my_submissions(db: Session, user: User, journal_id: int) -> list[Submission]:
    """The user's own submissions in the journal, most recently changed first."""
    return list(
        db.scalars(
            select(Submission)
            .where(Submission.submitter_id == user.id, Submission.journal_id == journal_id)
            .order_by(Submission.updated_at.desc(), Submission.id.desc())
        )
    )


def active_sections(db: Session, journal_id: int) -> list[Section]:
    return list(
        db.scalars(
            select(Section)
            .where(Section.journal_id == journal_id, Section.is_active.is_(True))
            .order_by(Section.position, Section.id)
        )
    )


def _touch(submission: Submission) -> None:
    """Mark the submission changed, so its version moves on (optimistic locking)."""
    submission.updated_at = utcnow()


def _check_version(submission: Submission, expected: Any) -> None:
    try:
        expected_int = int(str(expected).strip())
    except (TypeError, ValueError):
        expected_int = -1
    if expected_int != submission.version:
        raise StaleDraft(submission.version)


# --- starting -------------------------------------------------------------------------------


def _native_lang(text: str) -> str:
    """A guess at the language of a name in its own script, for the contributor row."""
    for char in text:
        name = unicodedata.name(char, "")
        if name.startswith("CJK"):
            return "zh"
        if name.startswith(("HIRAGANA", "KATAKANA")):
            return "ja"
        if name.startswith("HANGUL"):
            return "ko"
        if name.startswith("CYRILLIC"):
            return "ru"
        if name.startswith("ARABIC"):
            return "ar"
    return ""


def start_submission(db: Session, journal: Journal, user: User, section_id: Any) -> Submission:
    """A new draft in the chosen section, with the submitter as first and corresponding
    author (from their profile)."""
    try:
        section = db.get(Section, int(str(section_id)))
    except (TypeError, ValueError):
        section = None
    if section is None or section.journal_id != journal.id or not section.is_active:
        raise SubmissionError(_("Choose the type of article you are submitting."))
    submission = Submission(
        journal_id=journal.id,
        section_id=section.id,
        submitter_id=user.id,
        state=SubmissionState.DRAFT,
        language=journal.language if journal.language in ARTICLE_LANGUAGES else "en",
    )
    affiliation: list[dict[str, str]] = []
    if user.affiliation:
        aff = {"name": user.affiliation}
        if user.ror_id:
            aff["ror"] = user.ror_id
        if user.country:
            aff["country"] = user.country
        affiliation.append(aff)
    submission.contributors.append(
        Contributor(
            user_id=user.id,
            position=0,
            given_name=user.given_name,
            family_name=user.family_name,
            native_name=user.native_name,
            native_name_lang=_native_lang(user.native_name) if user.native_name else "",
            email=user.email,
            orcid=user.orcid,
            affiliations=affiliation,
            credit_roles=[],
            is_corresponding=True,
        )
    )
    db.add(submission)
    db.flush()
    workflow.audit_event(db, submission, user, "start", None, {"section": section.code})
    return submission


# --- the details form -----------------------------------------------------------------------

_KEYWORD_SPLIT = re.compile(r"[;,，；、\n]+")


def split_keywords(text: str) -> list[str]:
    out: list[str] = []
    for term in _KEYWORD_SPLIT.split(text or ""):
        term = " ".join(term.split())
        if term and term.casefold() not in {t.casefold() for t in out}:
            out.append(term)
    return out


def _check_keywords(value: str) -> list[str]:
    terms = split_keywords(value)
    if len(terms) > MAX_KEYWORDS:
        raise FieldError(
            _(
                "At most ${max} keywords, please (you gave ${count}).",
                mapping={"max": MAX_KEYWORDS, "count": len(terms)},
            )
        )
    if any(len(t) > 100 for t in terms):
        raise FieldError(_("A keyword is longer than 100 characters: separate them with commas."))
    return terms


def _check_language(value: str) -> str:
    if value not in ARTICLE_LANGUAGES:
        raise FieldError(_("Choose English or Chinese."))
    return value


def _check_section(value: str) -> int:
    if not value.isdigit():
        raise FieldError(_("Choose the type of article you are submitting."))
    return int(value)


DETAIL_FIELDS = (
    Field("section_id", max_length=12, check=_check_section),
    Field("language", max_length=10, required=True, check=_check_language),
    Field("title", max_length=500),
    Field("subtitle", max_length=500),
    Field("abstract", max_length=10000, multiline=True),
    Field("keywords", max_length=2000, check=_check_keywords),
    Field("title_zh", max_length=500),
    Field("abstract_zh", max_length=10000, multiline=True),
    Field("keywords_zh", max_length=2000, check=_check_keywords),
    Field("cover_letter", max_length=20000, multiline=True),
    Field("data_availability", max_length=5000, multiline=True),
    Field("competing_interests", max_length=5000, multiline=True),
    Field("acknowledgements", max_length=5000, multiline=True),
)


def details_values(submission: Submission) -> dict[str, str]:
    """The details form filled from the submission."""
    zh = (submission.translations or {}).get(TRANSLATION_LANGUAGE) or {}
    return {
        "section_id": str(submission.section_id or ""),
        "language": submission.language,
        "title": submission.title,
        "subtitle": submission.subtitle,
        "abstract": submission.abstract,
        "keywords": ", ".join(submission.keywords or []),
        "title_zh": zh.get("title", ""),
        "abstract_zh": zh.get("abstract", ""),
        "keywords_zh": "，".join(zh.get("keywords") or []),
        "cover_letter": submission.cover_letter,
        "data_availability": submission.data_availability,
        "competing_interests": submission.competing_interests,
        "acknowledgements": submission.acknowledgements,
        "version": str(submission.version),
    }


def save_details(
    db: Session, submission: Submission, post: Mapping[str, Any], actor: User | None
) -> None:
    """Save the details form (``post``: the form's strings, ``version`` among them). Empty
    fields are fine in a draft. Raises :class:`InvalidInput`, :class:`StaleDraft` or
    :class:`SubmissionError`; nothing is saved then."""
    require_editable(submission, actor)
    form = read_form(post, DETAIL_FIELDS)
    v = form.values
    if "section_id" in v and v["section_id"] != "":
        section = db.get(Section, v["section_id"])
        if section is None or section.journal_id != submission.journal_id or not section.is_active:
            form.errors["section_id"] = _("Choose the type of article you are submitting.")
    if not form.ok:
        raise InvalidInput(form)
    _check_version(submission, post.get("version"))
    if v.get("section_id"):
        submission.section_id = v["section_id"]
    submission.language = v["language"]
    for name in (
        "title",
        "subtitle",
        "abstract",
        "cover_letter",
        "data_availability",
        "competing_interests",
        "acknowledgements",
    ):
        setattr(submission, name, v.get(name) or "")
    submission.keywords = v.get("keywords") or []
    translation = {
        key: value
        for key, value in (
            ("title", v.get("title_zh") or ""),
            ("abstract", v.get("abstract_zh") or ""),
            ("keywords", v.get("keywords_zh") or []),
        )
        if value
    }
    translations = dict(submission.translations or {})
    if translation:
        translations[TRANSLATION_LANGUAGE] = translation
    else:
        translations.pop(TRANSLATION_LANGUAGE, None)
    submission.translations = translations
    _touch(submission)
    db.flush()


# --- contributors ---------------------------------------------------------------------------


def _check_native_lang(value: str) -> str:
    if value not in NATIVE_NAME_LANGUAGES:
        raise FieldError(_("Choose the language of the name from the list."))
    return value


CONTRIBUTOR_FIELDS: tuple[Field, ...] = (
    Field("given_name", max_length=200),
    Field("family_name", max_length=200, required=True),
    Field("native_name", max_length=200),
    Field("native_name_lang", max_length=10, check=_check_native_lang),
    Field("email", max_length=254, check=check_email),
    Field("orcid", max_length=60, check=check_orcid),
    Field("is_corresponding", max_length=10),
    *(
        f
        for i in range(1, MAX_AFFILIATIONS + 1)
        for f in (
            Field(f"aff{i}_name", max_length=300),
            Field(f"aff{i}_department", max_length=300),
            Field(f"aff{i}_ror", max_length=60, check=check_ror),
            Field(f"aff{i}_country", max_length=2, check=check_country),
        )
    ),
)


def contributor_values(person: Contributor | None) -> dict[str, Any]:
    if person is None:
        return {"credit_roles": []}
    values: dict[str, Any] = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "native_name": person.native_name,
        "native_name_lang": person.native_name_lang,
        "email": person.email,
        "orcid": person.orcid or "",
        "is_corresponding": "yes" if person.is_corresponding else "",
        "credit_roles": list(person.credit_roles or []),
    }
    for i, aff in enumerate((person.affiliations or [])[:MAX_AFFILIATIONS], start=1):
        if isinstance(aff, Mapping):
            values[f"aff{i}_name"] = aff.get("name", "")
            values[f"aff{i}_department"] = aff.get("department", "")
            values[f"aff{i}_ror"] = aff.get("ror", "")
            values[f"aff{i}_country"] = aff.get("country", "")
    return values


def _read_contributor(post: Mapping[str, Any], roles: Sequence[str]) -> FormResult:
    form = read_form(post, CONTRIBUTOR_FIELDS)
    known = credit_roles()
    chosen = [r for r in known if r in set(roles)]
    unknown = [r for r in roles if r not in known]
    if unknown:
        form.errors["credit_roles"] = _("Choose CRediT roles from the list.")
    form.values["credit_roles"] = chosen
    form.sent["credit_roles"] = chosen  # type: ignore[assignment]
    v = form.values
    if v.get("native_name") and not v.get("native_name_lang"):
        form.errors.setdefault(
            "native_name_lang", _("Say which language the name in its own script is in.")
        )
    affiliations = []
    for i in range(1, MAX_AFFILIATIONS + 1):
        name = v.get(f"aff{i}_name") or ""
        extras = [v.get(f"aff{i}_{k}") for k in ("department", "ror", "country")]
        if not name:
            if any(extras):
                form.errors.setdefault(
                    f"aff{i}_name", _("Give the name of the institution for this affiliation.")
                )
            continue
        aff = {"name": name}
        for key in ("department", "ror", "country"):
            if v.get(f"aff{i}_{key}"):
                aff[key] = v[f"aff{i}_{key}"]
        affiliations.append(aff)
    v["affiliations"] = affiliations
    return form


def save_contributor(
    db: Session,
    submission: Submission,
    post: Mapping[str, Any],
    credit: Sequence[str],
    actor: User | None,
    person: Contributor | None = None,
) -> Contributor:
    """Add an author (``person`` None) or change one. ``credit``: the chosen CRediT role
    names. Raises :class:`InvalidInput` (nothing saved) on a bad value: a malformed ORCID iD
    or ROR id or one with a wrong check digit, an email address that is not one."""
    require_editable(submission, actor)
    if person is not None and person.submission_id != submission.id:
        raise SubmissionError(_("This author is not part of this submission."))
    if person is None and len(submission.contributors) >= MAX_CONTRIBUTORS:
        raise SubmissionError(
            _("A submission can have at most ${max} authors.", mapping={"max": MAX_CONTRIBUTORS})
        )
    form = _read_contributor(post, credit)
    if not form.ok:
        raise InvalidInput(form)
    v = form.values
    if person is None:
        person = Contributor(position=len(submission.contributors))
        submission.contributors.append(person)
    person.given_name = v.get("given_name") or ""
    person.family_name = v["family_name"]
    person.native_name = v.get("native_name") or ""
    person.native_name_lang = v.get("native_name_lang") or "" if person.native_name else ""
    person.email = v.get("email") or ""
    person.orcid = v.get("orcid") or None
    person.affiliations = v["affiliations"]
    person.credit_roles = v["credit_roles"]
    person.is_corresponding = bool(v.get("is_corresponding"))
    _touch(submission)
    db.flush()
    return person


def _renumber(db: Session, submission: Submission, order: list[Any]) -> None:
    # Two passes: positions are unique per submission, so a direct swap would collide.
    for i, row in enumerate(order):
        row.position = -(i + 1)
    db.flush()
    for i, row in enumerate(order):
        row.position = i
    db.flush()


def remove_contributor(
    db: Session, submission: Submission, person: Contributor, actor: User | None
) -> None:
    require_editable(submission, actor)
    if person.submission_id != submission.id:
        raise SubmissionError(_("This author is not part of this submission."))
    submission.contributors.remove(person)
    db.flush()
    _renumber(db, submission, list(submission.contributors))
    _touch(submission)
    db.flush()


def move_contributor(
    db: Session, submission: Submission, person: Contributor, direction: str, actor: User | None
) -> None:
    """Move an author one place up or down the author list."""
    require_editable(submission, actor)
    if person.submission_id != submission.id:
        raise SubmissionError(_("This author is not part of this submission."))
    order = sorted(submission.contributors, key=lambda c: c.position)
    i = order.index(person)
    j = i - 1 if direction == "up" else i + 1 if direction == "down" else i
    if j == i or not 0 <= j < len(order):
        return
    order[i], order[j] = order[j], order[i]
    _renumber(db, submission, order)
    db.expire(submission, ["contributors"])
    _touch(submission)
    db.flush()


# --- funding --------------------------------------------------------------------------------


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
    require_editable(submission, actor)
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
    _touch(submission)
    db.flush()
    return grant


def remove_funding(db: Session, submission: Submission, grant: Funding, actor: User | None):
    require_editable(submission, actor)
    if grant.submission_id != submission.id:
        raise SubmissionError(_("This funder is not part of this submission."))
    submission.funding.remove(grant)
    db.flush()
    for i, row in enumerate(submission.funding):
        row.position = i
    _touch(submission)
    db.flush()


# --- files ----------------------------------------------------------------------------------

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


def _mib(size: int) -> str:
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
                mapping={"mib": _mib(max_bytes)},
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
    _touch(submission)
    db.flush()
    return row


def current_files(submission: Submission) -> dict[FileKind, list[ManuscriptFile]]:
    """The files by kind, newest first (older manuscripts stay, the newest one counts)."""
    out: dict[FileKind, list[ManuscriptFile]] = {k: [] for k in UPLOAD_KINDS}
    for row in sorted(submission.files, key=lambda f: f.id, reverse=True):
        if row.kind in out:
            out[row.kind].append(row)
    return out


# --- checks before submission, submitting, withdrawing ---------------------------------------


_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_WORD = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")


def word_count(text: str) -> int:
    """Words of an abstract; each Chinese, Japanese or Korean character counts as one."""
    return len(_WORD.findall(text or ""))


@dataclass(frozen=True)
class Problem:
    """One thing missing or wrong; ``step`` names the page where it is put right."""

    step: str
    message: TranslationString


def submission_metadata(db: Session, submission: Submission) -> dict[str, Any]:
    from frontiers_de.production.services import submission_metadata as build

    return build(db, submission)


def submission_problems(db: Session, submission: Submission) -> list[Problem]:
    """Everything that stops the draft from being submitted, in the order of the pages."""
    out: list[Problem] = []

    def add(step: str, message: TranslationString) -> None:
        out.append(Problem(step, message))

    journal = db.get(Journal, submission.journal_id)
    if submission.section_id is None:
        add("details", _("No article type chosen."))
    if not submission.title.strip():
        add("details", _("No title."))
    if not submission.abstract.strip():
        add("details", _("No abstract."))
    else:
        limit = journal.abstract_word_limit if journal else 300
        words = word_count(submission.abstract)
        if limit and words > limit:
            add(
                "details",
                _(
                    "The abstract has ${words} words; at most ${max} are allowed.",
                    mapping={"words": words, "max": limit},
                ),
            )
    if not submission.keywords:
        add("details", _("No keywords."))
    zh = (submission.translations or {}).get(TRANSLATION_LANGUAGE) or {}
    if zh and submission.language == TRANSLATION_LANGUAGE:
        add(
            "details",
            _(
                "The article is in Chinese, so the Chinese title, abstract and keywords go in "
                "the main fields; empty the second-language fields."
            ),
        )
    zh_abstract = zh.get("abstract") or ""
    if zh_abstract and journal and journal.abstract_word_limit:
        # Chinese counts characters; the journal's limit in words is about 1.6 characters each.
        limit_zh = journal.abstract_word_limit * 2
        if word_count(zh_abstract) > limit_zh:
            add(
                "details",
                _(
                    "The Chinese abstract has ${count} characters; at most ${max} are allowed.",
                    mapping={"count": word_count(zh_abstract), "max": limit_zh},
                ),
            )
    if not submission.competing_interests.strip():
        add(
            "details",
            _('No competing interests statement (write "None" if there are none).'),
        )
    if not submission.data_availability.strip():
        add("details", _("No data availability statement."))

    people = list(submission.contributors)
    if not people:
        add("authors", _("No authors."))
    corresponding = [p for p in people if p.is_corresponding]
    if people and not corresponding:
        add("authors", _("No corresponding author: mark one author as corresponding."))
    if len(corresponding) > 1:
        add(
            "authors",
            _(
                "${count} authors are marked as corresponding; mark exactly one.",
                mapping={"count": len(corresponding)},
            ),
        )
    for person in corresponding:
        if not person.email:
            add(
                "authors",
                _(
                    "The corresponding author ${name} has no email address.",
                    mapping={"name": _person_name(person)},
                ),
            )
    for person in people:
        if not any(isinstance(a, Mapping) and a.get("name") for a in person.affiliations or []):
            add(
                "authors",
                _("${name} has no affiliation.", mapping={"name": _person_name(person)}),
            )

    if not any(f.kind == FileKind.MANUSCRIPT for f in submission.files):
        add("files", _("No manuscript file."))

    if not out:
        for problem in validate_metadata(submission_metadata(db, submission)):
            add(
                "review",
                _("The metadata is not valid: ${problem}", mapping={"problem": problem}),
            )
    return out


def _person_name(person: Contributor) -> str:
    return " ".join(p for p in (person.given_name, person.family_name) if p) or "?"


def submit(
    db: Session,
    submission: Submission,
    actor: User | None,
    expected_version: Any,
    storage: FileStorage | None = None,
) -> AuditEvent:
    """Submit the draft (workflow "submit") when nothing is missing and the author reviewed
    the current version. The paper takes its section's review mode, and every file a
    reviewer may be given has its reviewer copy (``storage``). Raises
    :class:`SubmissionError` listing the first problem, :class:`StaleDraft`, or
    ``TransitionNotAllowed``."""
    require_editable(submission, actor)
    _check_version(submission, expected_version)
    problems = submission_problems(db, submission)
    if problems:
        raise SubmissionError(problems[0].message)
    submission.review_mode = review_mode_of(db, submission)
    if storage is not None:
        make_reviewer_copies(db, storage, submission)
    return workflow.apply(db, submission, "submit", actor)


def withdraw(db: Session, submission: Submission, actor: User | None, reason: str) -> AuditEvent:
    """Withdraw the submission (workflow "withdraw": the author or an editor, before
    acceptance). ``reason`` is kept in the audit trail."""
    reason = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", reason or "").strip()[:2000]
    return workflow.apply(db, submission, "withdraw", actor, detail={"reason": reason})


def history(db: Session, submission: Submission) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.submission_id == submission.id)
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
    )


# --- the revision after peer review ----------------------------------------------------------

RESPONSE_SUFFIXES = COVER_LETTER_SUFFIXES
# What an author may download of their own submission: what they uploaded, and their
# responses to the reviewers (review attachments and production files are not theirs).
AUTHOR_FILE_KINDS = frozenset({*UPLOAD_KINDS, FileKind.RESPONSE_TO_REVIEWERS})


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
                mapping={"mib": _mib(max_bytes)},
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
    _touch(submission)
    db.flush()
    make_reviewer_copies(db, storage, submission)
    return workflow.apply(db, submission, "resubmit", actor)


def responses(submission: Submission) -> list[ManuscriptFile]:
    """The responses to the reviewers, newest first."""
    rows = [f for f in submission.files if f.kind == FileKind.RESPONSE_TO_REVIEWERS]
    return sorted(rows, key=lambda f: f.id, reverse=True)


# --- review modes, reviewer copies and the leak check -----------------------------------------

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
    _touch(submission)
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
