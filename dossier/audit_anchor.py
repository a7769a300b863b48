"""Checkpoints that seal the audit chain's head with a key the database does not hold.

The hash chain (audit.py) shows an edited event, but whoever can write to the database can
also recompute every later hash and the head, or drop the last events and fix the head. A
checkpoint records the head (seq, hash) at a moment, with an HMAC-SHA256 under a key derived
(HKDF) from AUDIT_ANCHOR_KEY if set, else from SECRET_KEY; neither is ever in the database.
Each checkpoint's MAC covers the previous one's, and each adds an `audit_anchored` event to
the chain naming its number and MAC, so a deleted checkpoint is missed by the next one, or,
for the newest, by the chain itself.

Written by `flask --app wsgi audit anchor` (daily, from a timer) and with every decision
issued (same transaction). `check()` — what `flask audit verify` and the admin's audit page
run — names a rewritten chain, a cut chain, a deleted or forged checkpoint, and warns when
the newest checkpoint is older than STALE_AFTER.

What no checkpoint in the database can show: events written after the newest checkpoint and
rewritten before the next one, or a rollback of the whole database (events and checkpoints)
to an earlier consistent state. The staleness warning and the lines `audit anchor` prints
(kept by the journal or cron's mail, outside the database) bound both.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import DDL, String, event, select
from sqlalchemy.orm import Mapped, mapped_column

from . import audit
from .audit import GENESIS, AuditHead
from .extensions import db
from .timeutil import now, short_date, to_local

STALE_AFTER = timedelta(hours=26)  # a daily timer, with slack
REASONS = {"daily": "hằng ngày", "decision": "ban hành quyết định", "manual": "chạy tay"}


class AuditCheckpoint(db.Model):
    __tablename__ = "audit_checkpoint"
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    seq: Mapped[int]  # the chain's head when sealed
    head_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(20))
    prev_mac: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))

    @property
    def label(self) -> str:
        local = to_local(self.at)
        return f"số {self.number} ngày {short_date(local)} lúc {local:%H:%M}"


SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END",
    "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END",
]
POSTGRES_TRIGGERS = [
    # audit_event's function (audit.py), created here too: create_all makes this table
    # before audit_event (no foreign key orders them), and a fresh database has neither.
    audit.POSTGRES_TRIGGERS[0],
    "CREATE TRIGGER audit_checkpoint_no_change BEFORE UPDATE OR DELETE ON audit_checkpoint "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]
for _sql in SQLITE_TRIGGERS:
    event.listen(AuditCheckpoint.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRES_TRIGGERS:
    event.listen(
        AuditCheckpoint.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql")
    )


def _key() -> bytes:
    # cryptography imported on first use, not at every start (issue 17)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    secret = current_app.config.get("AUDIT_ANCHOR_KEY") or current_app.config["SECRET_KEY"]
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"audit-anchor-v1", info=b"audit-checkpoint"
    ).derive(secret.encode())


def _mac(cp: AuditCheckpoint, key: bytes) -> str:
    body = json.dumps(
        {
            "number": cp.number,
            "at": cp.at.isoformat(),
            "seq": cp.seq,
            "head_hash": cp.head_hash,
            "reason": cp.reason,
            "prev_mac": cp.prev_mac,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def anchor(*, reason: str, actor=None) -> AuditCheckpoint:
    """Seal the chain's head now, in the caller's transaction (which commits)."""
    # Lock the head: no event may be appended between reading it and sealing it.
    seq, head_hash = db.session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
    ).one()
    last = db.session.scalar(
        select(AuditCheckpoint).order_by(AuditCheckpoint.number.desc()).limit(1)
    )
    cp = AuditCheckpoint(
        number=last.number + 1 if last else 1,
        # Microseconds are dropped so the stored value MACs the same on every database.
        at=now().replace(microsecond=0),
        seq=seq,
        head_hash=head_hash,
        reason=reason,
        prev_mac=last.mac if last else GENESIS,
    )
    cp.mac = _mac(cp, _key())
    db.session.add(cp)
    db.session.flush()
    audit.record(
        actor=actor,
        action=audit.ANCHORED,
        object_type="system",
        object_id=cp.number,
        data={"checkpoint": cp.number, "seq": seq, "mac": cp.mac},
    )
    return cp


def latest() -> AuditCheckpoint | None:
    return db.session.scalar(
        select(AuditCheckpoint).order_by(AuditCheckpoint.number.desc()).limit(1)
    )


@dataclass
class Verdict:
    events: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    broken_seq: int | None = None  # the chain's own first broken link
    latest: AuditCheckpoint | None = None  # the newest checkpoint with a valid MAC

    @property
    def ok(self) -> bool:
        return not self.problems


def check() -> Verdict:
    """The chain, every checkpoint, and each against the other."""
    verdict = Verdict()
    key = _key()
    stored = list(db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.number)))
    verdict.checkpoints = len(stored)
    valid = _check_checkpoints(stored, key, verdict)
    found = audit.walk({cp.seq for cp in valid})
    verdict.events = found.count
    if found.broken is not None:
        verdict.broken_seq = found.broken
        verdict.problems.insert(0, f"tại sự kiện số {found.broken}: {found.explanation}")
    _compare(valid, found, verdict)
    _missing(stored, found, verdict)
    if valid:
        verdict.latest = valid[-1]
        if now() - valid[-1].at > STALE_AFTER:
            verdict.warnings.append(
                f"mốc niêm phong mới nhất ({valid[-1].label}) đã quá 26 giờ: lệnh "
                "«flask --app wsgi audit anchor» hằng ngày có chạy không?"
            )
    elif found.count and verdict.ok:
        verdict.warnings.append(
            "chưa có mốc niêm phong nào: chạy «flask --app wsgi audit anchor» hằng ngày"
        )
    return verdict


def _check_checkpoints(stored, key, verdict: Verdict) -> list[AuditCheckpoint]:
    """Checkpoints whose MAC holds; names forged ones and gaps in the numbering."""
    valid, expected_number, prev_mac, gap = [], 1, GENESIS, False
    for cp in stored:
        if cp.number != expected_number:
            missing = (
                f"số {expected_number}"
                if cp.number == expected_number + 1
                else f"từ số {expected_number} đến số {cp.number - 1}"
            )
            verdict.problems.append(f"mốc niêm phong {missing} đã bị xóa")
            gap = True
        if not hmac.compare_digest(cp.mac, _mac(cp, key)):
            verdict.problems.append(
                f"mốc niêm phong {cp.label} sai mã xác thực: bị sửa hoặc giả mạo (hoặc khóa "
                "niêm phong AUDIT_ANCHOR_KEY/SECRET_KEY đã bị đổi)"
            )
        else:
            if cp.prev_mac != prev_mac and not gap:
                verdict.problems.append(
                    f"mốc niêm phong {cp.label} không nối với mốc trước: mốc trước đã bị "
                    "thay hoặc xóa"
                )
            valid.append(cp)
        expected_number, prev_mac, gap = cp.number + 1, cp.mac, False
    return valid


def _compare(valid, found: audit.Walk, verdict: Verdict) -> None:
    """Each sealed head against the chain as it is now. A checkpoint sealed seq S and wrote
    its own event as S + 1 in the same transaction, so the chain must reach S + 1 too."""
    since = 0  # the seq of the last checkpoint that matched
    for cp in valid:
        if cp.seq + 1 > found.last_seq:
            verdict.problems.append(
                f"chuỗi nhật ký bị cắt: mốc niêm phong {cp.label} ghi nhận đến sự kiện số "
                f"{cp.seq + 1}, nay chuỗi chỉ còn đến số {found.last_seq}"
            )
            return
        if found.broken is not None and cp.seq >= found.broken:
            return  # already named: the chain itself is broken before this point
        own = found.anchored.get(cp.number)
        if (cp.seq and found.hashes.get(cp.seq) != cp.head_hash) or own != (cp.seq + 1, cp.mac):
            verdict.problems.append(
                f"sự kiện số {cp.seq} không khớp mốc niêm phong {cp.label}: chuỗi đã bị viết "
                f"lại trong khoảng từ sự kiện số {since + 1} đến số {cp.seq + 1}"
            )
            return
        since = cp.seq + 1


def _missing(stored, found: audit.Walk, verdict: Verdict) -> None:
    """Checkpoints the chain records (audit_anchored events) that the table no longer has."""
    numbers = {cp.number for cp in stored}
    top = max(numbers, default=0)
    for number, (seq, _) in sorted(found.anchored.items()):
        if number > top:  # a gap below the newest is named by _check_checkpoints
            verdict.problems.append(f"mốc niêm phong số {number} (sự kiện số {seq}) đã bị xóa")
    if not stored and found.count:
        first = db.session.scalar(select(audit.AuditEvent.at).order_by(audit.AuditEvent.seq))
        if first is not None and now() - first > STALE_AFTER:
            verdict.problems.append(
                f"nhật ký có từ {short_date(first)} mà không có mốc niêm phong nào: các mốc đã "
                "bị xóa, hoặc lệnh «flask --app wsgi audit anchor» chưa từng chạy"
            )


def reason_title(reason: str) -> str:
    return REASONS.get(reason, reason)
