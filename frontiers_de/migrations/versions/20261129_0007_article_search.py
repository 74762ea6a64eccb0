"""Search: one document per article (folded title, keywords, authors, DOI, abstracts), with
the existing articles indexed

Revision ID: 0007_article_search
Revises: 0006_peer_review
Create Date: 2026-11-29 20:40:00
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontiers_de.db.meta

revision: str = "0007_article_search"
down_revision: str | None = "0006_peer_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    documents = op.create_table(
        "article_search_documents",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("title_text", sa.Text(), nullable=False),
        sa.Column("keywords_text", sa.Text(), nullable=False),
        sa.Column("authors_text", sa.Text(), nullable=False),
        sa.Column("doi_text", sa.String(length=200), nullable=False),
        sa.Column("abstract_text", sa.Text(), nullable=False),
        sa.Column("display", sa.JSON(), nullable=False),
        sa.Column("indexed_at", frontiers_de.db.meta.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_search_documents_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_search_documents")),
    )
    _index_existing_articles(documents)


def _index_existing_articles(documents: sa.Table) -> None:
    """Every article already stored gets its document (read from its JATS by the same
    function the app uses; only this revision's columns are written). ``fde search
    reindex`` does the same at any later time."""
    from frontiers_de.publishing.search import fields_from_jats

    articles = sa.table(
        "articles",
        sa.column("id", sa.Integer),
        sa.column("title", sa.Text),
        sa.column("doi", sa.String),
        sa.column("jats_xml", sa.Text),
    )
    connection = op.get_bind()
    now = dt.datetime.now(dt.UTC)
    rows = []
    for article_id, title, doi, jats in connection.execute(
        sa.select(articles.c.id, articles.c.title, articles.c.doi, articles.c.jats_xml)
    ):
        columns = fields_from_jats(jats, title or "", doi or "").columns()
        wanted = {k: columns[k] for k in documents.c.keys() if k in columns}
        rows.append({"article_id": article_id, "indexed_at": now, **wanted})
    if rows:
        op.bulk_insert(documents, rows)


def downgrade() -> None:
    op.drop_table("article_search_documents")
