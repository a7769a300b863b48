"""Decisions (Quyết định khen thưởng) and their awards; their numbers come from the
agency's register (dossier/register/)."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db
from ..states import DECISION_EDITABLE, DECISION_ISSUED, DecisionState, sql_in, state_check


class Decision(db.Model):
    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint("year", "number", name="one_number_a_year"),
        state_check(DecisionState),
        CheckConstraint(
            f"({sql_in(*DECISION_ISSUED)}) = (number IS NOT NULL "
            "AND issued_on IS NOT NULL AND issued_at IS NOT NULL)",
            name="issued_has_number",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("council_meeting.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    state: Mapped[str] = mapped_column(String(10), default=DecisionState.DRAFT)
    year: Mapped[int]
    number: Mapped[int | None]
    issued_on: Mapped[date | None]
    issued_at: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]  # the Director signed; the Văn thư numbers it next
    subject: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)  # one căn cứ a line
    articles_json: Mapped[str] = mapped_column(Text)
    recipients: Mapped[str] = mapped_column(Text)  # one a line
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    signer_lines_json: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str | None] = mapped_column(String(120))
    content: Mapped[str | None] = mapped_column(Text)  # frozen DecisionData at issue
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)  # as issued (signed if configured)
    signed: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    __mapper_args__ = {"version_id_col": version}
    workflow = "decision"  # its table in workflows/

    campaign = relationship("Campaign")
    corrects: Mapped[Decision | None] = relationship(remote_side=[id])
    awards: Mapped[list[DecisionAward]] = relationship(
        back_populates="decision",
        cascade="all, delete-orphan",
        order_by="DecisionAward.position_no",
    )
    signer = relationship("User", foreign_keys=[signer_id])

    @property
    def issued(self) -> bool:
        """Issued at some point: it has its number and its content is frozen."""
        return self.state in DECISION_ISSUED

    @property
    def editable(self) -> bool:
        return self.state in DECISION_EDITABLE

    @property
    def articles(self) -> list[str]:
        return json.loads(self.articles_json or "[]")

    @articles.setter
    def articles(self, value: list[str]) -> None:
        self.articles_json = json.dumps(value, ensure_ascii=False)

    @property
    def signer_lines(self) -> list[str]:
        return json.loads(self.signer_lines_json or "[]")


class DecisionAward(db.Model):
    """One awardee of a decision, frozen when drafted (the appendix row)."""

    __tablename__ = "decision_award"
    __table_args__ = (UniqueConstraint("decision_id", "nominee_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"))
    nominee_id: Mapped[int | None] = mapped_column(ForeignKey("nominee.id"))
    position_no: Mapped[int]  # order in the appendix
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    form_code: Mapped[str] = mapped_column(String(20))
    form_name: Mapped[str] = mapped_column(String(200))

    decision: Mapped[Decision] = relationship(back_populates="awards")


FROZEN = (
    "subject",
    "legal_basis",
    "articles_json",
    "recipients",
    "number",
    "issued_on",
    "signer_lines_json",
    "signer_name",
    "content",
    "pdf",
    "year",
    "campaign_id",
)


@event.listens_for(Decision, "before_update")
def _immutable(mapper, connection, target: Decision) -> None:
    """An issued decision never changes: a correction is a new decision naming it.

    The stored state decides (not the object's, which may be expired or already changed).
    """

    stored = connection.execute(select(Decision.state).where(Decision.id == target.id)).scalar()
    if stored in DECISION_ISSUED:
        changed = [a for a in FROZEN if inspect(target).attrs[a].history.has_changes()]
        if changed or target.state not in DECISION_ISSUED:
            raise ValueError(f"issued decision {target.id} is immutable: {changed}")
