"""What each proof showed the author: the sha256 of the JATS it was typeset from and of
that JATS without its placement (volume, issue, e-location, publication date), so that an
approval survives a change of placement and nothing else

Revision ID: s4_h3_proof_content
Revises: h5_reviewer_copies
Create Date: 2026-12-03 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "s4_h3_proof_content"
down_revision: str | None = "h5_reviewer_copies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Proofs sent before this revision keep NULL: their approval then covers their PDF only.
    with op.batch_alter_table("proofs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jats_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("content_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("proofs", schema=None) as batch_op:
        batch_op.drop_column("content_sha256")
        batch_op.drop_column("jats_sha256")
