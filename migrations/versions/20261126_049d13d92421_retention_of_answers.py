"""retention of answers: a group's retention period, and when a session's answers went

Revision ID: 049d13d92421
Revises: 8055441227ef
Create Date: 2026-11-26 03:41:02.316808

"""

import sqlalchemy as sa
from alembic import op

revision = "049d13d92421"
down_revision = "8055441227ef"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answers_purged_on", sa.Date(), nullable=True))
    with op.batch_alter_table("practice_group", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retention_months", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("practice_group", schema=None) as batch_op:
        batch_op.drop_column("retention_months")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("answers_purged_on")
