"""What a figure's alt text and long description may be: the rules both forms (the author's
at submission, the production editor's on the JATS) and the house rules share.

Alt text is one line of at most :data:`ALT_TEXT_MAX` characters: longer alt text is tiring to
hear and cannot be skimmed, so the detail belongs in the long description (at most
:data:`LONG_DESC_MAX`, its line breaks kept). Neither is the caption, which every reader gets
beside the image (:func:`repeats_caption`). Text only: no database, no JATS.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pyramid.i18n import TranslationString

from frontiers_de.i18n import _

ALT_TEXT_MAX = 250
LONG_DESC_MAX = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DescriptionRefused(ValueError):
    """Text that cannot be a figure's description; ``code`` says why (``alt-too-long``,
    ``long-desc-too-long``, ``alt-repeats-caption``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def clean_alt_text(text: str) -> str:
    """Alt text as it is kept: one line, no control characters; refused when longer than
    :data:`ALT_TEXT_MAX` characters."""
    cleaned = " ".join(_CONTROL.sub(" ", text or "").split())
    if len(cleaned) > ALT_TEXT_MAX:
        raise DescriptionRefused("alt-too-long")
    return cleaned


def clean_long_desc(text: str) -> str:
    """A long description as it is kept: its lines, each with spaces collapsed, no control
    characters, no empty lines at either end and at most one empty line in a row; refused
    over :data:`LONG_DESC_MAX` characters."""
    lines = _CONTROL.sub(" ", (text or "").replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    cleaned = "\n".join(" ".join(line.split()) for line in lines).strip()
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    if len(cleaned) > LONG_DESC_MAX:
        raise DescriptionRefused("long-desc-too-long")
    return cleaned


def _comparable(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()


def repeats_caption(alt_text: str, shown: Iterable[str], label: str = "") -> bool:
    """Whether ``alt_text`` only repeats text shown beside the image (``shown``: the whole
    caption, its title), alone or after the ``label`` ("Figure 2. Scores by group."),
    compared without case, punctuation or spacing."""
    alt = _comparable(alt_text)
    if not alt:
        return False
    texts = [s for s in shown if s]
    candidates = {_comparable(s) for s in texts}
    candidates |= {_comparable(f"{label} {s}") for s in texts if label}
    return alt in candidates


# The form field each refusal belongs to.
ALT_TEXT_FIELD = "alt_text"
LONG_DESC_FIELD = "long_desc"


def refusal(code: str) -> tuple[TranslationString, str]:
    """The reader's words for a refused description (``DescriptionRefused.code``) and the
    form field they belong to."""
    if code == "alt-too-long":
        message = _(
            "The alt text is longer than ${max} characters. Keep it to a sentence that says "
            "what the image shows, and put the detail in the long description.",
            mapping={"max": ALT_TEXT_MAX},
        )
        return message, ALT_TEXT_FIELD
    if code == "alt-repeats-caption":
        message = _(
            "The alt text repeats the caption, which readers already get beside the image. "
            "Say what the image shows instead."
        )
        return message, ALT_TEXT_FIELD
    message = _(
        "The long description is longer than ${max} characters.",
        mapping={"max": LONG_DESC_MAX},
    )
    return message, LONG_DESC_FIELD
