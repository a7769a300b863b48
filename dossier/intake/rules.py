"""The automatic checks on the consolidated list, each with its rule and legal source.

`build(campaign)` reads the proposals in play (dossiers submitted, accepted or before the
council) in a fixed number of queries, whatever the campaign's size, and returns the list
with every finding attached. Errors block sending the list to the council; warnings inform.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from ..campaigns.models import AwardForm, Campaign
from ..enums import NomineeKind, NomineeStatus
from ..extensions import db
from ..history.queries import titles_by_year
from ..nominations.models import Dossier, Nominee
from ..org.models import Staff, Unit
from .listing import Consolidated, Finding, ListRow

IN_PLAY = ("submitted", "accepted", "council")
ND152 = "Nghị định 152/2025/NĐ-CP, Điều 4"
LAW = "Luật Thi đua, khen thưởng 2022"

# Prerequisites read from the history: form -> (title code, consecutive years, level, words).
PREREQUISITES = {
    "BK_CN": ("CSTDCS", 2, "warning",
              "hai năm liên tục đạt Chiến sĩ thi đua cơ sở (hoặc hai năm liên tục hoàn thành "
              "xuất sắc nhiệm vụ và có hai sáng kiến được công nhận: cần minh chứng)"),
    "CSTD_TINH": ("CSTDCS", 3, "error", "ba lần liên tục đạt Chiến sĩ thi đua cơ sở"),
}


def _rows(campaign: Campaign) -> list[ListRow]:
    query = (
        select(Nominee.id, Nominee.dossier_id, Nominee.name, Nominee.kind, Nominee.position,
               Nominee.gender, Nominee.sort_key, Nominee.votes_for, Nominee.votes_against,
               Dossier.meeting_present, Unit.id, Unit.name, Unit.sort_order,
               AwardForm.code, AwardForm.name, AwardForm.sort_order, AwardForm.level)
        .join(Dossier, Nominee.dossier_id == Dossier.id)
        .join(Unit, Dossier.unit_id == Unit.id)
        .join(AwardForm, Nominee.award_form_id == AwardForm.id)
        .where(Dossier.campaign_id == campaign.id, Dossier.state.in_(IN_PLAY),
               Nominee.status != NomineeStatus.INELIGIBLE)
    )
    return [ListRow(nominee_id=r[0], dossier_id=r[1], name=r[2], kind=r[3], position=r[4] or "",
                    gender=r[5], sort_key=(r[6] or b"").hex(), votes_for=r[7],
                    votes_against=r[8], meeting_present=r[9], unit_id=r[10], unit_name=r[11],
                    unit_order=r[12], form_code=r[13], form_name=r[14], form_order=r[15],
                    form_level=r[16])
            for r in db.session.execute(query)]


def build(campaign: Campaign) -> Consolidated:
    rows = _rows(campaign)
    cons = Consolidated(campaign_id=campaign.id, campaign_name=campaign.name,
                        year=campaign.year, rows=rows)
    forms = {f.code: f for f in campaign.award_forms}
    facts = _facts([r.nominee_id for r in rows])
    for check in (_on_hold, _duplicates, _unit_vote, _prerequisites):
        check(cons, forms, facts, campaign)
    _quotas(cons, forms)
    _registrations(cons, campaign)
    cons.sort()
    return cons


def _facts(nominee_ids: list[int]) -> dict[int, tuple]:
    """(staff_id, name_folded, hold_reason) per nominee, in one query."""
    if not nominee_ids:
        return {}
    rows = db.session.execute(
        select(Nominee.id, Nominee.staff_id, Nominee.name_folded, Staff.hold_reason)
        .outerjoin(Staff, Nominee.staff_id == Staff.id).where(Nominee.id.in_(nominee_ids)))
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _add(row: ListRow, level: str, rule: str, message: str, source: str) -> None:
    row.findings.append(Finding(level, rule, message, source, row.nominee_id))


def _on_hold(cons, forms, facts, campaign) -> None:
    for row in cons.rows:
        reason = facts[row.nominee_id][2]
        if reason:
            _add(row, "error", "on_hold",
                 f"{row.name} đang bị xem xét ({reason}): chưa được khen thưởng, chưa được "
                 "đề nghị cho đến khi có kết luận.", ND152)


def _duplicates(cons, forms, facts, campaign) -> None:
    """The same person or collective proposed twice in the campaign, across units too."""
    groups: dict[tuple, list[ListRow]] = defaultdict(list)
    for row in cons.rows:
        staff_id, folded, _ = facts[row.nominee_id]
        groups[(row.kind, folded)].append(row)
        if staff_id is not None:
            groups[("staff", staff_id)].append(row)
    seen: set[tuple[int, int]] = set()
    # The same staff record first: that is certain (error); the same name only may be two
    # different people (warning).
    for key, members in sorted(groups.items(), key=lambda kv: kv[0][0] != "staff"):
        if len(members) < 2:
            continue
        for row in members:
            for other in members:
                if other is row or (row.nominee_id, other.nominee_id) in seen:
                    continue
                seen.add((row.nominee_id, other.nominee_id))
                same_person = key[0] == "staff"
                _add(row, "error" if same_person else "warning", "duplicate",
                     f"{row.name} cũng được {other.unit_name} đề nghị «{other.form_name}»"
                     + ("" if same_person else " (trùng họ tên: kiểm tra có phải một người)")
                     + ".", "Mỗi tập thể, cá nhân chỉ được đề nghị một lần trong một đợt")


def _unit_vote(cons, forms, facts, campaign) -> None:
    """The unit meeting's vote for the nominee must reach the form's share of those present."""
    for row in cons.rows:
        form = forms.get(row.form_code)
        if form is None or row.votes_for is None or not row.meeting_present:
            continue
        pct = form.unit_vote_pct
        # Integers only: "trên 50%" means votes * 100 > 50 * present.
        if not row.votes_for * 100 > pct * row.meeting_present:
            _add(row, "error", "unit_vote",
                 f"Tại cuộc họp đơn vị chỉ {row.votes_for}/{row.meeting_present} người dự họp "
                 f"đồng ý, chưa đạt trên {pct}%.", f"Quy định xét «{form.name}» của đơn vị")


def _prerequisites(cons, forms, facts, campaign) -> None:
    wanted = [r for r in cons.rows if r.form_code in PREREQUISITES
              and r.kind == NomineeKind.INDIVIDUAL]
    if not wanted:
        return
    years = {campaign.year - k for k in range(1, 4)}
    codes = {PREREQUISITES[r.form_code][0] for r in wanted}
    history = titles_by_year(
        staff_ids={facts[r.nominee_id][0] for r in wanted if facts[r.nominee_id][0]},
        folded_names={facts[r.nominee_id][1] for r in wanted}, codes=codes, years=years)
    for row in wanted:
        code, count, level, words = PREREQUISITES[row.form_code]
        staff_id, folded, _ = facts[row.nominee_id]
        # Records linked to this person, and archive records under the same name in the same
        # unit (or with no unit recorded).
        found = [history.get(("staff", staff_id), {}) if staff_id else {},
                 history.get(("name", folded, row.unit_id), {}),
                 history.get(("name", folded, None), {})]
        needed = [campaign.year - k for k in range(1, count + 1)]
        missing = [y for y in needed if not any(code in f.get(y, set()) for f in found)]
        if missing:
            _add(row, level, "prerequisite",
                 f"Lịch sử khen thưởng chưa có {words}: thiếu năm "
                 f"{', '.join(str(y) for y in sorted(missing))}.", LAW)


def _quotas(cons: Consolidated, forms: dict[str, AwardForm]) -> None:
    """E.g. Chiến sĩ thi đua cơ sở at most 15% of those with Lao động tiên tiến."""
    counts = defaultdict(int)
    for row in cons.rows:
        counts[row.form_code] += 1
    for form in forms.values():
        if not form.quota_pct or not form.quota_of_code or not counts[form.code]:
            continue
        base_form = forms.get(form.quota_of_code)
        # Everyone proposed for CSTĐCS also holds LĐTT that year: both count in the base.
        base = counts[form.quota_of_code] + counts[form.code]
        n = counts[form.code]
        if n * 100 > form.quota_pct * base:
            allowed = form.quota_pct * base // 100
            cons.list_findings.append(Finding(
                "error", "quota",
                f"Đề nghị {n} «{form.name}», vượt tỷ lệ {form.quota_pct}% trên {base} người "
                f"đạt «{base_form.name if base_form else form.quota_of_code}» (tối đa {allowed}).",
                form.legal_source or LAW))


def _registrations(cons: Consolidated, campaign: Campaign) -> None:
    counts = defaultdict(int)
    for row in cons.rows:
        counts[row.form_code] += 1
    for reg in campaign.registrations:
        n = counts[reg.award_form.code]
        if n > reg.count:
            cons.list_findings.append(Finding(
                "warning", "registration",
                f"Đề nghị {n} «{reg.award_form.name}» nhưng đợt thi đua chỉ đăng ký {reg.count}.",
                "Đăng ký hình thức khen thưởng của đợt thi đua"))
