"""flags: task flags, "I saw this too", decisions, and the warning counts of platforms and requesters

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 17:02:37.651946

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('task_title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('excerpt', sa.String(length=300), nullable=False),
    sa.Column('seen_on', sa.Date(), nullable=False),
    sa.Column('disturbing', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('seen_too_count', sa.Integer(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('hidden_reason', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_flags_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_flags_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_flags_platform_id_platforms')),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_flags_requester_id_requesters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('author_id', 'submission_key', name=op.f('uq_flags_author_id_submission_key'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_flags_category_visible_created', ['category', 'visibility', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index('ix_flags_platform_evidence', ['platform_id', 'category', 'status', 'visibility'], unique=False)
        batch_op.create_index('ix_flags_platform_status_visible_decided', ['platform_id', 'status', 'visibility', 'decided_at'], unique=False)
        batch_op.create_index('ix_flags_platform_visible_created', ['platform_id', 'visibility', 'created_at'], unique=False)
        batch_op.create_index('ix_flags_requester_status_visible_decided', ['requester_id', 'status', 'visibility', 'decided_at'], unique=False)
        batch_op.create_index('ix_flags_requester_visible_created', ['requester_id', 'visibility', 'created_at'], unique=False)
        batch_op.create_index('ix_flags_status_visible_decided', ['status', 'visibility', 'decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_visibility'), ['visibility'], unique=False)
        batch_op.create_index('ix_flags_visible_created', ['visibility', 'created_at'], unique=False)

    op.create_table('flag_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_flag_decisions_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_flag_decisions_flag_id_flags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_decisions'))
    )
    with op.batch_alter_table('flag_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_decisions_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_flag_decisions_flag_created', ['flag_id', 'created_at'], unique=False)

    op.create_table('flag_seen_too',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_flag_seen_too_flag_id_flags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flag_seen_too_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_seen_too')),
    sa.UniqueConstraint('flag_id', 'user_id', name=op.f('uq_flag_seen_too_flag_id_user_id'))
    )
    with op.batch_alter_table('flag_seen_too', schema=None) as batch_op:
        batch_op.create_index('ix_flag_seen_too_flag_created', ['flag_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flag_seen_too_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('platforms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warning_count', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('requesters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warning_count', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('requesters', schema=None) as batch_op:
        batch_op.drop_column('warning_count')

    with op.batch_alter_table('platforms', schema=None) as batch_op:
        batch_op.drop_column('warning_count')

    with op.batch_alter_table('flag_seen_too', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_seen_too_user_id'))
        batch_op.drop_index('ix_flag_seen_too_flag_created')

    op.drop_table('flag_seen_too')
    with op.batch_alter_table('flag_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_flag_decisions_flag_created')
        batch_op.drop_index(batch_op.f('ix_flag_decisions_actor_id'))

    op.drop_table('flag_decisions')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_visible_created')
        batch_op.drop_index(batch_op.f('ix_flags_visibility'))
        batch_op.drop_index('ix_flags_status_visible_decided')
        batch_op.drop_index('ix_flags_requester_visible_created')
        batch_op.drop_index('ix_flags_requester_status_visible_decided')
        batch_op.drop_index('ix_flags_platform_visible_created')
        batch_op.drop_index('ix_flags_platform_status_visible_decided')
        batch_op.drop_index('ix_flags_platform_evidence')
        batch_op.drop_index(batch_op.f('ix_flags_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_flags_created_at'))
        batch_op.drop_index('ix_flags_category_visible_created')
        batch_op.drop_index(batch_op.f('ix_flags_author_id'))
        batch_op.drop_index('ix_flags_author_created')

    op.drop_table('flags')
