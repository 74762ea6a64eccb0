"""Every submission in one list, through the web: reached from the queue, filtered,
searched, sorted and paged by its query string (a page that does not exist is page 1, a
date that cannot be read a 400 that names it), exported as CSV; a section editor's list
holds the papers of their section and those assigned to them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from frontiers_de.editorial import handling
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import SubmissionState
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for

START = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def journal_papers(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
        se = make_user(db, "se@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        author = make_user(db, "author@example.org")
        first, second = journal.sections[0], journal.sections[1]
        handling.set_sections(db, journal.id, se, [first.id])
        states = [
            SubmissionState.SUBMITTED,
            SubmissionState.PUBLISHED,
            SubmissionState.WITHDRAWN,
            SubmissionState.REJECTED,
        ]
        for i in range(28):
            SubmissionFactory(
                db=db,
                journal=journal,
                submitter=author,
                section=first if i < 14 else second,
                title=f"Study {i:02d} of reading" if i != 5 else "=SUM(A1:A9) spreadsheets",
                state=states[i % 4],
                submitted_at=START + dt.timedelta(days=i),
                authors=[{"given_name": "Mei", "family_name": f"Chen{i:02d}"}],
            )
        SubmissionFactory(
            db=db, journal=journal, submitter=author, title="A draft", state=SubmissionState.DRAFT
        )
    return journal


def test_the_chief_finds_every_paper_and_exports_them(wsgi_app, journal_papers):
    chief = client_for(wsgi_app, "chief@example.org")
    queue = chief.get("/editorial")
    page = queue.click(href="/editorial/submissions$")
    assert "1–25 of 28 submissions" in page.text
    assert "A draft" not in page.text
    assert page.html.find("a", rel="next") is not None
    second = chief.get("/editorial/submissions?page=2")
    assert "26–28 of 28 submissions" in second.text
    # Pages that do not exist, and sizes out of bounds: the first page, 25 or 50 to a page.
    assert "1–25 of 28" in chief.get("/editorial/submissions?page=999").text
    assert "1–28 of 28" in chief.get("/editorial/submissions?per_page=1000").text
    # Decided, withdrawn and published papers stay findable.
    withdrawn = chief.get("/editorial/submissions?state=withdrawn")
    assert "1–7 of 7 submissions" in withdrawn.text
    found = chief.get("/editorial/submissions", {"q": "chen07"})
    assert "Study 07 of reading" in found.text and "1–1 of 1" in found.text
    ranged = chief.get("/editorial/submissions", {"from": "2026-03-02", "to": "2026-03-03"})
    assert "1–2 of 2" in ranged.text
    oldest = chief.get("/editorial/submissions", {"sort": "submitted", "order": "asc"})
    titles = [li.find("a").text for li in oldest.html.select(".submission-list li")]
    assert titles[:2] == ["Study 00 of reading", "Study 01 of reading"]
    unassigned = chief.get("/editorial/submissions", {"editor": "unassigned"})
    assert "of 28 submissions" in unassigned.text
    bad = chief.get("/editorial/submissions", {"from": "March", "q": "Study"}, status=400)
    assert "Give the date as YYYY-MM-DD." in bad.text and "of 27 submissions" in bad.text

    export = chief.get("/editorial/submissions.csv", {"state": "published"})
    assert export.content_type == "text/csv" and export.charset == "utf-8"
    assert "attachment" in export.headers["Content-Disposition"]
    assert export.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(export.body.decode("utf-8"), newline="")))
    assert len(rows) == 1 + 7
    assert "'=SUM(A1:A9) spreadsheets" in [r[1] for r in rows]


def test_a_section_editor_lists_their_section_and_their_assignments(wsgi_app, journal_papers):
    se = client_for(wsgi_app, "se@example.org")
    page = se.get("/editorial/submissions")
    assert "1–14 of 14 submissions" in page.text
    assert "Study 20 of reading" not in page.text
    assert "0–0 of 0 submissions" in se.get("/editorial/submissions?editor=me").text
