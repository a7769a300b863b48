"""Enumerations with their Vietnamese titles: the interface never shows a bare value."""

from __future__ import annotations

from enum import StrEnum


class TitledEnum(StrEnum):
    """A StrEnum whose members carry a Vietnamese title for the interface."""

    def __new__(cls, value: str, title: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.title_vi = title
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.title_vi) for m in cls]


class Role(TitledEnum):
    UNIT_HEAD = "unit_head", "Trưởng phòng / Thủ trưởng đơn vị"
    UNIT_CLERK = "unit_clerk", "Cán bộ lập hồ sơ của đơn vị"
    OFFICE = "office", "Văn phòng Sở (Thường trực Hội đồng)"
    COUNCIL = "council_member", "Thành viên Hội đồng thi đua, khen thưởng"
    DIRECTOR = "director", "Giám đốc Sở (người ký)"
    ADMIN = "admin", "Quản trị hệ thống"

    @property
    def unit_scoped(self) -> bool:
        return self in (Role.UNIT_HEAD, Role.UNIT_CLERK)


class CouncilPosition(TitledEnum):
    CHAIR = "chair", "Chủ tịch Hội đồng"
    VICE_CHAIR = "vice_chair", "Phó Chủ tịch Hội đồng"
    STANDING = "standing", "Ủy viên thường trực"
    MEMBER = "member", "Ủy viên"
    SECRETARY = "secretary", "Thư ký"


class UnitKind(TitledEnum):
    LEADERSHIP = "leadership", "Lãnh đạo Sở"
    OFFICE = "office", "Văn phòng Sở"
    INSPECTORATE = "inspectorate", "Thanh tra Sở"
    DIVISION = "division", "Phòng chuyên môn"
    SUB_DEPARTMENT = "sub_department", "Chi cục"
    CENTRE = "centre", "Trung tâm"


class Gender(TitledEnum):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"
