"""Award forms and campaigns: every rule here is data the Văn phòng can edit."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from types import ModuleType

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows import VARIANTS
from workflows import dossier as dossier_table
from workflows import dossier_simple as dossier_simple_table

from ..db import utcnow
from ..enums import (
    AwardLevel,
    BallotKind,
    CampaignKind,
    Component,
    DossierComponent,
    NomineeKind,
    ThresholdBase,
)
from ..extensions import db

campaign_award_form = db.Table(
    "campaign_award_form",
    db.Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    db.Column("award_form_id", ForeignKey("award_form.id"), primary_key=True),
)


class AwardForm(db.Model):
    """A form of award or emulation title (hình thức khen thưởng / danh hiệu thi đua)."""

    __tablename__ = "award_form"
    __table_args__ = (
        CheckConstraint("threshold_pct BETWEEN 1 AND 100", name="threshold_pct"),
        CheckConstraint("quota_pct IS NULL OR quota_pct BETWEEN 1 AND 100", name="quota_pct"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    is_title: Mapped[bool] = mapped_column(default=False)  # danh hiệu (title) vs hình thức
    level: Mapped[AwardLevel] = mapped_column(String(20))
    subject: Mapped[NomineeKind] = mapped_column(String(20))
    components_json: Mapped[str] = mapped_column(Text, default="[]")
    ballot: Mapped[BallotKind] = mapped_column(String(10))
    threshold_pct: Mapped[int]
    # True: "> pct" (quá bán); False: "≥ pct" ("từ 90% trở lên").
    threshold_strict: Mapped[bool] = mapped_column(default=False)
    threshold_base: Mapped[ThresholdBase] = mapped_column(String(10))
    # Quota: at most quota_pct % of the nominees for quota_of_code (e.g. CSTĐCS ≤ 15% of LĐTT).
    quota_pct: Mapped[int | None]
    quota_of_code: Mapped[str | None] = mapped_column(String(20))
    # Unit meeting's vote the form requires: share of those present voting for, in %.
    unit_vote_pct: Mapped[int] = mapped_column(default=50)
    prerequisite: Mapped[str | None] = mapped_column(Text)  # readable standard, domain.md §3
    legal_source: Mapped[str | None] = mapped_column(String(300))
    sort_order: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)
    # How official texts name it; the catalogue's name may carry working labels ("(cá nhân)").
    document_name: Mapped[str | None] = mapped_column(String(200))  # Danh hiệu “Lao động …”
    article_wording: Mapped[str | None] = mapped_column(String(300))  # tặng danh hiệu “…”
    # The bonus as hundredths of the base salary (30 = 0,3 lần mức lương cơ sở) [cfg].
    bonus_hundredths: Mapped[int | None]
    certificate_template_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate_template.id")
    )

    certificate_template = relationship("CertificateTemplate")

    @property
    def components(self) -> list[Component]:
        return [Component(c) for c in json.loads(self.components_json or "[]")]

    @components.setter
    def components(self, values) -> None:
        self.components_json = json.dumps([Component(v).value for v in values])

    def __str__(self) -> str:
        return self.name

    @property
    def official_name(self) -> str:
        """ "Danh hiệu “Lao động tiên tiến”", "Giấy khen": the name a document prints."""
        if self.document_name:
            return self.document_name
        plain = re.sub(r"\s*\((cá nhân|tập thể)\)\s*$", "", self.name).strip()
        return f"Danh hiệu “{plain}”" if self.is_title else plain

    @property
    def wording(self) -> str:
        """ "tặng danh hiệu “Lao động tiên tiến”" (Luật 2022 Điều 80), "tặng Giấy khen"."""
        if self.article_wording:
            return self.article_wording
        name = self.official_name
        return f"tặng {name[0].lower() + name[1:] if self.is_title else name}"


DEFAULT_DOSSIER_COMPONENTS = json.dumps([c.value for c in DossierComponent])


class Campaign(db.Model):
    __tablename__ = "campaign"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int]
    kind: Mapped[CampaignKind] = mapped_column(String(20))
    # The last accepted instant, UTC ("trước ngày 20/12" → 19/12 23:59:59 Asia/Ho_Chi_Minh);
    # none for a procedure without a cut-off (ad hoc awards: workflows/dossier_simple.py).
    cutoff_at: Mapped[datetime | None]
    plan_reference: Mapped[str | None] = mapped_column(String(300))  # "Kế hoạch số …/KH-SKHCN"
    legal_basis: Mapped[str | None] = mapped_column(Text)  # căn cứ lines, one per line
    description: Mapped[str | None] = mapped_column(Text)
    # "đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025": Điều 1's last words.
    achievement_phrase: Mapped[str | None] = mapped_column(Text)
    bonus_article: Mapped[bool] = mapped_column(default=False)  # an article on tiền thưởng
    # Dossier-level components the unit must upload (DossierComponent values, JSON): both
    # signed scans by default [cfg]; what each nominee needs is its award form's.
    dossier_components_json: Mapped[str] = mapped_column(
        Text, default=DEFAULT_DOSSIER_COMPONENTS, server_default=DEFAULT_DOSSIER_COMPONENTS
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    legal_texts = relationship("LegalText", secondary="campaign_legal_text")
    award_forms: Mapped[list[AwardForm]] = relationship(
        secondary=campaign_award_form, order_by=AwardForm.sort_order
    )
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )
    extensions: Mapped[list[Extension]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )

    @property
    def procedure(self) -> ModuleType:
        """The dossier table its kind picks (workflows.VARIANTS), with that procedure's
        settings: CUTOFF, COUNCIL, DOSSIER."""
        name = VARIANTS.get(str(self.kind), dossier_table.NAME)
        return dossier_simple_table if name == dossier_simple_table.NAME else dossier_table

    @property
    def dossier_components(self) -> list[DossierComponent]:
        """What the whole dossier must hold: the campaign's setting, or the procedure's
        fixed list (the simplified one asks none); the minutes' scan only with minutes."""
        fixed = self.procedure.DOSSIER.get("scans")
        values = json.loads(self.dossier_components_json or "[]") if fixed is None else fixed
        wanted = [DossierComponent(v) for v in values if v in DossierComponent._value2member_map_]
        if not self.procedure.DOSSIER["minutes"]:
            wanted = [c for c in wanted if c != DossierComponent.MINUTES_SCAN]
        return wanted

    @dossier_components.setter
    def dossier_components(self, values) -> None:
        self.dossier_components_json = json.dumps([DossierComponent(v).value for v in values])

    def cutoff_for(self, unit_id: int) -> datetime | None:
        """The unit's own cut-off: the campaign's, or a later one the Văn phòng granted."""
        if self.cutoff_at is None:
            return None
        for ext in self.extensions:
            if ext.unit_id == unit_id and ext.until > self.cutoff_at:
                return ext.until
        return self.cutoff_at

    def cutoff_lookup(self) -> Callable[[int], datetime | None]:
        """`cutoff_for`, for a page of many units: the extensions are read once."""
        cutoff = self.cutoff_at
        if cutoff is None:
            return lambda unit_id: None
        if "extensions" in inspect(self).unloaded:  # two columns, not the ORM objects
            pairs = db.session.execute(_EXTENSIONS, {"campaign_id": self.id}).all()
        else:  # as loaded (and perhaps changed) in this session
            pairs = [(ext.unit_id, ext.until) for ext in self.extensions]
        later: dict[int, datetime] = {}
        for unit_id, until in pairs:
            if until > cutoff:
                later.setdefault(unit_id, until)  # the first, as cutoff_for finds
        return lambda unit_id: later.get(unit_id, cutoff)

    def __str__(self) -> str:
        return self.name

    @property
    def achievement(self) -> str:
        return (self.achievement_phrase or "").strip() or default_achievement(self.year)


def default_achievement(year: int) -> str:
    return f"đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {year}"


class Registration(db.Model):
    """Forms registered in advance (đăng ký hình thức khen thưởng), e.g. 1 Bằng khen UBND."""

    __tablename__ = "campaign_registration"
    __table_args__ = (
        UniqueConstraint("campaign_id", "award_form_id", name="one_registration"),
        CheckConstraint("count >= 0", name="count"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    award_form_id: Mapped[int] = mapped_column(ForeignKey("award_form.id"))
    count: Mapped[int]

    campaign: Mapped[Campaign] = relationship(back_populates="registrations")
    award_form: Mapped[AwardForm] = relationship(lazy="joined")


class Extension(db.Model):
    """A later cut-off the Văn phòng granted one unit, with its reason (audited)."""

    __tablename__ = "campaign_extension"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id", name="one_extension"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="extensions")
    unit = relationship("Unit")


# A campaign's extensions as (unit, until) pairs (Campaign.cutoff_lookup); built once.
_EXTENSIONS = select(Extension.unit_id, Extension.until).where(
    Extension.campaign_id == bindparam("campaign_id")
)
