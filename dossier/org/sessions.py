"""Server-side sessions: a sign-in is a row in `user_session`, and it ends when the row goes.

Flask's signed cookie still carries the CSRF token, flashed messages and Flask-Login's user id,
plus a random session token; the database keeps only the token's hash, with when the session
began and when it was last seen. Every request looks the row up (`load`), so signing out,
"sign out everywhere" and a password change end a session on every app server at once, and
a cookie saved before then is refused. Idle and absolute lifetimes are settings
(SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS).

`last_seen_at` is written at most once a minute per session, so reading pages does not turn
every request into a write (SQLite queues writers).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..timeutil import now
from .models import User, UserSession

TOKEN_KEY = "sid"
TOUCH_EVERY = timedelta(minutes=1)
EXPIRED_MESSAGE = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _lifetimes() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return (
        timedelta(minutes=int(config["SESSION_IDLE_MINUTES"])),
        timedelta(hours=int(config["SESSION_ABSOLUTE_HOURS"])),
    )


def start(user: User) -> None:
    """A new session for `user`: whatever the browser's cookie held before is dropped (so the
    CSRF token is new too), and the session is recorded; the caller commits."""
    session.clear()
    moment = now()
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_hash(token), user_id=user.id, created_at=moment, last_seen_at=moment
        )
    )
    _purge_expired(moment)
    session[TOKEN_KEY] = token


def _purge_expired(moment) -> None:
    idle, absolute = _lifetimes()
    db.session.execute(
        delete(UserSession).where(
            (UserSession.last_seen_at < moment - idle)
            | (UserSession.created_at < moment - absolute)
        )
    )


# One statement for what every page reads: the session, its user with their staff record,
# roles and the delegations they hold (each was a statement of its own). Built once: a
# statement object keeps its cache key, so each request skips building it and computing the
# key again (about a fifth of this look-up's time).
_LOAD = (
    select(UserSession, User)
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.token_hash == bindparam("token_hash"))
    .options(joinedload(User.roles), joinedload(User.delegations_received))
)


def load(user_id: str) -> User | None:
    """Flask-Login's user loader: the user of a live session of this browser, or None."""
    token = session.get(TOKEN_KEY)
    if not token or not isinstance(token, str):
        return None
    found = db.session.execute(_LOAD, {"token_hash": _hash(token)}).unique().first()
    if found is None:
        return None
    record, user = found
    if str(record.user_id) != str(user_id):
        return None
    moment = now()
    idle, absolute = _lifetimes()
    if moment - record.last_seen_at > idle or moment - record.created_at > absolute:
        g.session_expired = True  # the sign-in page says why
        return None
    if not user.active:
        return None
    if moment - record.last_seen_at >= TOUCH_EVERY:
        _touch(record, moment)
    return user


def own_transaction():
    """A short transaction on a connection of its own, committed at the end of the block.

    The test harness points it at the test's connection (inside a savepoint): there, a second
    connection would wait for the test's own write lock on SQLite."""
    return db.engine.begin()


def _touch(record: UserSession, moment) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        # A page only reads: its transaction must not turn into a write (on SQLite a read
        # transaction cannot always be upgraded). A short transaction of its own records it.
        with own_transaction() as conn:
            conn.execute(
                update(UserSession)
                .where(UserSession.token_hash == record.token_hash)
                .values(last_seen_at=moment)
            )
    else:
        record.last_seen_at = moment  # committed with the request's own work


def current_hash() -> str | None:
    token = session.get(TOKEN_KEY)
    return _hash(token) if isinstance(token, str) and token else None


def end_current() -> None:
    """End this browser's session (server-side) and forget the cookie's contents."""
    token_hash = current_hash()
    if token_hash:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == token_hash))
    session.clear()


def end_all(user: User, *, keep: str | None = None) -> int:
    """End every session of `user` but the one whose hash is `keep`; how many ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        query = query.where(UserSession.token_hash != keep)
    return db.session.execute(query).rowcount


def count(user: User) -> int:
    """Live sessions of `user` (an expired row not yet purged is not counted)."""
    moment = now()
    idle, absolute = _lifetimes()
    return db.session.scalar(
        select(func.count())
        .select_from(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.last_seen_at >= moment - idle,
            UserSession.created_at >= moment - absolute,
        )
    )
