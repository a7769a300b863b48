"""required dossier components per campaign: signed scans of the tờ trình and the minutes

Revision ID: a9d3c7e15f20
Revises: 75c11c210028
Create Date: 2026-12-02 11:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a9d3c7e15f20"
down_revision = "75c11c210028"
branch_labels = None
depends_on = None

# Both scans required by default [cfg]; existing campaigns get the default too, so the
# intake check reports dossiers sent without them.
DEFAULT = '["letter_scan", "minutes_scan"]'


def upgrade():
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("dossier_components_json", sa.Text(), server_default=DEFAULT, nullable=False)
        )


def downgrade():
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("dossier_components_json")
