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


def token(owner: User, *, write: bool = True, days: int = 30, facts: bool | None = None) -> str:
    """A token for `owner`; with `write`, "facts:write" too when the owner may import."""
    if facts is None:
        facts = write and api_ops.may_import_facts(owner)
    scopes = ["read", "write"] if write else ["read"]
    _, secret = api_ops.issue(
        owner, owner, name="Kiểm thử", scopes=scopes + (["facts:write"] if facts else []), days=days
    )
    db.session.commit()
    return secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
