"""API tokens (hashed, scoped, expiring), the staff's "người lao động trực tiếp" flag, the
yearly statistics report's wording as data

Revision ID: a7e3c9d1f5b2
Revises: e1a7c3f90b26
Create Date: 2026-12-02 11:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import dossier.db

# revision identifiers, used by Alembic.
revision = "a7e3c9d1f5b2"
down_revision = "e1a7c3f90b26"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("scopes", sa.String(length=20), nullable=False),
        sa.Column("created_at", dossier.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", dossier.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", dossier.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", dossier.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scopes IN ('read', 'read write')", name=op.f("ck_api_token_scopes")),
        sa.CheckConstraint("expires_at > created_at", name=op.f("ck_api_token_expiry")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_revoked_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "stats_report_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("level_titles", sa.Text(), nullable=False),
        sa.Column("column_titles", sa.Text(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_report_setting")),
    )

    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("direct_worker", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    op.drop_table("stats_report_setting")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("direct_worker")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))
    op.drop_table("api_token")
