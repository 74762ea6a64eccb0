"""Per-client throttling: one row per counted attempt

Revision ID: 0003_throttle_events
Revises: 0002_doi
Create Date: 2026-11-29 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "0003_throttle_events"
down_revision: str | None = "0002_doi"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "throttle_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column(
            "occurred_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_events")),
    )
    with op.batch_alter_table("throttle_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_throttle_events_scope_client_at", ["scope", "client", "occurred_at"], unique=False
        )
        batch_op.create_index("ix_throttle_events_occurred_at", ["occurred_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("throttle_events", schema=None) as batch_op:
        batch_op.drop_index("ix_throttle_events_occurred_at")
        batch_op.drop_index("ix_throttle_events_scope_client_at")
    op.drop_table("throttle_events")
