"""Council meetings and their votes.

Secrecy by construction: who has voted (BallotReceipt) and what was voted (SealedBallot) are
two tables with nothing in common but the meeting and the nominee: no voter column, no
timestamp, no sequential id, and the value itself encrypted under a per-meeting key that is
derived from the application's secret and never stored in the database (see ballot_box.py).
Closing the vote decrypts, counts, stores only the totals (Result) and deletes the ballots.
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
    """A member who does not vote on a nominee (their own unit), with the reason."""

    __tablename__ = "council_recusal"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", "nominee_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominee.id"))
    reason: Mapped[str] = mapped_column(Text)


class PaperTally(db.Model):
    """The Thư ký's count of a paper ballot for one nominee."""

    __tablename__ = "council_paper_tally"
    __table_args__ = (
        UniqueConstraint("meeting_id", "nominee_id"),
        CheckConstraint(
            "0 <= agree AND agree <= valid AND valid <= returned AND returned <= issued",
            name="possible",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id", ondelete="CASCADE"))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominee.id"))
    issued: Mapped[int]
    returned: Mapped[int]
    valid: Mapped[int]
    agree: Mapped[int]
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class Result(db.Model):
    """A nominee's count and outcome, fixed when the vote closes."""

    __tablename__ = "council_result"
    __table_args__ = (UniqueConstraint("meeting_id", "nominee_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meeting.id", ondelete="CASCADE"))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominee.id"))
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
