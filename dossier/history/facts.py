"""The facts about a person that the award rules read, besides the awards received:
the yearly rating (đánh giá, xếp loại chất lượng), recognised initiatives (sáng kiến,
or an accepted and applied research topic) and disciplines (kỷ luật).

Each is entered by the person's unit on the person's page or imported from Excel."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..enums import DisciplineLevel, InitiativeScope, Rating
from ..extensions import db
from ..states import sql_in


class StaffRating(db.Model):
    __tablename__ = "staff_rating"
    __table_args__ = (
        UniqueConstraint("staff_id", "year", name="one_per_year"),
        CheckConstraint(sql_in(*Rating, column="rating"), name="rating"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    year: Mapped[int]
    rating: Mapped[Rating] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff = relationship("Staff")


class Initiative(db.Model):
    """A sáng kiến recognised by a decision (or an accepted research topic), with its reach."""

    __tablename__ = "initiative"
    __table_args__ = (
        UniqueConstraint("staff_id", "title_folded", "decision_number", name="one_record"),
        CheckConstraint(sql_in(*InitiativeScope, column="scope"), name="scope"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_folded: Mapped[str] = mapped_column(String(300))
    decision_number: Mapped[str] = mapped_column(String(60))  # the recognising decision
    decision_date: Mapped[date]
    scope: Mapped[InitiativeScope] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff = relationship("Staff")

    @property
    def year(self) -> int:
        return self.decision_date.year


class Discipline(db.Model):
    __tablename__ = "discipline"
    __table_args__ = (
        UniqueConstraint("staff_id", "year", "level", name="one_per_level"),
        CheckConstraint(sql_in(*DisciplineLevel, column="level"), name="level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    year: Mapped[int]
    level: Mapped[DisciplineLevel] = mapped_column(String(20))
    decision_number: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff = relationship("Staff")


def _unit_of(self) -> int | None:
    """The person's unit: what the permission layer reads (EDIT_STAFF_FACTS)."""
    return self.staff.unit_id if self.staff else None


for _model in (StaffRating, Initiative, Discipline):
    _model.unit_id = property(_unit_of)
