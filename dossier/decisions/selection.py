"""Who a decision may award: approved at the Director's level, in no other decision yet,
and breaking no blocking award rule.

Split out of operations.py, which re-exports `awardable`.
"""

from __future__ import annotations

from sqlalchemy import select

from ..campaigns.models import AwardForm, Campaign
from ..enums import AwardLevel, NomineeStatus
from ..errors import DomainError
from ..extensions import db
from ..intake.rules import blocking_for
from ..nominations.models import Dossier, Nominee
from ..org.models import Unit
from .models import Decision, DecisionAward


def awardable(campaign: Campaign, form_codes: set[str] | None = None) -> list[Nominee]:
    """Approved at the Director's level, and not yet in another decision."""
    taken = (
        select(DecisionAward.nominee_id)
        .join(Decision)
        .where(Decision.campaign_id == campaign.id, DecisionAward.nominee_id.is_not(None))
    )
    query = (
        select(Nominee)
        .join(Dossier)
        .join(Unit, Dossier.unit_id == Unit.id)
        .join(AwardForm, Nominee.award_form_id == AwardForm.id)
        .where(
            Dossier.campaign_id == campaign.id,
            Nominee.status == NomineeStatus.APPROVED,
            AwardForm.level == AwardLevel.DIRECTOR,
            Nominee.id.not_in(taken),
        )
        .order_by(AwardForm.sort_order, Unit.sort_order, Nominee.kind.desc(), Nominee.sort_key)
    )
    if form_codes:
        query = query.where(AwardForm.code.in_(form_codes))
    return list(db.session.scalars(query))


def _refuse_blocked(campaign: Campaign, nominees: list[Nominee]) -> None:
    """No decision awards a nominee who breaks a blocking award rule (or is on hold)."""
    blocked = blocking_for(campaign, {n.id for n in nominees})
    if blocked:
        names = {n.id: f"{n.name} ({n.award_form.name})" for n in nominees}
        raise DomainError(
            f"Chưa dự thảo được: {len(blocked)} người, tập thể được xét đạt nhưng vi phạm "
            "quy tắc chặn. Văn phòng đánh dấu không đủ điều kiện hoặc sửa dữ liệu trước.",
            [
                f"{names[nid]}: {f.message} ({f.source})"
                for nid, found in blocked.items()
                for f in found
            ],
        )
