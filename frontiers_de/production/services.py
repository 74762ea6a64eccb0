"""Production rules: from an accepted submission to a published article.

The article's JATS is its single source (DESIGN.md). Every change of it goes through
:func:`store_jats`, which keeps each version as an immutable ``ManuscriptFile`` (kind
``jats``) in content-addressed storage, rebuilds the reader HTML, and marks the PDF as no
longer current. The pipeline functions (:mod:`.jats`, :mod:`.typesetting`) do the work; this
module decides when they run, what is kept, and who may move the article on. Views and tasks
call these functions; the workflow table (:mod:`frontiers_de.editorial.workflow`) stays the
one rule for state changes.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from lxml import etree
from pyramid.i18n import TranslationString
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from frontiers_de import identifiers
from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.articles.placement import (
    content_sha256,
    placement_of,
    placement_only_change,
    stamp_publication_date,
)
from frontiers_de.articles.services import pdf_filename
from frontiers_de.config import SiteSettings
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.i18n import _
from frontiers_de.jobs.models import Job, JobState
from frontiers_de.jobs.time_limit import ChildFailed, TookTooLong
from frontiers_de.journals.models import Journal, Section
from frontiers_de.production.jats.frontmatter import metadata_schema
from frontiers_de.production.jats.rules import CheckOptions
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.publishing import search
from frontiers_de.security.link_tokens import hash_link_token, new_link_token
from frontiers_de.storage import FileStorage, sha256_hex
from frontiers_de.submissions.credit import credit_role
from frontiers_de.submissions.models import (
    Contributor,
    FileKind,
    ManuscriptFile,
    Submission,
    SubmissionState,
)
from frontiers_de.xml.safe import XMLInputError, XMLLimits, parse_xml

log = logging.getLogger(__name__)

# Settings (with their defaults): the largest JATS file the upload accepts, and how long a
# proof link stays usable.
DEFAULT_MAX_JATS_BYTES = ProductionSettings.max_jats_bytes
DEFAULT_PROOF_DAYS = ProductionSettings.proof_days
MAX_CORRECTIONS_LENGTH = 20000
MAX_FINDINGS_SHOWN = 1000
JATS_MEDIA_TYPE = "application/jats+xml"
PDF_MEDIA_TYPE = "application/pdf"

# Job kinds shown on the article's production page.
JOB_CONVERT = "jats_convert"
JOB_CHECK = "jats_check"
JOB_TYPESET = "typeset"
JOB_KINDS = (JOB_CONVERT, JOB_CHECK, JOB_TYPESET)

# The manuscript kinds a conversion starts from, best first.
MANUSCRIPT_KINDS = (FileKind.MANUSCRIPT, FileKind.ANONYMISED_MANUSCRIPT)


class ProductionError(Exception):
    """A production step the rules refuse; ``message`` is for the production editor."""

    def __init__(self, message: TranslationString | str) -> None:
        super().__init__(str(message))
        self.message = message


class PublishRefused(ProductionError):
    """Publishing is not possible yet; ``reasons`` lists every unmet condition."""

    def __init__(self, reasons: list[TranslationString]) -> None:
        super().__init__(reasons[0])
        self.reasons = reasons


class ProofLinkError(Exception):
    """A proof link that cannot be used: ``reason`` is invalid, expired, used or superseded."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- the queue and starting production ------------------------------------------------------


def production_queue(db: Session, journal_id: int) -> list[tuple[Submission, Article | None]]:
    """Accepted and in-production submissions of the journal, oldest acceptance first, each
    with its article once production has started."""
    rows = db.execute(
        select(Submission, Article)
        .outerjoin(Article, Article.submission_id == Submission.id)
        .where(
            Submission.journal_id == journal_id,
            Submission.state.in_([SubmissionState.ACCEPTED, SubmissionState.IN_PRODUCTION]),
        )
        .order_by(Submission.accepted_at, Submission.id)
    ).all()
    return [(s, a) for s, a in rows]


def recently_published(db: Session, journal_id: int, limit: int = 20) -> list[Article]:
    return list(
        db.scalars(
            select(Article)
            .where(Article.journal_id == journal_id, Article.state == ArticleState.PUBLISHED)
            .order_by(Article.published_at.desc())
            .limit(limit)
        )
    )


def article_of(db: Session, submission: Submission) -> Article | None:
    return db.scalar(select(Article).where(Article.submission_id == submission.id))


def start_production(
    db: Session,
    submission: Submission,
    actor: User | None,
    *,
    detail: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Article:
    """Workflow "start_production", and the article it creates (with the submission's DOI
    and title). Raises :class:`~frontiers_de.editorial.workflow.TransitionNotAllowed`.
    ``detail`` and ``now`` go to :func:`~frontiers_de.editorial.workflow.apply`."""
    workflow.apply(db, submission, "start_production", actor, detail=detail, now=now)
    article = article_of(db, submission)
    if article is None:
        article = Article(
            journal_id=submission.journal_id,
            submission_id=submission.id,
            doi=submission.doi,
            title=submission.title,
            state=ArticleState.IN_PRODUCTION,
        )
        db.add(article)
        db.flush()
    return article


# --- submission metadata (schemas/submission-metadata.schema.json) -------------------------

_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def _text(value: Any) -> str | None:
    """A non-empty, stripped string or None (the schema's ``nonEmptyText``)."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    text = _text(value)
    if text is not None:
        target[key] = text


def _credit_roles(values: list[Any]) -> list[str]:
    out: list[str] = []
    for value in values or []:
        role = credit_role(value)
        if role and role.name not in out:
            out.append(role.name)
    return out


def _native_name(contributor: Contributor) -> dict[str, Any] | None:
    native = _text(contributor.native_name)
    lang = (contributor.native_name_lang or "").strip()
    if native is None or not _LANG.match(lang):
        return None
    # The database keeps the native name as one string. Splitting it into family and given
    # name is only safe where the writer marked the split with a space (Chinese names are
    # often written without one, and compound surnames exist); otherwise the whole name is
    # kept as the family name, in the order it was written.
    parts = native.split(None, 1)
    eastern = lang.split("-")[0] in {"zh", "ja", "ko", "vi"}
    name: dict[str, Any] = {"lang": lang, "name_style": "eastern" if eastern else "western"}
    if len(parts) == 2:
        family, given = (parts[0], parts[1]) if eastern else (parts[1], parts[0])
        name.update(family_names=family, given_names=given)
    else:
        name["family_names"] = native
    return name


def _affiliation_key(aff: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        str(aff.get("name") or aff.get("institution") or "").strip(),
        str(aff.get("department") or "").strip(),
        str(aff.get("ror") or "").strip(),
    )


def _affiliation(aff: Mapping[str, Any], aff_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": aff_id}
    _put(out, "institution", aff.get("name") or aff.get("institution"))
    _put(out, "department", aff.get("department"))
    ror = identifiers.normalise_ror(_text(aff.get("ror")))
    if ror:
        out["ror"] = ror
    _put(out, "city", aff.get("city"))
    country = _text(aff.get("country"))
    if country and _COUNTRY_CODE.match(country):
        out["country_code"] = country
    elif country:
        out["country"] = country
    code = _text(aff.get("country_code"))
    if code and _COUNTRY_CODE.match(code):
        out["country_code"] = code
    return out


def _date(value: dt.datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def submission_metadata(
    db: Session, submission: Submission, article: Article | None = None
) -> dict[str, Any]:
    """The submission's metadata from its database rows, in the JSON Schema of
    ``schemas/submission-metadata.schema.json`` (what ``fde jats convert --meta`` reads).

    Values the schema would refuse (a malformed ORCID, ROR or funder id, an unknown CRediT
    role) are left out rather than passed on: the house rules report what is then missing.
    """
    journal = db.get(Journal, submission.journal_id)
    section = db.get(Section, submission.section_id) if submission.section_id else None
    language = submission.language if _LANG.match(submission.language or "") else "en"
    meta: dict[str, Any] = {"language": language, "title": _text(submission.title) or "Untitled"}
    _put(meta, "subtitle", submission.subtitle)

    trans_titles, abstracts, keywords = [], [], []
    if _text(submission.abstract):
        abstracts.append({"lang": language, "text": submission.abstract.strip()})
    terms = [t for t in (_text(k) for k in submission.keywords or []) if t]
    if terms:
        keywords.append({"lang": language, "terms": terms})
    for lang, extra in sorted((submission.translations or {}).items()):
        if not _LANG.match(lang) or not isinstance(extra, Mapping) or lang == language:
            continue
        if _text(extra.get("title")):
            entry = {"lang": lang, "title": extra["title"].strip()}
            _put(entry, "subtitle", extra.get("subtitle"))
            trans_titles.append(entry)
        if _text(extra.get("abstract")):
            abstracts.append({"lang": lang, "text": extra["abstract"].strip()})
        more = [t for t in (_text(k) for k in extra.get("keywords") or []) if t]
        if more:
            keywords.append({"lang": lang, "terms": more})
    if trans_titles:
        meta["trans_titles"] = trans_titles
    if abstracts:
        meta["abstracts"] = abstracts
    if keywords:
        meta["keywords"] = keywords

    if section is not None:
        # Only the types the metadata schema knows; the schema is the one list.
        if section.article_type in metadata_schema()["properties"]["article_type"]["enum"]:
            meta["article_type"] = section.article_type
        _put(meta, "section", section.name)

    affiliations: dict[tuple[str, str, str], dict[str, Any]] = {}
    contributors = []
    for person in submission.contributors:
        family = _text(person.family_name) or _text(person.given_name)
        if family is None:
            continue
        entry: dict[str, Any] = {"family_names": family}
        if _text(person.family_name):
            _put(entry, "given_names", person.given_name)
        native = _native_name(person)
        if native:
            entry["native_name"] = native
        if person.email and _EMAIL.match(person.email.strip()):
            entry["email"] = person.email.strip()
        orcid = identifiers.normalise_orcid(person.orcid)
        if orcid:
            entry["orcid"] = orcid
        ids = []
        for aff in person.affiliations or []:
            if not isinstance(aff, Mapping) or not _text(aff.get("name") or aff.get("institution")):
                continue
            key = _affiliation_key(aff)
            if key not in affiliations:
                affiliations[key] = _affiliation(aff, f"aff{len(affiliations) + 1}")
            if affiliations[key]["id"] not in ids:
                ids.append(affiliations[key]["id"])
        if ids:
            entry["affiliations"] = ids
        roles = _credit_roles(person.credit_roles)
        if roles:
            entry["credit_roles"] = roles
        if person.is_corresponding:
            entry["corresponding"] = True
        contributors.append(entry)
    if contributors:
        meta["contributors"] = contributors
    if affiliations:
        meta["affiliations"] = list(affiliations.values())

    funding = []
    for grant in submission.funding:
        name = _text(grant.funder_name)
        if name is None:
            continue
        entry = {"funder_name": name}
        if identifiers.is_funder_doi(grant.funder_doi):
            entry["funder_doi"] = grant.funder_doi.strip()
        awards = [a for a in (_text(x) for x in grant.award_ids or []) if a]
        if awards:
            entry["award_ids"] = awards
        funding.append(entry)
    if funding:
        meta["funding"] = funding

    history: dict[str, Any] = {}
    received = _date(submission.submitted_at)
    if received:
        history["received"] = received
    revised = sorted(
        {
            d
            for d in (
                _date(e.created_at)
                for e in db.scalars(
                    select(AuditEvent).where(
                        AuditEvent.submission_id == submission.id,
                        AuditEvent.action == "resubmit",
                    )
                )
            )
            if d
        }
    )
    if revised:
        history["revised"] = revised
    accepted = _date(submission.accepted_at)
    if accepted:
        history["accepted"] = accepted
    if history:
        meta["history"] = history

    doi = (article.doi if article and article.doi else submission.doi) or ""
    if identifiers.DOI_RE.fullmatch(doi):
        meta["doi"] = doi
    if article is not None:
        if article.published_at:
            meta["publication_dates"] = [
                {"date": _date(article.published_at), "format": "electronic", "type": "pub"}
            ]
        if article.issue is not None:
            meta["volume"] = str(article.issue.volume.number)
            _put(meta, "issue", article.issue.number)
        _put(meta, "elocation_id", article.elocation_id)
    year = (
        (article.published_at if article and article.published_at else None)
        or submission.accepted_at
        or utcnow()
    ).year
    meta["copyright"] = {"holder": "The Authors", "year": year}
    if journal is not None and journal.licence_url.startswith(("http://", "https://")):
        meta["license_url"] = journal.licence_url
    _put(meta, "acknowledgements", submission.acknowledgements)
    _put(meta, "data_availability", submission.data_availability)
    _put(meta, "competing_interests", submission.competing_interests)
    return meta


# --- JATS versions -------------------------------------------------------------------------


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


def _typesetting_took_too_long(exc: TookTooLong, setting: str) -> ProductionError:
    return ProductionError(
        _(
            "Typesetting took too long (more than ${seconds} s) and was stopped; the limit "
            "is the setting ${setting}.",
            mapping={"seconds": f"{exc.seconds:g}", "setting": setting},
        )
    )


def _reader_html_took_too_long(exc: TookTooLong, setting: str) -> ProductionError:
    return ProductionError(
        _(
            "Making the reader HTML took too long (more than ${seconds} s) and was stopped; "
            "the limit is the setting ${setting}.",
            mapping={"seconds": f"{exc.seconds:g}", "setting": setting},
        )
    )


def _rendering_version() -> str:
    from frontiers_de.production.jats.html import rendering_version

    return rendering_version()


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
    current = _rendering_version()
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
    current = _rendering_version()
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


def serialise_jats(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def notify_crossref(db: Session, article: Article) -> None:
    """The article's metadata changed: a registered DOI is marked for re-deposit (the
    Crossref domain decides whether the DOI is registered yet)."""
    from frontiers_de.crossref.services import mark_metadata_changed

    mark_metadata_changed(db, article)


# --- proofs and placement: the placement rules are frontiers_de.articles.placement's --------


def proof_covers(
    proof: Proof, jats: str | None, pdf_sha256: str | None = None, content: str | None = None
) -> bool:
    """Whether the author's answer to ``proof`` holds for an article with this JATS and
    this PDF (``None``: none yet): the PDF is the one the proof showed, or the JATS differs
    from the one the proof was typeset from by placement only (:func:`placement_only_change`,
    ``content`` being the new JATS's :func:`content_sha256` when known). A PDF typeset
    again from the very JATS the author saw is a new PDF and needs a new proof; so does a
    proof sent before its JATS was recorded, once its PDF is gone."""
    if pdf_sha256 is not None and proof.pdf_sha256 == pdf_sha256:
        return True
    if not jats or proof.content_sha256 is None or proof.jats_sha256 is None:
        return False
    if proof.jats_sha256 == sha256_hex(jats.encode("utf-8")):
        return False
    return proof.content_sha256 == (content or content_sha256(jats))


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
    earlier version stays downloadable; the reader HTML is rebuilt; the PDF, made from the
    previous JATS, stops being current and open proofs of it are superseded, and the Crossref
    domain hears of the change. ``keep_pdf`` is for publishing only, which adds the
    publication date to the JATS of the approved PDF (the deposit follows at once).
    What the reader HTML could not show as intended (formulas left as TeX) goes into
    ``warnings``.
    """
    if article.submission_id is None:
        raise ProductionError(_("This article has no submission to keep its files with."))
    tree = tree if tree is not None else read_jats(data)
    if article.id is None:
        db.flush()  # the figures' addresses in the reader HTML use the article's id
    html = reader_html(article, tree, warnings, settings)
    text = data.decode("utf-8") if _declares_utf8(data) else serialise_jats(tree).decode("utf-8")
    digest = storage.put(text.encode("utf-8"))
    now = now or utcnow()
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
    before = article.jats_xml or ""
    changed = text != before
    article.jats_xml = text
    article.jats_updated_at = now
    article.html = html
    article.html_version = _rendering_version()
    search.index_article(db, article, tree)
    if changed and not keep_pdf:
        had_pdf = article.pdf_sha256 is not None
        article.pdf_sha256 = None
        article.pdf_pages = None
        # A proof stands while the JATS differs from the one it showed by placement only
        # (placement_only_change); any other change needs a new proof.
        open_proofs = _proofs(db, article, (ProofState.SENT, ProofState.APPROVED))
        content = content_sha256(text) if open_proofs else None
        kept = []
        for proof in open_proofs:
            if proof_covers(proof, text, None, content):
                kept.append(proof)
            else:
                proof.state = ProofState.SUPERSEDED
        if article.doi:
            notify_crossref(db, article)
        if (had_pdf or kept) and before and placement_only_change(before, text):
            _after_placement_change(db, article, kept, user_id, settings or {})
    db.flush()
    return record


def _after_placement_change(
    db: Session,
    article: Article,
    kept: list[Proof],
    user_id: int | None,
    settings: Mapping[str, Any],
) -> None:
    """The JATS of a typeset article changed in its placement only: typeset it again in
    the background (after the commit), and tell the author whose approval (or open proof)
    stands that the PDF now carries the placement."""
    if article.state != ArticleState.IN_PRODUCTION:
        return
    tm = db.info.get("tm")
    if tm is not None and not job_busy(db, article, JOB_TYPESET):
        from frontiers_de.jobs.services import create_job
        from frontiers_de.tasks import enqueue_after_commit

        job = create_job(
            db,
            JOB_TYPESET,
            target_type=Article.__tablename__,
            target_id=article.id,
            journal_id=article.journal_id,
            created_by_id=user_id,
        )
        enqueue_after_commit(tm, "frontiers_de.production.typeset", job.id)
    if kept:
        tell_author_of_placement(db, settings, article, max(kept, key=lambda p: p.number))


def tell_author_of_placement(
    db: Session, settings: Mapping[str, Any], article: Article, proof: Proof
) -> int | None:
    """Email the corresponding author that the article's placement changed, the PDF is
    typeset again with it, and their approval of ``proof`` (or the open proof) stands.
    Returns the email's id (delivered after the commit when a transaction manager is at
    hand, else by the outbox sweep), or None when there is no one to tell."""
    from frontiers_de.mail.links import email_url
    from frontiers_de.mail.services import queue_email
    from frontiers_de.mail.tasks import deliver_email

    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        return None
    try:
        email, name, lang = corresponding_author(db, submission)
    except ProductionError:
        return None
    recipient = db.scalar(select(User).where(User.email_key == email.strip().casefold()))
    if recipient is not None:
        lang = recipient.preferred_language
    row = queue_email(
        db,
        settings,
        "production_placed",
        [email],
        {
            "lang": lang,
            "name": name,
            "title": article.title,
            "number": proof.number,
            "approved": proof.state == ProofState.APPROVED,
            **placement_of(db, article),
            "link": email_url(settings, "submissions.view", submission_id=submission.id),
        },
        db.get(Journal, article.journal_id),
    )
    workflow.audit(db, submission, None, "placement_told", proof=proof.number, to=email)
    tm = db.info.get("tm")
    if tm is not None:
        from frontiers_de.tasks import enqueue_after_commit

        enqueue_after_commit(tm, deliver_email, row.id)
    return row.id


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
    _require_in_production(article)
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


def _require_in_production(article: Article) -> None:
    if article.state != ArticleState.IN_PRODUCTION:
        raise ProductionError(
            _("The article is no longer in production; its JATS and PDF cannot be changed.")
        )


# --- conversion and checks (run by the tasks in production/tasks.py) -----------------------


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

    _require_in_production(article)
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

    _require_in_production(article)
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
    for proof in _proofs(db, article, (ProofState.SENT, ProofState.APPROVED)):
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


def latest_jobs(db: Session, article: Article) -> dict[str, Job]:
    """The newest job of each production kind for the article."""
    jobs = db.scalars(
        select(Job)
        .where(
            Job.target_type == Article.__tablename__,
            Job.target_id == article.id,
            Job.kind.in_(JOB_KINDS),
        )
        .order_by(Job.id.desc())
    ).all()
    out: dict[str, Job] = {}
    for job in jobs:
        out.setdefault(job.kind, job)
    return out


def current_findings(db: Session, article: Article) -> dict[str, Any] | None:
    """The newest check summary made from the current JATS (by a conversion or a check)."""
    digest = jats_sha256(article)
    if digest is None:
        return None
    for job in db.scalars(
        select(Job)
        .where(
            Job.target_type == Article.__tablename__,
            Job.target_id == article.id,
            Job.kind.in_((JOB_CONVERT, JOB_CHECK)),
            Job.state == JobState.DONE,
        )
        .order_by(Job.id.desc())
    ):
        if (job.result or {}).get("jats_sha256") == digest:
            return job.result
    return None


# A job queued or running for longer than this is taken as lost (a broker that was down, a
# worker that died) and the step may be started again; the job itself is idempotent.
STALE_JOB_AFTER = dt.timedelta(minutes=30)


def job_busy(db: Session, article: Article, kind: str, now: dt.datetime | None = None) -> bool:
    """Whether a job of ``kind`` for the article is queued or running (and not stale)."""
    return _live(latest_jobs(db, article).get(kind), now or utcnow())


# --- the article's state in production ------------------------------------------------------


@dataclass(frozen=True)
class StepState:
    """One step of production as the page shows it: ``state`` is a word for styles and
    tests, ``message`` the one sentence the editor reads, ``reason`` a failed job's
    reason, ``job`` the job in progress or that failed."""

    state: str
    message: TranslationString
    reason: str = ""
    job: Job | None = None


@dataclass(frozen=True)
class ProductionState:
    """Where an article stands in production, derived from the stored facts only (the
    JATS and its sha256, the PDF, the jobs and their results, the proofs): each step has
    one state, and no two steps contradict each other."""

    conversion: StepState
    checks: StepState
    pdf: StepState
    proof: StepState
    findings: dict[str, Any] | None = None  # the check summary of the current JATS
    conversion_result: dict[str, Any] | None = None  # the last conversion's report
    typeset_warnings: list[str] = field(default_factory=list)  # of the current PDF
    busy: bool = False  # a step is queued or running: the page refreshes itself


def _live(job: Job | None, now: dt.datetime) -> bool:
    """A job queued or running that is not lost (see STALE_JOB_AFTER)."""
    if job is None or job.state not in (JobState.QUEUED, JobState.RUNNING):
        return False
    return now - (job.started_at or job.created_at) < STALE_JOB_AFTER


def _lost(job: Job | None, now: dt.datetime) -> bool:
    return (
        job is not None and job.state in (JobState.QUEUED, JobState.RUNNING) and not _live(job, now)
    )


def _after_jats(job: Job, article: Article) -> bool:
    """Whether the job was started after the current JATS was saved (its outcome is about
    the current JATS, not an earlier one)."""
    return article.jats_updated_at is None or job.created_at >= article.jats_updated_at


def _in_progress(job: Job, queued: TranslationString, running: TranslationString) -> StepState:
    if job.state == JobState.RUNNING:
        return StepState("running", running, job=job)
    return StepState("queued", queued, job=job)


def _lost_step(job: Job) -> StepState:
    when = (job.started_at or job.created_at).strftime("%Y-%m-%d %H:%M")
    return StepState(
        "lost",
        _(
            "The step started at ${when} UTC did not finish (the worker may have stopped): "
            "start it again.",
            mapping={"when": when},
        ),
        job=job,
    )


def _conversion_state(
    article: Article, job: Job | None, latest: ManuscriptFile | None, now: dt.datetime
) -> StepState:
    if job is not None and _live(job, now):
        return _in_progress(
            job, _("The conversion is queued."), _("The manuscript is being converted.")
        )
    if job is not None and job.state == JobState.FAILED and _after_jats(job, article):
        message = (
            _("The last conversion failed; the previous JATS is kept.")
            if article.jats_xml
            else _("The conversion failed.")
        )
        return StepState("failed", message, reason=job.error, job=job)
    if job is not None and _lost(job, now):
        return _lost_step(job)
    if not article.jats_xml:
        return StepState("none", _("There is no JATS yet: convert the manuscript."))
    when = article.jats_updated_at.strftime("%Y-%m-%d %H:%M") if article.jats_updated_at else ""
    return StepState(
        "current",
        _(
            "The current JATS is ${file}, saved ${when} UTC.",
            mapping={"file": latest.filename if latest else "", "when": when},
        ),
    )


def _checks_state(
    article: Article,
    check: Job | None,
    convert: Job | None,
    findings: dict[str, Any] | None,
    now: dt.datetime,
) -> StepState:
    if not article.jats_xml:
        return StepState("none", _("Nothing to check until there is JATS."))
    running = next((j for j in (check, convert) if j is not None and _live(j, now)), None)
    if running is not None:
        return _in_progress(
            running, _("The checks are queued."), _("The current JATS is being checked.")
        )
    if findings is not None:
        counts = {"errors": findings["errors"], "warnings": findings["warnings"]}
        message = _(
            "${errors} error(s), ${warnings} warning(s) in the current JATS.", mapping=counts
        )
        return StepState("errors" if findings["errors"] else "passed", message)
    if check is not None and check.state == JobState.FAILED and _after_jats(check, article):
        return StepState(
            "failed", _("The checks of the current JATS failed."), reason=check.error, job=check
        )
    if check is not None and _lost(check, now):
        return _lost_step(check)
    return StepState("not_checked", _("The current JATS has not been checked yet."))


def _pdf_state(
    article: Article, job: Job | None, approval: Proof | None, now: dt.datetime
) -> StepState:
    if not article.jats_xml:
        return StepState("none", _("Nothing to typeset until there is JATS."))
    if job is not None and _live(job, now):
        return _in_progress(
            job, _("Typesetting is queued."), _("The current JATS is being typeset.")
        )
    failed = job is not None and job.state == JobState.FAILED and _after_jats(job, article)
    if article.pdf_sha256:
        pages = {"pages": article.pdf_pages or 0}
        if failed:
            assert job is not None
            return StepState(
                "failed",
                _(
                    "Typesetting again failed; the PDF of the current JATS (${pages} pages) "
                    "is kept.",
                    mapping=pages,
                ),
                reason=job.error,
                job=job,
            )
        return StepState(
            "current", _("The PDF of the current JATS: ${pages} pages.", mapping=pages)
        )
    if failed:
        assert job is not None
        return StepState(
            "failed",
            _("Typesetting the current JATS failed: there is no PDF of it."),
            reason=job.error,
            job=job,
        )
    if job is not None and _lost(job, now):
        return _lost_step(job)
    if approval is not None:
        return StepState(
            "outdated",
            _("The placement changed after the approved proof: typeset the PDF again."),
        )
    if job is not None:
        return StepState(
            "outdated", _("The PDF was made from an earlier JATS: typeset the current one.")
        )
    return StepState("not_typeset", _("The current JATS has not been typeset yet."))


def _proof_state(
    article: Article, proofs: list[Proof], approval: Proof | None, content: str | None
) -> StepState:
    if approval is not None:
        number = {"number": approval.number}
        if not article.pdf_sha256:
            return StepState(
                "approved_placement",
                _(
                    "Proof ${number} is approved and stays approved: only the placement "
                    "changed since. The PDF must carry it before publishing.",
                    mapping=number,
                ),
            )
        return StepState("approved", _("Proof ${number} was approved.", mapping=number))
    if not proofs:
        return StepState("not_sent", _("No proof has been sent yet."))
    newest = proofs[0]
    number = {"number": newest.number}
    covers = proof_covers(newest, article.jats_xml, article.pdf_sha256, content)
    if newest.state == ProofState.SENT and covers:
        return StepState(
            "waiting", _("Proof ${number} is waiting for the author's answer.", mapping=number)
        )
    if newest.state == ProofState.CORRECTIONS_REQUESTED:
        return StepState(
            "corrections",
            _(
                "The author asked for corrections to proof ${number}: make them, typeset, "
                "and send a new proof.",
                mapping=number,
            ),
        )
    return StepState(
        "outdated",
        _(
            "The JATS or its files changed after proof ${number}: send a new proof of the "
            "current PDF.",
            mapping=number,
        ),
    )


def production_state(
    db: Session, article: Article, now: dt.datetime | None = None
) -> ProductionState:
    """The one account of where the article stands in production (see ProductionState)."""
    now = now or utcnow()
    jobs = latest_jobs(db, article)
    convert, check, typeset = (jobs.get(k) for k in JOB_KINDS)
    findings = current_findings(db, article)
    versions = jats_versions(db, article.submission_id) if article.submission_id else []
    content = content_sha256(article.jats_xml) if article.jats_xml else None
    approval = approval_of_content(db, article)
    proofs = proofs_of(db, article)
    warnings: list[str] = []
    if typeset is not None and article.pdf_sha256:
        done = db.scalars(
            select(Job)
            .where(
                Job.target_type == Article.__tablename__,
                Job.target_id == article.id,
                Job.kind == JOB_TYPESET,
                Job.state == JobState.DONE,
            )
            .order_by(Job.id.desc())
        )
        made = next(
            (j for j in done if (j.result or {}).get("pdf_sha256") == article.pdf_sha256), None
        )
        warnings = list((made.result or {}).get("warnings") or []) if made else []
    conversion_result = None
    if convert is not None and convert.state == JobState.DONE:
        conversion_result = convert.result
    if article.state != ArticleState.IN_PRODUCTION:
        proof = StepState("published", _("The proofs are closed: the article is published."))
    else:
        proof = _proof_state(article, proofs, approval, content)
    return ProductionState(
        conversion=_conversion_state(article, convert, versions[0] if versions else None, now),
        checks=_checks_state(article, check, convert, findings, now),
        pdf=_pdf_state(article, typeset, approval, now),
        proof=proof,
        findings=findings,
        conversion_result=conversion_result,
        typeset_warnings=warnings,
        busy=any(_live(j, now) for j in jobs.values()),
    )


# --- proofs ---------------------------------------------------------------------------------


def _proofs(db: Session, article: Article, states: tuple[ProofState, ...]) -> list[Proof]:
    return list(
        db.scalars(select(Proof).where(Proof.article_id == article.id, Proof.state.in_(states)))
    )


def proofs_of(db: Session, article: Article) -> list[Proof]:
    """Every proof of the article, newest first."""
    return list(
        db.scalars(
            select(Proof).where(Proof.article_id == article.id).order_by(Proof.number.desc())
        )
    )


def corresponding_author(db: Session, submission: Submission) -> tuple[str, str, str]:
    """(email, name, preferred language) of whom proofs go to: the corresponding author,
    else the submitting author."""
    for person in submission.contributors:
        if person.is_corresponding and person.email and _EMAIL.match(person.email.strip()):
            user = db.get(User, person.user_id) if person.user_id else None
            name = " ".join(p for p in (person.given_name, person.family_name) if p)
            return person.email.strip(), name, user.preferred_language if user else "en"
    submitter = db.get(User, submission.submitter_id)
    if submitter is None:
        raise ProductionError(_("The submission has no corresponding author to send proofs to."))
    return submitter.email, submitter.display_name, submitter.preferred_language


@dataclass
class SentProof:
    proof: Proof
    token: str
    email_id: int


def send_proof(
    db: Session,
    settings: Mapping[str, Any],
    article: Article,
    actor: User | None,
    *,
    now: dt.datetime | None = None,
) -> SentProof:
    """Send the current PDF to the corresponding author as a proof: a new Proof row (the
    token only as its hash), older open or approved proofs superseded, and the email with
    the link queued in the same transaction."""
    from frontiers_de.mail.links import email_url
    from frontiers_de.mail.services import queue_email

    _require_in_production(article)
    if not article.pdf_sha256:
        raise ProductionError(_("There is no current PDF: typeset the article first."))
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        raise ProductionError(_("This article has no submission to keep its files with."))
    email, name, lang = corresponding_author(db, submission)
    now = now or utcnow()
    for older in _proofs(db, article, (ProofState.SENT, ProofState.APPROVED)):
        older.state = ProofState.SUPERSEDED
    number = max((p.number for p in proofs_of(db, article)), default=0) + 1
    token = new_link_token()
    recipient = db.scalar(select(User).where(User.email_key == email.strip().casefold()))
    if recipient is not None:
        lang = recipient.preferred_language
    proof = Proof(
        article_id=article.id,
        number=number,
        pdf_sha256=article.pdf_sha256,
        jats_sha256=jats_sha256(article),
        content_sha256=content_sha256(article.jats_xml) if article.jats_xml else None,
        state=ProofState.SENT,
        token_hash=hash_link_token(token),
        sent_to_id=recipient.id if recipient else None,
        sent_at=now,
    )
    db.add(proof)
    db.flush()
    days = ProductionSettings.of(settings).proof_days
    journal = db.get(Journal, article.journal_id)
    row = queue_email(
        db,
        settings,
        "production_proof",
        [email],
        {
            "lang": lang,
            "name": name,
            "title": article.title,
            "number": number,
            "link": email_url(settings, "production.proof", token=token),
            "days": days,
            "expires": (now + dt.timedelta(days=days)).date().isoformat(),
        },
        journal,
    )
    workflow.audit(db, submission, actor, "proof_sent", proof=number, to=email)
    return SentProof(proof, token, row.id)


def proof_for_token(
    db: Session, token: str, settings: Mapping[str, Any], now: dt.datetime | None = None
) -> Proof:
    """The open proof a link stands for, or :class:`ProofLinkError` saying why not."""
    if not token or len(token) > 200 or not token.isascii():
        raise ProofLinkError("invalid")
    proof = db.scalar(select(Proof).where(Proof.token_hash == hash_link_token(token)))
    if proof is None:
        raise ProofLinkError("invalid")
    if proof.state == ProofState.SUPERSEDED:
        raise ProofLinkError("superseded")
    if proof.state != ProofState.SENT:
        raise ProofLinkError("used")
    days = ProductionSettings.of(settings).proof_days
    if (now or utcnow()) > proof.sent_at + dt.timedelta(days=days):
        raise ProofLinkError("expired")
    return proof


def answer_proof(
    db: Session,
    proof: Proof,
    *,
    approve: bool,
    corrections: str = "",
    now: dt.datetime | None = None,
) -> Proof:
    """The author's answer: approval (the article keeps this PDF) or a list of corrections."""
    if proof.state != ProofState.SENT:
        raise ProofLinkError("used")
    article = db.get(Article, proof.article_id)
    assert article is not None
    corrections = corrections.strip()
    if approve:
        proof.state = ProofState.APPROVED
        # The article keeps the PDF the author saw, unless it was typeset again since
        # with a new placement (the approval covers that PDF too: proof_covers).
        if proof.jats_sha256 is None or proof.jats_sha256 == jats_sha256(article):
            article.pdf_sha256 = proof.pdf_sha256
    else:
        if not corrections:
            raise ProductionError(_("Please list the corrections you need."))
        if len(corrections) > MAX_CORRECTIONS_LENGTH:
            raise ProductionError(
                _(
                    "The list of corrections is too long: at most ${max} characters.",
                    mapping={"max": MAX_CORRECTIONS_LENGTH},
                )
            )
        proof.state = ProofState.CORRECTIONS_REQUESTED
    proof.corrections = corrections
    proof.responded_at = now or utcnow()
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is not None:
        workflow.audit(
            db,
            submission,
            None,
            "proof_approved" if approve else "proof_corrections",
            proof=proof.number,
        )
    db.flush()
    return proof


# --- publishing -----------------------------------------------------------------------------


def approval_of_content(db: Session, article: Article) -> Proof | None:
    """The newest approved proof that still holds for the article (:func:`proof_covers`),
    whether or not there is a PDF of the current JATS yet (after a change of placement,
    the PDF is typeset again and the approval stands)."""
    content = content_sha256(article.jats_xml) if article.jats_xml else None
    for proof in db.scalars(
        select(Proof)
        .where(Proof.article_id == article.id, Proof.state == ProofState.APPROVED)
        .order_by(Proof.number.desc())
    ):
        if proof_covers(proof, article.jats_xml, article.pdf_sha256, content):
            return proof
    return None


def approved_proof(db: Session, article: Article) -> Proof | None:
    """The approved proof that covers the article's current PDF (typeset from the JATS the
    author saw, or from that JATS with a new placement), if there is one."""
    if not article.pdf_sha256:
        return None
    return approval_of_content(db, article)


def publish_problems(
    db: Session, storage: FileStorage, article: Article, settings: Mapping[str, Any]
) -> list[TranslationString]:
    """Why the article cannot be published now (empty when it can). The JATS is checked
    afresh: a stored result could be older than the JATS."""
    problems: list[TranslationString] = []
    if not article.jats_xml:
        problems.append(_("There is no JATS yet: convert the manuscript first."))
    else:
        summary = check_jats(article, db.get(Journal, article.journal_id), settings)
        if summary["errors"]:
            problems.append(
                _(
                    "The JATS does not pass the checks: ${count} error(s). Fix them and "
                    "check again.",
                    mapping={"count": summary["errors"]},
                )
            )
    if article.jats_xml:
        from frontiers_de.production.assets import missing_assets

        missing = missing_assets(db, article)
        if missing:
            # Readers would see broken images, and the PDF has placeholders.
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            problems.append(
                _(
                    "${count} file(s) that the JATS names are missing (${names}): upload "
                    "them under Figures and files.",
                    mapping={"count": len(missing), "names": shown},
                )
            )
    if not article.pdf_sha256:
        problems.append(_("There is no PDF of the current JATS: typeset the article."))
    elif approved_proof(db, article) is None:
        problems.append(_("The author has not approved a proof of the current PDF: send a proof."))
    elif not storage.exists(article.pdf_sha256):
        problems.append(_("The approved PDF is missing from the file storage."))
    return problems


def publish(
    db: Session,
    storage: FileStorage,
    article: Article,
    actor: User | None,
    settings: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> Article:
    """Workflow "publish" once the JATS passes the checks and the author approved the PDF;
    raises :class:`PublishRefused` with every reason otherwise."""
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None:
        raise PublishRefused([_("This article has no submission to keep its files with.")])
    if not workflow.may(submission, "publish", actor):
        raise PublishRefused([_("The article cannot be published from its state.")])
    problems = publish_problems(db, storage, article, settings)
    if problems:
        raise PublishRefused(problems)
    now = now or utcnow()
    assert article.jats_xml is not None and article.pdf_sha256 is not None
    # The JATS gets its publication date before the workflow's hooks (the Crossref
    # deposit) read it; the approved PDF stays the article's PDF.
    tree = parse_xml(article.jats_xml.encode("utf-8"))
    if stamp_publication_date(tree, now.date()):
        store_jats(
            db,
            storage,
            article,
            serialise_jats(tree),
            filename=f"{pdf_filename(article).removesuffix('.pdf')}.published.xml",
            user_id=actor.id if actor else None,
            tree=tree,
            now=now,
            keep_pdf=True,
            settings=settings,
        )
    article.state = ArticleState.PUBLISHED
    article.published_at = now
    workflow.apply(db, submission, "publish", actor, now=now)
    search.index_article(db, article, tree)  # an article stored before search existed
    db.add(
        ManuscriptFile(
            submission_id=submission.id,
            round_number=0,
            kind=FileKind.FINAL_PDF,
            filename=pdf_filename(article),
            media_type=PDF_MEDIA_TYPE,
            size=len(storage.get(article.pdf_sha256)),
            sha256=article.pdf_sha256,
            uploaded_by_id=actor.id if actor else None,
        )
    )
    db.flush()
    return article
