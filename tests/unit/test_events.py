"""Domain events: announced in the changing transaction, delivered to every subscriber of
the event's type, through the request's, the app's or a subscribers-only registry."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pyramid.config import Configurator

from frontiers_de import events
from frontiers_de.accounts.models import RoleAssignment, User
from frontiers_de.editorial import workflow
from frontiers_de.editorial.events import SubmissionMoved
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.journals.models import Journal
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState


@dataclass(frozen=True, kw_only=True)
class Happened(events.DomainEvent):
    what: str


@dataclass(frozen=True, kw_only=True)
class HappenedAgain(Happened):
    pass


def _registry_with(*subscriptions, settings=None):
    config = Configurator(settings=settings or {})
    for handler, kind in subscriptions:
        config.add_subscriber(handler, kind)
    config.commit()
    return config.registry


@pytest.fixture
def bound(monkeypatch):
    """Bind a registry of the test's own subscribers for events raised outside a request."""

    def bind(*subscriptions):
        registry = _registry_with(*subscriptions)
        monkeypatch.setitem(events._bound, "registry", registry)
        return registry

    return bind


def test_notify_reaches_subscribers_of_the_type_and_its_base_types():
    seen: list[tuple[str, str]] = []
    registry = _registry_with(
        (lambda e: seen.append(("base", e.what)), Happened),
        (lambda e: seen.append(("again", e.what)), HappenedAgain),
    )
    events.notify(Happened(db=None, what="one"), registry)
    events.notify(HappenedAgain(db=None, what="two"), registry)
    assert seen == [("base", "one"), ("base", "two"), ("again", "two")]


def test_the_event_carries_the_settings_of_the_registry_it_went_through():
    got = []
    registry = _registry_with((got.append, Happened), settings={"fde.base_url": "https://x.org"})
    events.notify(Happened(db=None, what="x"), registry)
    assert got[0].settings["fde.base_url"] == "https://x.org"


def test_a_subscriber_that_raises_stops_the_announcing_call():
    def broken(event):
        raise RuntimeError("subscriber failed")

    registry = _registry_with((broken, Happened))
    with pytest.raises(RuntimeError, match="subscriber failed"):
        events.notify(Happened(db=None, what="x"), registry)


def test_outside_a_request_events_go_to_the_bound_registry(bound):
    got = []
    registry = bound((got.append, Happened))
    assert events.current_registry() is registry
    events.notify(Happened(db=None, what="x"))
    assert [e.what for e in got] == ["x"]


def test_without_an_app_a_registry_of_the_domains_subscribers_is_built(monkeypatch):
    monkeypatch.delitem(events._bound, "registry", raising=False)
    registry = events.current_registry()
    assert events._bound["registry"] is registry
    events.notify(Happened(db=None, what="nobody listens"))  # no subscriber: nothing happens


@pytest.fixture
def world(dbsession):
    journal = Journal(code="ev", title="Events Journal")
    author = User(email="a@example.org", email_key="a@example.org")
    editor = User(email="e@example.org", email_key="e@example.org")
    dbsession.add_all([journal, author, editor])
    dbsession.flush()
    dbsession.add(
        RoleAssignment(user_id=editor.id, journal_id=journal.id, role=Role.SECTION_EDITOR)
    )
    sub = Submission(journal_id=journal.id, submitter_id=author.id, title="On events")
    dbsession.add(sub)
    dbsession.flush()
    dbsession.refresh(editor)
    return dbsession, sub, author, editor


def test_every_workflow_transition_announces_submission_moved(world, bound):
    db, sub, author, editor = world
    moved: list[SubmissionMoved] = []
    bound((moved.append, SubmissionMoved))
    workflow.apply(db, sub, "submit", author)
    workflow.apply(db, sub, "send_to_review", editor)
    workflow.apply(db, sub, "decide", editor, decision=DecisionKind.ACCEPT, letter="Yes.")
    assert [(m.transition, m.before, m.hook_name) for m in moved] == [
        ("submit", SubmissionState.DRAFT, "submit"),
        ("send_to_review", SubmissionState.SUBMITTED, "send_to_review"),
        ("decide", SubmissionState.UNDER_REVIEW, "decide:accept"),
    ]
    last = moved[-1]
    assert last.submission is sub and last.actor is editor and last.db is db
    assert last.submission.state is SubmissionState.ACCEPTED  # announced after the write
    assert last.audit.action == "decide" and last.letter == "Yes."


def test_a_refused_transition_announces_nothing(world, bound):
    db, sub, _author, editor = world
    moved: list[SubmissionMoved] = []
    bound((moved.append, SubmissionMoved))
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.apply(db, sub, "send_to_review", editor)
    assert moved == []


def test_desk_rejection_is_announced_with_its_decision_kind(world, bound):
    db, sub, author, editor = world
    moved: list[SubmissionMoved] = []
    bound((moved.append, SubmissionMoved))
    workflow.apply(db, sub, "submit", author)
    workflow.apply(db, sub, "desk_reject", editor, letter="Out of scope.")
    assert moved[-1].decision is DecisionKind.DESK_REJECT
    assert sub.state is SubmissionState.REJECTED
