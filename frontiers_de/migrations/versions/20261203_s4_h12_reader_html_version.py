"""The version of the rendering that made each article's stored reader HTML, so HTML made
by an older release is made again from the JATS (on the article's next view or by
``fde initdb``) instead of staying until someone runs ``fde articles rebuild-html``

Revision ID: s4_h12_reader_html_version
Revises: s4_h5_figure_choices
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "s4_h12_reader_html_version"
down_revision: str | None = "s4_h5_figure_choices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing HTML keeps NULL: its rendering is unknown, so it is made again.
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("html_version", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("html_version")
