"""Markdown for the journal's own pages and announcements: CommonMark (markdown-it-py, the
maintained Python port of markdown-it) with tables, raw HTML switched off, so what an admin
or editor types can add headings, lists, links and emphasis but never a script, a style or
an element the site's Content-Security-Policy would have to police."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markupsafe import Markup

# Links may go to web pages, mail addresses and the site's own paths; markdown-it already
# refuses javascript:, vbscript: and file: links, this narrows it further (no data: images:
# img-src is the site's own and https).
_SAFE_SCHEMES = ("https://", "http://", "mailto:")


def _link_ok(url: str) -> bool:
    lowered = url.strip().lower()
    if lowered.startswith(("//", "/\\")):
        return False  # protocol-relative: another host in disguise
    if lowered.startswith("/") or lowered.startswith("#"):
        return True
    return lowered.startswith(_SAFE_SCHEMES)


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = _link_ok  # type: ignore[method-assign]
    return md


def to_html(text: str) -> Markup:
    """``text`` (Markdown) as safe HTML for a page; raw HTML in it is shown as text."""
    return Markup(_parser().render(text or ""))


def first_paragraph(text: str, limit: int = 300) -> str:
    """The first paragraph of ``text`` as plain words (a teaser, a feed summary), at most
    ``limit`` characters, cut at a word."""
    for block in (text or "").split("\n\n"):
        words = " ".join(block.replace("#", " ").split())
        if words:
            if len(words) <= limit:
                return words
            return words[:limit].rsplit(" ", 1)[0] + "…"
    return ""
