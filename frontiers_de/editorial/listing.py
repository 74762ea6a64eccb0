"""Every submission of the journal in one list, for its editors (``/editorial/submissions``):
filters (state, section, handling editor, overdue, submitted between two dates), a search by
title, author or number, sorting and pages, and the same list as CSV.

All the filtering runs in SQL, the same on SQLite and PostgreSQL: the papers the editor may
handle (``workflow.handled_condition``, the SQL twin of ``workflow.may_handle``: in their
scope, past the draft, none they are an author or a reviewer of; the rows shown are checked
again with ``may_handle``). Decided, withdrawn and published papers stay in it.

A paper is *overdue* when any of its deadlines has passed, by the journal's deadline rules
(:mod:`frontiers_de.deadlines.engine`, the one engine every list asks): an invitation
unanswered, a review not in, a decision not made once the reviews are in, a revision or the
answer to a proof not come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from frontiers_de.accounts.models import User
from frontiers_de.db.meta import utcnow
from frontiers_de.deadlines import engine as deadlines
from frontiers_de.editorial import handling, workflow
from frontiers_de.i18n import _
from frontiers_de.journals.models import Section
from frontiers_de.spreadsheet import to_csv
from frontiers_de.submissions.models import Contributor, Submission, SubmissionState

PAGE_SIZES = (25, 50)  # the page size is kept between these
STATES = tuple(s for s in SubmissionState if s is not SubmissionState.DRAFT)
SORTS = {
    "submitted": Submission.submitted_at,
    "updated": Submission.updated_at,
    "title": func.lower(Submission.title),
    "state": Submission.state,
}
MAX_QUERY = 200
CSV_LIMIT = 10000  # rows in one export, at most


@dataclass(frozen=True)
class ListQuery:
    """What the editor asked for, checked (see :func:`read_query`)."""

    state: SubmissionState | None = None
    section_id: int | None = None
    editor: str = ""  # "", "me", "unassigned" or a user's id
    overdue: bool = False
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    q: str = ""
    sort: str = "submitted"
    descending: bool = True
    page: int = 1
    per_page: int = PAGE_SIZES[0]

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string of this list (with ``changes``), without the defaults."""
        values = {
            "state": self.state.value if self.state else "",
            "section": str(self.section_id or ""),
            "editor": self.editor,
            "overdue": "1" if self.overdue else "",
            "from": self.submitted_from.isoformat() if self.submitted_from else "",
            "to": self.submitted_to.isoformat() if self.submitted_to else "",
            "q": self.q,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "page": str(self.page),
            "per_page": str(self.per_page),
        }
        values.update({k: str(v) for k, v in changes.items()})
        defaults = {"sort": "submitted", "order": "desc", "page": "1", "per_page": "25"}
        return {k: v for k, v in values.items() if v and defaults.get(k) != v}


@dataclass
class QueryErrors:
    """The filters that could not be read, by parameter: the list ignores them (400)."""

    messages: dict[str, TranslationString] = field(default_factory=dict)


def _date(raw: str, name: str, errors: QueryErrors) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.messages[name] = _("Give the date as YYYY-MM-DD.")
        return None


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def read_query(
    db: Session, journal_id: int, params: Mapping[str, Any]
) -> tuple[ListQuery, QueryErrors]:
    """The list's query from the request's parameters. A value that cannot be read is
    dropped and named in the errors; a page that is not a positive number is page 1, and
    the page size is kept between 25 and 50."""
    errors = QueryErrors()

    def get(name: str) -> str:
        return str(params.get(name, "") or "").strip()[:MAX_QUERY]

    state = None
    if get("state"):
        state = next((s for s in STATES if s.value == get("state")), None)
        if state is None:
            errors.messages["state"] = _("There is no such state.")
    section_id = _int(get("section")) if get("section") else None
    if get("section") and (
        section_id is None
        or db.scalar(
            select(Section.id).where(Section.id == section_id, Section.journal_id == journal_id)
        )
        is None
    ):
        errors.messages["section"] = _("There is no such section.")
        section_id = None
    editor = get("editor")
    if editor not in ("", "me", "unassigned") and _int(editor) is None:
        errors.messages["editor"] = _("There is no such editor.")
        editor = ""
    submitted_from = _date(get("from"), "from", errors)
    submitted_to = _date(get("to"), "to", errors)
    if submitted_from and submitted_to and submitted_from > submitted_to:
        errors.messages["to"] = _("The end date is before the start date.")
        submitted_to = None
    sort = get("sort") if get("sort") in SORTS else "submitted"
    page = _int(get("page")) or 1
    per_page = min(max(_int(get("per_page")) or PAGE_SIZES[0], PAGE_SIZES[0]), PAGE_SIZES[1])
    query = ListQuery(
        state=state,
        section_id=section_id,
        editor=editor,
        overdue=get("overdue") in ("1", "yes", "on"),
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        q=get("q"),
        sort=sort,
        descending=get("order") != "asc",
        page=max(page, 1),
        per_page=per_page,
    )
    return query, errors


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_condition(q: str) -> ColumnElement[bool]:
    """Title, an author's name (given, family, both in either order, or native) or the
    number ("12", "#12"), without regard to case."""
    pattern = _like(q)
    name = func.lower(Contributor.given_name + " " + Contributor.family_name)
    reversed_name = func.lower(Contributor.family_name + " " + Contributor.given_name)
    author = exists(
        select(Contributor.id).where(
            Contributor.submission_id == Submission.id,
            or_(
                name.like(pattern, escape="\\"),
                reversed_name.like(pattern, escape="\\"),
                func.lower(Contributor.native_name).like(pattern, escape="\\"),
            ),
        )
    )
    found = [func.lower(Submission.title).like(pattern, escape="\\"), author]
    number = q.removeprefix("#").strip()
    if number.isdigit() and len(number) < 18:
        found.append(Submission.id == int(number))
    return or_(*found)


def _conditions(
    db: Session, journal_id: int, editor: User | None, query: ListQuery, now: dt.datetime
) -> list[ColumnElement[bool]]:
    # The papers ``editor`` may handle (workflow.may_handle, in SQL): none of their own,
    # none they were invited to review.
    where: list[ColumnElement[bool]] = [workflow.handled_condition(db, journal_id, editor)]
    if query.state is not None:
        where.append(Submission.state == query.state)
    if query.section_id is not None:
        where.append(Submission.section_id == query.section_id)
    if query.editor == "me":
        where.append(Submission.handling_editor_id == (editor.id if editor else None))
    elif query.editor == "unassigned":
        where.append(Submission.handling_editor_id.is_(None))
    elif query.editor:
        where.append(Submission.handling_editor_id == int(query.editor))
    if query.overdue:
        late = deadlines.overdue_by_submission(db, journal_id, now)
        where.append(Submission.id.in_(sorted(late)))
    if query.submitted_from is not None:
        start = dt.datetime.combine(query.submitted_from, dt.time(), dt.UTC)
        where.append(Submission.submitted_at >= start)
    if query.submitted_to is not None:
        end = dt.datetime.combine(query.submitted_to + dt.timedelta(days=1), dt.time(), dt.UTC)
        where.append(Submission.submitted_at < end)
    if query.q:
        where.append(search_condition(query.q))
    return where


@dataclass(frozen=True)
class Row:
    submission: Submission
    section: Section | None
    editor: User | None
    # What is overdue on the paper (the labels of its late deadlines), if anything.
    late: tuple[TranslationString, ...] = ()

    @property
    def overdue(self) -> bool:
        return bool(self.late)


@dataclass(frozen=True)
class Listing:
    query: ListQuery
    rows: list[Row]
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    @property
    def first(self) -> int:
        return (self.query.page - 1) * self.query.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.query.page * self.query.per_page)


def _ordered(statement: Any, query: ListQuery) -> Any:
    column = SORTS[query.sort]
    key = column.desc() if query.descending else column.asc()
    tie = Submission.id.desc() if query.descending else Submission.id.asc()
    return statement.order_by(key, tie)


def _rows(
    db: Session, journal_id: int, submissions: list[Submission], now: dt.datetime
) -> list[Row]:
    late = deadlines.overdue_by_submission(db, journal_id, now)
    sections = {
        s.id: s for s in db.scalars(select(Section).where(Section.journal_id == journal_id))
    }
    editors = {s.handling_editor_id for s in submissions if s.handling_editor_id}
    people = (
        {u.id: u for u in db.scalars(select(User).where(User.id.in_(editors)))} if editors else {}
    )
    return [
        Row(
            s,
            sections.get(s.section_id) if s.section_id else None,
            people.get(s.handling_editor_id) if s.handling_editor_id else None,
            tuple(deadlines.overdue_labels(late.get(s.id, ()))),
        )
        for s in submissions
    ]


def list_submissions(
    db: Session,
    journal_id: int,
    editor: User | None,
    query: ListQuery,
    *,
    now: dt.datetime | None = None,
) -> Listing:
    """One page of the submissions ``editor`` handles that match ``query``. A page past
    the last gives the first."""
    now = now or utcnow()
    where = _conditions(db, journal_id, editor, query, now)
    total = int(db.scalar(select(func.count(Submission.id)).where(*where)) or 0)
    pages = max(1, -(-total // query.per_page))
    if query.page > pages:
        query = replace(query, page=1)
    statement = _ordered(
        select(Submission).where(*where).options(selectinload(Submission.contributors)), query
    )
    page = db.scalars(
        statement.limit(query.per_page).offset((query.page - 1) * query.per_page)
    ).all()
    shown = workflow.handled(page, editor)  # the SQL's email match, checked exactly
    return Listing(query, _rows(db, journal_id, shown, now), total)


def editors_to_filter(db: Session, journal_id: int) -> list[User]:
    """The journal's editors, for the handling-editor filter."""
    return handling.journal_editors(db, journal_id)


# --- CSV --------------------------------------------------------------------------------------

CSV_HEADER = (
    "number",
    "title",
    "authors",
    "section",
    "state",
    "handling_editor",
    "submitted",
    "updated",
    "overdue",
)


def _authors(submission: Submission) -> str:
    return "; ".join(
        " ".join(p for p in (c.given_name, c.family_name) if p) or c.native_name
        for c in submission.contributors
    )


def export_csv(
    db: Session,
    journal_id: int,
    editor: User | None,
    query: ListQuery,
    *,
    now: dt.datetime | None = None,
) -> str:
    """The whole filtered list (every page, in the list's order, at most
    :data:`CSV_LIMIT` rows) as CSV: RFC 4180 (CRLF line ends, fields quoted when they need
    it, quotes doubled), one header row, every cell safe from formula injection."""
    now = now or utcnow()
    where = _conditions(db, journal_id, editor, query, now)
    statement = _ordered(
        select(Submission).where(*where).options(selectinload(Submission.contributors)), query
    )
    submissions = workflow.handled(db.scalars(statement.limit(CSV_LIMIT)).all(), editor)
    rows: list[Sequence[Any]] = [CSV_HEADER]
    for row in _rows(db, journal_id, submissions, now):
        s = row.submission
        rows.append(
            (
                s.id,
                s.title,
                _authors(s),
                row.section.name if row.section else "",
                s.state.value,
                row.editor.display_name if row.editor else "",
                s.submitted_at.isoformat() if s.submitted_at else "",
                s.updated_at.isoformat() if s.updated_at else "",
                "yes" if row.overdue else "no",
            )
        )
    return to_csv(rows)
