"""The agency's register of documents: sequences per issuer, kind and year, the numbers
given from them; the decision is signed by the Director before the Văn thư numbers it.

Revision ID: c4e8a1f05b27
Revises: 7c1e5a2b9d40
Create Date: 2026-12-02 11:10:00

"""

import sqlalchemy as sa
from alembic import op

import dossier.db

revision = "c4e8a1f05b27"
down_revision = "7c1e5a2b9d40"
branch_labels = None
depends_on = None

KINDS = "kind IN ('BB', 'QĐ', 'TTr')"
STATES_BEFORE = "state IN ('corrected', 'draft', 'issued', 'returned', 'revoked')"
STATES_AFTER = "state IN ('corrected', 'draft', 'issued', 'returned', 'revoked', 'signed')"


def upgrade():
    op.create_table(
        "register_sequence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.CheckConstraint("current >= 0", name=op.f("ck_register_sequence_current_not_negative")),
        sa.CheckConstraint(KINDS, name=op.f("ck_register_sequence_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_sequence")),
        sa.UniqueConstraint("issuer", "kind", "year", name="one_register_sequence"),
    )
    op.create_table(
        "register_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("typed", sa.Boolean(), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("given_at", dossier.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(KINDS, name=op.f("ck_register_entry_kind")),
        sa.CheckConstraint("number > 0", name=op.f("ck_register_entry_number_positive")),
        sa.ForeignKeyConstraint(
            ["given_by_id"],
            ["user_account.id"],
            name=op.f("fk_register_entry_given_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_entry")),
        sa.UniqueConstraint("issuer", "kind", "year", "number", name="one_register_number"),
    )
    # The yearly counters and the numbers already given move into the agency's register.
    op.execute(
        "INSERT INTO register_sequence (issuer, kind, year, current) "
        "SELECT a.short_code, 'QĐ', r.year, r.last FROM decision_register r "
        "CROSS JOIN (SELECT short_code FROM agency WHERE id = 1) a"
    )
    op.execute(
        "INSERT INTO register_entry (issuer, kind, year, number, typed, object_type, "
        "object_id, given_at, given_by_id) "
        "SELECT a.short_code, 'QĐ', d.year, d.number, false, 'decision', d.id, d.issued_at, "
        "d.signer_id FROM decision d "
        "CROSS JOIN (SELECT short_code FROM agency WHERE id = 1) a WHERE d.number IS NOT NULL"
    )
    op.drop_table("decision_register")
    with op.batch_alter_table("council_meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("minutes_number", sa.String(length=40), nullable=True))
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("signed_at", dossier.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_constraint(batch_op.f("ck_decision_state"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_decision_state"), STATES_AFTER)


def downgrade():
    with op.batch_alter_table("council_meeting", schema=None) as batch_op:
        batch_op.drop_column("minutes_number")
    op.execute("UPDATE decision SET state = 'draft' WHERE state = 'signed'")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_decision_state"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_decision_state"), STATES_BEFORE)
        batch_op.drop_column("signed_at")
    op.create_table(
        "decision_register",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_decision_register")),
    )
    op.execute(
        "INSERT INTO decision_register (year, last) SELECT year, MAX(current) "
        "FROM register_sequence WHERE kind = 'QĐ' GROUP BY year"
    )
    op.drop_table("register_entry")
    op.drop_table("register_sequence")
