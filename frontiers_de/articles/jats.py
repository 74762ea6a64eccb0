"""Storing an article's JATS: the one place where it changes.

The article's JATS is its single source (DESIGN.md). :func:`store_jats` keeps each version
as an immutable ``ManuscriptFile`` (kind ``jats``) in content-addressed storage, makes it
the article's JATS and announces :class:`~frontiers_de.articles.events.ArticleJatsChanged`
in the same transaction. What follows from a new JATS belongs to the domains that react:
production makes the reader HTML again and lets the PDF and the proofs follow
(``production/subscribers.py``), Crossref marks changed metadata of a deposited DOI
(``crossref/subscribers.py``), search reindexes (``publishing/subscribers.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from lxml import etree
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.articles.events import ArticleJatsChanged
from frontiers_de.articles.models import Article
from frontiers_de.articles.services import ArticleError
from frontiers_de.db.meta import utcnow
from frontiers_de.i18n import _
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile
from frontiers_de.xml.safe import parse_xml

JATS_MEDIA_TYPE = "application/jats+xml"


def serialise_jats(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _declares_utf8(data: bytes) -> bool:
    """Whether the bytes can be kept as they are (UTF-8 text), so an editor's layout and
    comments survive byte for byte."""
    head = data[:200].lower()
    if b"encoding=" in head and not re.search(rb"encoding=[\"']utf-?8[\"']", head):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def store_jats(
    db: Session,
    storage: FileStorage,
    article: Article,
    data: bytes,
    *,
    filename: str,
    user_id: int | None = None,
    tree: etree._ElementTree | None = None,
    now: dt.datetime | None = None,
    keep_pdf: bool = False,
    warnings: list[str] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> ManuscriptFile:
    """Make ``data`` the article's JATS: the one place where the JATS changes.

    The bytes are stored (content-addressed) and recorded as a new ``jats`` file, so every
    earlier version stays downloadable, and :class:`ArticleJatsChanged` is announced: the
    reader HTML is made again, the PDF made from the previous JATS stops being current and
    open proofs of it are superseded (unless ``keep_pdf``: publishing adds the publication
    date to the JATS of the approved PDF), Crossref hears of the change. What the reader
    HTML could not show as intended (formulas left as TeX) goes into ``warnings``.

    The writes and the subscribers run in one savepoint: when a subscriber refuses (the
    reader HTML took too long), its error reaches the caller and the previous JATS stays.
    """
    if article.submission_id is None:
        raise ArticleError(_("This article has no submission to keep its files with."))
    tree = tree if tree is not None else parse_xml(data)
    if article.id is None:
        db.flush()  # the figures' addresses in the reader HTML use the article's id
    text = data.decode("utf-8") if _declares_utf8(data) else serialise_jats(tree).decode("utf-8")
    now = now or utcnow()
    with db.begin_nested():
        digest = storage.put(text.encode("utf-8"))
        record = ManuscriptFile(
            submission_id=article.submission_id,
            round_number=0,
            kind=FileKind.JATS,
            filename=filename[:255],
            media_type=JATS_MEDIA_TYPE,
            size=len(text.encode("utf-8")),
            sha256=digest,
            uploaded_by_id=user_id,
            created_at=now,
        )
        db.add(record)
        previous = article.jats_xml or ""
        article.jats_xml = text
        article.jats_updated_at = now
        event = ArticleJatsChanged(
            db=db,
            settings=settings,
            article=article,
            user_id=user_id,
            previous=previous,
            tree=tree,
            keep_pdf=keep_pdf,
            warnings=warnings,
        )
        events.notify(event)
        db.flush()
    return record
