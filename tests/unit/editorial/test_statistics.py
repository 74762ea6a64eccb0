"""Journal statistics against a seeded history whose answers are known: every paper moved by
the workflow (``workflow.apply(..., now=...)``) and the review services at fixed times, so
each count, rate and median below can be worked out by hand from the table in ``history``.
Run on SQLite and, with ``-m db`` and FDE_TEST_BACKEND=postgresql, on PostgreSQL (there in a
session whose time zone is not UTC: months are still UTC months)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest
from sqlalchemy import extract, select, text

from frontiers_de.accounts.models import User
from frontiers_de.editorial import statistics as stats
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.journals.models import Journal, Section
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from frontiers_de.spreadsheet import csv_cell, to_csv
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import JournalFactory, make_user
from tests.submission_factories import SubmissionFactory

FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@dataclass
class History:
    journal: Journal
    methods: Section
    other: Section  # its name starts with "=": a formula in a careless spreadsheet
    papers: dict[str, Submission]


def _paper(db, h: dict, key: str, section: Section | None, submitted: dt.datetime) -> Submission:
    draft = SubmissionFactory(
        db=db,
        journal=h["journal"],
        submitter=h["author"],
        section=section,
        title=key,
        state=SubmissionState.DRAFT,
    )
    workflow.apply(db, draft, "submit", h["author"], now=submitted)
    return draft


def _decide(db, editor: User, s: Submission, kind: DecisionKind, when: dt.datetime) -> None:
    workflow.apply(db, s, "decide", editor, decision=kind, now=when)


def _invite(db, editor: User, s: Submission, reviewer: User, when: dt.datetime):
    due = (when + dt.timedelta(days=20)).date().isoformat()
    return review.invite(db, s, editor, reviewer_id=reviewer.id, due=due, now=when).assignment


@pytest.fixture
def history(dbsession) -> History:
    """Submitted (days to first decision; to acceptance; to publication):

    ====  =======  ============  =========================================================
    P1    Methods  10 Jan 2025   review; accepted 11 Mar (60; 60); published 10 Apr (90)
    P2    Methods  20 Jan 2025   desk-rejected 25 Jan (5)
    P3    Other    1 Feb 2025    review; major revision 3 Mar (30); resubmitted 20 Mar;
                                 accepted 11 Apr (-; 69)
    P4    Other    10 Feb 2025   review; rejected 1 Apr (50)
    P5    none     31 Mar 2025 23:30 UTC (1 Apr in Beijing); no decision yet
    P6    Methods  20 Dec 2024   desk-rejected 2 Jan 2025 (13): a 2025 decision only
    P7    Methods  5 Jan 2026    (another year)
    ====  =======  ============  =========================================================

    Reviewers: on P1 R1 invited 16 Jan, accepts 18 Jan, reviews 15 Feb; R2 invited 16 Jan,
    declines 20 Jan. On P4 R1 invited 12 Feb, no answer; R3 invited 12 Feb, accepts 13 Feb.
    """
    db = dbsession
    journal = JournalFactory(db=db, code="stats", title="Statistics Journal")
    methods = Section(journal_id=journal.id, code="methods", name="Methods", name_zh="方法")
    other = Section(journal_id=journal.id, code="other", name=FORMULA_TITLE, position=1)
    db.add_all([methods, other])
    db.flush()
    db.refresh(journal)
    author = make_user(db, "author@example.org")
    editor = make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    r1, r2, r3 = (
        make_user(db, f"r{n}@example.org", roles=[Role.REVIEWER], journal=journal)
        for n in (1, 2, 3)
    )
    h = {"journal": journal, "author": author}
    p = {
        "P1": _paper(db, h, "P1", methods, at(1, 10)),
        "P2": _paper(db, h, "P2", methods, at(1, 20)),
        "P3": _paper(db, h, "P3", other, at(2, 1)),
        "P4": _paper(db, h, "P4", other, at(2, 10)),
        "P5": _paper(db, h, "P5", None, at(3, 31, 23, 30)),
        "P6": _paper(db, h, "P6", methods, at(12, 20, year=2024)),
        "P7": _paper(db, h, "P7", methods, at(1, 5, year=2026)),
    }
    workflow.apply(db, p["P1"], "send_to_review", editor, now=at(1, 15))
    a1 = _invite(db, editor, p["P1"], r1, at(1, 16))
    a2 = _invite(db, editor, p["P1"], r2, at(1, 16))
    review.accept(db, a1, now=at(1, 18))
    review.decline(db, a2, now=at(1, 20))
    review.save_review(db, a1, _REVIEW, submit=True, now=at(2, 15))
    _decide(db, editor, p["P1"], DecisionKind.ACCEPT, at(3, 11))
    workflow.apply(db, p["P1"], "start_production", editor, now=at(3, 20))
    workflow.apply(db, p["P1"], "publish", editor, now=at(4, 10))

    workflow.apply(db, p["P2"], "desk_reject", editor, now=at(1, 25))
    workflow.apply(db, p["P6"], "desk_reject", editor, now=at(1, 2))

    workflow.apply(db, p["P3"], "send_to_review", editor, now=at(2, 2))
    _decide(db, editor, p["P3"], DecisionKind.MAJOR_REVISION, at(3, 3))
    workflow.apply(db, p["P3"], "resubmit", author, now=at(3, 20))
    _decide(db, editor, p["P3"], DecisionKind.ACCEPT, at(4, 11))

    workflow.apply(db, p["P4"], "send_to_review", editor, now=at(2, 11))
    _invite(db, editor, p["P4"], r1, at(2, 12))
    a4 = _invite(db, editor, p["P4"], r3, at(2, 12))
    review.accept(db, a4, now=at(2, 13))
    _decide(db, editor, p["P4"], DecisionKind.REJECT, at(4, 1))
    db.flush()
    return History(journal, methods, other, p)


_REVIEW = {
    "recommendation": "accept",
    "score_originality": "4",
    "score_rigour": "4",
    "score_clarity": "4",
    "score_relevance": "4",
    "comments_to_author": "Clear and careful.",
    "comments_to_editor": "",
}


@pytest.fixture
def beijing(dbsession) -> None:
    """On PostgreSQL, a session time zone eight hours ahead of UTC: a month taken from the
    session's local time would move P5 into April."""
    if dbsession.get_bind().dialect.name == "postgresql":
        dbsession.execute(text("SET LOCAL TIME ZONE 'Asia/Shanghai'"))


def _figures(db, h: History, section: Section | None = None) -> stats.Statistics:
    return stats.journal_statistics(db, h.journal, stats.Filters(2025, section and section.id))


def test_counts_by_month_are_utc_months(dbsession, history, beijing):
    if dbsession.get_bind().dialect.name == "postgresql":
        # The session's own idea of P5's month is April: the statistics do not ask it.
        p5 = history.papers["P5"].id
        local = select(extract("month", Submission.submitted_at)).where(Submission.id == p5)
        assert dbsession.scalar(local) == 4
    figures = _figures(dbsession, history)
    months = [(c.received, c.accepted, c.rejected, c.desk_rejected) for c in figures.by_month]
    assert months[:4] == [(2, 0, 0, 2), (2, 0, 0, 0), (1, 1, 0, 0), (0, 1, 1, 0)]
    assert months[4:] == [(0, 0, 0, 0)] * 8
    t = figures.total
    assert (t.received, t.accepted, t.rejected, t.desk_rejected) == (5, 2, 1, 2)
    # The revision request of P3 is not a final decision: 2 of 5 final decisions accept.
    assert t.acceptance_rate == 40.0


def test_counts_by_section(dbsession, history):
    figures = _figures(dbsession, history)
    rows = {
        sid: (c.received, c.accepted, c.rejected, c.desk_rejected, c.acceptance_rate)
        for sid, c in figures.by_section.items()
    }
    assert rows == {
        history.methods.id: (2, 1, 0, 2, 33.3),
        history.other.id: (2, 1, 1, 0, 50.0),
        stats.NO_SECTION: (1, 0, 0, 0, None),
    }


def test_median_days(dbsession, history):
    figures = _figures(dbsession, history)
    # first decisions in 2025: P2 5, P6 13, P3 30, P4 50, P1 60
    assert figures.days_to_first_decision == 30.0
    assert figures.days_to_acceptance == 64.5  # P1 60, P3 69
    assert figures.days_to_publication == 90.0  # P1


def test_reviewers(dbsession, history):
    r = _figures(dbsession, history).reviewing
    assert (r.invitations, r.invitations_accepted, r.invitations_declined) == (4, 2, 1)
    assert r.invitations_unanswered == 1
    assert r.invitation_acceptance_rate == 66.7  # 2 of the 3 answered
    assert r.days_to_answer == 2.0  # 2, 4 and 1 days
    assert (r.reviews_submitted, r.days_to_review) == (1, 30.0)


def test_one_section(dbsession, history):
    figures = _figures(dbsession, history, history.methods)
    t = figures.total
    assert (t.received, t.accepted, t.rejected, t.desk_rejected) == (2, 1, 0, 2)
    assert list(figures.by_section) == [history.methods.id]
    assert figures.days_to_first_decision == 13.0  # P2 5, P6 13, P1 60
    assert figures.days_to_publication == 90.0
    r = figures.reviewing
    assert (r.invitations, r.invitations_accepted, r.invitations_declined) == (2, 1, 1)


def test_another_year(dbsession, history):
    figures = stats.journal_statistics(dbsession, history.journal, stats.Filters(2026))
    assert figures.total.received == 1 and figures.by_month[0].received == 1
    assert figures.total.decided == 0 and figures.total.acceptance_rate is None
    assert figures.days_to_first_decision is None
    assert figures.reviewing.invitations == 0


def test_another_journal_counts_nothing(dbsession, history):
    elsewhere = JournalFactory(db=dbsession, code="elsewhere")
    figures = stats.journal_statistics(dbsession, elsewhere, stats.Filters(2025))
    assert figures.total.received == 0 and figures.reviewing.invitations == 0


def test_years_run_from_the_first_submission(dbsession, history):
    assert stats.years(dbsession, history.journal.id, dt.date(2026, 12, 3)) == [2026, 2025, 2024]


@pytest.mark.parametrize(
    "year, section",
    [("x", ""), ("1800", ""), ("2025", "abc"), ("2025", "999999")],
)
def test_filters_refused(dbsession, history, year, section):
    with pytest.raises(stats.StatisticsError):
        stats.parse_filters(history.journal, year, section, dt.date(2026, 12, 3))


def test_filters_default_to_this_year_and_every_section(dbsession, history):
    today = dt.date(2026, 12, 3)
    assert stats.parse_filters(history.journal, None, "", today) == stats.Filters(2026)
    chosen = stats.parse_filters(history.journal, "2025", str(history.other.id), today)
    assert chosen == stats.Filters(2025, history.other.id)


def test_csv_is_rfc4180_and_formula_safe(dbsession, history):
    figures = _figures(dbsession, history)
    names = {history.methods.id: "Methods", history.other.id: history.other.name}
    body = to_csv(stats.csv_rows(figures, names, str))
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["figure", "period", "section", "value"]
    assert ["received", "2025-03", "All sections", "1"] in rows
    assert ["acceptance_rate", "2025", "All sections", "40.0"] in rows
    assert ["days_to_acceptance", "2025", "All sections", "64.5"] in rows
    assert ["invitation_acceptance_rate", "2025", "All sections", "66.7"] in rows
    other = [r for r in rows if r[0] == "received" and r[1] == "2025" and "HYPERLINK" in r[2]]
    assert other == [["received", "2025", "'" + FORMULA_TITLE, "2"]]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert ["received", "2025", "No section", "1"] in rows


@pytest.mark.parametrize(
    "value, cell",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Methods", "Methods"),
        (3, 3),
        (-2.5, -2.5),
        (None, ""),
    ],
)
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


def test_median_days_leaves_out_missing_dates():
    pairs = [(at(1, 1), at(1, 3)), (at(1, 1), None), (None, at(1, 2)), (at(1, 1), at(1, 2, 21))]
    assert stats.median_days(pairs) == 1.8  # of 2 and 1.5 days, to one decimal
    assert stats.median_days([*pairs, (at(1, 1), at(1, 5))]) == 2.0  # 1.5, 2 and 4
    assert stats.median_days([]) is None
