"""audit checkpoints sealed with a key outside the database

Revision ID: f2b1afad5dfb
Revises: b7c41d2e9a10
Create Date: 2026-12-02 04:36:38.835035

"""

import sqlalchemy as sa
from alembic import op

import dossier.db

# revision identifiers, used by Alembic.
revision = "f2b1afad5dfb"
down_revision = "b7c41d2e9a10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_checkpoint",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", dossier.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("prev_mac", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_audit_checkpoint")),
    )
    # Append-only, as audit_event (same SQL as create_all).
    from dossier.audit_anchor import POSTGRES_TRIGGERS, SQLITE_TRIGGERS

    dialect = op.get_bind().dialect.name
    for sql in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(dialect, []):
        op.execute(sql)


def downgrade():
    op.drop_table("audit_checkpoint")
