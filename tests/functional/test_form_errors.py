"""Refused forms people can find (WCAG 3.3.1, 4.1.3): a sample of forms, each refused, answers
400 with a page whose title starts with "Error:", whose error summary comes first in the
form and is focusable, each entry of which links to a field that exists and carries
``aria-invalid`` and an ``aria-describedby`` naming its error text; the required-field
marker is explained once on the form. The focus landing on the summary is a browser test
(tests/browser/test_form_errors.py)."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import workflow
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import SubmissionState
from tests.factories import app_session, make_journal, make_user
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf


def assert_findable_errors(page, *fields: str, title_words: str = "") -> None:
    """The refused page's title, summary and fields, as the module docstring says. (The
    account forms still answer a refusal with 200, as they always have.)"""
    title = page.html.title.text.strip()
    assert title.startswith("Error:"), title
    assert title_words in title
    summaries = page.html.select("[data-error-summary]")
    assert len(summaries) == 1, page.text
    summary = summaries[0]
    assert summary["tabindex"] == "-1"
    assert summary.find("h2").text.strip() == "There is a problem"
    assert page.html.select_one("script[src*='error-summary.js']") is not None
    hrefs = [a["href"] for a in summary.select("a")]
    assert len(hrefs) >= len(fields)
    for name in fields:
        assert f"#{name}" in hrefs, (name, hrefs)
    for href in hrefs:
        field = page.html.find(id=href[1:])
        assert field is not None, f"the summary links to {href}, which is not on the page"
        assert field.get("aria-invalid") == "true", field
        described = field.get("aria-describedby", "").split()
        texts = [page.html.find(id=i) for i in described]
        assert any(t is not None and "field-error" in t.get("class", []) for t in texts), field
    if summary.find_parent("form") is not None:  # first in its form, before any field
        assert summary.find_previous(["input", "select", "textarea"]).get("type") == "hidden"
    if page.html.select("form label [aria-hidden='true']"):
        assert "* = required" in page.text


@pytest.fixture
def world(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, "author@example.org")
        make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=journal)
        editor = make_user(db, "editor@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
        draft = SubmissionFactory(
            db=db, journal=journal, submitter=author, state=SubmissionState.DRAFT
        )
        submitted = SubmissionFactory(
            db=db, journal=journal, submitter=author, state=SubmissionState.SUBMITTED
        )
        workflow.apply(db, submitted, "send_to_review", editor)
        return {"draft": draft.id, "submitted": submitted.id}


def test_registration(wsgi_app, world):
    client = client_for(wsgi_app)
    page = client.get("/register")
    assert page.text.count("* = required") == 1
    res = client.post(
        "/register",
        {"csrf_token": csrf(page), "email": "not-an-address", "given_name": ""},
    )
    assert_findable_errors(res, "email", "given_name", "password", title_words="Register")


def test_sign_in_refused_says_so_in_the_title_and_summary(wsgi_app, world):
    client = client_for(wsgi_app)
    page = client.get("/login")
    res = client.post(
        "/login",
        {"csrf_token": csrf(page), "email": "author@example.org", "password": "wrong one"},
    )
    assert_findable_errors(res, title_words="Sign in")
    assert res.html.select_one("[data-error-summary] #form-error").text.strip()


def test_sign_in_with_empty_fields_links_each_field(wsgi_app, world):
    client = client_for(wsgi_app)
    page = client.get("/login")
    res = client.post("/login", {"csrf_token": csrf(page), "email": "", "password": ""})
    assert_findable_errors(res, "email", title_words="Sign in")


def test_submission_details(wsgi_app, world):
    author = client_for(wsgi_app, "author@example.org")
    url = f"/submissions/{world['draft']}/details"
    page = author.get(url)
    res = author.post(
        url,
        {"csrf_token": csrf(page), "language": "en", "title": "T" * 501, "version": "1"},
        status=400,
    )
    assert_findable_errors(res, "title", title_words="Details")


def test_suggested_reviewers_radio_group(wsgi_app, world):
    author = client_for(wsgi_app, "author@example.org")
    url = f"/submissions/{world['draft']}/reviewers"
    page = author.get(url)
    res = author.post(url, {"csrf_token": csrf(page), "kind": "opposed"}, status=400)
    assert_findable_errors(res, "name", "email", title_words="Suggested reviewers")


def test_invite_reviewer(wsgi_app, world):
    editor = client_for(wsgi_app, "editor@example.org")
    sid = world["submitted"]
    page = editor.get(f"/editorial/submissions/{sid}/review")
    res = editor.post(
        f"/editorial/submissions/{sid}/review/invite",
        {"csrf_token": csrf(page), "due": "2000-01-01"},
        status=400,
    )
    assert_findable_errors(res, title_words="Peer review")


def test_admin_journal_settings(wsgi_app, world):
    admin = client_for(wsgi_app, "admin@example.org")
    page = admin.get("/admin/journal")
    form = next(f for f in page.forms.values() if "licence_url" in f.fields)
    form["title"] = ""
    form["licence_url"] = "not a web address"
    res = form.submit(status=400)
    assert_findable_errors(res, "title", "licence_url", title_words="Journal settings")


def test_admin_journal_page(wsgi_app, world):
    admin = client_for(wsgi_app, "admin@example.org")
    page = admin.get("/admin/pages/fees/en")
    form = next(f for f in page.forms.values() if "title" in f.fields)
    form["title"] = ""
    res = form.submit(status=400)
    assert_findable_errors(res, "title", title_words="Journal pages")


def test_news_post(wsgi_app, world):
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get("/editorial/news")
    res = editor.post(
        "/editorial/news", {"csrf_token": csrf(page), "title": "", "body": ""}, status=400
    )
    assert_findable_errors(res, "title", title_words="Announcements")


def test_a_page_without_errors_has_neither_prefix_nor_script(wsgi_app, world):
    page = client_for(wsgi_app).get("/register")
    assert not page.html.title.text.strip().startswith("Error:")
    assert page.html.select_one("[data-error-summary]") is None
    assert page.html.select_one("script[src*='error-summary.js']") is None


def test_chinese_title_prefix(wsgi_app, world):
    client = client_for(wsgi_app)
    client.set_cookie("fde_lang", "zh")
    page = client.get("/register")
    assert "* 为必填项" in page.text
    res = client.post("/register", {"csrf_token": csrf(page), "email": "x"})
    assert res.html.title.text.strip().startswith("错误：")
    assert "有问题需要更正" in res.html.select_one("[data-error-summary] h2").text
