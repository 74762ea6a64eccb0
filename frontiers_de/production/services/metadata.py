"""The submission's metadata as production reads it
(``schemas/submission-metadata.schema.json``): what ``fde jats convert --meta`` reads and
what the submission form is checked against."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de import identifiers
from frontiers_de.articles.models import Article
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.journals.models import Journal, Section
from frontiers_de.production.jats.frontmatter import metadata_schema
from frontiers_de.submissions.credit import credit_role
from frontiers_de.submissions.models import Contributor, Submission

_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def _text(value: Any) -> str | None:
    """A non-empty, stripped string or None (the schema's ``nonEmptyText``)."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    text = _text(value)
    if text is not None:
        target[key] = text


def _credit_roles(values: list[Any]) -> list[str]:
    out: list[str] = []
    for value in values or []:
        role = credit_role(value)
        if role and role.name not in out:
            out.append(role.name)
    return out


def _native_name(contributor: Contributor) -> dict[str, Any] | None:
    native = _text(contributor.native_name)
    lang = (contributor.native_name_lang or "").strip()
    if native is None or not _LANG.match(lang):
        return None
    # The database keeps the native name as one string. Splitting it into family and given
    # name is only safe where the writer marked the split with a space (Chinese names are
    # often written without one, and compound surnames exist); otherwise the whole name is
    # kept as the family name, in the order it was written.
    parts = native.split(None, 1)
    eastern = lang.split("-")[0] in {"zh", "ja", "ko", "vi"}
    name: dict[str, Any] = {"lang": lang, "name_style": "eastern" if eastern else "western"}
    if len(parts) == 2:
        family, given = (parts[0], parts[1]) if eastern else (parts[1], parts[0])
        name.update(family_names=family, given_names=given)
    else:
        name["family_names"] = native
    return name


def _affiliation_key(aff: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        str(aff.get("name") or aff.get("institution") or "").strip(),
        str(aff.get("department") or "").strip(),
        str(aff.get("ror") or "").strip(),
    )


def _affiliation(aff: Mapping[str, Any], aff_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": aff_id}
    _put(out, "institution", aff.get("name") or aff.get("institution"))
    _put(out, "department", aff.get("department"))
    ror = identifiers.normalise_ror(_text(aff.get("ror")))
    if ror:
        out["ror"] = ror
    _put(out, "city", aff.get("city"))
    country = _text(aff.get("country"))
    if country and _COUNTRY_CODE.match(country):
        out["country_code"] = country
    elif country:
        out["country"] = country
    code = _text(aff.get("country_code"))
    if code and _COUNTRY_CODE.match(code):
        out["country_code"] = code
    return out


def _date(value: dt.datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _titles_abstracts_keywords(meta: dict[str, Any], submission: Submission, language: str) -> None:
    """The trans-titles, abstracts and keywords, the submission's language first."""
    trans_titles, abstracts, keywords = [], [], []
    if _text(submission.abstract):
        abstracts.append({"lang": language, "text": submission.abstract.strip()})
    terms = [t for t in (_text(k) for k in submission.keywords or []) if t]
    if terms:
        keywords.append({"lang": language, "terms": terms})
    for lang, extra in sorted((submission.translations or {}).items()):
        if not _LANG.match(lang) or not isinstance(extra, Mapping) or lang == language:
            continue
        if _text(extra.get("title")):
            entry = {"lang": lang, "title": extra["title"].strip()}
            _put(entry, "subtitle", extra.get("subtitle"))
            trans_titles.append(entry)
        if _text(extra.get("abstract")):
            abstracts.append({"lang": lang, "text": extra["abstract"].strip()})
        more = [t for t in (_text(k) for k in extra.get("keywords") or []) if t]
        if more:
            keywords.append({"lang": lang, "terms": more})
    if trans_titles:
        meta["trans_titles"] = trans_titles
    if abstracts:
        meta["abstracts"] = abstracts
    if keywords:
        meta["keywords"] = keywords


def _contributor(
    person: Contributor, affiliations: dict[tuple[str, str, str], dict[str, Any]]
) -> dict[str, Any] | None:
    """One contributor's entry (None without a name); their affiliations are added to
    ``affiliations``, numbered in the order they first appear."""
    family = _text(person.family_name) or _text(person.given_name)
    if family is None:
        return None
    entry: dict[str, Any] = {"family_names": family}
    if _text(person.family_name):
        _put(entry, "given_names", person.given_name)
    native = _native_name(person)
    if native:
        entry["native_name"] = native
    if person.email and EMAIL_SHAPE.match(person.email.strip()):
        entry["email"] = person.email.strip()
    orcid = identifiers.normalise_orcid(person.orcid)
    if orcid:
        entry["orcid"] = orcid
    ids = []
    for aff in person.affiliations or []:
        if not isinstance(aff, Mapping) or not _text(aff.get("name") or aff.get("institution")):
            continue
        key = _affiliation_key(aff)
        if key not in affiliations:
            affiliations[key] = _affiliation(aff, f"aff{len(affiliations) + 1}")
        if affiliations[key]["id"] not in ids:
            ids.append(affiliations[key]["id"])
    if ids:
        entry["affiliations"] = ids
    roles = _credit_roles(person.credit_roles)
    if roles:
        entry["credit_roles"] = roles
    if person.is_corresponding:
        entry["corresponding"] = True
    return entry


def _contributors(meta: dict[str, Any], submission: Submission) -> None:
    affiliations: dict[tuple[str, str, str], dict[str, Any]] = {}
    contributors = [
        entry
        for entry in (_contributor(p, affiliations) for p in submission.contributors)
        if entry is not None
    ]
    if contributors:
        meta["contributors"] = contributors
    if affiliations:
        meta["affiliations"] = list(affiliations.values())


def _funding(meta: dict[str, Any], submission: Submission) -> None:
    funding = []
    for grant in submission.funding:
        name = _text(grant.funder_name)
        if name is None:
            continue
        entry = {"funder_name": name}
        if identifiers.is_funder_doi(grant.funder_doi):
            entry["funder_doi"] = grant.funder_doi.strip()
        awards = [a for a in (_text(x) for x in grant.award_ids or []) if a]
        if awards:
            entry["award_ids"] = awards
        funding.append(entry)
    if funding:
        meta["funding"] = funding


def _history(meta: dict[str, Any], db: Session, submission: Submission) -> None:
    """Received, revised (each resubmission's day) and accepted."""
    history: dict[str, Any] = {}
    received = _date(submission.submitted_at)
    if received:
        history["received"] = received
    revised = sorted(
        {
            d
            for d in (
                _date(e.created_at)
                for e in db.scalars(
                    select(AuditEvent).where(
                        AuditEvent.submission_id == submission.id,
                        AuditEvent.action == "resubmit",
                    )
                )
            )
            if d
        }
    )
    if revised:
        history["revised"] = revised
    accepted = _date(submission.accepted_at)
    if accepted:
        history["accepted"] = accepted
    if history:
        meta["history"] = history


def _publication(meta: dict[str, Any], submission: Submission, article: Article | None) -> None:
    """The DOI, and once there is an article its publication date and placement."""
    doi = (article.doi if article and article.doi else submission.doi) or ""
    if identifiers.DOI_RE.fullmatch(doi):
        meta["doi"] = doi
    if article is not None:
        if article.published_at:
            meta["publication_dates"] = [
                {"date": _date(article.published_at), "format": "electronic", "type": "pub"}
            ]
        if article.issue is not None:
            meta["volume"] = str(article.issue.volume.number)
            _put(meta, "issue", article.issue.number)
        _put(meta, "elocation_id", article.elocation_id)


def submission_metadata(
    db: Session, submission: Submission, article: Article | None = None
) -> dict[str, Any]:
    """The submission's metadata from its database rows, in the JSON Schema of
    ``schemas/submission-metadata.schema.json`` (what ``fde jats convert --meta`` reads).

    Values the schema would refuse (a malformed ORCID, ROR or funder id, an unknown CRediT
    role) are left out rather than passed on: the house rules report what is then missing.
    """
    journal = db.get(Journal, submission.journal_id)
    section = db.get(Section, submission.section_id) if submission.section_id else None
    language = submission.language if _LANG.match(submission.language or "") else "en"
    meta: dict[str, Any] = {"language": language, "title": _text(submission.title) or "Untitled"}
    _put(meta, "subtitle", submission.subtitle)
    _titles_abstracts_keywords(meta, submission, language)
    if section is not None:
        # Only the types the metadata schema knows; the schema is the one list.
        if section.article_type in metadata_schema()["properties"]["article_type"]["enum"]:
            meta["article_type"] = section.article_type
        _put(meta, "section", section.name)
    _contributors(meta, submission)
    _funding(meta, submission)
    _history(meta, db, submission)
    _publication(meta, submission, article)
    year = (
        (article.published_at if article and article.published_at else None)
        or submission.accepted_at
        or utcnow()
    ).year
    meta["copyright"] = {"holder": "The Authors", "year": year}
    if journal is not None and journal.licence_url.startswith(("http://", "https://")):
        meta["license_url"] = journal.licence_url
    _put(meta, "acknowledgements", submission.acknowledgements)
    _put(meta, "data_availability", submission.data_availability)
    _put(meta, "competing_interests", submission.competing_interests)
    return meta
