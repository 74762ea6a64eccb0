"""Every submission in one list: on a seeded journal whose answers are known, the filters,
the search, the sorting and the pages select in SQL what they say; a section editor sees
their papers only, an author never their own; the CSV is the whole filtered list, RFC 4180
and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest

from frontiers_de.accounts.models import User
from frontiers_de.editorial import handling, listing
from frontiers_de.journals.models import Journal
from frontiers_de.review.models import AssignmentState, ReviewAssignment, ReviewRound
from frontiers_de.security.roles import Role
from frontiers_de.spreadsheet import csv_cell
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import make_journal, make_user
from tests.submission_factories import SubmissionFactory

NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
START = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
STATES = listing.STATES  # ten states past the draft
N = 30


@dataclass
class Seeded:
    journal: Journal
    chief: User
    alice: User  # section editor of the first section
    papers: list[Submission]  # paper i: Paper {i:02d}, submitted START + i days
    own: Submission  # alice is listed as an author
    late: Submission  # a review past its due date


@pytest.fixture
def seeded(dbsession) -> Seeded:
    journal = make_journal(dbsession)
    chief = make_user(dbsession, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    alice = make_user(dbsession, "alice@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
    reviewer = make_user(dbsession, "rev@example.org", roles=[Role.REVIEWER], journal=journal)
    author = make_user(dbsession, "author@example.org")
    first, second = journal.sections[0], journal.sections[1]
    handling.set_sections(dbsession, journal.id, alice, [first.id])
    papers = []
    for i in range(N):
        name = (
            {"given_name": "Ada", "family_name": "Lovelace"}
            if i % 3 == 0
            else {"given_name": "Wei", "family_name": "Li", "native_name": "李伟"}
        )
        paper = SubmissionFactory(
            db=dbsession,
            journal=journal,
            submitter=author,
            section=first if i % 2 == 0 else second,
            title=f"Paper {i:02d}",
            state=STATES[i % len(STATES)],
            submitted_at=START + dt.timedelta(days=i),
            authors=[{**name, "email": f"a{i}@example.org"}],
        )
        paper.updated_at = NOW - dt.timedelta(days=i % 7, minutes=i)
        paper.handling_editor_id = alice.id if i % 4 == 0 else None
        papers.append(paper)
    SubmissionFactory(db=dbsession, journal=journal, submitter=author, state=SubmissionState.DRAFT)
    own = SubmissionFactory(
        db=dbsession,
        journal=journal,
        submitter=author,
        section=first,
        title="Alice's own",
        submitted_at=START,
        authors=[{"given_name": "Alice", "family_name": "A", "email": "ALICE@example.org"}],
    )
    late = papers[1]  # under review
    assert late.state is SubmissionState.UNDER_REVIEW
    rnd = ReviewRound(submission_id=late.id, number=1)
    dbsession.add(rnd)
    dbsession.flush()
    dbsession.add(
        ReviewAssignment(
            round_id=rnd.id,
            reviewer_id=reviewer.id,
            state=AssignmentState.ACCEPTED,
            token_hash="x" * 64,
            due_at=NOW - dt.timedelta(days=3),
        )
    )
    dbsession.flush()
    return Seeded(journal, chief, alice, papers, own, late)


def _list(db, seeded, who=None, **params):
    query, errors = listing.read_query(db, seeded.journal.id, params)
    assert not errors.messages, errors.messages
    return listing.list_submissions(db, seeded.journal.id, who or seeded.chief, query, now=NOW)


def _titles(result):
    return [r.submission.title for r in result.rows]


def test_pages_of_25_to_50_and_bad_page_numbers_give_the_first(dbsession, seeded):
    result = _list(dbsession, seeded)
    assert result.total == N + 1  # every paper past the draft, Alice's own too (for the chief)
    assert len(result.rows) == 25 and result.pages == 2 and (result.first, result.last) == (1, 25)
    assert len(_list(dbsession, seeded, page="2").rows) == N + 1 - 25
    for bad in ("0", "-1", "abc", "99", "1" * 40):
        assert _list(dbsession, seeded, page=bad).query.page == 1
    assert _list(dbsession, seeded, per_page="5").query.per_page == 25
    assert _list(dbsession, seeded, per_page="500").query.per_page == 50
    assert len(_list(dbsession, seeded, per_page="50").rows) == N + 1


def test_filters_by_state_section_editor_dates_and_overdue(dbsession, seeded):
    papers = seeded.papers
    published = _list(dbsession, seeded, state="published", per_page="50")
    assert {r.submission.id for r in published.rows} == {
        p.id for p in papers if p.state is SubmissionState.PUBLISHED
    }
    # Decided, withdrawn and published papers stay findable.
    for state in ("rejected", "withdrawn", "published", "retracted"):
        assert _list(dbsession, seeded, state=state).total == 3
    second = seeded.journal.sections[1]
    assert _list(dbsession, seeded, section=str(second.id)).total == N // 2
    assert _list(dbsession, seeded, editor=str(seeded.alice.id)).total == len(range(0, N, 4))
    assert _list(dbsession, seeded, editor="unassigned").total == N + 1 - len(range(0, N, 4))
    assert _list(dbsession, seeded, seeded.alice, editor="me").total == len(range(0, N, 4))
    # Dates are whole days, both ends included.
    days = _list(dbsession, seeded, **{"from": "2026-01-03", "to": "2026-01-05"})
    assert sorted(_titles(days)) == ["Paper 02", "Paper 03", "Paper 04"]
    overdue = _list(dbsession, seeded, overdue="1")
    assert _titles(overdue) == ["Paper 01"] and overdue.rows[0].overdue


def test_search_by_title_author_or_number(dbsession, seeded):
    assert _titles(_list(dbsession, seeded, q="paper 07")) == ["Paper 07"]
    assert _list(dbsession, seeded, q="lovelace").total == len(range(0, N, 3))
    assert _list(dbsession, seeded, q="Ada Love").total == len(range(0, N, 3))
    assert _list(dbsession, seeded, q="li wei").total == N - len(range(0, N, 3))
    assert _list(dbsession, seeded, q="李伟").total == N - len(range(0, N, 3))
    number = seeded.papers[11].id
    assert "Paper 11" in _titles(_list(dbsession, seeded, q=f"#{number}"))
    assert "Paper 11" in _titles(_list(dbsession, seeded, q=str(number)))
    # LIKE's wildcards are searched for as written.
    assert _list(dbsession, seeded, q="%").total == 0
    assert _list(dbsession, seeded, q="Paper_0").total == 0


def test_sorting(dbsession, seeded):
    newest = _titles(_list(dbsession, seeded))
    assert newest[:2] == ["Paper 29", "Paper 28"]
    assert _titles(_list(dbsession, seeded, sort="title", order="asc"))[:2] == [
        "Alice's own",
        "Paper 00",
    ]
    by_state = _list(dbsession, seeded, sort="state", order="asc", per_page="50")
    states = [r.submission.state.value for r in by_state.rows]
    assert states == sorted(states)
    updated = _list(dbsession, seeded, sort="updated", per_page="50")
    stamps = [r.submission.updated_at for r in updated.rows]
    assert stamps == sorted(stamps, reverse=True)
    # An unknown sort: the default.
    assert _titles(_list(dbsession, seeded, sort="evil; drop"))[:1] == ["Paper 29"]


def test_a_section_editor_sees_their_papers_and_never_their_own(dbsession, seeded):
    mine = _list(dbsession, seeded, seeded.alice, per_page="50")
    expected = {p.id for i, p in enumerate(seeded.papers) if i % 2 == 0 or i % 4 == 0}
    assert {r.submission.id for r in mine.rows} == expected
    assert mine.total == len(expected)
    assert seeded.own.id not in {r.submission.id for r in mine.rows}


def test_unreadable_filters_are_named_and_left_out(dbsession, seeded):
    query, errors = listing.read_query(
        dbsession,
        seeded.journal.id,
        {"state": "draft", "section": "999", "editor": "x", "from": "2026-13-01", "to": "soon"},
    )
    assert set(errors.messages) == {"state", "section", "editor", "from", "to"}
    assert query == listing.ListQuery()
    query, errors = listing.read_query(
        dbsession, seeded.journal.id, {"from": "2026-02-01", "to": "2026-01-01"}
    )
    assert set(errors.messages) == {"to"} and query.submitted_to is None


def test_the_csv_is_the_whole_filtered_list_and_safe(dbsession, seeded):
    seeded.papers[0].title = '=HYPERLINK("http://evil.example","click"), with a comma'
    seeded.papers[3].title = "论文 — 三"
    query, _ = listing.read_query(dbsession, seeded.journal.id, {"sort": "submitted"})
    text = listing.export_csv(dbsession, seeded.journal.id, seeded.chief, query, now=NOW)
    assert text.count("\r\n") == N + 2 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(listing.CSV_HEADER)
    assert len(rows) == N + 2  # the header and every paper, past the page size
    by_number = {r[0]: r for r in rows[1:]}
    evil = by_number[str(seeded.papers[0].id)]
    assert evil[1] == "'" + seeded.papers[0].title
    assert by_number[str(seeded.papers[3].id)][1] == "论文 — 三"
    assert by_number[str(seeded.late.id)][-1] == "yes"
    assert csv_cell("-1+2") == "'-1+2" and csv_cell("@x") == "'@x"
    assert csv_cell("plain") == "plain" and csv_cell(None) == ""
    # Filtered as the list is.
    query, _ = listing.read_query(dbsession, seeded.journal.id, {"state": "published"})
    text = listing.export_csv(dbsession, seeded.journal.id, seeded.chief, query, now=NOW)
    assert len(list(csv.reader(io.StringIO(text, newline="")))) == 1 + 3
