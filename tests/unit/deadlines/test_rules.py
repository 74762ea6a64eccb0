"""The journal's deadline rules: the defaults for a journal without stored rules, seeding,
and the admin's form read all or nothing with a clear reason per field."""

from __future__ import annotations

import pytest

from frontiers_de.deadlines import rules
from frontiers_de.deadlines.models import DeadlineRule
from frontiers_de.deadlines.rules import DEFAULTS, DeadlineKind, Rule
from tests.factories import JournalFactory, make_journal

pytestmark = pytest.mark.db


def test_a_journal_without_stored_rules_has_the_defaults(dbsession):
    journal = make_journal(dbsession)
    book = rules.rule_book(dbsession, [journal.id])
    assert book.rules(journal.id) == list(DEFAULTS.values())


def test_seeding_stores_each_default_once(dbsession):
    journal = make_journal(dbsession)
    assert rules.seed_rules(dbsession, journal.id) == len(DeadlineKind)
    assert rules.seed_rules(dbsession, journal.id) == 0
    stored = dbsession.query(DeadlineRule).filter_by(journal_id=journal.id).count()
    assert stored == len(DeadlineKind)
    assert (
        rules.journal_rule(dbsession, journal.id, DeadlineKind.REVIEW)
        == DEFAULTS[DeadlineKind.REVIEW]
    )


def test_the_form_is_saved_and_read_back_per_journal(dbsession):
    journal, other = make_journal(dbsession), JournalFactory(db=dbsession, code="other")
    values = rules.form_values(DEFAULTS.values())
    values.update(
        {
            "review-period": "28",
            "review-before": "7; 2",
            "review-after": "0 14",
            "review-escalate": "",
        }
    )
    rules.save_rules(dbsession, journal.id, values)
    assert rules.journal_rule(dbsession, journal.id, DeadlineKind.REVIEW) == Rule(
        DeadlineKind.REVIEW, 28, (7, 2), (0, 14), None
    )
    assert (
        rules.journal_rule(dbsession, other.id, DeadlineKind.REVIEW)
        == DEFAULTS[DeadlineKind.REVIEW]
    )
    # Saved again: the same rows, changed.
    values["review-period"] = "30"
    rules.save_rules(dbsession, journal.id, values)
    assert rules.journal_rule(dbsession, journal.id, DeadlineKind.REVIEW).period_days == 30
    assert dbsession.query(DeadlineRule).filter_by(journal_id=journal.id).count() == 6


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("review-period", "", "whole number of days from 1 to 365"),
        ("review-period", "0", "whole number of days from 1 to 365"),
        ("review-period", "three weeks", "whole number of days from 1 to 365"),
        ("review-period", "366", "whole number of days from 1 to 365"),
        ("review-before", "3, x", "whole numbers of days from 1 to 365"),
        ("review-before", "0", "whole numbers of days from 1 to 365"),
        ("review-before", "3, 3", "given twice"),
        ("review-before", "1,2,3,4,5,6", "At most 5 reminders"),
        ("review-before", "21", "fewer days than the period (21)"),
        ("review-after", "-1", "whole numbers of days from 0 to 365"),
        ("proof-escalate", "soon", "leave it empty to never tell"),
        ("proof-escalate", "1000", "leave it empty to never tell"),
    ],
)
def test_a_bad_value_is_refused_with_its_reason_and_nothing_is_saved(
    dbsession, field, value, message
):
    journal = make_journal(dbsession)
    rules.seed_rules(dbsession, journal.id)
    values = rules.form_values(DEFAULTS.values())
    values["minor_revision-period"] = "45"  # a good change beside the bad one
    values[field] = value
    with pytest.raises(rules.RulesInvalid) as caught:
        rules.save_rules(dbsession, journal.id, values)
    assert list(caught.value.errors) == [field]
    assert message in str(caught.value.errors[field].interpolate())
    assert rules.journal_rule(dbsession, journal.id, DeadlineKind.MINOR_REVISION).period_days == 30
