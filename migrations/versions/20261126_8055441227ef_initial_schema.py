"""initial schema

The whole schema of ``survey/models.py`` in one revision: the earlier history was squashed
before any deployment. Enums are stored as VARCHAR(20) (``native_enum=False``), so PostgreSQL
has no ENUM type to create or drop.

Revision ID: 8055441227ef
Revises:
Create Date: 2026-11-26 02:56:46.175833

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8055441227ef"
down_revision = None
branch_labels = None
depends_on = None


def _enum(*values: str, name: str) -> sa.Enum:
    """A string column limited to ``values`` by the app, as ``models._enum`` declares it."""
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade():
    op.create_table(
        "facilitator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("session_version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilitator")),
        sa.UniqueConstraint("email", name=op.f("uq_facilitator_email")),
    )
    op.create_table(
        "questionnaire_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_version")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_questionnaire_version_content_hash")),
        sa.UniqueConstraint("slug", "version", name=op.f("uq_questionnaire_version_slug_version")),
    )
    op.create_table(
        "practice_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "domain",
            _enum("management", "public_reception", "other", name="domain"),
            nullable=False,
        ),
        sa.Column("anonymity_threshold", sa.Integer(), nullable=False),
        sa.Column("member_cap", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("variant", sa.String(length=40), nullable=True),
        sa.Column("own_lists", sa.JSON(), nullable=True),
        sa.Column("familiar", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("anonymity_threshold >= 3", name=op.f("ck_practice_group_k_floor")),
        sa.CheckConstraint(
            "member_cap >= anonymity_threshold", name=op.f("ck_practice_group_cap_above_k")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["facilitator.id"], name=op.f("fk_practice_group_owner_id_facilitator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_group")),
    )
    op.create_table(
        "cofacilitator_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("inviter_id", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["practice_group.id"],
            ondelete="CASCADE",
            name=op.f("fk_cofacilitator_invitation_group_id_practice_group"),
        ),
        sa.ForeignKeyConstraint(
            ["inviter_id"],
            ["facilitator.id"],
            ondelete="CASCADE",
            name=op.f("fk_cofacilitator_invitation_inviter_id_facilitator"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cofacilitator_invitation")),
        sa.UniqueConstraint(
            "group_id", "email", name=op.f("uq_cofacilitator_invitation_group_id_email")
        ),
    )
    op.create_index(
        op.f("ix_cofacilitator_invitation_email"), "cofacilitator_invitation", ["email"]
    )
    op.create_table(
        "establishment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["practice_group.id"],
            ondelete="CASCADE",
            name=op.f("fk_establishment_group_id_practice_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_establishment")),
        sa.UniqueConstraint("group_id", "name", name=op.f("uq_establishment_group_id_name")),
    )
    op.create_table(
        "group_facilitator",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["facilitator.id"],
            ondelete="CASCADE",
            name=op.f("fk_group_facilitator_facilitator_id_facilitator"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["practice_group.id"],
            ondelete="CASCADE",
            name=op.f("fk_group_facilitator_group_id_practice_group"),
        ),
        sa.PrimaryKeyConstraint("group_id", "facilitator_id", name=op.f("pk_group_facilitator")),
    )
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", _enum("draft", "open", "closed", name="meetingstatus"), nullable=False),
        sa.Column("join_code", sa.String(length=12), nullable=True),
        sa.Column("join_token", sa.String(length=64), nullable=True),
        sa.Column("invitation_only", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "questionnaire_slug", sa.String(length=40), server_default="standard", nullable=False
        ),
        sa.Column("modules", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["practice_group.id"],
            ondelete="CASCADE",
            name=op.f("fk_meeting_group_id_practice_group"),
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_meeting_questionnaire_version_id_questionnaire_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("join_code", name=op.f("uq_meeting_join_code")),
        sa.UniqueConstraint("join_token", name=op.f("uq_meeting_join_token")),
    )
    op.create_index(op.f("ix_meeting_group_id"), "meeting", ["group_id"])
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            ondelete="CASCADE",
            name=op.f("fk_invitation_meeting_id_meeting"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    op.create_index(op.f("ix_invitation_meeting_id"), "invitation", ["meeting_id"])
    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum("recurrence", "priority", "indicator", "solution", "action", name="outcomekind"),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", _enum("open", "held", "dropped", name="outcomestatus"), nullable=False),
        sa.Column("reviewed_in_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            ondelete="CASCADE",
            name=op.f("fk_outcome_meeting_id_meeting"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_in_id"],
            ["meeting.id"],
            ondelete="SET NULL",
            name=op.f("fk_outcome_reviewed_in_id_meeting"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome")),
    )
    op.create_index(op.f("ix_outcome_meeting_id"), "outcome", ["meeting_id"])
    # Responses: random id, no date; answers: no id of their own (storage without order).
    op.create_table(
        "response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("respondent_key", sa.String(length=64), nullable=True),
        sa.Column("publication", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            ondelete="RESTRICT",
            name=op.f("fk_response_establishment_id_establishment"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            ondelete="CASCADE",
            name=op.f("fk_response_meeting_id_meeting"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response")),
    )
    op.create_index(op.f("ix_response_meeting_id"), "response", ["meeting_id"])
    op.create_index(op.f("ix_response_respondent_key"), "response", ["respondent_key"])
    op.create_table(
        "submission",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            ondelete="CASCADE",
            name=op.f("fk_submission_meeting_id_meeting"),
        ),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_submission")),
    )
    op.create_index(op.f("ix_submission_meeting_id"), "submission", ["meeting_id"])
    op.create_table(
        "answer",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=False),
        sa.Column("facet", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            ondelete="CASCADE",
            name=op.f("fk_answer_response_id_response"),
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", "facet", name=op.f("pk_answer")),
    )
    op.create_table(
        "draft",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("resume_digest", sa.String(length=64), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("saved_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitation.id"],
            ondelete="CASCADE",
            name=op.f("fk_draft_invitation_id_invitation"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            ondelete="CASCADE",
            name=op.f("fk_draft_meeting_id_meeting"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
        sa.UniqueConstraint("resume_digest", name=op.f("uq_draft_resume_digest")),
    )
    op.create_index(op.f("ix_draft_meeting_id"), "draft", ["meeting_id"])


def downgrade():
    # Children before parents; a table's indexes go with it.
    for table in (
        "draft",
        "answer",
        "submission",
        "response",
        "outcome",
        "invitation",
        "meeting",
        "group_facilitator",
        "establishment",
        "cofacilitator_invitation",
        "practice_group",
        "questionnaire_version",
        "facilitator",
    ):
        op.drop_table(table)
