"""Conversion, checks and typesetting: what the tasks in ``production/tasks.py`` run."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy.orm import Session

from frontiers_de.articles.jats import store_jats
from frontiers_de.articles.models import Article
from frontiers_de.articles.placement import content_sha256
from frontiers_de.articles.publication import PDF_MEDIA_TYPE
from frontiers_de.articles.services import pdf_filename
from frontiers_de.config import SiteSettings
from frontiers_de.i18n import _
from frontiers_de.jobs.time_limit import ChildFailed, TookTooLong
from frontiers_de.journals.models import Journal
from frontiers_de.production.jats.rules import CheckOptions
from frontiers_de.production.models import ProofState
from frontiers_de.production.services.errors import ProductionError
from frontiers_de.production.services.metadata import submission_metadata
from frontiers_de.production.services.proofs import proof_covers, proofs_in
from frontiers_de.production.services.versions import (
    jats_sha256,
    latest_manuscript,
    require_in_production,
)
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission
from frontiers_de.xml.safe import XMLInputError, parse_xml

MAX_FINDINGS_SHOWN = 1000


def _typesetting_took_too_long(exc: TookTooLong, setting: str) -> ProductionError:
    return ProductionError(
        _(
            "Typesetting took too long (more than ${seconds} s) and was stopped; the limit "
            "is the setting ${setting}.",
            mapping={"seconds": f"{exc.seconds:g}", "setting": setting},
        )
    )


def check_options(journal: Journal | None) -> CheckOptions:
    if journal is not None and journal.abstract_word_limit:
        return CheckOptions(abstract_word_limit=journal.abstract_word_limit)
    return CheckOptions()


def check_jats(
    article: Article, journal: Journal | None, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """Check the current JATS (house rules and official XSD) as a JSON-ready summary."""
    from frontiers_de.production.jats.check import check_article

    if not article.jats_xml:
        raise ProductionError(_("There is no JATS to check yet: convert the manuscript first."))
    tree = parse_xml(article.jats_xml.encode("utf-8"))
    report = check_article(tree, settings, check_options(journal))
    return {
        "jats_sha256": jats_sha256(article),
        # Enough to work through; a broken file can have thousands (the counts stay whole).
        "findings": [f.as_dict() for f in report.findings[:MAX_FINDINGS_SHOWN]],
        "errors": len(report.errors),
        "warnings": len(report.findings) - len(report.errors),
        "skipped": report.official_validation_skipped or "",
    }


def convert_manuscript(
    db: Session, storage: FileStorage, article: Article, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """Convert the latest manuscript with the submission's metadata into the article's JATS,
    and keep the figures the conversion found (DOCX/ODT images, a LaTeX zip's graphics).

    Raises :class:`ProductionError` (stage and reason) when the conversion fails; the
    caller's transaction is then rolled back and the previous JATS stays.
    """
    from frontiers_de.production import figures
    from frontiers_de.production.assets import keep_converted_media, missing_assets
    from frontiers_de.production.jats.assets import referenced_assets
    from frontiers_de.production.jats.convert import ConversionError, convert

    require_in_production(article)
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        raise ProductionError("the article has no submission")
    manuscript = latest_manuscript(db, submission)
    if manuscript is None:
        raise ProductionError("the submission has no manuscript file to convert")
    journal = db.get(Journal, article.journal_id)
    profile = journal.profile(SiteSettings.of(settings).base_url) if journal else None
    data = storage.get(manuscript.sha256)
    try:
        result = convert(
            data,
            filename=manuscript.filename,
            metadata=submission_metadata(db, submission, article),
            profile=profile,
            extract_media=True,
        )
    except ConversionError as exc:
        raise ProductionError(f"conversion of {manuscript.filename} failed: {exc}") from exc
    stem = PurePosixPath(manuscript.filename).stem or "manuscript"
    # The manuscript's own images, before uploaded figure files take their place.
    converted = {r.href: r.element for r in referenced_assets(result.tree)}
    figure_changes, figure_warnings = figures.apply_on_conversion(
        db, storage, article, result.tree, settings
    )
    reader_warnings: list[str] = []
    record = store_jats(
        db,
        storage,
        article,
        result.to_bytes(),
        filename=f"{stem}.converted.xml",
        tree=result.tree,
        warnings=reader_warnings,
        settings=settings,
    )
    kept, refused = keep_converted_media(
        db, storage, article, result.media, settings, elements=converted
    )
    summary = check_jats(article, journal, settings)
    report = result.report
    summary.update(
        source=manuscript.filename,
        file_id=record.id,
        conversion_warnings=(report.warnings + reader_warnings + refused + figure_warnings)[:200],
        figures_from_uploads=figure_changes[:200],
        missing=report.missing[:200],
        counts=report.counts,
        seconds=round(report.seconds, 2),
        assets_kept=kept[:200],
        assets_missing=missing_assets(db, article)[:200],
    )
    return summary


def typeset_current(
    db: Session, storage: FileStorage, article: Article, settings: Mapping[str, Any]
) -> dict[str, Any]:
    """Typeset the current JATS into the article's PDF (kept in storage and as a
    ``proof_pdf`` file), with the article's figures. Raises :class:`ProductionError` with
    the reason when it cannot."""
    from frontiers_de.production.assets import materialised_assets
    from frontiers_de.production.typesetting.service import (
        TYPESET_TIMEOUT_SETTING,
        TypesetError,
        typeset_timeout,
        typeset_within,
    )

    require_in_production(article)
    if not article.jats_xml:
        raise ProductionError("there is no JATS to typeset: convert the manuscript first")
    journal = db.get(Journal, article.journal_id)
    profile = journal.profile(SiteSettings.of(settings).base_url) if journal else None
    seconds = typeset_timeout(settings)
    try:
        with materialised_assets(db, storage, article) as assets_dir:
            result = typeset_within(
                article.jats_xml.encode("utf-8"), profile, seconds=seconds, assets_dir=assets_dir
            )
    except (TypesetError, XMLInputError) as exc:
        raise ProductionError(f"typesetting failed: {exc}") from exc
    except TookTooLong as exc:
        raise _typesetting_took_too_long(exc, TYPESET_TIMEOUT_SETTING) from exc
    except ChildFailed as exc:
        raise ProductionError(f"typesetting failed: {exc}") from exc
    # The folder was temporary: say where the editor can act instead.
    warnings = [
        w.replace(f" in {assets_dir}", " among the article's files") for w in result.warnings
    ]
    digest = storage.put(result.pdf_bytes)
    article.pdf_sha256 = digest
    article.pdf_pages = result.pages
    # A proof stands for the new PDF when it showed the same JATS but for the placement;
    # a proof of an earlier PDF that recorded no JATS must be sent again.
    content = content_sha256(article.jats_xml)
    for proof in proofs_in(db, article, (ProofState.SENT, ProofState.APPROVED)):
        if not proof_covers(proof, article.jats_xml, digest, content):
            proof.state = ProofState.SUPERSEDED
    if article.submission_id is not None:
        db.add(
            ManuscriptFile(
                submission_id=article.submission_id,
                round_number=0,
                kind=FileKind.PROOF_PDF,
                filename=f"{pdf_filename(article)}",
                media_type=PDF_MEDIA_TYPE,
                size=len(result.pdf_bytes),
                sha256=digest,
            )
        )
    db.flush()
    return {
        "pdf_sha256": digest,
        "pages": result.pages,
        "warnings": warnings[:200],
        "jats_sha256": jats_sha256(article),
        "seconds": round(result.timings.get("total", 0.0), 2),
    }
