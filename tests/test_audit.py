"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from dossier import audit
from dossier.extensions import db
from tests import builders as b


def _three_events(actor):
    for i in range(3):
        audit.record(
            actor=actor, action="test", object_type="thing", object_id=i, comment=f"sự kiện {i}"
        )
    db.session.commit()


def test_chain_verifies(app):
    _three_events(b.user())
    count, broken, _ = audit.verify()
    assert (count, broken) == (3, None)


def test_update_and_delete_are_refused_by_the_database(app):
    _three_events(b.user())
    with pytest.raises(DatabaseError):
        db.session.execute(text("UPDATE audit_event SET comment = 'sửa' WHERE seq = 2"))
    db.session.rollback()
    with pytest.raises(DatabaseError):
        db.session.execute(text("DELETE FROM audit_event WHERE seq = 3"))
    db.session.rollback()


def _tamper(sql: str) -> None:
    """Simulate someone with raw database access who disabled the triggers."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
            conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        else:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        conn.execute(text(sql))
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))


@pytest.mark.real_db  # _tamper writes on a second connection
def test_edited_event_is_named(app):
    _three_events(b.user())
    _tamper("UPDATE audit_event SET comment = 'đã sửa' WHERE seq = 2")
    _, broken, why = audit.verify()
    assert broken == 2 and "bị sửa" in why


@pytest.mark.real_db  # _tamper writes on a second connection
def test_deleted_middle_event_is_named(app):
    _three_events(b.user())
    _tamper("DELETE FROM audit_event WHERE seq = 2")
    _, broken, _ = audit.verify()
    assert broken == 2


@pytest.mark.real_db  # _tamper writes on a second connection
def test_deleted_last_event_is_detected(app):
    _three_events(b.user())
    _tamper("DELETE FROM audit_event WHERE seq = 3")
    _, broken, _ = audit.verify()
    assert broken == 3


@pytest.mark.real_db  # _tamper writes on a second connection
def test_cli_verify_names_the_broken_link(app):
    _three_events(b.user())
    runner = app.test_cli_runner()
    assert "OK: 3 sự kiện" in runner.invoke(args=["audit", "verify"]).output
    db.session.rollback()  # the CLI ran in this test's session; release its read
    _tamper("UPDATE audit_event SET actor_name = 'Người khác' WHERE seq = 1")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "HỎNG tại sự kiện số 1" in result.output
