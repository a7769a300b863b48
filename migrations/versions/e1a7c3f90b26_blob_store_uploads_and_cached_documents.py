"""blob store: uploads and cached documents in the database (BLOB_STORE=database)

Revision ID: e1a7c3f90b26
Revises: a9d3c7e15f20
Create Date: 2026-12-02 11:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

import dossier.db

# revision identifiers, used by Alembic.
revision = "e1a7c3f90b26"
down_revision = "a9d3c7e15f20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "blob",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", dossier.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_blob")),
    )


def downgrade():
    op.drop_table("blob")
