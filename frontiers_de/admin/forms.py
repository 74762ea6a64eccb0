"""The administration forms: journal settings, sections, role changes."""

from __future__ import annotations

import re

from frontiers_de.forms import Field, FieldError
from frontiers_de.i18n import _
from frontiers_de.identifiers import normalise_doi_prefix, normalise_issn
from frontiers_de.journals.services import ARTICLE_TYPES
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import ReviewMode


def check_issn(value: str) -> str:
    try:
        return normalise_issn(value)
    except ValueError as exc:
        if str(exc) == "checksum":
            raise FieldError(
                _("This ISSN has a wrong check digit (the last character); please check it.")
            ) from exc
        raise FieldError(
            _("Enter an ISSN like 2049-3630 (eight characters, the last may be X).")
        ) from exc


def check_doi_prefix(value: str) -> str:
    try:
        return normalise_doi_prefix(value)
    except ValueError as exc:
        raise FieldError(
            _("Enter a DOI prefix like 10.5555: “10.” and four to nine digits.")
        ) from exc


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def check_url(value: str) -> str:
    if not _URL.match(value):
        raise FieldError(_("Enter a web address starting with https:// or http://."))
    return value


def check_article_type(value: str) -> str:
    if value not in ARTICLE_TYPES:
        raise FieldError(_("Choose an article type from the list."))
    return value


def check_review_mode(value: str) -> ReviewMode:
    try:
        return ReviewMode(value)
    except ValueError:
        raise FieldError(_("Choose a review mode from the list.")) from None


def check_role(value: str) -> str:
    if value not in {r.value for r in Role}:
        raise FieldError(_("Choose a role from the list."))
    return value


def check_id(value: str) -> int:
    if not value.isdigit() or len(value) > 12:
        raise FieldError(_("This must be a number."))
    return int(value)


def check_flag(value: str) -> bool:
    if value not in ("0", "1"):
        raise FieldError(_("Choose yes or no."))
    return value == "1"


def check_direction(value: str) -> int:
    if value not in ("up", "down"):
        raise FieldError(_("Choose up or down."))
    return -1 if value == "up" else 1


JOURNAL_FIELDS = (
    Field("title", max_length=300, required=True),
    Field("title_zh", max_length=300),
    Field("abbreviation", max_length=120),
    Field("publisher", max_length=300, required=True),
    Field("publisher_location", max_length=200),
    Field("issn_print", max_length=9, check=check_issn),
    Field("issn_online", max_length=9, check=check_issn),
    Field("doi_prefix", max_length=20, required=True, check=check_doi_prefix),
    Field("licence_name", max_length=300, required=True),
    Field("licence_url", max_length=300, required=True, check=check_url),
    # A checkbox: sent as "1" when ticked, absent (off) when not.
    Field("share_reviews_with_reviewers", max_length=1, check=check_flag),
)

SECTION_ADD_FIELDS = (
    Field("name", max_length=200, required=True),
    Field("name_zh", max_length=200),
    Field("article_type", max_length=60, required=True, check=check_article_type),
    Field("review_mode", max_length=32, check=check_review_mode),
)
SECTION_UPDATE_FIELDS = (
    Field("section_id", max_length=12, required=True, check=check_id),
    Field("name", max_length=200, required=True),
    Field("name_zh", max_length=200),
    Field("article_type", max_length=60, required=True, check=check_article_type),
    Field("is_active", max_length=1, required=True, check=check_flag),
    # Optional: a form without it keeps the section's mode.
    Field("review_mode", max_length=32, check=check_review_mode),
)
SECTION_MOVE_FIELDS = (
    Field("section_id", max_length=12, required=True, check=check_id),
    Field("direction", max_length=4, required=True, check=check_direction),
)
GRANT_FIELDS = (
    Field("user_id", max_length=12, required=True, check=check_id),
    Field("role", max_length=32, required=True, check=check_role),
)
REVOKE_FIELDS = (Field("assignment_id", max_length=12, required=True, check=check_id),)
