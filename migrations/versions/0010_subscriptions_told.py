"""thread_subscriptions.told: an unread notice of new posts waits for the follower, so a new
post tells only the followers not told yet instead of looking for a notice of each follower

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('thread_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('told', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_thread_subscriptions_thread_told', ['thread_id', 'told'], unique=False)
    subscriptions = sa.table(
        'thread_subscriptions',
        sa.column('user_id', sa.Integer),
        sa.column('thread_id', sa.Integer),
        sa.column('told', sa.Boolean),
    )
    notifications = sa.table(
        'notifications',
        sa.column('user_id', sa.Integer),
        sa.column('thread_id', sa.Integer),
        sa.column('kind', sa.String),
        sa.column('read_at', sa.DateTime),
    )
    waiting = (
        sa.select(sa.literal(1))
        .where(
            notifications.c.user_id == subscriptions.c.user_id,
            notifications.c.thread_id == subscriptions.c.thread_id,
            notifications.c.kind == 'reply',
            notifications.c.read_at.is_(None),
        )
        .exists()
    )
    op.execute(subscriptions.update().where(waiting).values(told=True))


def downgrade():
    with op.batch_alter_table('thread_subscriptions', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_subscriptions_thread_told')
        batch_op.drop_column('told')
