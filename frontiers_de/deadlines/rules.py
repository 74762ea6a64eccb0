"""The kinds of deadline, the journal's rule for each, their defaults, and how the admin's
form is read (``/admin/deadlines``).

A rule says how many days a deadline runs (``period_days``, counted from when its clock
starts: the invitation sent, the decision made, the last review in, the proof sent; a
review's due date is the one the editor chose, and the period is the date the invitation
form offers), the days before and after the due date on which the person it falls to is
reminded, and the days overdue at which the editor-in-chief is told. A journal without a
stored rule for a kind has the default (:data:`DEFAULTS`); new journals get the defaults
stored (:func:`seed_rules`), so the admin sees and edits real rows.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.deadlines.models import DeadlineRule
from frontiers_de.i18n import _

MAX_DAYS = 365
MAX_REMINDERS = 5


class DeadlineKind(enum.StrEnum):
    INVITATION = "invitation"  # a review invitation not yet answered
    REVIEW = "review"  # an accepted review not yet in
    DECISION = "decision"  # every review of the round in, no decision yet
    MINOR_REVISION = "minor_revision"  # the author's revision after a minor-revision decision
    MAJOR_REVISION = "major_revision"  # … after a major-revision decision
    PROOF = "proof"  # the author's answer to a proof


KIND_LABELS: dict[DeadlineKind, TranslationString] = {
    DeadlineKind.INVITATION: _("Unanswered review invitation"),
    DeadlineKind.REVIEW: _("Review due"),
    DeadlineKind.DECISION: _("Decision once the reviews are in"),
    DeadlineKind.MINOR_REVISION: _("Revision due (minor revision)"),
    DeadlineKind.MAJOR_REVISION: _("Revision due (major revision)"),
    DeadlineKind.PROOF: _("Answer to a proof"),
}
# What a list says of an item past its deadline.
OVERDUE_LABELS: dict[DeadlineKind, TranslationString] = {
    DeadlineKind.INVITATION: _("Invitation unanswered"),
    DeadlineKind.REVIEW: _("Review overdue"),
    DeadlineKind.DECISION: _("Decision overdue"),
    DeadlineKind.MINOR_REVISION: _("Revision overdue"),
    DeadlineKind.MAJOR_REVISION: _("Revision overdue"),
    DeadlineKind.PROOF: _("Proof answer overdue"),
}
# Who is reminded, for the admin's page.
RESPONSIBLE_LABELS: dict[DeadlineKind, TranslationString] = {
    DeadlineKind.INVITATION: _("the invited reviewer"),
    DeadlineKind.REVIEW: _("the reviewer"),
    DeadlineKind.DECISION: _("the handling editor (else the editor-in-chief)"),
    DeadlineKind.MINOR_REVISION: _("the submitting author"),
    DeadlineKind.MAJOR_REVISION: _("the submitting author"),
    DeadlineKind.PROOF: _("the corresponding author"),
}


@dataclass(frozen=True)
class Rule:
    kind: DeadlineKind
    period_days: int
    remind_before: tuple[int, ...] = ()
    remind_after: tuple[int, ...] = ()
    escalate_after: int | None = None


DEFAULTS: dict[DeadlineKind, Rule] = {
    # Reminded on the fifth day unanswered (the invitation link answers for
    # fde.review.invitation_days); the editor-in-chief hears of it four days later.
    DeadlineKind.INVITATION: Rule(DeadlineKind.INVITATION, 5, (), (0,), 4),
    DeadlineKind.REVIEW: Rule(DeadlineKind.REVIEW, 21, (3,), (0, 7), 14),
    DeadlineKind.DECISION: Rule(DeadlineKind.DECISION, 14, (), (0,), 7),
    DeadlineKind.MINOR_REVISION: Rule(DeadlineKind.MINOR_REVISION, 30, (7,), (0,), 14),
    DeadlineKind.MAJOR_REVISION: Rule(DeadlineKind.MAJOR_REVISION, 60, (14, 3), (0,), 30),
    DeadlineKind.PROOF: Rule(DeadlineKind.PROOF, 3, (1,), (0,), 3),
}


def _rule_of(row: DeadlineRule) -> Rule:
    return Rule(
        DeadlineKind(row.kind),
        row.period_days,
        tuple(sorted({int(d) for d in row.remind_before or ()}, reverse=True)),
        tuple(sorted({int(d) for d in row.remind_after or ()})),
        row.escalate_after,
    )


class RuleBook:
    """The rules of some journals, read once: stored rows, else the defaults."""

    def __init__(self, stored: Mapping[int, Mapping[DeadlineKind, Rule]]) -> None:
        self._stored = stored

    def rule(self, journal_id: int, kind: DeadlineKind) -> Rule:
        return self._stored.get(journal_id, {}).get(kind) or DEFAULTS[kind]

    def rules(self, journal_id: int) -> list[Rule]:
        return [self.rule(journal_id, kind) for kind in DeadlineKind]


def rule_book(db: Session, journal_ids: Iterable[int] | None = None) -> RuleBook:
    """The rules of the journals named (every journal when None)."""
    statement = select(DeadlineRule)
    if journal_ids is not None:
        statement = statement.where(DeadlineRule.journal_id.in_(list(journal_ids)))
    stored: dict[int, dict[DeadlineKind, Rule]] = {}
    for row in db.scalars(statement):
        if row.kind in DeadlineKind.__members__.values():
            stored.setdefault(row.journal_id, {})[DeadlineKind(row.kind)] = _rule_of(row)
    return RuleBook(stored)


def journal_rule(db: Session, journal_id: int, kind: DeadlineKind) -> Rule:
    """One rule of one journal."""
    return rule_book(db, [journal_id]).rule(journal_id, kind)


def seed_rules(db: Session, journal_id: int) -> int:
    """Store the default rule of every kind the journal has none for; how many were added."""
    have = set(db.scalars(select(DeadlineRule.kind).where(DeadlineRule.journal_id == journal_id)))
    added = 0
    for kind, rule in DEFAULTS.items():
        if kind.value in have:
            continue
        db.add(_row(journal_id, rule))
        added += 1
    db.flush()
    return added


def _row(journal_id: int, rule: Rule, user_id: int | None = None) -> DeadlineRule:
    return DeadlineRule(
        journal_id=journal_id,
        kind=rule.kind.value,
        period_days=rule.period_days,
        remind_before=list(rule.remind_before),
        remind_after=list(rule.remind_after),
        escalate_after=rule.escalate_after,
        updated_by_id=user_id,
    )


# --- the admin's form -------------------------------------------------------------------------


class RulesInvalid(Exception):
    """The form could not be read: messages by field name (``review-period`` …)."""

    def __init__(self, errors: dict[str, TranslationString]) -> None:
        super().__init__(errors)
        self.errors = errors


def field_name(kind: DeadlineKind, part: str) -> str:
    return f"{kind.value}-{part}"


def form_values(rules: Iterable[Rule]) -> dict[str, str]:
    """The form's fields for ``rules`` (day lists written "7, 1")."""
    values: dict[str, str] = {}
    for rule in rules:
        values[field_name(rule.kind, "period")] = str(rule.period_days)
        values[field_name(rule.kind, "before")] = ", ".join(map(str, rule.remind_before))
        values[field_name(rule.kind, "after")] = ", ".join(map(str, rule.remind_after))
        values[field_name(rule.kind, "escalate")] = (
            "" if rule.escalate_after is None else str(rule.escalate_after)
        )
    return values


def _days(raw: str, low: int) -> int:
    text = raw.strip()
    if not text.isdigit() or len(text) > 4:
        raise ValueError
    value = int(text)
    if not low <= value <= MAX_DAYS:
        raise ValueError
    return value


class _BadList(ValueError):
    def __init__(self, message: TranslationString) -> None:
        super().__init__(message)
        self.message = message


def _day_list(raw: str, low: int) -> tuple[int, ...]:
    """Days from a list like "7, 1" (commas, semicolons or spaces between)."""
    parts = [p for p in raw.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    if len(parts) > MAX_REMINDERS:
        raise _BadList(_("At most ${n} reminders.", mapping={"n": MAX_REMINDERS}))
    try:
        days = [_days(p, low) for p in parts]
    except ValueError:
        raise _BadList(
            _(
                "Give whole numbers of days from ${low} to ${high}, separated by commas.",
                mapping={"low": low, "high": MAX_DAYS},
            )
        ) from None
    if len(set(days)) != len(days):
        raise _BadList(_("A day is given twice."))
    return tuple(days)


def read_rule(kind: DeadlineKind, form: Mapping[str, Any]) -> tuple[Rule | None, dict[str, Any]]:
    """One kind's rule from the form, or the messages of its fields that could not be read."""
    errors: dict[str, TranslationString] = {}

    def get(part: str) -> str:
        return str(form.get(field_name(kind, part), "") or "")[:100]

    period = 0
    try:
        period = _days(get("period"), 1)
    except ValueError:
        errors[field_name(kind, "period")] = _(
            "Give the period as a whole number of days from 1 to ${high}.",
            mapping={"high": MAX_DAYS},
        )
    before: tuple[int, ...] = ()
    try:
        before = _day_list(get("before"), 1)
    except _BadList as exc:
        errors[field_name(kind, "before")] = exc.message
    if period and any(d >= period for d in before):
        errors[field_name(kind, "before")] = _(
            "A reminder before the due date must come after the clock starts: "
            "fewer days than the period (${period}).",
            mapping={"period": period},
        )
    after: tuple[int, ...] = ()
    try:
        after = _day_list(get("after"), 0)
    except _BadList as exc:
        errors[field_name(kind, "after")] = exc.message
    escalate: int | None = None
    if get("escalate").strip():
        try:
            escalate = _days(get("escalate"), 0)
        except ValueError:
            errors[field_name(kind, "escalate")] = _(
                "Give the days overdue as a whole number from 0 to ${high}, or leave it "
                "empty to never tell the editor-in-chief.",
                mapping={"high": MAX_DAYS},
            )
    if errors:
        return None, errors
    return Rule(
        kind,
        period,
        tuple(sorted(before, reverse=True)),
        tuple(sorted(after)),
        escalate,
    ), {}


def save_rules(
    db: Session, journal_id: int, form: Mapping[str, Any], user_id: int | None = None
) -> list[Rule]:
    """Every kind's rule from the admin's form, all or nothing: raises :class:`RulesInvalid`
    (and stores nothing) when any field cannot be read."""
    rules: list[Rule] = []
    errors: dict[str, TranslationString] = {}
    for kind in DeadlineKind:
        rule, problems = read_rule(kind, form)
        errors.update(problems)
        if rule is not None:
            rules.append(rule)
    if errors:
        raise RulesInvalid(errors)
    stored = {
        row.kind: row
        for row in db.scalars(select(DeadlineRule).where(DeadlineRule.journal_id == journal_id))
    }
    for rule in rules:
        row = stored.get(rule.kind.value)
        if row is None:
            db.add(_row(journal_id, rule, user_id))
            continue
        row.period_days = rule.period_days
        row.remind_before = list(rule.remind_before)
        row.remind_after = list(rule.remind_after)
        row.escalate_after = rule.escalate_after
        row.updated_by_id = user_id
    db.flush()
    return rules
