"""answers without ids, responses without dates

Storage without order (DESIGN.md §6, rule 6): an answer's autoincrement id numbered answers in
the order people submitted, and a response's date ordered them across days. Both go, and closed
sessions are rewritten as closing now does: drafts deleted, rows inserted again in random order,
responses with new random ids.

Revision ID: eacbc1b5fc5c
Revises: 1a655ea30586
Create Date: 2026-11-25 23:43:54.627926

"""
import secrets
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'eacbc1b5fc5c'
down_revision = '1a655ea30586'
branch_labels = None
depends_on = None

# The tables as this revision leaves them (a migration never imports the app's models).
meeting = sa.table("meeting", sa.column("id"), sa.column("status"))
draft = sa.table("draft", sa.column("meeting_id"))
response = sa.table(
    "response",
    sa.column("id", sa.Uuid()),
    sa.column("meeting_id"),
    sa.column("establishment_id"),
    sa.column("role"),
    sa.column("respondent_key"),
    sa.column("publication"),
)
answer = sa.table(
    "answer",
    sa.column("response_id", sa.Uuid()),
    sa.column("item_id"),
    sa.column("facet"),
    sa.column("value"),
    sa.column("text"),
)
submission = sa.table("submission", sa.column("digest"), sa.column("meeting_id"))
invitation = sa.table(
    "invitation",
    sa.column("id"),
    sa.column("meeting_id"),
    sa.column("token_hash"),
    sa.column("used"),
)
BATCH = 500


def upgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_response_id'))
        batch_op.drop_constraint(batch_op.f('uq_answer_response_id_item_id_facet'), type_='unique')
        batch_op.drop_constraint(batch_op.f('pk_answer'), type_='primary')
        batch_op.drop_column('id')
        batch_op.create_primary_key(batch_op.f('pk_answer'), ['response_id', 'item_id', 'facet'])

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('submitted_on')

    bind = op.get_bind()
    closed = bind.execute(sa.select(meeting.c.id).where(meeting.c.status == "closed")).scalars()
    for meeting_id in list(closed):
        _forget_order(bind, meeting_id)


def _forget_order(bind, meeting_id):
    """What closing a session now does (``services.forget_order``), frozen here."""
    rng = secrets.SystemRandom()
    of_session = sa.select(response.c.id).where(response.c.meeting_id == meeting_id)
    tables = [
        (invitation, invitation.c.meeting_id == meeting_id),
        (submission, submission.c.meeting_id == meeting_id),
        (response, response.c.meeting_id == meeting_id),
        (answer, answer.c.response_id.in_(of_session)),
    ]
    rows = {t.name: [dict(r) for r in bind.execute(sa.select(t).where(w)).mappings()] for t, w in tables}
    bind.execute(sa.delete(draft).where(draft.c.meeting_id == meeting_id))
    for table, where in reversed(tables):
        bind.execute(sa.delete(table).where(where))
    new_id = {row["id"]: uuid.uuid4() for row in rows["response"]}
    for row in rows["response"]:
        row["id"] = new_id[row["id"]]
    for row in rows["answer"]:
        row["response_id"] = new_id[row["response_id"]]
    for table, _ in tables:
        rng.shuffle(rows[table.name])
        for start in range(0, len(rows[table.name]), BATCH):
            bind.execute(sa.insert(table).values(rows[table.name][start : start + BATCH]))


def downgrade():
    # The day of submission is gone: the session's date stands for it.
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_on', sa.DATE(), nullable=True))
    op.execute(
        "UPDATE response SET submitted_on = "
        "(SELECT meeting.date FROM meeting WHERE meeting.id = response.meeting_id)"
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.alter_column('submitted_on', existing_type=sa.DATE(), nullable=False)

    # Answers are numbered again, in their current (random) order.
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint('pk_answer', 'answer', type_='primary')
        op.execute("ALTER TABLE answer ADD COLUMN id SERIAL NOT NULL")
        op.create_primary_key('pk_answer', 'answer', ['id'])
    else:
        # SQLite numbers the copied rows: "id INTEGER" as the primary key is the rowid.
        with op.batch_alter_table('answer', schema=None, recreate='always') as batch_op:
            batch_op.drop_constraint(batch_op.f('pk_answer'), type_='primary')
            batch_op.add_column(
                sa.Column('id', sa.INTEGER(), nullable=False), insert_before='response_id'
            )
            batch_op.create_primary_key(batch_op.f('pk_answer'), ['id'])

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_answer_response_id_item_id_facet'), ['response_id', 'item_id', 'facet'])
        batch_op.create_index(batch_op.f('ix_answer_response_id'), ['response_id'], unique=False)
