"""Reminders and escalations: counted in the outbox, run twice, interrupted, resumed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from dossier import timeutil
from dossier.campaigns.models import Campaign, Extension
from dossier.enums import CampaignKind, Role, UnitKind
from dossier.extensions import db
from dossier.notify import reminders
from dossier.notify.calendar import add_working_days, working_days_between
from dossier.notify.models import Holiday, Message
from dossier.timeutil import cutoff_before
from tests import builders as b
from tests import dossier_builders as db_
from tests.reminder_builders import (
    CUTOFF_DAY,
    DEADLINE,
    count,
    days_before,
    freeze_local,
    keys,
)
from tests.smtp_server import smtp_server, text_of  # noqa: F401  (the fixture)


@pytest.fixture
def world(app):
    """A campaign; two late units (heads, a clerk), one that submitted, the leadership."""
    freeze_local(days_before(10))
    campaign = Campaign(
        name="Khen thưởng năm 2026",
        year=2026,
        kind=CampaignKind.YEARLY,
        cutoff_at=cutoff_before(DEADLINE),
    )
    db.session.add(campaign)
    late_a = b.unit("Phòng Quản lý khoa học", "QLKH")
    late_b = b.unit("Phòng Kế hoạch – Tài chính", "KHTC")
    done = b.unit("Thanh tra Sở", "TTRA", kind=UnitKind.INSPECTORATE)
    leaders = b.unit("Lãnh đạo Sở", "LDS", kind=UnitKind.LEADERSHIP)
    w = {
        "campaign": campaign,
        "late_a": late_a,
        "late_b": late_b,
        "done": done,
        "head_a": b.user(Role.UNIT_HEAD, unit_obj=late_a),
        "clerk_a": b.user(Role.UNIT_CLERK, unit_obj=late_a),
        "head_b": b.user(Role.UNIT_HEAD, unit_obj=late_b),
        "head_done": b.user(Role.UNIT_HEAD, unit_obj=done),
        "head_leaders": b.user(Role.UNIT_HEAD, unit_obj=leaders),
    }
    db_.dossier(late_b, campaign, state="draft")  # a draft is not a submission
    db_.dossier(done, campaign, state="submitted")
    db.session.commit()
    return w


def late_people(w):
    return [w["head_a"], w["clerk_a"], w["head_b"]]


# --- the working calendar ------------------------------------------------------------------


def test_working_days_skip_weekends_and_holidays(app):
    db.session.add(Holiday(day=date(2026, 12, 7), name="Nghỉ bù"))
    db.session.commit()
    thursday = date(2026, 12, 3)
    assert working_days_between(thursday, thursday) == 0
    assert working_days_between(thursday, date(2026, 12, 4)) == 1  # Friday
    assert working_days_between(thursday, date(2026, 12, 6)) == 1  # Saturday, Sunday
    assert working_days_between(thursday, date(2026, 12, 7)) == 1  # the holiday Monday
    assert working_days_between(thursday, date(2026, 12, 9)) == 3
    assert working_days_between(thursday, date(2026, 12, 10)) == 4
    assert working_days_between(date(2026, 12, 10), thursday) == -4
    assert add_working_days(thursday, 0) == thursday
    assert add_working_days(thursday, 1) == date(2026, 12, 4)
    assert add_working_days(thursday, 2) == date(2026, 12, 8)
    assert add_working_days(thursday, 4) == date(2026, 12, 10)
    assert add_working_days(date(2026, 12, 10), -4) == thursday


def test_add_working_days_through_a_long_holiday(app):
    start = date(2027, 2, 1)  # Monday; Tết: two weeks off
    for i in range(1, 15):
        db.session.add(Holiday(day=start + timedelta(days=i), name="Tết Nguyên đán"))
    db.session.commit()
    assert add_working_days(start, 1) == date(2027, 2, 16)
    assert working_days_between(start, date(2027, 2, 16)) == 1


# --- deadline reminders to the units ---------------------------------------------------------


def test_threshold_due_keeps_only_the_smallest():
    cutoff = CUTOFF_DAY
    assert reminders.threshold_due(cutoff, days_before(8), (7, 3, 1)) is None
    assert reminders.threshold_due(cutoff, days_before(7), (7, 3, 1)) == 7
    assert reminders.threshold_due(cutoff, days_before(4), (7, 3, 1)) == 7
    assert reminders.threshold_due(cutoff, days_before(3), (7, 3, 1)) == 3
    assert reminders.threshold_due(cutoff, days_before(1), (7, 3, 1)) == 1
    assert reminders.threshold_due(cutoff, cutoff, (7, 3, 1)) == 1


def test_unit_reminders_at_8_7_3_1_days_each_run_twice(world):
    w = world
    expected_total = 0
    for n, due in ((8, 0), (7, 3), (3, 3), (1, 3)):
        freeze_local(days_before(n))
        first = reminders.send_due()
        second = reminders.send_due()
        assert first["unit"] == due, n
        assert second == {"unit": 0, "vote": 0, "escalation": 0}, n
        expected_total += due
        assert count(reminders.EVENT_UNIT) == expected_total, n
        for person in late_people(w):
            assert count(reminders.EVENT_UNIT, user=person) == expected_total // 3
        for person in (w["head_done"], w["head_leaders"]):
            assert count(user=person) == 0
    c, a = w["campaign"].id, w["late_a"].id
    assert sorted(
        db.session.scalars(select(Message.dedup_key).where(Message.to_user_id == w["head_a"].id))
    ) == [f"reminder:{c}:{a}:{d}:{w['head_a'].id}" for d in (1, 3, 7)]
    message = db.session.scalar(
        select(Message)
        .where(Message.to_user_id == w["head_b"].id)
        .order_by(Message.id.desc())
        .limit(1)
    )
    assert "Khen thưởng năm 2026" in message.subject
    assert "trước ngày 20/12/2026" in message.body_text
    assert "còn " in message.body_text and "/ho-so/" in message.body_text
    assert message.body_html and "Phòng Kế hoạch – Tài chính" in message.body_html


def test_first_run_on_the_last_day_sends_only_the_one_day_reminder(world):
    freeze_local(days_before(1))
    assert reminders.send_due()["unit"] == 3
    assert all(k.split(":")[3] == "1" for k in keys(reminders.EVENT_UNIT))


def test_no_reminder_after_the_cutoff_and_none_once_submitted(world):
    w = world
    timeutil.freeze(w["campaign"].cutoff_at + timedelta(seconds=1))
    assert reminders.send_due()["unit"] == 0
    freeze_local(days_before(3))
    db_.dossier(w["late_a"], w["campaign"], seq=2, state="submitted")
    db.session.commit()
    assert reminders.send_due()["unit"] == 1  # head_b only: late_a has now submitted
    assert count(user=w["head_a"]) == 0


def test_a_returned_dossier_is_still_reminded(world):
    w = world
    db_.dossier(w["late_a"], w["campaign"], seq=2, state="returned")
    db.session.commit()
    freeze_local(days_before(7))
    assert reminders.send_due()["unit"] == 3


def test_an_extension_moves_the_units_own_thresholds(world):
    w = world
    office = b.user(Role.OFFICE)
    db.session.add(
        Extension(
            campaign_id=w["campaign"].id,
            unit_id=w["late_b"].id,
            until=cutoff_before(DEADLINE + timedelta(days=10)),
            reason="Đơn vị có cán bộ đi công tác dài ngày.",
            granted_by_id=office.id,
        )
    )
    db.session.commit()
    freeze_local(days_before(1))
    assert reminders.send_due()["unit"] == 2  # late_b's cut-off is 11 days away
    assert count(user=w["head_b"]) == 0
    timeutil.freeze(w["campaign"].cutoff_at + timedelta(days=3))  # 7 days before its own
    assert reminders.send_due()["unit"] == 1
    assert keys(reminders.EVENT_UNIT)[-1].split(":")[3] == "7"


def test_reminder_days_from_config(world, app):
    app.config["REMINDER_DAYS"] = "10, 2"
    freeze_local(days_before(7))
    assert reminders.send_due()["unit"] == 3
    assert {k.split(":")[3] for k in keys(reminders.EVENT_UNIT)} == {"10"}


def test_an_interrupted_run_resumes_without_duplicates(world, monkeypatch):
    freeze_local(days_before(3))
    real = reminders._remind_unit
    calls = []

    def dies_after_the_first_unit(*args):
        calls.append(args[1].id)
        if len(calls) > 1:
            raise RuntimeError("killed")
        return real(*args)

    monkeypatch.setattr(reminders, "_remind_unit", dies_after_the_first_unit)
    with pytest.raises(RuntimeError):
        reminders.send_due()
    db.session.rollback()  # the process died: only what was committed remains
    assert count(reminders.EVENT_UNIT) == 2  # late_a (head + clerk), committed
    monkeypatch.setattr(reminders, "_remind_unit", real)
    assert reminders.send_due()["unit"] == 1  # late_b, which was lost, now sent
    assert reminders.send_due()["unit"] == 0
    assert count(reminders.EVENT_UNIT) == 3
    assert len(set(keys(reminders.EVENT_UNIT))) == 3


@pytest.mark.real_db  # a commit that loses to a unique key rolls back for real
def test_a_racing_run_that_committed_first_is_not_duplicated(world, monkeypatch):
    """Another run queues the same key between our check and our commit: retried, skipped."""
    from dossier.notify import mail

    freeze_local(days_before(7))
    w = world
    real = reminders._already_queued
    raced = []

    def stale(keys_):  # our look-up misses what the other run is about to commit
        found = real(keys_)
        if not raced:
            raced.append(True)
            return set()
        return found

    monkeypatch.setattr(reminders, "_already_queued", stale)
    c, a = w["campaign"].id, w["late_a"].id
    mail.enqueue(
        event=reminders.EVENT_UNIT,
        to_user=w["head_a"],
        template="reminder_unit",
        context={
            "campaign": w["campaign"],
            "unit": w["late_a"],
            "threshold": 7,
            "cutoff_words": "",
            "time_left": "",
            "link": "/",
        },
        dedup_key=f"reminder:{c}:{a}:7:{w['head_a'].id}",
    )
    db.session.commit()
    assert reminders.send_due()["unit"] == 2
    assert count(reminders.EVENT_UNIT) == 3


# --- the command ------------------------------------------------------------------------------


def test_cli_prints_the_vietnamese_summary(world, app, monkeypatch):
    from dossier.notify import mail

    freeze_local(days_before(7))
    monkeypatch.setattr(mail, "deliver", lambda limit=100: (0, 0))
    if "reminders" not in app.cli.commands:
        reminders.register_cli(app)
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        "Đã xếp 3 thư nhắc hạn, 0 thư nhắc bỏ phiếu, 0 thư báo chậm xử lý; đã gửi 0."
    )
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--no-deliver"])
    assert result.output.strip().splitlines()[-1] == (
        "Đã xếp 0 thư nhắc hạn, 0 thư nhắc bỏ phiếu, 0 thư báo chậm xử lý."
    )


def test_cli_end_to_end_through_a_real_smtp_server(world, app, smtp_server):  # noqa: F811
    w = world
    freeze_local(days_before(3))
    if "reminders" not in app.cli.commands:
        reminders.register_cli(app)
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        "Đã xếp 3 thư nhắc hạn, 0 thư nhắc bỏ phiếu, 0 thư báo chậm xử lý; đã gửi 3."
    )
    got = smtp_server.handler.to(w["clerk_a"].email)
    assert len(got) == 1
    assert got[0]["Subject"].startswith("Nhắc hạn nộp hồ sơ thi đua, khen thưởng")
    assert "Phòng Quản lý khoa học" in text_of(got[0])
    assert "trước ngày 20/12/2026" in text_of(got[0])
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.output.strip().splitlines()[-1].endswith("; đã gửi 0.")
    assert len(smtp_server.messages) == 3
    assert count(reminders.EVENT_UNIT) == 3
    assert (
        db.session.scalar(select(func.count()).select_from(Message).where(Message.status == "sent"))
        == 3
    )
