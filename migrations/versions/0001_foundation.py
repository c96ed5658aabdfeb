"""foundation: accounts, catalog, reviews

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 16:28:34.086214

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttles',
    sa.Column('username_key', sa.String(length=32), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('username_key', name=op.f('pk_login_throttles'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=32), nullable=False),
    sa.Column('username_key', sa.String(length=32), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('anonymous_by_default', sa.Boolean(), nullable=False),
    sa.Column('contribution_count', sa.Integer(), nullable=False),
    sa.Column('last_sanction_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('session_token', name=op.f('uq_users_session_token')),
    sa.UniqueConstraint('username_key', name=op.f('uq_users_username_key'))
    )
    op.create_table('platforms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('payout_methods', sa.JSON(), nullable=False),
    sa.Column('min_payout_minor', sa.Integer(), nullable=True),
    sa.Column('min_payout_currency', sa.String(length=3), nullable=True),
    sa.Column('code_of_conduct', sa.Boolean(), nullable=False),
    sa.Column('code_of_conduct_source', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('terms_rejection_without_pay', sa.String(length=8), nullable=False),
    sa.Column('terms_change_without_notice', sa.String(length=8), nullable=False),
    sa.Column('terms_contact_allowed', sa.String(length=8), nullable=False),
    sa.Column('terms_source', sa.String(length=300), nullable=True),
    sa.Column('founded', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reviewer_count', sa.Integer(), nullable=False),
    sa.Column('ranking_score', sa.Double(), nullable=True),
    sa.Column('avg_pay', sa.Double(), nullable=True),
    sa.Column('avg_fairness', sa.Double(), nullable=True),
    sa.Column('avg_communication', sa.Double(), nullable=True),
    sa.Column('median_hourly_usd_cents', sa.Integer(), nullable=True),
    sa.Column('last_review_at', sa.DateTime(), nullable=True),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_platforms_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platforms')),
    sa.UniqueConstraint('slug', name=op.f('uq_platforms_slug'))
    )
    with op.batch_alter_table('platforms', schema=None) as batch_op:
        batch_op.create_index('ix_platforms_last_review_at', ['last_review_at'], unique=False)
        batch_op.create_index('ix_platforms_median_hourly', ['median_hourly_usd_cents'], unique=False)
        batch_op.create_index(batch_op.f('ix_platforms_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_platforms_name_key'), ['name_key'], unique=False)
        batch_op.create_index('ix_platforms_ranking', ['ranking_score'], unique=False)
        batch_op.create_index('ix_platforms_reviewer_count', ['reviewer_count'], unique=False)

    op.create_table('requesters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('reviewer_count', sa.Integer(), nullable=False),
    sa.Column('ranking_score', sa.Double(), nullable=True),
    sa.Column('avg_pay', sa.Double(), nullable=True),
    sa.Column('avg_fairness', sa.Double(), nullable=True),
    sa.Column('avg_communication', sa.Double(), nullable=True),
    sa.Column('median_hourly_usd_cents', sa.Integer(), nullable=True),
    sa.Column('last_review_at', sa.DateTime(), nullable=True),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_requesters_platform_id_platforms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requesters'))
    )
    with op.batch_alter_table('requesters', schema=None) as batch_op:
        batch_op.create_index('ix_requesters_external_id', ['external_id'], unique=False)
        batch_op.create_index('ix_requesters_last_review_at', ['last_review_at'], unique=False)
        batch_op.create_index('ix_requesters_median_hourly', ['median_hourly_usd_cents'], unique=False)
        batch_op.create_index('ix_requesters_name_key', ['name_key'], unique=False)
        batch_op.create_index('ix_requesters_platform_last_review_at', ['platform_id', 'last_review_at'], unique=False)
        batch_op.create_index('ix_requesters_platform_median_hourly', ['platform_id', 'median_hourly_usd_cents'], unique=False)
        batch_op.create_index('ix_requesters_platform_ranking', ['platform_id', 'ranking_score'], unique=False)
        batch_op.create_index('ix_requesters_platform_reviewer_count', ['platform_id', 'reviewer_count'], unique=False)
        batch_op.create_index('ix_requesters_ranking', ['ranking_score'], unique=False)
        batch_op.create_index('ix_requesters_reviewer_count', ['reviewer_count'], unique=False)
        batch_op.create_index('uq_requesters_platform_external', ['platform_id', 'external_id'], unique=True, sqlite_where=sa.text('external_id IS NOT NULL'), postgresql_where=sa.text('external_id IS NOT NULL'))
        batch_op.create_index('uq_requesters_platform_name', ['platform_id', 'name_key'], unique=True, sqlite_where=sa.text('external_id IS NULL'), postgresql_where=sa.text('external_id IS NULL'))

    op.create_table('requester_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_requester_aliases_requester_id_requesters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requester_aliases'))
    )
    with op.batch_alter_table('requester_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requester_aliases_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_requester_aliases_requester_id'), ['requester_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('score_pay', sa.SmallInteger(), nullable=False),
    sa.Column('score_fairness', sa.SmallInteger(), nullable=False),
    sa.Column('score_communication', sa.SmallInteger(), nullable=False),
    sa.Column('task_title', sa.String(length=200), nullable=True),
    sa.Column('reward_minor', sa.Integer(), nullable=True),
    sa.Column('bonus_minor', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('hourly_minor', sa.Integer(), nullable=True),
    sa.Column('hourly_usd_cents', sa.Integer(), nullable=True),
    sa.Column('days_to_paid', sa.Integer(), nullable=True),
    sa.Column('estimate_honest', sa.Boolean(), nullable=True),
    sa.Column('would_work_again', sa.Boolean(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('reviewer_country', sa.String(length=2), nullable=True),
    sa.Column('below_minimum_wage', sa.Boolean(), nullable=True),
    sa.Column('submission_key', sa.String(length=64), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('hidden_reason', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_reviews_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_reviews_platform_id_platforms')),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_reviews_requester_id_requesters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('author_id', 'submission_key', name=op.f('uq_reviews_author_id_submission_key'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_reviews_author_outcome', ['author_id', 'outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_reviews_platform_target_visible_created', ['platform_id', 'requester_id', 'visibility', 'created_at'], unique=False)
        batch_op.create_index('ix_reviews_requester_counted', ['requester_id', 'is_current', 'visibility'], unique=False)
        batch_op.create_index('ix_reviews_requester_visible_created', ['requester_id', 'visibility', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_visibility'), ['visibility'], unique=False)
        batch_op.create_index('ix_reviews_visible_created', ['visibility', 'created_at'], unique=False)

    op.create_table('review_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_review_revisions_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_revisions_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_revisions'))
    )
    with op.batch_alter_table('review_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_revisions_review_id'), ['review_id'], unique=False)



def downgrade():
    with op.batch_alter_table('review_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_revisions_review_id'))

    op.drop_table('review_revisions')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_visible_created')
        batch_op.drop_index(batch_op.f('ix_reviews_visibility'))
        batch_op.drop_index('ix_reviews_requester_visible_created')
        batch_op.drop_index('ix_reviews_requester_counted')
        batch_op.drop_index('ix_reviews_platform_target_visible_created')
        batch_op.drop_index(batch_op.f('ix_reviews_created_at'))
        batch_op.drop_index('ix_reviews_author_outcome')
        batch_op.drop_index(batch_op.f('ix_reviews_author_id'))
        batch_op.drop_index('ix_reviews_author_created')

    op.drop_table('reviews')
    with op.batch_alter_table('requester_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requester_aliases_requester_id'))
        batch_op.drop_index(batch_op.f('ix_requester_aliases_name_key'))

    op.drop_table('requester_aliases')
    with op.batch_alter_table('requesters', schema=None) as batch_op:
        batch_op.drop_index('uq_requesters_platform_name', sqlite_where=sa.text('external_id IS NULL'), postgresql_where=sa.text('external_id IS NULL'))
        batch_op.drop_index('uq_requesters_platform_external', sqlite_where=sa.text('external_id IS NOT NULL'), postgresql_where=sa.text('external_id IS NOT NULL'))
        batch_op.drop_index('ix_requesters_reviewer_count')
        batch_op.drop_index('ix_requesters_ranking')
        batch_op.drop_index('ix_requesters_platform_reviewer_count')
        batch_op.drop_index('ix_requesters_platform_ranking')
        batch_op.drop_index('ix_requesters_platform_median_hourly')
        batch_op.drop_index('ix_requesters_platform_last_review_at')
        batch_op.drop_index('ix_requesters_name_key')
        batch_op.drop_index('ix_requesters_median_hourly')
        batch_op.drop_index('ix_requesters_last_review_at')
        batch_op.drop_index('ix_requesters_external_id')

    op.drop_table('requesters')
    with op.batch_alter_table('platforms', schema=None) as batch_op:
        batch_op.drop_index('ix_platforms_reviewer_count')
        batch_op.drop_index('ix_platforms_ranking')
        batch_op.drop_index(batch_op.f('ix_platforms_name_key'))
        batch_op.drop_index(batch_op.f('ix_platforms_name'))
        batch_op.drop_index('ix_platforms_median_hourly')
        batch_op.drop_index('ix_platforms_last_review_at')

    op.drop_table('platforms')
    op.drop_table('users')
    op.drop_table('login_throttles')
