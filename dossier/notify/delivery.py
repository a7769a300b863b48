"""Delivery of the outbox over SMTP, never inside a request: claim, send, record.

Any number of workers (`flask --app wsgi mail worker` processes, the timer's one-shot run)
may work at once and none sends a message twice. A worker claims a small batch in a short
transaction (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so workers pass each other's rows
by; SQLite has one writer at a time: the claiming UPDATE re-checks that the row is free),
sends with no transaction open, then records each outcome only while its claim still holds.
A claim whose worker died mid-send expires after CLAIM_MINUTES and the message is tried
again. Without MAIL_SERVER nothing is attempted: messages wait in the outbox.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr
from uuid import uuid4

from flask import current_app
from sqlalchemy import func, or_, select, update

from ..extensions import db
from ..timeutil import now
from .models import Message, MessageStatus

log = logging.getLogger(__name__)

# Delay before the 2nd, 3rd, 4th and 5th attempt; after the 5th failure: status failed.
BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = 5
_FIRST_DELAY = timedelta(minutes=BACKOFF_MINUTES[0])
# A claim outlives the slowest batch (BATCH sends of SMTP_TIMEOUT seconds) by far.
CLAIM_MINUTES = 10
BATCH = 10
SMTP_TIMEOUT = 10
INVALID_ADDRESS = "Địa chỉ e-mail không hợp lệ (thiếu ký tự «@»): không gửi được."
UNCONFIGURED = "Chưa cấu hình máy chủ thư: thư được giữ trong hộp thư đi (cần đặt MAIL_SERVER)."
_ACTION_TOKEN = re.compile(r"(/thu/)[A-Za-z0-9_-]{20,}")


def redact(text: str | None) -> str | None:
    """A link that acts (vote, sign) belongs in the recipient's mailbox only."""
    return _ACTION_TOKEN.sub(r"\1[liên-kết-đã-gửi]", text) if text else text


def configured() -> bool:
    return bool((current_app.config.get("MAIL_SERVER") or "").strip())


def _due(moment: datetime):
    return (Message.status == MessageStatus.QUEUED.value) & or_(
        Message.next_attempt_at.is_(None), Message.next_attempt_at <= moment
    )


def _free(moment: datetime):
    return or_(Message.claimed_until.is_(None), Message.claimed_until < moment)


def has_due() -> bool:
    """One indexed query: is anything waiting to be sent now, and free to take?"""
    moment = now()
    found = db.session.scalar(select(Message.id).where(_due(moment), _free(moment)).limit(1))
    return found is not None


def count_due() -> int:
    return db.session.scalar(select(func.count(Message.id)).where(_due(now()))) or 0


# --- claiming -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """What sending needs, copied out of the row: no lazy load opens a transaction."""

    id: int
    to_addr: str
    subject: str
    body_text: str
    body_html: str | None
    attempts: int


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def claim(limit: int, worker: str | None = None) -> tuple[str, list[Claimed]]:
    """Take up to `limit` due, unclaimed messages in one short transaction (committed)."""
    token = f"{(worker or worker_name())[:66]}/{uuid4().hex[:12]}"
    moment = now()
    pick = select(Message.id).where(_due(moment), _free(moment)).order_by(Message.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = db.session.scalars(pick).all()
    rows: list[Claimed] = []
    if ids:
        db.session.execute(
            update(Message)
            .where(Message.id.in_(ids), _due(moment), _free(moment))
            .values(claimed_by=token, claimed_until=moment + timedelta(minutes=CLAIM_MINUTES))
            .execution_options(synchronize_session=False)
        )
        columns = (Message.id, Message.to_addr, Message.subject, Message.body_text)
        query = select(*columns, Message.body_html, Message.attempts)
        rows = [
            Claimed(*row)
            for row in db.session.execute(
                query.where(Message.claimed_by == token).order_by(Message.id)
            )
        ]
    db.session.commit()
    return token, rows


def _settle(token: str, message_id: int, **values) -> bool:
    """Record an outcome and release the claim, if the claim is still ours."""
    result = db.session.execute(
        update(Message)
        .where(Message.id == message_id, Message.claimed_by == token)
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        log.warning("mail %s: claim expired before its outcome was recorded", message_id)
    return result.rowcount == 1


def _release(token: str, until: datetime | None = None) -> None:
    """Give back what this claim did not get to; `until` defers it (server unreachable)."""
    values = {"claimed_by": None, "claimed_until": None}
    if until is not None:
        values["next_attempt_at"] = until
    db.session.execute(
        update(Message)
        .where(Message.claimed_by == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _failure(attempts: int, error: str, *, final: bool = False) -> dict:
    attempts += 1
    values = {"attempts": attempts, "last_error": error[:500]}
    if final or attempts >= MAX_ATTEMPTS:
        return values | {"status": MessageStatus.FAILED.value, "next_attempt_at": None}
    delay = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
    return values | {"next_attempt_at": now() + timedelta(minutes=delay)}


def _sent(message: Claimed) -> dict:
    return {
        "status": MessageStatus.SENT.value,
        "sent_at": now(),
        "attempts": message.attempts + 1,
        "next_attempt_at": None,
        "last_error": None,
        "body_text": redact(message.body_text),
        "body_html": redact(message.body_html),
    }


# --- SMTP -------------------------------------------------------------------------------------


def _build(message: Claimed) -> EmailMessage:
    config = current_app.config
    mail = EmailMessage()
    mail["Subject"] = message.subject
    sender = config.get("MAIL_SENDER") or "tdkt@localhost"
    name = config.get("MAIL_SENDER_NAME")
    mail["From"] = formataddr((name, sender)) if name else sender
    mail["To"] = message.to_addr
    mail.set_content(message.body_text)
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html")
    return mail


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(
        config["MAIL_SERVER"].strip(), int(config.get("MAIL_PORT") or 25), timeout=SMTP_TIMEOUT
    )
    try:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except Exception:
        smtp.close()
        raise
    return smtp


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except Exception:  # noqa: BLE001  (the messages are out; a rude goodbye changes nothing)
        smtp.close()


def _describe(exc: Exception) -> str:
    return str(exc) or exc.__class__.__name__


def _send_batch(token: str, batch: list[Claimed], stop) -> tuple[int, int, bool]:
    """(sent, failed, server reachable). One commit per outcome, no transaction meanwhile."""
    sent = failed = 0
    smtp = None
    try:
        for message in batch:
            if stop is not None and stop.is_set():
                break
            if "@" not in message.to_addr:
                _settle(
                    token, message.id, **_failure(message.attempts, INVALID_ADDRESS, final=True)
                )
                failed += 1
                continue
            try:
                if smtp is None:
                    smtp = _connect()
                smtp.send_message(_build(message))
            except Exception as exc:  # noqa: BLE001  (every failure is recorded and retried)
                error = _describe(exc)
                log.warning("mail %s to %s not sent: %s", message.id, message.to_addr, error)
                values = _failure(message.attempts, error)
                _settle(token, message.id, **values)
                failed += 1
                if smtp is None:  # unreachable: the rest of the batch waits as long as this one
                    _release(token, values["next_attempt_at"] or now() + _FIRST_DELAY)
                    return sent, failed, False
                if not isinstance(exc, smtplib.SMTPRecipientsRefused):
                    _quit(smtp)  # the connection may be in any state: start afresh
                    smtp = None
                continue
            _settle(token, message.id, **_sent(message))
            sent += 1
    finally:
        if smtp is not None:
            _quit(smtp)
    _release(token)  # what a stop left unsent is free again at once
    return sent, failed, True


def deliver(limit: int = 100, *, worker: str | None = None, stop=None) -> tuple[int, int]:
    """Send up to `limit` due messages; (sent, failed attempts). Commits per message.

    What the caller's session holds is committed first (a queued message must be visible to
    be claimed). Without MAIL_SERVER: nothing is tried, one warning line, (0, 0).
    """
    db.session.commit()
    if not configured():
        waiting = count_due()
        db.session.commit()
        if waiting:
            log.warning("%s (%d thư chờ gửi)", UNCONFIGURED, waiting)
        return 0, 0
    sent = failed = 0
    while sent + failed < limit and not (stop is not None and stop.is_set()):
        token, batch = claim(min(BATCH, limit - sent - failed), worker)
        if not batch:
            break
        ok, bad, reachable = _send_batch(token, batch, stop)
        sent, failed = sent + ok, failed + bad
        if not reachable:
            break
    return sent, failed
