"""A campaign whose council approved some nominees, ready for a decision."""

from __future__ import annotations

from dossier.enums import NomineeKind, NomineeStatus, Role
from dossier.extensions import db
from dossier.nominations.models import Dossier, Nominee
from dossier.text import fold, name_sort_key
from dossier.timeutil import now
from tests import builders as b
from tests import dossier_builders as db_

NAMES = [
    "Nguyễn Thị Quỳnh",
    "Đặng Văn Thắng",
    "Huỳnh Ngọc Phượng",
    "Võ Minh Hiếu",
    "Bùi Thị Nguyệt",
    "Phan Văn Dũng",
]


def approved(n: int = 6, codes=("LDTT",), unit=None, campaign=None):
    c = campaign or db_.campaign()
    unit = unit or b.unit(name="Phòng Quản lý Công nghệ", code="QLCN")
    forms = {f.code: f for f in c.award_forms}
    d = Dossier(
        campaign_id=c.id, unit_id=unit.id, seq=1, state="decided", revision=1, submitted_at=now()
    )
    db.session.add(d)
    db.session.flush()
    for i in range(n):
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i}")
        person = b.staff(unit, name)
        db.session.add(
            Nominee(
                dossier_id=d.id,
                kind=NomineeKind.INDIVIDUAL,
                staff_id=person.id,
                name=name,
                name_folded=fold(name),
                sort_key=name_sort_key(name),
                position="Chuyên viên",
                unit_label=unit.name,
                award_form_id=forms[codes[i % len(codes)]].id,
                status=NomineeStatus.APPROVED,
            )
        )
    db.session.commit()
    return c, d, unit


def people():
    office = b.user(Role.OFFICE, username="vp")
    director = b.user(Role.DIRECTOR, username="gd")
    director.staff.position = "Giám đốc"
    deputy = b.user(Role.DIRECTOR, username="pgd")
    deputy.staff.position = "Phó Giám đốc"
    db.session.commit()
    return office, director, deputy


def clerk():
    """The Văn thư: numbers and issues what the Director signed (one per test database)."""
    from sqlalchemy import select

    from dossier.org.models import User

    found = db.session.scalar(select(User).where(User.username == "vt"))
    return found or b.user(Role.CLERK, username="vt")


def sign_and_issue(signer, decision, *, by=None, number=None):
    """The Director (or a deputy) signs, then the Văn thư gives the number and issues."""
    from dossier.decisions import operations as ops

    ops.sign(signer, decision, version=decision.version)
    return ops.issue(by or clerk(), decision, version=decision.version, number=number)
