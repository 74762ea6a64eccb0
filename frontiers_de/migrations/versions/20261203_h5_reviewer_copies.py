"""Reviewer copies and review modes: a section's review mode (copied to a submission when
it is submitted), the link from a reviewer copy to the original it was made from and the
anonymiser's report on it, and the kinds of the figure, supplementary and response copies

Revision ID: h5_reviewer_copies
Revises: 0007_article_search
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h5_reviewer_copies"
down_revision: str | None = "0007_article_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEW_MODE = sa.Enum(
    "single_anonymous",
    "double_anonymous",
    "open",
    name="reviewmode",
    native_enum=False,
    length=32,
)


def upgrade() -> None:
    with op.batch_alter_table("sections", schema=None) as batch_op:
        # Existing sections keep what every submission got so far: single-anonymous.
        batch_op.add_column(
            sa.Column("review_mode", REVIEW_MODE, nullable=False, server_default="single_anonymous")
        )
    with op.batch_alter_table("manuscript_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("anonymisation", sa.JSON(), nullable=False, server_default="{}")
        )
        batch_op.create_index(
            batch_op.f("ix_manuscript_files_source_id"), ["source_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_manuscript_files_source_id_manuscript_files"),
            "manuscript_files",
            ["source_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("manuscript_files", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_manuscript_files_source_id_manuscript_files"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_manuscript_files_source_id"))
        batch_op.drop_column("anonymisation")
        batch_op.drop_column("source_id")
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.drop_column("review_mode")
