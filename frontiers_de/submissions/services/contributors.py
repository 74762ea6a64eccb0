"""The author list: adding, changing, removing and ordering authors, with their
affiliations, ORCID iDs and CRediT roles (the role names come from the metadata JSON
Schema, their labels from :mod:`frontiers_de.submissions.credit`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de.accounts.forms import check_country, check_email, check_orcid, check_ror
from frontiers_de.accounts.models import User
from frontiers_de.forms import Field, FieldError, FormResult, read_form
from frontiers_de.i18n import _
from frontiers_de.production.jats.frontmatter import metadata_schema
from frontiers_de.submissions.credit import CREDIT_ROLES
from frontiers_de.submissions.models import Contributor, Submission
from frontiers_de.submissions.services.access import require_metadata_editable, touch
from frontiers_de.submissions.services.errors import InvalidInput, SubmissionError
from frontiers_de.submissions.services.revisions import record_correction

MAX_CONTRIBUTORS = 100
MAX_AFFILIATIONS = 3  # affiliation rows on the author form
# The languages a name in its own script may be in.
NATIVE_NAME_LANGUAGES = ("zh", "ja", "ko", "ru", "ar", "el", "he", "hi", "th", "uk", "vi")


def credit_roles() -> list[str]:
    """The 14 CRediT role names, from the metadata JSON Schema (the one list)."""
    return list(metadata_schema()["$defs"]["creditRole"]["enum"])


# Labels for the form; the stored values stay the CRediT names above (one table: credit.py).
CREDIT_LABELS: dict[str, TranslationString] = {role.name: role.label for role in CREDIT_ROLES}


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
    require_metadata_editable(submission, actor)
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
    before = contributor_values(person)
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
    if contributor_values(person) != before:
        record_correction(db, submission, actor, ["authors"])
    touch(submission)
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
    require_metadata_editable(submission, actor)
    if person.submission_id != submission.id:
        raise SubmissionError(_("This author is not part of this submission."))
    submission.contributors.remove(person)
    db.flush()
    _renumber(db, submission, list(submission.contributors))
    record_correction(db, submission, actor, ["authors"])
    touch(submission)
    db.flush()


def move_contributor(
    db: Session, submission: Submission, person: Contributor, direction: str, actor: User | None
) -> None:
    """Move an author one place up or down the author list."""
    require_metadata_editable(submission, actor)
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
    record_correction(db, submission, actor, ["authors"])
    touch(submission)
    db.flush()
