"""workflow states as data: every lifecycle's state column and its CHECK from workflows/

Revision ID: 7c1e5a2b9d40
Revises: bb2b4a61732a
Create Date: 2026-12-02 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

import dossier.db

# revision identifiers, used by Alembic.
revision = "7c1e5a2b9d40"
down_revision = "bb2b4a61732a"
branch_labels = None
depends_on = None


def upgrade():
    # A campaign of the simplified procedure (ad hoc awards) has no cut-off.
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.alter_column(
            "cutoff_at", existing_type=dossier.db.UTCDateTime(timezone=True), nullable=True
        )

    # The consolidated list: a later version supersedes the earlier ones.
    with op.batch_alter_table("list_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state", sa.String(length=20), server_default="current", nullable=False)
        )
    op.execute(
        "UPDATE list_version SET state = 'superseded' WHERE EXISTS (SELECT 1 FROM list_version "
        "AS later WHERE later.campaign_id = list_version.campaign_id "
        "AND later.number > list_version.number)"
    )
    with op.batch_alter_table("list_version", schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f("ck_list_version_state"), "state IN ('current', 'superseded')"
        )

    # The substitution period: in force or cancelled (planned/active/ended follow from dates).
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state", sa.String(length=20), server_default="in_force", nullable=False)
        )
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.execute("UPDATE delegation SET state = 'cancelled' WHERE cancelled_at IS NOT NULL")
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f("ck_delegation_state"), "state IN ('cancelled', 'in_force')"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_delegation_cancelled_at"),
            "(state IN ('cancelled')) = (cancelled_at IS NOT NULL)",
        )

    # The decision: sent back to the Văn phòng (a draft), corrected by a later one, or
    # revoked (both keep their number).
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_decision_state"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_decision_issued_has_number"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_decision_state"),
            "state IN ('corrected', 'draft', 'issued', 'returned', 'revoked')",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_decision_issued_has_number"),
            "(state IN ('corrected', 'issued', 'revoked')) = (number IS NOT NULL "
            "AND issued_on IS NOT NULL AND issued_at IS NOT NULL)",
        )


def downgrade():
    op.execute("UPDATE campaign SET cutoff_at = created_at WHERE cutoff_at IS NULL")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.alter_column(
            "cutoff_at", existing_type=dossier.db.UTCDateTime(timezone=True), nullable=False
        )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_decision_issued_has_number"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_decision_state"), type_="check")
    op.execute("UPDATE decision SET state = 'issued' WHERE state IN ('corrected', 'revoked')")
    op.execute("UPDATE decision SET state = 'draft' WHERE state = 'returned'")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f("ck_decision_state"), "state IN ('draft', 'issued')"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_decision_issued_has_number"),
            "(state = 'issued') = (number IS NOT NULL AND issued_on IS NOT NULL "
            "AND issued_at IS NOT NULL)",
        )
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_delegation_cancelled_at"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_delegation_state"), type_="check")
        batch_op.drop_column("version")
        batch_op.drop_column("state")
    with op.batch_alter_table("list_version", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_list_version_state"), type_="check")
        batch_op.drop_column("state")
