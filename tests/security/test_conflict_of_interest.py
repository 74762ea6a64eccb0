"""Conflicts of interest (issue 9, part 4).

The attack: a user with the section-editor role submitted a paper, opened its peer-review
page (the reviewers' names, their confidential comments to the editor) and accepted it.
Now the submitter and every listed author (matched by account, by email address without
regard to case, or by ORCID iD) never see the editorial side of their paper: it is not in
their queue, its review pages and files answer 404, and the workflow itself refuses them
every editorial move, also when called as a service. Authors cannot be invited to review
their paper; a shared institution or earlier co-authorship is a warning that the editor may
override with a reason, which the audit trail keeps.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial import services as editorial
from frontiers_de.editorial import workflow
from frontiers_de.editorial.models import AuditEvent, DecisionKind
from frontiers_de.review import services as review
from frontiers_de.review.models import AssignmentState, ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import (
    Contributor,
    FileKind,
    Submission,
    SubmissionState,
)
from tests.factories import (
    account_service,
    app_session,
    make_journal,
    make_user,
)
from tests.submission_factories import ManuscriptFileFactory, SubmissionFactory
from tests.web import client_for, csrf

CONFIDENTIAL = "Confidential: I believe the second study was run by a friend of mine."
TO_AUTHOR = "The sampling of the second cohort needs a clearer account."
DUE = (dt.date.today() + dt.timedelta(days=20)).isoformat()
ORCID = "0000-0002-1825-0097"  # a well-formed iD (ORCID's own example)
LETTER = "I am pleased to accept this paper for publication."
ROR = "https://ror.org/02v51f717"  # a well-formed ROR id


def paper(db, journal, submitter, contributors, state=SubmissionState.SUBMITTED, title="P"):
    return SubmissionFactory(
        db=db,
        journal=journal,
        submitter=submitter,
        authors=contributors,
        state=state,
        title=title,
        submitted_at=dt.datetime.now(dt.UTC),
    )


def arrange(wsgi_app) -> dict:
    """Three papers by people who hold editor roles in the journal:

    * ``own``: submitted by Sasha, a section editor, under review with a submitted review
      (confidential comments, an attachment) and an open invitation;
    * ``by_email``: lists Emil, a section editor, by his address in other letters' case;
    * ``by_orcid``: lists Olga, a section editor, only by her ORCID iD (written without
      hyphens; her profile has them) and under another address.

    Erin is a section editor with no paper."""
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        sasha = make_user(
            db, "sasha@example.org", roles=[Role.SECTION_EDITOR, Role.REVIEWER], journal=journal
        )
        make_user(db, "Emil.Editor@Example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        make_user(db, "olga@example.org", roles=[Role.SECTION_EDITOR], journal=journal, orcid=ORCID)
        erin = make_user(db, "erin@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        author = make_user(db, "author@example.org")
        reviewer = make_user(
            db, "rev@example.org", roles=[Role.REVIEWER], journal=journal, given_name="Riya"
        )
        waiting = make_user(db, "wait@example.org", roles=[Role.REVIEWER], journal=journal)
        own = paper(
            db,
            journal,
            sasha,
            [{"given_name": "Sasha", "family_name": "Self", "email": "sasha@example.org"}],
            title="Sasha's own paper",
        )
        workflow.apply(db, own, "send_to_review", erin)
        rnd = workflow.current_round(db, own)
        done = review.invite(db, own, erin, reviewer_id=reviewer.id, due=DUE).assignment
        review.accept(db, done)
        review.save_review(
            db,
            done,
            {
                "recommendation": "reject",
                **{f"score_{k}": "2" for k in review.CRITERIA},
                "comments_to_author": TO_AUTHOR,
                "comments_to_editor": CONFIDENTIAL,
            },
            submit=True,
        )
        attachment = ManuscriptFileFactory(
            db=db,
            submission=own,
            round_number=rnd.number,
            kind=FileKind.REVIEW_ATTACHMENT,
            filename="notes.txt",
            media_type="text/plain",
            data=b"notes",
            uploaded_by_id=None,
        )
        open_invite = review.invite(db, own, erin, reviewer_id=waiting.id, due=DUE).assignment
        by_email = paper(
            db,
            journal,
            author,
            [
                {"given_name": "Ann", "family_name": "Author", "email": "author@example.org"},
                {"given_name": "Emil", "family_name": "Editor", "email": "emil.editor@EXAMPLE.org"},
            ],
            title="Emil's co-authored paper",
        )
        by_orcid = paper(
            db,
            journal,
            author,
            [
                {"given_name": "Ann", "family_name": "Author", "email": "author@example.org"},
                {
                    "given_name": "Olga",
                    "family_name": "Orcid",
                    "email": "o.orcid@elsewhere.example",
                    "orcid": ORCID.replace("-", ""),
                },
            ],
            title="Olga's co-authored paper",
        )
        return {
            "own": own.id,
            "by_email": by_email.id,
            "by_orcid": by_orcid.id,
            "attachment": attachment.id,
            "open_assignment": open_invite.id,
            "reviewer": reviewer.id,
            "waiting": waiting.id,
        }


def test_a_section_editor_who_submitted_a_paper_cannot_see_or_decide_it(wsgi_app):
    ids = arrange(wsgi_app)
    sid = ids["own"]
    sasha = client_for(wsgi_app, "sasha@example.org")

    # The queue does not list the paper (nor anywhere on the editors' page).
    queue = sasha.get("/editorial")
    assert "Sasha&#39;s own paper" not in queue.text and "Sasha's own paper" not in queue.text
    assert f"/editorial/submissions/{sid}/" not in queue.text

    # The review page with the reviewers' names and confidential comments: not found.
    res = sasha.get(f"/editorial/submissions/{sid}/review", status=404)
    assert CONFIDENTIAL not in res.text and "Riya" not in res.text
    sasha.get(f"/editorial/submissions/{sid}/review/files/{ids['attachment']}", status=404)

    # Accepting it through the form: not found, nothing changes, no letter goes out.
    token = csrf(sasha.get("/"))
    sasha.post(
        f"/editorial/submissions/{sid}/decide",
        {"csrf_token": token, "decision": "accept", "message": LETTER},
        status=404,
    )
    sasha.post(
        f"/editorial/submissions/{sid}/review/invite",
        {"csrf_token": token, "reviewer_id": str(ids["waiting"]), "due": DUE},
        status=404,
    )
    sasha.post(
        f"/editorial/submissions/{sid}/review/assignments/{ids['open_assignment']}/cancel",
        {"csrf_token": token},
        status=404,
    )
    # Their author's page works, without a way into the editorial side.
    page = sasha.get(f"/submissions/{sid}")
    assert f"/editorial/submissions/{sid}/review" not in page.text
    assert CONFIDENTIAL not in page.text
    # The menu still offers the editors' queue: it asks the journal, not this paper.
    assert 'href="/editorial"' in page.text

    with app_session(wsgi_app) as db:
        s = db.get(Submission, sid)
        assert s.state == SubmissionState.UNDER_REVIEW
        assert db.get(ReviewAssignment, ids["open_assignment"]).state == AssignmentState.INVITED

        # The guard is in the workflow: called as a service it refuses just the same.
        me = db.scalar(select(User).where(User.email_key == "sasha@example.org"))
        assert not workflow.may(s, "decide", me)
        assert workflow.available(s, me) == ["withdraw"]  # as its submitter, not as editor
        with pytest.raises(workflow.AuthorConflict):
            editorial.decide(db, s, me, "accept", LETTER)
        with pytest.raises(workflow.AuthorConflict):
            workflow.apply(db, s, "decide", me, decision=DecisionKind.ACCEPT)
        with pytest.raises(review.ReviewError, match="author of the paper"):
            review.invite(db, s, me, reviewer_id=ids["waiting"], due=DUE)
        assert not workflow.may_handle(s, me)  # the editorial side stays closed (404)
        assert s.state == SubmissionState.UNDER_REVIEW


@pytest.mark.parametrize(
    ("email", "key"), [("emil.editor@example.org", "by_email"), ("olga@example.org", "by_orcid")]
)
def test_a_co_author_matched_by_email_or_orcid_only_is_refused_the_same(wsgi_app, email, key):
    ids = arrange(wsgi_app)
    sid = ids[key]
    editor = client_for(wsgi_app, email)

    queue = editor.get("/editorial")
    assert f'/submissions/{sid}"' not in queue.text
    assert f"/editorial/submissions/{sid}/send_to_review" not in queue.text
    token = csrf(queue)
    # The queue's actions on it: not found.
    editor.post(f"/editorial/submissions/{sid}/send_to_review", {"csrf_token": token}, status=404)
    editor.post(
        f"/editorial/submissions/{sid}/desk_reject",
        {"csrf_token": token, "reason": "Outside the scope of the journal, as explained."},
        status=404,
    )
    editor.get(f"/editorial/submissions/{sid}/review", status=404)
    # Another editor sees it and may act.
    erin = client_for(wsgi_app, "erin@example.org")
    assert f"/editorial/submissions/{sid}/send_to_review" in erin.get("/editorial").text

    with app_session(wsgi_app) as db:
        s = db.get(Submission, sid)
        assert s.state == SubmissionState.SUBMITTED
        me = db.scalar(select(User).where(User.email_key == email))
        for name in ("send_to_review", "desk_reject", "withdraw"):
            assert not workflow.may(s, name, me)
        with pytest.raises(workflow.AuthorConflict):
            workflow.apply(db, s, "send_to_review", me)
        with pytest.raises(workflow.TransitionNotAllowed):
            editorial.act(db, s, "desk_reject", me, "Outside the scope of the journal, sorry.")
        assert s.state == SubmissionState.SUBMITTED


def test_an_author_cannot_be_invited_to_review_the_paper(wsgi_app):
    ids = arrange(wsgi_app)
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        s = db.get(Submission, ids["by_orcid"])
        erin = db.scalar(select(User).where(User.email_key == "erin@example.org"))
        workflow.apply(db, s, "send_to_review", erin)
        # Olga holds the reviewer role too; she is listed only by her ORCID iD.
        olga = db.scalar(select(User).where(User.email_key == "olga@example.org"))
        account_service(db).grant_role(olga, journal.id, Role.REVIEWER)
        olga_id = olga.id
    erin = client_for(wsgi_app, "erin@example.org")
    sid = ids["by_orcid"]
    page = erin.get(f"/editorial/submissions/{sid}/review")
    # Not offered in the list either.
    assert f'value="{olga_id}"' not in page.text
    # Picked by id all the same: refused with the reason.
    res = erin.post(
        f"/editorial/submissions/{sid}/review/invite",
        {"csrf_token": csrf(page), "reviewer_id": str(olga_id), "due": DUE},
        status=400,
    )
    assert "cannot review it" in res.text and "ORCID iD of one of its listed authors" in res.text
    # A new reviewer by the address of a listed author (in other letters' case): refused.
    res = erin.post(
        f"/editorial/submissions/{sid}/review/invite",
        {
            "csrf_token": csrf(page),
            "name": "Ann Author",
            "email": " AUTHOR@example.ORG ",
            "due": DUE,
        },
        status=400,
    )
    assert "email address of one of its listed authors" in res.text
    with app_session(wsgi_app) as db:
        rnd = workflow.current_round(db, db.get(Submission, sid))
        assert rnd.assignments == []


def _institution_world(wsgi_app) -> dict:
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, "ed@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
        author = make_user(db, "mei@example.edu.cn", given_name="Mei", family_name="Zhou")
        same_ror = make_user(
            db,
            "colleague@example.org",
            roles=[Role.REVIEWER],
            journal=journal,
            given_name="Colin",
            family_name="Colleague",
            affiliation="BNU",
            ror_id="02v51f717",
        )
        same_name = make_user(
            db,
            "neighbour@example.org",
            roles=[Role.REVIEWER],
            journal=journal,
            given_name="Nell",
            family_name="Neighbour",
            affiliation="  beijing normal   UNIVERSITY. ",
        )
        coauthor = make_user(
            db,
            "old.friend@example.org",
            roles=[Role.REVIEWER],
            journal=journal,
            given_name="Otto",
            family_name="Friend",
        )
        clean = make_user(
            db,
            "stranger@example.org",
            roles=[Role.REVIEWER],
            journal=journal,
            affiliation="Universidad de Chile",
        )
        mei = {
            "given_name": "Mei",
            "family_name": "Zhou",
            "email": "mei@example.edu.cn",
            "orcid": ORCID,
            "affiliations": [{"name": "Beijing Normal University", "ror": ROR}],
        }
        s = paper(db, journal, author, [mei], title="Tutoring at scale")
        workflow.apply(db, s, "send_to_review", editor)
        # Otto and Mei were listed together on an earlier paper (Mei by ORCID only, under
        # another address), and Otto and the stranger on a draft nobody else has seen.
        earlier = paper(
            db,
            journal,
            author,
            [
                {"given_name": "Mei", "family_name": "Zhou", "orcid": ORCID, "email": "m@x.org"},
                {"given_name": "Otto", "family_name": "Friend", "email": "OLD.friend@example.org"},
            ],
            state=SubmissionState.PUBLISHED,
            title="An earlier paper",
        )
        paper(
            db,
            journal,
            clean,
            [
                {"given_name": "S", "family_name": "Stranger", "email": "stranger@example.org"},
                {"given_name": "Mei", "family_name": "Zhou", "email": "mei@example.edu.cn"},
            ],
            state=SubmissionState.DRAFT,
        )
        return {
            "sid": s.id,
            "earlier": earlier.id,
            "same_ror": same_ror.id,
            "same_name": same_name.id,
            "coauthor": coauthor.id,
            "clean": clean.id,
        }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("same_ror", ["Same institution", "Mei Zhou", "the same ROR id, 02v51f717"]),
        ("same_name", ["Same institution", "Mei Zhou", "(the same name)"]),
        ("coauthor", ["Earlier co-authorship", "Mei Zhou", "submission {earlier}"]),
    ],
)
def test_inviting_warns_and_the_editors_reason_is_kept(wsgi_app, who, expected):
    w = _institution_world(wsgi_app)
    sid = w["sid"]
    editor = client_for(wsgi_app, "ed@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    url = f"/editorial/submissions/{sid}/review/invite"
    # First attempt: the warnings, with their reasons, and nothing saved.
    res = editor.post(
        url, {"csrf_token": csrf(page), "reviewer_id": str(w[who]), "due": DUE}, status=409
    )
    box = res.html.find("div", {"class": "conflicts"}).text
    for text in expected:
        assert text.format(**w) in box, box
    with app_session(wsgi_app) as db:
        assert workflow.current_round(db, db.get(Submission, sid)).assignments == []
    # A reason too short: asked again, still nothing saved.
    confirm = next(f for f in res.forms.values() if "conflict_reason" in f.fields)
    confirm["conflict_reason"] = " ok\x00 "
    res = confirm.submit(status=409)
    assert "at least 10 characters" in res.text
    # With a reason: invited; the warnings and the reason are in the audit trail.
    confirm = next(f for f in res.forms.values() if "conflict_reason" in f.fields)
    assert confirm["reviewer_id"].value == str(w[who]) and confirm["due"].value == DUE
    confirm["conflict_reason"] = "The only specialist in tutoring analytics who is available."
    res = confirm.submit(status=302).follow()
    assert "is invited" in res.text
    with app_session(wsgi_app) as db:
        rnd = workflow.current_round(db, db.get(Submission, sid))
        assert [a.reviewer_id for a in rnd.assignments] == [w[who]]
        event = db.scalar(
            select(AuditEvent).where(
                AuditEvent.submission_id == sid, AuditEvent.action == "review_invite"
            )
        )
        assert event.detail["conflict_reason"] == (
            "The only specialist in tutoring analytics who is available."
        )
        assert expected[0] in event.detail["conflicts"][0]["text"]


def test_no_warning_without_a_conflict_and_drafts_do_not_count(wsgi_app):
    w = _institution_world(wsgi_app)
    sid = w["sid"]
    editor = client_for(wsgi_app, "ed@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    res = editor.post(
        f"/editorial/submissions/{sid}/review/invite",
        {"csrf_token": csrf(page), "reviewer_id": str(w["clean"]), "due": DUE},
        status=302,
    )
    assert "Possible conflict of interest" not in res.follow().text
    with app_session(wsgi_app) as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "review_invite"))
        assert "conflicts" not in event.detail


def test_a_new_reviewer_by_address_is_checked_for_co_authorship(wsgi_app):
    w = _institution_world(wsgi_app)
    sid = w["sid"]
    with app_session(wsgi_app) as db:
        # The earlier paper also lists someone with no account here.
        earlier = db.get(Submission, w["earlier"])
        earlier.contributors.append(
            Contributor(position=2, given_name="Nia", family_name="New", email="nia@example.net")
        )
    editor = client_for(wsgi_app, "ed@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    res = editor.post(
        f"/editorial/submissions/{sid}/review/invite",
        {"csrf_token": csrf(page), "name": "Nia New", "email": "NIA@example.net", "due": DUE},
        status=409,
    )
    assert "Earlier co-authorship" in res.text
    with app_session(wsgi_app) as db:
        # No account was made for the refused first attempt.
        assert db.scalar(select(User).where(User.email_key == "nia@example.net")) is None
