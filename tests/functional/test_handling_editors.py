"""Handling editors through the web: the admin gives a section editor their sections; the
editor-in-chief assigns papers from the queue; the section editor then sees the papers of
their section and the one assigned to them, and is emailed; an author is never offered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.editorial.models import AuditEvent
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf


@pytest.fixture
def world(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=journal)
        make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
        se = make_user(
            db,
            "se@example.org",
            roles=[Role.SECTION_EDITOR],
            journal=journal,
            given_name="Sam",
            family_name="Editor",
        )
        author = make_user(db, "author@example.org")
        first, second = journal.sections[0], journal.sections[1]
        ids = {"se": se.id, "first": first.id, "second": second.id}
        for key, title, section in (
            ("mine", "Reading in class", first),
            ("other", "Teacher pay", second),
            ("later", "Homework help", second),
        ):
            ids[key] = SubmissionFactory(
                db=db, journal=journal, submitter=author, section=section, title=title
            ).id
        # A paper the section editor co-wrote: never offered to them.
        ids["own"] = SubmissionFactory(
            db=db,
            journal=journal,
            submitter=author,
            section=first,
            title="Our own study",
            authors=[{"given_name": "Sam", "family_name": "E", "email": "se@example.org"}],
        ).id
    return ids


def test_sections_then_assignment_decide_what_a_section_editor_sees(wsgi_app, world):
    admin = client_for(wsgi_app, "admin@example.org")
    page = admin.get("/admin/roles")
    admin.post(
        "/admin/roles",
        {
            "csrf_token": csrf(page),
            "action": "sections",
            "user_id": world["se"],
            "section_id": str(world["first"]),
        },
    ).follow()
    page = admin.get("/admin/roles")
    assert page.html.find("input", id=f"sec-{world['se']}-{world['first']}").has_attr("checked")

    se = client_for(wsgi_app, "se@example.org")
    queue = se.get("/editorial").text
    assert "Reading in class" in queue and "Teacher pay" not in queue
    assert "Our own study" not in queue
    se.get(f"/editorial/submissions/{world['other']}/review", status=404)
    se.get(f"/editorial/submissions/{world['mine']}/handling-editor", status=403)

    chief = client_for(wsgi_app, "chief@example.org")
    queue = chief.get("/editorial")
    assert "unassigned" in queue.text
    link = f"/editorial/submissions/{world['other']}/handling-editor"
    assert queue.html.find("a", href=link) is not None
    page = chief.get(link)
    offered = [o["value"] for o in page.html.find(id="editor_id").find_all("option")]
    assert str(world["se"]) in offered
    own = chief.get(f"/editorial/submissions/{world['own']}/handling-editor")
    offered = [o["value"] for o in own.html.find(id="editor_id").find_all("option")]
    assert str(world["se"]) not in offered  # an author of that paper
    res = chief.post(
        f"/editorial/submissions/{world['own']}/handling-editor",
        {"csrf_token": csrf(own), "editor_id": str(world["se"])},
        status=400,
    )
    assert "is an author of this paper" in res.text
    res = chief.post(link, {"csrf_token": csrf(page), "editor_id": str(world["se"])}).follow()
    assert f"Sam Editor handles submission {world['other']} now" in res.text
    assert "Sam" in res.html.find(id="current-editor").text

    # Now hers: in her queue under "Assigned to me", and its editorial page opens.
    mine = se.get("/editorial?handling=me").text
    assert "Teacher pay" in mine and "Reading in class" not in mine
    se.get(f"/editorial/submissions/{world['other']}/review", status=200)
    unassigned = chief.get("/editorial?handling=unassigned").text
    assert "Homework help" in unassigned and "Teacher pay" not in unassigned

    # Reassigned to the chief: recorded, and she no longer sees it.
    page = chief.get(link)
    chief_id = next(
        o["value"] for o in page.html.find(id="editor_id").find_all("option") if "(you)" in o.text
    )
    chief.post(link, {"csrf_token": csrf(page), "editor_id": chief_id}).follow()
    se.get(f"/editorial/submissions/{world['other']}/review", status=404)
    with app_session(wsgi_app) as db:
        assert db.get(Submission, world["other"]).handling_editor_id == int(chief_id)
        steps = db.scalars(
            select(AuditEvent).where(AuditEvent.action == "assign_handling_editor")
        ).all()
        assert [s.detail["editor_id"] for s in steps] == [world["se"], int(chief_id)]
        mails = db.scalars(
            select(OutboxEmail).where(OutboxEmail.template == "editorial_handling_editor")
        ).all()
        assert [m.recipients for m in mails] == [["se@example.org"]]
        # The link leads to the paper's workspace.
        assert f"/editorial/submissions/{world['other']}\n" in mails[0].body_text
    assert "Assignments so far" in chief.get(link).text
