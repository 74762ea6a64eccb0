"""The deadline engine on a fixed clock: when each reminder stage comes, that only the
latest stage is sent and each once, that nothing is reminded once the item's link has
expired, and when the editor-in-chief is told. Pure functions: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from frontiers_de.deadlines.engine import (
    ESCALATE,
    Deadline,
    escalation_due,
    overdue_labels,
    reminder_due,
    reminder_times,
)
from frontiers_de.deadlines.rules import DEFAULTS, DeadlineKind, Rule

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def deadline(rule: Rule, started=T0, due=None, expires=None, item_id=1) -> Deadline:
    return Deadline(
        rule.kind,
        item_id,
        1,
        10,
        "A paper",
        started,
        due or started + dt.timedelta(days=rule.period_days),
        rule,
        "Someone",
        expires,
    )


REVISION = Rule(DeadlineKind.MAJOR_REVISION, 60, (14, 3), (0, 7), 30)


def test_the_stages_come_in_order_before_and_after_the_due_date():
    d = deadline(REVISION)
    assert [(stage, when - T0) for stage, when in reminder_times(d)] == [
        ("before:14", 46 * DAY),
        ("before:3", 57 * DAY),
        ("after:0", 60 * DAY),
        ("after:7", 67 * DAY),
    ]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, None),
        (45, None),
        (46, "before:14"),
        (56, "before:14"),
        (57, "before:3"),
        (60, "after:0"),
        (66, "after:0"),
        (67, "after:7"),
        (400, "after:7"),
    ],
)
def test_the_stage_due_is_the_latest_that_has_come(days, expected):
    assert reminder_due(deadline(REVISION), T0 + days * DAY) == expected


def test_a_stage_sent_is_not_sent_again_and_missed_ones_are_not_sent_late():
    d = deadline(REVISION)
    assert reminder_due(d, T0 + 57 * DAY, {"before:3"}) is None
    # The run missed "before:14": only "before:3" goes, and "before:14" never does.
    assert reminder_due(d, T0 + 58 * DAY, set()) == "before:3"
    assert reminder_due(d, T0 + 59 * DAY, {"before:3"}) is None


def test_a_reminder_before_the_clock_started_is_dropped():
    # A review accepted two days before its due date gets no "due in three days" reminder.
    rule = DEFAULTS[DeadlineKind.REVIEW]
    due = T0 + 10 * DAY
    late_accept = deadline(rule, started=due - 2 * DAY, due=due)
    assert [s for s, _ in reminder_times(late_accept)] == ["after:0", "after:7"]
    assert reminder_due(late_accept, due - DAY) is None
    early_accept = deadline(rule, started=T0, due=due)
    assert reminder_due(early_accept, due - 2 * DAY) == "before:3"


def test_nothing_is_reminded_once_the_link_has_expired():
    rule = DEFAULTS[DeadlineKind.INVITATION]  # due five days on, reminded then
    d = deadline(rule, expires=T0 + 14 * DAY)
    assert reminder_due(d, T0 + 5 * DAY) == "after:0"
    assert reminder_due(d, T0 + 14 * DAY) is None


def test_the_editor_in_chief_is_told_once_the_days_overdue_have_passed():
    d = deadline(REVISION)  # due at day 60, escalated 30 days later
    assert not escalation_due(d, T0 + 89 * DAY)
    assert escalation_due(d, T0 + 90 * DAY)
    assert not escalation_due(d, T0 + 91 * DAY, {ESCALATE})
    never = deadline(Rule(DeadlineKind.PROOF, 3, (), (0,), None))
    assert not escalation_due(never, T0 + 400 * DAY)
    at_once = deadline(Rule(DeadlineKind.PROOF, 3, (), (), 0))
    assert not escalation_due(at_once, T0 + 3 * DAY)  # due, not yet overdue
    assert escalation_due(at_once, T0 + 3 * DAY + dt.timedelta(seconds=1))


def test_overdue_is_past_the_due_moment_and_counted_in_whole_days():
    d = deadline(REVISION)
    due = T0 + 60 * DAY
    assert not d.is_overdue(due) and d.days_overdue(due) == 0
    assert d.is_overdue(due + dt.timedelta(hours=1)) and d.days_overdue(due + DAY * 1.5) == 1
    assert d.due_on == due.date()


def test_a_list_names_each_kind_of_lateness_once():
    a = deadline(DEFAULTS[DeadlineKind.REVIEW], item_id=1)
    b = deadline(DEFAULTS[DeadlineKind.REVIEW], item_id=2)
    c = deadline(DEFAULTS[DeadlineKind.DECISION], item_id=3)
    assert [str(x) for x in overdue_labels([a, b, c])] == ["Review overdue", "Decision overdue"]
