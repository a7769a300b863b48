"""The register's sequences (one per issuer, kind of document and year) and the numbers
given from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..enums import DocKind
from ..extensions import db
from ..states import sql_in


def _kind_check() -> CheckConstraint:
    return CheckConstraint(sql_in(*(k.value for k in DocKind), column="kind"), name="kind")


class RegisterSequence(db.Model):
    """The last number given for one issuer, kind and year ("SKHCN", "QĐ", 2026 → 248).

    The Văn thư sets `current` to stay in step with the agency's paper or electronic
    register; "next" takes `current + 1` in an UPDATE … RETURNING that holds the row's lock
    until the issuing transaction ends, so two issues never share or skip a number, and a
    rolled-back issue gives its number back."""

    __tablename__ = "register_sequence"
    __table_args__ = (
        UniqueConstraint("issuer", "kind", "year", name="one_register_sequence"),
        _kind_check(),
        CheckConstraint("current >= 0", name="current_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(20))  # "SKHCN" in "249/QĐ-SKHCN"
    kind: Mapped[str] = mapped_column(String(10))  # DocKind: "QĐ", "TTr", "BB"
    year: Mapped[int]
    current: Mapped[int] = mapped_column(default=0)


class RegisterEntry(db.Model):
    """One number given: to which document, typed or the sequence's next. The unique key
    is the backstop against a number given twice in one register."""

    __tablename__ = "register_entry"
    __table_args__ = (
        UniqueConstraint("issuer", "kind", "year", "number", name="one_register_number"),
        _kind_check(),
        CheckConstraint("number > 0", name="number_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    number: Mapped[int]
    typed: Mapped[bool] = mapped_column(default=False)  # from the agency's own system
    object_type: Mapped[str] = mapped_column(String(30))  # "decision", "list_version", …
    object_id: Mapped[int]
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
