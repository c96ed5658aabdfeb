"""review tallies: what each target's figures are computed from, so a write changes them by the
reviews it touches; a target's reviews indexed by date (pages and counted ones), a member's reviews of a
target by member; the content version that says when a kept page went stale; notices of a thread by follower;
what each member says about being paid on each platform (the "Is it legit?" card)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    versions = op.create_table('content_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_versions'))
    )
    op.bulk_insert(versions, [{'id': 1, 'version': 0}])

    op.create_table('review_tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recent_since', sa.DateTime(), nullable=False),
    sa.Column('everything', sa.JSON(), nullable=False),
    sa.Column('recent', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_review_tallies_platform_id_platforms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_review_tallies_requester_id_requesters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_tallies'))
    )
    with op.batch_alter_table('review_tallies', schema=None) as batch_op:
        batch_op.create_index('uq_review_tallies_platform', ['platform_id'], unique=True, sqlite_where=sa.text('platform_id IS NOT NULL'), postgresql_where=sa.text('platform_id IS NOT NULL'))
        batch_op.create_index('uq_review_tallies_requester', ['requester_id'], unique=True, sqlite_where=sa.text('requester_id IS NOT NULL'), postgresql_where=sa.text('requester_id IS NOT NULL'))

    # A review that is not visible never counts: its flag says so from now on (the figures read
    # the flag alone when they move their window of days).
    op.execute("UPDATE reviews SET is_current = false WHERE visibility != 'visible' AND is_current")
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_requester_counted')
        batch_op.drop_index('ix_reviews_requester_visible_created')
        batch_op.drop_index('ix_reviews_platform_target_visible_created')
        batch_op.create_index('ix_reviews_requester_created', ['requester_id', 'created_at'], unique=False)
        batch_op.create_index('ix_reviews_platform_target_created', ['platform_id', 'requester_id', 'created_at'], unique=False)
        batch_op.create_index('ix_reviews_author_target', ['author_id', 'platform_id', 'requester_id', 'visibility', 'created_at'], unique=False)
    op.create_table('payment_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('last_told_at', sa.DateTime(), nullable=True),
    sa.Column('last_never_paid_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_payment_reports_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_payment_reports_platform_id_platforms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_reports')),
    sa.UniqueConstraint('platform_id', 'author_id', name=op.f('uq_payment_reports_platform_id_author_id'))
    )
    with op.batch_alter_table('payment_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_reports_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_payment_reports_platform_never_paid', ['platform_id', 'last_never_paid_at'], unique=False)
        batch_op.create_index('ix_payment_reports_platform_told', ['platform_id', 'last_told_at'], unique=False)
    op.execute(
        "INSERT INTO payment_reports (platform_id, author_id, last_told_at, last_never_paid_at) "
        "SELECT platform_id, author_id, MAX(created_at), "
        "MAX(CASE WHEN outcome = 'never_paid' THEN created_at END) FROM reviews "
        "WHERE visibility = 'visible' AND author_id IS NOT NULL "
        "AND outcome IN ('approved', 'never_paid') GROUP BY platform_id, author_id"
    )

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_thread_id')
        batch_op.create_index('ix_notifications_thread_user_unread', ['thread_id', 'user_id', 'read_at'], unique=False)


def downgrade():
    op.drop_table('payment_reports')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_thread_user_unread')
        batch_op.create_index('ix_notifications_thread_id', ['thread_id'], unique=False)

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_author_target')
        batch_op.drop_index('ix_reviews_platform_target_created')
        batch_op.drop_index('ix_reviews_requester_created')
        batch_op.create_index('ix_reviews_platform_target_visible_created', ['platform_id', 'requester_id', 'visibility', 'created_at'], unique=False)
        batch_op.create_index('ix_reviews_requester_visible_created', ['requester_id', 'visibility', 'created_at'], unique=False)
        batch_op.create_index('ix_reviews_requester_counted', ['requester_id', 'is_current', 'visibility'], unique=False)

    with op.batch_alter_table('review_tallies', schema=None) as batch_op:
        batch_op.drop_index('uq_review_tallies_requester', sqlite_where=sa.text('requester_id IS NOT NULL'), postgresql_where=sa.text('requester_id IS NOT NULL'))
        batch_op.drop_index('uq_review_tallies_platform', sqlite_where=sa.text('platform_id IS NOT NULL'), postgresql_where=sa.text('platform_id IS NOT NULL'))

    op.drop_table('review_tallies')
    op.drop_table('content_versions')
