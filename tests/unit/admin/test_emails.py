"""The admin's view of the email templates: the state per language, the text to start from,
and the submissions a preview may use (the journal's submitted papers only)."""

from __future__ import annotations

import pytest

from frontiers_de.admin import emails
from frontiers_de.mail import overrides
from frontiers_de.submissions.models import SubmissionState
from tests.factories import JournalFactory, make_journal, make_user
from tests.notifications import SETTINGS
from tests.submission_factories import SubmissionFactory


def test_rows_say_which_language_is_the_journals_own(dbsession):
    journal = make_journal(dbsession)
    overrides.save(dbsession, journal, "accounts_reset", "zh", "重设", "{{ reset_url }}", None)
    rows = {r.template.name: r.customised for r in emails.template_rows(dbsession, journal.id)}
    assert rows["accounts_reset"] == {"en": False, "zh": True}
    assert rows["review_invitation"] == {"en": False, "zh": False}
    subject, body, row = emails.current_text(
        dbsession, SETTINGS, journal.id, "accounts_reset", "zh"
    )
    assert (subject, body, row is not None) == ("重设", "{{ reset_url }}\n", True)
    subject, body, row = emails.current_text(
        dbsession, SETTINGS, journal.id, "accounts_reset", "en"
    )
    assert subject.startswith("Set a new password") and "{{ reset_url }}" in body and row is None


def test_a_preview_uses_only_a_submitted_paper_of_the_journal(dbsession):
    journal = make_journal(dbsession)
    other = JournalFactory(db=dbsession, code="other", title="Other")
    author = make_user(dbsession, given_name="Ada", family_name="Author")
    older = SubmissionFactory(db=dbsession, journal=journal, submitter=author, title="Older")
    newer = SubmissionFactory(db=dbsession, journal=journal, submitter=author, title="Newer")
    draft = SubmissionFactory(
        db=dbsession, journal=journal, submitter=author, state=SubmissionState.DRAFT
    )
    foreign = SubmissionFactory(db=dbsession, journal=other, submitter=author)
    assert emails.preview_submission(dbsession, journal.id, None).id in (older.id, newer.id)
    assert emails.preview_submission(dbsession, journal.id, str(older.id)) is older
    for asked in (str(draft.id), str(foreign.id), "999999", "1e3", "-1", "²"):
        with pytest.raises(LookupError):
            emails.preview_submission(dbsession, journal.id, asked)
    mail = emails.preview(dbsession, SETTINGS, journal, "submissions_received", "en", older)
    assert mail.subject == f"Submission {older.id} received: Older"
    assert mail.body_text.startswith("Dear Ada Author,")
