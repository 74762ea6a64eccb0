"""One engine for every deadline of the journal: what is due when, what is overdue, and the
reminders and escalations that are due now, each sent once.

Each domain that owns something with a deadline says what is open in a ``deadlines`` module
of its own (``frontiers_de/<domain>/deadlines.py``: review invitations and reviews, the
decision once a round's reviews are in, revisions, proofs), with a tuple ``KINDS`` and a
function ``open_deadlines(db, book, now, journal_id, settings) -> list[Deadline]`` that
computes each
open item's due date from the journal's rules (:mod:`frontiers_de.deadlines.rules`) and what
is stored. The engine finds those modules by name at run time, as the events find the
domains' subscribers, so this package imports no domain above it, and every list of the app
(the editorial queue and list, the reviewer's, the author's, production's) asks the same
question here.

:func:`run` (beat, every ``fde.deadlines.interval``, or ``fde deadlines run``) goes through
every open deadline: the latest reminder stage that has come and not been sent
(``before:N``, ``after:N``) and the escalation (``escalate``, once the item is
``escalate_after`` days overdue) are recorded in ``deadline_notices`` and announced as
:class:`~frontiers_de.deadlines.events.DeadlineReminder` and
:class:`~frontiers_de.deadlines.events.DeadlineEscalated`, in one transaction with the
emails their subscribers queue. A stage recorded is never sent again; missed earlier
stages are not sent late (one reminder is enough), and nothing is sent for an item whose
link has expired.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import importlib.util
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de import events
from frontiers_de.db.meta import utcnow
from frontiers_de.deadlines.events import DeadlineEscalated, DeadlineReminder
from frontiers_de.deadlines.models import DeadlineNotice
from frontiers_de.deadlines.rules import OVERDUE_LABELS, DeadlineKind, Rule, RuleBook, rule_book

log = logging.getLogger(__name__)

SOURCE_MODULE = "deadlines"
ESCALATE = "escalate"


@dataclass(frozen=True)
class Deadline:
    """One open item with a due date."""

    kind: DeadlineKind
    item_id: int  # the assignment, round, decision or proof
    journal_id: int
    submission_id: int
    title: str
    started_at: dt.datetime  # when the clock started
    due_at: dt.datetime
    rule: Rule
    responsible: str = ""  # whom it falls to, by name (for the editor-in-chief)
    # After this no reminder goes out (the link it would carry no longer answers).
    expires_at: dt.datetime | None = None

    @property
    def due_on(self) -> dt.date:
        return self.due_at.date()

    @property
    def label(self) -> Any:
        """What a list says when it is overdue."""
        return OVERDUE_LABELS[self.kind]

    def is_overdue(self, now: dt.datetime) -> bool:
        return now > self.due_at

    def days_overdue(self, now: dt.datetime) -> int:
        return max((now - self.due_at).days, 0) if self.is_overdue(now) else 0


# --- when (pure) ------------------------------------------------------------------------------


def reminder_times(deadline: Deadline) -> list[tuple[str, dt.datetime]]:
    """Every reminder stage of ``deadline`` with its time, in order. A reminder before the
    due date that would fall before the clock started is dropped (a review accepted two
    days before it is due gets no "due in three days" reminder)."""
    times: list[tuple[str, dt.datetime]] = []
    for days in deadline.rule.remind_before:
        when = deadline.due_at - dt.timedelta(days=days)
        if when > deadline.started_at:
            times.append((f"before:{days}", when))
    for days in deadline.rule.remind_after:
        times.append((f"after:{days}", deadline.due_at + dt.timedelta(days=days)))
    return sorted(times, key=lambda pair: pair[1])


def reminder_due(deadline: Deadline, now: dt.datetime, sent: Iterable[str] = ()) -> str | None:
    """The reminder stage to send now: the latest one whose time has come, unless it was
    sent (or the item's link has expired)."""
    if deadline.expires_at is not None and now >= deadline.expires_at:
        return None
    come = [stage for stage, when in reminder_times(deadline) if when <= now]
    if not come or come[-1] in set(sent):
        return None
    return come[-1]


def escalation_due(deadline: Deadline, now: dt.datetime, sent: Iterable[str] = ()) -> bool:
    """Whether the editor-in-chief is to be told now (once)."""
    days = deadline.rule.escalate_after
    if days is None or ESCALATE in set(sent) or not deadline.is_overdue(now):
        return False
    return now >= deadline.due_at + dt.timedelta(days=days)


# --- what is open (the domains' sources) ------------------------------------------------------


@functools.cache
def _sources() -> tuple[ModuleType, ...]:
    # The domain list lives with the app's wiring, above every domain (frontiers_de.DOMAINS).
    domains = importlib.import_module("frontiers_de").DOMAINS
    found = []
    for domain in domains:
        name = f"{domain}.{SOURCE_MODULE}"
        if domain != __package__ and importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return tuple(found)


def open_deadlines(
    db: Session,
    now: dt.datetime | None = None,
    *,
    journal_id: int | None = None,
    kinds: Iterable[DeadlineKind] | None = None,
    book: RuleBook | None = None,
    settings: Mapping[str, Any] | None = None,
) -> list[Deadline]:
    """Every open deadline (of one journal, of some kinds), due date first. ``settings``
    give how long links answer (the defaults when None)."""
    now = now or utcnow()
    wanted = set(kinds) if kinds is not None else set(DeadlineKind)
    book = book or rule_book(db, None if journal_id is None else [journal_id])
    found: list[Deadline] = []
    for source in _sources():
        if wanted & set(source.KINDS):
            found += [
                d
                for d in source.open_deadlines(db, book, now, journal_id, settings or {})
                if d.kind in wanted
            ]
    return sorted(found, key=lambda d: (d.due_at, d.kind.value, d.item_id))


def overdue_by_submission(
    db: Session,
    journal_id: int,
    now: dt.datetime | None = None,
    *,
    kinds: Iterable[DeadlineKind] | None = None,
) -> dict[int, list[Deadline]]:
    """The overdue deadlines of the journal's papers, by submission id."""
    now = now or utcnow()
    late: dict[int, list[Deadline]] = {}
    for deadline in open_deadlines(db, now, journal_id=journal_id, kinds=kinds):
        if deadline.is_overdue(now):
            late.setdefault(deadline.submission_id, []).append(deadline)
    return late


def overdue_labels(deadlines: Iterable[Deadline]) -> list[Any]:
    """The distinct labels of some overdue deadlines, in order (for a list's flag)."""
    labels: list[Any] = []
    for deadline in deadlines:
        if deadline.label not in labels:
            labels.append(deadline.label)
    return labels


def by_item(deadlines: Iterable[Deadline], kinds: Iterable[DeadlineKind]) -> dict[int, Deadline]:
    """The deadlines of some kinds by their item's id."""
    wanted = set(kinds)
    return {d.item_id: d for d in deadlines if d.kind in wanted}


# --- reminding ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    kind: DeadlineKind
    item_id: int
    stage: str


def _sent_stages(
    db: Session, deadlines: list[Deadline]
) -> dict[tuple[str, int, dt.date], set[str]]:
    sent: dict[tuple[str, int, dt.date], set[str]] = {}
    ids = sorted({d.item_id for d in deadlines})
    for start in range(0, len(ids), 500):
        rows = db.execute(
            select(
                DeadlineNotice.kind,
                DeadlineNotice.item_id,
                DeadlineNotice.due_on,
                DeadlineNotice.stage,
            ).where(DeadlineNotice.item_id.in_(ids[start : start + 500]))
        )
        for kind, item_id, due_on, stage in rows:
            sent.setdefault((kind, item_id, due_on), set()).add(stage)
    return sent


def _record(db: Session, deadline: Deadline, stage: str, now: dt.datetime) -> None:
    db.add(
        DeadlineNotice(
            journal_id=deadline.journal_id,
            submission_id=deadline.submission_id,
            kind=deadline.kind.value,
            item_id=deadline.item_id,
            due_on=deadline.due_on,
            stage=stage,
            sent_at=now,
        )
    )


def run(
    db: Session, settings: Mapping[str, Any] | None, now: dt.datetime | None = None
) -> list[Sent]:
    """Send every reminder and escalation that is due now, each once; what was sent."""
    now = now or utcnow()
    deadlines = open_deadlines(db, now, settings=settings)
    already = _sent_stages(db, deadlines)
    sent: list[Sent] = []
    for deadline in deadlines:
        stages = already.get((deadline.kind.value, deadline.item_id, deadline.due_on), set())
        stage = reminder_due(deadline, now, stages)
        if stage is not None:
            _record(db, deadline, stage, now)
            events.notify(
                DeadlineReminder(db=db, settings=settings, deadline=deadline, stage=stage, now=now)
            )
            sent.append(Sent(deadline.kind, deadline.item_id, stage))
        if escalation_due(deadline, now, stages):
            _record(db, deadline, ESCALATE, now)
            events.notify(DeadlineEscalated(db=db, settings=settings, deadline=deadline, now=now))
            sent.append(Sent(deadline.kind, deadline.item_id, ESCALATE))
    db.flush()
    if sent:
        log.info("deadlines: %d reminder(s) and escalation(s) sent", len(sent))
    return sent


# --- what the lists show ----------------------------------------------------------------------


def overdue_flags(
    db: Session,
    journal_id: int,
    translate: Callable[[Any], str],
    now: dt.datetime | None = None,
    *,
    kinds: Iterable[DeadlineKind] | None = None,
) -> dict[int, list[str]]:
    """For a list of papers: what is overdue on each, in the reader's language, by
    submission id (papers with nothing overdue are left out)."""
    late = overdue_by_submission(db, journal_id, now, kinds=kinds)
    return {sid: [translate(label) for label in overdue_labels(ds)] for sid, ds in late.items()}
