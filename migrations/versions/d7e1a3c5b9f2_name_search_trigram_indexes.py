"""Name search by trigram index on PostgreSQL (issue 17): pg_trgm and two GIN indexes on the
folded names of the award history and of the nominees; nothing on SQLite

Revision ID: d7e1a3c5b9f2
Revises: b4d8f2a6c913
Create Date: 2026-12-02 17:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "d7e1a3c5b9f2"
down_revision = "b4d8f2a6c913"
branch_labels = None
depends_on = None

INDEXES = (("ix_award_record_name_trgm", "award_record"), ("ix_nominee_name_trgm", "nominee"))


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # A trusted extension (PostgreSQL 13+): the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        op.create_index(
            name,
            table,
            ["name_folded"],
            postgresql_using="gin",
            postgresql_ops={"name_folded": "gin_trgm_ops"},
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table in INDEXES:
        op.drop_index(name, table_name=table)
