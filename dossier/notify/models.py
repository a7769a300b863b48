"""The outbox (every message, its delivery state) and the working calendar's holidays.

A message is queued in the same transaction as the act that causes it, so it exists only
if the act happened; a worker outside the request delivers it later and retries, so a failed
send never blocks or rolls back the act. `dedup_key` (unique) makes a reminder run
idempotent. `claimed_by`/`claimed_until` mark a message a worker is sending right now: no
other worker takes it until the claim is released or expires.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db


class MessageStatus(StrEnum):
    """Where a message is in delivery (a claimed message is still QUEUED: "đang gửi")."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"

    @property
    def title(self) -> str:
        return {"queued": "Chờ gửi", "sent": "Đã gửi", "failed": "Gửi lỗi"}[self.value]


class Message(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sent', 'failed')", name="status"),
        CheckConstraint("status != 'sent' OR sent_at IS NOT NULL", name="sent_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    event: Mapped[str] = mapped_column(String(40))  # dossier_returned, reminder, …
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    to_addr: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None]


class Holiday(db.Model):
    """A day off that escalation's working days skip (weekends are skipped anyway)."""

    __tablename__ = "holiday"
    day: Mapped[date] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
