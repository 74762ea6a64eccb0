"""Conflicts of interest: who counts as an author of a submission, and what an editor is
warned of before inviting a reviewer.

One rule for "is this person an author of this paper", used by the workflow guard (an
author never makes an editorial move on their own paper, whatever their roles), the
editors' queue, the review pages, the downloads and the reviewer invitation. A person is an
author when they submitted the paper or match one of its listed contributors by account,
by email address (without regard to case) or by ORCID iD (in any written form).

Before a reviewer is invited the editor is warned, with the reason, of a shared institution
(same ROR id, or the same name once normalised) and of earlier co-authorship in the
journal's records (the reviewer and one of the authors listed together on another
submission). The editor may go ahead, giving a reason that the audit trail keeps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session, object_session, selectinload

from frontiers_de.accounts.models import User, email_key
from frontiers_de.i18n import _
from frontiers_de.identifiers import normalise_orcid, normalise_ror
from frontiers_de.review.models import ReviewAssignment, ReviewRound
from frontiers_de.submissions.models import Contributor, Submission, SubmissionState


@dataclass(frozen=True)
class Identity:
    """What identifies a person across the journal's records: an account, an email
    address (its case-insensitive key) and an ORCID iD (normalised). Any one of them in
    common makes two identities the same person."""

    user_id: int | None = None
    email: str | None = None
    orcid: str | None = None

    def matches(self, other: Identity) -> str | None:
        """How ``other`` is the same person (``account``, ``email``, ``orcid``), or None."""
        if self.user_id is not None and self.user_id == other.user_id:
            return "account"
        if self.email and self.email == other.email:
            return "email"
        if self.orcid and self.orcid == other.orcid:
            return "orcid"
        return None


def user_identity(user: User) -> Identity:
    return Identity(user.id, user.email_key or None, normalise_orcid(user.orcid))


def contributor_identity(person: Contributor) -> Identity:
    return Identity(
        person.user_id,
        email_key(person.email) if person.email and person.email.strip() else None,
        normalise_orcid(person.orcid),
    )


def address_identity(address: str) -> Identity:
    """Someone known only by an email address (a reviewer invited by address)."""
    return Identity(email=email_key(address) or None)


def author_identities(submission: Submission) -> list[Identity]:
    """The submitter's account and every listed author."""
    return [
        Identity(user_id=submission.submitter_id),
        *(contributor_identity(c) for c in submission.contributors),
    ]


def author_match(submission: Submission, who: Identity) -> str | None:
    """How ``who`` is an author of ``submission`` (``submitter``, ``account``, ``email``,
    ``orcid``), or None when they are not."""
    if who.user_id is not None and who.user_id == submission.submitter_id:
        return "submitter"
    for person in submission.contributors:
        how = contributor_identity(person).matches(who)
        if how:
            return how
    return None


def is_author(submission: Submission, user: User | None) -> bool:
    """Whether ``user`` is the submitter or one of the listed authors of ``submission``:
    the one rule behind every conflict-of-interest check on a paper's own authors."""
    return user is not None and author_match(submission, user_identity(user)) is not None


# --- warnings before inviting a reviewer -----------------------------------------------------

_SPACES = re.compile(r"\s+")


def is_reviewer(submission: Submission, user: User | None) -> bool:
    """Whether ``user`` was ever invited to review ``submission`` (in any round, whatever
    the answer). Such a user never sees the paper's editorial side: it holds the other
    reviewers' names and their confidential comments to the editor."""
    db = object_session(submission)
    if user is None or db is None or submission.id is None:
        return False
    return (
        db.scalar(
            select(ReviewAssignment.id)
            .join(ReviewRound, ReviewAssignment.round_id == ReviewRound.id)
            .where(ReviewRound.submission_id == submission.id)
            .where(ReviewAssignment.reviewer_id == user.id)
            .limit(1)
        )
        is not None
    )


def institution_key(name: str | None) -> str:
    """An institution's name in a form that ignores case, accents' composition, punctuation
    and spacing: "Beijing Normal University," and "beijing  normal university" agree."""
    text = unicodedata.normalize("NFKC", name or "").casefold().replace("&", " and ")
    text = "".join(" " if unicodedata.category(ch).startswith(("P", "S")) else ch for ch in text)
    text = _SPACES.sub(" ", text).strip()
    return text.removeprefix("the ")


@dataclass(frozen=True)
class ConflictWarning:
    """One reason to think twice about a reviewer; ``kind`` is ``institution`` or
    ``coauthorship``, ``message`` says which author and why."""

    kind: str
    message: TranslationString

    def record(self) -> dict[str, Any]:
        """For the audit trail: the kind and the English text."""
        return {"kind": self.kind, "text": self.message.interpolate()}


def _author_name(person: Contributor) -> str:
    return " ".join(p for p in (person.given_name, person.family_name) if p) or person.email


def _institution_warnings(submission: Submission, reviewer: User) -> list[ConflictWarning]:
    ror = normalise_ror(reviewer.ror_id)
    name = institution_key(reviewer.affiliation)
    if not (ror or name):
        return []
    out: list[ConflictWarning] = []
    for person in submission.contributors:
        for aff in person.affiliations or []:
            if not isinstance(aff, dict):
                continue
            aff_name = str(aff.get("name") or "")
            same_ror = ror is not None and normalise_ror(str(aff.get("ror") or "")) == ror
            same_name = bool(name) and institution_key(aff_name) == name
            if same_ror or same_name:
                where = {
                    "author": _author_name(person),
                    "institution": aff_name or reviewer.affiliation,
                    "ror": ror or "",
                }
                message = (
                    _(
                        "Same institution: the reviewer and the author ${author} are both at "
                        "${institution} (the same ROR id, ${ror}).",
                        mapping=where,
                    )
                    if same_ror
                    else _(
                        "Same institution: the reviewer and the author ${author} are both at "
                        "${institution} (the same name).",
                        mapping=where,
                    )
                )
                out.append(ConflictWarning("institution", message))
                break  # one warning per author is enough
    return out


def _coauthorship_warnings(
    db: Session, submission: Submission, reviewer: Identity
) -> list[ConflictWarning]:
    """Other submissions of the journal (past the draft: drafts are their authors' own)
    on which the reviewer and one of this paper's authors are both listed."""
    conditions = []
    if reviewer.user_id is not None:
        conditions.append(Contributor.user_id == reviewer.user_id)
    if reviewer.email:
        conditions.append(func.lower(Contributor.email) == reviewer.email)
    if reviewer.orcid:
        # Written with or without hyphens (the column is too short for the URL form).
        bare = reviewer.orcid.replace("-", "")
        conditions.append(Contributor.orcid.in_((reviewer.orcid, bare, bare.lower())))
    if not conditions:
        return []
    others = db.scalars(
        select(Submission)
        .join(Contributor, Contributor.submission_id == Submission.id)
        .where(
            Submission.journal_id == submission.journal_id,
            Submission.id != submission.id,
            Submission.state != SubmissionState.DRAFT,
            or_(*conditions),
        )
        .options(selectinload(Submission.contributors))
        .order_by(Submission.id)
    ).unique()
    ours = [(_author_name(p), contributor_identity(p)) for p in submission.contributors]
    submitter = db.get(User, submission.submitter_id)
    if submitter is not None:
        ours.append((submitter.display_name, user_identity(submitter)))
    out: list[ConflictWarning] = []
    for other in others:
        listed = [contributor_identity(p) for p in other.contributors]
        # The SQL found candidates; the reviewer must really be listed there (email keys
        # are casefolded, which lower() only approximates).
        if not any(reviewer.matches(i) for i in listed):
            continue
        shared = dict.fromkeys(name for name, mine in ours if any(mine.matches(i) for i in listed))
        for name in shared:
            out.append(
                ConflictWarning(
                    "coauthorship",
                    _(
                        "Earlier co-authorship: the reviewer and the author ${author} are "
                        "listed together on submission ${number}.",
                        mapping={"author": name, "number": other.id},
                    ),
                )
            )
    return out


def reviewer_warnings(
    db: Session, submission: Submission, reviewer: User | str
) -> list[ConflictWarning]:
    """What the editor should know before inviting ``reviewer`` (an account, or a new
    reviewer's email address) to review ``submission``: a shared institution with an
    author, earlier co-authorship with an author in the journal's records. Empty when
    there is nothing to say. (That the reviewer *is* an author is not a warning but a
    refusal: see :func:`is_author`.)"""
    if isinstance(reviewer, User):
        return [
            *_institution_warnings(submission, reviewer),
            *_coauthorship_warnings(db, submission, user_identity(reviewer)),
        ]
    return _coauthorship_warnings(db, submission, address_identity(reviewer))


def authored_condition(user: User) -> ColumnElement[bool]:
    """:func:`is_author` as a condition on ``Submission``, for lists that filter in SQL:
    submitted by ``user``, or listing them by account, email address (``lower()``, which
    only approximates the casefolded key: the rows shown are checked with
    :func:`is_author` again) or ORCID iD (with or without hyphens)."""
    who = user_identity(user)
    matches = [Contributor.user_id == user.id]
    if who.email:
        matches.append(func.lower(func.trim(Contributor.email)) == who.email)
    if who.orcid:
        bare = who.orcid.replace("-", "")
        matches.append(Contributor.orcid.in_((who.orcid, bare, bare.lower())))
    listed = exists(
        select(Contributor.id).where(Contributor.submission_id == Submission.id, or_(*matches))
    )
    return or_(Submission.submitter_id == user.id, listed)


def reviewed_condition(user: User) -> ColumnElement[bool]:
    """:func:`is_reviewer` as a condition on ``Submission``: ``user`` was invited to review
    it, in any round, whatever the answer."""
    return exists(
        select(ReviewAssignment.id)
        .join(ReviewRound, ReviewAssignment.round_id == ReviewRound.id)
        .where(ReviewRound.submission_id == Submission.id, ReviewAssignment.reviewer_id == user.id)
    )


def without_authored(submissions: Iterable[Submission], user: User | None) -> list[Submission]:
    """``submissions`` less those ``user`` is an author of (for lists editors see)."""
    return [s for s in submissions if not is_author(s, user)]
