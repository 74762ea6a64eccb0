"""Deadlines for every role, one policy: the journal's deadline rules (seeded with the
defaults for every journal), the reminders and escalations sent (each once), and the review
assignments' own record of reminders dropped (the notices hold it now)

Revision ID: s6_T_deadline_rules
Revises: s6_F_reviewer_finder
Create Date: 2026-12-03 19:30:00
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "s6_T_deadline_rules"
down_revision: str | None = "s6_F_reviewer_finder"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The defaults as they stood when this migration was written (deadlines.rules.DEFAULTS):
# kind, period, days before, days after, days overdue to escalate.
DEFAULTS = (
    ("invitation", 5, [], [0], 4),
    ("review", 21, [3], [0, 7], 14),
    ("decision", 14, [], [0], 7),
    ("minor_revision", 30, [7], [0], 14),
    ("major_revision", 60, [14, 3], [0], 30),
    ("proof", 3, [1], [0], 3),
)


def upgrade() -> None:
    rules = op.create_table(
        "deadline_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.Column("remind_before", sa.JSON(), nullable=False),
        sa.Column("remind_after", sa.JSON(), nullable=False),
        sa.Column("escalate_after", sa.Integer(), nullable=True),
        sa.Column("updated_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["journal_id"],
            ["journals.id"],
            name=op.f("fk_deadline_rules_journal_id_journals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_deadline_rules_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_rules")),
        sa.UniqueConstraint("journal_id", "kind", name=op.f("uq_deadline_rules_journal_id")),
    )
    op.create_table(
        "deadline_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("sent_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["journal_id"],
            ["journals.id"],
            name=op.f("fk_deadline_notices_journal_id_journals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_deadline_notices_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_notices")),
        sa.UniqueConstraint(
            "kind", "item_id", "due_on", "stage", name=op.f("uq_deadline_notices_kind")
        ),
    )
    journals = [row[0] for row in op.get_bind().execute(sa.text("SELECT id FROM journals"))]
    stamp = dt.datetime.now(dt.UTC)
    op.bulk_insert(
        rules,
        [
            {
                "journal_id": journal_id,
                "kind": kind,
                "period_days": period,
                "remind_before": before,
                "remind_after": after,
                "escalate_after": escalate,
                "updated_at": stamp,
                "updated_by_id": None,
            }
            for journal_id in journals
            for kind, period, before, after, escalate in DEFAULTS
        ],
    )
    # In place on both databases (SQLite has DROP COLUMN since 3.35): batch mode would copy
    # the table, and dropping the old copy fails while other rows point at it.
    op.execute("ALTER TABLE review_assignments DROP COLUMN reminders_sent")


def downgrade() -> None:
    op.add_column(
        "review_assignments",
        sa.Column("reminders_sent", sa.JSON(), nullable=False, server_default="{}"),
    )
    op.drop_table("deadline_notices")
    op.drop_table("deadline_rules")
