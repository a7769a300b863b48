"""The award rules as data: per award form, which conditions a nominee must meet, each with
its parameters, its legal source and whether it blocks or only warns.

The kinds of rule are a fixed vocabulary (KINDS): what each reads and which parameters it
takes; the code that checks them is a registry of plain functions keyed by kind
(dossier/intake/award_rules.py). Which rules apply to which form, with which numbers and
sources, is rows of `award_rule` the Văn phòng edits on the award form's page. Rules of a
form sharing a route label are alternatives: meeting any one of them is enough (the Bằng
khen's "CSTĐCS two years running, or two years' distinction with two initiatives").
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import DisciplineLevel, InitiativeScope, NomineeKind, Rating
from ..errors import DomainError
from ..extensions import db
from ..states import sql_in

LAW = "Luật Thi đua, khen thưởng 2022"
ND152 = "Nghị định 152/2025/NĐ-CP"
MAX_YEARS = 10  # a rule looks back at most this many years


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    type: str  # "code", "int", "pct", "bool", "rating", "scope", "level"
    lo: int = 0
    hi: int = 0


@dataclass(frozen=True)
class Kind:
    title: str  # what the rule asks, shown on the award form's page
    subject: NomineeKind | None  # None: individuals and collectives alike
    params: tuple[Param, ...] = ()


CODE = Param("code", "Mã danh hiệu", "code")
YEARS = Param("years", "Số năm liên tục", "int", 1, MAX_YEARS)
PCT = Param("pct", "Tỷ lệ (%)", "pct", 1, 100)
STRICT = Param("strict", "Phải vượt tỷ lệ (trên, không tính bằng)", "bool")
RATING = Param("rating", "Xếp loại tối thiểu", "rating")

IND, COL = NomineeKind.INDIVIDUAL, NomineeKind.COLLECTIVE
KINDS: dict[str, Kind] = {
    "same_year_title": Kind(
        "Đạt danh hiệu trong cùng năm (trong lịch sử hoặc được đề nghị cùng đợt)", IND, (CODE,)
    ),
    "consecutive_titles": Kind(
        "Đạt danh hiệu trong số năm liên tục liền trước năm xét", IND, (CODE, YEARS)
    ),
    "consecutive_ratings": Kind(
        "Xếp loại đạt mức tối thiểu trong số năm liên tục liền trước năm xét, kèm số sáng kiến",
        IND,
        (RATING, YEARS, Param("initiatives", "Số sáng kiến trong các năm đó", "int", 0, 20)),
    ),
    "min_rating": Kind("Xếp loại chất lượng năm xét đạt mức tối thiểu", IND, (RATING,)),
    "initiative": Kind(
        "Có sáng kiến được công nhận (hoặc đề tài được nghiệm thu, áp dụng) trong thời gian xét",
        IND,
        (
            Param("years", "Trong số năm gần nhất", "int", 1, MAX_YEARS),
            Param("scope", "Phạm vi ảnh hưởng tối thiểu", "scope"),
        ),
    ),
    "members_title_share": Kind(
        "Tỷ lệ thành viên đạt danh hiệu trong năm", COL, (CODE, PCT, STRICT)
    ),
    "members_rating_share": Kind(
        "Tỷ lệ thành viên được xếp loại từ mức tối thiểu trở lên", COL, (RATING, PCT)
    ),
    "members_title_count": Kind(
        "Số thành viên tối thiểu đạt danh hiệu trong năm",
        COL,
        (CODE, Param("count", "Số người tối thiểu", "int", 1, 1000)),
    ),
    "members_no_discipline": Kind(
        "Không có thành viên bị kỷ luật từ mức trở lên trong năm",
        COL,
        (Param("level", "Mức kỷ luật", "level"),),
    ),
    "once_a_year": Kind(
        "Không nhận cùng danh hiệu hai lần trong một năm (lịch sử và các đề nghị)", None
    ),
}
CHOICES = {
    "rating": Rating,
    "scope": InitiativeScope,
    "level": DisciplineLevel,
}


class AwardRule(db.Model):
    __tablename__ = "award_rule"
    __table_args__ = (CheckConstraint(sql_in(*KINDS, column="kind"), name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    award_form_id: Mapped[int] = mapped_column(
        ForeignKey("award_form.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    blocking: Mapped[bool] = mapped_column(default=True)  # error (blocks) or warning
    legal_source: Mapped[str] = mapped_column(String(300))
    # False: our default, not confirmed in the current law (domain.md [cfg] / [old]).
    confirmed: Mapped[bool] = mapped_column(default=False)
    route: Mapped[str | None] = mapped_column(String(60))  # alternatives share a label
    sort_order: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)

    award_form = relationship("AwardForm", backref="rules")

    @property
    def params(self) -> dict:
        return json.loads(self.params_json or "{}")

    @property
    def spec(self) -> Kind:
        return KINDS[self.kind]

    @property
    def level(self) -> str:
        return "error" if self.blocking else "warning"

    def describe(self) -> str:
        """ "Đạt danh hiệu … : LDTT" with its parameters in words."""
        words = [_param_words(p, self.params.get(p.name)) for p in self.spec.params]
        return self.spec.title + (f" ({'; '.join(words)})" if words else "")


def _param_words(p: Param, value) -> str:
    if p.type in CHOICES and value:
        return f"{p.label.lower()}: {CHOICES[p.type](value).title_vi}"
    if p.type == "bool":
        return "trên tỷ lệ" if value else "từ tỷ lệ trở lên"
    if p.type == "pct":
        return f"{value}%"
    return f"{p.label.lower()}: {value}"


def validate_params(kind: str, raw: dict[str, str], form_codes: set[str]) -> dict:
    """The parameters of a rule from the page's text fields, or DomainError with every
    problem in Vietnamese: an unknown code, a ratio above 100%, zero years…"""
    spec = KINDS.get(kind)
    if spec is None:
        raise DomainError(f"Loại quy tắc «{kind}» không có.")
    out, problems = {}, []
    for p in spec.params:
        value = (raw.get(p.name) or "").strip()
        if p.type == "bool":
            out[p.name] = value in ("1", "on", "true", "y")
            continue
        if not value:
            problems.append(f"{p.label}: chưa nhập.")
            continue
        if p.type == "code":
            code = value.upper()
            if code not in form_codes:
                problems.append(f"{p.label}: không có hình thức mã «{value}».")
            out[p.name] = code
        elif p.type in CHOICES:
            if value not in {m.value for m in CHOICES[p.type]}:
                problems.append(f"{p.label}: giá trị «{value}» không hợp lệ.")
            out[p.name] = value
        else:
            try:
                number = int(value)
            except ValueError:
                problems.append(f"{p.label}: «{value}» không phải số nguyên.")
                continue
            if not p.lo <= number <= p.hi:
                if p.type == "pct":
                    problems.append(f"{p.label}: tỷ lệ phải từ {p.lo}% đến {p.hi}% ({number}%).")
                elif number < p.lo:
                    problems.append(f"{p.label}: phải ít nhất {p.lo} (đang là {number}).")
                else:
                    problems.append(f"{p.label}: không quá {p.hi} (đang là {number}).")
            out[p.name] = number
    if problems:
        raise DomainError("Quy tắc chưa lưu được:", problems)
    return out


# --- the defaults (domain.md §3); the Văn phòng edits them after ---------------------

# The titles' standards (domain.md §3, read in the law; the article is for the Văn phòng to
# add once checked against the official text).
STANDARD = f"{LAW}; {ND152}"
SHARE = "members_title_share"
OLD = "Quy định cũ (Nghị định 91/2017/NĐ-CP), thực tiễn hiện hành"
# form code -> [(kind, params, blocking, legal source, confirmed, route)]
DEFAULT_RULES: dict[str, list[tuple]] = {
    "LDTT": [
        ("min_rating", {"rating": "good"}, True, STANDARD, True, None),
        ("once_a_year", {}, True, LAW, True, None),
    ],
    "CSTDCS": [
        ("same_year_title", {"code": "LDTT"}, True, STANDARD, True, None),
        ("initiative", {"years": 1, "scope": "agency"}, True, STANDARD, True, None),
        ("once_a_year", {}, True, LAW, True, None),
    ],
    "TTLDTT": [
        (
            "members_title_share",
            {"code": "LDTT", "pct": 50, "strict": True},
            False,
            OLD,
            False,
            None,
        ),
        ("members_no_discipline", {"level": "warning"}, False, OLD, False, None),
        ("once_a_year", {}, True, LAW, True, None),
    ],
    "TTLDXS": [
        ("members_rating_share", {"rating": "done", "pct": 100}, True, STANDARD, True, None),
        (
            "members_title_share",
            {"code": "LDTT", "pct": 70, "strict": False},
            True,
            STANDARD,
            True,
            None,
        ),
        ("members_title_count", {"code": "CSTDCS", "count": 1}, True, STANDARD, True, None),
        ("members_no_discipline", {"level": "warning"}, True, f"{ND152}, Điều 4", False, None),
        ("once_a_year", {}, True, LAW, True, None),
    ],
    "BK_CN": [
        # One route or the other (domain.md §3: "one route"); a warning until the Văn phòng
        # has checked the archive (namesakes, records not yet imported).
        ("consecutive_titles", {"code": "CSTDCS", "years": 2}, False, ND152, True, "Tiêu chuẩn"),
        (
            "consecutive_ratings",
            {"rating": "excellent", "years": 2, "initiatives": 2},
            False,
            ND152,
            True,
            "Tiêu chuẩn",
        ),
    ],
    "CSTD_TINH": [
        ("consecutive_titles", {"code": "CSTDCS", "years": 3}, True, ND152, True, None),
        ("initiative", {"years": 3, "scope": "province"}, True, ND152, True, None),
    ],
}


def default_rules(form) -> list[AwardRule]:
    return [
        AwardRule(
            award_form_id=form.id,
            kind=kind,
            params_json=json.dumps(params),
            blocking=blocking,
            legal_source=source,
            confirmed=confirmed,
            route=route,
            sort_order=i * 10,
        )
        for i, (kind, params, blocking, source, confirmed, route) in enumerate(
            DEFAULT_RULES.get(form.code, [])
        )
    ]
