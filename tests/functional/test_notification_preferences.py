"""``/account/notifications``: a user chooses per kind between at once, the daily digest and
off; the kinds a process needs show as always. Through WebTest: the form, its CSRF check,
refused values (nothing saved), the Chinese page, the admin's setting that shares reviews,
and the choice at work (an editor who turned a kind off is sent nothing)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial import handling
from frontiers_de.journals.models import Journal
from frontiers_de.mail.models import Delivery, DigestItem, NotificationPreference, OutboxEmail
from frontiers_de.mail.preferences import set_preferences
from frontiers_de.security.roles import Role
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import csrf, sign_in

PAGE = "/account/notifications"


@pytest.fixture
def ada(testapp, wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        user = make_user(db, "ada@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        user_id = user.id
    sign_in(testapp, "ada@example.org")
    return user_id


def _stored(wsgi_app, user_id):
    with app_session(wsgi_app) as db:
        rows = db.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
        return {row.kind: row.delivery for row in rows}


def test_the_page_lists_every_kind_with_the_fixed_ones_as_always(testapp, ada):
    assert PAGE in testapp.get("/account").text  # linked from the account page
    page = testapp.get(PAGE)
    checked = {i["name"]: i["value"] for i in page.html.select("input[type=radio][checked]")}
    assert checked["kind.publication"] == "immediate"  # no choice yet: at once
    assert checked["kind.editor_reviews"] == "immediate"
    # A fixed kind has no radios: it says "always".
    fixed = page.html.select_one("#kind-account")
    assert fixed.select("input") == [] and "Always, at once" in fixed.text
    assert page.html.select_one("#kind-review_invitations .fixed-choice") is not None
    assert page.html.select_one("#kind-decisions .fixed-choice") is not None


def test_choices_are_saved_and_shown_again(testapp, wsgi_app, ada):
    page = testapp.get(PAGE)
    form = next(f for f in page.forms.values() if "kind.publication" in f.fields)
    form["kind.editor_reviews"] = "digest"
    form["kind.publication"] = "off"
    res = form.submit()
    assert res.status_int == 302
    page = res.follow()
    assert "Your notification choices are saved." in page.text
    assert _stored(wsgi_app, ada) == {
        "editor_reviews": Delivery.DIGEST,
        "publication": Delivery.OFF,
    }
    checked = {i["name"]: i["value"] for i in page.html.select("input[type=radio][checked]")}
    assert checked["kind.editor_reviews"] == "digest" and checked["kind.publication"] == "off"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind.publication", "weekly", "Choose “At once”, “Daily digest” or “Off”."),
        ("kind.account", "off", "always sent at once"),
        ("kind.decisions", "digest", "always sent at once"),
        ("kind.no_such_kind", "off", "There is no kind of notification called"),
    ],
)
def test_a_bad_value_is_refused_clearly_and_nothing_is_saved(
    testapp, wsgi_app, ada, field, value, message
):
    page = testapp.get(PAGE)
    res = testapp.post(
        PAGE,
        {"csrf_token": csrf(page), "kind.editor_papers": "off", field: value},
        status=200,
    )
    assert "Nothing was saved" in res.text
    assert message in res.text
    assert _stored(wsgi_app, ada) == {}  # the valid choice beside it is not saved either
    # ... but it is shown again as sent, for the user to correct the rest.
    assert res.html.select_one("#editor_papers-off").has_attr("checked")


def test_someone_who_edits_nothing_is_not_offered_the_editors_kinds(testapp, wsgi_app):
    with app_session(wsgi_app) as db:
        make_user(db, "author@example.org", roles=[Role.AUTHOR], journal=make_journal(db))
    sign_in(testapp, "author@example.org")
    page = testapp.get(PAGE)
    assert page.html.select_one("#kind-publication") is not None
    assert page.html.select_one("#kind-editor_reviews") is None
    assert "As an editor" not in page.text


def test_a_kind_sent_twice_is_refused(testapp, wsgi_app, ada):
    page = testapp.get(PAGE)
    res = testapp.post(
        PAGE,
        [("csrf_token", csrf(page)), ("kind.publication", "off"), ("kind.publication", "digest")],
        status=200,
    )
    assert "not several" in res.text
    assert _stored(wsgi_app, ada) == {}


def test_without_the_csrf_token_nothing_changes(testapp, wsgi_app, ada):
    testapp.post(PAGE, {"kind.publication": "off"}, status=400)
    assert _stored(wsgi_app, ada) == {}


def test_someone_signed_out_is_sent_to_sign_in(testapp):
    res = testapp.get(PAGE, status=302)
    assert "/login" in res.headers["Location"]


def test_the_page_in_chinese(testapp, wsgi_app, ada):
    page = testapp.get("/")
    testapp.post("/language", {"language": "zh", "csrf_token": csrf(page), "next": PAGE})
    page = testapp.get(PAGE)
    assert "通知" in page.html.select_one("h1").text
    assert "每日摘要" in page.text and "始终即时发送" in page.text


def test_an_editor_who_turned_a_kind_off_hears_nothing_of_it(testapp, wsgi_app, ada):
    """The choice at work: the handling-editor email is off for Ada (chosen on the page),
    in the digest for Bo, at once for Cy."""
    with app_session(wsgi_app) as db:
        journal = db.scalar(select(Journal))
        for name in ("bo", "cy"):
            make_user(db, f"{name}@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
        make_user(db, "author@example.org")
    page = testapp.get(PAGE)
    testapp.post(PAGE, {"csrf_token": csrf(page), "kind.editor_papers": "off"}, status=302)
    with app_session(wsgi_app) as db:
        journal = db.scalar(select(Journal))
        people = {u.email: u for u in db.scalars(select(User))}
        chief = people["chief@example.org"]
        set_preferences(db, people["bo@example.org"].id, {"editor_papers": Delivery.DIGEST})
        for editor in ("ada@example.org", "bo@example.org", "cy@example.org"):
            paper = SubmissionFactory(
                db=db, journal=journal, submitter=people["author@example.org"]
            )
            handling.assign(db, paper, chief, people[editor].id)
        bo = people["bo@example.org"].id
    with app_session(wsgi_app) as db:
        sent = db.scalars(
            select(OutboxEmail).where(OutboxEmail.template == "editorial_handling_editor")
        ).all()
        assert [m.recipients for m in sent] == [["cy@example.org"]]
        (kept,) = db.scalars(select(DigestItem)).all()
        assert kept.user_id == bo and "/editorial/submissions/" in kept.link


def test_the_admin_shares_reviews_with_reviewers(testapp, wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=journal)
    sign_in(testapp, "admin@example.org")
    page = testapp.get("/admin/journal")
    form = next(f for f in page.forms.values() if "doi_prefix" in f.fields)
    assert form["share_reviews_with_reviewers"].checked is False  # off by default
    form["share_reviews_with_reviewers"].checked = True
    assert form.submit().status_int == 302
    with app_session(wsgi_app) as db:
        assert db.scalar(select(Journal)).share_reviews_with_reviewers is True
    page = testapp.get("/admin/journal")
    form = next(f for f in page.forms.values() if "doi_prefix" in f.fields)
    assert form["share_reviews_with_reviewers"].checked is True
    form["share_reviews_with_reviewers"].checked = False  # an unticked box sends nothing: off
    form.submit(status=302)
    with app_session(wsgi_app) as db:
        assert db.scalar(select(Journal)).share_reviews_with_reviewers is False
    res = testapp.post(
        "/admin/journal",
        {**{k: v for k, v in form.submit_fields()}, "share_reviews_with_reviewers": "2"},
        status=400,
    )
    assert "Choose yes or no." in res.text
