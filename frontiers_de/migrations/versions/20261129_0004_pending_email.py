"""A change of email address waits for confirmation: the pending address and when asked

Revision ID: 0004_pending_email
Revises: 0003_throttle_events
Create Date: 2026-11-29 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "0004_pending_email"
down_revision: str | None = "0003_throttle_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_email", sa.String(length=254), nullable=True))
        batch_op.add_column(
            sa.Column(
                "pending_email_requested_at",
                frontiers_de.db.meta.UTCDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("pending_email_requested_at")
        batch_op.drop_column("pending_email")
