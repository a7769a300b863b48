"""The award tally the Thống kê charts sum (issue 18): one row per year, unit, form, kind,
gender and direct worker, counting the live award records; filled from them here.

Revision ID: c5a2e9f7b1d3
Revises: b3f1d8e6a4c2
Create Date: 2026-12-02 14:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c5a2e9f7b1d3"
down_revision = "b3f1d8e6a4c2"
branch_labels = None
depends_on = None

KEY = ["year", "unit_id", "award_code", "award_name", "kind", "gender", "worker"]


def upgrade():
    op.create_table(
        "award_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("award_code", sa.String(length=20), nullable=False),
        sa.Column("award_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("gender", sa.String(length=10), nullable=False),
        sa.Column("worker", sa.String(length=5), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_tally")),
        sa.UniqueConstraint(*KEY, name="award_tally_one_cell"),
    )
    individual = "r.kind = 'individual' AND s.id IS NOT NULL"
    cols = (
        "r.year, COALESCE(r.unit_id, 0), COALESCE(r.award_code, ''), r.award_name, r.kind, "
        f"CASE WHEN {individual} THEN COALESCE(s.gender, '') ELSE '' END, "
        f"CASE WHEN {individual} AND s.direct_worker THEN 'true' "
        f"WHEN {individual} THEN 'false' ELSE '' END"
    )
    op.execute(
        f"INSERT INTO award_tally ({', '.join(KEY)}, n) "
        f"SELECT {cols}, COUNT(*) FROM award_record r LEFT JOIN staff s ON s.id = r.staff_id "
        f"WHERE r.revoked_at IS NULL GROUP BY {cols}"
    )


def downgrade():
    op.drop_table("award_tally")
