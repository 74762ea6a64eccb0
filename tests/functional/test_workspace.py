"""The editor's workspace of one submission through the web (issue 12, part 2): for papers in
each state it shows the state, the handling editor and, at the top, exactly the actions the
workflow table allows the editor now; the stages with their dates, the people (reviewers
named for editors, whatever the review mode), the files by round and version, the history.
Its authors and reviewers get 404 on it (and on every editorial page of the paper), whatever
roles they hold; the lists do not show a paper to an editor who reviews it. The editorial
links lead to it, and an editor handling a paper who opens the author's page is sent there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial import workflow, workspace
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import FileKind, ReviewMode, Submission
from tests.factories import app_session, make_journal, make_user
from tests.review_factories import GOOD
from tests.submission_factories import ManuscriptFileFactory, SubmissionFactory
from tests.web import client_for, csrf

DUE = (dt.date.today() + dt.timedelta(days=20)).isoformat()
LETTER = "Thank you for the paper; the reviewers' comments follow below."
# The papers of the world, by the state (or step) each is left in.
PAPERS = (
    "submitted",
    "in_review",  # under review, nobody invited yet
    "reviewed",  # under review, one review in, an editor among its reviewers
    "revision",
    "accepted",
    "desk_rejected",
    "withdrawn",
)


def _paper(db, journal, author, key: str, mode: ReviewMode) -> Submission:
    return SubmissionFactory(
        db=db,
        journal=journal,
        submitter=author,
        section=journal.sections[0],
        title=f"Paper {key}",
        review_mode=mode,
        authors=[
            {"given_name": "Ana", "family_name": "Author", "email": "author@example.org"},
            {"given_name": "Bo", "family_name": "Coauthor", "email": "bo@example.org"},
        ],
        uploads=[{"filename": f"{key}.md"}],
    )


def _review(db, s: Submission, chief: User, reviewer: User) -> None:
    invitation = review.invite(db, s, chief, reviewer_id=reviewer.id, due=DUE)
    review.accept(db, invitation.assignment)
    review.save_review(db, invitation.assignment, GOOD, submit=True)


@pytest.fixture
def world(wsgi_app) -> dict[str, Any]:
    """The chief handles seven papers of one author; a reviewer and a section editor who is
    also invited to review ("reviewed" only) and another, uninvolved section editor."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        chief = make_user(
            db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal,
            given_name="Chen", family_name="Chief",
        )  # fmt: skip
        author = make_user(db, "author@example.org", given_name="Ana", family_name="Author")
        reviewer = make_user(
            db, "rev@example.org", roles=[Role.REVIEWER], journal=journal,
            given_name="Riya", family_name="Reviewer",
        )  # fmt: skip
        se_reviewer = make_user(
            db, "se-rev@example.org", roles=[Role.SECTION_EDITOR, Role.REVIEWER], journal=journal,
            given_name="Sol", family_name="Sectioneditor",
        )  # fmt: skip
        make_user(db, "se@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        make_user(db, "nobody@example.org")
        ids: dict[str, Any] = {}
        for key in PAPERS:
            mode = ReviewMode.DOUBLE_ANONYMOUS if key == "reviewed" else ReviewMode.SINGLE_ANONYMOUS
            s = _paper(db, journal, author, key, mode)
            ids[key] = s.id
            if key == "desk_rejected":
                workflow.apply(db, s, "desk_reject", chief, letter="Outside the journal's scope.")
            elif key == "withdrawn":
                workflow.apply(db, s, "withdraw", chief, detail={"reason": "The authors asked."})
            elif key != "submitted":
                workflow.apply(db, s, "send_to_review", chief)
            if key in ("reviewed", "revision", "accepted"):
                _review(db, s, chief, reviewer)
            if key == "reviewed":
                review.invite(db, s, chief, reviewer_id=se_reviewer.id, due=DUE)
                ManuscriptFileFactory(
                    db=db, submission=s, round_number=1, kind=FileKind.REVIEW_ATTACHMENT,
                    filename="notes.txt", media_type="text/plain", uploaded_by_id=None,
                )  # fmt: skip
            if key == "revision":
                workflow.apply(
                    db, s, "decide", chief, decision=DecisionKind.MINOR_REVISION, letter=LETTER
                )
            if key == "accepted":
                workflow.apply(db, s, "decide", chief, decision=DecisionKind.ACCEPT, letter=LETTER)
    return ids


def _action_names(page) -> list[str]:
    return [el["data-action"] for el in page.html.select("#ws-actions [data-action]")]


def _primary(page) -> str | None:
    primary = page.html.select_one("#ws-actions .primary-action [data-action]")
    return primary["data-action"] if primary is not None else None


EXPECTED = {
    # state: (the actions offered, the primary one)
    "submitted": ({"send_to_review", "desk_reject", "withdraw", "assign"}, "send_to_review"),
    "in_review": ({"decide", "invite", "withdraw", "assign"}, "invite"),
    "reviewed": ({"decide", "invite", "withdraw", "assign"}, "decide"),
    "revision": ({"withdraw", "assign"}, None),
    "accepted": ({"start_production", "assign"}, "start_production"),
    "desk_rejected": ({"assign"}, None),
    "withdrawn": ({"assign"}, None),
}


@pytest.mark.parametrize("key", PAPERS)
def test_the_actions_at_the_top_are_the_workflow_tables(wsgi_app, world, key):
    chief = client_for(wsgi_app, "chief@example.org")
    page = chief.get(f"/editorial/submissions/{world[key]}")
    names = _action_names(page)
    offered, primary = EXPECTED[key]
    assert set(names) == offered
    assert _primary(page) == primary
    # The same as the table says for this editor now: nothing added, nothing left out.
    with app_session(wsgi_app) as db:
        s = db.get(Submission, world[key])
        editor = db.scalar(select(User).where(User.email == "chief@example.org"))
        moves = {n for n in workflow.available(s, editor) if n in workspace.MOVE_OFFERS}
        state = s.state.value
    assert moves == set(names) - set(workspace.STEP_OFFERS)
    # The band names the state and the handling editor before anything else.
    band = page.html.select_one(".work-band")
    assert band.select_one(f".state-{state}") is not None
    assert "unassigned" in band.select_one("#ws-handling").text
    assert page.html.find(string="Paper " + key) is not None


def test_a_paper_in_review_shows_stages_people_files_and_history(wsgi_app, world):
    chief = client_for(wsgi_app, "chief@example.org")
    sid = world["reviewed"]
    page = chief.get(f"/editorial/submissions/{sid}")
    stages = [li["id"] for li in page.html.select(".stages li")]
    assert stages == ["stage-submission", "stage-round-1", "stage-decision", "stage-production"]
    assert "stage-current" in page.html.select_one("#stage-round-1")["class"]
    assert "Invited: 2 · at work: 0 · reviews in: 1" in page.html.select_one("#stage-round-1").text
    # Editors see the reviewers' names, though the review is double-anonymous.
    table = page.html.select_one(".reviewer-table").text
    assert "Riya Reviewer" in table and "Sol Sectioneditor" in table
    assert "Review submitted" in table and "Invited, no answer yet" in table
    assert "Double-anonymous" in page.html.select_one("#reviewers").text
    people = page.html.select_one("#people").text
    assert "Ana Author" in people and "Bo Coauthor" in people
    # The files: the manuscript as submitted (a version, current), the attachment in round 1,
    # each linked to the download editors have.
    files = page.html.select_one("#files")
    manuscript = files.find("a", string="reviewed.md")
    assert manuscript["href"].startswith(f"/submissions/{sid}/files/")
    attachment = files.find("a", string="notes.txt")
    assert attachment["href"].startswith(f"/editorial/submissions/{sid}/review/files/")
    assert "version 1" in files.text and "current" in files.text
    # The history, newest first, named, with who did it and about whom.
    history = [" ".join(li.text.split()) for li in page.html.select("#history li")]
    assert "Sent to peer review" in history[-1]  # the oldest last (the factory's paper
    # has no audit line of its submission)
    assert any("Reviewer invited: Sol Sectioneditor" in h for h in history)
    assert any("Review submitted: Riya Reviewer" in h for h in history)
    assert "Chen Chief" in history[-1]
    # The band: when the next review is due, and how many are in.
    assert page.html.select_one("#ws-reviews-in").text == "1"
    assert DUE in page.html.select_one(".work-band").text


def test_decided_papers_show_their_decisions_and_what_they_wait_for(wsgi_app, world):
    chief = client_for(wsgi_app, "chief@example.org")
    page = chief.get(f"/editorial/submissions/{world['revision']}")
    stages = page.html.select_one(".stages").text
    assert "Decision: Minor revision" in stages and "Revision by the authors" in stages
    assert "Waiting for the authors' revision." in page.html.select_one("#ws-waiting").text
    page = chief.get(f"/editorial/submissions/{world['desk_rejected']}")
    assert "Decision: Rejected without review" in page.html.select_one(".stages").text
    assert "stage-production" not in page.text
    assert "Closed" in page.html.select_one("#ws-waiting").text
    page = chief.get(f"/editorial/submissions/{world['withdrawn']}")
    assert "stage-withdrawn" in page.text
    assert "Withdrawn: The authors asked." in " ".join(
        page.html.select_one("#history").text.split()
    )
    page = chief.get(f"/editorial/submissions/{world['accepted']}")
    assert "stage-current" in page.html.select_one("#stage-production")["class"]


def test_the_actions_work_from_the_workspace(wsgi_app, world):
    chief = client_for(wsgi_app, "chief@example.org")
    sid = world["submitted"]
    page = chief.get(f"/editorial/submissions/{sid}")
    form = page.html.select_one("#ws-actions form:has(button[data-action=send_to_review])")
    assert form["method"] == "post"
    res = chief.post(form["action"], {"csrf_token": csrf(page), "back": "workspace"}, status=302)
    assert res.location.endswith(f"/editorial/submissions/{sid}")  # back to the workspace
    page = chief.get(f"/editorial/submissions/{sid}")
    assert page.html.select_one(".work-band .state-under_review") is not None
    assert _primary(page) == "invite"
    invite = page.html.select_one("#ws-actions a[data-action=invite]")
    assert invite["href"] == f"/editorial/submissions/{sid}/review#invite-heading"


ROLELESS = ("author@example.org", "bo@example.org", "rev@example.org")


@pytest.mark.parametrize("email", [*ROLELESS, "se-rev@example.org"])
def test_the_papers_authors_and_reviewers_get_404_on_its_editorial_pages(wsgi_app, world, email):
    sid = world["reviewed"]
    client = client_for(wsgi_app, email) if email != "bo@example.org" else None
    if client is None:  # the co-author has an account with no role at all
        with app_session(wsgi_app) as db:
            make_user(db, "bo@example.org")
        client = client_for(wsgi_app, email)
    for path in ("", "/review", "/review/compare", "/handling-editor"):
        client.get(f"/editorial/submissions/{sid}{path}", status=404)
    token = csrf(client.get("/"))
    for path, data in (
        ("/send_to_review", {}),
        ("/decide", {"decision": "accept", "message": LETTER}),
        ("/review/invite", {"reviewer_id": "1", "due": DUE}),
        ("/handling-editor", {"editor_id": ""}),
    ):
        client.post(
            f"/editorial/submissions/{sid}{path}", {"csrf_token": token, **data}, status=404
        )


def test_others_are_refused_or_sent_to_sign_in(wsgi_app, world):
    sid = world["reviewed"]
    client_for(wsgi_app, "nobody@example.org").get(f"/editorial/submissions/{sid}", status=403)
    res = client_for(wsgi_app).get(f"/editorial/submissions/{sid}", status=302)
    assert "/login" in res.location
    # Another section editor (no sections: the whole journal) may handle it.
    client_for(wsgi_app, "se@example.org").get(f"/editorial/submissions/{sid}", status=200)


def test_the_lists_leave_out_the_papers_an_editor_reviews(wsgi_app, world):
    se = client_for(wsgi_app, "se-rev@example.org")
    sid = world["reviewed"]
    queue = se.get("/editorial").text
    listed = se.get("/editorial/submissions").text
    exported = se.get("/editorial/submissions.csv").text.splitlines()
    assert "Paper reviewed" not in queue and "Paper reviewed" not in listed
    assert not any(row.startswith(f"{sid},") for row in exported)
    assert "Paper in_review" in queue and "Paper in_review" in listed  # the others stay
    assert any(row.startswith(f"{world['in_review']},") for row in exported)


def test_editorial_links_lead_to_the_workspace(wsgi_app, world):
    chief = client_for(wsgi_app, "chief@example.org")
    for sid, page in (
        (world["submitted"], "/editorial"),
        (world["reviewed"], "/editorial"),
        (world["reviewed"], "/editorial/submissions"),
        (world["reviewed"], f"/editorial/submissions/{world['reviewed']}/review"),
        (world["reviewed"], f"/editorial/submissions/{world['reviewed']}/review/compare"),
        (world["reviewed"], f"/editorial/submissions/{world['reviewed']}/handling-editor"),
    ):
        assert chief.get(page).html.find("a", href=f"/editorial/submissions/{sid}"), page
    # The author's page of a paper the editor handles sends them to the workspace; its
    # author still gets the author's page.
    res = chief.get(f"/submissions/{world['reviewed']}", status=302)
    assert res.location.endswith(f"/editorial/submissions/{world['reviewed']}")
    author = client_for(wsgi_app, "author@example.org").get(f"/submissions/{world['reviewed']}")
    assert "My submissions" in author.text and "/editorial/" not in author.text


def test_the_handling_editor_is_emailed_a_link_to_the_workspace(wsgi_app, world):
    chief = client_for(wsgi_app, "chief@example.org")
    sid = world["submitted"]
    page = chief.get(f"/editorial/submissions/{sid}/handling-editor")
    with app_session(wsgi_app) as db:
        se = db.scalar(select(User).where(User.email == "se@example.org"))
        before = db.query(OutboxEmail).count()
    chief.post(
        f"/editorial/submissions/{sid}/handling-editor",
        {"csrf_token": csrf(page), "editor_id": str(se.id)},
        status=302,
    )
    with app_session(wsgi_app) as db:
        mails = db.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()[before:]
    assert len(mails) == 1
    assert f"/editorial/submissions/{sid}\n" in mails[0].body_text + "\n"
    page = chief.get(f"/editorial/submissions/{sid}")
    assert "assign" not in _action_names(page)  # assigned now: reassigning is on its page
