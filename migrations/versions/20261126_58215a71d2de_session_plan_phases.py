"""session plan phases

A session's plan (« déroulé »): its phases in order, each with a title, a duration and the
roles it calls for. A new table only: nothing to carry over.

Revision ID: 58215a71d2de
Revises: 262b4768a179
Create Date: 2026-11-26 03:27:50.067871

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "58215a71d2de"
down_revision = "262b4768a179"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "session_plan_phase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("roles", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("situations", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            "minutes >= 1 AND minutes <= 180", name=op.f("ck_session_plan_phase_minutes_range")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_session_plan_phase_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_plan_phase")),
        sa.UniqueConstraint(
            "meeting_id", "position", name=op.f("uq_session_plan_phase_meeting_id_position")
        ),
    )
    with op.batch_alter_table("session_plan_phase", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_plan_phase_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("session_plan_phase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_plan_phase_meeting_id"))

    op.drop_table("session_plan_phase")
