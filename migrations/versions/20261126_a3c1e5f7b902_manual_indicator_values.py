"""values of indicators the group measures by hand

An indicator with no statement to read it from takes a value at each review: kept on the
history line of that review (facilitator data, never anyone's answers).

Revision ID: a3c1e5f7b902
Revises: 61b80f2b6a89
Create Date: 2026-11-26 07:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3c1e5f7b902"
down_revision = "61b80f2b6a89"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outcome_revision") as batch:
        batch.add_column(sa.Column("value", sa.Double(), nullable=True))


def downgrade():
    with op.batch_alter_table("outcome_revision") as batch:
        batch.drop_column("value")
