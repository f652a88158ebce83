"""outcomes and their history

What an outcome needs to be recorded in the room and reviewed at the next session: the
statements that prompted it, an action's role and horizon, a solution's agreement, an
indicator's statement and target, the shareable flag; and one row per change (a dated note).
Enums stay VARCHAR(20), as in the initial revision.

Revision ID: 61b80f2b6a89
Revises: 58215a71d2de
Create Date: 2026-11-26 03:27:55.162160

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "61b80f2b6a89"
down_revision = "58215a71d2de"
branch_labels = None
depends_on = None


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade():
    op.create_table(
        "outcome_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column(
            "status",
            _enum("open", "in_progress", "done", "held", "dropped", name="outcomestatus"),
            nullable=False,
        ),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=280), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_outcome_revision_meeting_id_meeting"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_outcome_revision_outcome_id_outcome"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_revision")),
    )
    op.create_index(op.f("ix_outcome_revision_outcome_id"), "outcome_revision", ["outcome_id"])

    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("item_ids", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
        batch_op.add_column(sa.Column("role", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("due_session", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "agreement", _enum("consensus", "consent", "none_yet", name="agreement"), nullable=True
            )
        )
        batch_op.add_column(sa.Column("indicator_item", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("indicator_facet", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("target_direction", _enum("up", "down", name="targetdirection"), nullable=True)
        )
        batch_op.add_column(sa.Column("target_value", sa.Double(), nullable=True))
        batch_op.add_column(
            sa.Column("shareable", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        # Filled from the session's date below, then required.
        batch_op.add_column(sa.Column("created_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE outcome SET created_on = "
        "(SELECT meeting.date FROM meeting WHERE meeting.id = outcome.meeting_id)"
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.alter_column("created_on", existing_type=sa.Date(), nullable=False)


def downgrade():
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_column("created_on")
        batch_op.drop_column("shareable")
        batch_op.drop_column("target_value")
        batch_op.drop_column("target_direction")
        batch_op.drop_column("indicator_facet")
        batch_op.drop_column("indicator_item")
        batch_op.drop_column("agreement")
        batch_op.drop_column("due_session")
        batch_op.drop_column("due_on")
        batch_op.drop_column("role")
        batch_op.drop_column("item_ids")

    op.drop_index(op.f("ix_outcome_revision_outcome_id"), table_name="outcome_revision")
    op.drop_table("outcome_revision")
