"""A reviewer opens only the files of the rounds they are assigned to (issue 9, item 7c).

The finding: a reviewer of round 1 who was not invited again downloaded the revised
manuscript and the response to the reviewers that the authors sent for round 2, by their
file ids through their round-1 assignment. Now each assignment opens the files as they
stood in its own round; every other download route a reviewer can reach refuses them.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from frontiers_de.editorial import services as editorial
from frontiers_de.editorial import workflow
from frontiers_de.review import services as review
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions import services as submissions
from frontiers_de.submissions.models import (
    FileKind,
    Submission,
    SubmissionState,
)
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for

DUE = (dt.date.today() + dt.timedelta(days=20)).isoformat()
FIRST = b"# Tutoring\n\nThe first version."
REVISED = b"# Tutoring\n\nThe revised version, with the new cohort."
RESPONSE = b"1. We added the second cohort, as reviewer 2 asked."
FIGURE = b"\x89PNG\r\n\x1a\n figure bytes"


def review_form() -> dict[str, str]:
    return {
        "recommendation": "major_revision",
        **{f"score_{k}": "3" for k in review.CRITERIA},
        "comments_to_author": "Please add the second cohort.",
    }


def arrange(wsgi_app, app_settings) -> dict:
    """Round 1 reviewed by Ada and Ben; a major revision; the authors' revision opens round
    2, to which only Ben and Cleo are invited (and accept)."""
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, "editor@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        author = make_user(db, "author@example.org")
        people = {
            name: make_user(db, f"{name}@example.org", roles=[Role.REVIEWER], journal=journal)
            for name in ("ada", "ben", "cleo")
        }
        s = SubmissionFactory(
            db=db,
            journal=journal,
            submitter=author,
            title="Tutoring at scale",
            authors=[{"given_name": "Ann", "family_name": "Author", "email": author.email}],
            uploads=[
                {
                    "kind": kind,
                    "filename": name,
                    "data": data,
                    "media_type": media,
                    "storage": storage,
                }
                for kind, name, data, media in (
                    (FileKind.MANUSCRIPT, "tutoring.md", FIRST, "text/markdown"),
                    (FileKind.FIGURE, "figure1.png", FIGURE, "image/png"),
                    (FileKind.COVER_LETTER, "letter.txt", b"Dear editor", "text/plain"),
                )
            ],
        )
        workflow.apply(db, s, "send_to_review", editor)
        first: dict[str, int] = {}
        for name in ("ada", "ben"):
            a = review.invite(db, s, editor, reviewer_id=people[name].id, due=DUE).assignment
            review.accept(db, a)
            review.save_review(db, a, review_form(), submit=True)
            first[name] = a.id
        editorial.decide(db, s, editor, "major_revision", "Please add the second cohort.")
        submissions.resubmit(
            db,
            storage,
            s,
            author,
            ("tutoring-revised.md", REVISED),
            ("response.txt", RESPONSE),
        )
        second: dict[str, int] = {}
        for name in ("ben", "cleo"):
            a = review.invite(db, s, editor, reviewer_id=people[name].id, due=DUE).assignment
            review.accept(db, a)
            second[name] = a.id
        files = {f.filename: f.id for f in s.files}
        return {"sid": s.id, "first": first, "second": second, "files": files}


def file_links(page) -> dict[str, str]:
    return {a.text: a["href"] for a in page.html.find_all("a", href=re.compile(r"/files/\d+$"))}


def test_a_reviewer_not_invited_again_does_not_open_the_revision(wsgi_app, app_settings):
    w = arrange(wsgi_app, app_settings)
    files = w["files"]
    ada = client_for(wsgi_app, "ada@example.org")
    mine = f"/reviews/{w['first']['ada']}"

    # Her round-1 page lists the round-1 files only, and they still open.
    assert file_links(ada.get(mine)) == {
        "tutoring.md": f"{mine}/files/{files['tutoring.md']}",
        "figure1.png": f"{mine}/files/{files['figure1.png']}",
    }
    assert ada.get(f"{mine}/files/{files['tutoring.md']}").body == FIRST
    assert ada.get(f"{mine}/files/{files['figure1.png']}").body == FIGURE

    # The attack: the revision and the response by their ids, through her assignment.
    for name in ("tutoring-revised.md", "response.txt", "letter.txt"):
        res = ada.get(f"{mine}/files/{files[name]}", status=404)
        assert REVISED not in res.body and RESPONSE not in res.body

    # Every other download route she can reach refuses them too.
    sid = w["sid"]
    for name in ("tutoring-revised.md", "response.txt"):
        ada.get(f"/submissions/{sid}/files/{files[name]}", status=404)
        ada.get(f"/editorial/submissions/{sid}/review/files/{files[name]}", status=404)
        # Through another reviewer's assignment of round 2: not hers.
        ada.get(f"/reviews/{w['second']['cleo']}/files/{files[name]}", status=404)


def test_each_assignment_opens_the_files_of_its_own_round(wsgi_app, app_settings):
    w = arrange(wsgi_app, app_settings)
    files = w["files"]
    ben = client_for(wsgi_app, "ben@example.org")
    round1 = f"/reviews/{w['first']['ben']}"
    round2 = f"/reviews/{w['second']['ben']}"
    # Round 2 (invited again): the revision, the response, the figure that still stands.
    assert set(file_links(ben.get(round2))) == {
        "tutoring-revised.md",
        "response.txt",
        "figure1.png",
    }
    assert ben.get(f"{round2}/files/{files['tutoring-revised.md']}").body == REVISED
    assert ben.get(f"{round2}/files/{files['response.txt']}").body == RESPONSE
    # Round 1: as it stood then, even for a reviewer who is in round 2 as well.
    assert set(file_links(ben.get(round1))) == {"tutoring.md", "figure1.png"}
    ben.get(f"{round1}/files/{files['tutoring-revised.md']}", status=404)
    # A reviewer new in round 2 sees only the newest manuscript, not the superseded one.
    cleo = client_for(wsgi_app, "cleo@example.org")
    page = cleo.get(f"/reviews/{w['second']['cleo']}")
    assert set(file_links(page)) == {"tutoring-revised.md", "response.txt", "figure1.png"}


def test_the_round_rule_is_the_services(wsgi_app, app_settings):
    w = arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        ada = db.get(ReviewAssignment, w["first"]["ada"])
        names = [f.filename for f in review.assignment_files(db, ada)]
        assert names == ["tutoring.md", "figure1.png"]
        s = db.get(Submission, w["sid"])
        assert {f.filename for f in review.files_of_round(s, 1)} == {
            "tutoring.md",
            "figure1.png",
            "letter.txt",
        }
        assert db.scalar(select(Submission.state).where(Submission.id == w["sid"])) == (
            SubmissionState.UNDER_REVIEW
        )
