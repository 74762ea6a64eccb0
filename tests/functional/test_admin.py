"""The administration pages: granting and revoking roles, journal settings, sections."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.journals.models import Journal, Section
from frontiers_de.security.roles import Role
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.web import csrf


@pytest.fixture
def admin(testapp, wsgi_app):
    """Signed in as the journal's only administrator; returns the admin's user id."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        user = make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=journal)
        make_user(db, "zhang.wei@example.org", given_name="Wei", family_name="Zhang")
        admin_id = user.id
    page = testapp.get("/login")
    testapp.post(
        "/login",
        {"csrf_token": csrf(page), "email": "admin@example.org", "password": DEFAULT_PASSWORD},
    )
    return admin_id


def test_search_grant_and_revoke_a_role(testapp, wsgi_app, admin):
    page = testapp.get("/admin/roles", {"q": "ZHANG"})
    assert "zhang.wei@example.org" in page.text
    grant = next(
        f
        for f in page.forms.values()
        if f.get("action", default=None) is not None and f.get("action").value == "grant"
    )
    grant["role"] = "section_editor"
    res = grant.submit()
    assert res.status_int == 302
    page = res.follow()
    assert "is now Section editor" in page.text
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == "zhang.wei@example.org"))
        (assignment,) = user.roles
        assert assignment.role is Role.SECTION_EDITOR and assignment.granted_by_id == admin

    res = testapp.post(
        "/admin/roles",
        {"csrf_token": csrf(page), "action": "revoke", "assignment_id": str(assignment.id)},
    ).follow()
    assert "The role was revoked" in res.text
    with app_session(wsgi_app) as db:
        assert db.get(RoleAssignment, assignment.id) is None


def test_last_admin_cannot_be_revoked(testapp, wsgi_app, admin):
    with app_session(wsgi_app) as db:
        (assignment_id,) = db.scalars(
            select(RoleAssignment.id).where(RoleAssignment.user_id == admin)
        ).all()
    page = testapp.get("/admin/roles")
    res = testapp.post(
        "/admin/roles",
        {"csrf_token": csrf(page), "action": "revoke", "assignment_id": str(assignment_id)},
    ).follow()
    assert "last administrator" in res.text
    with app_session(wsgi_app) as db:
        assert db.get(RoleAssignment, assignment_id) is not None


def test_bad_role_changes_are_refused(testapp, wsgi_app, admin):
    page = testapp.get("/admin/roles")
    token = csrf(page)
    for data, message in [
        ({"action": "grant", "user_id": str(admin), "role": "emperor"}, "Choose a role"),
        ({"action": "grant", "user_id": "999999", "role": "author"}, "no such user"),
        ({"action": "grant", "user_id": "1; DROP", "role": "author"}, "must be a number"),
        ({"action": "revoke", "assignment_id": "424242"}, "no such role assignment"),
        ({"action": "explode"}, "Unknown action"),
    ]:
        res = testapp.post("/admin/roles", {"csrf_token": token, **data}).follow()
        assert message in res.text, data
    with app_session(wsgi_app) as db:
        assert len(db.scalars(select(RoleAssignment)).all()) == 1
    # Without the CSRF token nothing happens.
    testapp.post(
        "/admin/roles", {"action": "grant", "user_id": str(admin), "role": "author"}, status=400
    )


def test_journal_settings_saved_and_validated(testapp, wsgi_app, admin):
    page = testapp.get("/admin/journal")
    form = next(f for f in page.forms.values() if "doi_prefix" in f.fields)
    form["issn_print"] = "0317-8471"
    form["issn_online"] = "2434561x"
    form["title_zh"] = "数字教育前沿"
    assert form.submit().status_int == 302
    with app_session(wsgi_app) as db:
        journal = db.scalar(select(Journal))
        assert (journal.issn_print, journal.issn_online) == ("0317-8471", "2434-561X")

    page = testapp.get("/admin/journal")
    form = next(f for f in page.forms.values() if "doi_prefix" in f.fields)
    form["issn_print"] = "0317-8472"
    form["doi_prefix"] = "10.55"
    form["licence_url"] = "javascript:alert(1)"
    form["title"] = "Changed title"
    res = form.submit(status=400)
    assert "wrong check digit" in res.text
    assert "DOI prefix like 10.5555" in res.text
    assert "starting with https://" in res.text
    with app_session(wsgi_app) as db:
        assert db.scalar(select(Journal)).title == "Frontiers of Digital Education"


def test_sections_add_rename_reorder_deactivate(testapp, wsgi_app, admin):
    page = testapp.get("/admin/journal")
    token = csrf(page)
    post = lambda data: testapp.post(  # noqa: E731
        "/admin/journal/sections", {"csrf_token": token, **data}
    ).follow()
    assert (
        "The sections are saved"
        in post(
            {
                "action": "add",
                "name": "Brief Report",
                "name_zh": "简报",
                "article_type": "brief-report",
            }
        ).text
    )
    with app_session(wsgi_app) as db:
        added = db.scalar(select(Section).where(Section.code == "brief-report"))
    post({"action": "move", "section_id": str(added.id), "direction": "up"})
    post(
        {
            "action": "update",
            "section_id": str(added.id),
            "name": "Short Report",
            "name_zh": "短报",
            "article_type": "brief-report",
            "is_active": "0",
        }
    )
    with app_session(wsgi_app) as db:
        sections = db.scalars(select(Section).order_by(Section.position)).all()
        assert [s.name for s in sections][-2:] == ["Short Report", "Case Study"]
        assert not sections[-2].is_active
    # The home page no longer offers the deactivated section.
    assert "Short Report" not in testapp.get("/").text

    assert (
        "already a section"
        in post({"action": "add", "name": "review", "article_type": "review-article"}).text
    )
    assert (
        "Choose an article type"
        in post({"action": "add", "name": "Poem", "article_type": "sonnet"}).text
    )
    assert (
        "no such section"
        in post({"action": "move", "section_id": "987654", "direction": "up"}).text
    )
    with app_session(wsgi_app) as db:
        assert len(db.scalars(select(Section)).all()) == 6
