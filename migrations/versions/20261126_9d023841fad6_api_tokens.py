"""api tokens: facilitators' keys to the read-only JSON API (only their SHA-256 is kept)

Revision ID: 9d023841fad6
Revises: b7d2f4a6c813
Create Date: 2026-11-26 06:34:02.936253

"""

import sqlalchemy as sa
from alembic import op

revision = "9d023841fad6"
down_revision = "b7d2f4a6c813"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("last_used_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["facilitator.id"],
            name=op.f("fk_api_token_facilitator_id_facilitator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_token_facilitator_id"), ["facilitator_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_facilitator_id"))

    op.drop_table("api_token")
