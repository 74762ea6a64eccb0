"""The 14 CRediT contributor roles: their names (the stored values and JATS vocab terms),
their NISO identifiers' slugs and their names in the interface, in one table.

A role may arrive spelled otherwise (``writing-original-draft`` from an import or old demo
data, "Writing - Original Draft" from a form): :func:`credit_role` reads any of them, and
every page shows the role by its translated name, never by the slug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyramid.i18n import TranslationString

from frontiers_de.i18n import _


@dataclass(frozen=True)
class CreditRole:
    name: str  # the CRediT name, as the metadata schema and JATS vocab-term spell it
    slug: str  # https://credit.niso.org/contributor-roles/<slug>/
    label: TranslationString  # the name in the interface


CREDIT_ROLES: tuple[CreditRole, ...] = (
    CreditRole("Conceptualization", "conceptualization", _("Conceptualization")),
    CreditRole("Data curation", "data-curation", _("Data curation")),
    CreditRole("Formal analysis", "formal-analysis", _("Formal analysis")),
    CreditRole("Funding acquisition", "funding-acquisition", _("Funding acquisition")),
    CreditRole("Investigation", "investigation", _("Investigation")),
    CreditRole("Methodology", "methodology", _("Methodology")),
    CreditRole("Project administration", "project-administration", _("Project administration")),
    CreditRole("Resources", "resources", _("Resources")),
    CreditRole("Software", "software", _("Software")),
    CreditRole("Supervision", "supervision", _("Supervision")),
    CreditRole("Validation", "validation", _("Validation")),
    CreditRole("Visualization", "visualization", _("Visualization")),
    CreditRole("Writing – original draft", "writing-original-draft", _("Writing – original draft")),
    CreditRole(
        "Writing – review & editing", "writing-review-editing", _("Writing – review & editing")
    ),
)

_SEPARATORS = re.compile(r"[\s\-–—&]+")


def _key(value: str) -> str:
    return _SEPARATORS.sub(" ", value).strip().casefold()


_BY_KEY = {_key(k): role for role in CREDIT_ROLES for k in (role.name, role.slug)}


def credit_role(value: object) -> CreditRole | None:
    """The role ``value`` names (its CRediT name or slug, in any case, with hyphens, dashes
    or spaces), or None."""
    return _BY_KEY.get(_key(str(value)))
