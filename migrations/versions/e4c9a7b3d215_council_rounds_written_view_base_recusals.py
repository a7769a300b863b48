"""council: rounds of voting, the count's settings, automatic recusals, withheld results

Revision ID: e4c9a7b3d215
Revises: c4e8a1f05b27
Create Date: 2026-12-02 11:30:00.000000

Issue 14. A reopened vote is a new round: receipts, paper tallies and results carry their
round (a result per nominee per round; the earlier rounds are the minutes' history). The
council's settings (written views count; the minimum of ballots for a published result) are
one row the Văn phòng edits, copied onto each meeting. A recusal the system records (the
nominee is the member, or the member's own unit's collective) is marked `automatic`.

Existing rows are round 1. The ballot receipts' key gains `round`; on SQLite the table is
rebuilt WITHOUT ROWID as before (b7c41d2e9a10).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e4c9a7b3d215"
down_revision = "c4e8a1f05b27"
branch_labels = None
depends_on = None

WRITTEN_SOURCE = (
    "Chưa xác định được căn cứ trong Luật Thi đua, khen thưởng 2022 và Nghị định số "
    "152/2025/NĐ-CP; theo thực tiễn trước đây (ý kiến bằng văn bản được tính như phiếu "
    "biểu quyết của thành viên vắng mặt). Cần kiểm tra."
)
MIN_SOURCE = (
    "Quy chế làm việc của Hội đồng (bảo đảm bí mật của phiếu kín); không có quy định "
    "trong Luật Thi đua, khen thưởng 2022. Cần kiểm tra."
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    op.create_table(
        "council_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("written_views_count", sa.Boolean(), nullable=False),
        sa.Column("written_views_source", sa.Text(), nullable=False),
        sa.Column("min_ballots", sa.Integer(), nullable=False),
        sa.Column("min_ballots_source", sa.Text(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.CheckConstraint("min_ballots >= 2", name=op.f("ck_council_setting_min_ballots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_setting")),
    )
    with op.batch_alter_table("council_meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("round", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("written_views_count", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("min_ballots", sa.Integer(), server_default="3", nullable=False)
        )
        batch_op.create_check_constraint(op.f("ck_council_meeting_round"), "round >= 1")
        batch_op.create_check_constraint(op.f("ck_council_meeting_min_ballots"), "min_ballots >= 2")

    receipt_kwargs = {"recreate": "always", "table_kwargs": {"sqlite_with_rowid": False}}
    with op.batch_alter_table(
        "council_ballot_receipt", schema=None, **(receipt_kwargs if _sqlite() else {})
    ) as batch_op:
        batch_op.add_column(sa.Column("round", sa.Integer(), server_default="1", nullable=False))
        batch_op.drop_constraint(op.f("pk_council_ballot_receipt"), type_="primary")
        batch_op.create_primary_key(
            op.f("pk_council_ballot_receipt"), ["meeting_id", "member_id", "nominee_id", "round"]
        )

    with op.batch_alter_table("council_paper_tally", schema=None) as batch_op:
        batch_op.add_column(sa.Column("round", sa.Integer(), server_default="1", nullable=False))
        batch_op.drop_constraint(
            op.f("uq_council_paper_tally_meeting_id_nominee_id"), type_="unique"
        )
        batch_op.create_unique_constraint(
            op.f("uq_council_paper_tally_meeting_id_nominee_id_round"),
            ["meeting_id", "nominee_id", "round"],
        )

    with op.batch_alter_table("council_result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("round", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("withheld", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.drop_constraint(op.f("uq_council_result_meeting_id_nominee_id"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_council_result_meeting_id_nominee_id_round"),
            ["meeting_id", "nominee_id", "round"],
        )
        # Not "agree <= base" here: results counted before this revision could break it
        # (the bug this fixes); the model's CHECK holds for new databases.
        batch_op.create_check_constraint(
            op.f("ck_council_result_withheld"),
            "NOT withheld OR (agree = 0 AND valid = 0 AND NOT passed)",
        )

    with op.batch_alter_table("council_recusal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("automatic", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    setting = sa.table(
        "council_setting",
        sa.column("id", sa.Integer),
        sa.column("written_views_count", sa.Boolean),
        sa.column("written_views_source", sa.Text),
        sa.column("min_ballots", sa.Integer),
        sa.column("min_ballots_source", sa.Text),
        sa.column("confirmed", sa.Boolean),
    )
    op.bulk_insert(
        setting,
        [
            dict(
                id=1,
                written_views_count=True,
                written_views_source=WRITTEN_SOURCE,
                min_ballots=3,
                min_ballots_source=MIN_SOURCE,
                confirmed=False,
            )
        ],
    )


def downgrade():
    with op.batch_alter_table("council_recusal", schema=None) as batch_op:
        batch_op.drop_column("automatic")
    op.execute("DELETE FROM council_result WHERE round > 1")
    with op.batch_alter_table("council_result", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_council_result_withheld"), type_="check")
        batch_op.drop_constraint(
            op.f("uq_council_result_meeting_id_nominee_id_round"), type_="unique"
        )
        batch_op.create_unique_constraint(
            op.f("uq_council_result_meeting_id_nominee_id"), ["meeting_id", "nominee_id"]
        )
        batch_op.drop_column("withheld")
        batch_op.drop_column("round")
    op.execute("DELETE FROM council_paper_tally WHERE round > 1")
    with op.batch_alter_table("council_paper_tally", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("uq_council_paper_tally_meeting_id_nominee_id_round"), type_="unique"
        )
        batch_op.create_unique_constraint(
            op.f("uq_council_paper_tally_meeting_id_nominee_id"), ["meeting_id", "nominee_id"]
        )
        batch_op.drop_column("round")
    op.execute("DELETE FROM council_ballot_receipt WHERE round > 1")
    receipt_kwargs = {"recreate": "always", "table_kwargs": {"sqlite_with_rowid": False}}
    with op.batch_alter_table(
        "council_ballot_receipt", schema=None, **(receipt_kwargs if _sqlite() else {})
    ) as batch_op:
        batch_op.drop_constraint(op.f("pk_council_ballot_receipt"), type_="primary")
        batch_op.create_primary_key(
            op.f("pk_council_ballot_receipt"), ["meeting_id", "member_id", "nominee_id"]
        )
        batch_op.drop_column("round")
    with op.batch_alter_table("council_meeting", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_council_meeting_min_ballots"), type_="check")
        batch_op.drop_constraint(op.f("ck_council_meeting_round"), type_="check")
        batch_op.drop_column("min_ballots")
        batch_op.drop_column("written_views_count")
        batch_op.drop_column("round")
    op.drop_table("council_setting")
