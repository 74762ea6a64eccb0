"""Test data for production: an accepted submission whose database rows say what
``tests/data/submission-metadata.json`` says, with a real manuscript file in storage."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.journals.models import Journal, Section
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import (
    Contributor,
    FileKind,
    Funding,
    ManuscriptFile,
    Submission,
    SubmissionState,
)

METADATA_PATH = Path(__file__).parent / "data" / "submission-metadata.json"


def sample_metadata() -> dict[str, Any]:
    return json.loads(METADATA_PATH.read_text(encoding="utf-8"))


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC)


def make_accepted_submission(
    db: Session,
    journal: Journal,
    submitter: User,
    *,
    state: SubmissionState = SubmissionState.ACCEPTED,
    metadata: dict[str, Any] | None = None,
) -> Submission:
    """A submission in ``state`` whose rows carry the sample metadata."""
    meta = metadata or sample_metadata()
    section = db.scalar(
        select(Section).where(
            Section.journal_id == journal.id, Section.article_type == meta["article_type"]
        )
    )
    abstracts = {a["lang"]: a["text"] for a in meta.get("abstracts", [])}
    keywords = {k["lang"]: k["terms"] for k in meta.get("keywords", [])}
    translations: dict[str, Any] = {}
    for t in meta.get("trans_titles", []):
        translations.setdefault(t["lang"], {})["title"] = t["title"]
    for lang, text in abstracts.items():
        if lang != meta["language"]:
            translations.setdefault(lang, {})["abstract"] = text
    for lang, terms in keywords.items():
        if lang != meta["language"]:
            translations.setdefault(lang, {})["keywords"] = terms
    submission = Submission(
        journal_id=journal.id,
        section_id=section.id if section else None,
        submitter_id=submitter.id,
        state=state,
        language=meta["language"],
        title=meta["title"],
        subtitle=meta.get("subtitle", ""),
        abstract=abstracts.get(meta["language"], ""),
        keywords=keywords.get(meta["language"], []),
        translations=translations,
        acknowledgements=meta.get("acknowledgements", ""),
        data_availability=meta.get("data_availability", ""),
        competing_interests=meta.get("competing_interests", ""),
        doi=meta.get("doi"),
        submitted_at=_at(meta["history"]["received"]),
        accepted_at=_at(meta["history"]["accepted"]),
    )
    affiliations = {a["id"]: a for a in meta.get("affiliations", [])}
    for position, person in enumerate(meta.get("contributors", [])):
        native = person.get("native_name")
        submission.contributors.append(
            Contributor(
                position=position,
                given_name=person.get("given_names", ""),
                family_name=person["family_names"],
                native_name=(
                    f"{native['family_names']} {native.get('given_names', '')}".strip()
                    if native
                    else ""
                ),
                native_name_lang=native["lang"] if native else "",
                email=person.get("email", ""),
                # The column keeps the bare iD (19 characters), as the account forms do.
                orcid=(person.get("orcid") or "").removeprefix("https://orcid.org/") or None,
                affiliations=[
                    {
                        "name": affiliations[a]["institution"],
                        "department": affiliations[a].get("department", ""),
                        "ror": affiliations[a].get("ror", ""),
                        "city": affiliations[a].get("city", ""),
                        "country": affiliations[a].get("country_code", ""),
                    }
                    for a in person.get("affiliations", [])
                ],
                credit_roles=person.get("credit_roles", []),
                is_corresponding=person.get("corresponding", False),
            )
        )
    for position, grant in enumerate(meta.get("funding", [])):
        submission.funding.append(
            Funding(
                position=position,
                funder_name=grant["funder_name"],
                funder_doi=grant.get("funder_doi", ""),
                award_ids=grant.get("award_ids", []),
            )
        )
    db.add(submission)
    db.flush()
    return submission


def add_manuscript(
    db: Session,
    storage: FileStorage,
    submission: Submission,
    path: Path,
    *,
    round_number: int = 1,
    data: bytes | None = None,
    filename: str | None = None,
) -> ManuscriptFile:
    """Store a manuscript file for ``submission`` (content-addressed, like an upload)."""
    body = data if data is not None else path.read_bytes()
    record = ManuscriptFile(
        submission_id=submission.id,
        round_number=round_number,
        kind=FileKind.MANUSCRIPT,
        filename=filename or path.name,
        media_type="application/octet-stream",
        size=len(body),
        sha256=storage.put(body),
        uploaded_by_id=submission.submitter_id,
    )
    db.add(record)
    db.flush()
    return record
