"""An issue's description (the cover text shown above its table of contents)

Revision ID: 0005_issue_description
Revises: 0004_pending_email
Create Date: 2026-11-28 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_issue_description"
down_revision: str | None = "0004_pending_email"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("issues", schema=None) as batch_op:
        # Existing issues have no description: an empty text, as new ones start.
        batch_op.add_column(
            sa.Column("description", sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_column("description")
