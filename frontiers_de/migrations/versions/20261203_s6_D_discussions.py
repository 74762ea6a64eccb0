"""Discussions on a submission: threads (editors and authors, editors and one reviewer,
editors only), their messages, attachments and how far each participant has read

Revision ID: s6_D_discussions
Revises: s5_e2_editor_sections
Create Date: 2026-12-03 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "s6_D_discussions"
down_revision: str | None = "s5_e2_editor_sections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = frontiers_de.db.meta.UTCDateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "discussion_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "authors",
                "reviewer",
                "editors",
                name="threadkind",
                native_enum=False,
                length=16,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("assignment_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("last_message_at", UTC, nullable=False),
        _fk("discussion_threads", "journal_id", "journals", "CASCADE"),
        _fk("discussion_threads", "submission_id", "submissions", "CASCADE"),
        _fk("discussion_threads", "assignment_id", "review_assignments", "CASCADE"),
        _fk("discussion_threads", "started_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_threads")),
    )
    op.create_index(
        "ix_discussion_threads_submission", "discussion_threads", ["submission_id"], unique=False
    )
    op.create_table(
        "discussion_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column(
            "seat",
            sa.Enum(
                "editor",
                "author",
                "reviewer",
                name="seat",
                native_enum=False,
                length=16,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        _fk("discussion_messages", "thread_id", "discussion_threads", "CASCADE"),
        _fk("discussion_messages", "author_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_messages")),
    )
    op.create_index(
        "ix_discussion_messages_thread", "discussion_messages", ["thread_id"], unique=False
    )
    op.create_table(
        "discussion_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        _fk("discussion_attachments", "message_id", "discussion_messages", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_attachments")),
    )
    op.create_table(
        "discussion_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last_message_id", sa.Integer(), nullable=False),
        sa.Column("read_at", UTC, nullable=False),
        _fk("discussion_reads", "thread_id", "discussion_threads", "CASCADE"),
        _fk("discussion_reads", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_reads")),
        sa.UniqueConstraint("thread_id", "user_id", name=op.f("uq_discussion_reads_thread_id")),
    )


def downgrade() -> None:
    op.drop_table("discussion_reads")
    op.drop_table("discussion_attachments")
    op.drop_index("ix_discussion_messages_thread", table_name="discussion_messages")
    op.drop_table("discussion_messages")
    op.drop_index("ix_discussion_threads_submission", table_name="discussion_threads")
    op.drop_table("discussion_threads")
