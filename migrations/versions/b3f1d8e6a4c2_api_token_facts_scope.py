"""API tokens may carry "facts:write": importing yearly ratings and initiatives (issue 18)

Revision ID: b3f1d8e6a4c2
Revises: a7e3c9d1f5b2
Create Date: 2026-12-02 14:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b3f1d8e6a4c2"
down_revision = "a7e3c9d1f5b2"
branch_labels = None
depends_on = None

NEW = "scopes IN ('read', 'read write', 'read facts:write', 'read write facts:write')"
OLD = "scopes IN ('read', 'read write')"


def upgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_api_token_scopes"), type_="check")
        batch_op.alter_column(
            "scopes", existing_type=sa.String(length=20), type_=sa.String(length=40)
        )
        batch_op.create_check_constraint(batch_op.f("ck_api_token_scopes"), NEW)


def downgrade():
    op.execute("UPDATE api_token SET scopes = 'read write' WHERE scopes LIKE '%write%'")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_api_token_scopes"), type_="check")
        batch_op.alter_column(
            "scopes", existing_type=sa.String(length=40), type_=sa.String(length=20)
        )
        batch_op.create_check_constraint(batch_op.f("ck_api_token_scopes"), OLD)
