"""The panels other parts add to the editor's workspace (``/editorial/submissions/{id}``),
through the web: the paper's open deadlines (the deadline engine's, "Overdue" in words), the
reviewer finder's first suggestions while the paper is under review (with its link and the
Invite links), and the paper's discussions with their unread counts and a link to start one.
A panel with nothing to show for a paper is not there at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from frontiers_de.db.meta import utcnow
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf

DAY = dt.timedelta(days=1)
LETTER = "Thank you; please revise the paper as the reviewers ask."


@dataclass
class Ids:
    in_review: int  # one invitation unanswered for ten days, one review accepted, due later
    submitted: int  # not sent to review yet: no deadline, no finder
    revision: int  # a minor revision asked for
    silent: int  # the reviewer who has not answered
    busy: int  # the reviewer at work
    match: int  # a reviewer whose interests match the paper, not invited


@pytest.fixture
def world(wsgi_app) -> Ids:
    now = utcnow()
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        chief = make_user(
            db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal,
            given_name="Chen", family_name="Chief",
        )  # fmt: skip
        author = make_user(db, "author@example.org", given_name="Ana", family_name="Author")
        silent, busy, match = (
            make_user(
                db,
                f"{name.lower()}@example.org",
                roles=[Role.REVIEWER],
                journal=journal,
                given_name=name,
                family_name="Reviewer",
            )
            for name in ("Silent", "Busy", "Mira")
        )
        match.research_interests = ["blended learning", "rural schools"]

        def paper(title: str):
            return SubmissionFactory(
                db=db, journal=journal, submitter=author, title=title, section=journal.sections[0],
                keywords=["blended learning"],
            )  # fmt: skip

        in_review = paper("Blended learning in rural schools")
        workflow.apply(db, in_review, "send_to_review", chief)
        due = (now + 14 * DAY).date()
        review.invite(db, in_review, chief, reviewer_id=silent.id, due=due, now=now - 10 * DAY)
        at_work = review.invite(db, in_review, chief, reviewer_id=busy.id, due=due).assignment
        review.accept(db, at_work)
        submitted = paper("A paper just in")
        revision = paper("A paper to revise")
        workflow.apply(db, revision, "send_to_review", chief)
        workflow.apply(
            db, revision, "decide", chief, decision=DecisionKind.MINOR_REVISION, letter=LETTER
        )
        return Ids(in_review.id, submitted.id, revision.id, silent.id, busy.id, match.id)


def _workspace(wsgi_app, sid: int, who: str = "chief@example.org"):
    return client_for(wsgi_app, who).get(f"/editorial/submissions/{sid}")


def _text(node) -> str:
    return " ".join(node.text.split())


def test_the_deadlines_panel_lists_the_papers_open_deadlines(wsgi_app, world):
    page = _workspace(wsgi_app, world.in_review)
    panel = page.html.select_one(".work-side #deadlines")
    assert panel is not None  # in the side column, at its top
    assert page.html.select_one(".work-side section")["id"] == "deadlines"
    assert "1 overdue" in _text(panel.select_one("h2"))
    invitation = panel.select_one(".deadline-invitation")
    said = _text(invitation)
    # Due five days after it went out (the journal's default rule), now ten days ago.
    assert "Unanswered review invitation" in said and "Silent Reviewer" in said
    assert "Overdue" in said and "was due" in said and "5 days late" in said
    assert "is-overdue" in invitation["class"]
    review_line = _text(panel.select_one(".deadline-review"))
    assert "Review due" in review_line and "Busy Reviewer" in review_line
    assert "Overdue" not in review_line
    assert (utcnow() + 14 * DAY).date().isoformat() in review_line
    # The revision the authors owe, on the paper sent back to them.
    page = _workspace(wsgi_app, world.revision)
    assert "Revision due (minor revision)" in _text(page.html.select_one("#deadlines"))
    # A paper with nothing open has no such panel.
    assert _workspace(wsgi_app, world.submitted).html.select_one("#deadlines") is None


def test_the_reviewer_lines_flag_what_the_engine_says_is_overdue(wsgi_app, world):
    """The invitation's review is due in two weeks, but the invitation itself is unanswered
    past the journal's period: overdue, saying so (one rule with every list)."""
    page = _workspace(wsgi_app, world.in_review)
    rows = {
        _text(tr.select_one(".reviewer-name")): _text(tr)
        for tr in page.html.select(".reviewer-table tbody tr")
    }
    silent = next(v for k, v in rows.items() if k.startswith("Silent Reviewer"))
    busy = next(v for k, v in rows.items() if k.startswith("Busy Reviewer"))
    assert "Overdue: Invitation unanswered" in silent
    assert "Overdue" not in busy
    assert "1 overdue" in _text(page.html.select_one("#ws-next-due"))
    assert "1 overdue" in _text(page.html.select_one("#stage-round-1"))


def test_the_finder_panel_suggests_reviewers_while_the_paper_is_under_review(wsgi_app, world):
    page = _workspace(wsgi_app, world.in_review)
    panel = page.html.select_one(".work-main #find-reviewers")
    assert panel is not None
    link = panel.select_one("#finder-panel-all")
    assert link["href"] == f"/editorial/reviewers?submission={world.in_review}"
    suggestions = panel.select(".finder-suggestion")
    assert 1 <= len(suggestions) <= 3
    first = _text(suggestions[0])
    assert first.startswith("Mira Reviewer") and "blended" in first.lower()
    # Those already invited to the round and the paper's author are not suggested.
    said = _text(panel)
    assert "Silent Reviewer" not in said and "Busy Reviewer" not in said
    assert "Ana Author" not in said
    invite = suggestions[0].select_one("a.button")
    assert invite["href"] == (
        f"/editorial/submissions/{world.in_review}/review?invite={world.match}#invite-form"
    )
    form = client_for(wsgi_app, "chief@example.org").get(invite["href"].split("#")[0])
    chosen = form.html.select_one("#reviewer_id option[selected]")
    assert chosen is not None and chosen["value"] == str(world.match)
    # The whole ranking, for this paper, from the panel's link.
    ranked = client_for(wsgi_app, "chief@example.org").get(link["href"])
    assert "Mira Reviewer" in ranked.text
    # Not under review: no finder on the workspace.
    for sid in (world.submitted, world.revision):
        assert _workspace(wsgi_app, sid).html.select_one("#find-reviewers") is None


def test_the_discussions_panel_shows_threads_unread_and_a_way_to_start(wsgi_app, world):
    sid = world.in_review
    page = _workspace(wsgi_app, sid)
    panel = page.html.select_one(".work-main #discussions")
    assert panel is not None and "No discussions yet." in panel.text
    start = panel.find("a", string="Start a discussion")
    assert start["href"] == f"/editorial/submissions/{sid}/discussions#start"
    css = [link["href"] for link in page.html.select("head link[rel=stylesheet]")]
    assert any("discussions.css" in href for href in css)
    # The author writes to the editors: the panel shows the thread, unread.
    author = client_for(wsgi_app, "author@example.org")
    form = author.get(f"/submissions/{sid}/discussions")
    author.post(
        f"/submissions/{sid}/discussions",
        {"csrf_token": csrf(form), "subject": "Data <i>availability</i>", "body": "May we?"},
        status=302,
    )
    editor = client_for(wsgi_app, "chief@example.org")
    panel = editor.get(f"/editorial/submissions/{sid}").html.select_one("#discussions")
    heading = _text(panel.select_one("h2"))
    assert "1 unread" in heading
    thread = panel.select_one(".thread-item")
    assert thread.select_one(".thread-subject").text == "Data <i>availability</i>"  # escaped
    assert "Editors and authors" in thread.text
    # Read, the count goes.
    editor.get(thread.select_one(".thread-subject")["href"])
    panel = editor.get(f"/editorial/submissions/{sid}").html.select_one("#discussions")
    assert "unread" not in panel.text
    # The panel is on every paper's workspace, whatever its state.
    assert _workspace(wsgi_app, world.submitted).html.select_one("#discussions") is not None


def test_the_panels_speak_chinese(wsgi_app, world):
    chief = client_for(wsgi_app, "chief@example.org")
    home = chief.get("/")
    chief.post("/language", {"language": "zh", "csrf_token": csrf(home), "next": "/"})
    page = chief.get(f"/editorial/submissions/{world.in_review}")
    deadlines = _text(page.html.select_one("#deadlines"))
    assert "期限" in deadlines and "逾期 5 天" in deadlines and "期限规则" in deadlines
    finder = _text(page.html.select_one("#find-reviewers"))
    assert "查找审稿人" in finder and "进行中的审稿任务：0" in finder
    assert page.html.select_one("#discussions h2") is not None
