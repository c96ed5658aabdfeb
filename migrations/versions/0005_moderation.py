"""moderation: reports and their queue, the public log, appeals, disputes, requester representatives
and their replies, elections and moderator terms, versioned rules; sanctions on users, links on
notifications, redirects of merged platforms and requesters

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 17:31:42.844820

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('moderation_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.Column('open_reports', sa.Integer(), nullable=False),
    sa.Column('open_weight', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_queue')),
    sa.UniqueConstraint('kind', 'item_id', name=op.f('uq_moderation_queue_kind_item_id'))
    )
    with op.batch_alter_table('moderation_queue', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_queue_heaviest', ['is_open', 'open_weight', 'opened_at'], unique=False)
        batch_op.create_index('ix_moderation_queue_oldest', ['is_open', 'opened_at'], unique=False)

    op.create_table('rules_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rules_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_rules_versions_version'))
    )
    op.create_table('elections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('term_days', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('voting_started_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('ballot_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_elections_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elections'))
    )
    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.create_index('ix_elections_created', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_elections_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('moderation_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('target_kind', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reason_code', sa.String(length=32), nullable=True),
    sa.Column('rule_number', sa.Integer(), nullable=True),
    sa.Column('rules_version', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('related_action_id', sa.Integer(), nullable=True),
    sa.Column('overturned_at', sa.DateTime(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_moderation_actions_member_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_moderation_actions_moderator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['related_action_id'], ['moderation_actions.id'], name=op.f('fk_moderation_actions_related_action_id_moderation_actions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_actions'))
    )
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_actions_action_created', ['action', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_moderation_actions_action_kind_created', ['action', 'target_kind', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_moderation_actions_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_moderation_actions_kind_created', ['target_kind', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_moderation_actions_member_created', ['member_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_actions_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_actions_moderator_id'), ['moderator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_actions_related_action_id'), ['related_action_id'], unique=False)
        batch_op.create_index('ix_moderation_actions_target', ['target_kind', 'target_id', 'created_at'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_reports_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_item_status', ['kind', 'item_id', 'status', 'created_at'], unique=False)
        batch_op.create_index('ix_reports_reporter_created', ['reporter_id', 'created_at'], unique=False)
        batch_op.create_index('uq_reports_open_per_member', ['reporter_id', 'kind', 'item_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('appellant_id', sa.Integer(), nullable=True),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['moderation_actions.id'], name=op.f('fk_appeals_action_id_moderation_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['appellant_id'], ['users.id'], name=op.f('fk_appeals_appellant_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_appeals_decided_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals')),
    sa.UniqueConstraint('action_id', name=op.f('uq_appeals_action_id'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeals_appellant_id'), ['appellant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeals_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index('ix_appeals_status_created', ['status', 'created_at'], unique=False)

    op.create_table('election_ballots',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_election_ballots_election_id_elections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_election_ballots')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('election_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_election_ballots_election_id'), ['election_id'], unique=False)

    op.create_table('election_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=True),
    sa.Column('elected', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_election_candidates_election_id_elections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_election_candidates_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_election_candidates')),
    sa.UniqueConstraint('election_id', 'user_id', name=op.f('uq_election_candidates_election_id_user_id'))
    )
    with op.batch_alter_table('election_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_election_candidates_user_id'), ['user_id'], unique=False)

    op.create_table('election_voters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_election_voters_election_id_elections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_election_voters_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_election_voters')),
    sa.UniqueConstraint('election_id', 'user_id', name=op.f('uq_election_voters_election_id_user_id'))
    )
    with op.batch_alter_table('election_voters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_election_voters_user_id'), ['user_id'], unique=False)

    op.create_table('moderator_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_moderator_terms_election_id_elections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_moderator_terms_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderator_terms'))
    )
    with op.batch_alter_table('moderator_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderator_terms_election_id'), ['election_id'], unique=False)
        batch_op.create_index('ix_moderator_terms_ended_ends', ['ended_at', 'ends_at'], unique=False)
        batch_op.create_index('ix_moderator_terms_user_ended', ['user_id', 'ended_at'], unique=False)

    op.create_table('platform_redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_slug', sa.String(length=80), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_platform_redirects_platform_id_platforms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_redirects')),
    sa.UniqueConstraint('old_slug', name=op.f('uq_platform_redirects_old_slug'))
    )
    with op.batch_alter_table('platform_redirects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_redirects_platform_id'), ['platform_id'], unique=False)

    op.create_table('representative_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_representative_claims_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_representative_claims_requester_id_requesters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_representative_claims_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_representative_claims'))
    )
    with op.batch_alter_table('representative_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_representative_claims_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index('ix_representative_claims_requester_status', ['requester_id', 'status'], unique=False)
        batch_op.create_index('ix_representative_claims_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index('ix_representative_claims_user_status', ['user_id', 'status'], unique=False)

    op.create_table('requester_redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_requester_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_requester_redirects_platform_id_platforms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_requester_redirects_requester_id_requesters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requester_redirects')),
    sa.UniqueConstraint('old_requester_id', name=op.f('uq_requester_redirects_old_requester_id'))
    )
    with op.batch_alter_table('requester_redirects', schema=None) as batch_op:
        batch_op.create_index('ix_requester_redirects_platform_external', ['platform_id', 'external_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requester_redirects_requester_id'), ['requester_id'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['mediator_id'], ['users.id'], name=op.f('fk_disputes_mediator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_disputes_opened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_disputes_requester_id_requesters')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_disputes_review_id_reviews'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index('ix_disputes_created', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_mediator_id'), ['mediator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_opened_by_id'), ['opened_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_review_id'), ['review_id'], unique=False)
        batch_op.create_index('ix_disputes_status_created', ['status', 'created_at', 'id'], unique=False)

    op.create_table('review_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('hidden_reason', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_replies_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_review_replies_requester_id_requesters')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_replies_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_replies')),
    sa.UniqueConstraint('review_id', name=op.f('uq_review_replies_review_id'))
    )
    with op.batch_alter_table('review_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_replies_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_replies_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_replies_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_replies_visibility'), ['visibility'], unique=False)

    op.create_table('dispute_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('side', sa.String(length=12), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_dispute_statements_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id'], name=op.f('fk_dispute_statements_dispute_id_disputes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_statements'))
    )
    with op.batch_alter_table('dispute_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_statements_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_dispute_statements_dispute_created', ['dispute_id', 'created_at'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('link', sa.String(length=300), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('banned_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('banned_at')
        batch_op.drop_column('suspended_until')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('link')
        batch_op.drop_column('subject')

    with op.batch_alter_table('dispute_statements', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_statements_dispute_created')
        batch_op.drop_index(batch_op.f('ix_dispute_statements_author_id'))

    op.drop_table('dispute_statements')
    with op.batch_alter_table('review_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_replies_visibility'))
        batch_op.drop_index(batch_op.f('ix_review_replies_requester_id'))
        batch_op.drop_index(batch_op.f('ix_review_replies_created_at'))
        batch_op.drop_index(batch_op.f('ix_review_replies_author_id'))

    op.drop_table('review_replies')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index('ix_disputes_status_created')
        batch_op.drop_index(batch_op.f('ix_disputes_review_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_requester_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_opened_by_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_mediator_id'))
        batch_op.drop_index('ix_disputes_created')

    op.drop_table('disputes')
    with op.batch_alter_table('requester_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requester_redirects_requester_id'))
        batch_op.drop_index('ix_requester_redirects_platform_external')

    op.drop_table('requester_redirects')
    with op.batch_alter_table('representative_claims', schema=None) as batch_op:
        batch_op.drop_index('ix_representative_claims_user_status')
        batch_op.drop_index('ix_representative_claims_status_created')
        batch_op.drop_index('ix_representative_claims_requester_status')
        batch_op.drop_index(batch_op.f('ix_representative_claims_decided_by_id'))

    op.drop_table('representative_claims')
    with op.batch_alter_table('platform_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_redirects_platform_id'))

    op.drop_table('platform_redirects')
    with op.batch_alter_table('moderator_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_moderator_terms_user_ended')
        batch_op.drop_index('ix_moderator_terms_ended_ends')
        batch_op.drop_index(batch_op.f('ix_moderator_terms_election_id'))

    op.drop_table('moderator_terms')
    with op.batch_alter_table('election_voters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_election_voters_user_id'))

    op.drop_table('election_voters')
    with op.batch_alter_table('election_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_election_candidates_user_id'))

    op.drop_table('election_candidates')
    with op.batch_alter_table('election_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_election_ballots_election_id'))

    op.drop_table('election_ballots')
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index('ix_appeals_status_created')
        batch_op.drop_index(batch_op.f('ix_appeals_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_appeals_appellant_id'))

    op.drop_table('appeals')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('uq_reports_open_per_member', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_reports_reporter_created')
        batch_op.drop_index('ix_reports_item_status')

    op.drop_table('reports')
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_actions_target')
        batch_op.drop_index(batch_op.f('ix_moderation_actions_related_action_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_actions_moderator_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_actions_member_id'))
        batch_op.drop_index('ix_moderation_actions_member_created')
        batch_op.drop_index('ix_moderation_actions_kind_created')
        batch_op.drop_index('ix_moderation_actions_created')
        batch_op.drop_index('ix_moderation_actions_action_kind_created')
        batch_op.drop_index('ix_moderation_actions_action_created')

    op.drop_table('moderation_actions')
    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elections_created_by_id'))
        batch_op.drop_index('ix_elections_created')

    op.drop_table('elections')
    op.drop_table('rules_versions')
    with op.batch_alter_table('moderation_queue', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_queue_oldest')
        batch_op.drop_index('ix_moderation_queue_heaviest')

    op.drop_table('moderation_queue')
