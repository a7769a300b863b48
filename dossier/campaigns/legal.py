"""The texts a document cites ("Căn cứ …") and the bonus settings, as data the Văn phòng edits.

A basis line cites a text in full: kind, number, date, issuer, title (NĐ 30, Phụ lục I:
"Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định …").
Each campaign picks its texts from this catalogue (new campaigns start with the defaults);
the line on the Sở's own competence (the province's decision on its functions) is one
row of the catalogue, flagged, and comes first. What we could not confirm is marked
``confirmed = False`` and shown as "cần kiểm tra" on the page.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import vn_date

BLANK = "……"  # printed where the number or the date is not filled in yet

campaign_legal_text = db.Table(
    "campaign_legal_text",
    db.Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    db.Column("legal_text_id", ForeignKey("legal_text.id"), primary_key=True),
)


class LegalText(db.Model):
    """A law, decree or decision a document cites (văn bản làm căn cứ)."""

    __tablename__ = "legal_text"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))  # "Luật", "Nghị định", "Quyết định"
    number: Mapped[str | None] = mapped_column(String(60))  # "152/2025/NĐ-CP"
    signed_on: Mapped[date | None]
    issuer: Mapped[str | None] = mapped_column(String(200))  # "Chính phủ"
    title: Mapped[str] = mapped_column(Text)  # "quy định về phân cấp, …"
    competence: Mapped[bool] = mapped_column(default=False)  # the Sở's own functions
    default_on: Mapped[bool] = mapped_column(default=True)  # ticked for new campaigns
    confirmed: Mapped[bool] = mapped_column(default=False)  # checked against the source
    sort_order: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def complete(self) -> bool:
        return bool(self.signed_on and (self.number or _is_code(self.kind)))

    def citation(self) -> str:
        """ "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", or
        "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định …"."""
        when = vn_date(self.signed_on) if self.signed_on else f"ngày {BLANK}"
        if _is_code(self.kind):  # a law is cited by its name and the day it was passed
            return f"{self.kind} {self.title.strip()} {when}"
        number = self.number.strip() if self.number else BLANK
        issuer = f" của {self.issuer.strip()}" if self.issuer else ""
        return f"{self.kind} số {number} {when}{issuer} {self.title.strip()}".strip()


def _is_code(kind: str) -> bool:
    return kind.strip().casefold() in {"luật", "bộ luật", "pháp lệnh", "hiến pháp"}


class AwardSetting(db.Model):
    """One row: the base salary the bonuses are multiples of, and how they are paid."""

    __tablename__ = "award_setting"
    __table_args__ = (
        CheckConstraint("base_salary > 0", name="base_salary"),
        CheckConstraint("round_to > 0", name="round_to"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    base_salary: Mapped[int]  # đồng a month
    base_salary_source: Mapped[str] = mapped_column(Text)
    round_to: Mapped[int] = mapped_column(default=10_000)  # rounded up to this many đồng
    fund: Mapped[str] = mapped_column(Text)  # where the money comes from
    bonus_source: Mapped[str] = mapped_column(Text)  # the decree setting the coefficients
    confirmed: Mapped[bool] = mapped_column(default=False)

    @classmethod
    def get(cls) -> AwardSetting:
        row = db.session.get(cls, 1)
        if row is None:
            row = cls(id=1, **DEFAULT_SETTING)
            db.session.add(row)
            db.session.flush()
        return row


# [cfg] 2,340,000 đồng from 01/07/2024 (NĐ 73/2024/NĐ-CP); a later change could not be
# confirmed. The coefficients per form sit on each award form (catalogue.py).
DEFAULT_SETTING = dict(
    base_salary=2_340_000,
    base_salary_source="Nghị định số 73/2024/NĐ-CP ngày 30 tháng 6 năm 2024 của Chính phủ",
    round_to=10_000,
    fund="Quỹ thi đua, khen thưởng của Sở",
    bonus_source="Nghị định số 152/2025/NĐ-CP của Chính phủ",
    confirmed=False,
)

DEFAULT_TEXTS = [
    dict(  # [cfg] the province's decision on the Sở: its number and date are the agency's
        kind="Quyết định",
        issuer="Ủy ban nhân dân tỉnh {place}",
        title="quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {agency} tỉnh {place}",
        competence=True,
        confirmed=False,
        sort_order=0,
    ),
    dict(
        kind="Luật",
        number="06/2022/QH15",
        signed_on=date(2022, 6, 15),
        issuer="Quốc hội",
        title="Thi đua, khen thưởng",
        confirmed=True,
        sort_order=10,
    ),
    dict(
        kind="Nghị định",
        number="152/2025/NĐ-CP",
        signed_on=date(2025, 6, 14),
        issuer="Chính phủ",
        title="quy định về phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định "
        "chi tiết và hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng",
        confirmed=True,
        sort_order=20,
    ),
]


def ensure_default_texts() -> list[LegalText]:
    """The catalogue, created with the defaults the first time; never overwrites edits."""
    texts = list(db.session.scalars(select(LegalText).order_by(LegalText.sort_order)))
    if texts:
        return texts
    from ..org.models import Agency

    agency = Agency.get()
    for spec in DEFAULT_TEXTS:
        spec = {
            k: v.format(place=agency.place_name, agency=agency.name) if isinstance(v, str) else v
            for k, v in spec.items()
        }
        db.session.add(LegalText(**spec))
    db.session.flush()
    return list(db.session.scalars(select(LegalText).order_by(LegalText.sort_order)))


def basis_of(campaign) -> list[LegalText]:
    """The campaign's texts: the competence line first, then in catalogue order."""
    return sorted(
        (t for t in campaign.legal_texts if t.active),
        key=lambda t: (not t.competence, t.sort_order, t.id),
    )
