"""users.session_token: cookies carry it, so a new token revokes every old session

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_token', sa.String(length=32), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    conn = op.get_bind()
    # One random token per existing account (cookies from before the upgrade stop working:
    # everyone logs in once more).
    for (user_id,) in conn.execute(sa.select(users.c.id)).all():
        conn.execute(users.update().where(users.c.id == user_id)
                     .values(session_token=secrets.token_urlsafe(16)))
    with op.batch_alter_table('users') as batch:
        batch.alter_column('session_token', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_token')
