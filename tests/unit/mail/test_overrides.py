"""A journal's own email templates: rendered in the sandbox, checked before they are
saved, chosen per language with the default files behind them."""

from __future__ import annotations

import pytest

from frontiers_de.mail import overrides
from frontiers_de.mail.services import default_source, queue_email, render_email
from tests.factories import JournalFactory, make_journal, make_user
from tests.notifications import SETTINGS

RESET = {"name": "Ada", "reset_url": "https://x.example/r/1", "valid_hours": 2}


def _save(db, journal, subject, body, lang="en", template="accounts_reset"):
    return overrides.save(db, journal, template, lang, subject, body, None)


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__ }}",
        "{{ name.__class__.__mro__ }}",
        "{{ journal.__init__.__globals__ }}",
        "{{ name.format.__globals__ }}",
    ],
)
def test_the_sandbox_refuses_python_internals(dbsession, body):
    journal = make_journal(dbsession)
    with pytest.raises(overrides.OverrideError) as caught:
        _save(dbsession, journal, "Reset", f"Dear {{{{ name }}}}, {body} {{{{ reset_url }}}}")
    assert "body" in caught.value.errors
    assert overrides.find(dbsession, journal.id, "accounts_reset", "en") is None


def test_the_journal_is_its_titles_not_the_database_row(dbsession):
    journal = make_journal(dbsession)
    with pytest.raises(overrides.OverrideError) as caught:
        _save(dbsession, journal, "Reset", "{{ journal.doi_prefix }} {{ reset_url }}")
    assert "fails with the example values" in str(caught.value.errors["body"].interpolate())


def test_unknown_variables_and_syntax_errors_are_named(dbsession):
    journal = make_journal(dbsession)
    with pytest.raises(overrides.OverrideError) as caught:
        _save(dbsession, journal, "Hello {{ title }}", "Dear {{ name }}, {% if %}")
    errors = {k: v.interpolate() for k, v in caught.value.errors.items()}
    assert errors["subject"] == (
        "This email has no variable title. Use the variables listed beside the form."
    )
    assert errors["body"].startswith("Line 1: ")
    with pytest.raises(overrides.OverrideError) as caught:
        _save(dbsession, journal, "Reset\nsecond line", "{{ password }}")
    assert set(caught.value.errors) == {"subject", "body"}


def test_the_default_text_saves_as_an_override_unchanged(dbsession):
    journal = make_journal(dbsession)
    for template in ("editorial_revision_received", "review_invitation", "accounts_verify"):
        for lang in ("en", "zh"):
            subject, body = default_source(SETTINGS, template, lang)
            overrides.save(dbsession, journal, template, lang, subject, body, None)


def test_override_is_used_per_language_with_the_default_behind(dbsession):
    journal = make_journal(dbsession)
    _save(dbsession, journal, "New password, {{ name }}", "Go to {{ reset_url }} now.")
    context = {**RESET, "journal": journal}
    english = render_email(SETTINGS, "accounts_reset", {**context, "lang": "en"}, dbsession)
    assert (english.subject, english.body_text) == (
        "New password, Ada",
        "Go to https://x.example/r/1 now.\n",
    )
    # A language the templates do not come in gets the English override.
    assert render_email(
        SETTINGS, "accounts_reset", {**context, "lang": "fr"}, dbsession
    ).subject == ("New password, Ada")
    # Chinese has no override: the default Chinese file.
    chinese = render_email(SETTINGS, "accounts_reset", {**context, "lang": "zh"}, dbsession)
    assert chinese.subject.startswith("重设您在")
    # Another journal, and rendering without a database, keep the defaults.
    other = JournalFactory(db=dbsession, code="other", title="Other")
    assert render_email(
        SETTINGS, "accounts_reset", {**RESET, "journal": other}, dbsession
    ).subject.startswith("Set a new password")
    assert render_email(SETTINGS, "accounts_reset", context).subject.startswith("Set a new")
    # Restoring the default deletes the override.
    assert overrides.restore_default(dbsession, journal.id, "accounts_reset", "en")
    assert not overrides.restore_default(dbsession, journal.id, "accounts_reset", "en")
    assert render_email(SETTINGS, "accounts_reset", context, dbsession).subject.startswith("Set")


def test_queued_email_carries_the_override_text_only(dbsession):
    journal = make_journal(dbsession)
    _save(
        dbsession,
        journal,
        "Your password",
        "Choose it: {{ set_password_url }}",
        template="accounts_set_password",
    )
    row = queue_email(
        dbsession,
        SETTINGS,
        "accounts_set_password",
        ["ada@example.org"],
        {"name": "Ada", "set_password_url": "https://x.example/s/1"},
        journal,
    )
    assert (row.subject, row.body_text, row.body_html) == (
        "Your password",
        "Choose it: https://x.example/s/1\n",
        "",  # the default has an HTML part; an override is text only
    )


def test_an_override_that_fails_when_sent_falls_back_to_the_default(dbsession):
    journal = make_journal(dbsession)
    _save(dbsession, journal, "Reset", "{{ reset_url }} in {{ valid_hours + 1 }} hours")
    broken = {**RESET, "valid_hours": "two", "journal": journal}
    mail = render_email(SETTINGS, "accounts_reset", broken, dbsession)
    assert mail.subject.startswith("Set a new password")


def test_saving_again_updates_and_records_who(dbsession):
    journal = make_journal(dbsession)
    admin = make_user(dbsession)
    overrides.save(dbsession, journal, "accounts_reset", "zh", "一", "{{ reset_url }}", admin)
    row = overrides.save(dbsession, journal, "accounts_reset", "zh", "二", "{{ reset_url }}", admin)
    assert (row.subject, row.updated_by_id) == ("二", admin.id)
    assert overrides.customised(dbsession, journal.id) == {("accounts_reset", "zh")}
