"""Finding 5: double-anonymous review that was anonymous only in name.

The outside review uploaded, as an author in a double-anonymous section, a DOCX whose
document properties, company, custom properties, comment and tracked-change authors named
her, an ODT with its meta.xml, a PDF with Info and XMP, photos with EXIF and PNG text
chunks; the invited reviewer downloaded every file "renamed" and read the names back. Here
the same journey runs through the real app: the admin makes the section double-anonymous,
the author sees the anonymity check on the review-and-submit step (the name in her page
header listed as a leak, her own paper in the references as a probable self-citation),
fixes the header, submits; the editor sees the check and the mode, must confirm the check
before sending to review; the reviewer downloads every file of both rounds and finds no
name, email, ORCID or company in any of them beyond the self-citation the author kept.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pikepdf
import pytest
import webtest
from PIL import Image
from sqlalchemy import select

from frontiers_de.journals.models import Section
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import ManuscriptFile, ReviewMode, Submission
from tests import anonymity_samples as samples
from tests.factories import app_session, make_journal, make_user
from tests.web import client_for, csrf

# The one place the author's name may stay in a reviewer copy: her own paper, cited in the
# references (shown to her and the editor as a probable self-citation, not blocked).
SELF_CITATION = "Zhou, M. (2021)"
DUE = (dt.date.today() + dt.timedelta(days=20)).isoformat()


def assert_nothing_names_the_authors(data: bytes, what: str) -> None:
    text = samples.hidden_text(data).replace(SELF_CITATION, "")
    found = [s for s in samples.SECRETS if s.casefold() in text.casefold()]
    assert not found, f"{what} still names the authors: {found}"


@pytest.fixture
def people(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(db, "admin@example.org", roles=[Role.ADMIN], journal=journal)
        make_user(
            db,
            samples.EMAIL,
            journal=journal,
            given_name=samples.GIVEN,
            family_name=samples.FAMILY,
            native_name=samples.NATIVE,
            orcid=samples.ORCID,
            affiliation=samples.INSTITUTION,
            ror_id="02n96ep67",
            country="CN",
        )
        make_user(
            db,
            "editor@example.org",
            roles=[Role.SECTION_EDITOR],
            journal=journal,
            given_name="Erin",
            family_name="Editor",
        )
        make_user(
            db,
            "rev@example.org",
            roles=[Role.REVIEWER],
            journal=journal,
            given_name="Riya",
            family_name="Reviewer",
        )
        section = db.scalar(select(Section).where(Section.code == "research-article"))
        return {"section_id": section.id}


def make_section_double_anonymous(wsgi_app, section_id: int) -> None:
    admin = client_for(wsgi_app, "admin@example.org")
    page = admin.get("/admin/journal")
    select_box = page.html.find("select", {"id": f"mode-{section_id}"})
    assert select_box is not None, "the admin's section form offers no review mode"
    admin.post(
        "/admin/journal/sections",
        {
            "csrf_token": csrf(page),
            "action": "update",
            "section_id": str(section_id),
            "name": "Research Article",
            "name_zh": "研究论文",
            "article_type": "research-article",
            "is_active": "1",
            "review_mode": "double_anonymous",
        },
        status=302,
    )
    page = admin.get("/admin/journal")
    chosen = page.html.find("select", {"id": f"mode-{section_id}"}).find("option", selected=True)
    assert chosen["value"] == "double_anonymous"


def upload(client, sid: int, kind: str, name: str, data: bytes) -> None:
    page = client.get(f"/submissions/{sid}/files")
    res = client.post(
        f"/submissions/{sid}/files",
        {"csrf_token": csrf(page), "kind": kind},
        upload_files=[("file", name, data)],
    )
    assert res.status_int == 302, res.text


def draft_in_double_anonymous_section(wsgi_app, section_id: int) -> tuple[webtest.TestApp, int]:
    author = client_for(wsgi_app, samples.EMAIL)
    page = author.get("/submissions/new")
    res = author.post(
        "/submissions/new", {"csrf_token": csrf(page), "section_id": str(section_id)}, status=302
    )
    sid = int(re.search(r"/submissions/(\d+)/details", res.location).group(1))
    page = author.get(f"/submissions/{sid}/details")
    form = next(f for f in page.forms.values() if "version" in f.fields)
    values = {name: form[name].value for name in form.fields if name != "next"}
    values.update(
        title="Blended learning in first-year mathematics",
        abstract="We followed 400 students through two semesters of blended courses.",
        keywords="blended learning, mathematics",
        data_availability="On request.",
        competing_interests="None.",
    )
    author.post(f"/submissions/{sid}/details", {**values, "next": "authors"}, status=302)
    page = author.get(f"/submissions/{sid}/authors")
    author.post(
        f"/submissions/{sid}/authors",
        {
            "csrf_token": csrf(page),
            "given_name": "Rafael",
            "family_name": "Okonkwo",
            "email": "r.okonkwo@example.org",
            "aff1_name": "University of Lagos",
        },
        status=302,
    )
    # The manuscript names her in its page header; every hidden corner names her too.
    upload(author, sid, "manuscript", "Zhou_Okonkwo_v1.docx", samples.docx(header="M. Zhou"))
    upload(author, sid, "figure", "zhou-fig1.png", samples.png())
    upload(author, sid, "figure", "zhou-photo.jpg", samples.jpeg())
    upload(author, sid, "figure", "zhou-scan.tif", samples.tiff())
    upload(author, sid, "supplementary", "zhou-appendix.pdf", samples.pdf())
    upload(author, sid, "supplementary", "zhou-instrument.odt", samples.odt())
    return author, sid


def test_reviewers_get_copies_without_the_authors_hidden_names(wsgi_app, people):
    make_section_double_anonymous(wsgi_app, people["section_id"])
    author, sid = draft_in_double_anonymous_section(wsgi_app, people["section_id"])

    # The review-and-submit step: the mode, and the anonymity check of every file.
    page = author.get(f"/submissions/{sid}")
    assert "Double-anonymous" in page.html.find(class_="review-mode").text
    check = page.html.find("section", class_="anonymity-check")
    assert check is not None, "the author is not shown the anonymity check"
    leaks = check.find_all("tr", class_="leak")
    header_hit = [r for r in leaks if "page header" in r.text]
    assert header_hit and "M. Zhou" in header_hit[0].text
    cites = check.find_all("tr", class_="self-citation")
    assert any("Zhou, M. (2021)" in r.text and "self-citation" in r.text for r in cites)
    # What is removed is listed too (the author's own file stays as uploaded).
    assert "docProps/core.xml: creator" in check.text
    assert "docProps/app.xml: Company" in check.text

    # She fixes the header and uploads the corrected manuscript; the leak is gone.
    upload(author, sid, "manuscript", "Zhou_Okonkwo_v2.docx", samples.docx())
    page = author.get(f"/submissions/{sid}")
    check = page.html.find("section", class_="anonymity-check")
    assert not [r for r in check.find_all("tr", class_="leak") if "page header" in r.text]
    assert check.find_all("tr", class_="self-citation")
    submit = next(f for f in page.forms.values() if f.action.endswith("/submit"))
    submit.submit(status=302)
    with app_session(wsgi_app) as db:
        assert db.get(Submission, sid).review_mode == ReviewMode.DOUBLE_ANONYMOUS

    # The editor: the mode, the check with the self-citation; nothing else to confirm.
    editor = client_for(wsgi_app, "editor@example.org")
    queue = editor.get("/editorial")
    assert "Double-anonymous" in queue.text
    page = editor.get(f"/editorial/submissions/{sid}/review")
    check = page.html.find("section", class_="anonymity-check")
    assert check.find_all("tr", class_="self-citation"), "the editor does not see self-citations"
    assert "Probably a self-citation" in check.text
    assert not check.find_all("tr", class_="leak")
    # The editor opens the reviewer copy from the check; the author's own file is untouched.
    copy_link = check.find("a", href=re.compile(r"/review/files/\d+$"))["href"]
    assert_nothing_names_the_authors(editor.get(copy_link).body, "the editor's view of the copy")
    mine = author.get(f"/submissions/{sid}")
    original = mine.html.find("a", string="Zhou_Okonkwo_v2.docx")["href"]
    assert "Meiling Zhou" in samples.hidden_text(author.get(original).body)
    send = next(f for f in page.forms.values() if f.action.endswith("/send_to_review"))
    assert "sent to peer review" in send.submit().follow().text
    # Before review only: the mode no longer changes.
    page = editor.get(f"/editorial/submissions/{sid}/review")
    assert page.html.find("select", {"name": "review_mode"}) is None

    riya = invite_and_accept(wsgi_app, editor, sid)
    downloads = reviewer_downloads(riya)
    assert len(downloads) == 6  # the newest manuscript, three figures, two supplementary
    for name, data in downloads.items():
        assert "zhou" not in name.lower() and "okonkwo" not in name.lower()
        assert_nothing_names_the_authors(data, name)
    check_copies_keep_their_content(downloads)
    # The originals themselves are not offered: asking for one by id is "not found".
    assignment_id = assignment_of(wsgi_app, "rev@example.org")
    with app_session(wsgi_app) as db:
        originals = db.scalars(
            select(ManuscriptFile.id).where(
                ManuscriptFile.submission_id == sid, ManuscriptFile.source_id.is_(None)
            )
        ).all()
    for file_id in originals:
        riya.get(f"/reviews/{assignment_id}/files/{file_id}", status=404)

    # Round 2: a revision and a response to the reviewers, both cleaned again.
    page = editor.get(f"/editorial/submissions/{sid}/review")
    decide = next(f for f in page.forms.values() if f.action.endswith("/decide"))
    decide["decision"] = "major_revision"
    decide["message"] = "Please answer the reviewer's points about the sampling."
    decide.submit(status=302)
    page = author.get(f"/submissions/{sid}")
    revise = next(f for f in page.forms.values() if f.action.endswith("/revise"))
    revise["manuscript"] = webtest.Upload("Zhou_v3.docx", samples.docx())
    revise["response"] = webtest.Upload("Zhou_response.docx", samples.docx(references=()))
    revise.submit(status=302)
    page = author.get(f"/submissions/{sid}")
    assert "Response to the reviewers" in page.html.find("section", class_="anonymity-check").text
    riya = invite_and_accept(wsgi_app, editor, sid)
    downloads = reviewer_downloads(riya, newest=True)
    assert any("response" in name for name in downloads)
    for name, data in downloads.items():
        assert_nothing_names_the_authors(data, name)


def test_the_editor_confirms_the_anonymity_check_before_a_leaking_paper_goes_out(wsgi_app, people):
    make_section_double_anonymous(wsgi_app, people["section_id"])
    author, sid = draft_in_double_anonymous_section(wsgi_app, people["section_id"])
    page = author.get(f"/submissions/{sid}")
    # Self-citations and leaks are shown, not blocked: the author may submit.
    next(f for f in page.forms.values() if f.action.endswith("/submit")).submit(status=302)

    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    check = page.html.find("section", class_="anonymity-check")
    header_hit = [r for r in check.find_all("tr", class_="leak") if "page header" in r.text]
    assert header_hit and "M. Zhou" in header_hit[0].text and "May reveal" in header_hit[0].text
    send = next(f for f in page.forms.values() if f.action.endswith("/send_to_review"))
    refused = send.submit().follow()
    assert "anonymity check lists 1 file(s)" in refused.text
    with app_session(wsgi_app) as db:
        assert db.get(Submission, sid).state.value == "submitted"
    # The same from the queue, without the tick.
    queue = editor.get("/editorial")
    send = next(f for f in queue.forms.values() if f.action.endswith("/send_to_review"))
    assert "anonymity check lists" in send.submit().follow().text

    # The editor may still change the mode (the leak then matters less) …
    page = editor.get(f"/editorial/submissions/{sid}/review")
    mode = next(f for f in page.forms.values() if f.action.endswith("/review-mode"))
    mode["review_mode"] = "single_anonymous"
    assert "The review mode is now: Single-anonymous" in mode.submit().follow().text
    mode["review_mode"] = "double_anonymous"
    mode.submit(status=302)
    # … or confirm having read the check; the audit trail keeps which files were flagged.
    page = editor.get(f"/editorial/submissions/{sid}/review")
    send = next(f for f in page.forms.values() if f.action.endswith("/send_to_review"))
    send["anonymity_checked"] = "yes"
    assert "sent to peer review" in send.submit().follow().text
    with app_session(wsgi_app) as db:
        from frontiers_de.editorial.models import AuditEvent

        events = db.scalars(
            select(AuditEvent).where(AuditEvent.submission_id == sid).order_by(AuditEvent.id)
        ).all()
        changes = [e.detail for e in events if e.action == "review_mode_change"]
        assert changes == [
            {"from": "double_anonymous", "to": "single_anonymous"},
            {"from": "single_anonymous", "to": "double_anonymous"},
        ]
        sent = next(e for e in events if e.action == "send_to_review")
        assert len(sent.detail["anonymity_flags"]) == 1
    # Once in review, the mode is fixed: the form is gone and a forged post is refused.
    page = editor.get(f"/editorial/submissions/{sid}/review")
    assert page.html.find("select", {"name": "review_mode"}) is None
    res = editor.post(
        f"/editorial/submissions/{sid}/review-mode",
        {"csrf_token": csrf(page), "review_mode": "open"},
    ).follow()
    assert "can be changed only by an editor, before the paper is sent" in res.text
    # Neither may the author change it, before or after (its editorial side is not there
    # for them: 404).
    author.post(
        f"/editorial/submissions/{sid}/review-mode",
        {"csrf_token": csrf(author.get(f"/submissions/{sid}")), "review_mode": "open"},
        status=404,
    )
    with app_session(wsgi_app) as db:
        assert db.get(Submission, sid).review_mode == ReviewMode.DOUBLE_ANONYMOUS


def invite_and_accept(wsgi_app, editor, sid: int) -> webtest.TestApp:
    page = editor.get(f"/editorial/submissions/{sid}/review")
    with app_session(wsgi_app) as db:
        from frontiers_de.accounts.models import User

        rid = db.scalar(select(User.id).where(User.email == "rev@example.org"))
    editor.post(
        f"/editorial/submissions/{sid}/review/invite",
        {"csrf_token": csrf(page), "reviewer_id": str(rid), "due": DUE},
        status=302,
    )
    riya = client_for(wsgi_app, "rev@example.org")
    assignment_id = assignment_of(wsgi_app, "rev@example.org")
    page = riya.get(f"/reviews/{assignment_id}")
    riya.post(
        f"/reviews/{assignment_id}/answer",
        {"csrf_token": csrf(page), "action": "accept"},
        status=302,
    )
    return riya


def assignment_of(wsgi_app, email: str) -> int:
    from frontiers_de.accounts.models import User

    with app_session(wsgi_app) as db:
        rid = db.scalar(select(User.id).where(User.email == email))
        return db.scalars(
            select(ReviewAssignment.id)
            .where(ReviewAssignment.reviewer_id == rid)
            .order_by(ReviewAssignment.id.desc())
        ).first()


def reviewer_downloads(riya, newest: bool = False) -> dict[str, bytes]:
    mine = riya.get("/reviews")
    links = mine.html.find_all("a", href=re.compile(r"^/reviews/\d+$"))
    link = links[0]["href"]
    page = riya.get(link)
    out: dict[str, bytes] = {}
    for a in page.html.find_all("a", href=re.compile(r"/files/\d+$")):
        res = riya.get(a["href"])
        out[a.text.strip()] = res.body
    assert out, "the reviewer is offered no file"
    return out


def check_copies_keep_their_content(downloads: dict[str, bytes]) -> None:
    """Cleaning removes names, not the paper: the text, the pictures and their orientation
    stay."""
    by_suffix = {name.rsplit(".", 1)[-1]: data for name, data in downloads.items()}
    with pikepdf.open(io.BytesIO(by_suffix["pdf"])) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        annots = pdf.pages[0].obj.Annots
        assert str(annots[0].T) == "Anonymous" and str(annots[0].Contents) == "Shorten this."
    for suffix, original in (("png", samples.png()), ("jpg", samples.jpeg())):
        before = Image.open(io.BytesIO(original))
        after = Image.open(io.BytesIO(by_suffix[suffix]))
        assert after.getexif().get(0x0112) == 6, f"{suffix}: the orientation is lost"
        assert after.convert("RGB").tobytes() == before.convert("RGB").tobytes()
    assert b"Blended learning" in samples.hidden_text(by_suffix["docx"]).encode()
