"""One award received, from an issued decision or imported from the paper archive."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, column
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import trigram_index, utcnow
from ..enums import NomineeKind
from ..extensions import db


class AwardRecord(db.Model):
    __tablename__ = "award_record"
    __table_args__ = (
        CheckConstraint("source IN ('decision', 'import')", name="source"),
        CheckConstraint("(revoked_at IS NULL) = (revoked_reason IS NULL)", name="revoked"),
        Index("ix_award_record_person", "name_folded", "year"),
        Index("ix_award_record_staff_year", "staff_id", "year"),
        Index("ix_award_record_unit_year", "unit_id", "year"),
        # The search page's default order (newest year, then name), read in index order
        # and only as far as the page (issue 17); the form filter's choices by skip scan.
        Index("ix_award_record_listing", column("year").desc(), "name_folded", "id"),
        Index("ix_award_record_code_name", "award_code", "award_name"),
        # Name search at province size (400,000 records): an index search, not a scan.
        trigram_index("ix_award_record_name_trgm", "name_folded"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    kind: Mapped[NomineeKind] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # The unit the person worked in, or the collective itself.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200))  # dossier.text.fold(name)
    birth_date: Mapped[date | None]  # tells two people of the same name apart
    award_code: Mapped[str | None] = mapped_column(String(20))  # AwardForm.code when known
    award_name: Mapped[str] = mapped_column(String(200))
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[date | None]
    issuer: Mapped[str | None] = mapped_column(String(200))
    # Đột xuất / chuyên đề awards are not a basis for higher ones (NĐ 152/2025, Điều 4).
    counts_as_basis: Mapped[bool] = mapped_column(default=True)
    source: Mapped[str] = mapped_column(String(10))
    decision_id: Mapped[int | None]  # the app's own decision (issue 7), when it issued it
    revoked_at: Mapped[datetime | None]  # Chương VII of the Law: revoked by a new decision
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff = relationship("Staff")
    unit = relationship("Unit")

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
