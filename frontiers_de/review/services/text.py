"""Free text from the review forms: control characters removed, line ends made one,
and the length limits of names, short answers and comments."""

from __future__ import annotations

import re
from typing import Any

from frontiers_de.i18n import _
from frontiers_de.review.assignments import ReviewError

MAX_TEXT = 50000  # comments
MAX_SHORT_TEXT = 2000  # decline reason, suggestion
MAX_NAME = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any, limit: int) -> str:
    text = _CONTROL.sub("", str(value or "")).replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ReviewError(
            _("The text is too long: at most ${max} characters.", mapping={"max": limit})
        )
    return text
