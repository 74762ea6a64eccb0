"""Volumes and issues: create them, put articles into an issue in their order, take them
out again. The writes of the journal's placement of its articles (publishing an issue is
:mod:`frontiers_de.articles.publication`'s).

An article's placement (volume, issue, e-location) is part of its JATS front matter, so
every change of placement goes through :func:`~frontiers_de.articles.jats.store_jats` like
any other change of the JATS, and what follows is the reacting domains' (see
:class:`~frontiers_de.articles.events.ArticleJatsChanged`): the reader HTML is made again,
the PDF of an article still in production stops being current (the typeset page carries the
placement) and is typeset again in the background, and a DOI already registered with
Crossref is marked stale for a new deposit. The placement is not the author's to approve:
an approved (or open) proof stands, and the author is told
(``articles.placement.placement_only_change`` is the rule). The PDF of an article that is
already published (continuous publication) is the approved one readers have; it is kept,
and only its JATS, HTML and Crossref metadata follow.

Forms send text; the functions here take that text and refuse bad values with
:class:`IssueFormError`, one message per field, before anything is changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pyramid.i18n import TranslationString
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles import placement
from frontiers_de.articles import services as article_services
from frontiers_de.articles.jats import serialise_jats, store_jats
from frontiers_de.articles.models import Article, ArticleState, Issue, IssueState, Volume
from frontiers_de.articles.services import ArticleError
from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.i18n import _
from frontiers_de.journals.models import Journal
from frontiers_de.storage import FileStorage
from frontiers_de.submissions.models import Submission
from frontiers_de.xml.safe import parse_xml

# Volume numbers appear in addresses (/issues/{volume}/{issue}) of at most nine digits.
MAX_VOLUME_NUMBER = 999_999_999
EARLIEST_YEAR = 1900
YEARS_AHEAD = 5  # an issue may be planned this many years ahead, no more
MAX_TITLE_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 5000
# Issue numbers are part of the issue's address: letters, digits and hyphens ("1", "S1").
_ISSUE_NUMBER = re.compile(r"^[0-9A-Za-z](?:[0-9A-Za-z-]{0,18}[0-9A-Za-z])?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Articles that may be put into an issue: still in production, or published already
# (continuous publication) and later gathered into an issue.
ASSIGNABLE_STATES = (
    ArticleState.IN_PRODUCTION,
    ArticleState.SCHEDULED,
    ArticleState.PUBLISHED,
    ArticleState.CORRECTED,
)
PUBLIC_STATES = (ArticleState.PUBLISHED, ArticleState.CORRECTED)
UNPUBLISHED_STATES = (ArticleState.IN_PRODUCTION, ArticleState.SCHEDULED)


class IssueError(ArticleError):
    """An issue action the rules refuse; ``message`` says why."""


class IssueFormError(IssueError):
    """Refused form values: ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, TranslationString]) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = errors


# --- reading form values ------------------------------------------------------------------


def _whole_number(raw: Any, errors: dict[str, TranslationString], name: str) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        errors[name] = _("This field is required.")
        return None
    if not text.isascii() or not text.isdigit():
        errors[name] = _(
            "Enter a whole number of digits only (you entered “${value}”).",
            mapping={"value": text[:40]},
        )
        return None
    return int(text)


def _volume_number(raw: Any, errors: dict[str, TranslationString]) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if text.startswith("-") and text[1:].isdigit():
        errors["number"] = _("A volume number must be 1 or more, not negative.")
        return None
    number = _whole_number(text, errors, "number")
    if number is None:
        return None
    if not 1 <= number <= MAX_VOLUME_NUMBER:
        errors["number"] = _(
            "A volume number must be between 1 and ${max}.", mapping={"max": MAX_VOLUME_NUMBER}
        )
        return None
    return number


def _year(raw: Any, errors: dict[str, TranslationString], now: dt.datetime) -> int | None:
    year = _whole_number(raw, errors, "year")
    if year is None:
        return None
    latest = now.year + YEARS_AHEAD
    if not EARLIEST_YEAR <= year <= latest:
        errors["year"] = _(
            "The year must be between ${first} and ${last}.",
            mapping={"first": EARLIEST_YEAR, "last": latest},
        )
        return None
    return year


def _text(
    raw: Any, errors: dict[str, TranslationString], name: str, limit: int, *, multiline: bool
) -> str:
    text = str(raw if raw is not None else "").strip()
    if len(text) > limit:
        errors[name] = _(
            "This field is too long: at most ${max} characters (you sent ${length}).",
            mapping={"max": limit, "length": len(text)},
        )
    elif (_CONTROL if multiline else re.compile(r"[\x00-\x1f\x7f]")).search(text):
        errors[name] = _("This field contains control characters, which are not allowed.")
    return text


def _issue_number(raw: Any, errors: dict[str, TranslationString]) -> str:
    text = str(raw if raw is not None else "").strip()
    if not text:
        errors["number"] = _("This field is required.")
    elif text.startswith("-") and text[1:].isdigit():
        errors["number"] = _("An issue number cannot be negative.")
    elif not _ISSUE_NUMBER.match(text):
        errors["number"] = _(
            "An issue number is 1 to 20 letters, digits or hyphens, such as 1 or S1 "
            "(you entered “${value}”).",
            mapping={"value": text[:40]},
        )
    elif text.isdigit() and int(text) == 0:
        errors["number"] = _("An issue number must be 1 or more.")
    return text


# --- overview -----------------------------------------------------------------------------


@dataclass
class IssueRow:
    issue: Issue
    articles: int
    published: int


@dataclass
class VolumeRow:
    volume: Volume
    issues: list[IssueRow] = field(default_factory=list)


def _issue_order(number: str) -> tuple[int, int, str]:
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def overview(db: Session, journal_id: int) -> list[VolumeRow]:
    """Every volume of the journal (newest first) with its issues in order, each with how
    many articles it holds and how many of them are published."""
    counts: dict[int, tuple[int, int]] = {}
    for issue_id, state, n in db.execute(
        select(Article.issue_id, Article.state, func.count(Article.id))
        .where(Article.journal_id == journal_id, Article.issue_id.is_not(None))
        .group_by(Article.issue_id, Article.state)
    ):
        total, public = counts.get(issue_id, (0, 0))
        counts[issue_id] = (total + n, public + (n if state in PUBLIC_STATES else 0))
    rows = []
    for volume in db.scalars(
        select(Volume).where(Volume.journal_id == journal_id).order_by(Volume.number.desc())
    ):
        row = VolumeRow(volume)
        for issue in sorted(volume.issues, key=lambda i: _issue_order(i.number)):
            total, public = counts.get(issue.id, (0, 0))
            row.issues.append(IssueRow(issue, total, public))
        rows.append(row)
    return rows


def volumes_of(db: Session, journal_id: int) -> list[Volume]:
    return list(
        db.scalars(
            select(Volume).where(Volume.journal_id == journal_id).order_by(Volume.number.desc())
        )
    )


def articles_in(db: Session, issue: Issue) -> list[Article]:
    """The issue's articles in their order (the table of contents follows it)."""
    return list(
        db.scalars(
            select(Article)
            .where(Article.issue_id == issue.id)
            .order_by(Article.position, Article.id)
        )
    )


def assignable_articles(db: Session, issue: Issue) -> list[Article]:
    """Articles that may be put into ``issue``: in production or published, not in it yet,
    and not in an issue that is already published."""
    published_issues = select(Issue.id).where(Issue.state == IssueState.PUBLISHED)
    return list(
        db.scalars(
            select(Article)
            .where(
                Article.journal_id == issue.journal_id,
                Article.state.in_(ASSIGNABLE_STATES),
                (Article.issue_id.is_(None))
                | ((Article.issue_id != issue.id) & Article.issue_id.not_in(published_issues)),
            )
            .order_by(Article.state, Article.title, Article.id)
        )
    )


# --- volumes and issues -------------------------------------------------------------------


def create_volume(
    db: Session, journal: Journal, number: Any, year: Any, *, now: dt.datetime | None = None
) -> Volume:
    """A new volume of ``journal``; :class:`IssueFormError` for a bad or taken number or a
    year out of range."""
    errors: dict[str, TranslationString] = {}
    value = _volume_number(number, errors)
    when = _year(year, errors, now or utcnow())
    if value is not None and db.scalar(
        select(Volume.id).where(Volume.journal_id == journal.id, Volume.number == value)
    ):
        errors["number"] = _("Volume ${number} exists already.", mapping={"number": value})
    if errors:
        raise IssueFormError(errors)
    assert value is not None and when is not None
    volume = Volume(journal_id=journal.id, number=value, year=when)
    db.add(volume)
    db.flush()
    return volume


def _volume_of_journal(db: Session, journal: Journal, raw: Any) -> Volume | None:
    text = str(raw if raw is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    volume = db.get(Volume, int(text))
    return volume if volume is not None and volume.journal_id == journal.id else None


def _number_taken(db: Session, volume: Volume, number: str, but: Issue | None = None) -> bool:
    query = select(Issue.id).where(Issue.volume_id == volume.id, Issue.number == number)
    if but is not None:
        query = query.where(Issue.id != but.id)
    return db.scalar(query) is not None


def create_issue(
    db: Session,
    journal: Journal,
    volume_id: Any,
    number: Any,
    year: Any,
    title: Any = "",
    description: Any = "",
    *,
    now: dt.datetime | None = None,
) -> Issue:
    """A new planned issue in one of the journal's volumes."""
    errors: dict[str, TranslationString] = {}
    volume = _volume_of_journal(db, journal, volume_id)
    if volume is None:
        errors["volume"] = _("Choose one of the journal's volumes.")
    value = _issue_number(number, errors)
    when = _year(year, errors, now or utcnow())
    text_title = _text(title, errors, "title", MAX_TITLE_LENGTH, multiline=False)
    text_desc = _text(description, errors, "description", MAX_DESCRIPTION_LENGTH, multiline=True)
    if volume is not None and "number" not in errors and _number_taken(db, volume, value):
        errors["number"] = _(
            "Volume ${volume} already has an issue ${number}.",
            mapping={"volume": volume.number, "number": value},
        )
    if errors:
        raise IssueFormError(errors)
    assert volume is not None and when is not None
    issue = Issue(
        journal_id=journal.id,
        volume_id=volume.id,
        number=value,
        year=when,
        title=text_title,
        description=text_desc,
        state=IssueState.PLANNED,
    )
    db.add(issue)
    db.flush()
    return issue


def require_planned(issue: Issue) -> None:
    """Refuse (:class:`IssueError`) unless ``issue`` is still planned."""
    if issue.state != IssueState.PLANNED:
        raise IssueError(
            _("This issue is published: its details and its articles can no longer change.")
        )


def edit_issue(
    db: Session,
    storage: FileStorage,
    issue: Issue,
    number: Any,
    year: Any,
    title: Any,
    description: Any,
    actor: User | None,
    *,
    now: dt.datetime | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Issue:
    """Change a planned issue. A new number is written into the JATS of its articles."""
    require_planned(issue)
    errors: dict[str, TranslationString] = {}
    value = _issue_number(number, errors)
    when = _year(year, errors, now or utcnow())
    text_title = _text(title, errors, "title", MAX_TITLE_LENGTH, multiline=False)
    text_desc = _text(description, errors, "description", MAX_DESCRIPTION_LENGTH, multiline=True)
    if "number" not in errors and _number_taken(db, issue.volume, value, but=issue):
        errors["number"] = _(
            "Volume ${volume} already has an issue ${number}.",
            mapping={"volume": issue.volume.number, "number": value},
        )
    if errors:
        raise IssueFormError(errors)
    assert when is not None
    renumbered = value != issue.number
    issue.number, issue.year = value, when
    issue.title, issue.description = text_title, text_desc
    db.flush()
    if renumbered:
        for article in articles_in(db, issue):
            place_in_jats(db, storage, article, actor, now=now, settings=settings)
    return issue


# --- placing articles ---------------------------------------------------------------------

# article-meta children in JATS 1.3 order, from the publication date to the e-location:
# a new element goes before the first existing child that must follow it.
_META_ORDER = ["pub-date", "pub-date-not-available", *placement.AFTER_PUB_DATE]


def _insert_in_order(meta: etree._Element, element: etree._Element) -> None:
    name = etree.QName(element).localname
    following = set(_META_ORDER[_META_ORDER.index(name) + 1 :])
    after = next(
        (c for c in meta.iterchildren(tag=etree.Element) if etree.QName(c).localname in following),
        None,
    )
    if after is None:
        last = meta[-1] if len(meta) else None
        element.tail = last.tail if last is not None else None
        if last is not None:
            last.tail = last.getprevious().tail if last.getprevious() is not None else "\n"
        meta.append(element)
        return
    previous = after.getprevious()
    element.tail = previous.tail if previous is not None else after.tail
    after.addprevious(element)


def _set_single(meta: etree._Element, name: str, value: str | None) -> bool:
    """Make ``value`` the one ``name`` child of article-meta (None: no such child)."""
    existing = meta.findall(name)
    if value is None:
        for element in existing:
            meta.remove(element)
        return bool(existing)
    if len(existing) == 1 and (existing[0].text or "").strip() == value and not len(existing[0]):
        return False
    for element in existing:
        meta.remove(element)
    element = etree.Element(name)
    element.text = value
    _insert_in_order(meta, element)
    return True


def stamp_placement(
    tree: etree._ElementTree, volume: str | None, issue: str | None, elocation_id: str = ""
) -> bool:
    """Write the article's volume and issue (None: none) and, unless it has page numbers,
    its e-location id into the JATS front matter, in schema order. Returns whether the
    JATS changed."""
    meta = tree.getroot().find("front/article-meta")
    if meta is None:
        return False
    changed = _set_single(meta, "volume", volume)
    changed = _set_single(meta, "issue", issue) or changed
    if elocation_id and meta.find("fpage") is None:
        changed = _set_single(meta, "elocation-id", elocation_id) or changed
    return changed


def elocation_for(db: Session, article: Article) -> str:
    """The article's e-location id: the one it has, else ``e`` and its DOI number (as the
    journal numbers its articles) when the journal uses e-locations (its setting
    ``elocation_ids``, on unless set to false)."""
    if article.elocation_id:
        return article.elocation_id
    journal = db.get(Journal, article.journal_id)
    if journal is None or (journal.settings or {}).get("elocation_ids", True) is False:
        return ""
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is None or not submission.doi_number:
        return ""
    return f"e{submission.doi_number:04d}"


def place_in_jats(
    db: Session,
    storage: FileStorage,
    article: Article,
    actor: User | None,
    *,
    now: dt.datetime | None = None,
    settings: Mapping[str, Any] | None = None,
) -> bool:
    """Bring the article's JATS in line with its placement, through :func:`store_jats`.

    An article still in production loses its current PDF (the page shows the placement),
    which is typeset again; its author's approval stands and the author is told. A
    published article keeps the PDF readers have; its registered DOI is marked for a new
    deposit. Returns whether the JATS changed."""
    if not article.jats_xml:
        return False  # the conversion writes the placement from the database
    tree = parse_xml(article.jats_xml.encode("utf-8"))
    issue = db.get(Issue, article.issue_id) if article.issue_id else None
    volume = str(issue.volume.number) if issue is not None else None
    if not stamp_placement(tree, volume, issue.number if issue else None, article.elocation_id):
        return False
    published = article.state in PUBLIC_STATES
    stem = article_services.pdf_filename(article).removesuffix(".pdf")
    store_jats(
        db,
        storage,
        article,
        serialise_jats(tree),
        filename=f"{stem}.placed.xml",
        user_id=actor.id if actor else None,
        tree=tree,
        now=now,
        keep_pdf=published,
        settings=settings,
    )
    return True


def _next_position(db: Session, issue: Issue) -> int:
    last = db.scalar(select(func.max(Article.position)).where(Article.issue_id == issue.id))
    return (last or 0) + 1


def _audit(db: Session, article: Article, actor: User | None, action: str, **detail: Any) -> None:
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    if submission is not None:
        workflow.audit(db, submission, actor, action, **detail)


def assign_article(
    db: Session,
    storage: FileStorage,
    issue: Issue,
    article_id: Any,
    actor: User | None,
    *,
    now: dt.datetime | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Article:
    """Put an article into a planned issue, last in its order; its JATS gets the volume,
    the issue and (where the journal uses them) its e-location id. An article in another
    planned issue moves from there."""
    require_planned(issue)
    text = str(article_id if article_id is not None else "").strip()
    article = None
    if text.isascii() and text.isdigit() and len(text) <= 18:
        article = db.get(Article, int(text))
    if article is None or article.journal_id != issue.journal_id:
        raise IssueFormError({"article": _("Choose an article of this journal.")})
    if article.state == ArticleState.RETRACTED:
        raise IssueFormError({"article": _("A retracted article cannot be put into an issue.")})
    if article.state not in ASSIGNABLE_STATES:
        raise IssueFormError(
            {"article": _("Only articles in production or published can be put into an issue.")}
        )
    if article.issue_id == issue.id:
        raise IssueFormError({"article": _("The article is in this issue already.")})
    if article.issue_id is not None:
        current = db.get(Issue, article.issue_id)
        if current is not None and current.state == IssueState.PUBLISHED:
            raise IssueFormError(
                {
                    "article": _(
                        "The article belongs to Volume ${volume}, Issue ${issue}, which is "
                        "published; it cannot move.",
                        mapping={"volume": current.volume.number, "issue": current.number},
                    )
                }
            )
    article.issue_id = issue.id
    article.position = _next_position(db, issue)
    article.elocation_id = elocation_for(db, article)
    db.flush()
    db.expire(article, ["issue"])
    place_in_jats(db, storage, article, actor, now=now, settings=settings)
    _audit(
        db,
        article,
        actor,
        "issue_assigned",
        volume=issue.volume.number,
        issue=issue.number,
        position=article.position,
    )
    db.expire(issue, ["articles"])
    return article


def _article_in(db: Session, issue: Issue, article_id: Any) -> Article:
    text = str(article_id if article_id is not None else "").strip()
    article = db.get(Article, int(text)) if text.isdigit() and len(text) <= 18 else None
    if article is None or article.issue_id != issue.id:
        raise IssueError(_("That article is not in this issue."))
    return article


def move_article(db: Session, issue: Issue, article_id: Any, direction: str) -> list[Article]:
    """Move an article one place up or down in the issue; positions become 1, 2, 3 …"""
    require_planned(issue)
    if direction not in ("up", "down"):
        raise IssueError(_("Choose whether to move the article up or down."))
    article = _article_in(db, issue, article_id)
    order = articles_in(db, issue)
    index = order.index(article)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    for position, each in enumerate(order, start=1):
        if each.position != position:
            each.position = position
    db.flush()
    db.expire(issue, ["articles"])
    return order


def remove_article(
    db: Session,
    storage: FileStorage,
    issue: Issue,
    article_id: Any,
    actor: User | None,
    *,
    now: dt.datetime | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Article:
    """Take an article out of a planned issue: its JATS loses the volume and issue (the
    e-location id, the article's own number, stays); the others close up."""
    require_planned(issue)
    article = _article_in(db, issue, article_id)
    article.issue_id = None
    article.position = 0
    db.flush()
    db.expire(article, ["issue"])
    place_in_jats(db, storage, article, actor, now=now, settings=settings)
    for position, each in enumerate(articles_in(db, issue), start=1):
        each.position = position
    _audit(db, article, actor, "issue_removed", volume=issue.volume.number, issue=issue.number)
    db.flush()
    db.expire(issue, ["articles"])
    return article
