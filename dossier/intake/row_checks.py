"""The checks on single rows of the consolidated list: on hold, duplicate, unit vote, the
award rules (award_rules.py), required components. Each finding is a plain tuple in
Finding's field order (level, rule, message, source, nominee id)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from ..campaigns.models import AwardForm, Campaign
from ..enums import AttachmentKind, Component
from ..extensions import db
from ..nominations.models import Attachment
from ..sql_sets import one_of
from .award_rules import Proposal, Subject, evaluate
from .columns import (
    COLLECTIVE_UNIT,
    DOSSIER,
    FOLDED,
    FORM,
    FORM_NAME,
    HOLD,
    ID,
    KIND,
    NAME,
    PRESENT,
    STAFF,
    UNIT,
    UNIT_NAME,
    VOTES_FOR,
)

ND152 = "Nghị định 152/2025/NĐ-CP, Điều 4"
ONCE = "Kiểm tra trùng lặp: một hình thức chỉ đề nghị một lần cho một đối tượng trong một đợt"


def row_findings(campaign, facts, mine, forms) -> list[tuple]:
    """Findings about single rows, for the rows in `mine` (a part of `facts`, or all), as
    tuples in the order of the checks: on hold, duplicate, unit vote, the award rules,
    components."""
    found: list[tuple] = []
    on_hold(mine, found)
    _duplicates(facts, {f[ID] for f in mine} if mine is not facts else None, found)
    _unit_vote(mine, forms, found)
    award_rule_findings(campaign, facts, mine, found)
    _components(mine, campaign, forms, found)
    return found


def _add(found: list, fact: tuple, level: str, rule: str, message: str, source: str) -> None:
    found.append((level, rule, message, source, fact[ID]))  # Finding's fields, in order


def on_hold(facts: Iterable[tuple], found: list) -> None:
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


def award_rule_findings(campaign: Campaign, facts: list[tuple], mine, found: list) -> None:
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
            one_of(Attachment.dossier_id, {f[DOSSIER] for f in facts})
        )
    ):
        held.setdefault(dossier_id, set()).add((nominee_id, kind))
    fixed = campaign.procedure.DOSSIER["components"] is not None  # the simplified procedure
    required = {code: form.components for code, form in forms.items()}  # parsed once each
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
        if f[FORM] not in forms or fixed:
            continue
        form_name = forms[f[FORM]].name
        for component in required[f[FORM]]:
            if component in _UPLOADED and (f[ID], _UPLOADED[component][0]) not in own:
                _add(
                    found,
                    f,
                    "warning",
                    "components",
                    f"{f[NAME]}: thiếu {_UPLOADED[component][1]} («{form_name}» yêu cầu).",
                    COMPONENTS,
                )
