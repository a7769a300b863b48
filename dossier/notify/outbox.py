"""The outbox as the administrator sees it (Quản trị › Hộp thư đi), and "send again".

What the page shows never includes an action link's token: subjects and errors pass
through delivery.redact, and bodies are not shown at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update

from .. import audit
from ..errors import DomainError
from ..extensions import db
from ..timeutil import now, to_local
from .delivery import count_due, redact
from .models import Message, MessageStatus

EVENT_TITLES = {
    "dossier_returned": "Hồ sơ trả lại",
    "dossier_accepted": "Hồ sơ được tiếp nhận",
    "list_sent": "Danh sách trình Hội đồng",
    "vote_opened": "Mở biểu quyết",
    "vote_closed": "Kết quả biểu quyết",
    "decision_drafted": "Dự thảo quyết định trình ký",
    "decision_issued": "Quyết định ban hành",
    "delegation_created": "Giao làm thay",
    "reminder_unit": "Nhắc hạn nộp hồ sơ",
    "reminder_vote": "Nhắc bỏ phiếu",
    "escalation": "Báo chậm xử lý",
}
SENDING = "Đang gửi"
NOT_SENT = "Thư đã gửi đi; không gửi lại."
BUSY = "Thư đang được bộ gửi thư gửi đi; hãy chờ kết quả rồi xem lại."


def server_label() -> str | None:
    """'host:port' of the configured mail server; None when there is none."""
    server = (current_app.config.get("MAIL_SERVER") or "").strip()
    return f"{server}:{current_app.config.get('MAIL_PORT') or 25}" if server else None


def counts() -> dict[str, int]:
    """Messages per status, plus those due now and those a worker is sending."""
    found = dict(
        db.session.execute(select(Message.status, func.count()).group_by(Message.status)).all()
    )
    result = {status.value: found.get(status.value, 0) for status in MessageStatus}
    result["all"] = sum(result.values())
    result["due"] = count_due()
    result["sending"] = db.session.scalar(
        select(func.count(Message.id)).where(
            Message.status == MessageStatus.QUEUED.value, Message.claimed_until > now()
        )
    )
    return result


def listing(status: str | None):
    """Newest first, optionally one status (the view paginates)."""
    query = select(Message).order_by(Message.id.desc())
    if status:
        query = query.where(Message.status == status)
    return query


def _when(moment: datetime | None) -> str:
    return f"{to_local(moment):%d/%m/%Y %H:%M}" if moment is not None else ""


@dataclass(frozen=True)
class Row:
    id: int
    created: str
    to_addr: str
    subject: str
    event: str
    status: str
    status_title: str
    attempts: int
    last_error: str
    next_attempt: str
    sent_at: str
    can_retry: bool


def row(message: Message, moment: datetime) -> Row:
    sending = message.claimed_until is not None and message.claimed_until > moment
    status = MessageStatus(message.status)
    next_attempt = ""
    if status is MessageStatus.QUEUED and not sending:
        due = message.next_attempt_at is None or message.next_attempt_at <= moment
        next_attempt = "đến hạn" if due else _when(message.next_attempt_at)
    return Row(
        id=message.id,
        created=_when(message.created_at),
        to_addr=message.to_addr,
        subject=redact(message.subject),
        event=EVENT_TITLES.get(message.event, message.event),
        status=status.value,
        status_title=SENDING if sending else status.title,
        attempts=message.attempts,
        last_error=redact(message.last_error) or "",
        next_attempt=next_attempt,
        sent_at=_when(message.sent_at),
        can_retry=status is not MessageStatus.SENT and not sending,
    )


# --- operations (the request commits) -------------------------------------------------------


def retry(actor, message: Message) -> None:
    """Make a queued or failed message due now (one more attempt for a failed one)."""
    moment = now()
    before = MessageStatus(message.status)
    if before is MessageStatus.SENT:
        raise DomainError(NOT_SENT)
    result = db.session.execute(
        update(Message)
        .where(
            Message.id == message.id,
            Message.status != MessageStatus.SENT.value,
            (Message.claimed_until.is_(None)) | (Message.claimed_until <= moment),
        )
        .values(status=MessageStatus.QUEUED.value, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError(BUSY)
    db.session.expire(message)
    audit.record(
        actor=actor,
        action="mail_retry",
        object_type="outbox_message",
        object_id=message.id,
        comment=f"Gửi lại thư «{redact(message.subject)}» đến {message.to_addr} "
        f"(trước đó: {before.title.lower()}, {message.attempts} lần gửi).",
    )


def retry_failed(actor) -> int:
    """Every failed message back in the queue, due now; how many."""
    result = db.session.execute(
        update(Message)
        .where(Message.status == MessageStatus.FAILED.value)
        .values(status=MessageStatus.QUEUED.value, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        audit.record(
            actor=actor,
            action="mail_retry_failed",
            object_type="outbox_message",
            comment=f"Gửi lại {result.rowcount} thư gửi lỗi.",
        )
    return result.rowcount
