"""The registry of notification kinds: every email template belongs to one kind (or is the
digest itself), and the kinds a process needs are the fixed ones."""

from __future__ import annotations

from pathlib import Path

from frontiers_de.mail.kinds import BY_KEY, DIGEST_TEMPLATE, KINDS, TEMPLATE_KINDS, kind_of

ROOT = Path(__file__).resolve().parents[3]


def test_every_email_template_belongs_to_a_kind():
    on_disk = {p.name for p in (ROOT / "templates" / "email").iterdir() if p.is_dir()}
    unclaimed = on_disk - set(TEMPLATE_KINDS) - {DIGEST_TEMPLATE}
    assert not unclaimed, f"add {sorted(unclaimed)} to a kind in frontiers_de/mail/kinds.py"
    assert set(TEMPLATE_KINDS) <= on_disk, "a kind names a template that does not exist"


def test_each_template_has_one_kind_and_keys_are_unique():
    claimed = [t for kind in KINDS for t in kind.templates]
    assert len(claimed) == len(set(claimed))
    assert len(BY_KEY) == len(KINDS)
    assert all(len(kind.key) <= 40 for kind in KINDS)  # the column's width


def test_what_a_process_needs_is_always_sent():
    fixed = {t for kind in KINDS if not kind.optional for t in kind.templates}
    assert {
        "accounts_verify",
        "accounts_reset",
        "accounts_set_password",
        "accounts_change_email",
        "review_invitation",
        "review_reminder",
        "editorial_decision",
        "editorial_desk_reject",
        "production_proof",
    } <= fixed
    assert kind_of("production_published").optional
    assert kind_of("no_such_template") is None
