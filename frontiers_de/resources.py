"""Traversal roots and route contexts: who is granted which permission, on the journal's
pages and on one object's pages.

The journal-wide grants come from the one map of roles to permissions
(security/permissions.py). A page about one object (a submission, a review assignment, an
article, an issue, a DOI record or deposit, a published article or issue on the reader
site) has a context made by its route's factory: the factory loads the journal's object by
the route's id, and the context's ``__acl__`` narrows the journal's grants by the object's
rules (the workflow's: who submitted it, its state, who is an author of it). A user who holds
the journal-wide right but may not reach the object, or asks for an id that is not there,
gets 404 (``views.forbidden``): no answer says whether someone else's object exists. A user
without the journal-wide right gets 403 (or the sign-in page) whatever the id, as before,
except on a paper's editorial pages, which do not exist for its authors and reviewers:
they get 404 whatever roles they hold (``EDITORIAL_SIDE``, ``workflow.is_party``).
Views take the object from ``request.context``; none parses the route's id or asks whether
there is a journal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, ClassVar

from pyramid.authorization import Deny, Everyone
from pyramid.httpexceptions import HTTPNotFound
from pyramid.request import Request
from sqlalchemy.orm import object_session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article, Issue
from frontiers_de.articles.services import published_article
from frontiers_de.crossref.models import DoiDeposit, DoiRecord
from frontiers_de.discussions import access as discussion_rules
from frontiers_de.editorial import workflow
from frontiers_de.production.assets import is_public
from frontiers_de.publishing.services import find_issue
from frontiers_de.review.models import ReviewAssignment
from frontiers_de.security.permissions import Permission as P
from frontiers_de.security.root import ACE, JOURNAL_ACL, JournalRoot
from frontiers_de.submissions import services as submission_rules
from frontiers_de.submissions.models import Submission

Rule = Callable[[Any, User | None], bool]  # (the object, the signed-in user or None)


class ObjectContext:
    """The context of a page about one object of the journal (None: no such object in this
    journal). ``rules`` maps a permission to who may use it on the object; a permission
    without a rule is the journal's alone."""

    rules: ClassVar[Mapping[P, Rule]] = {}

    def __init__(self, request: Request, obj: Any) -> None:
        self.request = request
        self.obj = obj

    def _refused(self) -> tuple[P, ...]:
        user = self.request.user
        return tuple(
            p for p, rule in self.rules.items() if self.obj is None or not rule(self.obj, user)
        )

    @cached_property
    def __acl__(self) -> list[ACE]:
        refused = self._refused()
        return ([(Deny, Everyone, refused)] if refused else []) + JOURNAL_ACL

    def part(self, model: type, key: str, **owner: Any) -> Any:
        """The row of ``model`` with the route's id ``key`` if it belongs to this object
        (its attributes equal ``owner``: a file of the submission); 404 otherwise."""
        row = self.request.db.get(model, int(self.request.matchdict[key]))
        if row is None or any(getattr(row, name) != value for name, value in owner.items()):
            raise HTTPNotFound()
        return row

    def hides(self, permission: Any) -> bool:
        """Whether a refusal of ``permission`` is this object's, not the journal's: the user
        holds the right in the journal but may not use it here (or the id is not there).
        The page then answers 404, as for an object that does not exist."""
        return (
            permission in self.rules
            and permission in self._refused()
            and bool(self.request.has_permission(permission, JournalRoot(self.request)))
        )


def _load(request: Request, model: type, key: str) -> Any:
    """The journal's row of ``model`` with the route's id ``key``; None for another
    journal's, for none, or without a journal."""
    if request.journal is None:
        return None
    row = request.db.get(model, int(request.matchdict[key]))
    return row if row is not None and row.journal_id == request.journal.id else None


def _any(obj: Any, user: User | None) -> bool:
    """Everyone the journal grants the permission: the factory found the journal's object."""
    return True


class JournalContext(ObjectContext):
    """Pages of the journal as a whole (my submissions, the editorial queue, production's
    lists): none without a journal (404 for those the page is for, as for a missing id)."""

    rules: ClassVar[Mapping[P, Rule]] = {p: _any for p in P}

    @property
    def journal(self) -> Any:
        assert self.obj is not None
        return self.obj


def journal_factory(request: Request) -> JournalContext:
    return JournalContext(request, request.journal)


class ProductionContext(ObjectContext):
    """An article, issue, DOI record or deposit of the journal, for production: any of the
    journal's for those holding the produce permission."""

    rules: ClassVar[Mapping[P, Rule]] = {P.PRODUCE: _any}


def _journal_object(model: type, key: str) -> Callable[[Request], ProductionContext]:
    def factory(request: Request) -> ProductionContext:
        return ProductionContext(request, _load(request, model, key))

    factory.__name__ = f"{model.__name__.lower()}_factory"
    return factory


article_factory = _journal_object(Article, "article_id")
issue_factory = _journal_object(Issue, "issue_id")
doi_record_factory = _journal_object(DoiRecord, "record_id")
deposit_factory = _journal_object(DoiDeposit, "deposit_id")


class SubmissionContext(ObjectContext):
    """A submission of the journal: the author's pages (its submitter, and the journal's
    editors once it is submitted), the submitter's own changes, the editorial side (the
    workflow's ``may_handle``) and production's start."""

    rules: ClassVar[Mapping[P, Rule]] = {
        P.ACCOUNT: submission_rules.may_see,
        P.SUBMIT: submission_rules.is_submitter,
        P.EDIT: workflow.may_handle,
        P.MANAGE_EDITORS: workflow.may_handle,  # its handling editor: the chief's, if no author
        P.PRODUCE: _any,  # production's start: any of the journal's, the workflow decides
    }

    @property
    def submission(self) -> Submission:
        assert self.obj is not None  # a view runs only when the ACL found the submission
        return self.obj

    def hides(self, permission: Any) -> bool:
        """Also 404 for the paper's authors and reviewers on its editorial pages."""
        return super().hides(permission) or _hidden_from_party(self, self.obj, permission)

    def part(self, model: type, key: str, **owner: Any) -> Any:
        """A row of the submission (an author, a funder, a file) by the route's id; else 404."""
        return super().part(model, key, submission_id=self.submission.id, **owner)


# The permissions of a paper's editorial side, which does not exist for its authors and
# reviewers (404 even without an editor's role: they know the paper, not its editorial pages).
EDITORIAL_SIDE = frozenset({P.EDIT, P.MANAGE_EDITORS})


def _hidden_from_party(
    context: ObjectContext, submission: Submission | None, permission: Any
) -> bool:
    return (
        permission in EDITORIAL_SIDE
        and submission is not None
        and permission in context._refused()
        and workflow.is_party(submission, context.request.user)
    )


def submission_factory(request: Request) -> SubmissionContext:
    return SubmissionContext(request, _load(request, Submission, "submission_id"))


def _submission_of(assignment: ReviewAssignment) -> Submission:
    db = object_session(assignment)
    assert db is not None
    submission = db.get(Submission, assignment.round.submission_id)
    assert submission is not None
    return submission


def _own_assignment(assignment: ReviewAssignment, user: User | None) -> bool:
    return user is not None and assignment.reviewer_id == user.id


def _handles_assignment(assignment: ReviewAssignment, user: User | None) -> bool:
    return workflow.may_handle(_submission_of(assignment), user)


class AssignmentContext(ObjectContext):
    """A review assignment: the reviewer's pages are its reviewer's alone; the editor's
    actions on it are the editorial side of its submission (``may_handle``)."""

    rules: ClassVar[Mapping[P, Rule]] = {
        P.ACCOUNT: _own_assignment,
        P.EDIT: _handles_assignment,
    }

    @property
    def assignment(self) -> ReviewAssignment:
        assert self.obj is not None
        return self.obj

    def hides(self, permission: Any) -> bool:
        """Also 404 for the paper's authors and reviewers on the editor's actions."""
        submission = _submission_of(self.obj) if self.obj is not None else None
        return super().hides(permission) or _hidden_from_party(self, submission, permission)

    @property
    def submission(self) -> Submission:
        return _submission_of(self.assignment)


def assignment_factory(request: Request) -> AssignmentContext:
    """The reviewer's routes (``/reviews/{assignment_id}``) and the editor's
    (``/editorial/submissions/{submission_id}/review/assignments/{assignment_id}``: the
    assignment must be of that submission)."""
    assignment = None
    if request.journal is not None:
        assignment = request.db.get(ReviewAssignment, int(request.matchdict["assignment_id"]))
    if assignment is not None:
        submission = _submission_of(assignment)
        in_route = request.matchdict.get("submission_id")
        if submission.journal_id != request.journal.id or (
            in_route is not None and submission.id != int(in_route)
        ):
            assignment = None
    return AssignmentContext(request, assignment)


class AuthorDiscussionContext(SubmissionContext):
    """A paper's discussions with its editors, from the author's side: its author's alone
    (the editors have theirs on the editorial side), everyone else 404."""

    rules: ClassVar[Mapping[P, Rule]] = {P.ACCOUNT: discussion_rules.is_paper_author}


def author_discussion_factory(request: Request) -> AuthorDiscussionContext:
    return AuthorDiscussionContext(request, _load(request, Submission, "submission_id"))


class ReviewerDiscussionContext(AssignmentContext):
    """A review assignment's discussions, from the reviewer's side: its reviewer's while
    they review it (accepted or submitted), everyone else 404."""

    rules: ClassVar[Mapping[P, Rule]] = {P.ACCOUNT: discussion_rules.is_taking_reviewer}


def reviewer_discussion_factory(request: Request) -> ReviewerDiscussionContext:
    return ReviewerDiscussionContext(request, assignment_factory(request).obj)


class ReaderContext(ObjectContext):
    """An article on the reader site: the journal's published (or corrected) articles are
    everyone's to read; any other is not there (404, for everyone)."""

    rules: ClassVar[Mapping[P, Rule]] = {P.VIEW: lambda article, user: is_public(article)}

    @property
    def article(self) -> Article:
        assert self.obj is not None
        return self.obj


def reader_article_factory(request: Request) -> ReaderContext:
    """The article of the route's DOI (``/articles/{doi}``, compared as DOIs are)."""
    article = None
    if request.journal is not None:
        article = published_article(request.db, request.matchdict["doi"])
        if article is not None and article.journal_id != request.journal.id:
            article = None
    return ReaderContext(request, article)


def reader_article_by_id_factory(request: Request) -> ReaderContext:
    """The article of the route's id (``/articles/id/{article_id}``: the reader HTML's links)."""
    return ReaderContext(request, _load(request, Article, "article_id"))


class ReaderIssueContext(ObjectContext):
    """An issue on the reader site by its volume and number: a shown issue of the journal
    is everyone's to read (publishing.services.find_issue); any other is not there (404)."""

    rules: ClassVar[Mapping[P, Rule]] = {P.VIEW: _any}

    @property
    def issue(self) -> Issue:
        assert self.obj is not None
        return self.obj


def reader_issue_factory(request: Request) -> ReaderIssueContext:
    issue = None
    if request.journal is not None:
        volume, number = int(request.matchdict["volume"]), request.matchdict["issue"]
        issue = find_issue(request.db, request.journal.id, volume, number)
    return ReaderIssueContext(request, issue)
