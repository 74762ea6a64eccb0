"""Finding 7a: a session outlived signing out.

The attack: copy the session cookie of a signed-in editor (a shared computer, a synced
browser profile, malware). The editor signs out, changes the password or loses the role;
the copy still opened the account. Each of those now ends every session of the account
(``AccountService.end_sessions``): the copy made before is refused.
"""

from __future__ import annotations

import pytest
import webtest
from click.testing import CliRunner
from sqlalchemy import select

from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.cli import fde
from frontiers_de.security.roles import Role
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.functional.test_cli_admin import write_ini
from tests.web import client_for, csrf

EDITOR = "editor@example.org"
ADMIN = "admin@example.org"
NEW_PASSWORD = "a brighter harbour at noon"


def copy_of(wsgi_app, client: webtest.TestApp) -> webtest.TestApp:
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = client_for(wsgi_app)
    thief.set_cookie("fde_session", client.cookies["fde_session"])
    assert thief.get("/account").status_int == 200  # the copy works before the event
    return thief


def assert_signed_out(client: webtest.TestApp) -> None:
    res = client.get("/account", status=302)
    assert "/login" in res.location


@pytest.fixture
def people(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, EDITOR, roles=[Role.SECTION_EDITOR, Role.REVIEWER], journal=journal)
        make_user(db, ADMIN, roles=[Role.ADMIN], journal=journal)


def test_signing_out_ends_a_copied_session(wsgi_app, people):
    editor = client_for(wsgi_app, EDITOR)
    elsewhere = client_for(wsgi_app, EDITOR)  # the same person on another device
    thief = copy_of(wsgi_app, editor)
    page = editor.get("/account")
    editor.post("/logout", {"csrf_token": csrf(page)}, status=302)
    assert_signed_out(thief)
    assert_signed_out(editor)
    assert_signed_out(elsewhere)
    # Signing in again works as ever.
    assert client_for(wsgi_app, EDITOR).get("/account").status_int == 200


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(wsgi_app, people):
    editor = client_for(wsgi_app, EDITOR)
    thief = copy_of(wsgi_app, editor)
    page = editor.get("/account/password")
    editor.post(
        "/account/password",
        {
            "csrf_token": csrf(page),
            "current_password": DEFAULT_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        status=302,
    )
    assert_signed_out(thief)
    assert editor.get("/account").status_int == 200


def _assignment_id(wsgi_app, email: str, role: Role) -> int:
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == email))
        return db.scalar(
            select(RoleAssignment.id).where(
                RoleAssignment.user_id == user.id, RoleAssignment.role == role
            )
        )


def test_losing_a_role_on_the_admin_page_ends_the_holders_sessions(wsgi_app, people):
    editor = client_for(wsgi_app, EDITOR)
    thief = copy_of(wsgi_app, editor)
    assert thief.get("/editorial").status_int == 200
    admin = client_for(wsgi_app, ADMIN)
    page = admin.get("/admin/roles")
    res = admin.post(
        "/admin/roles",
        {
            "csrf_token": csrf(page),
            "action": "revoke",
            "assignment_id": str(_assignment_id(wsgi_app, EDITOR, Role.SECTION_EDITOR)),
        },
        status=302,
    )
    assert "The role was revoked" in res.follow().text
    assert_signed_out(thief)
    assert_signed_out(editor)
    # The admin who acted is still signed in.
    assert admin.get("/admin/roles").status_int == 200


def test_an_admin_giving_up_one_of_their_own_roles_stays_signed_in_here(wsgi_app, people):
    with app_session(wsgi_app) as db:
        admin_user = db.scalar(select(User).where(User.email_key == ADMIN))
        journal = make_journal(db)
        from tests.factories import account_service

        account_service(db).grant_role(admin_user, journal.id, Role.REVIEWER)
    admin = client_for(wsgi_app, ADMIN)
    thief = copy_of(wsgi_app, admin)
    page = admin.get("/admin/roles")
    admin.post(
        "/admin/roles",
        {
            "csrf_token": csrf(page),
            "action": "revoke",
            "assignment_id": str(_assignment_id(wsgi_app, ADMIN, Role.REVIEWER)),
        },
        status=302,
    )
    assert admin.get("/admin/roles").status_int == 200
    assert_signed_out(thief)


def test_losing_a_role_from_the_command_line_ends_the_holders_sessions(
    wsgi_app, people, database_url, tmp_path
):
    editor = client_for(wsgi_app, EDITOR)
    thief = copy_of(wsgi_app, editor)
    ini = write_ini(tmp_path / "fde.ini", database_url)
    result = CliRunner().invoke(
        fde,
        ["user", "revoke", EDITOR, "--role", "section_editor", "--config", str(ini)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "revoked" in result.output
    assert_signed_out(thief)
    assert_signed_out(editor)
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email_key == EDITOR))
        assert [a.role for a in user.roles] == [Role.REVIEWER]
    # Bad input: an unknown address, a role not held.
    missing = CliRunner().invoke(
        fde, ["user", "revoke", "nobody@example.org", "--role", "admin", "--config", str(ini)]
    )
    assert missing.exit_code != 0 and "no account" in missing.output
    again = CliRunner().invoke(
        fde, ["user", "revoke", EDITOR, "--role", "section_editor", "--config", str(ini)]
    )
    assert again.exit_code == 0 and "does not hold" in again.output
