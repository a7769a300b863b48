"""Builders with sensible defaults (after CTFd's gen_*): each returns a flushed object."""

from __future__ import annotations

import itertools

from dossier.enums import CouncilPosition, Gender, Role, UnitKind
from dossier.extensions import db
from dossier.org.models import RoleAssignment, Staff, Unit, User

_seq = itertools.count(1)


def unit(name: str | None = None, code: str | None = None, kind=UnitKind.DIVISION) -> Unit:
    n = next(_seq)
    u = Unit(name=name or f"Phòng Thử nghiệm {n}", code=code or f"PTN{n}", kind=kind)
    db.session.add(u)
    db.session.flush()
    return u


def staff(
    unit_obj: Unit | None = None,
    name: str = "Nguyễn Văn Đức",
    *,
    position: str = "Chuyên viên",
    gender=Gender.MALE,
    hold: str | None = None,
) -> Staff:
    s = Staff(unit=unit_obj or unit(), position=position, gender=gender, hold_reason=hold)
    s.set_name(name)
    db.session.add(s)
    db.session.flush()
    return s


def user(
    role: Role | None = None,
    *,
    unit_obj: Unit | None = None,
    username: str | None = None,
    password: str = "secret123",
    position: CouncilPosition | None = None,
    year: int | None = None,
    person: Staff | None = None,
) -> User:
    n = next(_seq)
    if role is not None and Role(role).unit_scoped and unit_obj is None:
        unit_obj = unit()
    if person is None:
        person = staff(unit_obj, name=f"Trần Thị Quỳnh {n}")
    u = User(
        username=username or f"user{n}",
        staff_id=person.id,
        email=f"user{n}@example.test",
    )
    u.set_password(password)
    if role is not None:
        if role == Role.COUNCIL and position is None:
            position = CouncilPosition.MEMBER
        u.roles.append(
            RoleAssignment(
                role=role,
                unit_id=unit_obj.id if Role(role).unit_scoped else None,
                council_position=position if role == Role.COUNCIL else None,
                year=year,
            )
        )
    db.session.add(u)
    db.session.commit()
    return u
