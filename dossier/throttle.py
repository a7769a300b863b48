"""How often one may guess: sign-in, e-mail links, the public signature check (Flask-Limiter).

Only failures count (Flask-Limiter's `deduct_when`), in fixed windows that grow ("10/minute;
30/hour;100/day"), so the wait grows with persistence:

- per client address, over every account and every e-mail link: one address cannot try
  every user or every token;
- per account and address: a stranger who fails on `giamdoc` is stopped at their own address;
- per account from clients it has never signed in from (every address together): many
  addresses guessing one account are stopped too;
- a browser that signed in to the account before holds a signed "known device" cookie
  (OWASP's device cookies). For that account it is exempt from the three limits above and
  has a budget of its own, so nobody else's failures stop the real user on their own machine.

Known and unknown names meet the same limits and the same hashing work (org/models.py).

The counters live where RATELIMIT_STORAGE_URI says: by default `database://`, this app's own
database (`RateLimitCounter` below, a storage class for the `limits` library), which every
app server shares; expired windows are deleted, so guessed names leave nothing behind.
`memory://` is per process; `redis://…` or `memcached://…` also work across servers.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta

from flask import current_app, g, request
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits.storage import Storage
from sqlalchemy import String, case, delete, func, literal, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db, limiter
from .text import nfc
from .timeutil import now

# --- the counters, in the database ------------------------------------------------------


class RateLimitCounter(db.Model):
    """One fixed window of one limit: a hash of its key (never the typed name), a count."""

    __tablename__ = "rate_limit_counter"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int]
    expires_at: Mapped[datetime] = mapped_column(index=True)


PURGE_BATCH = 500  # expired windows deleted each time a window begins


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


class DatabaseStorage(Storage):
    """`limits` storage over this app's database: RATELIMIT_STORAGE_URI = "database://".

    Reads run in the request's session (on SQLite, a transaction the storage opened, it
    closes again).
    Counting runs after the view (`deduct_when`), when the request's work is committed or
    would be dropped at teardown anyway: the storage rolls back what is left, writes the
    counter and commits, so the count survives whatever the request did.
    """

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def _read(self, query):
        opened = not db.session().in_transaction()
        value = db.session.execute(query).scalar()
        if opened and db.engine.dialect.name == "sqlite":
            # A read only: release what it began (SQLite's transactions here begin
            # IMMEDIATE, holding the write lock). PostgreSQL's read-only transaction goes on
            # as the request's own: closing and opening it again cost two round trips.
            db.session.commit()
        return value

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        moment = now()
        table = RateLimitCounter.__table__
        pg = db.engine.dialect.name == "postgresql"
        if pg:
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        fresh = literal(moment + timedelta(seconds=expiry), type_=table.c.expires_at.type)
        expired = table.c.expires_at <= moment
        upsert = (
            insert(table)
            .values(key_hash=_key_hash(key), count=amount, expires_at=fresh)
            .on_conflict_do_update(
                index_elements=[table.c.key_hash],
                set_={
                    "count": case((expired, amount), else_=table.c.count + amount),
                    "expires_at": case((expired, fresh), else_=table.c.expires_at),
                },
            )
            .returning(table.c.count)
        )
        db.session.rollback()
        count = db.session.execute(upsert).scalar_one()
        if count == amount:
            # A window began (a new row, or an expired one reset): sweep expired windows
            # then, never waiting on a row another server holds (once past its upsert a
            # transaction waits for nothing, so two of them cannot deadlock). Each row was
            # added by such a beginning, which deletes up to PURGE_BATCH old ones: expired
            # rows cannot pile up, and a count that merely goes on costs no second statement.
            stale = select(table.c.key_hash).where(expired).limit(PURGE_BATCH)
            if pg:
                stale = stale.with_for_update(skip_locked=True)
            db.session.execute(delete(table).where(table.c.key_hash.in_(stale.scalar_subquery())))
        db.session.commit()
        return count

    def get(self, key: str) -> int:
        table = RateLimitCounter.__table__
        query = select(table.c.count).where(
            table.c.key_hash == _key_hash(key), table.c.expires_at > now()
        )
        return self._read(query) or 0

    def get_expiry(self, key: str) -> float:
        table = RateLimitCounter.__table__
        expires = self._read(select(table.c.expires_at).where(table.c.key_hash == _key_hash(key)))
        return (expires or now()).timestamp()

    def check(self) -> bool:
        try:
            self._read(select(func.count()).select_from(RateLimitCounter.__table__))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        count = db.session.execute(delete(RateLimitCounter.__table__)).rowcount
        db.session.commit()
        return count

    def clear(self, key: str) -> None:
        table = RateLimitCounter.__table__
        db.session.execute(delete(table).where(table.c.key_hash == _key_hash(key)))
        db.session.commit()


# --- known devices (OWASP device cookies) -------------------------------------------------

DEVICE_COOKIE = "thiet_bi"
DEVICES_KEPT = 5  # accounts remembered per browser (a shared office computer)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def _device_entries() -> list[list[str]]:
    if "known_devices" not in g:
        entries = []
        raw = request.cookies.get(DEVICE_COOKIE)
        if raw:
            max_age = int(current_app.config["KNOWN_DEVICE_DAYS"]) * 86400
            try:
                entries = [e for e in _serializer().loads(raw, max_age=max_age) if len(e) == 2]
            except (BadSignature, TypeError, ValueError):
                entries = []
        g.known_devices = entries
    return g.known_devices


def account_key(username: str | None) -> str:
    return nfc(username or "").strip().lower()[:60]


def typed_account() -> str:
    return account_key(request.form.get("username"))


def device_nonce(account: str) -> str | None:
    """This browser's device id for `account`, if it signed in to that account before."""
    return next((nonce for name, nonce in _device_entries() if name == account), None)


def remember_device(response, account: str) -> None:
    """After a successful sign-in: this browser is a known device of `account`."""
    nonce = device_nonce(account) or secrets.token_urlsafe(16)
    others = [e for e in _device_entries() if e[0] != account][: DEVICES_KEPT - 1]
    days = int(current_app.config["KNOWN_DEVICE_DAYS"])
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps([[account, nonce], *others]),
        max_age=days * 86400,
        path="/dang-nhap",  # only the sign-in page needs it
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


# --- the limits ---------------------------------------------------------------------------


def client_address() -> str:
    return request.remote_addr or "-"


def _known_device() -> bool:
    return device_nonce(typed_account()) is not None


def _unknown_device() -> bool:
    return not _known_device()


def _setting(name: str):
    return lambda: current_app.config[name]


def _failed_sign_in(response) -> bool:
    return response.status_code == 401


def _dead_link(response) -> bool:
    return response.status_code in (403, 404, 410)


ADDRESS_MESSAGE = "Có quá nhiều lần đăng nhập sai hoặc liên kết sai từ địa chỉ này."
ACCOUNT_MESSAGE = "Tài khoản này đã bị nhập sai mật khẩu nhiều lần."
ACCOUNT_WIDE_MESSAGE = (
    "Tài khoản này đang bị nhập sai mật khẩu nhiều lần từ nhiều nơi; tạm thời chỉ đăng nhập "
    "được từ máy đã đăng nhập thành công trước đây."
)
UPLOAD_MESSAGE = "Địa chỉ này đã gửi quá nhiều tệp để kiểm tra."

_by_address = dict(
    scope="failures-by-address",  # sign-in failures and dead e-mail links count together
    key_func=client_address,
    error_message=ADDRESS_MESSAGE,
)

sign_in_limits = [
    limiter.shared_limit(
        _setting("RATELIMIT_PER_ADDRESS"),
        **_by_address,
        methods=["POST"],
        exempt_when=_known_device,
        deduct_when=_failed_sign_in,
    ),
    limiter.limit(
        _setting("RATELIMIT_PER_ACCOUNT_ADDRESS"),
        key_func=lambda: f"{typed_account()}|{client_address()}",
        methods=["POST"],
        exempt_when=_known_device,
        deduct_when=_failed_sign_in,
        error_message=ACCOUNT_MESSAGE,
    ),
    limiter.limit(
        _setting("RATELIMIT_PER_ACCOUNT"),
        key_func=lambda: f"account|{typed_account()}",
        scope="account",
        methods=["POST"],
        exempt_when=_known_device,
        deduct_when=_failed_sign_in,
        error_message=ACCOUNT_WIDE_MESSAGE,
    ),
    limiter.limit(
        _setting("RATELIMIT_PER_DEVICE"),
        key_func=lambda: f"device|{device_nonce(typed_account())}",
        scope="device",
        methods=["POST"],
        exempt_when=_unknown_device,
        deduct_when=_failed_sign_in,
        error_message=ACCOUNT_MESSAGE,
    ),
]


def limit_sign_in(view):
    for decorate in reversed(sign_in_limits):
        view = decorate(view)
    return view


# Applied to the whole /thu/ blueprint: every page of a link answers "dead" to a wrong token.
mail_link_limit = limiter.shared_limit(
    _setting("RATELIMIT_PER_ADDRESS"), **_by_address, deduct_when=_dead_link
)

# Anyone may upload a PDF to have its signature checked; every upload costs work.
upload_limit = limiter.limit(
    _setting("RATELIMIT_PER_ADDRESS"),
    key_func=client_address,
    methods=["POST"],
    exempt_when=lambda: current_user.is_authenticated,  # staff are not strangers
    error_message=UPLOAD_MESSAGE,
)


# --- the 429 page -------------------------------------------------------------------------


def _wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} giây"
    if seconds < 90 * 60:
        return f"{math.ceil(seconds / 60)} phút"
    return f"{math.ceil(seconds / 3600)} giờ"


def register(app) -> None:
    @app.errorhandler(RateLimitExceeded)
    def too_many(err):
        from .errors import _page

        db.session.rollback()
        breached = limiter.current_limit
        wait = 60
        if breached is not None:
            wait = max(1, breached.reset_at - int(now().timestamp()))
        body, code = _page(429, f"{err.description} Vui lòng thử lại sau {_wait_words(wait)}.")
        return body, code, {"Retry-After": str(wait)}
