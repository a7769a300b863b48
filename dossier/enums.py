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
    COUNCIL = "council_member", "Thành viên Hội đồng Thi đua - Khen thưởng"
    DIRECTOR = "director", "Giám đốc Sở (người ký)"
    CLERK = "clerk", "Văn thư (cấp số, ban hành văn bản)"
    ADMIN = "admin", "Quản trị hệ thống"

    @property
    def unit_scoped(self) -> bool:
        return self in (Role.UNIT_HEAD, Role.UNIT_CLERK)


class DocKind(TitledEnum):
    """Kinds of document the app numbers, by their abbreviation in the number ("249/QĐ-…";
    Nghị định 30/2020/NĐ-CP, Phụ lục III)."""

    DECISION = "QĐ", "Quyết định"
    SUBMISSION = "TTr", "Tờ trình"
    MINUTES = "BB", "Biên bản"


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


class CampaignKind(TitledEnum):
    YEARLY = "yearly", "Khen thưởng hằng năm"
    THEMATIC = "thematic", "Khen thưởng theo chuyên đề"
    PERIOD_END = "period_end", "Tổng kết giai đoạn"
    ONE_OFF = "one_off", "Khen thưởng đột xuất"


class AwardLevel(TitledEnum):
    DIRECTOR = "director", "Giám đốc Sở quyết định"
    UPWARD = "upward", "Đề nghị cấp trên"


class NomineeKind(TitledEnum):
    INDIVIDUAL = "individual", "Cá nhân"
    COLLECTIVE = "collective", "Tập thể"


class NomineeStatus(TitledEnum):
    PROPOSED = "proposed", "Đề nghị"
    INELIGIBLE = "ineligible", "Không đủ điều kiện"
    APPROVED = "approved", "Đạt"
    REJECTED = "rejected", "Không đạt"
    UPWARD = "upward", "Đề nghị cấp trên"
    REVOKED = "revoked", "Bị hủy"


class DelegationPeriod(TitledEnum):
    """Where a substitution period in force stands on a day, from its dates (not stored; its
    cancellation is a state of workflows/delegation.py)."""

    PLANNED = "planned", "Sắp tới"
    ACTIVE = "active", "Đang làm thay"
    ENDED = "ended", "Đã kết thúc"


class BallotKind(TitledEnum):
    SECRET = "secret", "Bỏ phiếu kín"
    OPEN = "open", "Biểu quyết công khai"


class ThresholdBase(TitledEnum):
    MEMBERS = "members", "tổng số thành viên Hội đồng"
    PRESENT = "present", "số thành viên có mặt"
    VALID = "valid", "số phiếu hợp lệ"


class Component(TitledEnum):
    """Parts of a dossier an award form may require (domain.md §4)."""

    REPORT = "report", "Báo cáo thành tích"
    REPORT_CONFIRMED = "report_confirmed", "Xác nhận của thủ trưởng đơn vị trên báo cáo"
    REPORT_SCAN = "report_scan", "Bản scan báo cáo thành tích có chữ ký"
    MINUTES_VOTE = "minutes_vote", "Kết quả bỏ phiếu trong biên bản họp đơn vị"
    INITIATIVE = "initiative", "Minh chứng sáng kiến / đề tài được công nhận"
    SUMMARY = "summary", "Tóm tắt thành tích (thủ tục đơn giản)"


class DossierComponent(TitledEnum):
    """Parts of the whole dossier a campaign may require besides what each award form asks
    of each nominee: the signed scans of the unit's tờ trình and of its meeting's minutes
    (domain.md §4) [cfg: required by default; the Văn phòng unticks them per campaign]."""

    LETTER_SCAN = "letter_scan", "Bản scan tờ trình có chữ ký, đóng dấu"
    MINUTES_SCAN = "minutes_scan", "Bản scan biên bản họp có chữ ký"


class AttachmentKind(TitledEnum):
    LETTER_SCAN = "letter_scan", "Bản scan tờ trình có chữ ký"
    MINUTES_SCAN = "minutes_scan", "Bản scan biên bản họp"
    REPORT_SCAN = "report_scan", "Bản scan báo cáo thành tích"
    INITIATIVE = "initiative", "Minh chứng sáng kiến, đề tài"
    RATING = "rating", "Kết quả đánh giá, xếp loại"
    OTHER = "other", "Tài liệu khác"


class FixComponent(TitledEnum):
    """What a return for revision points at."""

    LETTER = "letter", "Tờ trình"
    LIST = "list", "Danh sách đề nghị"
    REPORT = "report", "Báo cáo thành tích"
    CONFIRMATION = "confirmation", "Xác nhận của thủ trưởng"
    MINUTES = "minutes", "Biên bản họp"
    ATTACHMENT = "attachment", "Tệp đính kèm"
    OTHER = "other", "Khác"


class Rating(TitledEnum):
    """Đánh giá, xếp loại chất lượng cán bộ hằng năm, best first (NĐ 90/2020/NĐ-CP)."""

    EXCELLENT = "excellent", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "good", "Hoàn thành tốt nhiệm vụ"
    DONE = "done", "Hoàn thành nhiệm vụ"
    FAILED = "failed", "Không hoàn thành nhiệm vụ"

    @property
    def rank(self) -> int:
        """3 for the best, 0 for the worst: "at least X" is rank >= X.rank."""
        return len(Rating) - 1 - list(Rating).index(self)


class InitiativeScope(TitledEnum):
    """Phạm vi ảnh hưởng của sáng kiến / đề tài, narrowest first."""

    AGENCY = "agency", "Cấp cơ sở"
    PROVINCE = "province", "Cấp tỉnh"
    NATION = "nation", "Toàn quốc"

    @property
    def rank(self) -> int:
        return list(InitiativeScope).index(self)


class DisciplineLevel(TitledEnum):
    """Hình thức kỷ luật, lightest first (Luật Cán bộ, công chức; Luật Viên chức)."""

    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    DEMOTION = "demotion", "Hạ bậc lương"
    DEPOSITION = "deposition", "Giáng chức / Cách chức"
    DISMISSAL = "dismissal", "Buộc thôi việc"

    @property
    def rank(self) -> int:
        return list(DisciplineLevel).index(self)
