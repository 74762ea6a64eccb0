"""Figures: for each figure of an article, the image its manuscript gave it and the image
the production editor chose (the manuscript's or a figure file the author uploaded)

Revision ID: s4_h5_figure_choices
Revises: s4_h3_proof_content
Create Date: 2026-12-03 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "s4_h5_figure_choices"
down_revision: str | None = "s4_h3_proof_content"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "figure_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("fig_id", sa.String(length=200), nullable=False),
        sa.Column("manuscript_href", sa.String(length=255), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "manuscript",
                "upload",
                name="figuresource",
                native_enum=False,
                length=32,
                create_constraint=False,
            ),
            nullable=True,
        ),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.Column("chosen_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_figure_choices_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["manuscript_files.id"],
            name=op.f("fk_figure_choices_upload_id_manuscript_files"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["chosen_by_id"],
            ["users.id"],
            name=op.f("fk_figure_choices_chosen_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_choices")),
        sa.UniqueConstraint("article_id", "fig_id", name=op.f("uq_figure_choices_article_id")),
    )


def downgrade() -> None:
    op.drop_table("figure_choices")
