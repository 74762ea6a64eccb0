"""The reviewer finder: a user's research interests, the reviewers the authors suggest or
oppose with their submission, and the editors' private rating of each review

Revision ID: s6_F_reviewer_finder
Revises: s6_L_email_templates
Create Date: 2026-12-03 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "s6_F_reviewer_finder"
down_revision: str | None = "s6_L_email_templates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUGGESTION_KIND = sa.Enum(
    "suggested", "opposed", name="suggestionkind", native_enum=False, length=32
)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("research_interests", sa.JSON(), nullable=False, server_default="[]")
        )
    # The default only filled the rows already there. SQLite keeps it: changing it would
    # copy the users table, and dropping the old copy fails while other rows point at it.
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("users", "research_interests", server_default=None)
    op.create_table(
        "reviewer_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("kind", SUGGESTION_KIND, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("affiliation", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_reviewer_suggestions_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewer_suggestions")),
    )
    op.create_table(
        "review_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("rated_by_id", sa.Integer(), nullable=True),
        sa.Column("rated_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_review_ratings_rating_range")),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["review_assignments.id"],
            name=op.f("fk_review_ratings_assignment_id_review_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rated_by_id"],
            ["users.id"],
            name=op.f("fk_review_ratings_rated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_ratings")),
        sa.UniqueConstraint("assignment_id", name=op.f("uq_review_ratings_assignment_id")),
    )


def downgrade() -> None:
    op.drop_table("review_ratings")
    op.drop_table("reviewer_suggestions")
    op.execute("ALTER TABLE users DROP COLUMN research_interests")  # in place, as above
