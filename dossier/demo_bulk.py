"""Synthetic units with submitted dossiers for benchmarks (`--units N
--nominees-per-unit M`), inserted in bulk: operations would audit every row.

Split out of demo_dossiers.py, which imports `_bulk` back.
"""

from __future__ import annotations

import random

from sqlalchemy import select

from . import audit
from .campaigns.models import Campaign
from .enums import Gender, NomineeKind, NomineeStatus, UnitKind
from .extensions import db
from .nominations.models import AchievementReport, Dossier, Nominee
from .org.models import Staff, Unit
from .states import DossierState
from .text import fold, name_sort_key
from .timeutil import local_now, now


def _bulk(campaign: Campaign, units: int, per_unit: int) -> str:
    """Synthetic units with submitted dossiers, inserted in bulk for benchmarks."""
    rng = random.Random(units * 1000 + per_unit)
    forms = {f.code: f for f in campaign.award_forms}
    from .demo_org import _people

    existing = db.session.scalar(select(Unit).where(Unit.code == "TN1"))
    if existing is not None:
        return "Đơn vị thử nghiệm đã có sẵn, không tạo thêm."
    for k in range(1, units + 1):
        unit = Unit(
            code=f"TN{k}",
            name=f"Đơn vị thử nghiệm {k}",
            kind=UnitKind.DIVISION,
            sort_order=1000 + k,
        )
        db.session.add(unit)
        db.session.flush()
        d = Dossier(
            campaign_id=campaign.id,
            unit_id=unit.id,
            seq=1,
            state=DossierState.SUBMITTED,
            revision=1,
            submitted_at=now(),
            letter_number=f"{k}/TTr-TN{k}",
            letter_date=local_now().date(),
            letter_signer="Thủ trưởng",
            meeting_date=local_now().date(),
            meeting_chair="Chủ trì",
            meeting_secretary="Thư ký",
            meeting_present=per_unit,
            meeting_total=per_unit,
        )
        db.session.add(d)
        db.session.flush()
        rows = []
        for name, gender in _people(rng, per_unit):
            staff = Staff(unit_id=unit.id, position="Chuyên viên", gender=gender)
            staff.set_name(name)
            db.session.add(staff)
            code = "CSTDCS" if rng.random() < 0.1 else "LDTT"
            rows.append(
                Nominee(
                    dossier_id=d.id,
                    kind=NomineeKind.INDIVIDUAL,
                    staff=staff,
                    name=name,
                    name_folded=fold(name),
                    sort_key=name_sort_key(name),
                    position="Chuyên viên",
                    unit_label=unit.name,
                    gender=Gender(gender),
                    award_form_id=forms[code].id,
                    status=NomineeStatus.PROPOSED,
                    votes_for=per_unit - 1,
                    votes_against=1,
                    report=AchievementReport(
                        duties="Chuyên môn.", achievements="Hoàn thành tốt.", confirmed_at=now()
                    ),
                )
            )
        db.session.add_all(rows)
        db.session.flush()
        audit.record(
            actor=None,
            action="demo_bulk_dossier",
            object_type="dossier",
            object_id=d.id,
            to_state=DossierState.SUBMITTED,
            data={"nominees": per_unit},
        )
    return f"Đã thêm {units} đơn vị thử nghiệm, mỗi đơn vị một hồ sơ {per_unit} đề nghị."
