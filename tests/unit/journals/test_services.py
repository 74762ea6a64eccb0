"""The default journal and the section rules."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from frontiers_de.journals.models import Journal, Section
from frontiers_de.journals.services import (
    JournalSettingsError,
    add_section,
    ensure_default_journal,
    move_section,
    update_journal,
    update_section,
)


def test_default_journal_is_created_once(dbsession):
    journal = ensure_default_journal(dbsession, {})
    assert journal.title == "Frontiers of Digital Education"
    assert journal.doi_prefix == "10.5555"
    assert "CC BY 4.0" in journal.licence_name
    assert [s.name for s in journal.sections] == [
        "Research Article",
        "Review",
        "Perspective",
        "Editorial",
        "Case Study",
    ]
    assert ensure_default_journal(dbsession, {}) is journal
    assert dbsession.scalar(select(func.count(Journal.id))) == 1
    assert dbsession.scalar(select(func.count(Section.id))) == 5


def test_default_journal_reads_settings(dbsession):
    journal = ensure_default_journal(
        dbsession, {"fde.default_journal": "other", "fde.journal.doi_prefix": "10.99999"}
    )
    assert (journal.code, journal.doi_prefix) == ("other", "10.99999")


def test_sections_add_rename_move_deactivate(dbsession):
    journal = ensure_default_journal(dbsession, {})
    added = add_section(dbsession, journal, "Brief Report", "简报", "brief-report")
    assert added.code == "brief-report" and added.position == 5
    with pytest.raises(JournalSettingsError):
        add_section(dbsession, journal, "review")
    move_section(journal, added, -1)
    assert [s.code for s in sorted(journal.sections, key=lambda s: s.position)][-2:] == [
        "brief-report",
        "case-study",
    ]
    move_section(journal, journal.sections[0], -1)  # already first: stays
    update_section(journal, added, {"name": "Short Report", "is_active": False})
    assert (added.name, added.is_active) == ("Short Report", False)
    with pytest.raises(JournalSettingsError):
        update_section(journal, added, {"name": "Editorial"})


def test_last_active_section_stays_active(dbsession):
    journal = ensure_default_journal(dbsession, {})
    *others, last = journal.sections
    for s in others:
        update_section(journal, s, {"is_active": False})
    with pytest.raises(JournalSettingsError):
        update_section(journal, last, {"is_active": False})


def test_print_and_online_issn_differ(dbsession):
    journal = ensure_default_journal(dbsession, {})
    with pytest.raises(JournalSettingsError):
        update_journal(journal, {"issn_print": "0317-8471", "issn_online": "0317-8471"})
    assert journal.issn_print == ""
