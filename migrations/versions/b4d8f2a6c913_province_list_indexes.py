"""The award history search page at province size (issue 17): its default order read from an
index, the award forms' filter by skip scan; the decisions list's counts by nominee status

Revision ID: b4d8f2a6c913
Revises: c5d8e2f4a913
Create Date: 2026-12-02 14:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b4d8f2a6c913"
down_revision = "c5d8e2f4a913"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_award_record_listing",
        "award_record",
        [sa.text("year DESC"), "name_folded", "id"],
    )
    op.create_index("ix_award_record_code_name", "award_record", ["award_code", "award_name"])
    op.create_index("ix_nominee_status", "nominee", ["status"])


def downgrade():
    op.drop_index("ix_nominee_status", table_name="nominee")
    op.drop_index("ix_award_record_code_name", table_name="award_record")
    op.drop_index("ix_award_record_listing", table_name="award_record")
