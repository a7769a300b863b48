"""Read-only look-ups the list pages share: a unit's dossiers, nominees per dossier and
dossiers per state, each in one query.

Split out of operations.py, which re-exports every name here.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from ..extensions import db
from .models import Dossier, Nominee


def dossiers_for_units(unit_ids: set[int]) -> list[Dossier]:
    if not unit_ids:
        return []
    return list(
        db.session.scalars(
            select(Dossier).where(Dossier.unit_id.in_(unit_ids)).order_by(Dossier.created_at.desc())
        )
    )


# Built once: a statement object keeps its cache key (every list page sends this one).
_COUNTS = (
    select(Nominee.dossier_id, func.count())
    .where(Nominee.dossier_id.in_(bindparam("ids", expanding=True)))
    .group_by(Nominee.dossier_id)
)


def nominee_counts(dossier_ids) -> dict[int, int]:
    """Nominees per dossier in one query (a list page must not load every nominee)."""
    ids = list(dossier_ids)
    if not ids:
        return {}
    return dict(db.session.execute(_COUNTS, {"ids": ids}).all())


def count_by_state(campaign_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Dossier.state, func.count())
        .where(Dossier.campaign_id == campaign_id)
        .group_by(Dossier.state)
    )
    return dict(rows.all())
