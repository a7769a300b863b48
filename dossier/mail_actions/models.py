"""A link in an e-mail that lets one person do one task once, before it expires."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db
from ..org.models import User


class ActionLink(db.Model):
    """Only the SHA-256 of the token is stored: the token itself exists in the e-mail alone
    (the outbox copy is blanked once the message is sent, see notify.mail)."""

    __tablename__ = "action_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # "vote", "issue_decision"
    object_id: Mapped[int]
    # The object's version when the mail went out: a draft edited since kills the link.
    bound_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
