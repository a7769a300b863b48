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

from sqlalchemy import select

from ..campaigns.models import AwardForm, Campaign
from ..enums import NomineeKind, NomineeStatus
from ..extensions import db
from ..history.queries import titles_by_year
from ..nominations.models import Dossier, Nominee
from ..org.models import Staff, Unit
from ..states import DOSSIER_REVIEWABLE
from .listing import Consolidated, Finding, ListRow

IN_PLAY = DOSSIER_REVIEWABLE
ND152 = "Nghị định 152/2025/NĐ-CP, Điều 4"
LAW = "Luật Thi đua, khen thưởng 2022"
ONCE = "Mỗi tập thể, cá nhân chỉ được đề nghị một lần trong một đợt"

# Prerequisites read from the history: form -> (title code, consecutive years, level, words).
PREREQUISITES = {
    "BK_CN": (
        "CSTDCS",
        2,
        "warning",
        "hai năm liên tục đạt Chiến sĩ thi đua cơ sở (hoặc hai năm liên tục hoàn thành "
        "xuất sắc nhiệm vụ và có hai sáng kiến được công nhận: cần minh chứng)",
    ),
    "CSTD_TINH": ("CSTDCS", 3, "error", "ba lần liên tục đạt Chiến sĩ thi đua cơ sở"),
}

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
    _F.c.name,  # what the duplicate check reads of the other rows: see _SHARED
    _N.c.name,
    _N.c.position,
    _N.c.gender,
    _U.c.id,
    _U.c.sort_order,
    _F.c.code,
    _F.c.sort_order,
    _F.c.level,
    _N.c.votes_for,
    _N.c.votes_against,
    _D.c.meeting_present,
    _N.c.sort_key,
    _S.c.hold_reason,
)
(
    ID,
    DOSSIER,
    KIND,
    FOLDED,
    STAFF,
    UNIT_NAME,
    FORM_NAME,
    NAME,
    POSITION,
    GENDER,
    UNIT,
    UNIT_ORDER,
    FORM,
    FORM_ORDER,
    FORM_LEVEL,
    VOTES_FOR,
    VOTES_AGAINST,
    PRESENT,
    SORT_KEY,
    HOLD,
) = range(len(_COLUMNS))
_SHARED = FORM_NAME + 1  # a fact cut to its first _SHARED columns still serves _duplicates


def _facts(
    campaign: Campaign, *, columns: int = len(_COLUMNS), dossier_id: int | None = None
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
            _D.c.state.in_(IN_PLAY),
            _N.c.status != NomineeStatus.INELIGIBLE,
        )
        .order_by(_D.c.id, _N.c.id)
    )
    if dossier_id is not None:
        query = query.where(_D.c.id == dossier_id)
    return [tuple(r) for r in db.session.execute(query)]


def _list_order(fact: tuple) -> tuple:
    """By award form, then unit, then Vietnamese name order: Consolidated.sort's key (the
    raw ICU key sorts as its hex does)."""
    return (
        fact[FORM_ORDER],
        fact[UNIT_ORDER],
        fact[UNIT_NAME],
        fact[KIND] != "collective",
        fact[SORT_KEY] or b"",
    )


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
    ) -> None:
        self.campaign_id, self.campaign_name, self.year = campaign.id, campaign.name, campaign.year
        facts.sort(key=_list_order)  # stable: ties keep the query's order, as before
        self.facts, self.found, self.list_findings = facts, found, list_findings
        levels = Counter(f.level for f in list_findings)
        levels.update(t[0] for t in found)
        self.error_count, self.warning_count = levels["error"], levels["warning"]

    @property
    def row_count(self) -> int:
        return len(self.facts)

    def page(self, start: int, stop: int) -> list[ListRow]:
        facts = self.facts[start:stop]
        by_row = _by_row(self.found, {f[ID] for f in facts})
        return [_list_row(f, by_row.get(f[ID], [])) for f in facts]

    def consolidated(self) -> Consolidated:
        return Consolidated(
            campaign_id=self.campaign_id,
            campaign_name=self.campaign_name,
            year=self.year,
            rows=self.page(0, len(self.facts)),
            list_findings=list(self.list_findings),
        )

    def tally(self) -> dict[int, list[int]]:
        """dossier id -> [errors, warnings] over its rows (dossiers with findings only)."""
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


def _list_row(f: tuple, findings: list[Finding]) -> ListRow:
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
    )


def check(campaign: Campaign) -> Checked:
    facts = _facts(campaign)
    forms = {f.code: f for f in campaign.award_forms}
    found = _row_findings(campaign, facts, facts, forms)
    codes = Counter(f[FORM] for f in facts)
    return Checked(campaign, facts, found, _quotas(codes, forms) + _registrations(codes, campaign))


def build(campaign: Campaign) -> Consolidated:
    return check(campaign).consolidated()


def findings_for(campaign: Campaign, dossier_id: int) -> dict[int, list[Finding]]:
    """nominee id -> findings, for the rows of one dossier in play: the same checks, against
    the whole campaign where they compare across dossiers, but findings made for it only.
    Its rows are read in full, the others only as far as the duplicate check reads them."""
    own = {f[ID]: f for f in _facts(campaign, dossier_id=dossier_id)}
    if not own:
        return {}
    # A row of the dossier missing from `own` was removed between the two reads: leave it.
    facts = [
        own.get(f[ID], f)
        for f in _facts(campaign, columns=_SHARED)
        if f[DOSSIER] != dossier_id or f[ID] in own
    ]
    mine = [f for f in facts if f[DOSSIER] == dossier_id]
    found = _row_findings(campaign, facts, mine, {f.code: f for f in campaign.award_forms})
    by_row = _by_row(found, {f[ID] for f in mine})
    return {f[ID]: by_row.get(f[ID], []) for f in mine}


def _row_findings(campaign, facts, mine, forms) -> list[tuple]:
    """Findings about single rows, for the rows in `mine` (a part of `facts`, or all), as
    tuples in the order of the checks: on hold, duplicate, unit vote, prerequisite."""
    found: list[tuple] = []
    _on_hold(mine, found)
    _duplicates(facts, {f[ID] for f in mine} if mine is not facts else None, found)
    _unit_vote(mine, forms, found)
    _prerequisites(mine, campaign, found)
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
    """The same person or collective proposed twice in the campaign, across units too.
    Findings for the rows in `only` (None: every row)."""
    # Key -> position of the first row with it; groups only for keys met more than once.
    # Keys are plain ints and strings (kind and folded name; kinds hold no "|").
    first_staff: dict[int, int] = {}
    first_name: dict[str, int] = {}
    by_staff: dict[int, list[tuple]] = {}
    by_name: dict[str, list[tuple]] = {}
    for i, f in enumerate(facts):
        name = f"{f[KIND]}|{f[FOLDED]}"
        j = first_name.setdefault(name, i)
        if j != i:
            by_name.setdefault(name, [facts[j]]).append(f)
        if f[STAFF] is not None:
            j = first_staff.setdefault(f[STAFF], i)
            if j != i:
                by_staff.setdefault(f[STAFF], [facts[j]]).append(f)
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


def _prerequisites(facts: Iterable[tuple], campaign: Campaign, found: list) -> None:
    wanted = [f for f in facts if f[FORM] in PREREQUISITES and f[KIND] == NomineeKind.INDIVIDUAL]
    if not wanted:
        return
    years = {campaign.year - k for k in range(1, 4)}
    codes = {PREREQUISITES[f[FORM]][0] for f in wanted}
    history = titles_by_year(
        staff_ids={f[STAFF] for f in wanted if f[STAFF]},
        folded_names={f[FOLDED] for f in wanted},
        codes=codes,
        years=years,
    )
    for f in wanted:
        code, count, level, words = PREREQUISITES[f[FORM]]
        staff_id, folded = f[STAFF], f[FOLDED]
        # Records linked to this person, and archive records under the same name in the same
        # unit (or with no unit recorded).
        records = [
            history.get(("staff", staff_id), {}) if staff_id else {},
            history.get(("name", folded, f[UNIT]), {}),
            history.get(("name", folded, None), {}),
        ]
        needed = [campaign.year - k for k in range(1, count + 1)]
        missing = [y for y in needed if not any(code in r.get(y, set()) for r in records)]
        if missing:
            _add(
                found,
                f,
                level,
                "prerequisite",
                f"Lịch sử khen thưởng chưa có {words}: thiếu năm "
                f"{', '.join(str(y) for y in sorted(missing))}.",
                LAW,
            )


def _quotas(counts: Counter, forms: dict[str, AwardForm]) -> list[Finding]:
    """E.g. Chiến sĩ thi đua cơ sở at most 15% of those with Lao động tiên tiến."""
    out = []
    for form in forms.values():
        if not form.quota_pct or not form.quota_of_code or not counts[form.code]:
            continue
        base_form = forms.get(form.quota_of_code)
        # Everyone proposed for CSTĐCS also holds LĐTT that year: both count in the base.
        base = counts[form.quota_of_code] + counts[form.code]
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
