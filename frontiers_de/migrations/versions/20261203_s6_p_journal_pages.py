"""The journal's own pages (``journal_pages``: the admin's text of each /about page per
language), the editors' announcements, and an issue's cover image. The aims and scope move
from two journal columns into the pages (English and Chinese rows), so that they can be
written in every interface language like the other pages.

Revision ID: s6_p_journal_pages
Revises: s6_r2_usage_counts
Create Date: 2026-12-03 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "s6_p_journal_pages"
down_revision: str | None = "s6_r2_usage_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = frontiers_de.db.meta.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "journal_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["journal_id"],
            ["journals.id"],
            name=op.f("fk_journal_pages_journal_id_journals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_journal_pages_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_pages")),
        sa.UniqueConstraint(
            "journal_id", "slug", "language", name=op.f("uq_journal_pages_journal_id")
        ),
    )
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("published_at", When, nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("updated_at", When, nullable=False),
        sa.Column("withdrawn_at", When, nullable=True),
        sa.ForeignKeyConstraint(
            ["journal_id"],
            ["journals.id"],
            name=op.f("fk_announcements_journal_id_journals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_announcements_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    op.create_index(
        "ix_announcements_journal_published", "announcements", ["journal_id", "published_at"]
    )
    with op.batch_alter_table("issues") as batch:
        batch.add_column(sa.Column("cover_sha256", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("cover_type", sa.String(length=40), nullable=False, server_default="")
        )
    _move_aims_into_pages()
    # In place on both databases (SQLite has had DROP COLUMN since 3.35): batch mode would
    # copy the journals table, and dropping the old copy fails once other tables' rows
    # point at it (foreign keys are on).
    for column in ("aims_scope", "aims_scope_zh"):
        op.execute(f"ALTER TABLE journals DROP COLUMN {column}")


def _move_aims_into_pages() -> None:
    bind = op.get_bind()
    now = sa.func.now() if bind.dialect.name == "postgresql" else sa.text("CURRENT_TIMESTAMP")
    rows = bind.execute(sa.text("SELECT id, aims_scope, aims_scope_zh FROM journals")).all()
    pages = sa.table(
        "journal_pages",
        sa.column("journal_id", sa.Integer()),
        sa.column("slug", sa.String()),
        sa.column("language", sa.String()),
        sa.column("title", sa.String()),
        sa.column("body", sa.Text()),
        sa.column("updated_at", When),
    )
    for journal_id, english, chinese in rows:
        for language, title, body in (
            ("en", "Aims and scope", english),
            ("zh", "目标与范围", chinese),
        ):
            if (body or "").strip():
                bind.execute(
                    pages.insert().values(
                        journal_id=journal_id,
                        slug="aims-and-scope",
                        language=language,
                        title=title,
                        body=body,
                        updated_at=now,
                    )
                )


def downgrade() -> None:
    for column in ("aims_scope", "aims_scope_zh"):
        op.add_column("journals", sa.Column(column, sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    for column, language in (("aims_scope", "en"), ("aims_scope_zh", "zh")):
        bind.execute(
            sa.text(
                f"UPDATE journals SET {column} = COALESCE((SELECT body FROM journal_pages p "
                "WHERE p.journal_id = journals.id AND p.slug = 'aims-and-scope' "
                f"AND p.language = '{language}'), '')"
            )
        )
    for column in ("cover_type", "cover_sha256"):
        op.execute(f"ALTER TABLE issues DROP COLUMN {column}")
    op.drop_index("ix_announcements_journal_published", table_name="announcements")
    op.drop_table("announcements")
    op.drop_table("journal_pages")
