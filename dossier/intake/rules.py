"""The automatic checks on the consolidated list, each with its rule and legal source.

`check(campaign)` reads the proposals in play (dossiers submitted, accepted or before the
council) in one query, whatever the campaign's size, plus one for the award history when a
form has prerequisites, and runs every check. `build(campaign)` turns that into the list
with every finding attached. Errors block sending the list to the council; warnings inform.

The pages ask only for what they show: counts per dossier (intake), one page of rows (the
consolidated list), one dossier's findings (`findings_for`): the checks are the same code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import case, func, select

from ..campaigns.models import AwardForm, Campaign
from ..enums import AttachmentKind, Component, Gender, NomineeStatus
from ..extensions import db
from ..nominations.models import Attachment, Dossier, Nominee
from ..org.models import Staff, Unit
from ..states import DOSSIER_REVIEWABLE, DOSSIER_SENT, DossierState
from .award_rules import Proposal, Subject, evaluate
from .listing import Consolidated, Finding, ListRow

IN_PLAY = DOSSIER_REVIEWABLE
ND152 = "Nghị định 152/2025/NĐ-CP, Điều 4"
LAW = "Luật Thi đua, khen thưởng 2022"
ONCE = "Kiểm tra trùng lặp: một hình thức chỉ đề nghị một lần cho một đối tượng trong một đợt"

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
    _F.c.code,  # what the duplicate check and the award rules read of the others: _SHARED
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
_SHARED = FORM + 1  # a fact cut to its first _SHARED columns still serves _duplicates


def _facts(
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
        """What operations._signature reads of the built list: (nominee id, form code)."""
        return sorted((f[ID], f[FORM]) for f in self.facts)


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
    facts = _facts(campaign)
    forms = {f.code: f for f in campaign.award_forms}
    found = _row_findings(campaign, facts, facts, forms)
    codes = Counter(f[FORM] for f in facts)
    listed = _quotas(codes, forms, facts) + _registrations(codes, campaign)
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
    own = {f[ID]: f for f in _facts(campaign, dossier_id=dossier_id, states=states)}
    if not own:
        return {}
    # A row of the dossier missing from `own` was removed between the two reads: leave it.
    facts = [
        own.get(f[ID], f)
        for f in _facts(campaign, columns=_SHARED)
        if f[DOSSIER] != dossier_id or f[ID] in own
    ]
    if any_state and not any(f[DOSSIER] == dossier_id for f in facts):
        # A draft: its rows join the others in dossier order, as a submitted one would.
        facts = sorted([*facts, *own.values()], key=lambda f: (f[DOSSIER], f[ID]))
    mine = [f for f in facts if f[DOSSIER] == dossier_id]
    found = _row_findings(campaign, facts, mine, {f.code: f for f in campaign.award_forms})
    by_row = _by_row(found, {f[ID] for f in mine})
    return {f[ID]: by_row.get(f[ID], []) for f in mine}


def _row_findings(campaign, facts, mine, forms) -> list[tuple]:
    """Findings about single rows, for the rows in `mine` (a part of `facts`, or all), as
    tuples in the order of the checks: on hold, duplicate, unit vote, the award rules,
    components."""
    found: list[tuple] = []
    _on_hold(mine, found)
    _duplicates(facts, {f[ID] for f in mine} if mine is not facts else None, found)
    _unit_vote(mine, forms, found)
    _award_rules(campaign, facts, mine, found)
    _components(mine, campaign, forms, found)
    return found


def _add(found: list, fact: tuple, level: str, rule: str, message: str, source: str) -> None:
    found.append((level, rule, message, source, fact[ID]))  # Finding's fields, in order


def _on_hold(facts: Iterable[tuple], found: list) -> None:
    for f in facts:
        if f[HOLD]:
            _add(
                found,
                f,
                "error",
                "on_hold",
                f"{f[NAME]} đang bị xem xét ({f[HOLD]}): chưa được khen thưởng, chưa được "
                "đề nghị cho đến khi có kết luận.",
                ND152,
            )


SHOW_OTHERS = 5  # a duplicate finding names this many of the others, then counts the rest


def _duplicates(facts: list[tuple], only: set[int] | None, found: list) -> None:
    """The same person or collective proposed twice for the same form in the campaign,
    across units too (several forms for one person are lawful: LĐTT with CSTĐCS, a Giấy
    khen beside a title; only a rule refuses a pair). Findings for the rows in `only`
    (None: every row)."""
    # Key -> position of the first row with it; groups only for keys met more than once.
    # Keys are plain ints and strings (kind and folded name; kinds hold no "|").
    first_staff: dict[tuple, int] = {}
    first_name: dict[str, int] = {}
    by_staff: dict[tuple, list[tuple]] = {}
    by_name: dict[str, list[tuple]] = {}
    for i, f in enumerate(facts):
        name = f"{f[KIND]}|{f[FORM]}|{f[FOLDED]}"
        j = first_name.setdefault(name, i)
        if j != i:
            by_name.setdefault(name, [facts[j]]).append(f)
        if f[STAFF] is not None:
            j = first_staff.setdefault((f[STAFF], f[FORM]), i)
            if j != i:
                by_staff.setdefault((f[STAFF], f[FORM]), [facts[j]]).append(f)
    # The same staff record first: that is certain (error); the same name only may be two
    # different people (warning). Within each, groups in the order of their first row.
    groups = [(True, by_staff[k]) for k in sorted(by_staff, key=first_staff.__getitem__)]
    groups += [(False, by_name[k]) for k in sorted(by_name, key=first_name.__getitem__)]
    # One finding per row and group, naming the others (at most SHOW_OTHERS of them): a
    # group of k rows makes k findings, not k × (k - 1) (issue 17: 86,718 at 400 units).
    paired: dict[int, set[int]] = {}  # row id -> ids already named beside it (same staff)
    for same_person, members in groups:
        level = "error" if same_person else "warning"
        tail = "." if same_person else " (trùng họ tên: kiểm tra có phải một người)."
        for row in members:
            if only is not None and row[ID] not in only:
                continue
            named = paired.setdefault(row[ID], set())
            others = [o for o in members if o is not row and o[ID] not in named]
            if not others:
                continue
            named.update(o[ID] for o in others)
            shown = ", ".join(
                f"{o[UNIT_NAME]} đề nghị «{o[FORM_NAME]}»" for o in others[:SHOW_OTHERS]
            )
            if len(others) > SHOW_OTHERS:
                shown += f" và {len(others) - SHOW_OTHERS} đề nghị khác"
            _add(found, row, level, "duplicate", f"{row[NAME]} cũng được {shown}{tail}", ONCE)


def _unit_vote(facts: Iterable[tuple], forms: dict[str, AwardForm], found: list) -> None:
    """The unit meeting's vote for the nominee must reach the form's share of those present."""
    for f in facts:
        form = forms.get(f[FORM])
        votes, present = f[VOTES_FOR], f[PRESENT]
        if form is None or votes is None or not present:
            continue
        pct = form.unit_vote_pct
        # Integers only: "trên 50%" means votes * 100 > 50 * present.
        if not votes * 100 > pct * present:
            _add(
                found,
                f,
                "error",
                "unit_vote",
                f"Tại cuộc họp đơn vị chỉ {votes}/{present} người dự họp "
                f"đồng ý, chưa đạt trên {pct}%.",
                f"Quy định xét «{form.name}» của đơn vị",
            )


def _award_rules(campaign: Campaign, facts: list[tuple], mine, found: list) -> None:
    """The award form's rules (award_rules.py), each with its source and level."""
    subjects = [
        Subject(
            f[ID],
            f[KIND],
            f[NAME],
            f[FOLDED],
            f[STAFF],
            f[UNIT],
            f[COLLECTIVE_UNIT],
            f[FORM],
        )
        for f in mine
    ]
    proposals = [Proposal(f[KIND], f[FOLDED], f[STAFF], f[FORM]) for f in facts]
    found.extend(evaluate(campaign, subjects, proposals))


# Components proven by an upload: what each nominee's award form or the campaign requires.
_UPLOADED = {
    Component.REPORT_SCAN: (AttachmentKind.REPORT_SCAN, "bản scan báo cáo thành tích có chữ ký"),
    Component.INITIATIVE: (
        AttachmentKind.INITIATIVE,
        "minh chứng sáng kiến hoặc đề tài được công nhận",
    ),
}
COMPONENTS = "Thành phần hồ sơ bắt buộc của đợt thi đua và của hình thức khen thưởng"


def _components(
    facts: list[tuple], campaign: Campaign, forms: dict[str, AwardForm], found: list
) -> None:
    """Dossiers in play that lack a required upload (sent before the requirement was set,
    for instance): the campaign's signed scans, on the dossier's first row, and what each
    nominee's award form requires. Warnings: the Văn phòng returns the dossier to fix it."""
    from ..nominations.checklist import scans_missing

    if not facts:
        return
    held: dict[int, set[tuple]] = {}
    for dossier_id, nominee_id, kind in db.session.execute(
        select(Attachment.dossier_id, Attachment.nominee_id, Attachment.kind).where(
            Attachment.dossier_id.in_({f[DOSSIER] for f in facts})
        )
    ):
        held.setdefault(dossier_id, set()).add((nominee_id, kind))
    fixed = campaign.procedure.DOSSIER["components"] is not None  # the simplified procedure
    first: set[int] = set()
    for f in facts:
        own = held.get(f[DOSSIER], set())
        if f[DOSSIER] not in first:
            first.add(f[DOSSIER])
            kinds = {kind for nominee_id, kind in own if nominee_id is None}
            for m in scans_missing(campaign, kinds):
                _add(
                    found, f, "warning", "components", f"Hồ sơ của {f[UNIT_NAME]}: {m}.", COMPONENTS
                )
        form = forms.get(f[FORM])
        if form is None or fixed:
            continue
        for component in form.components:
            if component in _UPLOADED and (f[ID], _UPLOADED[component][0]) not in own:
                _add(
                    found,
                    f,
                    "warning",
                    "components",
                    f"{f[NAME]}: thiếu {_UPLOADED[component][1]} («{form.name}» yêu cầu).",
                    COMPONENTS,
                )


def _person(f: tuple):
    return ("staff", f[STAFF]) if f[STAFF] is not None else (f[KIND], f[FOLDED])


def _quotas(counts: Counter, forms: dict[str, AwardForm], facts: list[tuple]) -> list[Finding]:
    """E.g. Chiến sĩ thi đua cơ sở at most 15% of those with Lao động tiên tiến."""
    out = []
    for form in forms.values():
        if not form.quota_pct or not form.quota_of_code or not counts[form.code]:
            continue
        base_form = forms.get(form.quota_of_code)
        # Everyone proposed for CSTĐCS also holds LĐTT that year: both count in the base,
        # each person once (the pair LĐTT + CSTĐCS for one person is one person).
        base = len({_person(f) for f in facts if f[FORM] in (form.quota_of_code, form.code)})
        n = counts[form.code]
        if n * 100 > form.quota_pct * base:
            allowed = form.quota_pct * base // 100
            out.append(
                Finding(
                    "error",
                    "quota",
                    f"Đề nghị {n} «{form.name}», vượt tỷ lệ {form.quota_pct}% trên {base} người "
                    f"đạt «{base_form.name if base_form else form.quota_of_code}» "
                    f"(tối đa {allowed}).",
                    form.legal_source or LAW,
                )
            )
    return out


def _registrations(counts: Counter, campaign: Campaign) -> list[Finding]:
    out = []
    for reg in campaign.registrations:
        n = counts[reg.award_form.code]
        if n > reg.count:
            out.append(
                Finding(
                    "warning",
                    "registration",
                    f"Đề nghị {n} «{reg.award_form.name}» nhưng đợt thi đua "
                    f"chỉ đăng ký {reg.count}.",
                    "Đăng ký hình thức khen thưởng của đợt thi đua",
                )
            )
    return out


def blocking_for(campaign: Campaign, nominee_ids: set[int]) -> dict[int, list[Finding]]:
    """nominee id -> the blocking findings (on hold, an award rule that blocks) of these
    nominees, read against every dossier the units sent: what a decision must refuse."""
    facts = _facts(campaign, states=DOSSIER_SENT)
    mine = [f for f in facts if f[ID] in nominee_ids]
    if not mine:
        return {}
    found: list[tuple] = []
    _on_hold(mine, found)
    _award_rules(campaign, facts, mine, found)
    out: dict[int, list[Finding]] = {}
    for t in found:
        if t[0] == "error":
            out.setdefault(t[-1], []).append(Finding(*t))
    return out
