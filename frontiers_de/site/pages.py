"""The journal's pages under ``/about``: which pages there are, what each says in a language,
and the admin's changes.

Each page ships with a default text per interface language (``templates/about/<slug>.<lang>.md``).
The admin replaces it for one language with a :class:`JournalPage` row and can restore the
default by deleting that row. A reader sees the page in their language: the admin's text, else
the shipped default, else (a language with neither) the journal's own language, marked with its
``lang`` so that a screen reader reads it right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.i18n import DEFAULT_LANGUAGE, LANGUAGES, _
from frontiers_de.package_files import template_path
from frontiers_de.site.markdown import to_html
from frontiers_de.site.models import JournalPage

TITLE_MAX = 200
BODY_MAX = 50_000


@dataclass(frozen=True)
class PageKind:
    slug: str
    title: Any  # a _() string: the default title, translated per language
    in_footer: bool = True


# The pages in the order the /about index and the footer list them. The editorial board
# (/about/editorial-board) is made from the roles, not written: see site.board.
PAGES: tuple[PageKind, ...] = (
    PageKind("aims-and-scope", _("Aims and scope")),
    PageKind("author-guidelines", _("Author guidelines")),
    PageKind("peer-review", _("Peer-review policy")),
    PageKind("open-access", _("Open access and licence")),
    PageKind("ethics", _("Publication ethics")),
    PageKind("ai", _("Use of AI")),
    PageKind("fees", _("Fees")),
    PageKind("contact", _("Contact")),
    PageKind("accessibility", _("Accessibility statement")),
)
BY_SLUG = {p.slug: p for p in PAGES}


class PageError(ValueError):
    def __init__(self, field: str, message: Any) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ShownPage:
    kind: PageKind
    language: str  # the language the text is written in (may differ from the page's)
    title: str
    body: str  # Markdown
    customised: bool  # the admin's text, not the shipped default
    updated_at: dt.datetime | None

    @property
    def html(self) -> Markup:
        return to_html(self.body)


def default_body(slug: str, language: str) -> str | None:
    """The shipped text of page ``slug`` in ``language``, or None."""
    if slug not in BY_SLUG or language not in LANGUAGES:
        return None
    path = template_path("about", f"{slug}.{language}.md")
    return path.read_text(encoding="utf-8") if path.is_file() else None


def stored(db: Session, journal_id: int, slug: str, language: str) -> JournalPage | None:
    return db.scalar(
        select(JournalPage).where(
            JournalPage.journal_id == journal_id,
            JournalPage.slug == slug,
            JournalPage.language == language,
        )
    )


def page_in(
    db: Session, journal: Any, slug: str, language: str, translate: Any
) -> ShownPage | None:
    """Page ``slug`` as a reader of ``language`` sees it (None: no such page). ``translate``
    turns a _() string into the given language (``request.localizer.translate`` for the
    reader's own language)."""
    kind = BY_SLUG.get(slug)
    if kind is None:
        return None
    fallback = journal.language if journal.language in LANGUAGES else DEFAULT_LANGUAGE
    for lang in dict.fromkeys((language, fallback, DEFAULT_LANGUAGE)):
        row = stored(db, journal.id, slug, lang)
        if row is not None:
            return ShownPage(kind, lang, row.title, row.body, True, row.updated_at)
        body = default_body(slug, lang)
        if body is not None:
            # The shipped default's title comes from the catalogue, in the reader's
            # language only when the text is in it too.
            title = translate(kind.title) if lang == language else str(kind.title)
            return ShownPage(kind, lang, title, body, False, None)
    return None


def overview(db: Session, journal_id: int) -> dict[tuple[str, str], JournalPage]:
    """Every admin-written page of the journal by (slug, language)."""
    rows = db.scalars(select(JournalPage).where(JournalPage.journal_id == journal_id))
    return {(r.slug, r.language): r for r in rows}


def save_page(
    db: Session, journal_id: int, slug: str, language: str, title: str, body: str, user: Any
) -> JournalPage:
    """The admin's text of page ``slug`` in ``language`` (created or replaced)."""
    if slug not in BY_SLUG:
        raise PageError("slug", _("There is no such page."))
    if language not in LANGUAGES:
        raise PageError("language", _("Choose one of the site's languages."))
    title, body = title.strip(), body.strip()
    if not title:
        raise PageError("title", _("Give the page a title."))
    if len(title) > TITLE_MAX:
        raise PageError("title", _("The title is too long (at most 200 characters)."))
    if not body:
        raise PageError(
            "body", _("The page needs a text. To go back to the default, restore it instead.")
        )
    if len(body) > BODY_MAX:
        raise PageError("body", _("The text is too long (at most 50,000 characters)."))
    row = stored(db, journal_id, slug, language)
    if row is None:
        row = JournalPage(journal_id=journal_id, slug=slug, language=language)
        db.add(row)
    row.title, row.body, row.updated_by_id = title, body, getattr(user, "id", None)
    row.updated_at = dt.datetime.now(dt.UTC)
    db.flush()
    return row


def restore_default(db: Session, journal_id: int, slug: str, language: str) -> bool:
    """Drop the admin's text of ``slug`` in ``language``; False if there was none."""
    row = stored(db, journal_id, slug, language)
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True
