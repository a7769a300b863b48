"""Helpers the reminder tests share: the frozen local clock around the cut-off, and what
the outbox holds."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from dossier import timeutil
from dossier.extensions import db
from dossier.notify.models import Message
from dossier.timeutil import VN_TZ

# "Trước ngày 20/12/2026": the last accepted instant is Saturday 19/12/2026 23:59:59 local.
DEADLINE = date(2026, 12, 20)
CUTOFF_DAY = date(2026, 12, 19)


def freeze_local(day: date, hour: int = 9) -> None:
    timeutil.freeze(datetime.combine(day, time(hour, 0), VN_TZ))


def days_before(n: int) -> date:
    return CUTOFF_DAY - timedelta(days=n)


def count(event: str | None = None, *, user=None, like: str | None = None) -> int:
    query = select(func.count()).select_from(Message)
    if event:
        query = query.where(Message.event == event)
    if user is not None:
        query = query.where(Message.to_user_id == user.id)
    if like:
        query = query.where(Message.dedup_key.like(like))
    return db.session.scalar(query)


def keys(event: str) -> list[str]:
    return list(db.session.scalars(select(Message.dedup_key).where(Message.event == event)))
