"""The award dossier (hồ sơ đề nghị khen thưởng) and everything it holds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..campaigns.models import AwardForm, Campaign
from ..db import trigram_index, utcnow
from ..enums import AttachmentKind, NomineeKind, NomineeStatus
from ..extensions import db
from ..org.models import Staff, Unit, User
from ..states import (
    DOSSIER_EDITABLE,
    DOSSIER_REVIEWABLE,
    DOSSIER_SENT,
    DossierState,
    sql_in,
    state_check,
)


class Dossier(db.Model):
    __tablename__ = "dossier"
    __table_args__ = (
        UniqueConstraint("campaign_id", "unit_id", "seq", name="one_per_unit"),
        # A state is tied to its timestamp: nothing is sent to the Văn phòng without a moment.
        CheckConstraint(
            f"{sql_in(DossierState.DRAFT, DossierState.WITHDRAWN)} OR submitted_at IS NOT NULL",
            name="submitted_at",
        ),
        state_check(DossierState),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    seq: Mapped[int] = mapped_column(default=1)  # 1 = main dossier, 2+ = supplementary
    state: Mapped[str] = mapped_column(String(20), default=DossierState.DRAFT, index=True)
    version: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=0)  # number of submissions so far
    # Tờ trình
    letter_number: Mapped[str | None] = mapped_column(String(60))  # "15/TTr-QLKH"
    letter_date: Mapped[date | None]
    letter_signer: Mapped[str | None] = mapped_column(String(120))
    letter_text: Mapped[str | None] = mapped_column(Text)
    # Biên bản họp của đơn vị
    meeting_date: Mapped[date | None]
    meeting_chair: Mapped[str | None] = mapped_column(String(120))
    meeting_secretary: Mapped[str | None] = mapped_column(String(120))
    meeting_present: Mapped[int | None]
    meeting_total: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    campaign: Mapped[Campaign] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")
    nominees: Mapped[list[Nominee]] = relationship(
        back_populates="dossier",
        cascade="all, delete-orphan",
        order_by="(Nominee.kind.desc(), Nominee.sort_key)",
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    fix_items: Mapped[list[FixItem]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="FixItem.id"
    )

    @property
    def title(self) -> str:
        return self.title_of(self.unit.name, self.seq)

    @staticmethod
    def title_of(unit_name: str, seq: int) -> str:
        """What `title` says, from the unit's name and the dossier's number (list pages read
        both as plain columns)."""
        suffix = f" (bổ sung lần {seq - 1})" if seq > 1 else ""
        return f"Hồ sơ của {unit_name}{suffix}"

    @property
    def workflow(self) -> str:
        """Its table in workflows/: the procedure its campaign's kind picks."""
        return self.campaign.procedure.NAME

    @property
    def editable(self) -> bool:
        """The unit may change its dossier (and still owes it to the Văn phòng)."""
        return self.state in DOSSIER_EDITABLE

    @property
    def sent(self) -> bool:
        """Submitted and not given back: the unit has done its part."""
        return self.state in DOSSIER_SENT

    @property
    def reviewable(self) -> bool:
        """The Văn phòng checks its nominees now (ineligible, restored)."""
        return self.state in DOSSIER_REVIEWABLE

    @property
    def open_fix_items(self) -> list[FixItem]:
        return [f for f in self.fix_items if f.revision == self.revision and not f.resolved]


class Nominee(db.Model):
    __tablename__ = "nominee"
    __table_args__ = (
        CheckConstraint("(kind = 'individual') OR (staff_id IS NULL)", name="collective_staff"),
        CheckConstraint("votes_for IS NULL OR votes_for >= 0", name="votes_for"),
        CheckConstraint("votes_against IS NULL OR votes_against >= 0", name="votes_against"),
        Index("ix_nominee_fold", "name_folded"),
        # The decisions list counts the few approved / proposed-upward among a province's
        # 20,000 (issue 17).
        Index("ix_nominee_status", "status"),
        trigram_index("ix_nominee_name_trgm", "name_folded"),  # the lists' name search
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NomineeKind] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    collective_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    name: Mapped[str] = mapped_column(String(200))  # person's full name or collective's name
    name_folded: Mapped[str] = mapped_column(String(200))  # accent/case-free, for duplicates
    sort_key: Mapped[bytes] = mapped_column(LargeBinary)
    position: Mapped[str | None] = mapped_column(String(120))
    unit_label: Mapped[str | None] = mapped_column(String(200))  # where the person works
    gender: Mapped[str | None] = mapped_column(String(10))
    award_form_id: Mapped[int] = mapped_column(ForeignKey("award_form.id"))
    status: Mapped[NomineeStatus] = mapped_column(String(20), default=NomineeStatus.PROPOSED)
    status_reason: Mapped[str | None] = mapped_column(Text)
    votes_for: Mapped[int | None]  # from the unit meeting's minutes
    votes_against: Mapped[int | None]

    dossier: Mapped[Dossier] = relationship(back_populates="nominees")
    staff: Mapped[Staff | None] = relationship()
    award_form: Mapped[AwardForm] = relationship(lazy="joined")
    report: Mapped[AchievementReport | None] = relationship(
        back_populates="nominee", cascade="all, delete-orphan", uselist=False, lazy="joined"
    )


class AchievementReport(db.Model):
    """Báo cáo thành tích, in the sections of the official template (domain.md §4)."""

    __tablename__ = "achievement_report"
    id: Mapped[int] = mapped_column(primary_key=True)
    nominee_id: Mapped[int] = mapped_column(
        ForeignKey("nominee.id", ondelete="CASCADE"), unique=True
    )
    # I. Sơ lược lý lịch (individual) / Đặc điểm, tình hình (collective)
    birth_date: Mapped[date | None]
    hometown: Mapped[str | None] = mapped_column(String(200))
    qualifications: Mapped[str | None] = mapped_column(Text)
    situation: Mapped[str | None] = mapped_column(Text)
    # II. Thành tích đạt được
    duties: Mapped[str | None] = mapped_column(Text)
    achievements: Mapped[str | None] = mapped_column(Text)
    initiatives: Mapped[str | None] = mapped_column(Text)
    # III. Các hình thức đã được khen thưởng
    awards_received: Mapped[str | None] = mapped_column(Text)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime | None]

    nominee: Mapped[Nominee] = relationship(back_populates="report")
    confirmed_by: Mapped[User | None] = relationship()


class Attachment(db.Model):
    """A file stored outside the web root under its SHA-256, served only through access."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    nominee_id: Mapped[int | None] = mapped_column(ForeignKey("nominee.id", ondelete="CASCADE"))
    kind: Mapped[AttachmentKind] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")
    nominee: Mapped[Nominee | None] = relationship()


class FixItem(db.Model):
    """One thing the Văn phòng asks the unit to fix when returning a dossier."""

    __tablename__ = "fix_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int]  # the submission it refers to
    nominee_id: Mapped[int | None] = mapped_column(ForeignKey("nominee.id", ondelete="SET NULL"))
    component: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(default=False)

    dossier: Mapped[Dossier] = relationship(back_populates="fix_items")
    nominee: Mapped[Nominee | None] = relationship()


class Snapshot(db.Model):
    """The dossier as submitted, frozen at each submission, so changes can be diffed."""

    __tablename__ = "dossier_snapshot"
    __table_args__ = (UniqueConstraint("dossier_id", "revision", name="one_per_revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    revision: Mapped[int]
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    content: Mapped[str] = mapped_column(Text)  # canonical JSON
