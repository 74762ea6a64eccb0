"""Letters the editor edits before they go: the invitation to review and the decision.

The page opens the letter pre-filled from the journal's template
(:func:`frontiers_de.mail.services.render_email` with :func:`placeholders_context`), the
editor changes it, and the edited text is stored with the invitation or the decision. The
notification sends it as it stands, through the same ``send_email`` (so the outbox row,
the recipient's preferences and delivery are those of any email): its context carries the
:class:`EditedLetter` under :data:`LETTER_KEY`, and :func:`fill` replaces the few
``{{ name }}`` placeholders the catalogue allows for the template (what is not known before
it is sent: the reviewer's name, the due date, the answer links made with the invitation).
An edited letter is plain text, never a template: nothing else in it is evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyramid.i18n import TranslationString

from frontiers_de.i18n import _
from frontiers_de.mail.catalogue import TEMPLATES

LETTER_KEY = "edited_letter"
MAX_SUBJECT = 500
MAX_BODY = 20000
MIN_BODY = 20
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class EditedLetter:
    subject: str
    body: str


class LetterError(ValueError):
    """The edited letter is refused; ``message`` is for the editor."""

    def __init__(self, message: TranslationString) -> None:
        super().__init__(str(message))
        self.message = message


def placeholder(name: str) -> str:
    return "{{ " + name + " }}"


def placeholders_context(template: str) -> dict[str, str]:
    """The values that render the template's fill-ins as placeholders, for the pre-filled
    letter (``{{ accept_link }}`` stays in the text until the invitation is sent)."""
    return {name: placeholder(name) for name in TEMPLATES[template].fill_ins}


def check_letter(template: str, subject: str, body: str) -> EditedLetter:
    """The edited subject and body, cleaned; :class:`LetterError` when a part is missing
    or too long, a placeholder is not one the letter can fill, or one it needs is gone."""
    declared = TEMPLATES[template]
    subject = _CONTROL.sub("", subject or "").strip()
    body = _CONTROL.sub("", (body or "").replace("\r\n", "\n")).strip()
    if not subject or "\n" in subject or len(subject) > MAX_SUBJECT:
        raise LetterError(
            _(
                "Write the subject of the email on one line, at most ${max} characters.",
                mapping={"max": MAX_SUBJECT},
            )
        )
    if len(body) < MIN_BODY or len(body) > MAX_BODY:
        raise LetterError(
            _(
                "Write the text of the email: ${min} to ${max} characters.",
                mapping={"min": MIN_BODY, "max": MAX_BODY},
            )
        )
    used = set(PLACEHOLDER.findall(subject)) | set(PLACEHOLDER.findall(body))
    unknown = sorted(used - set(declared.fill_ins))
    if unknown:
        raise LetterError(
            _(
                "The letter can fill in only ${allowed}; remove ${unknown}.",
                mapping={
                    "allowed": ", ".join(placeholder(n) for n in declared.fill_ins) or "—",
                    "unknown": ", ".join(placeholder(n) for n in unknown),
                },
            )
        )
    missing = [n for n in declared.required if n not in set(PLACEHOLDER.findall(body))]
    if missing:
        raise LetterError(
            _(
                "Keep ${missing} in the text: the recipient answers through these links, "
                "which are made when the email is sent.",
                mapping={"missing": ", ".join(placeholder(n) for n in missing)},
            )
        )
    return EditedLetter(subject, body)


def fill(template: str, letter: EditedLetter, context: Mapping[str, Any]) -> tuple[str, str]:
    """The letter's subject and body with its placeholders filled from ``context`` (only
    those the catalogue allows for ``template``; any other text stays as it is)."""
    allowed = set(TEMPLATES[template].fill_ins) if template in TEMPLATES else set()

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in allowed and name in context:
            return str(context[name])
        return match.group(0)

    return PLACEHOLDER.sub(value, letter.subject), PLACEHOLDER.sub(value, letter.body)
