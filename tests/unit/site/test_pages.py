"""The /about pages: the shipped default in each language, the admin's text replacing it for
one language, the fallback to the journal's language, and refusals that keep what is saved."""

from __future__ import annotations

import pytest

from frontiers_de.i18n import LANGUAGES
from frontiers_de.site import pages
from tests.factories import make_journal, make_user


def _same(message):
    return str(message)


def test_every_page_ships_a_default_in_every_language():
    for kind in pages.PAGES:
        for language in LANGUAGES:
            body = pages.default_body(kind.slug, language)
            assert body and body.strip(), (kind.slug, language)


def test_unknown_pages_and_languages_have_no_default():
    assert pages.default_body("../etc/passwd", "en") is None
    assert pages.default_body("fees", "xx") is None
    assert pages.default_body("fees", "../en") is None


def test_the_admins_text_replaces_the_default_for_its_language_only(dbsession):
    journal = make_journal(dbsession)
    admin = make_user(dbsession)
    shown = pages.page_in(dbsession, journal, "fees", "en", _same)
    assert not shown.customised and shown.title == "Fees" and "no fees" in shown.body
    pages.save_page(dbsession, journal.id, "fees", "en", "Charges", "Nothing, ever.", admin)
    shown = pages.page_in(dbsession, journal, "fees", "en", _same)
    assert shown.customised and shown.title == "Charges" and shown.body == "Nothing, ever."
    assert "<p>Nothing, ever.</p>" in str(shown.html)
    chinese = pages.page_in(dbsession, journal, "fees", "zh", _same)
    assert not chinese.customised and chinese.language == "zh" and "免费" in chinese.body
    # Saving again replaces the row, never adds one.
    pages.save_page(dbsession, journal.id, "fees", "en", "Charges", "Still nothing.", admin)
    assert len(pages.overview(dbsession, journal.id)) == 1
    assert pages.restore_default(dbsession, journal.id, "fees", "en")
    assert not pages.page_in(dbsession, journal, "fees", "en", _same).customised
    assert not pages.restore_default(dbsession, journal.id, "fees", "en")


def test_a_language_without_text_falls_back_to_the_journals(dbsession, monkeypatch):
    journal = make_journal(dbsession)
    monkeypatch.setattr(pages, "default_body", lambda slug, lang: "text" if lang == "en" else None)
    shown = pages.page_in(dbsession, journal, "contact", "zh", _same)
    assert shown.language == "en" and shown.body == "text"


def test_no_such_page(dbsession):
    journal = make_journal(dbsession)
    assert pages.page_in(dbsession, journal, "secret", "en", _same) is None


@pytest.mark.parametrize(
    ("slug", "language", "title", "body", "field"),
    [
        ("nope", "en", "T", "B", "slug"),
        ("fees", "xx", "T", "B", "language"),
        ("fees", "en", "  ", "B", "title"),
        ("fees", "en", "T" * 201, "B", "title"),
        ("fees", "en", "T", "   ", "body"),
        ("fees", "en", "T", "B" * 50_001, "body"),
    ],
)
def test_refused_pages_name_the_field_and_keep_what_was_saved(
    dbsession, slug, language, title, body, field
):
    journal = make_journal(dbsession)
    pages.save_page(dbsession, journal.id, "fees", "en", "Charges", "Kept.", None)
    with pytest.raises(pages.PageError) as refused:
        pages.save_page(dbsession, journal.id, slug, language, title, body, None)
    assert refused.value.field == field
    assert pages.stored(dbsession, journal.id, "fees", "en").body == "Kept."
