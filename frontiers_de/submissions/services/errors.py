"""How the submission rules refuse: one message (:class:`SubmissionError`, or
:class:`StaleDraft` when the draft changed since the form was opened) or a message per
field (:class:`InvalidInput`). Nothing is changed when they are raised."""

from __future__ import annotations

from pyramid.i18n import TranslationString

from frontiers_de.forms import FormResult
from frontiers_de.i18n import _


class SubmissionError(Exception):
    """A step the rules refuse; ``message`` is for the author."""

    def __init__(self, message: TranslationString) -> None:
        super().__init__(str(message))
        self.message = message


class StaleDraft(SubmissionError):
    """The draft changed (another tab, a co-worker) since the form was opened."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            _(
                "This submission was changed elsewhere (in another window or tab) after you "
                "opened this page, so your changes were not saved. They are still in the form "
                "below: check them and save again to keep them."
            )
        )
        self.current_version = current_version


class InvalidInput(Exception):
    """Some fields are refused; ``form`` has the messages and what was sent."""

    def __init__(self, form: FormResult) -> None:
        super().__init__(", ".join(form.errors))
        self.form = form
