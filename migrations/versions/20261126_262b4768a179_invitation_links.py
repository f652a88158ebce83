"""invitation links: the hash of the link a group's owner sends to the person invited

Revision ID: 262b4768a179
Revises: 049d13d92421
Create Date: 2026-11-26 03:46:55.123766

"""

import sqlalchemy as sa
from alembic import op

revision = "262b4768a179"
down_revision = "049d13d92421"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cofacilitator_invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_cofacilitator_invitation_token_hash"), ["token_hash"]
        )


def downgrade():
    with op.batch_alter_table("cofacilitator_invitation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_cofacilitator_invitation_token_hash"), type_="unique"
        )
        batch_op.drop_column("token_hash")
