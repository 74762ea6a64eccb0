"""Usage figures of articles (COUNTER-style counts per article, month and kind) and the
short-lived marks of the 30-second double-click rule

Revision ID: s6_r2_usage_counts
Revises: s6_T_deadline_rules
Create Date: 2026-12-03 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "s6_r2_usage_counts"
down_revision: str | None = "s6_T_deadline_rules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "usage_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_usage_counts_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_counts")),
        sa.UniqueConstraint("article_id", "month", "kind", name=op.f("uq_usage_counts_article_id")),
    )
    op.create_index(
        op.f("ix_usage_counts_article_id"), "usage_counts", ["article_id"], unique=False
    )
    op.create_table(
        "usage_clicks",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("seen_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_usage_clicks")),
    )
    op.create_index("ix_usage_clicks_seen_at", "usage_clicks", ["seen_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_usage_clicks_seen_at", table_name="usage_clicks")
    op.drop_table("usage_clicks")
    op.drop_index(op.f("ix_usage_counts_article_id"), table_name="usage_counts")
    op.drop_table("usage_counts")
