"""What a draft needs before it may be submitted (:func:`submission_problems`, listed on
the review page and enforced by :func:`~.submitting.submit`): the details, the authors,
a manuscript, then metadata valid against ``schemas/submission-metadata.schema.json``
(built by the production domain's
:func:`~frontiers_de.production.services.submission_metadata`, so what is submitted is
what production reads)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de.i18n import _
from frontiers_de.journals.models import Journal
from frontiers_de.production.jats.frontmatter import validate_metadata
from frontiers_de.submissions.models import Contributor, FileKind, Submission
from frontiers_de.submissions.services.drafts import TRANSLATION_LANGUAGE

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
    """Everything that stops the draft from being submitted, in the order of the pages: the
    details, the authors, the files; once none is missing, whether the metadata is valid."""
    journal = db.get(Journal, submission.journal_id)
    out = [
        *_detail_problems(submission, journal),
        *_statement_problems(submission),
        *_author_problems(submission),
        *_file_problems(submission),
    ]
    if not out:
        out.extend(_metadata_problems(db, submission))
    return out


def _detail_problems(submission: Submission, journal: Journal | None) -> Iterator[Problem]:
    """The article type, title, abstract (within the journal's word limit) and keywords,
    and the Chinese second-language block."""
    if submission.section_id is None:
        yield Problem("details", _("No article type chosen."))
    if not submission.title.strip():
        yield Problem("details", _("No title."))
    if not submission.abstract.strip():
        yield Problem("details", _("No abstract."))
    else:
        limit = journal.abstract_word_limit if journal else 300
        words = word_count(submission.abstract)
        if limit and words > limit:
            yield Problem(
                "details",
                _(
                    "The abstract has ${words} words; at most ${max} are allowed.",
                    mapping={"words": words, "max": limit},
                ),
            )
    if not submission.keywords:
        yield Problem("details", _("No keywords."))
    zh = (submission.translations or {}).get(TRANSLATION_LANGUAGE) or {}
    if zh and submission.language == TRANSLATION_LANGUAGE:
        yield Problem(
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
            yield Problem(
                "details",
                _(
                    "The Chinese abstract has ${count} characters; at most ${max} are allowed.",
                    mapping={"count": word_count(zh_abstract), "max": limit_zh},
                ),
            )


def _statement_problems(submission: Submission) -> Iterator[Problem]:
    """The statements every submission makes (on the details page)."""
    if not submission.competing_interests.strip():
        yield Problem(
            "details",
            _('No competing interests statement (write "None" if there are none).'),
        )
    if not submission.data_availability.strip():
        yield Problem("details", _("No data availability statement."))


def _author_problems(submission: Submission) -> Iterator[Problem]:
    """At least one author, exactly one corresponding author with an email address, and an
    affiliation for everyone."""
    people = list(submission.contributors)
    if not people:
        yield Problem("authors", _("No authors."))
    corresponding = [p for p in people if p.is_corresponding]
    if people and not corresponding:
        yield Problem("authors", _("No corresponding author: mark one author as corresponding."))
    if len(corresponding) > 1:
        yield Problem(
            "authors",
            _(
                "${count} authors are marked as corresponding; mark exactly one.",
                mapping={"count": len(corresponding)},
            ),
        )
    for person in corresponding:
        if not person.email:
            yield Problem(
                "authors",
                _(
                    "The corresponding author ${name} has no email address.",
                    mapping={"name": _person_name(person)},
                ),
            )
    for person in people:
        if not any(isinstance(a, Mapping) and a.get("name") for a in person.affiliations or []):
            yield Problem(
                "authors",
                _("${name} has no affiliation.", mapping={"name": _person_name(person)}),
            )


def _file_problems(submission: Submission) -> Iterator[Problem]:
    if not any(f.kind == FileKind.MANUSCRIPT for f in submission.files):
        yield Problem("files", _("No manuscript file."))


def _metadata_problems(db: Session, submission: Submission) -> Iterator[Problem]:
    """The submission's metadata against its JSON Schema (asked only when nothing else is
    missing, so that the author sees the plain messages above first)."""
    for problem in validate_metadata(submission_metadata(db, submission)):
        yield Problem(
            "review",
            _("The metadata is not valid: ${problem}", mapping={"problem": problem}),
        )


def _person_name(person: Contributor) -> str:
    return " ".join(p for p in (person.given_name, person.family_name) if p) or "?"
