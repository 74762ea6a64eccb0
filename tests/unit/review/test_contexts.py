"""The route contexts of submissions and review assignments (frontiers_de/resources.py): the
factory finds the journal's object by the route's id, and the ACL lets through only whom the
workflow's rules let reach it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from pyramid.authorization import ACLHelper

from frontiers_de.accounts.models import RoleAssignment
from frontiers_de.resources import assignment_factory, submission_factory
from frontiers_de.security import SessionSecurityPolicy
from frontiers_de.security.permissions import Permission as P
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import SubmissionState
from tests.factories import make_user
from tests.review_factories import accepted


def _request(db: Any, user: Any, journal: Any, **ids: int) -> Any:
    return SimpleNamespace(
        db=db, user=user, journal=journal, matchdict={k: str(v) for k, v in ids.items()}
    )


def _may(context: Any, permission: P) -> bool:
    principals = SessionSecurityPolicy().effective_principals(context.request)
    return bool(ACLHelper().permits(context, principals, permission))


def test_a_submission_is_seen_by_its_submitter_and_handled_by_editors_not_its_authors(
    dbsession, world
):
    journal, submission = world.journal, world.submission

    def ctx(user: Any, journal: Any = journal, sid: int = submission.id) -> Any:
        return submission_factory(_request(dbsession, user, journal, submission_id=sid))

    author, editor, coauthor = world.author, world.editor, world.coauthor
    assert ctx(author).submission is submission
    assert _may(ctx(author), P.ACCOUNT) and not _may(ctx(author), P.EDIT)
    assert _may(ctx(editor), P.ACCOUNT) and _may(ctx(editor), P.EDIT)
    assert not _may(ctx(editor), P.SUBMIT)  # changes are the submitter's alone
    # A listed co-author who is also an editor of the journal: never its editorial side.
    coauthor.roles.append(RoleAssignment(journal_id=journal.id, role=Role.SECTION_EDITOR))
    dbsession.flush()
    assert _may(ctx(coauthor), P.ACCOUNT) and not _may(ctx(coauthor), P.EDIT)
    # A stranger, no user, another journal's request, an id that is not there: nothing.
    stranger = make_user(dbsession)
    assert not _may(ctx(stranger), P.ACCOUNT)
    assert not _may(ctx(None), P.ACCOUNT)
    assert ctx(author, journal=SimpleNamespace(id=journal.id + 1)).obj is None
    assert ctx(author, sid=submission.id + 1000).obj is None
    assert not _may(ctx(author, sid=submission.id + 1000), P.ACCOUNT)
    # A draft is the author's own: no editor sees it.
    submission.state = SubmissionState.DRAFT
    assert _may(ctx(author), P.SUBMIT)
    assert not _may(ctx(editor), P.ACCOUNT) and not _may(ctx(editor), P.EDIT)


def test_reviewers_reach_only_their_own_assignments(dbsession, world):
    a = accepted(dbsession, world)
    journal = world.journal
    other = make_user(dbsession, roles=[Role.REVIEWER], journal=journal)

    def ctx(user: Any, **ids: int) -> Any:
        return assignment_factory(_request(dbsession, user, journal, assignment_id=a.id, **ids))

    assert ctx(world.reviewer).assignment is a
    assert ctx(world.reviewer).submission is world.submission
    assert _may(ctx(world.reviewer), P.ACCOUNT)
    assert not _may(ctx(other), P.ACCOUNT)
    assert not _may(ctx(world.editor), P.ACCOUNT)
    assert not _may(ctx(None), P.ACCOUNT)
    # The editor's side: an assignment of the route's submission, for its editors.
    sid = world.submission.id
    assert _may(ctx(world.editor, submission_id=sid), P.EDIT)
    assert not _may(ctx(world.reviewer, submission_id=sid), P.EDIT)
    assert ctx(world.editor, submission_id=sid + 1000).obj is None
