"""Saving the council's settings (CouncilSetting): an operation, audited, never commits."""

from __future__ import annotations

from .. import audit
from ..access import Action
from ..errors import DomainError
from ..extensions import db
from ..text import nfc
from .common import allowed
from .models import CouncilSetting

FIELDS = ("written_views_count", "written_views_source", "min_ballots", "min_ballots_source")


def save_setting(actor, setting: CouncilSetting, values: dict) -> None:
    """New meetings count by these; a meeting already created keeps the rules it began with."""
    verdict = allowed(actor, Action.MANAGE_MEETING, None, "sửa cài đặt của Hội đồng")
    least = values.get("min_ballots")
    if not isinstance(least, int) or not 2 <= least <= 50:
        raise DomainError("Số phiếu tối thiểu phải từ 2 đến 50.")
    for name in (*FIELDS, "confirmed"):
        value = values.get(name)
        setattr(setting, name, nfc(value) if isinstance(value, str) else value)
    db.session.flush()
    audit.record(
        actor=actor,
        action="council_setting_saved",
        object_type="council_setting",
        object_id=setting.id,
        data={
            "written_views_count": setting.written_views_count,
            "min_ballots": setting.min_ballots,
        },
        verdict=verdict,
    )
