"""The production editor describes each figure of an article's JATS: alt text and a long
description, kept in the figure's ``<graphic>`` (``jats/descriptions.py`` says how).

A description is a change of the JATS like any other: it goes through the articles domain's
one writer (:func:`~frontiers_de.articles.jats.store_jats`), so the reader HTML is made again,
the PDF made before stops being current and its proofs follow. What may be written is the
rule of ``jats/descriptions.py`` (one line of at most 250 characters of alt text, which is
not the caption; a long description of at most 10,000). A refused description changes
nothing and says which field is wrong (:class:`DescriptionError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.jats import serialise_jats, store_jats
from frontiers_de.articles.models import Article
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.production.jats import descriptions
from frontiers_de.production.services import ProductionError, read_jats, require_in_production
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import Submission
from frontiers_de.xml import figure_text

ALT_TEXT_FIELD = figure_text.ALT_TEXT_FIELD
LONG_DESC_FIELD = figure_text.LONG_DESC_FIELD


class FigureNotFound(ProductionError):
    """The article's JATS has no figure with that id and one image (a 404 for the page)."""


class DescriptionError(ProductionError):
    """A description refused; ``field`` names the form field that is wrong."""

    def __init__(self, message: TranslationString, field: str) -> None:
        super().__init__(message)
        self.field = field


def describe_figure(
    db: Session,
    storage: FileStorage,
    article: Article,
    fig_id: str,
    alt_text: str,
    long_desc: str,
    user: User | None,
    settings: Mapping[str, Any],
) -> bool:
    """Write figure ``fig_id``'s alt text and long description into the article's JATS (a
    new JATS version when they changed; an empty text removes it). True when the JATS
    changed. Raises :class:`FigureNotFound` for a figure the JATS does not have,
    :class:`DescriptionError` for text that cannot be kept, :class:`ProductionError` when
    the article is out of production; nothing changes then."""
    require_in_production(article)
    if not article.jats_xml:
        raise FigureNotFound(_("There is no JATS yet: convert the manuscript first."))
    tree = read_jats(article.jats_xml.encode("utf-8"))
    fig = descriptions.find_figure(tree, fig_id)
    if fig is None or descriptions.figure_image(fig) is None:
        raise FigureNotFound(_("The article has no such figure."))
    try:
        alt = descriptions.clean_alt_text(alt_text)
        long = descriptions.clean_long_desc(long_desc)
        if descriptions.repeats_caption(alt, fig):
            raise descriptions.DescriptionRefused("alt-repeats-caption")
    except descriptions.DescriptionRefused as exc:
        raise DescriptionError(*figure_text.refusal(exc.code)) from exc
    before = descriptions.description_of(fig)
    descriptions.set_description(fig, alt, long)
    if before == descriptions.FigureDescription(alt, long):
        return False
    store_jats(
        db,
        storage,
        article,
        serialise_jats(tree),
        filename=f"figure-description-{fig_id}.xml"[:255],
        user_id=user.id if user else None,
        tree=tree,
        settings=settings,
    )
    submission = db.get(Submission, article.submission_id)
    if submission is not None:
        workflow.audit(
            db,
            submission,
            user,
            "figure_described",
            fig_id=fig_id,
            alt_text_chars=len(alt),
            long_desc_chars=len(long),
        )
    db.flush()
    return True
