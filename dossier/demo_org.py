"""The demo department: units from the seeds, ~60 fictitious staff, a council, accounts.

Deterministic (seeded) and idempotent: a second run finds what the first created.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from .enums import CouncilPosition, Gender, Role, UnitKind
from .extensions import db
from .org import delegation as ops
from .org.models import Agency, Delegation, RoleAssignment, Staff, Unit, User
from .states import DelegationState
from .timeutil import local_now

DEMO_PASSWORD = "demo1234"

# (code, name, kind, head's title, size)
UNITS = [
    ("BGD", "Ban Giám đốc Sở", UnitKind.LEADERSHIP, "Giám đốc", 3),
    ("VP", "Văn phòng Sở", UnitKind.OFFICE, "Chánh Văn phòng", 10),
    ("TTRA", "Thanh tra Sở", UnitKind.INSPECTORATE, "Chánh Thanh tra", 5),
    ("QLKH", "Phòng Quản lý Khoa học", UnitKind.DIVISION, "Trưởng phòng", 8),
    ("QLCN", "Phòng Quản lý Công nghệ", UnitKind.DIVISION, "Trưởng phòng", 8),
    ("KHTC", "Phòng Kế hoạch – Tài chính", UnitKind.DIVISION, "Trưởng phòng", 6),
    (
        "TDC",
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        UnitKind.SUB_DEPARTMENT,
        "Chi cục trưởng",
        12,
    ),
    (
        "TTUD",
        "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ",
        UnitKind.CENTRE,
        "Giám đốc Trung tâm",
        10,
    ),
]
DEPUTY = {
    "BGD": "Phó Giám đốc",
    "VP": "Phó Chánh Văn phòng",
    "TTRA": "Phó Chánh Thanh tra",
    "TDC": "Phó Chi cục trưởng",
    "TTUD": "Phó Giám đốc Trung tâm",
}
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MALE_MIDDLE = ["Văn", "Minh", "Quốc", "Đức", "Hữu", "Công", "Thanh", "Ngọc"]
FEMALE_MIDDLE = ["Thị", "Thu", "Ngọc", "Thanh", "Bích", "Mỹ", "Kim", "Hồng"]
MALE_GIVEN = [
    "Đức",
    "Thắng",
    "Hưng",
    "Hiếu",
    "Dũng",
    "Tuấn",
    "Minh",
    "Khoa",
    "Phúc",
    "Long",
    "Sơn",
    "Hải",
    "Trung",
    "Quân",
    "Việt",
    "Cường",
    "Khải",
    "Lộc",
]
FEMALE_GIVEN = [
    "Ánh",
    "Quỳnh",
    "Nguyệt",
    "Thủy",
    "Phượng",
    "Hạnh",
    "Lan",
    "Hoa",
    "Trâm",
    "Yến",
    "Hằng",
    "Vân",
    "Nhung",
    "Thảo",
    "Linh",
    "Nga",
    "Ngân",
    "Diệu",
]
STAFF_TITLES = [
    "Chuyên viên",
    "Chuyên viên chính",
    "Kiểm soát viên",
    "Kế toán viên",
    "Viên chức",
    "Chuyên viên",
]


def _people(rng: random.Random, count: int) -> list[tuple[str, Gender]]:
    out = []
    for _ in range(count):
        female = rng.random() < 0.5
        middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        out.append(
            (f"{rng.choice(FAMILY)} {middle} {given}", Gender.FEMALE if female else Gender.MALE)
        )
    return out


def build_org() -> dict[str, Staff]:
    """Create (or find) the agency, units and staff; return key people by role label."""
    agency = Agency.get()
    if not agency.director_name:
        agency.director_name = ""
    rng = random.Random(20261220)
    key_people: dict[str, Staff] = {}
    for order, (code, name, kind, head_title, size) in enumerate(UNITS):
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        if unit is None:
            unit = Unit(code=code, name=name, kind=kind, sort_order=order * 10)
            db.session.add(unit)
            db.session.flush()
        titles = [head_title, DEPUTY.get(code, "Phó Trưởng phòng")]
        if code == "BGD":
            titles = ["Giám đốc", "Phó Giám đốc", "Phó Giám đốc"]
        for i, (full_name, gender) in enumerate(_people(rng, size)):
            position = titles[i] if i < len(titles) else STAFF_TITLES[i % len(STAFF_TITLES)]
            if code == "VP" and i == 2:
                position = "Chuyên viên phụ trách thi đua, khen thưởng"
            if code == "VP" and i == 3:
                position = "Chủ tịch Công đoàn cơ sở"
            if code == "VP" and i == 4:
                position = "Văn thư"
            if code == "TTUD" and i == 4:
                position = "Bí thư Chi đoàn"
            staff = db.session.scalar(
                select(Staff).where(
                    Staff.unit_id == unit.id,
                    Staff.position == position,
                    Staff.email == f"{code.lower()}{i}@skhcn.demo",
                )
            )
            if staff is None:
                staff = Staff(
                    unit_id=unit.id,
                    position=position,
                    gender=gender,
                    email=f"{code.lower()}{i}@skhcn.demo",
                    birth_date=date(
                        1970 + rng.randrange(30), rng.randrange(1, 13), rng.randrange(1, 29)
                    ),
                )
                staff.set_name(full_name)
                db.session.add(staff)
            key_people[f"{code}:{i}"] = staff
    db.session.flush()
    director = key_people["BGD:0"]
    agency.director_name = director.full_name
    return key_people


def _account(username: str, staff: Staff | None, roles: list[dict]) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(
            username=username,
            staff_id=staff.id if staff else None,
            email=staff.email if staff else f"{username}@skhcn.demo",
        )
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    for spec in roles:
        exists = any(
            (r.role, r.unit_id, r.year) == (spec["role"], spec.get("unit_id"), spec.get("year"))
            for r in user.roles
        )
        if not exists:
            user.roles.append(RoleAssignment(**spec))
    return user


def build_accounts(people: dict[str, Staff]) -> list[tuple[str, str]]:
    """One account per role (and a few more for the council); returns (login, description)."""
    year = local_now().year
    unit = {code: db.session.scalar(select(Unit).where(Unit.code == code)).id for code, *_ in UNITS}

    def council(pos: CouncilPosition) -> dict:
        return {"role": Role.COUNCIL, "council_position": pos, "year": year}

    plan = [
        ("quantri", None, [{"role": Role.ADMIN}], "Quản trị hệ thống"),
        (
            "giamdoc",
            people["BGD:0"],
            [{"role": Role.DIRECTOR}, council(CouncilPosition.CHAIR)],
            "Giám đốc Sở, Chủ tịch Hội đồng",
        ),
        (
            "phogiamdoc",
            people["BGD:1"],
            [council(CouncilPosition.VICE_CHAIR)],
            "Phó Giám đốc, Phó Chủ tịch Hội đồng",
        ),
        (
            "chanhvanphong",
            people["VP:0"],
            [
                {"role": Role.OFFICE},
                council(CouncilPosition.STANDING),
                {"role": Role.UNIT_HEAD, "unit_id": unit["VP"]},
            ],
            "Chánh Văn phòng, Ủy viên thường trực Hội đồng",
        ),
        (
            "vanphong",
            people["VP:2"],
            [{"role": Role.OFFICE}, council(CouncilPosition.SECRETARY)],
            "Văn phòng Sở (phụ trách TĐKT), Thư ký Hội đồng",
        ),
        (
            "vanthu",
            people["VP:4"],
            [{"role": Role.CLERK}],
            "Văn thư: cấp số, ban hành văn bản; sổ đăng ký văn bản",
        ),
        (
            "phochanhvanphong",
            people["VP:1"],
            [],
            "Phó Chánh Văn phòng: đang làm thay Chánh Văn phòng (nghỉ phép)",
        ),
        (
            "congdoan",
            people["VP:3"],
            [council(CouncilPosition.MEMBER)],
            "Chủ tịch Công đoàn, Ủy viên Hội đồng",
        ),
        (
            "chidoan",
            people["TTUD:4"],
            [council(CouncilPosition.MEMBER)],
            "Bí thư Chi đoàn, Ủy viên Hội đồng",
        ),
    ]
    heads = [
        ("truongphong.qlkh", "QLKH"),
        ("truongphong.qlcn", "QLCN"),
        ("truongphong.khtc", "KHTC"),
        ("chanhthanhtra", "TTRA"),
        ("chicuctruong", "TDC"),
        ("giamdoc.trungtam", "TTUD"),
    ]
    for login, code in heads:
        plan.append(
            (
                login,
                people[f"{code}:0"],
                [{"role": Role.UNIT_HEAD, "unit_id": unit[code]}, council(CouncilPosition.MEMBER)],
                f"Thủ trưởng {next(n for c, n, *_ in UNITS if c == code)}, Ủy viên Hội đồng",
            )
        )
    for login, code in [("canbo.qlkh", "QLKH"), ("canbo.qlcn", "QLCN"), ("canbo.tdc", "TDC")]:
        plan.append(
            (
                login,
                people[f"{code}:2"],
                [{"role": Role.UNIT_CLERK, "unit_id": unit[code]}],
                f"Cán bộ lập hồ sơ, {next(n for c, n, *_ in UNITS if c == code)}",
            )
        )
    logins = []
    for login, staff, roles, description in plan:
        _account(login, staff, roles)
        logins.append((login, description))
    db.session.flush()
    return logins


def build_delegations() -> list[str]:
    """The Chánh Văn phòng is on leave (the Phó stands in, from today); the Director has a
    business trip planned (the Phó Giám đốc will stand in). Idempotent."""

    today = local_now().date()
    plans = [
        ("chanhvanphong", "phochanhvanphong", 0, 9, "Nghỉ phép năm"),
        ("giamdoc", "phogiamdoc", 20, 24, "Đi công tác tại Bộ Khoa học và Công nghệ"),
    ]
    notes = []
    for away, stand_in, start, end, reason in plans:
        delegator = db.session.scalar(select(User).where(User.username == away))
        substitute = db.session.scalar(select(User).where(User.username == stand_in))
        exists = db.session.scalar(
            select(Delegation.id).where(
                Delegation.delegator_id == delegator.id,
                Delegation.state == DelegationState.IN_FORCE,
                Delegation.ends_on >= today,
            )
        )
        if exists is None:
            ops.create(
                delegator,
                delegator=delegator,
                substitute=substitute,
                starts_on=today + timedelta(days=start),
                ends_on=today + timedelta(days=end),
                reason=reason,
            )
        notes.append(
            f"Làm thay: {stand_in} thay {away} từ "
            f"{today + timedelta(days=start):%d/%m} đến {today + timedelta(days=end):%d/%m}."
        )
    return notes
