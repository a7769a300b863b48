"""Dates the app writes or checks are Vietnam's (Asia/Ho_Chi_Minh), not the server's UTC day:
from midnight to 7 a.m. in Hà Nội the UTC day is still yesterday. Found when the suite ran
at 00:40 Vietnamese time: a unit's meeting held "today" was refused as a future date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dossier import timeutil
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.nominations import operations as ops
from tests import dossier_builders as db_
from tests.flow_builders import unit_with_head

# 18:30 UTC on 2 December = 01:30 on 3 December in Vietnam.
EARLY_MORNING_IN_HANOI = datetime(2026, 12, 2, 18, 30, tzinfo=UTC)


@pytest.fixture
def early(app):
    timeutil.freeze(EARLY_MORNING_IN_HANOI)
    yield
    timeutil.freeze(None)


def test_a_meeting_held_today_in_vietnam_is_not_in_the_future(app, early):
    unit, head = unit_with_head()
    dossier = db_.dossier(unit, db_.campaign(days_left=20))
    today = timeutil.local_now().date()
    assert today.day == 3 and timeutil.now().date().day == 2
    kwargs = dict(chair="Trần Văn Đức", secretary="Lê Thị Quỳnh", present=3, total=3, votes={})
    ops.update_minutes(head, dossier, version=dossier.version, meeting_date=today, **kwargs)
    db.session.flush()
    assert dossier.meeting_date == today
    with pytest.raises(DomainError):  # tomorrow in Vietnam is still refused
        ops.update_minutes(
            head,
            dossier,
            version=dossier.version,
            meeting_date=today + timedelta(days=1),
            **kwargs,
        )


def test_a_new_dossier_letter_is_dated_vietnams_day(app, early):
    unit, head = unit_with_head()
    dossier = ops.create_dossier(head, db_.campaign(days_left=20), unit)
    assert dossier.letter_date == timeutil.local_now().date()
