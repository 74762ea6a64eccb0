"""Letters editors can edit: each journal's own email templates (per template and
language), and the edited text stored with an invitation and a decision, so that what the
editor wrote is what is sent

Revision ID: s6_L_email_templates
Revises: s6_n_notification_preferences
Create Date: 2026-12-03 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "s6_L_email_templates"
down_revision: str | None = "s6_n_notification_preferences"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_template_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=80), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["journal_id"],
            ["journals.id"],
            name=op.f("fk_email_template_overrides_journal_id_journals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_email_template_overrides_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_template_overrides")),
        sa.UniqueConstraint(
            "journal_id",
            "template",
            "lang",
            name=op.f("uq_email_template_overrides_journal_id"),
        ),
    )
    with op.batch_alter_table("review_assignments") as batch:
        batch.add_column(sa.Column("letter_subject", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("letter_body", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("letter_subject", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    # In place (SQLite has DROP COLUMN since 3.35): batch mode would copy the tables, and
    # dropping the old copy fails while other rows point at them (foreign keys are on).
    op.execute("ALTER TABLE decisions DROP COLUMN letter_subject")
    op.execute("ALTER TABLE review_assignments DROP COLUMN letter_body")
    op.execute("ALTER TABLE review_assignments DROP COLUMN letter_subject")
    op.drop_table("email_template_overrides")
