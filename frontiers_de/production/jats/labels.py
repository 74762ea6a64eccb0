"""The interface words of the reader HTML, in the reader's language, per request.

The stored reader HTML (``html.py``, made once per JATS) is the same for every reader: the
stylesheet writes each word of the interface (Received, References, the screen-reader
labels ...) in English and marks it with its key, ``data-l10n="received"`` for the text of
the element, ``data-l10n-aria="authors"`` for its ``aria-label``, ``title`` and ``alt``
(and its text when that is the same label). :func:`localise` puts the reader's language in
with one regular-expression pass over the stored string, so the article is never
transformed again per request; English pages are returned as stored.

A label may carry a value (``Volume 3``, ``ORCID iD of Wang Fang``): its English text is
read back through the English message (``Volume ${number}``) and the value put into the
translation. A text that does not have the English shape (a publisher's own ``Fig. 1``,
a label already in another language) is left as it stands.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from pyramid.i18n import TranslationString

from frontiers_de.i18n import html_lang, pgettext

# The translation context of these words in the catalog: "Title" of an article is not
# "Title" of a journal, and "Published" on a date line is not "Published" as a state.
CONTEXT = "article page"


@dataclass(frozen=True)
class Label:
    """One interface word of the article page: its messages, tried in order (a label whose
    English wording changed keeps its older form readable)."""

    messages: tuple[TranslationString, ...]

    @property
    def english(self) -> str:
        return str(self.messages[0])


def _label(*messages: TranslationString) -> Label:
    return Label(messages)


LABELS: dict[str, Label] = {
    # header
    "authors": _label(pgettext("article page", "Authors")),
    "contributors": _label(pgettext("article page", "Other contributors")),
    "affiliations": _label(pgettext("article page", "Affiliations")),
    "corresponding-author": _label(pgettext("article page", "Corresponding author")),
    "correspondence": _label(pgettext("article page", "Correspondence:")),
    "orcid-of": _label(pgettext("article page", "ORCID iD of ${name}")),
    # a contributor's part when the JATS names it only by its contrib-type
    "contrib-type": _label(
        pgettext("article page", "editor"),
        pgettext("article page", "guest-editor"),
        pgettext("article page", "reviewer"),
        pgettext("article page", "translator"),
    ),
    # the article's dates, numbers and licence
    "citation": _label(pgettext("article page", "Citation")),
    "volume": _label(pgettext("article page", "Volume ${number}")),
    "issue": _label(pgettext("article page", "issue ${number}")),
    "elocation": _label(pgettext("article page", "article ${number}")),
    "pages": _label(pgettext("article page", "pages ${pages}")),
    "received": _label(pgettext("article page", "Received")),
    "revised": _label(pgettext("article page", "Revised")),
    "accepted": _label(pgettext("article page", "Accepted")),
    "published": _label(pgettext("article page", "Published")),
    "copyright": _label(pgettext("article page", "Copyright and licence")),
    "funding": _label(pgettext("article page", "Funding")),
    # headings the article does not name itself
    "abstract": _label(pgettext("article page", "Abstract")),
    "keywords": _label(pgettext("article page", "Keywords")),
    "acknowledgements": _label(pgettext("article page", "Acknowledgements")),
    "references": _label(pgettext("article page", "References")),
    "notes": _label(pgettext("article page", "Notes")),
    # figures, tables, files
    "figure": _label(
        pgettext("article page", "Figure ${number}"), pgettext("article page", "Fig. ${number}")
    ),
    "table": _label(pgettext("article page", "Table ${number}")),
    "image": _label(pgettext("article page", "Image")),
    "formula": _label(pgettext("article page", "Formula")),
    "image-description": _label(pgettext("article page", "Image description")),
    "full-size": _label(
        pgettext("article page", "View full size ${label}"),
        pgettext("article page", "View full size"),
    ),
    "download": _label(
        pgettext("article page", "Download ${label}"), pgettext("article page", "Download")
    ),
    # links back
    "back-to-text": _label(pgettext("article page", "Back to the text")),
    "back-to-citation": _label(
        pgettext("article page", "Back to citation ${number} of reference ${reference}"),
        pgettext("article page", "Back to citation ${number}"),
    ),
}

# The section (article type) heading is the journal's own word: translated through the
# journal's sections (see :func:`localise`), not the catalog.
SECTION_KEY = "section"

_VARIABLE = re.compile(r"\$\{(\w+)\}")

# An opening tag that carries a mark, and the text right after it (up to the next tag).
# The serialiser escapes < and > inside attribute values, so [^<>] stays within the tag.
_MARKED = re.compile(
    r"<(?P<name>[a-z][a-z0-9]*)(?P<attrs>\s[^<>]*?data-l10n[^<>]*)>(?P<text>[^<]*)"
)
_ATTRIBUTE = re.compile(
    r"""\s(?P<key>[a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+)))?"""
)
_TRANSLATED_ATTRIBUTES = ("aria-label", "title", "alt")


@cache
def _pattern(message: str) -> re.Pattern[str]:
    """The English message as a pattern that reads its values back out of the text."""
    parts: list[str] = []
    last = 0
    for variable in _VARIABLE.finditer(message):
        parts.append(re.escape(message[last : variable.start()]))
        parts.append(f"(?P<{variable.group(1)}>.+?)")
        last = variable.end()
    parts.append(re.escape(message[last:]))
    return re.compile("".join(parts) + r"\Z", re.S)


Translate = Callable[[TranslationString], str]


def _translated(label: Label, english: str, translate: Translate) -> str | None:
    """``english`` (a label's text as stored) in the reader's language, or None when it is
    not the label's English wording."""
    text = " ".join(english.split())
    for message in label.messages:
        found = _pattern(str(message)).match(text)
        if found:
            return translate(
                TranslationString(
                    message,
                    domain=message.domain,
                    context=message.context,
                    mapping=found.groupdict(),
                )
            )
    return None


def _attributes(attrs: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for found in _ATTRIBUTE.finditer(attrs):
        value = found.group("dq")
        if value is None:
            value = found.group("sq")
        if value is None:
            value = found.group("bare")
        out.append((found.group("key"), None if value is None else html.unescape(value)))
    return out


def localise(
    stored: str,
    translate: Translate,
    locale: str,
    sections: Mapping[str, str] | None = None,
) -> str:
    """The stored reader HTML with its interface words in ``locale``.

    ``translate`` is the request's (``request.localizer.translate``); ``sections`` maps the
    journal's section names to their names in ``locale`` (the article-type line). English
    is the stored language: the HTML is returned as it is.
    """
    if locale == "en" or "data-l10n" not in stored:
        return stored
    sections = sections or {}
    lang = html_lang(locale)

    def word(key: str | None, english: str) -> str | None:
        if key is None:
            return None
        if key == SECTION_KEY:
            return sections.get(" ".join(html.unescape(english).split())) or None
        label = LABELS.get(key)
        return None if label is None else _translated(label, html.unescape(english), translate)

    def replace(found: re.Match[str]) -> str:
        attributes = _attributes(found.group("attrs"))
        marks = dict(attributes)
        if "data-l10n" not in marks and "data-l10n-aria" not in marks:
            return found.group(0)  # the words "data-l10n" in some other attribute
        text_key = marks.get("data-l10n") or marks.get("data-l10n-aria")
        aria_key = marks.get("data-l10n-aria")
        rebuilt = []
        for key, value in attributes:
            if key in _TRANSLATED_ATTRIBUTES and value is not None:
                value = word(aria_key, value) or value
            if value is None:
                rebuilt.append(f" {key}")
            else:
                rebuilt.append(f' {key}="{html.escape(value, quote=True)}"')
        text = found.group("text")
        if text.strip():
            new = word(text_key, text)
            if new is not None:
                text = html.escape(new, quote=False)
                # the word is in the reader's language, whatever the article's
                if "lang" not in marks:
                    rebuilt.append(f' lang="{lang}"')
        return f"<{found.group('name')}{''.join(rebuilt)}>{text}"

    # Only the marked tags are looked at: find each mark, go back to its tag's "<".
    out: list[str] = []
    done = 0
    while (mark := stored.find("data-l10n", done)) >= 0:
        start = stored.rfind("<", done, mark)
        found = _MARKED.match(stored, start) if start >= 0 else None
        if found is None:  # the words in some text, not a mark
            out.append(stored[done : mark + 9])
            done = mark + 9
            continue
        out.append(stored[done:start])
        out.append(replace(found))
        done = found.end()
    out.append(stored[done:])
    return "".join(out)
