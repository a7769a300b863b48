"""A refused act rolls back to its savepoint, never the whole session.

Operations never commit or roll back; a view runs each act in `acting()` (dossier/errors.py),
whose savepoint undoes what the refused act wrote and nothing the request did before it;
the request then commits once. Only the error handlers (after an exception, the session
is reset whole) and the machinery outside requests (the limiter's counter, the mail worker,
the reminder queue) may roll a session back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import get_flashed_messages
from sqlalchemy import func, select

from dossier.audit import AuditEvent
from dossier.enums import Role
from dossier.errors import DomainError, acting
from dossier.extensions import db
from dossier.intake import operations as intake_ops
from dossier.nominations import operations as dossier_ops
from dossier.nominations.models import Dossier
from tests import builders as b
from tests import dossier_builders as db_
from tests.intake_builders import submitted

PACKAGE = Path(__file__).resolve().parent.parent / "dossier"
# Where rolling the whole session back is right: after an error (errors.reset_session), and
# outside any request's acts (the limiter's own counter, the mail worker, the reminders).
MAY_ROLL_BACK = {"errors.py", "throttle.py", "notify/worker.py", "notify/reminder_queue.py"}


def _rollbacks(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "rollback"
        and "session" in ast.unparse(node.func.value)
    ]


def test_no_view_or_operation_rolls_the_whole_session_back():
    found = {
        f"{path.relative_to(PACKAGE).as_posix()}:{line}"
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).as_posix() not in MAY_ROLL_BACK
        for line in _rollbacks(path)
    }
    assert not found, f"use errors.acting() (a savepoint) instead: {sorted(found)}"
    # …and the allowed ones still exist (a renamed file must not widen the list silently).
    assert all((PACKAGE / name).exists() for name in MAY_ROLL_BACK)


def _events(dossier: Dossier) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.object_type == "dossier", AuditEvent.object_id == dossier.id)
    )


def _three_dossiers():
    """Three submitted dossiers; the third is returned for revision, so accepting it fails."""
    c = db_.campaign()
    office = b.user(Role.OFFICE)
    d1, _ = submitted(c, [("Nguyễn Văn Hải", "LDTT")])
    d2, _ = submitted(c, [("Trần Thị Lan", "LDTT")])
    d3, _ = submitted(c, [("Lê Minh Tâm", "LDTT")])
    dossier_ops.return_for_revision(
        office,
        d3,
        version=d3.version,
        items=[{"nominee_id": None, "component": "minutes", "reason": "Thiếu chữ ký."}],
    )
    db.session.commit()
    return c, office, d1, d2, d3


def test_a_refused_act_undoes_itself_and_keeps_what_the_request_did_before(app):
    _c, office, d1, d2, d3 = _three_dossiers()
    before = {d.id: _events(d) for d in (d1, d2, d3)}
    with app.test_request_context():
        with acting() as first:
            dossier_ops.accept(office, d1, version=d1.version)
        # Bulk acceptance composes acts: d2 is accepted in its own savepoint, d3 refused;
        # all or none, so the refusal undoes d2's acceptance too — and nothing of d1's.
        with acting() as second:
            intake_ops.bulk_accept(office, [(d2, d2.version), (d3, d3.version)])
        messages = get_flashed_messages()
    assert not first.refused and second.refused
    assert messages[0].startswith("Chưa tiếp nhận hồ sơ nào")
    db.session.commit()  # the request commits once
    db.session.expire_all()
    assert (d1.state, d2.state, d3.state) == ("accepted", "submitted", "returned")
    assert _events(d1) > before[d1.id]  # the first act's audit event is kept
    assert (_events(d2), _events(d3)) == (before[d2.id], before[d3.id])  # nothing of the rest


def test_acting_lets_anything_but_a_refusal_through(app):
    with app.test_request_context():
        with pytest.raises(ZeroDivisionError), acting():
            1 / 0  # noqa: B018
        with acting(say=None) as outcome:
            raise DomainError("Không.")
        assert outcome.refused and not get_flashed_messages()


def _no_rollback():
    raise AssertionError("a view rolled the whole session back")


def test_a_refused_page_act_changes_nothing_without_a_session_rollback(app, as_user):
    c, office, d1, d2, d3 = _three_dossiers()
    client = as_user(office)
    before = {d.id: _events(d) for d in (d1, d2, d3)}
    stale = d1.version
    dossier_ops.accept(office, d1, version=d1.version)
    db.session.commit()
    db.session.expire_all()
    monkey = pytest.MonkeyPatch()  # undone before the test's own teardown rolls back
    try:
        monkey.setattr(db.session, "rollback", _no_rollback)
        bulk = client.post(
            f"/tiep-nhan/{c.id}/tiep-nhan",
            {"dossier": [f"{d2.id}:{d2.version}", f"{d3.id}:{d3.version}"]},
            follow_redirects=True,
        )
        act = client.post(  # the generic act view: accepting d1 again, from an old page
            f"/ho-so/{d1.id}/thao-tac/accept",
            {"version": stale},
            page=f"/ho-so/{d1.id}",
            follow_redirects=True,
        )
    finally:
        monkey.undo()
    assert "Chưa tiếp nhận hồ sơ nào" in bulk.get_data(as_text=True)
    page = act.get_data(as_text=True)
    assert "Đã tiếp nhận hồ sơ." not in page and "vừa được người khác cập nhật" in page
    db.session.expire_all()
    assert (d1.state, d2.state, d3.state) == ("accepted", "submitted", "returned")
    assert (_events(d2), _events(d3)) == (before[d2.id], before[d3.id])
