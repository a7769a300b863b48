"""A complete dossier, built through the real operations (so the checklist passes)."""

from __future__ import annotations

from datetime import timedelta

from dossier.enums import NomineeKind, Role
from dossier.extensions import db
from dossier.nominations import operations as ops
from dossier.timeutil import now
from tests import builders as b
from tests import dossier_builders as db_


def unit_with_head(name: str = "Phòng Quản lý Khoa học", code: str = "QLKH"):
    unit = b.unit(name=name, code=code)
    head = b.user(Role.UNIT_HEAD, unit_obj=unit, username=f"head_{code.lower()}")
    for person in ("Nguyễn Thị Ánh", "Trần Văn Đức", "Lê Thị Quỳnh"):
        b.staff(unit, person)
    return unit, head


def forms(dossier):
    return {f.code: f for f in dossier.campaign.award_forms}


def complete(dossier, head, *, individuals: int = 2, collective: bool = True):
    """Fill a draft so it passes the checklist: letter, nominees, confirmed reports, minutes."""
    from sqlalchemy import select

    from dossier.org.models import Staff

    f = forms(dossier)
    ops.update_letter(
        head,
        dossier,
        version=dossier.version,
        number="15/TTr-QLKH",
        letter_date=now().date(),
        signer=head.display_name,
        text="Đề nghị.",
    )
    db.session.flush()
    people = db.session.scalars(
        select(Staff)
        .where(Staff.unit_id == dossier.unit_id, Staff.hold_reason.is_(None))
        .order_by(Staff.id)
    ).all()
    people = [p for p in people if p.user is None][:individuals]
    for person in people:
        ops.add_nominee(
            head,
            dossier,
            version=dossier.version,
            kind=NomineeKind.INDIVIDUAL,
            award_form_id=f["LDTT"].id,
            staff_id=person.id,
        )
        db.session.flush()
    if collective:
        ops.add_nominee(
            head,
            dossier,
            version=dossier.version,
            kind=NomineeKind.COLLECTIVE,
            award_form_id=f["TTLDTT"].id,
            name=dossier.unit.name,
        )
        db.session.flush()
    for n in dossier.nominees:
        ops.save_report(
            head,
            n,
            version=dossier.version,
            duties="Tham mưu.",
            situation="Phòng có 8 người.",
            achievements="Hoàn thành xuất sắc.",
        )
        db.session.flush()
        ops.confirm_report(head, n, version=dossier.version)
        db.session.flush()
    ops.update_minutes(
        head,
        dossier,
        version=dossier.version,
        meeting_date=now().date() - timedelta(days=1),
        chair=head.display_name,
        secretary="Lê Thị Quỳnh",
        present=8,
        total=9,
        votes={n.id: (7, 1) for n in dossier.nominees},
    )
    db_.scans(dossier, head)
    db.session.commit()
    return dossier


def ready_dossier(days_left: int = 30):
    unit, head = unit_with_head()
    campaign = db_.campaign(days_left=days_left)
    d = db_.dossier(unit, campaign)
    complete(d, head)
    return d, head
