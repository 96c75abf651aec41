"""users.instructor_requested_at: instructor accounts wait for an administrator's approval

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('instructor_requested_at', sa.DateTime(timezone=True),
                                   nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('instructor_requested_at')
