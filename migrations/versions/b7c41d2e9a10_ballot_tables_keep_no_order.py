"""ballot tables keep no order: no rowid on SQLite, no sampled ballots in PostgreSQL stats

Revision ID: b7c41d2e9a10
Revises: d2a0f6896895
Create Date: 2026-12-02 04:30:00.000000

SQLite gives every ordinary table a rowid that counts up in insertion order; receipts and
sealed ballots written together would pair up by it. The two tables are rebuilt WITHOUT
ROWID (rows stored in key order), keeping any ballots of a vote still open.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b7c41d2e9a10"
down_revision = "d2a0f6896895"
branch_labels = None
depends_on = None

TABLES = ("council_ballot_receipt", "council_sealed_ballot")


def _rebuild(with_rowid: bool) -> None:
    for name in TABLES:
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
        ):
            pass


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(with_rowid=False)
    else:
        op.execute("ALTER TABLE council_sealed_ballot ALTER COLUMN sealed SET STATISTICS 0")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(with_rowid=True)
    else:
        op.execute("ALTER TABLE council_sealed_ballot ALTER COLUMN sealed SET STATISTICS -1")
