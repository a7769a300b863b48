"""The decisions list's counts per campaign, one GROUP BY each (issue 17).

The list page used to load every nominee ready for a decision, and every one proposed
upward, of every campaign, only to print how many: at province size some 20,000 rows on
each view. These count the same sets (`operations.awardable`, `upward.upward_nominees`)
in the database.
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, func, select

from ..campaigns.models import AwardForm
from ..enums import AwardLevel, NomineeStatus
from ..extensions import db
from ..nominations.models import Dossier, Nominee
from ..org.models import Unit
from .models import Decision, DecisionAward

# The decisions page sends both on every view: built once (a statement object keeps its
# cache key), the campaigns bound at each call.
_IDS = bindparam("ids", expanding=True)
_TAKEN = exists().where(
    DecisionAward.nominee_id == Nominee.id,
    Decision.id == DecisionAward.decision_id,
    Decision.campaign_id == Dossier.campaign_id,
)
_AWARDABLE = (
    select(Dossier.campaign_id, func.count())
    .select_from(Nominee)
    .join(Dossier)
    .join(Unit, Dossier.unit_id == Unit.id)
    .join(AwardForm, Nominee.award_form_id == AwardForm.id)
    .where(
        Dossier.campaign_id.in_(_IDS),
        Nominee.status == NomineeStatus.APPROVED,
        AwardForm.level == AwardLevel.DIRECTOR,
        ~_TAKEN,
    )
    .group_by(Dossier.campaign_id)
)
_UPWARD = (
    select(Dossier.campaign_id, func.count())
    .select_from(Nominee)
    .join(Dossier)
    .where(Dossier.campaign_id.in_(_IDS), Nominee.status == NomineeStatus.UPWARD)
    .group_by(Dossier.campaign_id)
)


_AWARDS = (
    select(DecisionAward.decision_id, func.count())
    .where(DecisionAward.decision_id.in_(bindparam("ids", expanding=True)))
    .group_by(DecisionAward.decision_id)
)


def award_counts(decision_ids: list[int]) -> dict[int, int]:
    """{decision id: its awards} in one query (the list showed `len(d.awards)`: a query and
    every award loaded, for each decision listed)."""
    if not decision_ids:
        return {}
    return dict(db.session.execute(_AWARDS, {"ids": list(decision_ids)}).all())


def awardable_counts(campaign_ids: list[int]) -> dict[int, int]:
    """{campaign id: nominees approved at the Director's level and in no decision yet}."""
    rows = db.session.execute(_AWARDABLE, {"ids": list(campaign_ids)})
    return {cid: 0 for cid in campaign_ids} | dict(rows.all())


def upward_counts(campaign_ids: list[int]) -> dict[int, int]:
    """{campaign id: nominees the council proposed to a higher level}."""
    rows = db.session.execute(_UPWARD, {"ids": list(campaign_ids)})
    return {cid: 0 for cid in campaign_ids} | dict(rows.all())
