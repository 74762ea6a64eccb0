"""The page around the converted parts: the print stylesheet, the running heads set in
``@page`` rules, the PDF's document properties and the Jinja2 template that assembles it."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import jinja2
from markupsafe import Markup

from frontiers_de.package_files import template_path
from frontiers_de.production.jats.meta import ArticleMeta

TEMPLATE_DIR = template_path("print")


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.lru_cache(maxsize=1)
def print_css() -> str:
    """The journal's print stylesheet (``templates/print/print.css``)."""
    return (TEMPLATE_DIR / "print.css").read_text(encoding="utf-8")


RUNNING_AUTHORS_LIMIT = 34


# Characters written as CSS hex escapes inside a string: those that end the string (quotes,
# backslash, line breaks), those that could end the <style> element or open a comment in the
# HTML around it (<, >, &), and control characters. Everything else is itself.
_CSS_STRING_ESCAPED = re.compile(r"[\"'\\<>&\x00-\x1f\x7f]")


def css_string(value: str) -> str:
    """A Python string as a CSS string literal (for running headers set in @page rules).

    Safe inside the print HTML's ``<style>`` element whatever ``value`` holds: every
    character that could end the string, the rule or the element is a CSS escape
    (``\\3c`` and a space for ``<``), which CSS reads back as the character itself."""
    cleaned = " ".join(value.split())
    escaped = _CSS_STRING_ESCAPED.sub(lambda m: f"\\{ord(m[0]):x} ", cleaned)
    return '"' + escaped + '"'


def _running_authors(meta: ArticleMeta) -> str:
    surnames = [a.surname or a.collab for a in meta.authors if a.surname or a.collab]
    running_authors = f"{surnames[0]} et al." if len(surnames) > 2 else " and ".join(surnames)
    # The running-header box for the authors is 54 mm wide (print.css): 34 characters of
    # 7.5 pt Noto Sans fit with room to spare. Longer names (a consortium, two long surnames)
    # are cut at a word.
    if len(running_authors) > RUNNING_AUTHORS_LIMIT:
        cut = running_authors[: RUNNING_AUTHORS_LIMIT - 2].rsplit(" ", 1)[0]
        running_authors = cut + "…"
    return running_authors


def page_furniture(meta: ArticleMeta, journal: str, cite: str) -> dict[str, Any]:
    """The stylesheet, the running heads and feet (CSS strings for the ``@page`` rules) and
    the PDF's document properties; ``cite`` is the "Cite as" line, the PDF's subject."""
    short_title = meta.short_title or meta.title
    if len(short_title) > 70:
        short_title = short_title[:67].rsplit(" ", 1)[0] + "…"
    return {
        "css": Markup(print_css()),
        "running_title": Markup(css_string(short_title)),
        "running_authors": Markup(css_string(_running_authors(meta))),
        "footer_journal": Markup(css_string(journal)),
        "footer_doi": Markup(css_string(f"doi: {meta.doi}" if meta.doi else "")),
        "doc_title": meta.title,
        "doc_authors": [a.display_name for a in meta.authors],
        "doc_subject": cite,
        "doc_keywords": ", ".join(
            meta.keywords.get(meta.language, []) or next(iter(meta.keywords.values()), [])
        ),
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def render_page(context: dict[str, Any]) -> str:
    return _environment().get_template("article.html.j2").render(**context)
