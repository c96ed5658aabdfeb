"""pay_months.hourly_counts: each month's histogram of hourly pays, so a review moves its month
instead of rereading it (months already stored get theirs at their next write)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pay_months', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hourly_counts', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('pay_months', schema=None) as batch_op:
        batch_op.drop_column('hourly_counts')
