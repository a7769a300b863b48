"""E-mail through the outbox: queue in the act's transaction, deliver after it commits.

`enqueue` only adds a Message to the caller's session (the caller commits with its act, so
a message exists only if the act happened). `deliver` sends what is due, one message per
transaction, so a failed send never blocks, rolls back or loses another message's state.
A request that leaves messages behind has them attempted at its teardown, after its
commit; what fails is retried with a growing delay (`flask --app wsgi mail send`).
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr

import click
from flask import current_app, render_template, url_for
from jinja2 import TemplateNotFound
from markupsafe import escape
from sqlalchemy import event, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..text import nfc
from ..timeutil import now
from .models import Message

log = logging.getLogger(__name__)

# Delay before the 2nd, 3rd, 4th and 5th attempt; after the 5th failure: status failed.
BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = 5
# A message being sent is claimed by pushing next_attempt_at this far: another worker (the
# CLI, another request) skips it meanwhile, so nothing is sent twice.
CLAIM_MINUTES = 10
INVALID_ADDRESS = "Địa chỉ e-mail không hợp lệ (thiếu ký tự «@»): không gửi được."
_UNSAVED = "notify.mail.unsaved"
_ACTION_TOKEN = re.compile(r"(/thu/)[A-Za-z0-9_-]{20,}")


def _redact(text: str) -> str:
    return _ACTION_TOKEN.sub(r"\1[liên-kết-đã-gửi]", text)


# --- queueing ------------------------------------------------------------------------


def _render(template: str, context: dict) -> tuple[str, str, str | None]:
    """(subject, text, html) from templates/mail/<template>.txt (+ .html when it exists)."""
    text = render_template(f"mail/{template}.txt", **context).strip("\n")
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        subject, body = first.split(":", 1)[1].strip(), rest.lstrip("\n")
    else:
        subject, body = first.strip(), text
    try:
        html = render_template(f"mail/{template}.html", subject=subject, **context)
    except TemplateNotFound as err:
        if err.name != f"mail/{template}.html":
            raise
        html = None
    note = context.get("standing_in_for")
    if note:  # a substitute's copy says why it came to them
        line = f"(Anh/chị nhận thư này vì đang làm thay {note}.)"
        body = f"{line}\n\n{body}"
        if html:
            at = html.find("<p")
            html = html[:at] + f"<p><em>{escape(line)}</em></p>\n" + html[at:] if at >= 0 else html
    return nfc(subject)[:300], nfc(body) + "\n", nfc(html) if html else None


def enqueue(
    *,
    event: str,
    to_user=None,
    to_addr: str | None = None,
    template: str,
    context: dict | None = None,
    dedup_key: str | None = None,
) -> Message | None:
    """Add one message to the caller's transaction (never commits); None when skipped.

    Skipped silently: a recipient without an e-mail address, or a dedup_key already queued
    (a reminder run done twice). The unique constraint is the backstop for a race.
    """
    addr = (to_addr or (to_user.email if to_user is not None else None) or "").strip()
    if not addr:
        return None
    if dedup_key is not None:
        exists = db.session.scalar(select(Message.id).where(Message.dedup_key == dedup_key))
        if exists is not None:
            return None
        for pending in db.session.new:  # queued earlier in this same transaction
            if isinstance(pending, Message) and pending.dedup_key == dedup_key:
                return None
    context = dict(context or {})
    context.setdefault("user", to_user)
    subject, body_text, body_html = _render(template, context)
    message = Message(
        event=event,
        dedup_key=dedup_key,
        to_user_id=to_user.id if to_user is not None else None,
        to_addr=addr,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        status="queued",
        attempts=0,
    )
    if dedup_key is None:
        db.session.add(message)
        return message
    try:
        with db.session.begin_nested():  # a race on the key loses only this message
            db.session.add(message)
    except IntegrityError:
        return None
    return message


def link(endpoint: str, **values) -> str:
    """An absolute link when the server's name is known, else the path alone."""
    try:
        return url_for(endpoint, _external=True, **values)
    except RuntimeError:  # outside a request, and SERVER_NAME unset
        adapter = current_app.url_map.bind(
            "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
        )
        path = adapter.build(endpoint, values)
        base = (current_app.config.get("MAIL_BASE_URL") or "").rstrip("/")
        return base + path


# --- delivery ------------------------------------------------------------------------


def _due():
    moment = now()
    return (Message.status == "queued") & or_(
        Message.next_attempt_at.is_(None), Message.next_attempt_at <= moment
    )


def _claim(message_id: int) -> bool:
    """Take one due message for this worker (atomic): False if someone else took it."""
    moment = now()
    result = db.session.execute(
        update(Message)
        .where(Message.id == message_id, _due())
        .values(next_attempt_at=moment + timedelta(minutes=CLAIM_MINUTES))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _build(message: Message) -> EmailMessage:
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


def _smtp():
    config = current_app.config
    smtp = smtplib.SMTP(
        config.get("MAIL_SERVER") or "localhost", int(config.get("MAIL_PORT") or 25), timeout=10
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


def _failed(message: Message, error: str) -> None:
    message.attempts += 1
    message.last_error = error[:500]
    if message.attempts >= MAX_ATTEMPTS:
        message.status, message.next_attempt_at = "failed", None
    else:
        delay = BACKOFF_MINUTES[min(message.attempts, len(BACKOFF_MINUTES)) - 1]
        message.next_attempt_at = now() + timedelta(minutes=delay)


def deliver(limit: int = 100) -> tuple[int, int]:
    """Send up to `limit` due messages; (sent, failed attempts). Commits per message."""
    ids = db.session.scalars(
        select(Message.id).where(_due()).order_by(Message.id).limit(limit)
    ).all()
    db.session.commit()  # end the read: each claim below begins its own write
    sent = failed = 0
    smtp = None
    try:
        for message_id in ids:
            if not _claim(message_id):
                continue
            message = db.session.get(Message, message_id)
            if "@" not in message.to_addr:
                message.attempts += 1
                message.status, message.next_attempt_at = "failed", None
                message.last_error = INVALID_ADDRESS
                db.session.commit()
                failed += 1
                continue
            try:
                if smtp is None:
                    smtp = _smtp()
                smtp.send_message(_build(message))
            except Exception as exc:  # noqa: BLE001  (every failure is recorded and retried)
                log.warning("mail %s to %s not sent: %s", message.id, message.to_addr, exc)
                _failed(message, str(exc) or exc.__class__.__name__)
                db.session.commit()
                failed += 1
                if smtp is None:  # the server is unreachable: the others wait their turn
                    break
                if not isinstance(exc, smtplib.SMTPRecipientsRefused):
                    _quit(smtp)
                    smtp = None
                continue
            message.status, message.sent_at = "sent", now()
            message.next_attempt_at, message.last_error = None, None
            # A link that acts lives in the recipient's mailbox only, not in our outbox.
            message.body_text = _redact(message.body_text)
            message.body_html = _redact(message.body_html) if message.body_html else None
            message.attempts += 1
            db.session.commit()
            sent += 1
    finally:
        if smtp is not None:
            _quit(smtp)
    return sent, failed


def _quit(smtp) -> None:
    try:
        smtp.quit()
    except Exception:  # noqa: BLE001
        smtp.close()


def has_due() -> bool:
    """One indexed query: is anything waiting to be sent now?"""
    return db.session.scalar(select(Message.id).where(_due()).limit(1)) is not None


# --- after each request ----------------------------------------------------------------


def _mark_unsaved(session, _flush_context) -> None:
    session.info[_UNSAVED] = True


def _mark_saved(session) -> None:
    session.info.pop(_UNSAVED, None)


def _request_left_work(session) -> bool:
    """True when the request flushed or changed something it did not commit."""
    return bool(session.info.get(_UNSAVED) or session.new or session.dirty or session.deleted)


def init_app(app) -> None:
    """Attempt due messages at the end of each request, after its commit, never before.

    Runs at teardown; skipped when the request failed or left uncommitted work (that work
    is the request's to commit or drop, never ours). Errors are logged and swallowed: the
    response is already decided.
    """
    if "dossier.mail" in app.extensions:  # registered once, however often it is called
        return
    app.extensions["dossier.mail"] = True
    app.config.setdefault("MAIL_DELIVER_AFTER_REQUEST", True)
    with app.app_context():
        factory = db.session.session_factory
    if not event.contains(factory, "after_flush", _mark_unsaved):
        event.listen(factory, "after_flush", _mark_unsaved)
        event.listen(factory, "after_commit", _mark_saved)
        event.listen(factory, "after_rollback", _mark_saved)

    @app.teardown_request
    def _deliver_after_request(exc) -> None:
        if exc is not None or not app.config.get("MAIL_DELIVER_AFTER_REQUEST", True):
            return
        try:
            session = db.session()
            if _request_left_work(session):
                return
            if has_due():
                deliver(limit=20)
            else:
                session.commit()  # nothing was changed: just end the read transaction
        except Exception:  # noqa: BLE001
            log.exception("mail delivery after the request failed")
            try:
                db.session.rollback()  # only our own delivery's state, never the request's
            except Exception:  # noqa: BLE001
                log.exception("rollback after mail delivery failed")


# --- command line ------------------------------------------------------------------------


def register_cli(app) -> None:
    @app.cli.group("mail")
    def mail_group():
        """Thư điện tử: gửi các thư đang chờ trong hộp thư đi."""

    @mail_group.command("send")
    @click.option("--limit", default=100, show_default=True, help="Số thư gửi tối đa.")
    def send_command(limit: int):
        """Gửi các thư đến hạn (thư lỗi được thử lại theo lịch)."""
        sent, failed = deliver(limit=limit)
        click.echo(f"Đã gửi {sent} thư; {failed} thư chưa gửi được (sẽ thử lại).")
