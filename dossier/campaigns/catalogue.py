"""The default award forms (domain.md §3 and §5). Loaded once; the Văn phòng edits them after.

Each row: code, name, is_title, level, subject, components, ballot, threshold %, strict (>),
base, quota % and of which form, the unit meeting's required share, prerequisite, source.
"""

from __future__ import annotations

from sqlalchemy import select

from ..enums import AwardLevel, BallotKind, Component, NomineeKind, ThresholdBase
from ..extensions import db
from .award_rules import default_rules
from .models import AwardForm

C = Component
BASIC = [C.REPORT, C.REPORT_CONFIRMED, C.MINUTES_VOTE]
HIGHER = [C.REPORT, C.REPORT_CONFIRMED, C.REPORT_SCAN, C.MINUTES_VOTE]
IND, COL = NomineeKind.INDIVIDUAL, NomineeKind.COLLECTIVE
DIR, UP = AwardLevel.DIRECTOR, AwardLevel.UPWARD
SECRET, OPEN = BallotKind.SECRET, BallotKind.OPEN
MEMBERS, PRESENT = ThresholdBase.MEMBERS, ThresholdBase.PRESENT
LAW = "Luật Thi đua, khen thưởng 2022"

DEFAULT_FORMS = [
    dict(
        code="LDTT",
        name="Lao động tiên tiến",
        is_title=True,
        level=DIR,
        subject=IND,
        components=BASIC,
        ballot=OPEN,
        threshold_pct=50,
        threshold_strict=True,
        threshold_base=PRESENT,
        prerequisite="Hoàn thành tốt nhiệm vụ trở lên; đoàn kết, tích cực tham gia phong trào.",
        legal_source=f"{LAW}, Điều 80 khoản 1",
    ),
    dict(
        code="CSTDCS",
        name="Chiến sĩ thi đua cơ sở",
        is_title=True,
        level=DIR,
        subject=IND,
        components=[*BASIC, C.INITIATIVE],
        ballot=SECRET,
        threshold_pct=70,
        threshold_base=MEMBERS,
        quota_pct=15,
        quota_of_code="LDTT",
        prerequisite="Đạt Lao động tiên tiến trong năm và có sáng kiến được cơ quan công nhận "
        "hoặc đề tài được nghiệm thu, áp dụng.",
        legal_source=f"{LAW}, Điều 80 khoản 1; tỷ lệ 15% (quy định cũ, cấu hình được)",
    ),
    dict(
        code="TTLDTT",
        name="Tập thể lao động tiên tiến",
        is_title=True,
        level=DIR,
        subject=COL,
        components=BASIC,
        ballot=OPEN,
        threshold_pct=50,
        threshold_strict=True,
        threshold_base=PRESENT,
        prerequisite="Hoàn thành tốt nhiệm vụ; trên 50% thành viên đạt Lao động tiên tiến; "
        "không có ai bị kỷ luật từ cảnh cáo trở lên.",
        legal_source=f"{LAW}, Điều 80 khoản 1",
    ),
    dict(
        code="GK_CN",
        name="Giấy khen của Giám đốc Sở (cá nhân)",
        level=DIR,
        subject=IND,
        components=BASIC,
        ballot=OPEN,
        threshold_pct=50,
        threshold_strict=True,
        threshold_base=PRESENT,
        prerequisite="Theo tiêu chí của kế hoạch phát động thi đua.",
        legal_source=f"{LAW}, Điều 80 khoản 1",
    ),
    dict(
        code="GK_TT",
        name="Giấy khen của Giám đốc Sở (tập thể)",
        level=DIR,
        subject=COL,
        components=BASIC,
        ballot=OPEN,
        threshold_pct=50,
        threshold_strict=True,
        threshold_base=PRESENT,
        prerequisite="Theo tiêu chí của kế hoạch phát động thi đua.",
        legal_source=f"{LAW}, Điều 80 khoản 1",
    ),
    dict(
        code="TTLDXS",
        name="Tập thể lao động xuất sắc",
        is_title=True,
        level=UP,
        subject=COL,
        components=HIGHER,
        ballot=SECRET,
        threshold_pct=80,
        threshold_base=MEMBERS,
        prerequisite="Hoàn thành xuất sắc nhiệm vụ; 100% thành viên hoàn thành nhiệm vụ; "
        "ít nhất 70% Lao động tiên tiến; có Chiến sĩ thi đua cơ sở.",
        legal_source=LAW,
    ),
    dict(
        code="BK_CN",
        name="Bằng khen của Chủ tịch UBND tỉnh (cá nhân)",
        level=UP,
        subject=IND,
        components=HIGHER,
        ballot=SECRET,
        threshold_pct=80,
        threshold_base=MEMBERS,
        prerequisite="Hai năm liên tục Chiến sĩ thi đua cơ sở, hoặc hai năm liên tục hoàn "
        "thành xuất sắc nhiệm vụ có hai sáng kiến được công nhận.",
        legal_source=f"{LAW}; ngưỡng 80% theo quy định cũ",
    ),
    dict(
        code="BK_TT",
        name="Bằng khen của Chủ tịch UBND tỉnh (tập thể)",
        level=UP,
        subject=COL,
        components=HIGHER,
        ballot=SECRET,
        threshold_pct=80,
        threshold_base=MEMBERS,
        prerequisite="Tập thể có thành tích xuất sắc, tiêu biểu.",
        legal_source=f"{LAW}; ngưỡng 80% theo quy định cũ",
    ),
    dict(
        code="CSTD_TINH",
        name="Chiến sĩ thi đua cấp tỉnh",
        is_title=True,
        level=UP,
        subject=IND,
        components=[*HIGHER, C.INITIATIVE],
        ballot=SECRET,
        threshold_pct=90,
        threshold_base=MEMBERS,
        prerequisite="Ba lần liên tục Chiến sĩ thi đua cơ sở, có sáng kiến ảnh hưởng cấp tỉnh.",
        legal_source=f"{LAW}; ngưỡng 90% theo quy định cũ",
    ),
    dict(
        code="CO_TINH",
        name="Cờ thi đua của UBND tỉnh",
        is_title=True,
        level=UP,
        subject=COL,
        components=HIGHER,
        ballot=SECRET,
        threshold_pct=80,
        threshold_base=MEMBERS,
        prerequisite="Tập thể dẫn đầu khối, cụm thi đua.",
        legal_source=LAW,
    ),
]


# code -> (name in documents, Điều 1's wording per Luật 2022 Điều 80, bonus in hundredths
# of the base salary). The coefficients are those of NĐ 91/2017 and NĐ 98/2023 as far as
# we know them; that NĐ 152/2025 keeps them could not be confirmed [cfg].
WORDING = {
    "LDTT": ("Danh hiệu “Lao động tiên tiến”", "tặng danh hiệu “Lao động tiên tiến”", 30),
    "CSTDCS": (
        "Danh hiệu “Chiến sĩ thi đua cơ sở”",
        "tặng danh hiệu “Chiến sĩ thi đua cơ sở”",
        100,
    ),
    "TTLDTT": (
        "Danh hiệu “Tập thể lao động tiên tiến”",
        "tặng danh hiệu “Tập thể lao động tiên tiến”",
        80,
    ),
    "GK_CN": ("Giấy khen", "tặng Giấy khen", 30),
    "GK_TT": ("Giấy khen", "tặng Giấy khen", 60),
    "TTLDXS": (
        "Danh hiệu “Tập thể lao động xuất sắc”",
        "tặng danh hiệu “Tập thể lao động xuất sắc”",
        150,
    ),
    "BK_CN": (
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        100,
    ),
    "BK_TT": (
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        200,
    ),
    "CSTD_TINH": (
        "Danh hiệu “Chiến sĩ thi đua cấp tỉnh”",
        "tặng danh hiệu “Chiến sĩ thi đua cấp tỉnh”",
        300,
    ),
    "CO_TINH": (
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
        800,
    ),
}


def ensure_default_forms() -> list[AwardForm]:
    """Create the forms that do not exist yet; never overwrite the Văn phòng's edits."""
    existing = {f.code: f for f in db.session.scalars(select(AwardForm))}
    created = []
    for order, spec in enumerate(DEFAULT_FORMS):
        if spec["code"] in existing:
            continue
        spec = dict(spec)
        components = spec.pop("components")
        name, wording, bonus = WORDING.get(spec["code"], (None, None, None))
        form = AwardForm(
            sort_order=order * 10,
            document_name=name,
            article_wording=wording,
            bonus_hundredths=bonus,
            **spec,
        )
        form.components = components
        db.session.add(form)
        existing[form.code] = form
        created.append(form)
    db.session.flush()
    for form in created:  # a new form comes with its default rules (award_rules.py)
        db.session.add_all(default_rules(form))
    if created:
        db.session.flush()
    return sorted(existing.values(), key=lambda f: f.sort_order)
