"""E-mail through the outbox: queue in the act's transaction; a worker delivers later.

`enqueue` only adds a Message to the caller's session (the caller commits with its act, so
a message exists only if the act happened). No request ever talks SMTP: `deliver`
(delivery.py) runs in `flask --app wsgi mail worker` or the timer's one-shot commands, one
message per transaction, and what fails is retried with a growing delay.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for
from jinja2 import TemplateNotFound
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..text import nfc
from .delivery import deliver, has_due
from .models import Message, MessageStatus
from .worker import register_cli

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
        status=MessageStatus.QUEUED.value,
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


# --- delivery: see delivery.py (claims, SMTP) and worker.py (the commands) -------------------

__all__ = ["enqueue", "link", "deliver", "has_due", "register_cli"]
