"""Tokens for API tests: one per demo role, and a client call with a bearer header."""

from __future__ import annotations

from sqlalchemy import select

from dossier.api import operations as api_ops
from dossier.extensions import db
from dossier.org.models import User

ROLE_LOGINS = {
    "admin": "quantri",
    "director": "giamdoc",
    "office": "vanphong",
    "unit_head": "truongphong.qlkh",
    "unit_clerk": "canbo.qlkh",
    "council": "congdoan",
}


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def token(owner: User, *, write: bool = True, days: int = 30) -> str:
    _, secret = api_ops.issue(
        owner, owner, name="Kiểm thử", scopes=["read", "write"] if write else ["read"], days=days
    )
    db.session.commit()
    return secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
