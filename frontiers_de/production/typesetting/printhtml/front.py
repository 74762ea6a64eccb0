"""The front matter: masthead, title, authors, dates, licence, abstracts and keywords,
as the template's context (``templates/print/article.html.j2``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lxml import etree
from markupsafe import Markup

from frontiers_de.config import JournalProfile
from frontiers_de.production.jats.meta import ArticleMeta, text_of
from frontiers_de.production.jats.reference_style import initials
from frontiers_de.production.typesetting.printhtml.converter import BodyConverter
from frontiers_de.production.typesetting.printhtml.markup import (
    ARTICLE_TYPES,
    RTL_LANGS,
    _doi_url,
    _inner_html,
    _lang_of,
    _sub,
    _unlink_dangling,
    _web_url,
    local,
)

LANG_NAMES = {
    "en": "English",
    "zh": "中文",
    "ar": "العربية",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "pt": "Português",
    "de": "Deutsch",
}


def _fmt_date(date) -> str:
    if date is None:
        return ""
    if date.month and date.day:
        return dt.date(date.year, date.month, date.day).strftime("%-d %B %Y")
    if date.month:
        return dt.date(date.year, date.month, 1).strftime("%B %Y")
    return str(date.year)


def _licence_badge(url: str, text: str) -> str:
    """Short licence name for the badge (CC BY 4.0, CC0 …) from its URL or text."""
    m = re.search(
        r"creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)", url or "", re.I
    )
    if m:
        kind = m[2].lower()
        if m[1] == "publicdomain":
            return "CC0" if kind == "zero" else "Public domain"
        return f"CC {kind.upper()} {m[3]}"
    if "public domain" in (text or "").lower():
        return "Public domain"
    return "Licence" if (url or text) else ""


_initials = initials


def _sentence(text: str) -> str:
    """``text`` ending in one full stop (an abbreviation's own stop counts; so do ? and !)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def cite_as(meta: ArticleMeta, journal: str) -> str:
    """The "Cite as" line, in the style of the reference list:
    Surname AB, Surname CD, et al. (Year). Title. Journal, vol(issue), e-location. DOI.

    The year is the publication's; before publication (proofs) the copyright year, which
    the converter sets to the year the article will carry."""
    names = [
        f"{a.surname} {_initials(a.given_names)}".strip() if a.surname else a.display_name
        for a in meta.authors
    ]
    if len(names) > 3:
        names = [*names[:3], "et al."]
    date = meta.publication_date
    year = str(date.year) if date else meta.copyright_year
    parts = []
    if names:
        parts.append(f"{', '.join(names)} ({year})." if year else _sentence(", ".join(names)))
        if meta.title:
            parts.append(_sentence(meta.title))
    else:
        # A work without authors (a notice, an erratum) is cited by its title, then its year.
        if meta.title:
            parts.append(_sentence(meta.title))
        if year:
            parts.append(f"({year}).")
    where = journal.strip()
    if meta.volume:
        where += f", {meta.volume}"
        if meta.issue:
            where += f"({meta.issue})"
    if meta.elocation_id:
        where += f", {meta.elocation_id}"
    elif meta.fpage:
        where += f", {meta.fpage}" + (f"–{meta.lpage}" if meta.lpage else "")
    if where:
        parts.append(_sentence(where))
    if meta.doi:
        parts.append(_doi_url(meta.doi))
    return " ".join(parts)


# "Correspondence:", "Corresponding author:" … that a note starts with: the page prints its
# own label before the notes.
_CORRESPONDENCE_WORD = re.compile(
    r"^[\s*†]*(?:correspondence(?:\s+to)?|corresponding\s+authors?|通讯作者)\s*[:：]\s*", re.I
)


def _correspondence_text(note: str) -> str:
    return _CORRESPONDENCE_WORD.sub("", note.lstrip("*† ")).strip()


def _title_html(conv: BodyConverter, root: etree._Element) -> Markup:
    title = root.find("front/article-meta/title-group/article-title")
    if title is None:
        return Markup("")
    holder = etree.Element("span")
    conv.children(title, holder)
    return _inner_html(holder)


def convert_abstracts(conv: BodyConverter, meta: ArticleMeta) -> list[dict[str, Any]]:
    """The abstracts printed on the first page (not the teasers), each converted into a
    ``box`` element that :func:`abstracts_html` finishes once every id is known."""
    abstracts = []
    for abstract in meta.abstracts:
        el = abstract.element
        if el is None or abstract.abstract_type in ("toc", "teaser", "web-summary"):
            continue
        box = etree.Element("div")
        for child in el:
            if not isinstance(child.tag, str) or local(child) in ("title", "label"):
                continue
            if local(child) == "sec":
                sec = _sub(box, "div", "abstract-sec")
                title = child.find("title")
                if title is not None:
                    head = _sub(sec, "p", "abstract-sec-title")
                    conv.children(title, head)
                for part in child:
                    if isinstance(part.tag, str) and local(part) not in ("title", "label"):
                        conv.convert(part, sec)
            else:
                conv.convert(child, box)
        heading = text_of(el.find("title"))
        if abstract.abstract_type and not heading:
            heading = abstract.abstract_type.replace("-", " ").capitalize()
        lang = abstract.lang or meta.language
        abstracts.append(
            {
                "lang": lang,
                "dir": "rtl" if lang[:2] in RTL_LANGS else "",
                "heading": heading
                or (
                    "Abstract"
                    if lang.startswith("en")
                    else f"Abstract ({LANG_NAMES.get(lang[:2], lang)})"
                ),
                # A heading we write is English, whatever the abstract's language.
                "heading_lang": _english_inside(lang) if not heading else "",
                "box": box,
            }
        )
    return abstracts


def abstracts_html(
    abstracts: list[dict[str, Any]], ids: set[str]
) -> tuple[list[dict[str, Any]], int]:
    """The abstracts with their HTML, and how many of their links pointed at nothing printed
    (they were converted first, before every id they may link to was known)."""
    broken = 0
    abstract_html = []
    for a in abstracts:
        box = a.pop("box")
        broken += _unlink_dangling(box, ids)
        abstract_html.append({**a, "html": _inner_html(box)})
    return abstract_html, broken


def _author_rows(meta: ArticleMeta, aff_index: dict[str, int]) -> list[dict[str, Any]]:
    author_rows = []
    for a in meta.authors:
        marks = [str(aff_index[x]) for x in a.affiliation_ids if x in aff_index]
        author_rows.append(
            {
                "name": a.display_name,
                # Each name in its script's language, so the PDF tags it (zh, ja, ar …).
                "native": [{"lang": lang, "text": n} for lang, n in a.native_names if n],
                "marks": ",".join(marks),
                "orcid": a.orcid,
                "corresponding": a.corresponding,
                "email": a.email,
            }
        )
    return author_rows


def _dates(meta: ArticleMeta) -> list[tuple[str, str]]:
    date = meta.publication_date
    return [
        (label, _fmt_date(meta.history[key]))
        for label, key in (
            ("Received", "received"),
            ("Revised", "rev-recd"),
            ("Accepted", "accepted"),
        )
        if key in meta.history
    ] + ([("Published", _fmt_date(date))] if date else [])


def _english_inside(lang: str) -> str:
    """``"en"`` for English words printed inside text in ``lang``, if that is another
    language (the PDF's structure tree then says where the language changes), else ""."""
    return "" if not lang or lang.startswith("en") else "en"


def _keywords(meta: ArticleMeta) -> list[dict[str, Any]]:
    return [
        {
            "lang": lang,
            "dir": "rtl" if lang[:2] in RTL_LANGS else "",
            "heading_lang": _english_inside(lang),
            "heading": "Keywords"
            if lang.startswith("en")
            else f"Keywords ({LANG_NAMES.get(lang[:2], lang)})",
            "words": words,
        }
        for lang, words in meta.keywords.items()
        if words
    ]


def front_matter(
    conv: BodyConverter, root: etree._Element, meta: ArticleMeta, profile: JournalProfile
) -> dict[str, Any]:
    """The template's context for the first page, less the abstracts. The title is
    converted here, after the body and back matter (its links may point into them)."""
    journal = meta.journal_title or profile.title
    date = meta.publication_date
    authors = meta.authors
    aff_index = {aff_id: i for i, aff_id in enumerate(meta.affiliations, 1)}
    # An affiliation written in its own language (<aff xml:lang="zh">) is printed as such.
    article_meta = root.find("front/article-meta")
    affs = [] if article_meta is None else article_meta.xpath("aff | contrib-group/aff")
    aff_langs = {el.get("id"): _lang_of(el) for el in affs if el.get("id")}
    article_type = meta.heading or ARTICLE_TYPES.get(
        meta.article_type, meta.article_type.replace("-", " ").title()
    )
    # PLOS and others start the note with its own "*" mark; the template prints one.
    corresponding = [_correspondence_text(c) for c in meta.correspondence] or [
        f"{a.display_name}, {a.email}" for a in authors if a.corresponding and a.email
    ]
    other_notes = [t for k, t in meta.author_notes if k not in ("conflict", "coi-statement", "con")]
    lang = meta.language or profile.language
    return {
        "lang": lang,
        # The page's own words (Volume, Received, Cite as …) are English.
        "labels_lang": _english_inside(lang),
        "meta": meta,
        "journal": journal,
        "abbrev": meta.journal_abbrev or (profile.abbreviation if journal == profile.title else ""),
        "issn": meta.issns.get("electronic") or profile.issn_online,
        "publisher": meta.publisher_name or profile.publisher,
        "article_type": article_type,
        "year": date.year if date else "",
        "title_html": _title_html(conv, root),
        "subtitle": meta.subtitle,
        "trans_titles": [
            {"lang": lang, "text": text, "dir": "rtl" if lang[:2] in RTL_LANGS else ""}
            for lang, text in meta.trans_titles
        ],
        "authors": _author_rows(meta, aff_index),
        "affiliations": [
            (aff_index[k], aff.text, aff_langs.get(k, "")) for k, aff in meta.affiliations.items()
        ],
        "corresponding": corresponding,
        "author_notes": other_notes,
        "dates": _dates(meta),
        "doi": meta.doi,
        "doi_url": _doi_url(meta.doi) if meta.doi else "",
        "licence_badge": _licence_badge(meta.license_url or profile.licence_url, meta.license_text),
        "licence_url": _web_url(meta.license_url),
        "licence_text": meta.license_text
        or (meta.copyright_statement if not meta.license_url else ""),
        "copyright": meta.copyright_statement,
        "cite_as": cite_as(meta, meta.journal_abbrev or journal),
        "keywords": _keywords(meta),
    }
