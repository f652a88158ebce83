"""the pages of a draft whose values their form validated

A submission validated every page of the draft again; it now takes a page whose values are
still those its form validated when it was saved (a digest per section) and checks the others.

Revision ID: b7d2f4a6c813
Revises: a3c1e5f7b902
Create Date: 2026-11-26 07:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7d2f4a6c813"
down_revision = "a3c1e5f7b902"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("draft") as batch:
        batch.add_column(
            sa.Column("checked", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade():
    with op.batch_alter_table("draft") as batch:
        batch.drop_column("checked")
