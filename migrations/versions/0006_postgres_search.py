"""PostgreSQL full-text search: the documents and words of the PostgreSQL search backend

On PostgreSQL only. These tables are the PostgreSQL backend's index (what the Whoosh backend keeps
in its folder), not models of the app: the backend reads and writes them itself, and a deployment
that uses Whoosh simply leaves them empty. SQLite has no tsvector, GIN, unaccent or pg_trgm, and
an SQLite deployment searches with Whoosh, so on SQLite this migration does nothing (moving to
PostgreSQL search means moving the database to PostgreSQL first, then `flask search rebuild`).

Every document is analysed twice, in English and in French (the site does not know the language
of a post), accents folded by `unaccent` before stemming. The four parts carry four weights so a
phrase is matched inside one part only, never across the title and the body or across languages:
A English title, B French title, C English body, D French body.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:12:05.301544

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

CONFIGURATIONS = {"taskopticon_en": "english", "taskopticon_fr": "french"}
DOCUMENT = (
    "setweight(to_tsvector('taskopticon_en'::regconfig, title), 'A') || "
    "setweight(to_tsvector('taskopticon_fr'::regconfig, title), 'B') || "
    "setweight(to_tsvector('taskopticon_en'::regconfig, body), 'C') || "
    "setweight(to_tsvector('taskopticon_fr'::regconfig, body), 'D')"
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # Both extensions are "trusted": the owner of the database may create them.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, language in CONFIGURATIONS.items():
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{language})")
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR word, hword, hword_part "
            f"WITH unaccent, {language}_stem"
        )
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            "ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, simple"
        )
    op.create_table('search_documents',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('ref', postgresql.JSONB(), nullable=False),
    sa.Column('document', postgresql.TSVECTOR(), sa.Computed(DOCUMENT, persisted=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_search_documents')),
    )
    op.create_index('ix_search_documents_document', 'search_documents', ['document'], postgresql_using='gin')
    # "Newest" order, and the candidates of a common word, are read backwards along these.
    op.create_index('ix_search_documents_created_at', 'search_documents', ['created_at'])
    op.create_index('ix_search_documents_kind_created_at', 'search_documents', ['kind', 'created_at'])
    op.create_index('ix_search_documents_platform_id_created_at', 'search_documents', ['platform_id', 'created_at'])
    # The planner's estimate of how many documents hold a word comes from these statistics: ten
    # times the default sample keeps the 10,000 most common lexemes instead of 1,000.
    op.execute("ALTER TABLE search_documents ALTER COLUMN document SET STATISTICS 1000")

    # Every word seen (accents folded), for "did you mean" by trigram similarity.
    op.create_table('search_words',
    sa.Column('word', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words')),
    )
    op.create_index('ix_search_words_word_trgm', 'search_words', ['word'], postgresql_using='gist', postgresql_ops={'word': 'gist_trgm_ops'})


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table('search_words')
    op.drop_table('search_documents')
    for name in CONFIGURATIONS:
        op.execute(f"DROP TEXT SEARCH CONFIGURATION {name}")
    # The extensions stay: other objects of the database may use them.
