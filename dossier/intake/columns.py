"""One nominee in play as the checks read it: a plain tuple of columns, and the query.

A "fact" is the tuple the query returns, in the column order of _COLUMNS; the names below
(ID, DOSSIER, ...) index it. Every module of the checks (rules, row_checks, list_checks)
reads facts through these names, so this module imports none of them.
"""

from __future__ import annotations

from sqlalchemy import select

from ..campaigns.models import AwardForm, Campaign
from ..enums import NomineeStatus
from ..extensions import db
from ..nominations.models import Dossier, Nominee
from ..org.models import Staff, Unit
from ..states import DOSSIER_REVIEWABLE

IN_PLAY = DOSSIER_REVIEWABLE

# One nominee in play ("fact") is the plain tuple the query returns, in this column order.
# Plain tuples of plain values are dropped from the garbage collector's watch at its first
# look, so 2,000 of them do not make the next full collection come sooner (ListRow objects
# would: that was the p95 of the intake pages). ListRows are made only for rows shown.
_N, _D, _U = Nominee.__table__, Dossier.__table__, Unit.__table__
_F, _S = AwardForm.__table__, Staff.__table__
_COLUMNS = (
    _N.c.id,
    _N.c.dossier_id,
    _N.c.kind,
    _N.c.name_folded,
    _N.c.staff_id,
    _U.c.name,
    _F.c.name,
    _F.c.code,  # what the duplicate check and the award rules read of the others: SHARED
    _N.c.name,
    _N.c.position,
    _N.c.gender,
    _U.c.id,
    _U.c.sort_order,
    _F.c.sort_order,
    _F.c.level,
    _N.c.votes_for,
    _N.c.votes_against,
    _D.c.meeting_present,
    _N.c.sort_key,
    _S.c.hold_reason,
    _N.c.collective_unit_id,
)
(
    ID,
    DOSSIER,
    KIND,
    FOLDED,
    STAFF,
    UNIT_NAME,
    FORM_NAME,
    FORM,
    NAME,
    POSITION,
    GENDER,
    UNIT,
    UNIT_ORDER,
    FORM_ORDER,
    FORM_LEVEL,
    VOTES_FOR,
    VOTES_AGAINST,
    PRESENT,
    SORT_KEY,
    HOLD,
    COLLECTIVE_UNIT,
) = range(len(_COLUMNS))
SHARED = FORM + 1  # a fact cut to its first SHARED columns still serves _duplicates


def read(
    campaign: Campaign,
    *,
    columns: int = len(_COLUMNS),
    dossier_id: int | None = None,
    states=IN_PLAY,
) -> list[tuple]:
    """Core columns, not ORM entities: no per-row ORM loading. Ordered by dossier, then
    nominee (the index order on SQLite: no sort step), so the checks meet the rows in one
    order on every backend (a row's duplicate findings follow it)."""
    joined = (
        _N.join(_D, _N.c.dossier_id == _D.c.id)
        .join(_U, _D.c.unit_id == _U.c.id)
        .join(_F, _N.c.award_form_id == _F.c.id)
    )
    if columns > HOLD:
        joined = joined.outerjoin(_S, _N.c.staff_id == _S.c.id)
    query = (
        select(*_COLUMNS[:columns])
        .select_from(joined)
        .where(
            _D.c.campaign_id == campaign.id,
            _D.c.state.in_(states),
            _N.c.status != NomineeStatus.INELIGIBLE,
        )
        .order_by(_D.c.id, _N.c.id)
    )
    if dossier_id is not None:
        query = query.where(_D.c.id == dossier_id)
    return [tuple(r) for r in db.session.execute(query)]
