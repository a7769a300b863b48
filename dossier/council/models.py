"""Council meetings and their votes.

Secrecy by construction: who has voted (BallotReceipt) and what was voted (SealedBallot) are
two tables with nothing in common but the meeting and the nominee: no voter column, no
timestamp, no sequential id, and the value itself encrypted under a per-meeting key that is
derived from the application's secret and never stored in the database (see ballot_box.py).
Closing the vote decrypts, counts, stores only the totals (Result) and deletes the ballots.

Rounds: reopening a closed vote starts a new round (Meeting.round) in which every member
present votes again; receipts, paper tallies and results carry their round, so an earlier
round's totals stay (the minutes' history) but never mix with the new round's ballots.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    DDL,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy import (
    false as sa_false,
)
from sqlalchemy import (
    true as sa_true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db
from ..states import (
    MEETING_ATTENDANCE,
    MEETING_COUNTED,
    MEETING_VOTING,
    MeetingState,
    sql_in,
    state_check,
)


class Meeting(db.Model):
    __tablename__ = "council_meeting"
    __table_args__ = (
        state_check(MeetingState),
        CheckConstraint(
            f"{sql_in(MeetingState.PREPARING)} OR opened_at IS NOT NULL", name="opened_at"
        ),
        CheckConstraint(
            f"NOT {sql_in(MeetingState.CLOSED)} OR closed_at IS NOT NULL", name="closed_at"
        ),
        CheckConstraint("quorum_num > 0 AND quorum_den >= quorum_num", name="quorum"),
        CheckConstraint("round >= 1", name="round"),
        CheckConstraint("min_ballots >= 2", name="min_ballots"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_version.id"))
    year: Mapped[int]  # the council of this year votes
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200))
    guests: Mapped[str | None] = mapped_column(Text)  # invited guests, one per line
    state: Mapped[str] = mapped_column(String(10), default=MeetingState.PREPARING)
    quorum_num: Mapped[int] = mapped_column(default=2)  # two thirds by default [cfg]
    quorum_den: Mapped[int] = mapped_column(default=3)
    # The current round of voting: 1, and one more at each reopening.
    round: Mapped[int] = mapped_column(default=1, server_default="1")
    # The council's rules as they stood when the meeting was created (CouncilSetting): a
    # later edit of the settings never changes how an existing meeting counts.
    written_views_count: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    min_ballots: Mapped[int] = mapped_column(default=3, server_default="3")
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    minutes_number: Mapped[str | None] = mapped_column(String(40))  # "01/BB-HĐTĐKT", Văn thư
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    __mapper_args__ = {"version_id_col": version}
    workflow = "meeting"  # its table in workflows/

    campaign = relationship("Campaign")
    list_version = relationship("ListVersion")
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    results: Mapped[list[Result]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    @property
    def current_results(self) -> list[Result]:
        """The results of the latest round (earlier rounds are superseded history)."""
        return [r for r in self.results if r.round == self.round]

    @property
    def preparing(self) -> bool:
        """The Văn phòng still records who is present; the vote has not opened."""
        return self.state in MEETING_ATTENDANCE

    @property
    def voting(self) -> bool:
        """Ballots, written views and paper tallies are accepted."""
        return self.state in MEETING_VOTING

    @property
    def counted(self) -> bool:
        """The vote is closed: results and minutes exist."""
        return self.state in MEETING_COUNTED


class Attendance(db.Model):
    """Each council member of the year at this meeting: present, or absent."""

    __tablename__ = "council_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    position: Mapped[str] = mapped_column(String(20))  # CouncilPosition at the time
    present: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    member = relationship("User")


class BallotReceipt(db.Model):
    """That a member has voted on a nominee (never how). Composite key: no order, no time.

    On SQLite the table has no rowid: its rows are stored in key order, so nothing records
    the order they were written in (see SealedBallot).
    """

    __tablename__ = "council_ballot_receipt"
    __table_args__ = {"sqlite_with_rowid": False}
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("council_meeting.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominee.id"), primary_key=True)
    round: Mapped[int] = mapped_column(primary_key=True, default=1, server_default="1")
    written: Mapped[bool] = mapped_column(default=False)  # an absent member's written view


class SealedBallot(db.Model):
    """What was voted, encrypted; keyed by a random token, so rows carry no order.

    On SQLite the table has no rowid (an implicit rowid counts up in insertion order and would
    pair each ballot with its receipt); rows live in token order. On PostgreSQL the rows of a
    nominee are all rewritten by each vote on them (operations._record), so their xmin and
    place in the heap are those of the latest voter, shared by every ballot of that nominee.
    """

    __tablename__ = "council_sealed_ballot"
    __table_args__ = {"sqlite_with_rowid": False}
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("council_meeting.id", ondelete="CASCADE"), index=True
    )
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominee.id"))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


# PostgreSQL's ANALYZE would copy sample values of `sealed` into pg_statistic, which keeps
# them after the ballots are deleted. The migration runs the same statement.
NO_BALLOT_STATISTICS = "ALTER TABLE council_sealed_ballot ALTER COLUMN sealed SET STATISTICS 0"
event.listen(
    SealedBallot.__table__,
    "after_create",
    DDL(NO_BALLOT_STATISTICS).execute_if(dialect="postgresql"),
)


class Recusal(db.Model):
    """A member who does not vote on a nominee, with the reason: chosen by the member (their
    own unit's people), or recorded by the system (`automatic`: the nominee is the member,
    or the member's own unit's collective). It holds for every round of the meeting."""

    __tablename__ = "council_recusal"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", "nominee_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominee.id"))
    reason: Mapped[str] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(default=False, server_default=sa_false())


class PaperTally(db.Model):
    """The Thư ký's count of a paper ballot for one nominee."""

    __tablename__ = "council_paper_tally"
    __table_args__ = (
        UniqueConstraint("meeting_id", "nominee_id", "round"),
        CheckConstraint(
            "0 <= agree AND agree <= valid AND valid <= returned AND returned <= issued",
            name="possible",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id", ondelete="CASCADE"))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominee.id"))
    round: Mapped[int] = mapped_column(default=1, server_default="1")
    issued: Mapped[int]
    returned: Mapped[int]
    valid: Mapped[int]
    agree: Mapped[int]
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class Result(db.Model):
    """A nominee's count and outcome in one round, fixed when the vote closes.

    agree ≤ valid ≤ returned ≤ issued, and agree ≤ base: no share above 100%. A round with
    fewer valid ballots than the meeting's minimum is `withheld`: its totals are not kept
    (stored as 0), only that it was not published, and the nominee is not approved.
    """

    __tablename__ = "council_result"
    __table_args__ = (
        UniqueConstraint("meeting_id", "nominee_id", "round"),
        CheckConstraint(
            "0 <= agree AND agree <= valid AND valid <= returned AND returned <= issued "
            "AND agree <= base",
            name="possible",
        ),
        CheckConstraint(
            "NOT withheld OR (agree = 0 AND valid = 0 AND NOT passed)", name="withheld"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id", ondelete="CASCADE"))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominee.id"))
    round: Mapped[int] = mapped_column(default=1, server_default="1")
    withheld: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    method: Mapped[str] = mapped_column(String(10))  # electronic | paper
    issued: Mapped[int]
    returned: Mapped[int]
    valid: Mapped[int]
    agree: Mapped[int]
    base: Mapped[int]  # what the threshold is a share of
    threshold_pct: Mapped[int]
    strict: Mapped[bool]
    passed: Mapped[bool]

    meeting: Mapped[Meeting] = relationship(back_populates="results")
    nominee = relationship("Nominee")


class CouncilSetting(db.Model):
    """One row: how the council counts, as data the Văn phòng edits (each with its source).

    Copied onto each meeting when it is created (Meeting.written_views_count, .min_ballots).
    """

    __tablename__ = "council_setting"
    __table_args__ = (CheckConstraint("min_ballots >= 2", name="min_ballots"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # Written views of absent members count as votes, and those members are then part of a
    # "members present" base; if not, written views are not taken at all.
    written_views_count: Mapped[bool] = mapped_column(default=True)
    written_views_source: Mapped[str] = mapped_column(Text)
    # No result is published from fewer valid ballots than this (secrecy of the vote).
    min_ballots: Mapped[int] = mapped_column(default=3)
    min_ballots_source: Mapped[str] = mapped_column(Text)
    confirmed: Mapped[bool] = mapped_column(default=False)

    @classmethod
    def get(cls) -> CouncilSetting:
        row = db.session.get(cls, 1)
        if row is None:
            row = cls(id=1, **DEFAULT_COUNCIL_SETTING)
            db.session.add(row)
            db.session.flush()
        return row


# [cfg] domain.md §5: absent members may give their view in writing and it counts as their
# vote [old: the pre-2022 practice]; neither Luật Thi đua, khen thưởng 2022 nor Nghị định
# 152/2025/NĐ-CP was found to say so, nor to fix a minimum number of ballots. Both defaults
# are unconfirmed (confirmed = False), shown as "cần kiểm tra" on the settings page.
DEFAULT_COUNCIL_SETTING = dict(
    written_views_count=True,
    written_views_source=(
        "Chưa xác định được căn cứ trong Luật Thi đua, khen thưởng 2022 và Nghị định số "
        "152/2025/NĐ-CP; theo thực tiễn trước đây (ý kiến bằng văn bản được tính như phiếu "
        "biểu quyết của thành viên vắng mặt). Cần kiểm tra."
    ),
    min_ballots=3,
    min_ballots_source=(
        "Quy chế làm việc của Hội đồng (bảo đảm bí mật của phiếu kín); không có quy định "
        "trong Luật Thi đua, khen thưởng 2022. Cần kiểm tra."
    ),
    confirmed=False,
)
