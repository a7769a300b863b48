"""What the intake page and the consolidated list show beside their rows, computed from the
data and kept in this worker while the content version stands (dossier/memo.py, issue 17):
the units and their dossiers, cut-offs and nominee counts; the ineligible nominees; the last
version sent to the council and whether the live list differs from it; the tờ trình's next
number; the units that still owe a dossier. A page view reads them in one single-row query
(the token) instead of seven to nine statements.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from sqlalchemy import bindparam, select

from .. import memo
from ..campaigns.models import Campaign
from ..enums import NomineeStatus
from ..extensions import db
from ..nominations.models import Dossier, Nominee
from ..nominations.operations import nominee_counts
from ..org.models import Unit
from ..states import DossierState
from . import operations as ops
from . import rules
from .listing import Consolidated
from .models import ListVersion


def intake_base(campaign: Campaign, live: rules.Checked, token: str | None) -> IntakeBase:
    """The intake page's data but the findings (`live`, checked under `token` or later: a
    value computed from a later state is not kept, see memo.remember_in)."""
    return memo.remember(
        ("intake.base", campaign.id),
        lambda: _compute_base(_as_of_token(campaign, token), live),
        token,
    )


def list_extras(
    campaign: Campaign, live: rules.Checked, token: str | None, today: date
) -> ListExtras:
    """The consolidated list's data beside its rows; the next number depends on the year."""
    return memo.remember(
        ("intake.list_extras", campaign.id, today.year),
        lambda: _compute_extras(_as_of_token(campaign, token), live),
        token,
    )


def _as_of_token(campaign: Campaign, token: str | None) -> Campaign:
    """The campaign as the data of `token` has it, before anything is kept under it: the
    object the request loaded first (its cut-off, its extensions, its kind) may be older on
    PostgreSQL, where each statement sees the latest commit (as findings._afresh does for
    the checks). With no token nothing is kept, and the request's own changes stay."""
    if token is not None:
        db.session.refresh(campaign)
    return campaign


# The campaign's dossiers as the intake page shows them (built once: keeps its cache key).
_DOSSIERS = select(
    Dossier.id,
    Dossier.unit_id,
    Dossier.seq,
    Dossier.state,
    Dossier.version,
    Dossier.revision,
    Dossier.submitted_at,
).where(Dossier.campaign_id == bindparam("campaign_id"), Dossier.state != DossierState.WITHDRAWN)


class IntakeBase(NamedTuple):
    units: tuple  # (id, name) rows, in the list's order
    by_unit: Mapping[int, tuple]  # unit id -> its dossiers' rows (_DOSSIERS), by seq
    cutoff_for: Callable[[int], datetime | None]
    counts: Mapping[int, int]  # dossier id -> nominees
    latest_number: int | None  # the last version sent to the council
    changed: bool  # the live list differs from it


def _compute_base(campaign: Campaign, live: rules.Checked) -> IntakeBase:
    # Plain rows of only what the page shows (a province has 408 units and dossiers, each
    # dossier with its letter and minutes' text): no ORM object is made for any of them.
    units = tuple(db.session.execute(ops.UNITS_IN_PLAY))
    dossiers = db.session.execute(_DOSSIERS, {"campaign_id": campaign.id}).all()
    by_unit: dict[int, list] = {}
    for d in dossiers:
        by_unit.setdefault(d.unit_id, []).append(d)
    latest = ops.latest_version(campaign)
    return IntakeBase(
        units=units,
        by_unit=MappingProxyType(
            {u: tuple(sorted(ds, key=lambda d: d.seq)) for u, ds in by_unit.items()}
        ),
        cutoff_for=campaign.cutoff_lookup(),
        counts=MappingProxyType(nominee_counts(d.id for d in dossiers)),
        latest_number=latest.number if latest is not None else None,
        changed=_changed(campaign, latest, live),
    )


def _changed(campaign: Campaign, latest: ListVersion | None, live: rules.Checked) -> bool:
    """operations.changed_since_sent, for the version already loaded and the checked list,
    counting only dossiers still in play: once the council has voted (or the decision is
    issued) a dossier leaves the live list, which does not make the sent version stale."""
    if latest is None:
        return False
    in_play = set(
        db.session.scalars(
            select(Dossier.id).where(
                Dossier.campaign_id == campaign.id, Dossier.state.in_(rules.IN_PLAY)
            )
        )
    )
    sent = tuple((n, form) for n, form, d in _sent_rows(latest.content) if d in in_play)
    return sent != tuple(live.signature())


@lru_cache(maxsize=4)
def _sent_rows(content: str) -> tuple[tuple, ...]:
    """A function of the frozen JSON alone (keyed by the text itself, never by an id), so a
    cached answer is the answer: sent versions are not reparsed on every page view."""
    rows = Consolidated.from_json(content).rows
    return tuple(sorted((r.nominee_id, r.form_code, r.dossier_id) for r in rows))


class ListExtras(NamedTuple):
    ineligible: tuple  # (id, name, unit_name, status_reason) rows
    latest_number: int | None
    changed: bool
    next_letter_number: str
    not_sent: tuple[str, ...]


_INELIGIBLE = (
    select(Nominee.id, Nominee.name, Unit.name.label("unit_name"), Nominee.status_reason)
    .join(Dossier, Nominee.dossier_id == Dossier.id)
    .join(Unit, Dossier.unit_id == Unit.id)
    .where(Dossier.campaign_id == bindparam("campaign"))
    .where(Nominee.status == NomineeStatus.INELIGIBLE)
    .order_by(Nominee.id)
)


def _compute_extras(campaign: Campaign, live: rules.Checked) -> ListExtras:
    latest = ops.latest_version(campaign)
    return ListExtras(
        ineligible=tuple(db.session.execute(_INELIGIBLE, {"campaign": campaign.id})),
        latest_number=latest.number if latest is not None else None,
        changed=_changed(campaign, latest, live),
        next_letter_number=ops.next_letter_hint(),
        not_sent=tuple(ops.units_not_sent(campaign)) if campaign.procedure.CUTOFF else (),
    )
