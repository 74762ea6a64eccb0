"""Issue 9, finding 3: the pre-registered reviewer account.

An attacker registers, unverified, the address an editor will later invite. Before the fix
the invitation reused that account as it was: the attacker's password kept working, and
once the real reviewer accepted by the emailed link it opened the manuscript and the review
form. A signed-in unverified account could also accept its own invitation from My reviews
and so became "verified" without ever proving the address.

Now an address is confirmed only by a link sent to it; inviting an unconfirmed account (and
accepting for it) takes its password and ends its sessions; the accept link leads straight
to choosing a password, and the reviewer is then signed in; the editor sees "address not
confirmed" beside such a reviewer."""

from __future__ import annotations

import re

import webtest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.review import services as review_services
from frontiers_de.review.models import AssignmentState, ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission
from tests.factories import FAST_HASHER, app_session, make_user
from tests.functional.test_accounts import register
from tests.functional.test_peer_review import DUE, arrange, invite, links, outbox, reviewer_id
from tests.web import client_for, csrf, post_sign_in

VICTIM = "victim@example.org"
ATTACKER_PASSWORD = "the attacker chose this one"
REVIEWER_PASSWORD = "lanterns over the old harbour"
NOT_CONFIRMED = "address not confirmed"


def account(wsgi_app, email: str) -> User:
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == email.casefold()))
        db.expunge(user)
        return user


def assignment_of(wsgi_app, email: str) -> ReviewAssignment:
    with app_session(wsgi_app) as db:
        row = db.scalar(
            select(ReviewAssignment)
            .join(User, User.id == ReviewAssignment.reviewer_id)
            .where(User.email_key == email.casefold())
        )
        db.expunge(row)
        return row


def cookie_client(wsgi_app, cookie: str) -> webtest.TestApp:
    """A browser that only has the session cookie someone copied earlier."""
    client = webtest.TestApp(wsgi_app, extra_environ={"HTTP_HOST": "localhost"})
    client.set_cookie("fde_session", cookie)
    return client


def test_the_attacker_who_registered_first_loses_the_account_and_never_reads_the_paper(
    wsgi_app, app_settings
):
    sid = arrange(wsgi_app, app_settings)

    # 1. The attacker registers the reviewer's address (never confirmed) and keeps the
    #    session cookie.
    attacker = client_for(wsgi_app)
    assert register(attacker, VICTIM, ATTACKER_PASSWORD).status_int == 302
    assert attacker.get("/account").status_int == 200
    copied_cookie = attacker.cookies["fde_session"]
    assert not account(wsgi_app, VICTIM).is_verified

    # 2. The editor invites that address.
    editor = client_for(wsgi_app, "editor@example.org")
    invite(editor, sid, name="Victoria Reviewer", email=VICTIM)
    assert len(outbox(wsgi_app, "review_invitation")) == 1

    # 3. The attacker is out: the password no longer signs in, the session (and a copy of
    #    its cookie) has ended, the reviewer's pages are closed to it.
    assert attacker.get("/account").status_int == 302
    assert cookie_client(wsgi_app, copied_cookie).get("/account").status_int == 302
    attacker.get("/reviews", status=302)
    stranger = client_for(wsgi_app)
    assert "not correct" in post_sign_in(stranger, VICTIM, ATTACKER_PASSWORD).text
    user = account(wsgi_app, VICTIM)
    assert user.password_hash is None and not user.is_verified
    # Asking for a new password sends the link to the address, not to the attacker.
    page = stranger.get("/password/reset")
    stranger.post("/password/reset", {"csrf_token": csrf(page), "email": VICTIM})
    assert [m.recipients for m in outbox(wsgi_app, "accounts_reset")] == [[VICTIM]]

    # 4. The real reviewer opens the emailed Accept link: the page asks for a password
    #    right there (no detour through "forgot password"); opening it changes nothing.
    (mail,) = outbox(wsgi_app, "review_invitation")
    accept_link, _decline = links(mail)
    reviewer = client_for(wsgi_app)
    page = reviewer.get(accept_link)
    assert page.html.find("input", {"name": "password", "type": "password"}) is not None
    assert page.html.find("input", {"name": "password_confirm"}) is not None
    assert "/password/reset" not in page.text
    assert assignment_of(wsgi_app, VICTIM).state == AssignmentState.INVITED

    # Bad input first: nothing is accepted, nothing is set.
    post = accept_link.split("?")[0]
    for password, confirm, message in (
        ("", "", "This field is required"),
        (REVIEWER_PASSWORD, REVIEWER_PASSWORD + "x", "not the same"),
        ("short", "short", "at least"),
    ):
        res = reviewer.post(
            post,
            {
                "csrf_token": csrf(page),
                "action": "accept",
                "password": password,
                "password_confirm": confirm,
            },
            status=400,
        )
        assert message in res.text
        assert assignment_of(wsgi_app, VICTIM).state == AssignmentState.INVITED
        assert account(wsgi_app, VICTIM).password_hash is None

    # 5. One step: accept and choose the password; the reviewer is signed in and lands on
    #    the manuscript.
    res = reviewer.post(
        post,
        {
            "csrf_token": csrf(page),
            "action": "accept",
            "password": REVIEWER_PASSWORD,
            "password_confirm": REVIEWER_PASSWORD,
        },
        status=302,
    )
    assignment = assignment_of(wsgi_app, VICTIM)
    assert res.headers["Location"].endswith(f"/reviews/{assignment.id}")
    paper = res.follow()
    assert "Thank you for agreeing to review" in paper.text
    file_link = paper.html.find("a", href=re.compile(r"/files/\d+$"))["href"]
    assert reviewer.get(file_link).body.startswith(b"PK")
    assert assignment.state == AssignmentState.ACCEPTED
    assert account(wsgi_app, VICTIM).is_verified
    assert "Choose a password" not in reviewer.get(accept_link, status=410).text

    # 6. The attacker's password never opens the manuscript or the review form.
    for client in (attacker, cookie_client(wsgi_app, copied_cookie), client_for(wsgi_app)):
        assert "not correct" in post_sign_in(client, VICTIM, ATTACKER_PASSWORD).text
        client.get(f"/reviews/{assignment.id}", status=302)
        client.get(file_link, status=302)
    # The reviewer's own password does.
    assert post_sign_in(client_for(wsgi_app), VICTIM, REVIEWER_PASSWORD).status_int == 302


def test_a_signed_in_unverified_account_cannot_accept_to_become_verified(wsgi_app, app_settings):
    """An unconfirmed account with a password and an open invitation, as the code before
    the fix left them (inviting now takes the password): signed in, it cannot answer its
    invitation from My reviews, and it is not confirmed by trying."""
    sid = arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        submission = db.get(Submission, sid)
        editor = db.scalar(select(User).where(User.email_key == "editor@example.org"))
        review_services.invite(
            db, submission, editor, name="Victoria Reviewer", email=VICTIM, due=DUE
        )
        user = db.scalar(select(User).where(User.email_key == VICTIM))
        user.password_hash = FAST_HASHER.hash(ATTACKER_PASSWORD)
    attacker = client_for(wsgi_app)
    assert post_sign_in(attacker, VICTIM, ATTACKER_PASSWORD).status_int == 302
    assignment = assignment_of(wsgi_app, VICTIM)

    page = attacker.get("/reviews")
    assert "Confirm your email address" in page.text
    for action in ("accept", "decline"):
        res = attacker.post(
            f"/reviews/{assignment.id}/answer",
            {"csrf_token": csrf(page), "action": action},
            status=302,
        ).follow()
        assert "open the link in the invitation email" in res.text
        assert assignment_of(wsgi_app, VICTIM).state == AssignmentState.INVITED
        assert not account(wsgi_app, VICTIM).is_verified
    # Nor the manuscript, whatever the path.
    attacker.get(f"/reviews/{assignment.id}", status=302)
    attacker.get(f"/reviews/{assignment.id}/files/1", status=302)


def test_another_signed_in_account_cannot_answer_someone_elses_invitation(wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    invite(editor, sid, reviewer_id=str(reviewer_id(wsgi_app, "rev1@example.org")))
    accept_link, decline_link = links(outbox(wsgi_app, "review_invitation")[0])

    # Sam (a verified reviewer of the journal) got hold of Riya's link.
    sam = client_for(wsgi_app, "rev2@example.org")
    page = sam.get(accept_link, status=403)
    assert "this invitation was sent to someone else" in page.text
    assert not any(f.action.startswith("/review/invitations/") for f in page.forms.values())
    for action in ("accept", "decline"):
        res = sam.post(
            accept_link.split("?")[0], {"csrf_token": csrf(page), "action": action}, status=403
        )
        assert "this invitation was sent to someone else" in res.text
    sam.get(decline_link, status=403)
    assert assignment_of(wsgi_app, "rev1@example.org").state == AssignmentState.INVITED
    # Not signed in as someone else, the link works (it was emailed to the invited address).
    riya = client_for(wsgi_app)
    page = riya.get(accept_link)
    res = riya.post(accept_link.split("?")[0], {"csrf_token": csrf(page), "action": "accept"})
    assert "You have agreed to review" in res.text


def test_the_editor_sees_address_not_confirmed(wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        make_user(
            db,
            "unsure@example.org",
            verified=False,
            roles=[Role.REVIEWER],
            given_name="Uma",
            family_name="Unsure",
        )
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    options = {
        o.text: o for o in page.html.find("select", {"name": "reviewer_id"}).find_all("option")
    }
    (uma,) = [text for text in options if "Uma Unsure" in text]
    assert NOT_CONFIRMED in uma
    (riya,) = [text for text in options if "Riya Reviewer" in text]
    assert NOT_CONFIRMED not in riya

    # Uma is invited from the list; a new address is invited too: both rows carry the mark.
    invite(editor, sid, reviewer_id=str(reviewer_id(wsgi_app, "unsure@example.org")))
    page = invite(editor, sid, name="Nora Newcomer", email="nora@example.net").follow()
    rows = {
        row.find("td").get_text(" ", strip=True): row
        for row in page.html.select("tr[class^=assignment-]")
    }
    assert len(rows) == 2
    assert all(NOT_CONFIRMED in text for text in rows)

    # Nora accepts by the emailed link: her address is confirmed, the mark goes.
    nora_mail = outbox(wsgi_app, "review_invitation")[1]
    accept_link, _ = links(nora_mail)
    nora = client_for(wsgi_app)
    form = nora.get(accept_link)
    nora.post(
        accept_link.split("?")[0],
        {
            "csrf_token": csrf(form),
            "action": "accept",
            "password": REVIEWER_PASSWORD,
            "password_confirm": REVIEWER_PASSWORD,
        },
        status=302,
    )
    page = editor.get(f"/editorial/submissions/{sid}/review")
    marks = [
        row.find("td").get_text(" ", strip=True)
        for row in page.html.select("tr[class^=assignment-]")
    ]
    assert [NOT_CONFIRMED in text for text in marks] == [True, False]
