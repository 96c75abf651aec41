"""Matching pairs, ordering items, partial credit, per-answer feedback and the teacher's
name for a question (Moodle's <name>); the score (share of the mark) of each review and quiz answer

Revision ID: 0005
Revises: 0004

Existing reviews and quiz answers were all or nothing: their score is 1 when right and 0
when wrong, so statistics over old and new answers agree.
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        for name in ('pairs', 'items', 'credit', 'feedback'):
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('name', sa.String(length=255), nullable=True))
    for table in ('review_logs', 'quiz_answers'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('score', sa.Float(), nullable=True))
        t = sa.table(table, sa.column('correct', sa.Boolean), sa.column('score', sa.Float))
        op.get_bind().execute(t.update().where(t.c.correct.is_not(None)).values(
            score=sa.case((t.c.correct, 1.0), else_=0.0)))


def downgrade():
    for table in ('quiz_answers', 'review_logs'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('score')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('name')
        for name in ('feedback', 'credit', 'items', 'pairs'):
            batch_op.drop_column(name)
