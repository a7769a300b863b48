"""The to-do list: what a unit still owes after the cut-off, and urgent tasks first."""

from __future__ import annotations

from datetime import timedelta

from dossier import timeutil
from dossier.enums import Role
from dossier.extensions import db
from dossier.inbox import tasks_for
from dossier.nominations import operations as ops
from tests import builders as b
from tests import dossier_builders as db_
from tests.intake_builders import submitted


def test_a_returned_dossier_stays_on_the_list_after_the_cut_off(app):
    campaign = db_.campaign(days_left=5)
    d, head = submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    ops.return_for_revision(
        b.user(Role.OFFICE),
        d,
        version=d.version,
        items=[{"nominee_id": None, "component": "minutes", "reason": "Thiếu chữ ký."}],
    )
    draft_unit = b.unit()
    b.user(Role.UNIT_HEAD, unit_obj=draft_unit)
    db.session.commit()
    timeutil.freeze(timeutil.now() + timedelta(days=6))
    try:
        with app.test_request_context():
            tasks = tasks_for(head)
            [task] = [t for t in tasks if t.title.startswith("Bổ sung hồ sơ bị trả lại")]
            assert task.urgent and task.count == 1
            assert "Đã hết hạn nộp" in task.detail and "gia hạn" in task.detail
            assert not any(t.title.startswith("Lập hồ sơ") for t in tasks)
            assert tasks[0] is task  # urgent first
        timeutil.freeze(timeutil.now() + timedelta(days=91))
        with app.test_request_context():  # a campaign long past: nothing owed on it
            assert not [t for t in tasks_for(head) if campaign.name in t.title]
    finally:
        timeutil.freeze(None)
