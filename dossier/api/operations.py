"""Personal access tokens: issue, revoke, authenticate. Operations commit nothing.

A token is `tdkt_` + 32 random bytes (URL-safe base64); the database keeps its SHA-256 (hex)
and its first characters, so a copy of the database gives no usable token. Who may issue or
revoke: the owner for themselves (signed in with a password, never with a token) and the
administrator for anyone. Each act is an audit event.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from .. import audit
from ..access import Action, Refused, can
from ..errors import DomainError
from ..extensions import db
from ..text import nfc
from ..timeutil import now
from .models import SCOPES, ApiToken

PREFIX = "tdkt_"
MAX_DAYS = 366
MAX_NAME = 100


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def may_import_facts(user) -> bool:
    """Who may import ratings and initiatives on the pages (the import's own guard)."""
    return bool(can(user, Action.EDIT_STAFF_FACTS))


def _may_manage(actor, owner) -> bool:
    return bool(actor.id == owner.id or can(actor, Action.ADMIN))


def issue(actor, owner, *, name: str, scopes: list[str], days: int) -> tuple[ApiToken, str]:
    """A new token for `owner`; returns the row and the secret (shown once, never stored)."""
    if not _may_manage(actor, owner):
        raise Refused("Chỉ chủ tài khoản hoặc quản trị viên được tạo mã truy cập.")
    name = nfc(name or "").strip()
    problems = []
    if not name:
        problems.append("Hãy đặt tên cho mã truy cập (hệ thống nào dùng nó).")
    if len(name) > MAX_NAME:
        problems.append(f"Tên mã truy cập không được dài quá {MAX_NAME} ký tự.")
    wanted = set(scopes) | {"read"}
    if not wanted <= set(SCOPES):
        problems.append("Phạm vi chỉ có thể là đọc, ghi, hoặc nhập xếp loại và sáng kiến.")
    if "facts:write" in wanted and not may_import_facts(owner):
        problems.append(
            "Chỉ tài khoản được nhập xếp loại, sáng kiến trên trang (Văn phòng) mới nhận "
            "được phạm vi “facts:write”."
        )
    if not 1 <= days <= MAX_DAYS:
        problems.append(f"Thời hạn phải từ 1 đến {MAX_DAYS} ngày.")
    if not owner.active:
        problems.append("Tài khoản đã bị khóa: không tạo được mã truy cập.")
    if problems:
        raise DomainError("Chưa tạo được mã truy cập.", problems)
    secret = PREFIX + secrets.token_urlsafe(32)
    moment = now()
    token = ApiToken(
        user_id=owner.id,
        name=name,
        token_hash=digest(secret),
        prefix=secret[: len(PREFIX) + 4],
        scopes=" ".join(s for s in SCOPES if s in wanted),
        created_at=moment,
        created_by_id=actor.id,
        expires_at=moment + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor=actor,
        action="api_token.issue",
        object_type="api_token",
        object_id=token.id,
        data={"owner": owner.username, "name": name, "scopes": token.scopes, "days": days},
    )
    return token, secret


def revoke(actor, token: ApiToken) -> None:
    if not _may_manage(actor, token.user):
        raise Refused("Chỉ chủ tài khoản hoặc quản trị viên được thu hồi mã truy cập.")
    if token.revoked_at is not None:
        raise DomainError("Mã truy cập này đã được thu hồi trước đó.")
    token.revoked_at = now()
    token.revoked_by_id = actor.id
    audit.record(
        actor=actor,
        action="api_token.revoke",
        object_type="api_token",
        object_id=token.id,
        data={"owner": token.user.username, "name": token.name},
    )


TOUCH_EVERY = timedelta(minutes=5)


def authenticate(secret: str) -> ApiToken | None:
    """The token this secret opens, if it is live and its owner active; else None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or not token.usable or not token.user.active:
        return None
    moment = now()
    if token.last_used_at is None or moment - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = moment  # written with the request's commit, at most every 5 min
    return token


def tokens_of(owner) -> list[ApiToken]:
    return db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == owner.id).order_by(ApiToken.id.desc())
    ).all()
