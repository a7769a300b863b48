"""The audit trail: append-only, hash-chained, written in the same transaction as the act.

Each event stores the hash of the one before it; `flask audit verify` recomputes the chain
and names the first broken link. A single-row head (`audit_head`) is locked by the
UPDATE that takes the next sequence number, so concurrent transactions cannot fork the
chain; database triggers refuse UPDATE and DELETE on the events themselves.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import DDL, ForeignKey, String, Text, event, select, update
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .timeutil import now

GENESIS = "0" * 64
ANCHORED = "audit_anchored"  # the event a checkpoint adds to the chain (audit_anchor.py)


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))  # substitution
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[str | None] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (db.Index("ix_audit_object", "object_type", "object_id"),)

    @property
    def payload(self) -> dict:
        return json.loads(self.data) if self.data else {}


class AuditHead(db.Model):
    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))


HEAD_ROW_SQL = f"INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS}')"

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]

# create_all (tests) gets the same head row and triggers as the Alembic migration.
event.listen(AuditHead.__table__, "after_create", DDL(HEAD_ROW_SQL))
for _sql in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRES_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))


def _digest(prev_hash: str, fields: dict) -> str:
    body = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


def _fields(ev: AuditEvent) -> dict:
    return {
        "seq": ev.seq,
        "at": ev.at.isoformat(),
        "actor_id": ev.actor_id,
        "actor_name": ev.actor_name,
        "on_behalf_of": ev.on_behalf_of,
        "action": ev.action,
        "object_type": ev.object_type,
        "object_id": ev.object_id,
        "from_state": ev.from_state,
        "to_state": ev.to_state,
        "comment": ev.comment,
        "data": ev.data,
    }


def record(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    comment: str | None = None,
    data: dict | None = None,
    on_behalf_of: str | None = None,
    verdict=None,
) -> AuditEvent:
    """Append one event in the caller's transaction (the request commits once).

    `verdict` is what access.can() answered for this act: when it was allowed through a
    delegation (the actor stands in for someone), the event names both, the actor with
    their position and the person they replace.
    """
    actor_name = str(actor) if actor is not None else "Hệ thống"
    delegation = getattr(verdict, "on_behalf_of", None)
    if delegation is not None:
        actor_name = actor.label
        on_behalf_of = on_behalf_of or delegation.delegator_label
    seq, prev = db.session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.hash)
    ).one()
    ev = AuditEvent(
        seq=seq,
        # Microseconds are dropped so the stored value hashes the same on every database.
        at=now().replace(microsecond=0),
        actor_id=getattr(actor, "id", None),
        actor_name=actor_name,
        on_behalf_of=on_behalf_of,
        action=action,
        object_type=object_type,
        object_id=object_id,
        from_state=from_state,
        to_state=to_state,
        comment=comment or None,
        data=json.dumps(data, ensure_ascii=False, sort_keys=True, default=str) if data else None,
        prev_hash=prev,
    )
    ev.hash = _digest(prev, _fields(ev))
    db.session.add(ev)
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=ev.hash))
    return ev


@dataclass
class Walk:
    """What walking the chain found: events read, the first broken link (or None) and why,
    the stored hash at each requested seq, the last seq reached, the checkpoints it records."""

    count: int = 0
    broken: int | None = None
    explanation: str = "chuỗi nhật ký toàn vẹn"
    hashes: dict[int, str] = field(default_factory=dict)
    last_seq: int = 0
    anchored: dict[int, tuple[int, str]] = field(default_factory=dict)  # number: (seq, mac)


def walk(marks: set[int] = frozenset()) -> Walk:
    """Recompute the chain from the first event; keep the hashes at `marks` (checkpoints)."""
    found = Walk()
    prev, expected_seq = GENESIS, 1
    query = select(AuditEvent).order_by(AuditEvent.seq)
    for ev in db.session.scalars(query).yield_per(1000):
        found.count += 1
        if found.broken is None:
            if ev.seq != expected_seq:
                found.broken = expected_seq
                found.explanation = f"thiếu sự kiện số {expected_seq} (gặp số {ev.seq})"
            elif ev.prev_hash != prev:
                found.broken = ev.seq
                found.explanation = f"sự kiện số {ev.seq} không nối với sự kiện trước"
            elif _digest(prev, _fields(ev)) != ev.hash:
                found.broken = ev.seq
                found.explanation = f"nội dung sự kiện số {ev.seq} đã bị sửa"
        if ev.seq in marks:
            found.hashes[ev.seq] = ev.hash
        if ev.action == ANCHORED:
            info = ev.payload
            found.anchored[int(info.get("checkpoint", 0))] = (ev.seq, str(info.get("mac", "")))
        prev, expected_seq, found.last_seq = ev.hash, ev.seq + 1, ev.seq
    head = db.session.get(AuditHead, 1)
    if found.broken is None and head and (head.seq != found.last_seq or head.hash != prev):
        found.broken, found.explanation = expected_seq, "sự kiện cuối chuỗi đã bị xóa"
    return found


def verify() -> tuple[int, int | None, str]:
    """Walk the chain; return (events checked, first broken seq or None, explanation).

    The chain alone cannot tell a consistent rewrite or a cut tail: audit_anchor.check()
    also compares it with the sealed checkpoints (what `flask audit verify` runs).
    """
    found = walk()
    return found.count, found.broken, found.explanation


def timeline(object_type: str, object_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.seq)
        )
    )
