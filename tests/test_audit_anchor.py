"""Sealed checkpoints catch what the hash chain alone cannot: an attacker with write access
to the database who rewrites the chain consistently, cuts its tail, or deletes or forges
checkpoints. Each attack below first bypasses the append-only triggers, as such a person
would, and is then named by `audit verify`."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from dossier import audit, audit_anchor, timeutil
from dossier.audit import AuditEvent
from dossier.audit_anchor import AuditCheckpoint, anchor, check
from dossier.enums import Role
from dossier.extensions import db
from tests import builders as b

TRIGGERS = {
    "sqlite": [
        ("audit_event_no_update", "audit_event", "UPDATE"),
        ("audit_event_no_delete", "audit_event", "DELETE"),
        ("audit_checkpoint_no_update", "audit_checkpoint", "UPDATE"),
        ("audit_checkpoint_no_delete", "audit_checkpoint", "DELETE"),
    ],
}


def _events(actor, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        audit.record(actor=actor, action="test", object_type="thing", object_id=i, comment=f"{i}")
    db.session.commit()


def _history():
    """Events 1–3, checkpoint 1 (seq 3, its event 4), events 5–6, checkpoint 2 (seq 6,
    event 7), events 8–9."""
    actor = b.user()
    _events(actor, 3)
    anchor(reason="daily")
    db.session.commit()
    _events(actor, 2, 3)
    anchor(reason="decision")
    db.session.commit()
    _events(actor, 2, 5)
    return actor


def _as_attacker(*statements: str, params: list[dict] | None = None) -> None:
    """Raw SQL with the append-only triggers out of the way, as a database writer could."""
    db.session.commit()
    with db.engine.begin() as conn:
        dialect = conn.dialect.name
        if dialect == "sqlite":
            for name, _, _ in TRIGGERS["sqlite"]:
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        else:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE audit_checkpoint DISABLE TRIGGER USER"))
        for i, sql in enumerate(statements):
            conn.execute(text(sql), (params or [{}] * len(statements))[i])
        if dialect == "postgresql":
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE audit_checkpoint ENABLE TRIGGER USER"))
    db.session.expire_all()


REWRITE = "UPDATE audit_event SET comment = :comment, prev_hash = :prev, hash = :h WHERE seq = :seq"


def _rewrite_consistently(edit_seq: int, comment: str, keep_until: int | None = None) -> None:
    """Edit one event, then recompute every later hash and the head (and drop the events
    after keep_until), so that the chain alone verifies again."""
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    if keep_until is not None:
        events = [e for e in events if e.seq <= keep_until]
    prev, updates = audit.GENESIS, []
    for ev in events:
        fields = audit._fields(ev)
        if ev.seq == edit_seq:
            fields["comment"] = comment
        digest = audit._digest(prev, fields)
        updates.append({"seq": ev.seq, "comment": fields["comment"], "prev": prev, "h": digest})
        prev = digest
    last = events[-1].seq
    _as_attacker(
        f"DELETE FROM audit_event WHERE seq > {last}",
        *[REWRITE] * len(updates),
        f"UPDATE audit_head SET seq = {last}, hash = '{prev}' WHERE id = 1",
        params=[{}, *updates, {}],
    )
    assert audit.verify()[1] is None  # the chain alone no longer shows anything


def _problems() -> list[str]:
    verdict = check()
    assert not verdict.ok
    return verdict.problems


def test_untouched_chain_with_checkpoints_is_ok(app):
    _history()
    verdict = check()
    assert verdict.ok and verdict.warnings == []
    assert (verdict.events, verdict.checkpoints, verdict.latest.number) == (9, 2, 2)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "OK: 9 sự kiện" in result.output and "2 mốc niêm phong khớp" in result.output


@pytest.mark.real_db
def test_an_edited_event_is_named(app):
    _history()
    _as_attacker("UPDATE audit_event SET comment = 'đã sửa' WHERE seq = 5")
    assert _problems()[0] == "tại sự kiện số 5: nội dung sự kiện số 5 đã bị sửa"
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "HỎNG tại sự kiện số 5" in result.output


@pytest.mark.real_db
def test_a_consistently_recomputed_chain_is_named(app):
    _history()
    _rewrite_consistently(edit_seq=5, comment="đã sửa")
    (problem,) = _problems()
    day = timeutil.short_date(timeutil.now())
    assert problem.startswith(f"sự kiện số 6 không khớp mốc niêm phong số 2 ngày {day}")
    assert "từ sự kiện số 5 đến số 7" in problem  # after checkpoint 1 (seq 3 and its event 4)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "không khớp mốc niêm phong số 2" in result.output


@pytest.mark.real_db
def test_a_rewrite_after_the_newest_checkpoint_waits_for_the_next_one(app):
    """The window the design leaves: events after the newest checkpoint are sealed by the
    next one. A rewrite there is invisible until then, and the daily checkpoint bounds it."""
    _history()
    _rewrite_consistently(edit_seq=9, comment="đã sửa")
    assert check().ok


@pytest.mark.real_db
def test_a_truncated_chain_is_named(app):
    _history()
    _rewrite_consistently(edit_seq=0, comment="", keep_until=5)  # drop events 6–9, fix head
    problems = _problems()
    assert any(
        p.startswith("chuỗi nhật ký bị cắt: mốc niêm phong số 2")
        and p.endswith("ghi nhận đến sự kiện số 7, nay chuỗi chỉ còn đến số 5")
        for p in problems
    ), problems


@pytest.mark.real_db
def test_dropping_only_the_checkpoints_own_event_is_named(app):
    actor = b.user()
    _events(actor, 3)
    anchor(reason="daily")  # seals seq 3, writes event 4
    db.session.commit()
    _rewrite_consistently(edit_seq=0, comment="", keep_until=3)
    assert any("bị cắt" in p and "đến sự kiện số 4" in p for p in _problems())


@pytest.mark.real_db
def test_a_deleted_last_checkpoint_is_named(app):
    _history()
    _as_attacker("DELETE FROM audit_checkpoint WHERE number = 2")
    assert _problems() == ["mốc niêm phong số 2 (sự kiện số 7) đã bị xóa"]


@pytest.mark.real_db
def test_a_deleted_middle_checkpoint_is_named(app):
    _history()
    anchor(reason="daily")
    db.session.commit()
    _as_attacker("DELETE FROM audit_checkpoint WHERE number = 2")
    assert _problems() == ["mốc niêm phong số 2 đã bị xóa"]


@pytest.mark.real_db
def test_a_forged_checkpoint_is_named(app):
    """Without the key: a checkpoint sealing a rewritten chain, MAC'd under a guessed key."""
    _history()
    _rewrite_consistently(edit_seq=5, comment="đã sửa")
    head_seq, head_hash = db.session.execute(text("SELECT seq, hash FROM audit_head")).one()
    last = audit_anchor.latest()
    forged = AuditCheckpoint(
        number=3,
        at=timeutil.now().replace(microsecond=0),
        seq=head_seq,
        head_hash=head_hash,
        reason="daily",
        prev_mac=last.mac,
    )
    forged.mac = audit_anchor._mac(forged, hashlib.sha256(b"test-secret").digest())
    db.session.add(forged)  # the triggers refuse UPDATE and DELETE, not INSERT
    db.session.commit()
    problems = _problems()
    assert any(
        p.startswith("mốc niêm phong số 3 ngày") and "sai mã xác thực" in p for p in problems
    )
    assert any("không khớp mốc niêm phong số 2" in p for p in problems)  # still caught


def test_the_key_comes_from_audit_anchor_key_when_set(app):
    app.config["AUDIT_ANCHOR_KEY"] = "khóa-niêm-phong-riêng"
    _history()
    app.config["SECRET_KEY"] = "rotated-secret"  # the anchor key alone decides
    assert check().ok
    app.config["AUDIT_ANCHOR_KEY"] = "another"
    assert sum("sai mã xác thực" in p for p in _problems()) == 2


def test_a_stale_checkpoint_warns(app):
    _history()
    timeutil.freeze(timeutil.now() + timedelta(hours=27))
    verdict = check()
    assert verdict.ok and len(verdict.warnings) == 1 and "quá 26 giờ" in verdict.warnings[0]
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "CẢNH BÁO: mốc niêm phong mới nhất (số 2" in result.output


def test_an_old_chain_without_any_checkpoint_is_named(app):
    _events(b.user(), 3)
    assert check().ok and "chưa có mốc" in check().warnings[0]  # a fresh install
    timeutil.freeze(timeutil.now() + timedelta(days=2))
    assert "không có mốc niêm phong nào" in _problems()[0]


@pytest.mark.real_db
def test_anchor_command_seals_and_refuses_a_broken_chain(app):
    _events(b.user(), 3)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "anchor"])
    assert (
        result.exit_code == 0
        and "mốc số 1" in result.output
        and "đến sự kiện số 3" in result.output
    )
    db.session.rollback()
    cp = audit_anchor.latest()
    assert (cp.number, cp.seq, cp.reason) == (1, 3, "daily")
    _as_attacker("UPDATE audit_event SET comment = 'x' WHERE seq = 2")
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 1 and "Không niêm phong" in result.output
    db.session.rollback()
    assert audit_anchor.latest().number == 1


def test_issuing_a_decision_seals_the_chain_in_its_transaction(app):
    from dossier.decisions import operations as ops
    from tests.decision_builders import approved, people, sign_and_issue

    office, director, _ = people()
    c, _, _ = approved(2)
    decision = ops.draft(office, c)
    db.session.commit()
    sign_and_issue(director, decision)
    db.session.commit()
    cp = audit_anchor.latest()
    issued = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decision_issued"))
    sealed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == audit.ANCHORED))
    # The seal covers everything the act wrote: the decision's event, then its dossiers'
    # moves (the engine fires them after the decision's transition); the seal's own event
    # comes right after.
    after = db.session.scalars(
        select(AuditEvent.object_type).where(AuditEvent.seq > issued.seq, AuditEvent.seq <= cp.seq)
    ).all()
    assert cp.reason == "decision" and issued.seq <= cp.seq == sealed.seq - 1
    assert after and set(after) == {"dossier"}
    assert check().ok


def test_checkpoints_are_append_only(app):
    import pytest
    from sqlalchemy.exc import DatabaseError

    _history()
    for sql in ("UPDATE audit_checkpoint SET seq = 1", "DELETE FROM audit_checkpoint"):
        with pytest.raises(DatabaseError):
            db.session.execute(text(sql))
        db.session.rollback()


@pytest.mark.real_db
def test_admin_audit_page_shows_checkpoint_and_verdict(app, as_user):
    _history()
    admin = as_user(b.user(Role.ADMIN))
    html = admin.get("/quan-tri/nhat-ky").get_data(as_text=True)
    assert "Mốc niêm phong gần nhất: số 2" in html and "niêm phong nhật ký" in html
    html = admin.get("/quan-tri/nhat-ky?verify=1").get_data(as_text=True)
    assert re.search(r"Đã kiểm tra \d+ sự kiện và 2 mốc niêm phong: chuỗi nhật ký toàn vẹn", html)
    _as_attacker("DELETE FROM audit_checkpoint WHERE number = 2")
    html = admin.get("/quan-tri/nhat-ky?verify=1").get_data(as_text=True)
    assert "mốc niêm phong số 2 (sự kiện số 7) đã bị xóa" in html
