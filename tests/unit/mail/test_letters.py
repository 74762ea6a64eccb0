"""Letters the editor edits: checked for the placeholders they may and must keep, sent as
written with only those placeholders filled."""

from __future__ import annotations

import pytest

from frontiers_de.mail.letters import LETTER_KEY, EditedLetter, LetterError, check_letter
from frontiers_de.mail.services import render_email
from tests.notifications import SETTINGS

BODY = "Dear {{ name }}, review by {{ due }}? {{ accept_link }} or {{ decline_link }}."


def test_an_invitation_keeps_its_answer_links():
    letter = check_letter("review_invitation", " Please review ", BODY + "\r\n")
    assert letter == EditedLetter("Please review", BODY)
    with pytest.raises(LetterError) as caught:
        check_letter("review_invitation", "Please review", BODY.replace("{{ decline_link }}", ""))
    assert "{{ decline_link }}" in caught.value.message.interpolate()


@pytest.mark.parametrize(
    ("template", "subject", "body", "words"),
    [
        ("review_invitation", "", BODY, "subject"),
        ("review_invitation", "a\nb", BODY, "subject"),
        ("review_invitation", "Hi", "short", "text of the email"),
        ("review_invitation", "Hi", BODY + " {{ abstract }}", "remove {{ abstract }}"),
        ("editorial_decision", "Hi", "Dear {{ name }}, we accept the paper.", "remove"),
    ],
)
def test_bad_letters_are_refused_clearly(template, subject, body, words):
    with pytest.raises(LetterError) as caught:
        check_letter(template, subject, body)
    assert words in caught.value.message.interpolate()


def test_the_edited_letter_is_sent_as_written():
    letter = check_letter("review_invitation", "Review {{ name }}? {% if x %}", BODY)
    context = {
        "name": "Ada",
        "due": "2027-01-01",
        "accept_link": "https://a",
        "decline_link": "https://d",
        "title": "{{ accept_link }} in a title stays as the author wrote it",
        LETTER_KEY: letter,
    }
    mail = render_email(SETTINGS, "review_invitation", context)
    assert mail.subject == "Review Ada? {% if x %}"  # plain text: nothing evaluated
    assert mail.body_text == "Dear Ada, review by 2027-01-01? https://a or https://d.\n"
    assert mail.body_html == ""
