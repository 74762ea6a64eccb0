"""The account forms: which fields each has, their limits and checks."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

from frontiers_de import identifiers
from frontiers_de.accounts.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH
from frontiers_de.accounts.passwords import password_problem
from frontiers_de.forms import Field, FieldError, FormResult, split_terms
from frontiers_de.i18n import LANGUAGES, _

# Deliberately loose (RFC 5322 allows far more than people use); the verification email is
# the real test of an address.
_EMAIL = re.compile(
    r"^[^@\s<>(),;:\"\[\]\\]{1,64}@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\.]{2,}$"
)


def check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise FieldError(_("Enter an email address like name@example.org."))
    return value


def check_orcid(value: str) -> str:
    try:
        return identifiers.check_orcid(value)
    except ValueError as exc:
        if str(exc) == "checksum":
            raise FieldError(
                _("This ORCID iD has a wrong check digit (the last character); please check it.")
            ) from exc
        raise FieldError(
            _("Enter an ORCID iD like 0000-0002-1825-0097 (16 characters, the last may be X).")
        ) from exc


def check_ror(value: str) -> str:
    try:
        return identifiers.check_ror(value)
    except ValueError as exc:
        if str(exc) == "checksum":
            raise FieldError(
                _("This ROR id has a wrong check sum (the last two digits); please check it.")
            ) from exc
        raise FieldError(_("Enter a ROR id like 03vek6s52 or https://ror.org/03vek6s52.")) from exc


@cache
def country_names(locale: str = "en") -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> country name in ``locale`` (from Babel's CLDR data)."""
    territories = Locale.parse(locale).territories
    return dict(
        sorted(
            (
                (code, name)
                for code, name in territories.items()
                if re.fullmatch(r"[A-Z]{2}", code)
                and code not in {"ZZ", "XA", "XB", "EU", "EZ", "UN", "QO"}
            ),
            key=lambda item: item[1],
        )
    )


def check_country(value: str) -> str:
    code = value.upper()
    if code not in country_names():
        raise FieldError(_("Choose a country from the list."))
    return code


def check_language(value: str) -> str:
    if value not in LANGUAGES:
        raise FieldError(_("Choose English or Chinese."))
    return value


MAX_INTERESTS = 10
MAX_INTEREST_LENGTH = 80


def check_interests(value: str) -> list[str]:
    """Research interests from a comma-separated line (Chinese commas too), each once."""
    terms = split_terms(value)
    if len(terms) > MAX_INTERESTS:
        raise FieldError(
            _(
                "At most ${max} research interests, please (you gave ${count}).",
                mapping={"max": MAX_INTERESTS, "count": len(terms)},
            )
        )
    if any(len(t) > MAX_INTEREST_LENGTH for t in terms):
        raise FieldError(
            _(
                "A research interest is longer than ${max} characters: separate them with commas.",
                mapping={"max": MAX_INTEREST_LENGTH},
            )
        )
    return terms


EMAIL = Field("email", max_length=254, required=True, check=check_email)
PASSWORD = Field("password", max_length=PASSWORD_MAX_LENGTH, required=True, strip=False)
# Longer than the password rule allows, so that an over-long password gets the password
# rule's own message rather than the generic field limit.
NEW_PASSWORD = Field("password", max_length=4096, required=True, strip=False)
PASSWORD_CONFIRM = Field("password_confirm", max_length=4096, required=True, strip=False)
LANGUAGE = Field("preferred_language", max_length=10, required=True, check=check_language)

REGISTER_FIELDS = (
    EMAIL,
    Field("given_name", max_length=200, required=True),
    Field("family_name", max_length=200),
    NEW_PASSWORD,
    PASSWORD_CONFIRM,
    LANGUAGE,
)
LOGIN_FIELDS = (EMAIL, PASSWORD)
RESET_REQUEST_FIELDS = (EMAIL,)
RESET_FIELDS = (NEW_PASSWORD, PASSWORD_CONFIRM)
CHANGE_PASSWORD_FIELDS = (
    Field("current_password", max_length=PASSWORD_MAX_LENGTH, required=True, strip=False),
    NEW_PASSWORD,
    PASSWORD_CONFIRM,
)
# The new address and the current password (never stripped: spaces may be part of it).
EMAIL_CHANGE_FIELDS = (EMAIL, PASSWORD)
PROFILE_FIELDS = (
    Field("given_name", max_length=200, required=True),
    Field("family_name", max_length=200),
    Field("native_name", max_length=200),
    Field("orcid", max_length=60, check=check_orcid),
    Field("affiliation", max_length=300),
    Field("ror_id", max_length=60, check=check_ror),
    Field("country", max_length=2, check=check_country),
    LANGUAGE,
    Field("research_interests", max_length=1000, check=check_interests),
)


def check_new_password(form: FormResult, email: str = "") -> None:
    """The password rules and the confirmation, checked with the other fields so that
    every problem shows at once (the service checks the rules again before saving)."""
    password = form.values.get("password")
    if password is None:
        return
    problem = password_problem(password, email or form.values.get("email", ""))
    if problem is not None:
        form.errors["password"] = problem
    elif "password_confirm" in form.values and password != form.values["password_confirm"]:
        form.errors["password_confirm"] = _("The two passwords are not the same.")
