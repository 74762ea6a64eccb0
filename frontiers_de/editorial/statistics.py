"""Journal statistics for the editors: what came in, what was decided and how fast, and how
reviewers answer, for one calendar year (UTC) and optionally one section.

Where each fact lives:

- received: ``submissions.submitted_at`` (set once, by the workflow's ``submit``);
- accepted, rejected, desk-rejected: ``decisions`` (``kind``, ``decided_at``), counted in the
  month the decision was made; a revision decision is not a final one and is not counted;
- acceptance rate: accepted / (accepted + rejected + desk-rejected) of the year's final
  decisions;
- days to first decision: the earliest ``decisions.decided_at`` of a submission (desk
  rejections and revision requests count) minus its ``submitted_at``; to acceptance:
  ``submissions.accepted_at`` minus ``submitted_at``; to publication: the workflow's
  ``publish`` audit event (``audit_events.created_at``: articles.publication sets the
  article's ``published_at`` to the same moment in the same call) minus ``submitted_at``.
  The audit trail is editorial's own; the articles table belongs to a domain above this one.
  Each is counted in the year its end fell in;
- reviewers: ``review_assignments`` invited in the year (``invited_at``, ``responded_at``,
  ``state``) and their reviews' ``submitted_at``. An invitation is accepted once answered
  and not declined (an accepted one that was cancelled later still counts as accepted).

Counts are grouped in SQL on both databases. Months are buckets made by comparing the
timestamp with each month's UTC start (a CASE over bound dates), so neither SQLite's
strftime nor PostgreSQL's session time zone decides the month. Medians: neither SQLite nor
PostgreSQL's standard SQL has a portable MEDIAN (PostgreSQL's ``percentile_cont`` is not in
SQLite), so SQL selects the pairs of dates and Python takes the median of the durations.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

from frontiers_de.editorial.models import AuditEvent, Decision, DecisionKind
from frontiers_de.i18n import _, pgettext
from frontiers_de.journals.models import Journal, Section
from frontiers_de.review.models import AssignmentState, Review, ReviewAssignment, ReviewRound
from frontiers_de.submissions.models import Submission

# The counted figures, in the order of the tables and the CSV.
COUNTS = ("received", "accepted", "rejected", "desk_rejected")
FINAL_KINDS: dict[DecisionKind, str] = {
    DecisionKind.ACCEPT: "accepted",
    DecisionKind.REJECT: "rejected",
    DecisionKind.DESK_REJECT: "desk_rejected",
}
LABELS = {
    "received": pgettext("statistics", "Received"),
    "accepted": pgettext("statistics", "Accepted"),
    "rejected": pgettext("statistics", "Rejected after review"),
    "desk_rejected": pgettext("statistics", "Rejected without review"),
    "acceptance_rate": pgettext("statistics", "Acceptance rate (%)"),
    "days_to_first_decision": _("Median days to first decision"),
    "days_to_acceptance": _("Median days to acceptance"),
    "days_to_publication": _("Median days to publication"),
    "invitations": _("Reviewer invitations sent"),
    "invitations_accepted": pgettext("statistics", "Invitations accepted"),
    "invitations_declined": pgettext("statistics", "Invitations declined"),
    "invitations_unanswered": _("Invitations not answered"),
    "invitation_acceptance_rate": _("Invitations accepted of those answered (%)"),
    "days_to_answer": _("Median days to answer an invitation"),
    "days_to_review": _("Median days from invitation to review"),
    "reviews_submitted": pgettext("statistics", "Reviews submitted"),
}
NO_SECTION = 0  # the key of submissions without a section in ``by_section``


class StatisticsError(ValueError):
    """A filter that names no year or section of this journal."""


@dataclass(frozen=True)
class Filters:
    """The year (UTC calendar year) and section (None: every section) the figures cover."""

    year: int
    section_id: int | None = None

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, 1, 1, tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime(self.year + 1, 1, 1, tzinfo=dt.UTC)

    def month_starts(self) -> list[dt.datetime]:
        """The UTC start of each month of the year, and of the next year (13 bounds)."""
        return [dt.datetime(self.year, m, 1, tzinfo=dt.UTC) for m in range(1, 13)] + [self.end]


@dataclass
class Counts:
    """Received and final decisions in one month or section."""

    received: int = 0
    accepted: int = 0
    rejected: int = 0
    desk_rejected: int = 0

    @property
    def decided(self) -> int:
        return self.accepted + self.rejected + self.desk_rejected

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted, in percent of the final decisions (None: no final decision)."""
        return round(100 * self.accepted / self.decided, 1) if self.decided else None

    def add(self, figure: str, n: int) -> None:
        setattr(self, figure, getattr(self, figure) + n)


@dataclass
class Reviewing:
    """How reviewers answered the invitations sent in the year."""

    invitations: int = 0
    invitations_accepted: int = 0
    invitations_declined: int = 0
    invitations_unanswered: int = 0
    reviews_submitted: int = 0
    days_to_answer: float | None = None
    days_to_review: float | None = None

    @property
    def invitation_acceptance_rate(self) -> float | None:
        answered = self.invitations_accepted + self.invitations_declined
        return round(100 * self.invitations_accepted / answered, 1) if answered else None


@dataclass
class Statistics:
    """Every figure of the page for one journal, year and section."""

    filters: Filters
    by_month: list[Counts]  # twelve, January first
    by_section: dict[int, Counts]  # section id (NO_SECTION: none) -> its counts
    total: Counts
    days_to_first_decision: float | None
    days_to_acceptance: float | None
    days_to_publication: float | None
    reviewing: Reviewing
    sections: list[Section] = field(default_factory=list)


def years(db: Session, journal_id: int, today: dt.date) -> list[int]:
    """The years there is something to show: from the first submission to this year,
    newest first."""
    first = db.scalar(
        select(func.min(Submission.submitted_at)).where(Submission.journal_id == journal_id)
    )
    start = min(first.year, today.year) if first is not None else today.year
    return list(range(today.year, start - 1, -1))


def parse_filters(journal: Journal, year: Any, section: Any, today: dt.date) -> Filters:
    """The filters from a query string's ``year`` and ``section`` (empty: this year, every
    section); :class:`StatisticsError` for a year out of range or another journal's section."""
    try:
        chosen = int(year) if str(year or "").strip() else today.year
        section_id = int(section) if str(section or "").strip() else None
    except ValueError as exc:
        raise StatisticsError(_("Choose a year and a section from the lists.")) from exc
    if not 1900 <= chosen <= today.year + 1:
        raise StatisticsError(_("Choose a year and a section from the lists."))
    if section_id is not None and section_id not in {s.id for s in journal.sections}:
        raise StatisticsError(_("Choose a year and a section from the lists."))
    return Filters(chosen, section_id)


def _month_of(column: Any, filters: Filters) -> ColumnElement[Any]:
    """The month (1-12) of ``column`` within the filters' year, as SQL."""
    bounds = filters.month_starts()
    return case(*((column < bounds[m], literal(m)) for m in range(1, 13)), else_=literal(0))


def _in_year(column: Any, filters: Filters) -> ColumnElement[bool]:
    return and_(column >= filters.start, column < filters.end)


def _submissions_of(journal_id: int, filters: Filters) -> list[ColumnElement[bool]]:
    where = [Submission.journal_id == journal_id]
    if filters.section_id is not None:
        where.append(Submission.section_id == filters.section_id)
    return where


def _counted(db: Session, journal_id: int, filters: Filters) -> list[tuple[int, int, str, int]]:
    """(month, section id or 0, figure, count) rows: received and final decisions."""
    where = _submissions_of(journal_id, filters)
    received = (
        select(
            _month_of(Submission.submitted_at, filters).label("month"),
            func.coalesce(Submission.section_id, NO_SECTION).label("section"),
        )
        .where(*where, _in_year(Submission.submitted_at, filters))
        .subquery()
    )
    decided = (
        select(
            _month_of(Decision.decided_at, filters).label("month"),
            func.coalesce(Submission.section_id, NO_SECTION).label("section"),
            Decision.kind.label("kind"),
        )
        .join(Submission, Submission.id == Decision.submission_id)
        .where(*where, _in_year(Decision.decided_at, filters), Decision.kind.in_(FINAL_KINDS))
        .subquery()
    )
    # Grouped over a subquery: PostgreSQL would not see the CASE of the SELECT and of the
    # GROUP BY as one expression, their bound dates being separate parameters.
    rows: list[tuple[int, int, str, int]] = [
        (month, section, "received", n)
        for month, section, n in db.execute(
            select(received.c.month, received.c.section, func.count()).group_by(
                received.c.month, received.c.section
            )
        )
    ]
    for month, section, kind, n in db.execute(
        select(decided.c.month, decided.c.section, decided.c.kind, func.count()).group_by(
            decided.c.month, decided.c.section, decided.c.kind
        )
    ):
        rows.append((month, section, FINAL_KINDS[DecisionKind(kind)], n))
    return rows


def median_days(pairs: Iterable[tuple[dt.datetime | None, dt.datetime | None]]) -> float | None:
    """The median of the days from each start to its end (pairs with a missing date are
    left out), to one decimal; None when there is none."""
    days = [(end - start).total_seconds() / 86400 for start, end in pairs if start and end]
    return round(pystats.median(days), 1) if days else None


def _durations(db: Session, journal_id: int, filters: Filters) -> tuple[Any, Any, Any]:
    """The medians of days to first decision, to acceptance and to publication."""
    where = _submissions_of(journal_id, filters)
    first = (
        select(Decision.submission_id, func.min(Decision.decided_at).label("at"))
        .group_by(Decision.submission_id)
        .subquery()
    )
    published = (
        select(AuditEvent.submission_id, func.min(AuditEvent.created_at).label("at"))
        .where(AuditEvent.action == "publish")
        .group_by(AuditEvent.submission_id)
        .subquery()
    )
    to_decision = db.execute(
        select(Submission.submitted_at, first.c.at)
        .join(first, first.c.submission_id == Submission.id)
        .where(*where, _in_year(first.c.at, filters))
    )
    to_acceptance = db.execute(
        select(Submission.submitted_at, Submission.accepted_at).where(
            *where, _in_year(Submission.accepted_at, filters)
        )
    )
    to_publication = db.execute(
        select(Submission.submitted_at, published.c.at)
        .join(published, published.c.submission_id == Submission.id)
        .where(*where, _in_year(published.c.at, filters))
    )
    return (
        median_days(_utc(r) for r in to_decision),
        median_days(_utc(r) for r in to_acceptance),
        median_days(_utc(r) for r in to_publication),
    )


def as_utc(value: Any) -> dt.datetime | None:
    """A date from the database as an aware UTC datetime (an aggregate such as MIN comes
    back from SQLite as text, without the column's type)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _utc(row: Sequence[Any]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """A pair of dates as aware UTC datetimes (see :func:`as_utc`)."""
    return as_utc(row[0]), as_utc(row[1])


def _reviewing(db: Session, journal_id: int, filters: Filters) -> Reviewing:
    """The invitations sent in the year and how they were answered."""
    answered = ReviewAssignment.responded_at.is_not(None)
    declined = ReviewAssignment.state == AssignmentState.DECLINED
    invited = ReviewAssignment.state == AssignmentState.INVITED
    base = (
        select(ReviewAssignment)
        .join(ReviewRound, ReviewRound.id == ReviewAssignment.round_id)
        .join(Submission, Submission.id == ReviewRound.submission_id)
        .outerjoin(Review, Review.assignment_id == ReviewAssignment.id)
        .where(
            *_submissions_of(journal_id, filters), _in_year(ReviewAssignment.invited_at, filters)
        )
    )
    row = db.execute(
        base.with_only_columns(
            func.count(),
            func.count().filter(and_(answered, ~declined)),
            func.count().filter(declined),
            func.count().filter(invited),
            func.count(Review.submitted_at),
        )
    ).one()
    answers = db.execute(
        base.with_only_columns(ReviewAssignment.invited_at, ReviewAssignment.responded_at)
    )
    reviews = db.execute(base.with_only_columns(ReviewAssignment.invited_at, Review.submitted_at))
    return Reviewing(
        invitations=row[0],
        invitations_accepted=row[1],
        invitations_declined=row[2],
        invitations_unanswered=row[3],
        reviews_submitted=row[4],
        days_to_answer=median_days(_utc(r) for r in answers),
        days_to_review=median_days(_utc(r) for r in reviews),
    )


def journal_statistics(db: Session, journal: Journal, filters: Filters) -> Statistics:
    """Every figure of the statistics page for ``journal`` under ``filters``."""
    by_month = [Counts() for _month in range(12)]
    by_section: dict[int, Counts] = {}
    if filters.section_id is None:
        by_section = {s.id: Counts() for s in journal.sections}
    else:
        by_section = {filters.section_id: Counts()}
    total = Counts()
    for month, section, figure, n in _counted(db, journal.id, filters):
        if not 1 <= month <= 12:
            continue
        by_month[month - 1].add(figure, n)
        by_section.setdefault(section, Counts()).add(figure, n)
        total.add(figure, n)
    first, acceptance, publication = _durations(db, journal.id, filters)
    return Statistics(
        filters=filters,
        by_month=by_month,
        by_section=by_section,
        total=total,
        days_to_first_decision=first,
        days_to_acceptance=acceptance,
        days_to_publication=publication,
        reviewing=_reviewing(db, journal.id, filters),
        sections=list(journal.sections),
    )


# --- CSV --------------------------------------------------------------------------------------


def csv_rows(stats: Statistics, section_names: dict[int, str], translate: Any) -> list[list[Any]]:
    """The figures as rows of (figure, period, section, value): one table a spreadsheet
    can pivot. Months are ``YYYY-MM``; the year's figures have the year as period."""
    year = stats.filters.year
    everywhere = (
        section_names.get(stats.filters.section_id, "")
        if stats.filters.section_id is not None
        else translate(pgettext("statistics", "All sections"))
    )
    rows: list[list[Any]] = [["figure", "period", "section", "value"]]
    for month, counts in enumerate(stats.by_month, start=1):
        rows += [[f, f"{year}-{month:02d}", everywhere, getattr(counts, f)] for f in COUNTS]
    for section_id, counts in stats.by_section.items():
        name = section_names.get(section_id, translate(pgettext("statistics", "No section")))
        rows += [[f, str(year), name, getattr(counts, f)] for f in COUNTS]
        rows.append(["acceptance_rate", str(year), name, counts.acceptance_rate])
    rows += [[f, str(year), everywhere, getattr(stats.total, f)] for f in COUNTS]
    rows.append(["acceptance_rate", str(year), everywhere, stats.total.acceptance_rate])
    for f in ("days_to_first_decision", "days_to_acceptance", "days_to_publication"):
        rows.append([f, str(year), everywhere, getattr(stats, f)])
    r = stats.reviewing
    for f in (
        "invitations",
        "invitations_accepted",
        "invitations_declined",
        "invitations_unanswered",
        "invitation_acceptance_rate",
        "days_to_answer",
        "reviews_submitted",
        "days_to_review",
    ):
        rows.append([f, str(year), everywhere, getattr(r, f)])
    return rows
