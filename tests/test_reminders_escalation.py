"""Reminders to council members still voting, and escalation of dossiers waiting too
long for the Văn phòng (split from test_reminders.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dossier import timeutil
from dossier.campaigns.models import Campaign
from dossier.council import operations as council_ops
from dossier.enums import CampaignKind, Role, UnitKind
from dossier.extensions import db
from dossier.notify import reminders
from dossier.notify.models import Holiday, Message
from dossier.timeutil import cutoff_before
from tests import builders as b
from tests import dossier_builders as db_
from tests.reminder_builders import count, freeze_local

# --- council members who have not finished voting ---------------------------------------------


def test_vote_reminders_once_a_day_to_present_members_still_voting(app):
    from tests import council_builders as cb

    freeze_local(date(2026, 12, 10), 8)
    meeting, _, chair, secretary, members = cb.meeting(present=3, size=4)
    absent = members[-1]
    nominees = council_ops.still_to_vote(meeting, chair.id)
    council_ops.cast(chair, meeting, votes={n: True for n in nominees})
    db.session.commit()
    assert council_ops.still_to_vote(meeting, chair.id) == set()

    for _ in range(2):
        reminders.send_due()
    assert count(reminders.EVENT_VOTE) == 2
    assert count(reminders.EVENT_VOTE, user=secretary) == 1
    assert count(reminders.EVENT_VOTE, user=members[0]) == 1
    assert count(reminders.EVENT_VOTE, user=chair) == 0  # voted on everything
    assert count(reminders.EVENT_VOTE, user=absent) == 0
    message = db.session.scalar(select(Message).where(Message.event == reminders.EVENT_VOTE))
    assert f"còn {len(nominees)} đề nghị" in message.subject
    assert f"/hoi-dong/{meeting.id}" in message.body_text

    freeze_local(date(2026, 12, 10), 22)  # later the same local day
    assert reminders.send_due()["vote"] == 0
    freeze_local(date(2026, 12, 11), 8)  # the next day
    assert reminders.send_due()["vote"] == 2
    assert reminders.send_due()["vote"] == 0
    assert count(reminders.EVENT_VOTE, like=f"vote:{meeting.id}:%:2026-12-11") == 2


def test_no_vote_reminder_for_a_meeting_not_open(app):
    from tests import council_builders as cb

    freeze_local(date(2026, 12, 10))
    cb.meeting(present=3, size=3, open_=False)
    assert reminders.send_due()["vote"] == 0


# --- escalation to the Chánh Văn phòng ----------------------------------------------------------


@pytest.fixture
def waiting(app):
    """A dossier submitted on Thursday 03/12/2026; Monday 07/12 is a holiday."""
    freeze_local(date(2026, 12, 3), 16)
    campaign = Campaign(
        name="Khen thưởng chuyên đề",
        year=2026,
        kind=CampaignKind.THEMATIC,
        cutoff_at=cutoff_before(date(2026, 12, 1)),
    )  # closed: no unit reminders
    db.session.add(campaign)
    db.session.add(Holiday(day=date(2026, 12, 7), name="Nghỉ bù"))
    unit = b.unit("Chi cục Tiêu chuẩn Đo lường Chất lượng", "TDC", kind=UnitKind.SUB_DEPARTMENT)
    dossier = db_.dossier(unit, campaign, state="submitted")
    db.session.commit()
    return dossier


def office_user(position: str):
    office_unit = b.unit(kind=UnitKind.OFFICE)
    person = b.staff(office_unit, "Lê Thị Hồng", position=position)
    return b.user(Role.OFFICE, person=person)


def test_escalation_counts_working_days(waiting):
    chief = office_user("Chánh Văn phòng Sở")
    officer = office_user("Chuyên viên")
    for day in (date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 9)):
        freeze_local(day, 17)  # 1, 1 (holiday), 3 working days
        assert reminders.send_due()["escalation"] == 0, day
    freeze_local(date(2026, 12, 10), 8)  # 4 working days
    assert reminders.send_due()["escalation"] == 1
    assert reminders.send_due()["escalation"] == 0
    freeze_local(date(2026, 12, 14), 8)
    assert reminders.send_due()["escalation"] == 0  # not twice
    assert count(reminders.EVENT_ESCALATION) == 1
    assert count(reminders.EVENT_ESCALATION, user=officer) == 0
    message = db.session.scalar(select(Message).where(Message.to_user_id == chief.id))
    assert message.dedup_key == f"escalation:{waiting.id}:{waiting.revision}"
    assert "4 ngày làm việc" in message.body_text
    assert "Chi cục Tiêu chuẩn Đo lường Chất lượng" in message.body_text
    assert f"/ho-so/{waiting.id}" in message.body_text


def test_escalation_again_after_a_resubmission(waiting):
    office_user("Chánh Văn phòng")
    freeze_local(date(2026, 12, 10))
    assert reminders.send_due()["escalation"] == 1
    db_.set_state(waiting, "returned")
    waiting.state, waiting.revision = "submitted", waiting.revision + 1
    waiting.submitted_at = timeutil.now()
    db.session.commit()
    assert reminders.send_due()["escalation"] == 0  # just resubmitted
    freeze_local(date(2026, 12, 16))
    assert reminders.send_due()["escalation"] == 1
    assert count(reminders.EVENT_ESCALATION) == 2


def test_escalation_falls_back_to_every_office_account(waiting, app):
    first, second = office_user("Chuyên viên"), office_user("Phó Chánh Văn phòng")
    app.config["ESCALATION_WORKING_DAYS"] = "1"
    freeze_local(date(2026, 12, 8))  # 2 working days
    assert reminders.send_due()["escalation"] == 2
    assert reminders.send_due()["escalation"] == 0
    assert count(reminders.EVENT_ESCALATION, user=first) == 1
    assert count(reminders.EVENT_ESCALATION, user=second) == 1


def test_accepted_dossiers_are_not_escalated(waiting):
    office_user("Chánh Văn phòng")
    db_.set_state(waiting, "accepted")
    db.session.commit()
    freeze_local(date(2026, 12, 21))
    assert reminders.send_due()["escalation"] == 0
