"""A version of the consolidated list, frozen when the Văn phòng sends it to the council."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db
from ..states import ListVersionState, state_check
from .listing import Consolidated


class ListVersion(db.Model):
    __tablename__ = "list_version"
    __table_args__ = (
        UniqueConstraint("campaign_id", "number", name="one_number"),
        state_check(ListVersionState),
    )
    workflow = "list_version"  # its table in workflows/
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    number: Mapped[int]  # 1, 2, …: a change after sending needs a new version
    content: Mapped[str] = mapped_column(Text)  # Consolidated.to_json()
    letter_number: Mapped[str | None] = mapped_column(String(60))  # the Văn phòng's tờ trình
    letter_date: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    state: Mapped[str] = mapped_column(
        String(20), default=ListVersionState.CURRENT, server_default=str(ListVersionState.CURRENT)
    )

    campaign = relationship("Campaign")
    sent_by = relationship("User")

    def consolidated(self):

        return Consolidated.from_json(self.content)
