"""CRediT roles are shown by their names in the reader's language, whatever spelling is
stored (the demo and imports have stored NISO slugs such as ``writing-original-draft``)."""

from __future__ import annotations

from frontiers_de.security.roles import Role
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_submissions import sign_in
from tests.production_factories import make_accepted_submission


def test_roles_stored_as_slugs_show_their_chinese_names(testapp, wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, "li.wang@example.edu", roles=[Role.AUTHOR], journal=journal)
        submission = make_accepted_submission(db, journal, author)
        submission.contributors[0].credit_roles = ["conceptualization", "writing-original-draft"]
        submission_id = submission.id
    sign_in(testapp, "li.wang@example.edu")
    testapp.set_cookie("fde_lang", "zh")
    page = testapp.get(f"/submissions/{submission_id}")
    text = page.html.get_text(" ")
    assert "构思; 写作 – 初稿" in text
    assert "writing-original-draft" not in text and "conceptualization" not in text
