"""The automatic checks on the consolidated list, each with its rule and legal source.

`check(campaign)` reads the proposals in play (dossiers submitted, accepted or before the
council) in one query, whatever the campaign's size, plus one for the award history when a
form has prerequisites, and runs every check. `build(campaign)` turns that into the list
with every finding attached. Errors block sending the list to the council; warnings inform.

The pages ask only for what they show: counts per dossier (intake), one page of rows (the
consolidated list), one dossier's findings (`findings_for`): the checks are the same code.
Between requests the pages read `findings.check`, the same answer kept while nothing changed.

The checks live beside this module: columns.py (a nominee in play as a plain tuple, and its
query), row_checks.py (on hold, duplicates, unit vote, award rules, components),
list_checks.py (quotas, registrations), award_rules.py (the rules of each award form).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import case, func, select

from ..campaigns.models import Campaign
from ..enums import Gender
from ..extensions import db
from ..org.models import Staff
from ..states import DOSSIER_SENT, DossierState
from . import columns
from .columns import (
    COLLECTIVE_UNIT,
    DOSSIER,
    FORM,
    FORM_LEVEL,
    FORM_NAME,
    FORM_ORDER,
    GENDER,
    ID,
    IN_PLAY,
    KIND,
    NAME,
    POSITION,
    PRESENT,
    SHARED,
    SORT_KEY,
    UNIT,
    UNIT_NAME,
    UNIT_ORDER,
    VOTES_AGAINST,
    VOTES_FOR,
)
from .list_checks import LAW, quotas, registrations
from .listing import Consolidated, Finding, ListRow
from .row_checks import (
    COMPONENTS,
    ND152,
    ONCE,
    SHOW_OTHERS,
    award_rule_findings,
    on_hold,
    row_findings,
)

# The names the rest of the app and the tests know this module by.
__all__ = ["COMPONENTS", "IN_PLAY", "LAW", "ND152", "ONCE", "SHOW_OTHERS", "Checked"]


def _list_order(fact: tuple, women_first: bool) -> tuple:
    """By award form, then unit, then women first, then Vietnamese name order:
    Consolidated.sort's key (the raw ICU key sorts as its hex does)."""
    return (
        fact[FORM_ORDER],
        fact[UNIT_ORDER],
        fact[UNIT_NAME],
        fact[KIND] != "collective",
        not women_first,
        fact[SORT_KEY] or b"",
    )


WOMEN_SHARE = 70  # a collective with at least this % women counts as women (NĐ 152, Điều 4)


def _women_first(facts: list[tuple]) -> set[int]:
    """Nominee ids that come first on equal merit: women, and collectives whose members are
    at least 70% women (NĐ 152/2025/NĐ-CP, Điều 4)."""
    out = {f[ID] for f in facts if f[KIND] == "individual" and f[GENDER] == Gender.FEMALE}
    collectives = [f for f in facts if f[KIND] == "collective"]
    if not collectives:
        return out
    units = {f[COLLECTIVE_UNIT] or f[UNIT] for f in collectives}
    counts = {
        unit_id: (total, women or 0)
        for unit_id, total, women in db.session.execute(
            select(
                Staff.unit_id,
                func.count(),
                func.sum(case((Staff.gender == Gender.FEMALE.value, 1), else_=0)),
            )
            .where(Staff.unit_id.in_(units), Staff.active.is_(True))
            .group_by(Staff.unit_id)
        )
    }
    for f in collectives:
        total, women = counts.get(f[COLLECTIVE_UNIT] or f[UNIT], (0, 0))
        if total and women * 100 >= WOMEN_SHARE * total:
            out.add(f[ID])
    return out


class Checked:
    """The facts in list order with their findings; ListRows on demand.

    `found` holds the row findings as plain tuples in Finding's field order, in the order
    the checks made them (so each row's own findings keep that order): like the facts, they
    cost the garbage collector nothing until a page turns some into Finding objects.
    """

    def __init__(
        self,
        campaign: Campaign,
        facts: list[tuple],
        found: list[tuple],
        list_findings: list[Finding],
        women: set[int] | None = None,
    ) -> None:
        self.campaign_id, self.campaign_name, self.year = campaign.id, campaign.name, campaign.year
        self.women = women or set()
        # Stable: ties keep the query's order, as before.
        facts.sort(key=lambda f: _list_order(f, f[ID] in self.women))
        self.facts, self.found, self.list_findings = facts, found, list_findings
        levels = Counter(f.level for f in list_findings)
        levels.update(t[0] for t in found)
        self.error_count, self.warning_count = levels["error"], levels["warning"]
        self._tally: dict[int, list[int]] | None = None
        self._signature: tuple[tuple, ...] | None = None

    @property
    def row_count(self) -> int:
        return len(self.facts)

    def page(self, start: int, stop: int) -> list[ListRow]:
        facts = self.facts[start:stop]
        by_row = _by_row(self.found, {f[ID] for f in facts})
        return [_list_row(f, by_row.get(f[ID], []), f[ID] in self.women) for f in facts]

    def consolidated(self) -> Consolidated:
        return Consolidated(
            campaign_id=self.campaign_id,
            campaign_name=self.campaign_name,
            year=self.year,
            rows=self.page(0, len(self.facts)),
            list_findings=list(self.list_findings),
        )

    def tally(self) -> dict[int, list[int]]:
        """dossier id -> [errors, warnings] over its rows (dossiers with findings only).
        Counted once per Checked (a cached one serves many pages): read it, never change it."""
        if self._tally is None:
            self._tally = self._count()
        return self._tally

    def _count(self) -> dict[int, list[int]]:
        dossier_of = {f[ID]: f[DOSSIER] for f in self.facts}
        out: dict[int, list[int]] = {}
        for t in self.found:
            tally = out.setdefault(dossier_of[t[-1]], [0, 0])
            tally[0] += t[0] == "error"
            tally[1] += t[0] == "warning"
        return out

    def signature(self) -> list[tuple]:
        """What operations._signature reads of the built list: (nominee id, form code).
        Sorted once per Checked, like the tally (a copy each call)."""
        if self._signature is None:
            self._signature = tuple(sorted((f[ID], f[FORM]) for f in self.facts))
        return list(self._signature)


def _by_row(found: list[tuple], ids: set[int]) -> dict[int, list[Finding]]:
    out: dict[int, list[Finding]] = {}
    for t in found:
        if t[-1] in ids:
            out.setdefault(t[-1], []).append(Finding(*t))
    return out


def _list_row(f: tuple, findings: list[Finding], women_first: bool = False) -> ListRow:
    return ListRow(
        nominee_id=f[ID],
        dossier_id=f[DOSSIER],
        name=f[NAME],
        kind=f[KIND],
        position=f[POSITION] or "",
        gender=f[GENDER],
        unit_id=f[UNIT],
        unit_name=f[UNIT_NAME],
        unit_order=f[UNIT_ORDER],
        form_code=f[FORM],
        form_name=f[FORM_NAME],
        form_order=f[FORM_ORDER],
        form_level=f[FORM_LEVEL],
        votes_for=f[VOTES_FOR],
        votes_against=f[VOTES_AGAINST],
        meeting_present=f[PRESENT],
        sort_key=(f[SORT_KEY] or b"").hex(),
        findings=findings,
        women_first=women_first,
    )


def check(campaign: Campaign) -> Checked:
    facts = columns.read(campaign)
    forms = {f.code: f for f in campaign.award_forms}
    found = row_findings(campaign, facts, facts, forms)
    codes = Counter(f[FORM] for f in facts)
    listed = quotas(codes, forms, facts) + registrations(codes, campaign)
    return Checked(campaign, facts, found, listed, _women_first(facts))


def build(campaign: Campaign) -> Consolidated:
    return check(campaign).consolidated()


def findings_for(
    campaign: Campaign, dossier_id: int, *, any_state: bool = False
) -> dict[int, list[Finding]]:
    """nominee id -> findings, for the rows of one dossier in play: the same checks, against
    the whole campaign where they compare across dossiers, but findings made for it only.
    Its rows are read in full, the others only as far as the duplicate check reads them.
    `any_state`: the dossier's rows whatever its state (the unit's checklist on a draft)."""
    states = list(DossierState) if any_state else IN_PLAY
    own = {f[ID]: f for f in columns.read(campaign, dossier_id=dossier_id, states=states)}
    if not own:
        return {}
    # A row of the dossier missing from `own` was removed between the two reads: leave it.
    facts = [
        own.get(f[ID], f)
        for f in columns.read(campaign, columns=SHARED)
        if f[DOSSIER] != dossier_id or f[ID] in own
    ]
    if any_state and not any(f[DOSSIER] == dossier_id for f in facts):
        # A draft: its rows join the others in dossier order, as a submitted one would.
        facts = sorted([*facts, *own.values()], key=lambda f: (f[DOSSIER], f[ID]))
    mine = [f for f in facts if f[DOSSIER] == dossier_id]
    found = row_findings(campaign, facts, mine, {f.code: f for f in campaign.award_forms})
    by_row = _by_row(found, {f[ID] for f in mine})
    return {f[ID]: by_row.get(f[ID], []) for f in mine}


def blocking_for(campaign: Campaign, nominee_ids: set[int]) -> dict[int, list[Finding]]:
    """nominee id -> the blocking findings (on hold, an award rule that blocks) of these
    nominees, read against every dossier the units sent: what a decision must refuse."""
    facts = columns.read(campaign, states=DOSSIER_SENT)
    mine = [f for f in facts if f[ID] in nominee_ids]
    if not mine:
        return {}
    found: list[tuple] = []
    on_hold(mine, found)
    award_rule_findings(campaign, facts, mine, found)
    out: dict[int, list[Finding]] = {}
    for t in found:
        if t[0] == "error":
            out.setdefault(t[-1], []).append(Finding(*t))
    return out
