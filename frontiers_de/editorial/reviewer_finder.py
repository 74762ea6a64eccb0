"""The reviewer finder: the journal's reviewers with the figures an editor chooses by, and,
for one submission, the reviewers ranked by how well they match it
(:mod:`frontiers_de.editorial.matching`), beside the reviewers its authors suggested or
opposed.

Each reviewer's figures, over every invitation of the journal (``review_assignments`` of
its submissions), are counted in SQL on both databases, grouped by reviewer:

- open assignments: invited (not answered yet) or accepted (review not submitted);
- completed reviews: invitations whose review was submitted;
- median turnaround: the median of the days from the invitation to the submitted review
  (SQL selects the pairs of dates, Python takes the median: there is no portable SQL
  median, as ``editorial.statistics`` explains);
- last invitation: the latest ``invited_at``;
- decline rate: declined invitations in percent of those answered (``responded_at`` set);
- rating: the mean of the editors' private ratings of their reviews
  (:mod:`frontiers_de.editorial.ratings`), with how many there are.

The suggestions for a paper leave out its authors (:func:`conflicts.is_author`) and those
already invited to its current round; reviewers the authors opposed are ranked out and
listed apart, flagged. The conflict-of-interest warnings an invitation would give
(:func:`conflicts.reviewer_warnings`) are shown beside each suggestion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User, email_key
from frontiers_de.editorial import conflicts, matching, workflow
from frontiers_de.editorial.models import ReviewRating
from frontiers_de.editorial.statistics import as_utc, median_days
from frontiers_de.folding import fold
from frontiers_de.review import services as review_services
from frontiers_de.review.models import AssignmentState, Review, ReviewAssignment, ReviewRound
from frontiers_de.submissions.models import (
    Contributor,
    ReviewerSuggestion,
    Submission,
    SubmissionState,
    SuggestionKind,
)

OPEN_STATES = (AssignmentState.INVITED, AssignmentState.ACCEPTED)
SORTS = (
    "score",
    "name",
    "open",
    "completed",
    "turnaround",
    "last_invited",
    "decline_rate",
    "rating",
)
MAX_QUERY = 200
SHOWN_SUGGESTIONS = 5


@dataclass
class Figures:
    """One reviewer's figures in the journal (see the module's docstring)."""

    invitations: int = 0
    open_assignments: int = 0
    completed: int = 0
    declined: int = 0
    answered: int = 0
    last_invited: dt.datetime | None = None
    median_turnaround: float | None = None
    rating: float | None = None
    ratings: int = 0

    @property
    def decline_rate(self) -> float | None:
        """Declined, in percent of the invitations answered (None: none answered)."""
        return round(100 * self.declined / self.answered, 1) if self.answered else None


def _of_journal(journal_id: int) -> Any:
    return (
        select(ReviewAssignment)
        .join(ReviewRound, ReviewRound.id == ReviewAssignment.round_id)
        .join(Submission, Submission.id == ReviewRound.submission_id)
        .where(Submission.journal_id == journal_id)
    )


def figures(db: Session, journal_id: int, user_ids: Iterable[int]) -> dict[int, Figures]:
    """The figures of each of ``user_ids`` as a reviewer of the journal (every id gets
    one, zeros for someone never invited)."""
    ids = sorted(set(user_ids))
    out = {i: Figures() for i in ids}
    if not ids:
        return out
    base = _of_journal(journal_id).where(ReviewAssignment.reviewer_id.in_(ids))
    who = ReviewAssignment.reviewer_id
    counted = base.with_only_columns(
        who,
        func.count(),
        func.count().filter(ReviewAssignment.state.in_(OPEN_STATES)),
        func.count().filter(ReviewAssignment.state == AssignmentState.SUBMITTED),
        func.count().filter(ReviewAssignment.state == AssignmentState.DECLINED),
        func.count().filter(ReviewAssignment.responded_at.is_not(None)),
        func.max(ReviewAssignment.invited_at),
    ).group_by(who)
    for uid, n, open_, done, declined, answered, last in db.execute(counted):
        f = out[uid]
        f.invitations, f.open_assignments, f.completed = n, open_, done
        f.declined, f.answered, f.last_invited = declined, answered, as_utc(last)
    pairs: dict[int, list[tuple[Any, Any]]] = {}
    durations = (
        base.join(Review, Review.assignment_id == ReviewAssignment.id)
        .where(Review.submitted_at.is_not(None))
        .with_only_columns(who, ReviewAssignment.invited_at, Review.submitted_at)
    )
    for uid, invited, submitted in db.execute(durations):
        pairs.setdefault(uid, []).append((as_utc(invited), as_utc(submitted)))
    for uid, these in pairs.items():
        out[uid].median_turnaround = median_days(these)
    rated = (
        base.join(ReviewRating, ReviewRating.assignment_id == ReviewAssignment.id)
        .with_only_columns(who, func.avg(ReviewRating.rating), func.count())
        .group_by(who)
    )
    for uid, mean, n in db.execute(rated):
        out[uid].rating, out[uid].ratings = round(float(mean), 1), n
    return out


def _paper_text(title: str, keywords: Any, translations: Any) -> str:
    parts = [title or "", *(str(k) for k in (keywords or []))]
    for extra in (translations or {}).values():
        if isinstance(extra, dict):
            parts.append(str(extra.get("title") or ""))
            parts.extend(str(k) for k in (extra.get("keywords") or []))
    return "\n".join(parts)


def profiles(
    db: Session, journal_id: int, users: Sequence[User], leave_out: int | None = None
) -> dict[int, matching.ReviewerProfile]:
    """Each reviewer's terms: interests, and the titles and keywords of the journal's papers
    they reviewed (a submitted review) or are listed as an author of (past the draft);
    ``leave_out`` is the paper being matched, which says nothing about its own reviewers."""
    out = {u.id: matching.ReviewerProfile(u.id) for u in users}
    for u in users:
        for interest in u.research_interests or []:
            out[u.id].add(str(interest), matching.FROM_INTERESTS)
    if not users:
        return out
    ids = list(out)
    paper = (Submission.title, Submission.keywords, Submission.translations)
    reviewed = (
        _of_journal(journal_id)
        .where(
            ReviewAssignment.reviewer_id.in_(ids),
            ReviewAssignment.state == AssignmentState.SUBMITTED,
            Submission.id != (leave_out or 0),
        )
        .with_only_columns(ReviewAssignment.reviewer_id, *paper)
    )
    for uid, title, keywords, translations in db.execute(reviewed):
        out[uid].add(_paper_text(title, keywords, translations), matching.FROM_REVIEWED)
    by_email = {u.email_key: u.id for u in users if u.email_key}
    authored = select(Contributor.user_id, Contributor.email, *paper).join(
        Submission, Submission.id == Contributor.submission_id
    )
    authored = authored.where(
        Submission.journal_id == journal_id,
        Submission.state != SubmissionState.DRAFT,
        Submission.id != (leave_out or 0),
        or_(Contributor.user_id.in_(ids), func.lower(Contributor.email).in_(list(by_email))),
    )
    for uid, email, title, keywords, translations in db.execute(authored):
        owner = uid if uid in out else by_email.get(email_key(email or ""))
        if owner is not None:
            out[owner].add(_paper_text(title, keywords, translations), matching.FROM_AUTHORED)
    return out


def paper_profile(submission: Submission) -> matching.PaperProfile:
    return matching.paper_profile(
        submission.title,
        submission.abstract,
        submission.keywords or [],
        submission.translations or {},
    )


@dataclass
class Row:
    """One reviewer in the finder: figures, and for a paper the match and the warnings."""

    user: User
    figures: Figures
    match: matching.Match | None = None
    conflicts: list[conflicts.ConflictWarning] = field(default_factory=list)
    suggested: ReviewerSuggestion | None = None  # the authors suggested them
    opposed: ReviewerSuggestion | None = None  # the authors opposed them


@dataclass
class AuthorSuggestion:
    """A reviewer the authors named, with the journal's account of that address, if any."""

    suggestion: ReviewerSuggestion
    user: User | None


@dataclass
class Finder:
    """The finder's answer: ``rows`` (for a paper: ranked, authors, those already invited
    and the opposed left out), ``opposed`` (reviewers of the pool the authors opposed,
    ranked out) and the authors' own suggestions and oppositions."""

    rows: list[Row]
    opposed: list[Row] = field(default_factory=list)
    suggested_by_authors: list[AuthorSuggestion] = field(default_factory=list)
    opposed_by_authors: list[AuthorSuggestion] = field(default_factory=list)


def _invited_now(db: Session, submission: Submission) -> set[int]:
    rnd = workflow.current_round(db, submission)
    return {a.reviewer_id for a in rnd.assignments} if rnd else set()


def _matches_query(user: User, query: str) -> bool:
    text = " ".join([user.display_name, user.email, *map(str, user.research_interests or [])])
    return all(word in fold(text) for word in fold(query).split())


def _author_suggestions(db: Session, submission: Submission, kind: SuggestionKind) -> list[Any]:
    rows = [s for s in submission.reviewer_suggestions if s.kind == kind]
    keys = {email_key(s.email) for s in rows}
    users = {
        u.email_key: u for u in db.scalars(select(User).where(User.email_key.in_(keys or {""})))
    }
    return [AuthorSuggestion(s, users.get(email_key(s.email))) for s in rows]


def find(
    db: Session,
    journal_id: int,
    submission: Submission | None = None,
    query: str = "",
    sort: str = "",
    with_conflicts: int | None = None,
) -> Finder:
    """The journal's reviewers with their figures; for ``submission``, ranked by their match
    with it (authors and those invited to its current round left out, the opposed apart).
    ``query`` keeps the reviewers whose name, address or interests contain every word;
    ``sort`` is one of :data:`SORTS` (the default: the score for a paper, else the name).
    Conflict warnings are worked out for the first ``with_conflicts`` rows (all: None)."""
    pool = review_services.journal_reviewers(db, journal_id)
    query = query.strip()[:MAX_QUERY]
    if query:
        pool = [u for u in pool if _matches_query(u, query)]
    figs = figures(db, journal_id, [u.id for u in pool])
    if submission is None:
        rows = [Row(u, figs[u.id]) for u in pool]
        return Finder(sort_rows(rows, sort or "name"))
    suggested = _author_suggestions(db, submission, SuggestionKind.SUGGESTED)
    opposed = _author_suggestions(db, submission, SuggestionKind.OPPOSED)
    by_key = {email_key(s.suggestion.email): s.suggestion for s in suggested}
    against = {email_key(s.suggestion.email): s.suggestion for s in opposed}
    invited = _invited_now(db, submission)
    pool = [u for u in pool if u.id not in invited and not conflicts.is_author(submission, u)]
    ranked = matching.rank(
        paper_profile(submission), profiles(db, journal_id, pool, submission.id).values()
    )
    users = {u.id: u for u in pool}
    rows, ranked_out = [], []
    for m in ranked:
        user = users[m.user_id]
        row = Row(user, figs[user.id], m, suggested=by_key.get(user.email_key))
        row.opposed = against.get(user.email_key)
        (ranked_out if row.opposed else rows).append(row)
    rows = sort_rows(rows, sort or "score")
    for row in rows[:with_conflicts] + ranked_out:
        row.conflicts = conflicts.reviewer_warnings(db, submission, row.user)
    return Finder(rows, ranked_out, suggested, opposed)


def _sort_key(sort: str) -> Any:
    """Best first for each figure; what has no figure goes last."""
    far = dt.datetime.min.replace(tzinfo=dt.UTC)

    def missing_last(value: float | None, best_high: bool) -> tuple[int, float]:
        if value is None:
            return (1, 0.0)
        return (0, -value if best_high else value)

    keys: dict[str, Any] = {
        "score": lambda r: (-(r.match.score if r.match else 0),),
        "open": lambda r: (r.figures.open_assignments,),
        "completed": lambda r: (-r.figures.completed,),
        "turnaround": lambda r: missing_last(r.figures.median_turnaround, False),
        "last_invited": lambda r: (-(r.figures.last_invited or far).timestamp(),),
        "decline_rate": lambda r: missing_last(r.figures.decline_rate, False),
        "rating": lambda r: missing_last(r.figures.rating, True),
    }
    return keys.get(sort)


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """``rows`` in the order ``sort`` asks (unknown: by name), then by name."""
    by_name = sorted(
        rows, key=lambda r: (fold(r.user.family_name or r.user.display_name), r.user.id)
    )
    key = _sort_key(sort)
    return sorted(by_name, key=key) if key else by_name
