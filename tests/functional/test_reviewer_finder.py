"""The reviewer finder through the web: a reviewer's research interests on their profile,
the authors' suggested and opposed reviewers on the draft, the finder in the invite step
(Invite fills the invitation form), ``/editorial/reviewers`` with its search, sorting and
ranking for a paper, and the editors' private rating of a review. The paper's authors and
reviewers never see the ratings or the finder (404 for those holding an editor role)."""

from __future__ import annotations

from sqlalchemy import select

from frontiers_de.accounts.models import User
from frontiers_de.editorial.models import ReviewRating
from frontiers_de.i18n import LANGUAGE_COOKIE
from frontiers_de.review import services
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import (
    ReviewerSuggestion,
    Submission,
    SubmissionState,
    SuggestionKind,
)
from tests.factories import app_session, make_journal, make_user
from tests.functional.test_peer_review import DUE, arrange, reviewer_id
from tests.review_factories import GOOD
from tests.submission_factories import SubmissionFactory
from tests.web import client_for, csrf

AUTHOR = "meiling.zhou@example.edu.cn"


def _set_up(wsgi_app, app_settings) -> int:
    """``arrange``'s paper under review; Riya is interested in blended learning, the
    authors oppose Sam and suggest someone without an account."""
    sid = arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        riya = db.scalar(select(User).where(User.email == "rev1@example.org"))
        riya.research_interests = ["blended learning", "mathematics education"]
        db.get(Submission, sid).reviewer_suggestions = [
            ReviewerSuggestion(
                kind=SuggestionKind.OPPOSED,
                name="Sam Second",
                email="rev2@example.org",
                reason="He leads a competing study <b>of the same cohort</b>.",
            ),
            ReviewerSuggestion(
                kind=SuggestionKind.SUGGESTED,
                name="Nora New",
                email="nora@example.net",
                affiliation="Tongji University",
            ),
        ]
    return sid


def test_the_editor_finds_a_reviewer_and_invites_them(wsgi_app, app_settings):
    sid = _set_up(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    finder = page.html.select_one("section.finder")
    rows = finder.select("table.finder-table tbody tr")
    # Riya matches "blended learning" (keyword) and "mathematics" (title); Sam is opposed
    # by the authors: ranked out, and shown apart with their reason (escaped).
    assert len(rows) == 1 and "Riya Reviewer" in rows[0].text
    assert "blended" in rows[0].select_one(".match-score").parent.text
    assert "interests" in rows[0].text
    opposed = finder.select_one(".author-suggestions.opposed").text
    assert "Sam Second" in opposed and "competing study <b>of the same cohort</b>" in opposed
    # The figures of a reviewer never invited: nothing open, nothing done yet.
    cells = [td.text.strip() for td in rows[0].select("td")]
    assert cells[2:8] == ["0", "0", "—", "—", "—", "—"]

    # Invite fills the invitation form with Riya, for the editor to check before sending.
    link = rows[0].select_one("a.button")["href"]
    riya = reviewer_id(wsgi_app, "rev1@example.org")
    assert link == f"/editorial/submissions/{sid}/review?invite={riya}#invite-form"
    filled = editor.get(link.split("#")[0])
    chosen = filled.html.select_one("#invite-form #reviewer_id option[selected]")
    assert chosen["value"] == str(riya)
    res = editor.post(
        f"/editorial/submissions/{sid}/review/invite",
        {"csrf_token": csrf(filled), "reviewer_id": str(riya), "due": DUE},
    )
    assert res.status_int == 302
    # Once invited, Riya leaves the suggestions.
    page = editor.get(f"/editorial/submissions/{sid}/review")
    assert not page.html.select("section.finder table.finder-table tbody tr")

    # The authors' suggestion without an account: invited as someone new, name and address
    # filled in.
    new = page.html.select_one("a[href*=invite_email]")
    assert "Invite as someone new" in new.text
    filled = editor.get(new["href"].split("#")[0])
    assert filled.html.select_one("#invite-form #name")["value"] == "Nora New"
    assert filled.html.select_one("#invite-form #email")["value"] == "nora@example.net"


def test_the_reviewers_page_searches_sorts_and_ranks(wsgi_app, app_settings):
    sid = _set_up(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get("/editorial/reviewers")
    region = page.html.select_one("div.table-scroll[role=region][tabindex='0']")
    assert region["aria-labelledby"] == "reviewers-heading"
    names = [tr.strong.text for tr in page.html.select("table.finder-table tbody tr")]
    assert names == ["Riya Reviewer", "Sam Second"]
    # search by interest, or by name; a query of wildcards finds nothing, and breaks nothing
    found = editor.get("/editorial/reviewers", {"q": "Mathematics"})
    assert [tr.strong.text for tr in found.html.select("tbody tr")] == ["Riya Reviewer"]
    found = editor.get("/editorial/reviewers", {"q": "sam"})
    assert [tr.strong.text for tr in found.html.select("tbody tr")] == ["Sam Second"]
    assert "No reviewer matches." in editor.get("/editorial/reviewers", {"q": "%_"}).text
    # ranked for the paper: the match column, the opposed apart, Invite buttons
    ranked = editor.get("/editorial/reviewers", {"submission": str(sid)})
    assert [tr.strong.text for tr in ranked.html.select("tbody tr")] == ["Riya Reviewer"]
    assert "Match" in ranked.html.select_one("thead").text
    assert "Sam Second" in ranked.html.select_one(".author-suggestions.opposed").text
    assert ranked.html.select_one("tbody a.button")["href"].startswith(
        f"/editorial/submissions/{sid}/review?invite="
    )
    assert "Nora New" in ranked.text and "no account yet" in ranked.text
    # sorting by a figure; an unknown sort is the default order
    editor.get("/editorial/reviewers", {"sort": "rating"}, status=200)
    editor.get("/editorial/reviewers", {"sort": "score"}, status=200)  # no paper: by name
    editor.get("/editorial/reviewers", {"submission": "#" + str(sid)}, status=200)
    editor.get("/editorial/reviewers", {"submission": "12345678901234567890"}, status=404)


def test_the_editor_rates_a_review_privately(wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        submission = db.get(Submission, sid)
        editor_user = db.scalar(select(User).where(User.email == "editor@example.org"))
        riya = db.scalar(select(User).where(User.email == "rev1@example.org"))
        assignment = services.invite(db, submission, editor_user, reviewer_id=riya.id, due=DUE)
        services.accept(db, assignment.assignment)
        services.save_review(db, assignment.assignment, GOOD, submit=True)
        aid = assignment.assignment.id
    editor = client_for(wsgi_app, "editor@example.org")
    page = editor.get(f"/editorial/submissions/{sid}/review")
    form = page.html.select_one(f"#review-rating-{aid}")
    assert "editors only" in form.text
    url = f"/editorial/submissions/{sid}/review/assignments/{aid}/rating"
    res = editor.post(url, {"csrf_token": csrf(page), "rating": "9"})
    assert "Choose a rating from 1 to 5." in res.follow().text
    res = editor.post(url, {"csrf_token": csrf(page), "rating": "4"})
    assert res.location.endswith(f"/review#review-rating-{aid}")
    page = res.follow()
    assert "only the editors see it" in page.text
    assert page.html.select_one(f"#rating-{aid}-4").has_attr("checked")
    # without the CSRF token: refused, nothing changes
    editor.post(url, {"rating": "1"}, status=400)
    with app_session(wsgi_app) as db:
        assert db.scalar(select(ReviewRating.rating)) == 4
    # the reviews side by side carry the same control, and come back to their round
    compare = editor.get(f"/editorial/submissions/{sid}/review/compare")
    form = compare.html.select_one(f".review-card #review-rating-{aid}")
    assert form.select_one(f"#rating-{aid}-4").has_attr("checked")
    res = editor.post(url, {"csrf_token": csrf(compare), "rating": "3", "back": "compare"})
    assert res.location.endswith(f"/review/compare?round=1#review-rating-{aid}")
    res = editor.post(url, {"csrf_token": csrf(compare), "rating": "4", "back": "compare"})
    # the finder shows the mean; the reviewer and the author never see a rating
    assert "4.0/5" in editor.get("/editorial/reviewers").text
    reviewer = client_for(wsgi_app, "rev1@example.org")
    mine = reviewer.get(f"/reviews/{aid}")
    assert "rating" not in mine.text.lower()
    # the paper's reviewer: its editorial side is not there for them
    reviewer.post(
        url, {"csrf_token": csrf(mine), "rating": "5"}, status=404
    )  # the paper's reviewer: its editorial side is not there
    author = client_for(wsgi_app, AUTHOR)
    assert "rating" not in author.get(f"/submissions/{sid}").text.lower()


def test_an_editor_who_reviews_the_paper_gets_404(wsgi_app, app_settings):
    sid = arrange(wsgi_app, app_settings)
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        make_user(
            db, "both@example.org", roles=[Role.SECTION_EDITOR, Role.REVIEWER], journal=journal
        )
        submission = db.get(Submission, sid)
        editor_user = db.scalar(select(User).where(User.email == "editor@example.org"))
        both = db.scalar(select(User).where(User.email == "both@example.org"))
        a = services.invite(db, submission, editor_user, reviewer_id=both.id, due=DUE).assignment
        services.accept(db, a)
        services.save_review(db, a, GOOD, submit=True)
        aid = a.id
    client = client_for(wsgi_app, "both@example.org")
    client.get("/editorial/reviewers", status=200)
    client.get("/editorial/reviewers", {"submission": str(sid)}, status=404)
    page = client.get("/")
    url = f"/editorial/submissions/{sid}/review/assignments/{aid}/rating"
    client.post(url, {"csrf_token": csrf(page), "rating": "5"}, status=404)
    with app_session(wsgi_app) as db:
        assert db.scalar(select(ReviewRating.id)) is None
        assert db.get(ReviewAssignment, aid).state.value == "submitted"


def test_authors_suggest_and_oppose_reviewers_in_the_draft(wsgi_app):
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        author = make_user(db, "writer@example.org", given_name="Wen", family_name="Writer")
        draft = SubmissionFactory(
            db=db,
            journal=journal,
            submitter=author,
            state=SubmissionState.DRAFT,
            authors=[{"family_name": "Writer", "email": "writer@example.org"}],
        )
        sid = draft.id
    client = client_for(wsgi_app, "writer@example.org")
    url = f"/submissions/{sid}/reviewers"
    page = client.get(url)
    assert "4. Suggested reviewers" in page.html.select_one("nav.steps").text
    token = csrf(page)

    def add(status: int = 302, **fields: str):
        return client.post(url, {"csrf_token": token, **fields}, status=status)

    add(kind="suggested", name="Ada Expert", email="ada@example.org", affiliation="ECNU")
    # opposing needs a reason; what was typed stays in the form
    res = add(400, kind="opposed", name="Rex Rival", email="rex@example.org", reason="no")
    assert "Say why this reviewer should not review the paper" in res.text
    assert res.html.select_one("#name")["value"] == "Rex Rival"
    assert res.html.select_one("#kind-opposed").has_attr("checked")
    add(kind="opposed", name="Rex Rival", email="rex@example.org", reason="A rival group.")
    res = add(400, kind="suggested", name="Ada Again", email="ADA@example.org")
    assert "This address is already in your list." in res.text
    res = add(400, kind="suggested", name="Me", email="Writer@example.org")
    assert "This is the address of one of the paper's authors." in res.html.text
    res = add(400, kind="maybe", name="X", email="not-an-address")
    assert "Choose whether you suggest or oppose this reviewer." in res.text
    assert "Enter an email address like name@example.org." in res.text
    page = client.get(url)
    assert "Ada Expert" in page.text and "A rival group." in page.text
    with app_session(wsgi_app) as db:
        rows = db.scalars(select(ReviewerSuggestion).order_by(ReviewerSuggestion.id)).all()
        assert [(r.kind.value, r.email) for r in rows] == [
            ("suggested", "ada@example.org"),
            ("opposed", "rex@example.org"),
        ]
        ada = rows[0].id
    client.post(f"{url}/{ada}/remove", {"csrf_token": token})
    assert "Ada Expert" not in client.get(url).text
    # once submitted, the list is closed
    with app_session(wsgi_app) as db:
        db.get(Submission, sid).state = SubmissionState.SUBMITTED
    res = client.get(url)
    assert res.status_int == 302 and res.location.endswith(f"/submissions/{sid}")
    client.post(url, {"csrf_token": token, "kind": "suggested"}, status=302)


def test_research_interests_on_the_profile(wsgi_app):
    with app_session(wsgi_app) as db:
        make_user(db, "ri@example.org", given_name="Ri")
    client = client_for(wsgi_app, "ri@example.org")
    page = client.get("/account")
    fields = {"csrf_token": csrf(page), "given_name": "Ri", "preferred_language": "en"}
    res = client.post(
        "/account", {**fields, "research_interests": "learning analytics， 教育数字化; MOOCs"}
    )
    assert res.status_int == 302
    with app_session(wsgi_app) as db:
        user = db.scalar(select(User).where(User.email == "ri@example.org"))
        assert user.research_interests == ["learning analytics", "教育数字化", "MOOCs"]
    page = client.get("/account")
    assert page.html.select_one("#research_interests")["value"] == (
        "learning analytics, 教育数字化, MOOCs"
    )
    many = ", ".join(f"topic {n}" for n in range(11))
    res = client.post("/account", {**fields, "research_interests": many})
    assert "At most 10 research interests" in res.text
    res = client.post("/account", {**fields, "research_interests": "x" * 81})
    assert "A research interest is longer than 80 characters" in res.text


def test_the_finder_speaks_chinese(wsgi_app, app_settings):
    sid = _set_up(wsgi_app, app_settings)
    editor = client_for(wsgi_app, "editor@example.org")
    editor.set_cookie(LANGUAGE_COOKIE, "zh")
    page = editor.get("/editorial/reviewers", {"submission": str(sid)})
    assert "审稿人" in page.html.h1.text
    assert "与论文的匹配" in page.text and "作者反对" in page.text
    review = editor.get(f"/editorial/submissions/{sid}/review")
    assert "推荐的审稿人" in review.html.select_one("#finder-heading").text
