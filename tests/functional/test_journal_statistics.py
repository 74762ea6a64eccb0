"""The journal statistics through the web: an editor reaches them from the queue, reads the
figures in the tables beside the charts, filters by section and year, and downloads the same
figures as CSV (formula-safe); authors and reviewers are refused."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.i18n import LANGUAGE_COOKIE
from frontiers_de.journals.models import Section
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import SubmissionState
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for

YEAR = utcnow().year
EVIL = "=SUM(1+1)*cmd"


def _at(month: int, day: int) -> dt.datetime:
    return dt.datetime(YEAR, month, day, 9, tzinfo=dt.UTC)


@pytest.fixture
def journal_history(wsgi_app):
    """This year: three papers in January (one of them in the section whose name is a
    formula), one accepted in March after review, one rejected without review in January."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        evil = Section(journal_id=journal.id, code="evil", name=EVIL, position=99)
        db.add(evil)
        db.flush()
        author = make_user(db, "author@example.org", journal=journal)
        chief = make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
        make_user(db, "se@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        make_user(db, "rev@example.org", roles=[Role.REVIEWER], journal=journal)
        papers = []
        for n, section in enumerate((journal.sections[0], journal.sections[0], evil)):
            s = SubmissionFactory(
                db=db,
                journal=journal,
                submitter=author,
                section=section,
                title=f"Paper {n}",
                state=SubmissionState.DRAFT,
            )
            workflow.apply(db, s, "submit", author, now=_at(1, 10 + n))
            papers.append(s)
        workflow.apply(db, papers[0], "send_to_review", chief, now=_at(1, 20))
        workflow.apply(db, papers[0], "decide", chief, decision=DecisionKind.ACCEPT, now=_at(3, 11))
        workflow.apply(db, papers[1], "desk_reject", chief, now=_at(1, 21))
        return {"first_section": journal.sections[0].id, "evil": evil.id}


def _cells(page, table_id: str) -> list[list[str]]:
    table = page.html.find("table", id=table_id)
    return [
        [c.get_text(strip=True) for c in row.find_all(["th", "td"])]
        for row in table.find("tbody").find_all("tr")
    ]


def test_an_editor_reads_filters_and_downloads_the_statistics(wsgi_app, journal_history):
    editor = client_for(wsgi_app, "se@example.org")
    queue = editor.get("/editorial")
    page = queue.click(href="/editorial/statistics$")
    assert page.status_int == 200
    assert _cells(page, "table-received")[0] == ["Jan", "3"]
    assert _cells(page, "table-decisions")[0] == ["Jan", "0", "0", "1"]
    assert _cells(page, "table-decisions")[2] == ["Mar", "1", "0", "0"]
    # Each chart is an image with a title and a description, its table beside it.
    for chart in page.html.find_all("svg"):
        assert chart["role"] == "img"
        title, desc = chart["aria-labelledby"].split()
        assert chart.find("title", id=title).get_text() and chart.find("desc", id=desc)
    assert f"Submissions received by month, {YEAR}" in page.text
    cards = {
        dt_.get_text(strip=True): dt_.find_next("dd").get_text(strip=True)
        for dt_ in page.html.find_all("dt")
    }
    assert cards["Acceptance rate (%)"] == "50"
    assert cards["Median days to acceptance"] == "60"
    assert cards["Median days to publication"] == "n/a"

    # One section: the paper in the formula-named section only.
    form = page.forms["stats-filters"]
    form["section"] = str(journal_history["evil"])
    one = form.submit()
    assert _cells(one, "table-received")[0] == ["Jan", "1"]
    assert _cells(one, "table-sections") == [[EVIL, "1", "0", "0", "0", "n/a"]]

    # Last year: nothing.
    last = editor.get("/editorial/statistics", {"year": YEAR - 1})
    assert all(row[1] == "0" for row in _cells(last, "table-received"))

    # The CSV: the same figures, the formula kept as text.
    res = page.click(href="format=csv")
    assert res.content_type == "text/csv" and res.charset == "utf-8"
    assert res.headers["Content-Disposition"] == f'attachment; filename="statistics-{YEAR}.csv"'
    rows = list(csv.reader(io.StringIO(res.body.decode("utf-8"))))
    assert ["received", f"{YEAR}-01", "All sections", "3"] in rows
    assert ["acceptance_rate", str(YEAR), "All sections", "50.0"] in rows
    assert ["received", str(YEAR), "'" + EVIL, "1"] in rows
    csv_one = editor.get(
        "/editorial/statistics",
        {"year": YEAR, "section": journal_history["first_section"], "format": "csv"},
    )
    assert [r for r in csv.reader(io.StringIO(csv_one.text)) if r[:2] == ["received", str(YEAR)]]


def test_a_bad_filter_is_answered_with_this_year_and_a_message(wsgi_app, journal_history):
    editor = client_for(wsgi_app, "chief@example.org")
    page = editor.get("/editorial/statistics", {"section": "999999"}, status=400)
    assert "Choose a year and a section from the lists." in page.text
    assert _cells(page, "table-received")[0] == ["Jan", "3"]
    editor.get("/editorial/statistics", {"year": "x", "format": "csv"}, status=400)


def test_the_page_speaks_chinese(wsgi_app, journal_history):
    editor = client_for(wsgi_app, "chief@example.org")
    editor.set_cookie(LANGUAGE_COOKIE, "zh")
    page = editor.get("/editorial/statistics")
    assert "期刊统计" in page.text and "按月收到的投稿" in page.text
    assert _cells(page, "table-received")[0] == ["1月", "3"]


@pytest.mark.parametrize("email", ["author@example.org", "rev@example.org"])
def test_authors_and_reviewers_are_refused(wsgi_app, journal_history, email):
    client = client_for(wsgi_app, email)
    client.get("/editorial/statistics", status=403)
    client.get("/editorial/statistics", {"format": "csv"}, status=403)
