"""Personal access tokens: only the SHA-256 of the secret is stored; it is shown once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db
from ..timeutil import now

SCOPES = ("read", "write", "facts:write")
SCOPE_TITLES = {
    "read": "Đọc",
    "write": "Ghi (thao tác trên hồ sơ)",
    "facts:write": "Nhập xếp loại, sáng kiến (hệ thống nhân sự)",
}
# What a token may hold: "read", then any of the others, always in SCOPES order.
SCOPE_SETS = tuple(
    " ".join(s for s in SCOPES if s == "read" or s in extra)
    for extra in ((), ("write",), ("facts:write",), ("write", "facts:write"))
)


class ApiToken(db.Model):
    __tablename__ = "api_token"
    __table_args__ = (
        CheckConstraint(
            "scopes IN (" + ", ".join(f"'{v}'" for v in SCOPE_SETS) + ")", name="scopes"
        ),
        CheckConstraint("expires_at > created_at", name="expiry"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))  # what the owner calls it ("Hệ thống nhân sự")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret
    prefix: Mapped[str] = mapped_column(String(12))  # the first characters, to tell tokens apart
    scopes: Mapped[str] = mapped_column(String(40))  # one of SCOPE_SETS
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_used_at: Mapped[datetime | None]

    user = relationship("User", foreign_keys=[user_id])
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    @property
    def expired(self) -> bool:
        return self.expires_at <= now()

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and not self.expired

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "Đã thu hồi"
        return "Hết hạn" if self.expired else "Đang dùng"
