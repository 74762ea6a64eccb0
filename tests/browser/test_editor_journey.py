"""The editor's day in a real browser, from one paper's arrival to its decision (issue 12):

1. the editor-in-chief notes the journal's statistics, then assigns the paper to a section
   editor from its workspace;
2. the handling editor opens the workspace, sends the paper to review, finds two reviewers
   with the finder (the workspace's panel, then the whole ranking) and invites each, editing
   the invitation letter before it goes: the outbox row carries the edited text;
3. both reviewers accept and submit their reviews (through the services, for speed);
4. the handling editor compares the reviews side by side and writes the decision from its
   pre-filled template, edited; the letter sent is the edited one;
5. the editor writes to the authors from the workspace's discussions panel, and the author
   answers in the discussion; the workspace then shows the answer unread;
6. the statistics page counts the paper (one more accepted).

Every step is photographed at 1280 px into /tmp/J-shots/ (``FDE_JOURNEY_SHOTS`` names
another folder), and the workspace at 390 px has no sideways scroll."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.discussions.models import DiscussionMessage, DiscussionThread
from frontiers_de.editorial.models import Decision
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.review import services as review
from frontiers_de.review.models import ReviewAssignment, ReviewRound
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import ReviewMode, Submission, SubmissionState
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.review_factories import GOOD
from tests.submission_factories import SubmissionFactory

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("FDE_JOURNEY_SHOTS", "/tmp/J-shots"))
WIDE, PHONE = 1280, 390
TITLE = "Blended learning in first-year mathematics"
INVITE_EDIT = "We would value your reading of the assessment design in particular."
DECISION_EDIT = "Please check the figure captions once more before the proofs."
QUESTION = "Could you confirm that the data statement names the repository?"
ANSWER = "Yes: the data are deposited in the university repository."


def world(wsgi_app) -> int:
    """A paper just submitted; the editor-in-chief, a section editor, three reviewers (two
    whose interests match the paper) and the author."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        for email, given, family, roles in (
            ("chief@example.org", "Chen", "Chief", [Role.EDITOR_IN_CHIEF]),
            ("editor@example.org", "Erin", "Editor", [Role.SECTION_EDITOR]),
            ("rev1@example.org", "Riya", "Reviewer", [Role.REVIEWER]),
            ("rev2@example.org", "Sam", "Second", [Role.REVIEWER]),
            ("rev3@example.org", "Tao", "Third", [Role.REVIEWER]),
        ):
            make_user(db, email, roles=roles, journal=journal, given_name=given, family_name=family)
        interests = {
            "rev1@example.org": ["blended learning", "mathematics education"],
            "rev2@example.org": ["first-year mathematics", "learning analytics"],
            "rev3@example.org": ["library science"],
        }
        for email, wanted in interests.items():
            db.scalar(select(User).where(User.email == email)).research_interests = wanted
        author = make_user(db, "author@example.org", given_name="Meiling", family_name="Zhou")
        paper = SubmissionFactory(
            db=db,
            journal=journal,
            submitter=author,
            section=journal.sections[0],
            title=TITLE,
            abstract="We followed 400 students of first-year mathematics through blended "
            "learning for two semesters.",
            keywords=["blended learning", "mathematics"],
            state=SubmissionState.SUBMITTED,
            review_mode=ReviewMode.SINGLE_ANONYMOUS,
            authors=[
                {
                    "given_name": "Meiling",
                    "family_name": "Zhou",
                    "email": "author@example.org",
                    "is_corresponding": True,
                }
            ],
            uploads=[{"filename": "blended.md"}],
        )
        paper.submitted_at = dt.datetime.now(dt.UTC)
        return paper.id


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def signed_in(browser, base: str, email: str, width: int = WIDE):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return context, page


def accepted_count(page, base: str) -> int:
    """The statistics page's "Accepted" figure for this year."""
    page.goto(f"{base}/editorial/statistics")
    cards = page.locator("dl.stat-cards[aria-labelledby=summary] > div")
    for i in range(cards.count()):
        card = cards.nth(i)
        if card.locator("dt").inner_text().strip() == "Accepted":
            return int(card.locator("dd").inner_text().strip())
    raise AssertionError("no Accepted figure on the statistics page")


def outbox(wsgi_app, template: str, to: str) -> list[OutboxEmail]:
    with app_session(wsgi_app) as db:
        rows = db.scalars(
            select(OutboxEmail).where(OutboxEmail.template == template).order_by(OutboxEmail.id)
        ).all()
        return [row for row in rows if to in row.recipients]


def no_sideways_scroll(browser, base: str, email: str, path: str, name: str) -> None:
    context, page = signed_in(browser, base, email, PHONE)
    page.goto(base + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, path
    shot(page, name)
    context.close()


def invite_with_edited_letter(page, reviewer: str) -> None:
    """On the review page the finder's Invite link opened: the reviewer is chosen; the
    letter is edited, then sent."""
    page.wait_for_url(re.compile(r".*/review\?invite=\d+.*"))
    assert page.locator("#reviewer_id option:checked").inner_text().startswith(reviewer)
    letter = page.input_value("#message")
    assert letter.strip(), "the invitation opens pre-filled from its template"
    page.fill("#subject", f"Would you review for us, {reviewer.split()[0]}?")
    page.fill("#message", letter.rstrip() + "\n\n" + INVITE_EDIT + "\n")
    page.locator("#invite-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "error" not in (page.locator(".flashes").get_attribute("class") or "")


def reviews_in(wsgi_app, sid: int) -> None:
    """Both reviewers accept and submit (the services, as their pages would)."""
    with app_session(wsgi_app) as db:
        rows = db.scalars(
            select(ReviewAssignment)
            .join(ReviewRound, ReviewRound.id == ReviewAssignment.round_id)
            .where(ReviewRound.submission_id == sid)
            .order_by(ReviewAssignment.id)
        ).all()
        assert len(rows) == 2
        for assignment, recommendation in zip(rows, ("accept", "minor_revision"), strict=True):
            review.accept(db, assignment)
            review.save_review(
                db, assignment, {**GOOD, "recommendation": recommendation}, submit=True
            )


# long: one journey through the browser, step by step, each step checked where it happens
def test_the_editors_day_from_arrival_to_decision(live_server, browser, wsgi_app):
    sid = world(wsgi_app)
    base = live_server
    workspace = f"{base}/editorial/submissions/{sid}"

    # 1. The editor-in-chief: the figures before, then a handling editor for the paper.
    chief_context, chief = signed_in(browser, base, "chief@example.org")
    accepted_before = accepted_count(chief, base)
    shot(chief, "01-statistics-before")
    chief.goto(workspace)
    shot(chief, "02-workspace-arrived")
    chief.locator("#ws-actions [data-action=assign]").click()
    chief.wait_for_url(f"**/editorial/submissions/{sid}/handling-editor")
    erin = chief.locator("#editor_id option", has_text="Erin Editor").get_attribute("value")
    chief.select_option("#editor_id", value=erin)
    chief.locator("main form button[type=submit]").click()
    chief.wait_for_load_state()
    assert "Erin Editor" in chief.locator("#current-editor").inner_text()
    shot(chief, "03-handling-editor-assigned")
    assert outbox(wsgi_app, "editorial_handling_editor", "editor@example.org")

    # 2. The handling editor: the workspace, the review, two reviewers from the finder.
    context, editor = signed_in(browser, base, "editor@example.org")
    editor.goto(workspace)
    assert editor.locator("#ws-handling").inner_text() == "you"
    assert editor.locator("#find-reviewers").count() == 0  # not under review yet
    editor.locator("#ws-actions [data-action=send_to_review]").click()
    editor.wait_for_url(workspace)
    panel = editor.locator("#find-reviewers")
    assert panel.is_visible()
    shot(editor, "04-workspace-under-review")
    no_sideways_scroll(browser, base, "editor@example.org", f"/editorial/submissions/{sid}",
                       "04-workspace-390")  # fmt: skip
    suggested = panel.locator(".finder-suggestion strong").all_inner_texts()
    assert "Riya Reviewer" in suggested[:2] and "Tao Third" not in suggested[:1]
    panel.locator(".finder-suggestion", has_text="Riya Reviewer").locator("a.button").click()
    invite_with_edited_letter(editor, "Riya Reviewer")
    shot(editor, "05-first-invited")
    # The second from the whole ranking, reached from the panel.
    editor.goto(workspace)
    editor.locator("#finder-panel-all").click()
    editor.wait_for_url(f"**/editorial/reviewers?submission={sid}")
    shot(editor, "06-finder-ranked")
    row = editor.locator("table.finder-table tr", has_text="Sam Second")
    row.locator("a.button").click()
    invite_with_edited_letter(editor, "Sam Second")
    shot(editor, "07-second-invited")
    for to, name in (("rev1@example.org", "Riya"), ("rev2@example.org", "Sam")):
        (mail,) = outbox(wsgi_app, "review_invitation", to)
        assert INVITE_EDIT in mail.body_text, to  # the letter as the editor edited it
        assert mail.subject == f"Would you review for us, {name}?"

    # The workspace now shows what is owed: both answers, in the deadlines panel.
    editor.goto(workspace)
    deadlines = editor.locator(".work-side #deadlines .deadline-invitation")
    assert deadlines.count() == 2
    assert "Riya Reviewer" in deadlines.first.inner_text()
    assert "Overdue" not in editor.locator("#deadlines").inner_text()
    shot(editor, "07b-workspace-invitations-due")

    # 3. The reviews come in: the decision is what is due now, and it falls to Erin.
    reviews_in(wsgi_app, sid)
    editor.goto(workspace)
    decision_due = editor.locator("#deadlines .deadline-decision").inner_text()
    assert "Decision once the reviews are in" in decision_due and "Erin Editor" in decision_due

    # 4. Side by side, and the decision from its template, edited.
    assert editor.locator("#ws-reviews-in").inner_text() == "2"
    editor.locator("#ws-actions .primary-action [data-action=decide]").click()
    editor.wait_for_url(f"**/editorial/submissions/{sid}/review/compare")
    assert editor.locator(".compare-reviews #review-2").is_visible()
    editor.check("#decision-accept")
    letter = editor.input_value("#message")
    assert "decision is: accept" in letter  # pre-filled from the journal's template
    editor.fill("#message", letter.rstrip() + "\n\n" + DECISION_EDIT)
    shot(editor, "08-compare-and-decide")
    editor.locator(".compare-decision button[type=submit]").click()
    editor.wait_for_load_state()
    assert "The decision is recorded" in editor.locator(".flashes").inner_text()
    shot(editor, "09-decided")
    with app_session(wsgi_app) as db:
        decision = db.scalar(select(Decision).where(Decision.submission_id == sid))
        assert decision is not None and DECISION_EDIT in decision.letter
        assert db.get(Submission, sid).state == SubmissionState.ACCEPTED
    (mail,) = outbox(wsgi_app, "editorial_decision", "author@example.org")
    assert DECISION_EDIT in mail.body_text

    # 5. The editor asks the author in a discussion; the author answers in their browser.
    editor.goto(workspace)
    editor.locator("#discussions a", has_text="Start a discussion").click()
    editor.wait_for_url(f"**/editorial/submissions/{sid}/discussions*")
    editor.check("#kind-authors")
    editor.fill("#subject", "Data statement")
    editor.fill("#body", QUESTION)
    editor.locator("#start form button[type=submit]").click()
    editor.wait_for_load_state()
    shot(editor, "10-discussion-started")

    author_context, author = signed_in(browser, base, "author@example.org")
    author.goto(f"{base}/submissions/{sid}")
    author.locator("a.discussions-link").click()
    author.locator(".thread-subject", has_text="Data statement").click()
    assert QUESTION in author.locator(".messages").inner_text()
    author.fill("#body", ANSWER)
    author.locator("#reply form button[type=submit]").click()
    author.wait_for_load_state()
    assert ANSWER in author.locator(".messages").inner_text()
    shot(author, "11-author-answered")
    author_context.close()
    with app_session(wsgi_app) as db:
        thread = db.scalar(select(DiscussionThread).where(DiscussionThread.submission_id == sid))
        bodies = db.scalars(
            select(DiscussionMessage.body)
            .where(DiscussionMessage.thread_id == thread.id)
            .order_by(DiscussionMessage.id)
        ).all()
        assert bodies == [QUESTION, ANSWER]

    editor.goto(workspace)
    assert "1 unread" in editor.locator("#discussions h2").inner_text()
    shot(editor, "12-workspace-answer-unread")
    no_sideways_scroll(browser, base, "editor@example.org", f"/editorial/submissions/{sid}",
                       "12-workspace-390")  # fmt: skip
    context.close()

    # 6. The statistics count the paper.
    assert accepted_count(chief, base) == accepted_before + 1
    shot(chief, "13-statistics-after")
    chief_context.close()
