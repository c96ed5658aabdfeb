"""forum, notifications, search outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:48:22.239281

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_key', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox')),
    sqlite_autoincrement=True,
    )
    op.create_table('forum_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('thread_count', sa.Integer(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('last_post_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_forum_categories_platform_id_platforms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_categories')),
    sa.UniqueConstraint('platform_id', name=op.f('uq_forum_categories_platform_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_forum_categories_slug'))
    )
    op.create_table('threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('last_post_at', sa.DateTime(), nullable=False),
    sa.Column('last_author_id', sa.Integer(), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('hidden_reason', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_threads_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category_id'], ['forum_categories.id'], name=op.f('fk_threads_category_id_forum_categories')),
    sa.ForeignKeyConstraint(['last_author_id'], ['users.id'], name=op.f('fk_threads_last_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_threads_platform_id_platforms')),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_threads_requester_id_requesters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_threads'))
    )
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_threads_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_threads_category_listing', ['category_id', 'visibility', 'pinned', 'last_post_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_last_author_id'), ['last_author_id'], unique=False)
        batch_op.create_index('ix_threads_platform_listing', ['platform_id', 'visibility', 'last_post_at'], unique=False)
        batch_op.create_index('ix_threads_requester_listing', ['requester_id', 'visibility', 'last_post_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_visibility'), ['visibility'], unique=False)
        batch_op.create_index('ix_threads_visible_last_post', ['visibility', 'last_post_at'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reply_to_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('hidden_reason', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_posts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reply_to_id'], ['posts.id'], name=op.f('fk_posts_reply_to_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_posts_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts')),
    sa.UniqueConstraint('thread_id', 'number', name=op.f('uq_posts_thread_id_number'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_reply_to_id'), ['reply_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_visibility'), ['visibility'], unique=False)

    op.create_table('thread_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('last_read_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_subscriptions_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_thread_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_subscriptions')),
    sa.UniqueConstraint('user_id', 'thread_id', name=op.f('uq_thread_subscriptions_user_id_thread_id'))
    )
    with op.batch_alter_table('thread_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_subscriptions_thread_id'), ['thread_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_notifications_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_notifications_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_thread_id'), ['thread_id'], unique=False)
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at', 'created_at'], unique=False)

    op.create_table('post_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_post_revisions_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_revisions_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_revisions'))
    )
    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_revisions_editor_id'), ['editor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_revisions_post_id'), ['post_id'], unique=False)

    with op.batch_alter_table('platforms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platforms_created_by_id'), ['created_by_id'], unique=False)

    with op.batch_alter_table('review_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_revisions_editor_id'), ['editor_id'], unique=False)

    categories = sa.table(
        "forum_categories",
        sa.column("slug", sa.String), sa.column("position", sa.Integer), sa.column("thread_count", sa.Integer),
        sa.column("post_count", sa.Integer),
    )
    general = ["announcements", "newcomers", "pay-and-rights", "disputes", "off-topic"]
    op.bulk_insert(categories, [
        {"slug": slug, "position": position, "thread_count": 0, "post_count": 0}
        for position, slug in enumerate(general)
    ])


def downgrade():
    with op.batch_alter_table('review_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_revisions_editor_id'))

    with op.batch_alter_table('platforms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platforms_created_by_id'))

    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_revisions_post_id'))
        batch_op.drop_index(batch_op.f('ix_post_revisions_editor_id'))

    op.drop_table('post_revisions')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_unread')
        batch_op.drop_index('ix_notifications_user_created')
        batch_op.drop_index(batch_op.f('ix_notifications_thread_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_post_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_actor_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('thread_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_subscriptions_thread_id'))

    op.drop_table('thread_subscriptions')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_visibility'))
        batch_op.drop_index(batch_op.f('ix_posts_reply_to_id'))
        batch_op.drop_index(batch_op.f('ix_posts_created_at'))
        batch_op.drop_index(batch_op.f('ix_posts_author_id'))
        batch_op.drop_index('ix_posts_author_created')

    op.drop_table('posts')
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_visible_last_post')
        batch_op.drop_index(batch_op.f('ix_threads_visibility'))
        batch_op.drop_index('ix_threads_requester_listing')
        batch_op.drop_index('ix_threads_platform_listing')
        batch_op.drop_index(batch_op.f('ix_threads_last_author_id'))
        batch_op.drop_index(batch_op.f('ix_threads_created_at'))
        batch_op.drop_index('ix_threads_category_listing')
        batch_op.drop_index(batch_op.f('ix_threads_author_id'))

    op.drop_table('threads')
    op.drop_table('forum_categories')
    op.drop_table('search_outbox')
