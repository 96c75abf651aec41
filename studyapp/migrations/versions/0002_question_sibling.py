"""questions.sibling: the fact group, filled for existing rows from their explanation

Revision ID: 0002
Revises: 0001

Before this column, questions made from the same sentence were recognised by comparing
their explanation texts; existing rows get the group that rule implies.
"""
from alembic import op
import sqlalchemy as sa

from studyapp.question import sibling_from_explanation

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sibling', sa.String(length=80), nullable=True))
        batch_op.create_index('ix_questions_set_sibling', ['set_id', 'sibling'], unique=False)
    questions = sa.table('questions', sa.column('explanation', sa.Text),
                         sa.column('sibling', sa.String))
    conn = op.get_bind()
    texts = conn.execute(sa.select(questions.c.explanation).distinct()
                         .where(questions.c.explanation != '')).scalars().all()
    for text in texts:
        conn.execute(questions.update().where(questions.c.explanation == text)
                     .values(sibling=sibling_from_explanation(text)))


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('ix_questions_set_sibling')
        batch_op.drop_column('sibling')
