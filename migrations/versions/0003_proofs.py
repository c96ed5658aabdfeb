"""proofs: proofs of payment, marks on them, and the index of non-payment reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:40:13.748957

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proofs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('amount_minor', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('payout_method', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('note_html', sa.Text(), nullable=False),
    sa.Column('image_name', sa.String(length=64), nullable=False),
    sa.Column('image_width', sa.Integer(), nullable=False),
    sa.Column('image_height', sa.Integer(), nullable=False),
    sa.Column('thumb_name', sa.String(length=64), nullable=False),
    sa.Column('thumb_width', sa.Integer(), nullable=False),
    sa.Column('thumb_height', sa.Integer(), nullable=False),
    sa.Column('is_confirmed', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('genuine_marks', sa.Integer(), nullable=False),
    sa.Column('edited_marks', sa.Integer(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('hidden_reason', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_proofs_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_proofs_confirmed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_proofs_platform_id_platforms')),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_proofs_requester_id_requesters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proofs')),
    sa.UniqueConstraint('author_id', 'submission_key', name=op.f('uq_proofs_author_id_submission_key'))
    )
    with op.batch_alter_table('proofs', schema=None) as batch_op:
        batch_op.create_index('ix_proofs_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_proofs_confirmed_by_id'), ['confirmed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proofs_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proofs_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_proofs_platform_evidence', ['platform_id', 'visibility', 'is_confirmed', 'received_on', 'author_id'], unique=False)
        batch_op.create_index('ix_proofs_platform_totals', ['platform_id', 'visibility', 'currency', 'amount_minor', 'is_confirmed'], unique=False)
        batch_op.create_index('ix_proofs_platform_visible_created', ['platform_id', 'visibility', 'created_at'], unique=False)
        batch_op.create_index('ix_proofs_requester_totals', ['requester_id', 'visibility', 'currency', 'amount_minor', 'is_confirmed'], unique=False)
        batch_op.create_index('ix_proofs_requester_visible_created', ['requester_id', 'visibility', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_proofs_visibility'), ['visibility'], unique=False)
        batch_op.create_index('ix_proofs_visible_created', ['visibility', 'created_at'], unique=False)

    op.create_table('proof_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proof_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['proof_id'], ['proofs.id'], name=op.f('fk_proof_marks_proof_id_proofs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proof_marks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proof_marks')),
    sa.UniqueConstraint('proof_id', 'user_id', name=op.f('uq_proof_marks_proof_id_user_id'))
    )
    with op.batch_alter_table('proof_marks', schema=None) as batch_op:
        batch_op.create_index('ix_proof_marks_proof_verdict', ['proof_id', 'verdict'], unique=False)
        batch_op.create_index(batch_op.f('ix_proof_marks_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_platform_outcome', ['platform_id', 'outcome', 'visibility', 'created_at', 'author_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_platform_outcome')

    with op.batch_alter_table('proof_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proof_marks_user_id'))
        batch_op.drop_index('ix_proof_marks_proof_verdict')

    op.drop_table('proof_marks')
    with op.batch_alter_table('proofs', schema=None) as batch_op:
        batch_op.drop_index('ix_proofs_visible_created')
        batch_op.drop_index(batch_op.f('ix_proofs_confirmed_by_id'))
        batch_op.drop_index(batch_op.f('ix_proofs_visibility'))
        batch_op.drop_index('ix_proofs_requester_visible_created')
        batch_op.drop_index('ix_proofs_requester_totals')
        batch_op.drop_index('ix_proofs_platform_visible_created')
        batch_op.drop_index('ix_proofs_platform_totals')
        batch_op.drop_index('ix_proofs_platform_evidence')
        batch_op.drop_index(batch_op.f('ix_proofs_created_at'))
        batch_op.drop_index(batch_op.f('ix_proofs_author_id'))
        batch_op.drop_index('ix_proofs_author_created')

    op.drop_table('proofs')
