"""The article's JATS versions and its reader HTML: the manuscript a conversion starts from,
the JATS versions kept, an edited JATS file read safely and stored (through
:func:`frontiers_de.articles.jats.store_jats`), and the reader HTML made from the JATS."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from lxml import etree
from pyramid.i18n import TranslationString
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from frontiers_de.accounts.models import User
from frontiers_de.articles.jats import store_jats
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.jobs.time_limit import ChildFailed, TookTooLong
from frontiers_de.production.services.errors import ProductionError
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.storage import FileStorage, sha256_hex
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission
from frontiers_de.xml.safe import XMLInputError, XMLLimits, parse_xml

log = logging.getLogger(__name__)


# The largest JATS file the upload accepts (the setting's default).
DEFAULT_MAX_JATS_BYTES = ProductionSettings.max_jats_bytes


# The manuscript kinds a conversion starts from, best first.
MANUSCRIPT_KINDS = (FileKind.MANUSCRIPT, FileKind.ANONYMISED_MANUSCRIPT)


# --- JATS versions ----------------------------------------------------------------------


def latest_manuscript(db: Session, submission: Submission) -> ManuscriptFile | None:
    """The manuscript of the latest round (the author's own before an anonymised copy)."""
    files = db.scalars(
        select(ManuscriptFile).where(
            ManuscriptFile.submission_id == submission.id,
            ManuscriptFile.kind.in_(MANUSCRIPT_KINDS),
        )
    ).all()
    if not files:
        return None
    return max(files, key=lambda f: (f.round_number, MANUSCRIPT_KINDS[::-1].index(f.kind), f.id))


def jats_versions(db: Session, submission_id: int) -> list[ManuscriptFile]:
    """Every JATS version of the article, newest first."""
    return list(
        db.scalars(
            select(ManuscriptFile)
            .where(
                ManuscriptFile.submission_id == submission_id,
                ManuscriptFile.kind == FileKind.JATS,
            )
            .order_by(ManuscriptFile.id.desc())
        )
    )


def jats_sha256(article: Article) -> str | None:
    return sha256_hex(article.jats_xml.encode("utf-8")) if article.jats_xml else None


# --- reader HTML ------------------------------------------------------------------------


def _reader_html_took_too_long(exc: TookTooLong, setting: str) -> ProductionError:
    return ProductionError(
        _(
            "Making the reader HTML took too long (more than ${seconds} s) and was stopped; "
            "the limit is the setting ${setting}.",
            mapping={"seconds": f"{exc.seconds:g}", "setting": setting},
        )
    )


def rendering_version() -> str:
    """The version of the reader HTML rendering of this release (stored with the HTML)."""
    from frontiers_de.production.jats import html

    return html.rendering_version()


def reader_html(
    article: Article,
    tree: etree._ElementTree,
    warnings: list[str] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> str:
    """The article page's full text from its JATS, figures linked to the article's files.
    Formulas that could only be shown as TeX are added to ``warnings``. The transform runs
    in a child process stopped at ``fde.production.xslt_timeout``; past it, a
    :class:`ProductionError` says so."""
    from frontiers_de.production.assets import reader_asset_base
    from frontiers_de.production.jats.html import (
        XSLT_TIMEOUT_SETTING,
        article_fragment_within,
        xslt_timeout,
    )

    try:
        return article_fragment_within(
            tree,
            asset_base=reader_asset_base(article),
            seconds=xslt_timeout(settings),
            warnings=warnings,
        )
    except TookTooLong as exc:
        raise _reader_html_took_too_long(exc, XSLT_TIMEOUT_SETTING) from exc
    except ChildFailed as exc:
        raise ProductionError(f"making the reader HTML failed: {exc}") from exc


@dataclass
class RebuildReport:
    rebuilt: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.rebuilt} rebuilt, {self.unchanged} unchanged"
        return text + (f", {len(self.failed)} failed" if self.failed else "")


def rebuild_reader_html(
    db: Session, settings: Mapping[str, Any] | None = None, *, stale_only: bool = False
) -> RebuildReport:
    """Make every article's stored reader HTML again from its JATS (``stale_only``: only
    HTML made by another rendering than this release's, :func:`.jats.html.rendering_version`).

    The HTML is a pure function of the JATS, kept only so pages are fast; after an upgrade
    of the HTML rendering (the stylesheet, figure addresses) this brings stored articles up
    to date. The JATS, the PDF and the proofs are not touched. An article whose JATS no
    longer parses is listed, and keeps its HTML.
    """
    current = rendering_version()
    report = RebuildReport()
    query = select(Article).where(Article.jats_xml.is_not(None))
    if stale_only:
        query = query.where((Article.html_version.is_(None)) | (Article.html_version != current))
    for article in db.scalars(query):
        try:
            tree = read_jats((article.jats_xml or "").encode("utf-8"))
            html = reader_html(article, tree, settings=settings)
        except ProductionError as exc:
            reason = exc.message
            text = reason.interpolate() if isinstance(reason, TranslationString) else reason
            report.failed.append(f"article {article.id}: {text}")
            continue
        article.html_version = current
        if html == article.html:
            report.unchanged += 1
        else:
            article.html = html
            report.rebuilt += 1
    return report


def refresh_reader_html(
    db: Session, article: Article, settings: Mapping[str, Any] | None = None
) -> bool:
    """Bring the article's stored reader HTML up to this release's rendering when it was
    made by an older one (the article page calls this before showing it); True when the
    stored HTML was replaced.

    Stale HTML is made again from the JATS at its first view after an upgrade, so no page
    shows an old stylesheet's output until someone remembers ``fde articles rebuild-html``.
    The row is written by one conditional UPDATE (where the version is still old and the
    article unchanged since it was read), not by the ORM: two readers who make the HTML at
    once do not conflict (on PostgreSQL the second waits for the first's row lock, then
    finds the row current and writes nothing), an editor who saves the article meanwhile
    wins (their HTML is made from the newer JATS), and the article's edit version is not
    raised, so nobody's open edit becomes a conflict because a reader came by. When the
    JATS cannot be rendered the old HTML stays, marked as tried for this release (the
    reason is logged, and ``fde articles rebuild-html`` lists it), so that every view does
    not pay for the attempt again.
    """
    current = rendering_version()
    if article.html_version == current or not article.jats_xml or article.id is None:
        return False
    html = article.html
    try:
        html = reader_html(article, read_jats(article.jats_xml.encode("utf-8")), settings=settings)
    except ProductionError as exc:
        reason = exc.message
        text = reason.interpolate() if isinstance(reason, TranslationString) else reason
        log.warning("article %s keeps its older reader HTML: %s", article.id, text)
    done = db.execute(
        update(Article)
        .where(
            Article.id == article.id,
            Article.version == article.version,
            or_(Article.html_version.is_(None), Article.html_version != current),
        )
        .values(html=html, html_version=current, updated_at=Article.updated_at)
        .execution_options(synchronize_session=False)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        return False
    set_committed_value(article, "html", html)
    set_committed_value(article, "html_version", current)
    return True


# --- an edited JATS file ----------------------------------------------------------------


def read_jats(data: bytes, max_bytes: int = DEFAULT_MAX_JATS_BYTES) -> etree._ElementTree:
    """Parse an edited JATS file safely, or raise :class:`ProductionError` saying why."""
    if not data.strip():
        raise ProductionError(_("The file is empty. The previous JATS is kept."))
    if len(data) > max_bytes:
        raise ProductionError(
            _(
                "The file is ${size} bytes; at most ${limit} bytes are accepted. "
                "The previous JATS is kept.",
                mapping={"size": len(data), "limit": max_bytes},
            )
        )
    try:
        tree = parse_xml(data, XMLLimits(max_bytes=max_bytes))
    except XMLInputError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise ProductionError(
            _(
                "The file is not usable XML: ${reason}${where}. The previous JATS is kept.",
                mapping={"reason": str(exc), "where": where},
            )
        ) from exc
    root = tree.getroot()
    if etree.QName(root).localname != "article" or etree.QName(root).namespace:
        raise ProductionError(
            _(
                "The file is XML but not a JATS article (its root element is <${root}>). "
                "The previous JATS is kept.",
                mapping={"root": etree.QName(root).localname},
            )
        )
    return tree


def upload_jats(
    db: Session,
    storage: FileStorage,
    article: Article,
    data: bytes,
    filename: str,
    user: User | None,
    settings: Mapping[str, Any],
    warnings: list[str] | None = None,
) -> ManuscriptFile:
    """An edited JATS file from the production editor: refused with a clear message (and
    the previous JATS kept) unless it is a well-formed JATS article within the size limit.
    Formulas the reader HTML shows as TeX are added to ``warnings``."""
    require_in_production(article)
    limit = ProductionSettings.of(settings).max_jats_bytes
    tree = read_jats(data, limit)
    name = PurePosixPath(filename.replace("\\", "/")).name or "article.xml"
    record = store_jats(
        db,
        storage,
        article,
        data,
        filename=name,
        user_id=user.id if user else None,
        tree=tree,
        warnings=warnings,
        settings=settings,
    )
    submission = db.get(Submission, article.submission_id)
    if submission is not None:
        workflow.audit(
            db, submission, user, "jats_uploaded", file_id=record.id, sha256=record.sha256
        )
    return record


def require_in_production(article: Article) -> None:
    if article.state != ArticleState.IN_PRODUCTION:
        raise ProductionError(
            _("The article is no longer in production; its JATS and PDF cannot be changed.")
        )
