"""Helpers the substitution tests share: the frozen day, the Văn phòng pair (the `office`
fixture), naming a substitute, and "nothing was saved"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from dossier import timeutil
from dossier.audit import AuditEvent
from dossier.enums import Role
from dossier.extensions import db
from dossier.org import delegation as ops
from dossier.org.models import Delegation
from dossier.timeutil import VN_TZ
from tests import builders as b

TODAY = date(2026, 12, 1)


def at(day: date, hour: int = 9) -> None:
    timeutil.freeze(datetime.combine(day, time(hour), VN_TZ))


@pytest.fixture
def office(app):
    """The Chánh Văn phòng (office role) and the Phó (no role of their own)."""
    at(TODAY)
    unit = b.unit("Văn phòng Sở", "VP")
    chief = b.user(Role.OFFICE, person=b.staff(unit, "Lê Văn An", position="Chánh Văn phòng"))
    deputy = b.user(None, person=b.staff(unit, "Trần Thị Bình", position="Phó Chánh Văn phòng"))
    yield chief, deputy
    timeutil.freeze(None)


def name(
    chief, deputy, start=TODAY, end=TODAY + timedelta(days=4), reason="Nghỉ phép năm", by=None
):
    """`by` (default: the person away) names the substitute; across units it takes the
    admin."""
    d = ops.create(
        by or chief, delegator=chief, substitute=deputy, starts_on=start, ends_on=end, reason=reason
    )
    db.session.commit()
    return d


def nothing_saved() -> None:
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "delegation_created")
        )
        == 0
    )
