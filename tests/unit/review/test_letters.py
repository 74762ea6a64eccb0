"""The invitation as a letter the editor edits: pre-filled from the journal's template
(its own text when it has one) with placeholders for what is settled only on inviting;
checked, stored with the invitation and sent as written."""

from __future__ import annotations

import pytest

from frontiers_de.mail import overrides
from frontiers_de.review import services
from frontiers_de.review.models import ReviewAssignment
from tests.notifications import BASE, SETTINGS, bind_subscribers, outbox
from tests.review_factories import invite


@pytest.fixture(autouse=True)
def _subscribers(monkeypatch):
    bind_subscribers(monkeypatch)


def test_the_letter_opens_from_the_journal_template_with_placeholders(dbsession, world):
    letter = services.invitation_letter(dbsession, SETTINGS, world.submission, world.editor, "en")
    assert letter.subject.endswith(": Tutoring at scale")
    assert letter.body.startswith("Dear {{ name }},")
    for name in ("due", "accept_link", "decline_link"):
        assert "{{ " + name + " }}" in letter.body
    chinese = services.invitation_letter(dbsession, SETTINGS, world.submission, None, "zh")
    assert chinese.body.startswith("{{ name }}，您好：")
    # The journal's own text is the one the editor starts from.
    overrides.save(
        dbsession,
        world.journal,
        "review_invitation",
        "en",
        "Would you review {{ title }}?",
        "Dear {{ name }}: {{ accept_link }} / {{ decline_link }} by {{ due }}",
        None,
    )
    letter = services.invitation_letter(dbsession, SETTINGS, world.submission, world.editor, "en")
    assert letter.subject == "Would you review Tutoring at scale?"
    assert letter.body == "Dear {{ name }}: {{ accept_link }} / {{ decline_link }} by {{ due }}"


def test_the_edited_letter_is_stored_and_sent_as_written(dbsession, world):
    body = (
        "Dear {{ name }}, a short paper for you by {{ due }}.\n"
        "{{ accept_link }}\n{{ decline_link }}"
    )
    invitation = invite(dbsession, world, letter=("For you, {{ name }}", body))
    assignment = invitation.assignment
    assert (assignment.letter_subject, assignment.letter_body) == ("For you, {{ name }}", body)
    (mail,) = outbox(dbsession, "review_invitation")
    name = world.reviewer.display_name
    link = f"{BASE}/review/invitations/{invitation.token}"
    assert mail.subject == f"For you, {name}"
    assert mail.body_text == (
        f"Dear {name}, a short paper for you by 2026-12-15.\n"
        f"{link}?answer=accept\n{link}?answer=decline\n"
    )


def test_a_letter_without_its_answer_links_is_refused_and_nothing_is_saved(dbsession, world):
    with pytest.raises(services.ReviewError) as caught:
        invite(
            dbsession, world, letter=("Hi", "Dear {{ name }}, please review it: {{ accept_link }}")
        )
    assert "{{ decline_link }}" in caught.value.message.interpolate()
    assert dbsession.query(ReviewAssignment).count() == 0
    assert outbox(dbsession, "review_invitation") == []
