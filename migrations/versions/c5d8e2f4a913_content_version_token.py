"""The content version: one row whose random token every committed write replaces, read by
the app servers to keep the intake checks' findings between requests (issue 17)

Revision ID: c5d8e2f4a913
Revises: c5a2e9f7b1d3
Create Date: 2026-12-02 14:20:00.000000

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c5d8e2f4a913"
down_revision = "c5a2e9f7b1d3"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
    )
    op.bulk_insert(table, [{"id": 1, "token": secrets.token_hex(16)}])


def downgrade():
    op.drop_table("content_version")
