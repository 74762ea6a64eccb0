"""Research interests as JSONB on PostgreSQL: a json column has no equality operator, so
every query that selects users DISTINCT (the editors offered as handling editors, the
editor-in-chief told of a discussion, the digest's recipients) failed there once the
column was added. SQLite keeps its JSON (text) column: nothing changes there.

Revision ID: s6_J_interests_jsonb
Revises: s6_p_journal_pages
Create Date: 2026-12-03 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "s6_J_interests_jsonb"
down_revision: str | None = "s6_p_journal_pages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "users",
            "research_interests",
            type_=postgresql.JSONB(),
            existing_nullable=False,
            postgresql_using="research_interests::jsonb",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "users",
            "research_interests",
            type_=sa.JSON(),
            existing_nullable=False,
            postgresql_using="research_interests::json",
        )
