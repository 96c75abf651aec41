"""jobs and job_files: the job queue's state in the database, readable by every worker

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

UNFINISHED = sa.text("state IN ('queued', 'running')")


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=True),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('progress', sa.Float(), nullable=True),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('cancel_requested', sa.Boolean(), nullable=False),
        sa.Column('worker', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_jobs_state_created', 'jobs', ['state', 'created_at'])
    op.create_index('ix_jobs_owner_kind_state', 'jobs', ['owner_id', 'kind', 'state'])
    op.create_index('uq_jobs_unfinished_key', 'jobs', ['key'], unique=True,
                    sqlite_where=UNFINISHED, postgresql_where=UNFINISHED)
    op.create_table(
        'job_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.String(length=32), nullable=False),
        sa.Column('role', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('job_id', 'role', name='uq_job_file_role'),
    )


def downgrade():
    op.drop_table('job_files')
    op.drop_index('uq_jobs_unfinished_key', table_name='jobs')
    op.drop_index('ix_jobs_owner_kind_state', table_name='jobs')
    op.drop_index('ix_jobs_state_created', table_name='jobs')
    op.drop_table('jobs')
