"""Letters editors can edit, through the web: the admin gives an email the journal's own
text at /admin/emails (variables listed, preview with a real submission, a refused text kept
with its reason, the default restored); the editor's invitation and decision letter open
pre-filled from the journal's template, and the outbox row carries what the editor wrote."""

from __future__ import annotations

from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial.models import Decision
from frontiers_de.editorial.notifications import send_decision_to_author
from frontiers_de.mail import overrides
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_peer_review import arrange, links, outbox
from tests.functional.test_review_compare import two_reviews_in
from tests.web import client_for

EDIT = "/admin/emails/editorial_under_review/en"


def _admin(wsgi_app):
    with app_session(wsgi_app) as db:
        make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=make_journal(db))
    return client_for(wsgi_app, "admin@example.org")


def test_the_admin_edits_previews_and_restores_an_email(wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    admin = _admin(wsgi_app)
    page = admin.get("/admin/emails")
    row = page.html.find("code", string="editorial_under_review").find_parent("tr")
    assert "To the author: the paper is sent to peer review" in row.text
    assert [a.text.split(":")[0] for a in row.select("a")] == ["Default", "Default"]

    page = admin.get(EDIT)
    # The variables, each with what it is; the default text to start from; the preview
    # with the journal's newest submitted paper.
    variables = page.html.select_one(".email-variables").text
    assert "{{ title }}" in variables and "The paper's title" in variables
    form = next(f for f in page.forms.values() if "body" in f.fields)
    assert "{{ title }}" in form["body"].value
    sample = page.html.select_one(".email-sample").text
    assert "Blended learning in first-year mathematics" in sample
    assert f"http://localhost/submissions/{sid}" in sample

    # A mistake is refused, named beside its field, nothing saved, the text kept.
    form["subject"] = "Under review: {{ titel }}"
    form["body"] = "Dear {{ name }}, {{ ''.__class__ }}"
    res = form.submit("action", value="save", status=400)
    assert "This email has no variable titel" in res.text
    assert "Not allowed in an email template" in res.text
    assert res.html.find("input", {"name": "subject"})["value"] == "Under review: {{ titel }}"
    with app_session(wsgi_app) as db:
        assert overrides.customised(db, make_journal(db).id) == set()

    # An unsaved preview, then saving.
    form = next(f for f in res.forms.values() if "body" in f.fields)
    form["subject"] = "Now with the reviewers: {{ title }}"
    form["body"] = "Dear {{ name }},\n\nNumber {{ number }} is with the reviewers.\n{{ link }}"
    res = form.submit("action", value="preview")
    assert "not saved" in res.text
    sample = res.html.select_one(".email-sample").text
    assert "Now with the reviewers: Blended learning" in sample and "Dear Meiling Zhou" in sample
    res = form.submit("action", value="save").follow()
    assert "The journal's own text of this email is saved" in res.html.text
    assert "The journal's own text is in use" in res.html.text

    # The author's email now uses it (English only: Chinese keeps its default).
    with app_session(wsgi_app) as db:
        submission = db.get(Submission, sid)
        mail = send_decision_to_author(db, app_settings, submission, "send_to_review")
        db.expunge_all()
    assert mail.subject == "Now with the reviewers: Blended learning in first-year mathematics"
    assert mail.body_text.startswith("Dear Meiling Zhou,\n\nNumber ")

    # Another submission for the preview; a foreign or unknown one is not found.
    assert admin.get(EDIT, {"submission": str(sid)}).status_int == 200
    admin.get(EDIT, {"submission": "999999"}, status=404)
    admin.get("/admin/emails/no_such_email/en", status=404)
    admin.get("/admin/emails/editorial_under_review/fr", status=404)

    # Restoring the default deletes the override.
    page = admin.get(EDIT)
    restore = next(
        f
        for f in page.forms.values()
        if f.action.endswith(EDIT) and f.method.upper() == "POST" and "body" not in f.fields
    )
    res = restore.submit("action", value="restore").follow()
    assert "The default text is in use again" in res.text
    with app_session(wsgi_app) as db:
        assert overrides.customised(db, make_journal(db).id) == set()


def test_the_editor_edits_the_invitation_before_it_goes(wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    with app_session(wsgi_app) as db:
        riya = db.scalar(select(User).where(User.email == "rev1@example.org")).id
    page = editor.get(f"/editorial/submissions/{sid}/review")
    invite = next(f for f in page.forms.values() if "message" in f.fields and "email" in f.fields)
    assert invite["subject"].value.endswith("Blended learning in first-year mathematics")
    prefilled = invite["message"].value
    assert prefilled.startswith("Dear {{ name }},")
    assert "{{ accept_link }}" in prefilled and "{{ due }}" in prefilled
    assert "We followed 400 students" in prefilled

    # Without the answer links: refused, clearly, the edited text kept.
    invite["reviewer_id"] = str(riya)
    invite["message"] = prefilled.replace("{{ decline_link }}", "")
    res = invite.submit(status=400)
    assert "Keep {{ decline_link }} in the text" in res.text
    assert "{{ decline_link }}" not in res.html.find("textarea", {"name": "message"}).text
    assert outbox(wsgi_app, "review_invitation") == []

    invite = next(f for f in res.forms.values() if "message" in f.fields and "email" in f.fields)
    invite["message"] = prefilled.replace(
        "invites you to review", "would be grateful if you would review"
    )
    invite["subject"] = "A paper for you, {{ name }}"
    invite.submit().follow()
    (mail,) = outbox(wsgi_app, "review_invitation")
    assert mail.subject == "A paper for you, Riya Reviewer"
    assert mail.body_text.startswith("Dear Riya Reviewer,")
    assert "would be grateful if you would review" in mail.body_text
    assert "{{" not in mail.body_text
    accept, _decline = links(mail)
    assert accept.startswith("/review/invitations/")
    with app_session(wsgi_app) as db:
        (assignment,) = db.scalars(select(ReviewAssignment)).all()
        assert "would be grateful" in assignment.letter_body
        assert assignment.letter_subject == "A paper for you, {{ name }}"
        assert assignment.due_at.date().isoformat() in mail.body_text


def test_the_editor_edits_the_decision_letter(wsgi_app, app_settings):
    sid = two_reviews_in(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    url = f"/editorial/submissions/{sid}/review/compare"
    page = editor.get(url, {"decision": "minor_revision"})
    decide = next(f for f in page.forms.values() if "decision" in f.fields)
    assert decide["decision"].value == "minor_revision"
    assert "minor revision" in decide["message"].value
    # Each kind's letter rides on its radio button, for the page's script.
    radio = page.html.find("input", {"id": "decision-reject"})
    assert "reject" in radio["data-body"]
    decide["subject"] = "Your paper: a minor revision, please"
    decide["message"] = "Dear Meiling Zhou,\n\nPlease revise the paper along the reviews."
    decide.submit().follow()
    (mail,) = outbox(wsgi_app, "editorial_decision")
    assert mail.subject == "Your paper: a minor revision, please"
    assert mail.body_text == "Dear Meiling Zhou,\n\nPlease revise the paper along the reviews.\n"
    with app_session(wsgi_app) as db:
        decision = db.scalar(select(Decision).where(Decision.submission_id == sid))
        assert decision.letter_subject == "Your paper: a minor revision, please"
        assert decision.letter.startswith("Dear Meiling Zhou")
    # The author reads the letter as sent.
    author = client_for(wsgi_app, "meiling.zhou@example.edu.cn")
    assert "Please revise the paper along the reviews." in author.get(f"/submissions/{sid}").text
