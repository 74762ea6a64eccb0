"""DOI deposits: 64-bit timestamps and the retry schedule

Revision ID: 0002_doi
Revises: 0001
Create Date: 2026-11-28 17:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "0002_doi"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("doi_deposits", schema=None) as batch_op:
        # Deposit timestamps (yyyymmddHHMMSS + ms) have 17 digits: PostgreSQL's integer
        # is 32-bit and refuses them.
        batch_op.alter_column(
            "timestamp", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False
        )
        batch_op.add_column(
            sa.Column(
                "next_attempt_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index("ix_doi_deposits_due", ["state", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("doi_deposits", schema=None) as batch_op:
        batch_op.drop_index("ix_doi_deposits_due")
        batch_op.drop_column("next_attempt_at")
        batch_op.alter_column(
            "timestamp", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False
        )
