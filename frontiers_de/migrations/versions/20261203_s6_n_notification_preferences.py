"""Per-user notification preferences (at once, daily digest or off, per kind), the items
kept for the daily digest and the digests sent (one per user and day), and the journal
setting that shares the other reviewers' comments with a round's reviewers

Revision ID: s6_n_notification_preferences
Revises: s6_D_discussions
Create Date: 2026-12-03 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "s6_n_notification_preferences"
down_revision: str | None = "s6_D_discussions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DELIVERY = sa.Enum(
    "immediate", "digest", "off", name="delivery", native_enum=False, length=32
)


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    # A constant default ("0", false on both databases) lets SQLite add the column in
    # place: an expression would make batch mode copy the journals table, and dropping the
    # old copy fails once other tables' rows point at it (foreign keys are on).
    with op.batch_alter_table("journals") as batch:
        batch.add_column(
            sa.Column(
                "share_reviews_with_reviewers",
                sa.Boolean(),
                nullable=False,
                server_default="0",
            )
        )
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("delivery", DELIVERY, nullable=False),
        sa.Column("updated_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        _user_fk("notification_preferences"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint(
            "user_id", "kind", name=op.f("uq_notification_preferences_user_id")
        ),
    )
    op.create_table(
        "notification_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("email_id", sa.Integer(), nullable=True),
        sa.Column("created_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["email_id"],
            ["outbox_emails.id"],
            name=op.f("fk_notification_digests_email_id_outbox_emails"),
            ondelete="SET NULL",
        ),
        _user_fk("notification_digests"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_digests")),
        sa.UniqueConstraint("user_id", "day", name=op.f("uq_notification_digests_user_id")),
    )
    op.create_table(
        "digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=True),
        sa.Column("template", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("created_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["digest_id"],
            ["notification_digests.id"],
            name=op.f("fk_digest_items_digest_id_notification_digests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["journal_id"],
            ["journals.id"],
            name=op.f("fk_digest_items_journal_id_journals"),
            ondelete="SET NULL",
        ),
        _user_fk("digest_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_items")),
    )
    op.create_index(
        "ix_digest_items_user_pending", "digest_items", ["user_id", "digest_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_digest_items_user_pending", table_name="digest_items")
    op.drop_table("digest_items")
    op.drop_table("notification_digests")
    op.drop_table("notification_preferences")
    with op.batch_alter_table("journals") as batch:
        batch.drop_column("share_reviews_with_reviewers")
