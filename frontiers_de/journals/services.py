"""Journal settings and sections: the defaults of Frontiers of Digital Education (in one
place), and the rules for editing them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.config import JournalProfile, SiteSettings
from frontiers_de.i18n import _
from frontiers_de.journals.models import Journal, Section
from frontiers_de.submissions.models import ReviewMode

DEFAULT_TITLE_ZH = "数字教育前沿"

# (code, English name, Chinese name, JATS article-type, peer reviewed)
DEFAULT_SECTIONS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("research-article", "Research Article", "研究论文", "research-article", True),
    ("review", "Review", "综述", "review-article", True),
    ("perspective", "Perspective", "观点", "article-commentary", True),
    ("editorial", "Editorial", "社论", "editorial", False),
    ("case-study", "Case Study", "案例研究", "case-report", True),
)


class JournalSettingsError(Exception):
    """A change to the journal's settings that the rules refuse."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def ensure_default_journal(db: Session, settings: Mapping[str, Any] | None = None) -> Journal:
    """The journal the installation serves (``fde.default_journal``), created with the
    journal's defaults when it is missing. Calling it again changes nothing."""
    settings = settings or {}
    profile = JournalProfile.from_settings(settings)
    code = SiteSettings.of(settings).default_journal
    journal = db.scalar(select(Journal).where(Journal.code == code))
    if journal is not None:
        return journal
    journal = Journal(
        code=code,
        title=profile.title,
        title_zh=DEFAULT_TITLE_ZH,
        abbreviation=profile.abbreviation,
        publisher=profile.publisher,
        publisher_location=profile.publisher_location,
        issn_print=profile.issn_print,
        issn_online=profile.issn_online,
        doi_prefix=profile.doi_prefix,
        journal_doi=profile.journal_doi,
        doi_suffix_pattern=profile.doi_suffix_pattern,
        licence_url=profile.licence_url,
        licence_name=profile.licence_name,
        language=profile.language,
        depositor_name=profile.depositor_name,
        depositor_email=profile.depositor_email,
        registrant=profile.registrant,
        settings={},
    )
    for position, (sec_code, name, name_zh, article_type, reviewed) in enumerate(DEFAULT_SECTIONS):
        journal.sections.append(
            Section(
                code=sec_code,
                name=name,
                name_zh=name_zh,
                article_type=article_type,
                position=position,
                is_active=True,
                peer_reviewed=reviewed,
            )
        )
    db.add(journal)
    db.flush()
    return journal


# The settings the admin page edits (validated by ``admin.forms.JOURNAL_FIELDS``).
JOURNAL_SETTINGS = (
    "title",
    "title_zh",
    "abbreviation",
    "publisher",
    "publisher_location",
    "issn_print",
    "issn_online",
    "doi_prefix",
    "licence_name",
    "licence_url",
    "share_reviews_with_reviewers",
)
# Those of them that are yes or no (a checkbox left unticked sends nothing: no).
JOURNAL_FLAGS = frozenset({"share_reviews_with_reviewers"})


def update_journal(journal: Journal, values: Mapping[str, Any]) -> Journal:
    """Save validated settings; the print and online ISSN must differ."""
    print_issn = values.get("issn_print", journal.issn_print)
    online_issn = values.get("issn_online", journal.issn_online)
    if print_issn and print_issn == online_issn:
        raise JournalSettingsError(
            _("The print and the online ISSN must be different numbers."), field="issn_online"
        )
    for name in JOURNAL_SETTINGS:
        if name in values:
            value = values[name]
            setattr(journal, name, bool(value) if name in JOURNAL_FLAGS else value)
    return journal


# The JATS ``article-type`` values a section may carry (JATS 1.3 suggested values).
ARTICLE_TYPES = (
    "research-article",
    "review-article",
    "article-commentary",
    "editorial",
    "case-report",
    "brief-report",
    "letter",
    "book-review",
    "correction",
    "retraction",
    "other",
)


def section_code(name: str) -> str:
    """A URL-friendly code from an English section name (``Case Study`` -> ``case-study``)."""
    code = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40].strip("-")
    return code or "section"


def add_section(
    db: Session,
    journal: Journal,
    name: str,
    name_zh: str = "",
    article_type: str = "research-article",
    review_mode: ReviewMode = ReviewMode.SINGLE_ANONYMOUS,
) -> Section:
    """A new active section at the end of the list, its papers reviewed in ``review_mode``."""
    code = section_code(name)
    taken = {s.code for s in journal.sections}
    base, n = code, 2
    while code in taken:
        suffix = f"-{n}"
        code = base[: 40 - len(suffix)] + suffix
        n += 1
    if any(s.name.casefold() == name.casefold() for s in journal.sections):
        raise JournalSettingsError(_("There is already a section with this name."), field="name")
    section = Section(
        code=code,
        name=name,
        name_zh=name_zh,
        article_type=article_type,
        position=max((s.position for s in journal.sections), default=-1) + 1,
        is_active=True,
        peer_reviewed=True,
        review_mode=review_mode,
    )
    journal.sections.append(section)
    db.flush()
    return section


def update_section(journal: Journal, section: Section, values: Mapping[str, Any]) -> Section:
    """Rename a section, change its article type or review mode, or (de)activate it. A
    deactivated section keeps its submissions; it is only no longer offered for new ones.
    A new review mode applies to papers submitted from now on (each submission keeps the
    mode it was submitted in; its editor may change that before review)."""
    name = values.get("name", section.name)
    if any(s.id != section.id and s.name.casefold() == name.casefold() for s in journal.sections):
        raise JournalSettingsError(_("There is already a section with this name."), field="name")
    activating = values.get("is_active", section.is_active)
    if not activating and not any(s.is_active for s in journal.sections if s.id != section.id):
        raise JournalSettingsError(_("At least one section must stay active."))
    for key in ("name", "name_zh", "article_type", "is_active", "review_mode"):
        if key in values and (key != "review_mode" or values[key]):
            setattr(section, key, values[key])
    return section


def move_section(journal: Journal, section: Section, offset: int) -> None:
    """Move a section ``offset`` places (-1 up, +1 down) and renumber the positions."""
    ordered = sorted(journal.sections, key=lambda s: (s.position, s.id))
    index = ordered.index(section)
    target = min(max(index + offset, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, s in enumerate(ordered):
        s.position = position
