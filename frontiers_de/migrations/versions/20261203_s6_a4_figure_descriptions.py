"""The author's description of each uploaded figure file (``figure_descriptions``): alt text
and a long description, written at submission and copied into the JATS at conversion.

Revision ID: s6_a4_figure_descriptions
Revises: s6_J_interests_jsonb
Create Date: 2026-12-03 20:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "s6_a4_figure_descriptions"
down_revision: str | None = "s6_J_interests_jsonb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = frontiers_de.db.meta.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "figure_descriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("alt_text", sa.Text(), nullable=False),
        sa.Column("long_desc", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_figure_descriptions_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["manuscript_files.id"],
            name=op.f("fk_figure_descriptions_file_id_manuscript_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_figure_descriptions_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_descriptions")),
        sa.UniqueConstraint("file_id", name=op.f("uq_figure_descriptions_file_id")),
    )
    op.create_index(
        op.f("ix_figure_descriptions_submission_id"),
        "figure_descriptions",
        ["submission_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_figure_descriptions_submission_id"), table_name="figure_descriptions")
    op.drop_table("figure_descriptions")
