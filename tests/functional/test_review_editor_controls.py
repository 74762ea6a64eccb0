"""The editor's controls on the invitations of a round, through the web: a later due date
(the reviewer is emailed; the deadline engine reminds of the new date) and cancelling an
invitation (the reviewer is emailed in their language, the emailed link stops working).
Bad input keeps the page with a word why and changes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.review.models import AssignmentState, ReviewAssignment
from tests.factories import app_session
from tests.functional.test_peer_review import DUE, arrange, invite, links, outbox, reviewer_id
from tests.web import client_for, csrf

LATER = (dt.date.today() + dt.timedelta(days=40)).isoformat()


def assignments(wsgi_app) -> dict[str, ReviewAssignment]:
    with app_session(wsgi_app) as db:
        rows = db.execute(
            select(User.email, ReviewAssignment).join(User, User.id == ReviewAssignment.reviewer_id)
        ).all()
        db.expunge_all()
    return {email: a for email, a in rows}


def test_the_editor_extends_a_due_date_and_cancels_an_invitation(wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        db.scalar(select(User).where(User.email == "rev2@example.org")).preferred_language = "zh"
    editor = client_for(wsgi_app, "editor@example.org")
    for email in ("rev1@example.org", "rev2@example.org"):
        invite(editor, sid, reviewer_id=str(reviewer_id(wsgi_app, email)))
    first, second = outbox(wsgi_app, "review_invitation")

    # Riya accepts.
    anonymous = client_for(wsgi_app)
    accept_link, _decline = links(first)
    page = anonymous.get(accept_link)
    anonymous_token = csrf(page)
    anonymous.post(accept_link.split("?")[0], {"csrf_token": anonymous_token, "action": "accept"})
    riya = assignments(wsgi_app)["rev1@example.org"]
    base = f"/editorial/submissions/{sid}/review/assignments/{riya.id}"

    # Bad dates: the page again, with the reason beside the row; nothing changes.
    page = editor.get(f"/editorial/submissions/{sid}/review")
    assert page.html.find("form", action=base + "/due") is not None
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    for bad, reason in (
        (yesterday, "The due date must be after today."),
        (DUE, "must be later than the current one"),
        ("soon", "Give the due date as a date"),
    ):
        res = editor.post(base + "/due", {"csrf_token": csrf(page), "due": bad}, status=400)
        assert reason in res.text
    assert assignments(wsgi_app)["rev1@example.org"].due_at == riya.due_at
    assert outbox(wsgi_app, "review_due_changed") == []

    # A later date: Riya is told.
    res = editor.post(base + "/due", {"csrf_token": csrf(page), "due": LATER}).follow()
    assert f"now due by {LATER}" in res.text
    moved = assignments(wsgi_app)["rev1@example.org"]
    assert moved.due_at.date().isoformat() == LATER
    [mail] = outbox(wsgi_app, "review_due_changed")
    assert mail.recipients == ["rev1@example.org"]
    assert LATER in mail.subject and LATER in mail.body_text
    assert f"/reviews/{riya.id}" in mail.body_text
    assert "Zhou" not in mail.body_text  # never the authors' names

    # Sam's invitation (unanswered) is cancelled: Sam is told in Chinese, the link is dead.
    sam = assignments(wsgi_app)["rev2@example.org"]
    cancel = f"/editorial/submissions/{sid}/review/assignments/{sam.id}/cancel"
    res = editor.post(cancel, {"csrf_token": csrf(page)}).follow()
    assert "The invitation of Sam Second is cancelled" in res.text
    assert assignments(wsgi_app)["rev2@example.org"].state == AssignmentState.CANCELLED
    [mail] = outbox(wsgi_app, "review_cancelled")
    assert mail.recipients == ["rev2@example.org"]
    assert "无需再审稿" in mail.subject and "撤回" in mail.body_text
    accept_link, _decline = links(second)
    dead = anonymous.get(accept_link, status=410)
    assert "cancelled this invitation" in dead.text
    anonymous.post(
        accept_link.split("?")[0], {"csrf_token": anonymous_token, "action": "accept"}, status=410
    )
    assert assignments(wsgi_app)["rev2@example.org"].state == AssignmentState.CANCELLED
    # Neither control is offered on a cancelled row, and a second cancel is refused.
    page = editor.get(f"/editorial/submissions/{sid}/review")
    assert page.html.find("form", action=cancel) is None
    res = editor.post(cancel, {"csrf_token": csrf(page)}, status=400)
    assert "already cancelled" in res.text
    assert len(outbox(wsgi_app, "review_cancelled")) == 1


def test_a_submitted_review_cannot_be_cancelled_and_strangers_cannot_act(wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    invite(editor, sid, reviewer_id=str(reviewer_id(wsgi_app, "rev1@example.org")))
    riya = assignments(wsgi_app)["rev1@example.org"]
    with app_session(wsgi_app) as db:
        a = db.get(ReviewAssignment, riya.id)
        a.state = AssignmentState.SUBMITTED
    base = f"/editorial/submissions/{sid}/review/assignments/{riya.id}"
    page = editor.get(f"/editorial/submissions/{sid}/review")
    res = editor.post(base + "/cancel", {"csrf_token": csrf(page)}, status=400)
    assert "The review has been submitted" in res.text
    res = editor.post(base + "/due", {"csrf_token": csrf(page), "due": LATER}, status=400)
    assert "The review has been submitted" in res.text
    assert assignments(wsgi_app)["rev1@example.org"].state == AssignmentState.SUBMITTED

    # An assignment of no round of this submission is not found.
    other = f"/editorial/submissions/{sid}/review/assignments/{riya.id + 1000}"
    editor.post(other + "/cancel", {"csrf_token": csrf(page)}, status=404)
    # For the reviewer and the author the controls do not exist (404, as for every editorial
    # page of the paper, though they hold no editor's role).
    for email in ("rev1@example.org", "meiling.zhou@example.edu.cn"):
        client = client_for(wsgi_app, email)
        home = client.get("/reviews")
        client.post(base + "/cancel", {"csrf_token": csrf(home)}, status=404)
        client.post(base + "/due", {"csrf_token": csrf(home), "due": LATER}, status=404)
    assert outbox(wsgi_app, "review_cancelled") == []
    assert outbox(wsgi_app, "review_due_changed") == []
