"""Peer review: reviews saved as drafts (no recommendation or submission time yet) with an
optional attachment; a declining reviewer's suggestion; the reminders sent per stage

Revision ID: 0006_peer_review
Revises: 0005_issue_description
Create Date: 2026-11-29 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "0006_peer_review"
down_revision: str | None = "0005_issue_description"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECOMMENDATION = sa.Enum(
    "accept",
    "minor_revision",
    "major_revision",
    "reject",
    name="recommendation",
    native_enum=False,
    length=32,
)


def upgrade() -> None:
    with op.batch_alter_table("review_assignments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("suggested_reviewer", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("reminders_sent", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("review_assignments", schema=None) as batch_op:
        batch_op.alter_column("suggested_reviewer", server_default=None)
        batch_op.alter_column("reminders_sent", server_default=None)
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "updated_at",
                frontiers_de.db.meta.UTCDateTime(timezone=True),
                nullable=False,
                server_default=sa.func.current_timestamp(),
            )
        )
        batch_op.alter_column("recommendation", existing_type=RECOMMENDATION, nullable=True)
        batch_op.alter_column(
            "submitted_at",
            existing_type=frontiers_de.db.meta.UTCDateTime(timezone=True),
            nullable=True,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reviews_attachment_id_manuscript_files"),
            "manuscript_files",
            ["attachment_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.alter_column("updated_at", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_reviews_attachment_id_manuscript_files"), type_="foreignkey"
        )
        batch_op.alter_column(
            "submitted_at",
            existing_type=frontiers_de.db.meta.UTCDateTime(timezone=True),
            nullable=False,
        )
        batch_op.alter_column("recommendation", existing_type=RECOMMENDATION, nullable=False)
        batch_op.drop_column("updated_at")
        batch_op.drop_column("attachment_id")
    with op.batch_alter_table("review_assignments", schema=None) as batch_op:
        batch_op.drop_column("reminders_sent")
        batch_op.drop_column("suggested_reviewer")
