"""The reviewer finder against a seeded history whose answers are known: every invitation
made, answered and reviewed at fixed times through the review services, so each figure and
score below can be worked out by hand from the table in ``history``. Runs on SQLite and,
with ``-m db`` and FDE_TEST_BACKEND=postgresql, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pytest

from frontiers_de.accounts.models import User
from frontiers_de.editorial import matching, ratings, reviewer_finder, workflow
from frontiers_de.journals.models import Journal
from frontiers_de.review import services as review
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import (
    ReviewerSuggestion,
    Submission,
    SubmissionState,
    SuggestionKind,
)
from tests.factories import JournalFactory, make_user
from tests.submission_factories import SubmissionFactory

REVIEW = {
    "recommendation": "accept",
    "score_originality": "4",
    "score_rigour": "4",
    "score_clarity": "4",
    "score_relevance": "4",
    "comments_to_author": "Clear and careful.",
    "comments_to_editor": "",
}
UNI = "Beijing Normal University"


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2025, month, day, 9, 0, tzinfo=dt.UTC)


@dataclass
class History:
    journal: Journal
    editor: User
    r: dict[str, User]
    paper: Submission  # P3, the paper the finder ranks reviewers for
    assignments: dict[str, object]


def _invite(db, editor, s, reviewer, when):
    due = (when + dt.timedelta(days=30)).date().isoformat()
    return review.invite(db, s, editor, reviewer_id=reviewer.id, due=due, now=when).assignment


def _submitted(db, journal, author, title, keywords, **kw) -> Submission:
    return SubmissionFactory(
        db=db,
        journal=journal,
        submitter=author,
        title=title,
        keywords=keywords,
        state=SubmissionState.SUBMITTED,
        **kw,
    )


@pytest.fixture
def history(dbsession) -> History:
    """Reviewers R1-R5 of the journal (R5 is also a co-author of P3):

    ====  ==================================  ==========================================
    P0    "Rural education in villages"       written by R2 (listed as R2@EXAMPLE.org)
    P1    "Learning analytics dashboards"     R1 invited 1 Jan, accepts 2 Jan, reviews 11 Jan
          keyword "learning analytics"        (10 days); R2 invited 1 Jan, declines 3 Jan;
                                              R3 invited 1 Jan, accepts, reviews 21 Jan (20)
    P2    "Rural school teachers"             R1 invited 1 Feb, accepts, reviews 21 Feb (20);
                                              R2 invited 1 Feb, accepts 2 Feb (open);
                                              R3 invited 1 Feb, no answer (open)
    P3    "Learning analytics in rural        by A and R5; R4 invited 1 Mar; the authors
          schools", keyword as P1             suggest R3 and new@example.org, oppose R2
    ====  ==================================  ==========================================

    Interests: R1 "learning analytics", R2 "rural education", R4 "learning analytics".
    R3 is at the authors' university. Ratings: R1's reviews 4 and 5, R3's 2.
    """
    db = dbsession
    journal = JournalFactory(db=db, code="finder", title="Finder Journal")
    editor = make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    author = make_user(db, "a@example.org")
    interests = {
        "r1": ["learning analytics"],
        "r2": ["rural education"],
        "r3": [],
        "r4": ["learning analytics"],
        "r5": ["learning analytics"],
    }
    r = {
        k: make_user(
            db,
            f"{k}@example.org",
            roles=[Role.REVIEWER],
            journal=journal,
            family_name=k.upper(),
            research_interests=v,
            affiliation=UNI if k == "r3" else "",
        )
        for k, v in interests.items()
    }
    _submitted(
        db,
        journal,
        author,
        "Rural education in villages",
        [],
        authors=[{"family_name": "Two", "email": "R2@EXAMPLE.org"}],
    )
    p1 = _submitted(db, journal, author, "Learning analytics dashboards", ["learning analytics"])
    p2 = _submitted(db, journal, author, "Rural school teachers", [])
    a: dict[str, object] = {}
    workflow.apply(db, p1, "send_to_review", editor, now=at(1, 1))
    for k in ("r1", "r2", "r3"):
        a[f"p1{k}"] = _invite(db, editor, p1, r[k], at(1, 1))
    review.accept(db, a["p1r1"], now=at(1, 2))
    review.decline(db, a["p1r2"], now=at(1, 3))
    review.accept(db, a["p1r3"], now=at(1, 2))
    review.save_review(db, a["p1r1"], REVIEW, submit=True, now=at(1, 11))
    review.save_review(db, a["p1r3"], REVIEW, submit=True, now=at(1, 21))
    workflow.apply(db, p2, "send_to_review", editor, now=at(2, 1))
    for k in ("r1", "r2", "r3"):
        a[f"p2{k}"] = _invite(db, editor, p2, r[k], at(2, 1))
    review.accept(db, a["p2r1"], now=at(2, 2))
    review.accept(db, a["p2r2"], now=at(2, 2))
    review.save_review(db, a["p2r1"], REVIEW, submit=True, now=at(2, 21))
    p3 = _submitted(
        db,
        journal,
        author,
        "Learning analytics in rural schools",
        ["learning analytics"],
        authors=[
            {"family_name": "A", "email": "a@example.org", "affiliations": [{"name": UNI}]},
            {"family_name": "Five", "email": "r5@example.org"},
        ],
    )
    p3.reviewer_suggestions = [
        ReviewerSuggestion(kind=SuggestionKind.SUGGESTED, name="R Three", email="R3@example.org"),
        ReviewerSuggestion(kind=SuggestionKind.SUGGESTED, name="New One", email="new@example.org"),
        ReviewerSuggestion(
            kind=SuggestionKind.OPPOSED,
            name="R Two",
            email="r2@example.org",
            reason="A competing group.",
        ),
    ]
    workflow.apply(db, p3, "send_to_review", editor, now=at(3, 1))
    a["p3r4"] = _invite(db, editor, p3, r["r4"], at(3, 1))
    ratings.rate(db, p1, a["p1r1"], editor, "4")
    ratings.rate(db, p2, a["p2r1"], editor, "5")
    ratings.rate(db, p1, a["p1r3"], editor, 2)
    db.flush()
    return History(journal, editor, r, p3, a)


def test_figures_per_reviewer(dbsession, history):
    r = history.r
    figs = reviewer_finder.figures(dbsession, history.journal.id, [u.id for u in r.values()])
    one, two, three, four, five = (figs[r[k].id] for k in ("r1", "r2", "r3", "r4", "r5"))
    assert (one.invitations, one.open_assignments, one.completed) == (2, 0, 2)
    assert (one.declined, one.answered, one.decline_rate) == (0, 2, 0.0)
    assert one.median_turnaround == 15.0  # median of 10 and 20 days
    assert one.last_invited == at(2, 1)
    assert (one.rating, one.ratings) == (4.5, 2)
    assert (two.invitations, two.open_assignments, two.completed) == (2, 1, 0)
    assert (two.decline_rate, two.median_turnaround, two.rating) == (50.0, None, None)
    assert (three.open_assignments, three.completed, three.answered) == (1, 1, 1)
    assert (three.decline_rate, three.median_turnaround, three.rating) == (0.0, 20.0, 2.0)
    assert (four.invitations, four.open_assignments, four.last_invited) == (1, 1, at(3, 1))
    assert (five.invitations, five.decline_rate, five.last_invited) == (0, None, None)


def test_figures_count_only_the_journals_invitations(dbsession, history):
    other = JournalFactory(db=dbsession, code="elsewhere")
    figs = reviewer_finder.figures(dbsession, other.id, [history.r["r1"].id])
    assert figs[history.r["r1"].id].invitations == 0


def test_ranking_for_the_paper(dbsession, history):
    found = reviewer_finder.find(dbsession, history.journal.id, history.paper)
    r = history.r
    common, rare = 1 + math.log(3 / 2), 1 + math.log(3)
    # R1: "learning", "analytics" (keywords, interests: doubled), "rural" (title; reviewed
    # P2), "schools" (title; reviewed P2, which no one else has); R3: the keywords, from P1.
    assert [(row.user.id, row.match.score) for row in found.rows] == [
        (r["r1"].id, round(14 * common + 2 * rare, 1)),
        (r["r3"].id, round(6 * common, 1)),
    ]
    assert found.rows[0].match.score == 23.9
    # R4 is invited already, R5 is an author of the paper: left out. R2 is opposed.
    assert [row.user.id for row in found.opposed] == [r["r2"].id]
    opposed = found.opposed[0]
    assert opposed.opposed.reason == "A competing group."
    assert opposed.match.score == round(4 * common, 1)
    rural = next(t for t in opposed.match.terms if t.shown == "rural")
    assert rural.sources == (matching.FROM_INTERESTS, matching.FROM_AUTHORED)
    # flags: the authors suggested R3, who is at their university
    three = found.rows[1]
    assert three.suggested is not None and three.suggested.email == "R3@example.org"
    assert [w.kind for w in three.conflicts] == ["institution"]
    assert found.rows[0].conflicts == [] and found.rows[0].suggested is None
    # the authors' own list: the account of each address they gave, if there is one
    assert [(s.suggestion.name, s.user and s.user.id) for s in found.suggested_by_authors] == [
        ("R Three", r["r3"].id),
        ("New One", None),
    ]
    assert [s.user.id for s in found.opposed_by_authors] == [r["r2"].id]


def test_sorting_and_search(dbsession, history):
    j, r = history.journal.id, history.r
    names = [row.user.id for row in reviewer_finder.find(dbsession, j).rows]
    assert names == [r[k].id for k in ("r1", "r2", "r3", "r4", "r5")]

    def order(sort: str) -> list[str]:
        rows = reviewer_finder.find(dbsession, j, sort=sort).rows
        return [row.user.family_name for row in rows]

    assert order("completed") == ["R1", "R3", "R2", "R4", "R5"]
    assert order("turnaround") == ["R1", "R3", "R2", "R4", "R5"]  # none last
    assert order("rating") == ["R1", "R3", "R2", "R4", "R5"]
    assert order("decline_rate") == ["R1", "R3", "R2", "R4", "R5"]
    assert order("open") == ["R1", "R5", "R2", "R3", "R4"]
    assert order("last_invited")[0] == "R4"
    assert order("nonsense") == order("name")
    found = reviewer_finder.find(dbsession, j, query="RURAL")
    assert [row.user.id for row in found.rows] == [r["r2"].id]
    found = reviewer_finder.find(dbsession, j, query="learning r4")
    assert [row.user.id for row in found.rows] == [r["r4"].id]


def test_ratings_are_checked(dbsession, history):
    a = history.assignments
    for bad in ("0", "6", "", "4.5", "x"):
        with pytest.raises(ratings.RatingError):
            ratings.rate(dbsession, history.paper, a["p3r4"], history.editor, bad)
    with pytest.raises(ratings.RatingError):  # invited, no review
        ratings.rate(dbsession, history.paper, a["p3r4"], history.editor, "3")
    with pytest.raises(ratings.RatingError):  # another paper's review
        ratings.rate(dbsession, history.paper, a["p1r1"], history.editor, "3")
    p1 = dbsession.get(Submission, a["p1r1"].round.submission_id)
    again = ratings.rate(dbsession, p1, a["p1r1"], history.editor, "1")
    assert ratings.ratings_of(dbsession, [a["p1r1"].id, a["p3r4"].id]) == {a["p1r1"].id: 1}
    assert again.rated_by_id == history.editor.id
