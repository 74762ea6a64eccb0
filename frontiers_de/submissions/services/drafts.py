"""Starting a draft (the submitter as its first, corresponding author) and its details
form: article type, language, title, abstract, keywords, the Chinese second-language
block and the statements. Empty fields are fine while drafting: what a submission needs
is checked by :mod:`.checks`."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.editorial import workflow
from frontiers_de.forms import Field, FieldError, read_form, split_terms
from frontiers_de.i18n import _
from frontiers_de.journals.models import Journal, Section
from frontiers_de.submissions.models import Contributor, Submission, SubmissionState
from frontiers_de.submissions.services.access import (
    check_version,
    require_metadata_editable,
    revising,
    touch,
)
from frontiers_de.submissions.services.errors import InvalidInput, SubmissionError
from frontiers_de.submissions.services.revisions import CORRECTABLE_FIELDS, record_correction

MAX_KEYWORDS = 12

# The article languages an author may choose; the second-language block of the form is
# Chinese (Submission.translations["zh"]).
ARTICLE_LANGUAGES = ("en", "zh")
TRANSLATION_LANGUAGE = "zh"


def active_sections(db: Session, journal_id: int) -> list[Section]:
    return list(
        db.scalars(
            select(Section)
            .where(Section.journal_id == journal_id, Section.is_active.is_(True))
            .order_by(Section.position, Section.id)
        )
    )


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


def split_keywords(text: str) -> list[str]:
    return split_terms(text)


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
    fields are fine in a draft. While a revision is requested the same form corrects the
    metadata: the article type, language and cover letter stay as submitted, and the fields
    changed are a history line. Raises :class:`InvalidInput`, :class:`StaleDraft` or
    :class:`SubmissionError`; nothing is saved then."""
    require_metadata_editable(submission, actor)
    before = details_values(submission)
    if revising(submission):
        post = {**dict(post.items()), **_pinned_in_revision(submission)}
    form = read_form(post, DETAIL_FIELDS)
    v = form.values
    if "section_id" in v and v["section_id"] != "":
        section = db.get(Section, v["section_id"])
        if section is None or section.journal_id != submission.journal_id or not section.is_active:
            form.errors["section_id"] = _("Choose the type of article you are submitting.")
    if not form.ok:
        raise InvalidInput(form)
    check_version(submission, post.get("version"))
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
    after = details_values(submission)
    changed = [k for k in CORRECTABLE_FIELDS if k in after and after[k] != before[k]]
    record_correction(db, submission, actor, changed)
    touch(submission)
    db.flush()


def _pinned_in_revision(submission: Submission) -> dict[str, str]:
    """What a revision keeps as submitted: the article type (the review mode follows it),
    the language and the cover letter (written for the first reading)."""
    return {
        "section_id": "",
        "language": submission.language,
        "cover_letter": submission.cover_letter,
    }
