"""The award rules at work: one plain function per kind of rule (the registry CHECKS),
reading the facts a campaign's nominees stand on, in a few queries for the whole list.

The rules themselves (which form, which numbers, which source, block or warn) are rows of
`award_rule` (dossier/campaigns/award_rules.py). A check returns None when the nominee
meets the rule, else what is missing, in words. A fact nobody has entered yet (no yearly
rating for the year) is a warning saying so, never a silent pass nor a certain failure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from ..campaigns.award_rules import AwardRule
from ..campaigns.models import AwardForm, Campaign
from ..enums import DisciplineLevel, InitiativeScope, NomineeKind, Rating
from ..extensions import db
from ..history.facts import Discipline, Initiative, StaffRating
from ..history.queries import titles_both
from ..org.models import Staff
from ..sql_sets import one_of

UNCONFIRMED = "mặc định, cần kiểm tra"


@dataclass(frozen=True)
class Subject:
    """One nominee as the rules see it."""

    nominee_id: int
    kind: str
    name: str
    folded: str
    staff_id: int | None
    unit_id: int  # the proposing unit
    collective_unit_id: int | None
    form: str


@dataclass(frozen=True)
class Proposal:
    """Any row in play in the campaign (the nominee's own included)."""

    kind: str
    folded: str
    staff_id: int | None
    form: str


class Missing(Exception):
    """A fact the rule needs is not entered: a warning, whatever the rule's level."""


@dataclass
class Facts:
    year: int
    names: dict[str, str]  # form code -> name
    titles: dict  # titles_by_year(): awards that count as a basis
    any_titles: dict  # the same, one-off and thematic awards included
    ratings: dict[int, dict[int, Rating]]
    initiatives: dict[int, list[tuple[int, InitiativeScope]]]
    disciplines: dict[int, dict[int, list[DisciplineLevel]]]
    members: dict[int, list[tuple[int, str]]]  # unit id -> [(staff id, name)]
    proposed_staff: dict[int, set[str]] = field(default_factory=dict)
    proposed_name: dict[tuple, set[str]] = field(default_factory=dict)

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def held(self, s: Subject, year: int, *, basis: bool = True) -> set[str]:
        """Codes the person held that year in the history: records linked to them, and
        archive records under the same name in the same unit or with no unit."""
        source = self.titles if basis else self.any_titles
        keys = [("name", s.folded, s.unit_id), ("name", s.folded, None)]
        if s.staff_id:
            keys.insert(0, ("staff", s.staff_id))
        return set().union(*(source.get(k, {}).get(year, set()) for k in keys))

    def proposed(self, s: Subject) -> set[str]:
        codes = set(self.proposed_name.get((s.kind, s.folded), set()))
        if s.staff_id:
            codes |= self.proposed_staff.get(s.staff_id, set())
        return codes

    def member_titles(self, staff_id: int) -> set[str]:
        return self.titles.get(("staff", staff_id), {}).get(self.year, set()) | (
            self.proposed_staff.get(staff_id, set())
        )


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


# --- the registry: one function per kind --------------------------------------------


def same_year_title(f: Facts, s: Subject, p: dict) -> str | None:
    code = p["code"]
    if code in f.held(s, f.year) or code in f.proposed(s):
        return None
    return (
        f"Chưa đạt «{f.name(code)}» năm {f.year} (không có trong lịch sử khen thưởng, "
        "không được đề nghị cùng đợt)."
    )


def consecutive_titles(f: Facts, s: Subject, p: dict) -> str | None:
    code, n = p["code"], p["years"]
    needed = [f.year - k for k in range(1, n + 1)]
    missing = [y for y in needed if code not in f.held(s, y)]
    if not missing:
        return None
    thematic = [y for y in missing if code in f.held(s, y, basis=False)]
    tail = (
        f" (năm {_years(thematic)} chỉ có khen thưởng đột xuất, chuyên đề hoặc đã thu hồi: "
        "không làm căn cứ)"
        if thematic
        else ""
    )
    return (
        f"Lịch sử khen thưởng chưa có «{f.name(code)}» {n} năm liên tục: "
        f"thiếu năm {_years(missing)}{tail}."
    )


def consecutive_ratings(f: Facts, s: Subject, p: dict) -> str | None:
    least, n, wanted = Rating(p["rating"]), p["years"], p.get("initiatives", 0)
    needed = [f.year - k for k in range(1, n + 1)]
    had = f.ratings.get(s.staff_id, {}) if s.staff_id else {}
    short = [y for y in needed if y not in had or had[y].rank < least.rank]
    count = sum(1 for y, _ in f.initiatives.get(s.staff_id, []) if y in needed)
    problems = []
    if short:
        problems.append(f"chưa được xếp loại «{least.title_vi}» trở lên năm {_years(short)}")
    if count < wanted:
        problems.append(f"có {count}/{wanted} sáng kiến được công nhận trong các năm đó")
    return ("Tiêu chuẩn xếp loại: " + "; ".join(problems) + ".") if problems else None


def min_rating(f: Facts, s: Subject, p: dict) -> str | None:
    least = Rating(p["rating"])
    got = f.ratings.get(s.staff_id, {}).get(f.year) if s.staff_id else None
    if got is None:
        raise Missing(
            f"Chưa có xếp loại chất lượng năm {f.year} của {s.name} (đơn vị nhập trên trang "
            f"cán bộ): cần «{least.title_vi}» trở lên."
        )
    if got.rank >= least.rank:
        return None
    return f"Xếp loại năm {f.year} là «{got.title_vi}», chưa đạt «{least.title_vi}» trở lên."


def initiative(f: Facts, s: Subject, p: dict) -> str | None:
    n, least = p["years"], InitiativeScope(p["scope"])
    period = range(f.year - n + 1, f.year + 1)
    for year, scope in f.initiatives.get(s.staff_id, []) if s.staff_id else []:
        if year in period and scope.rank >= least.rank:
            return None
    when = f"năm {f.year}" if n == 1 else f"các năm {period[0]}–{period[-1]}"
    return (
        f"Chưa có sáng kiến (hoặc đề tài được nghiệm thu, áp dụng) phạm vi «{least.title_vi}» "
        f"trở lên được công nhận trong {when}."
    )


def _members(f: Facts, s: Subject) -> list[tuple[int, str]]:
    members = f.members.get(s.collective_unit_id or s.unit_id, [])
    if not members:
        raise Missing(f"Không xác định được thành viên của {s.name} trong danh sách cán bộ.")
    return members


def _reach(n: int, total: int, pct: int, strict: bool) -> bool:
    # Integers only: "trên 50%" is n * 100 > 50 * total; "từ 70%" is n * 100 >= 70 * total.
    return n * 100 > pct * total if strict else n * 100 >= pct * total


def members_title_share(f: Facts, s: Subject, p: dict) -> str | None:
    members = _members(f, s)
    n = sum(1 for sid, _ in members if p["code"] in f.member_titles(sid))
    if _reach(n, len(members), p["pct"], p.get("strict", False)):
        return None
    how = "trên" if p.get("strict") else "từ"
    return (
        f"Có {n}/{len(members)} thành viên đạt «{f.name(p['code'])}» năm {f.year}, "
        f"chưa đạt {how} {p['pct']}%."
    )


def members_rating_share(f: Facts, s: Subject, p: dict) -> str | None:
    members, least = _members(f, s), Rating(p["rating"])
    rated = [f.ratings.get(sid, {}).get(f.year) for sid, _ in members]
    n = sum(1 for r in rated if r is not None and r.rank >= least.rank)
    if _reach(n, len(members), p["pct"], False):
        return None
    unknown = sum(1 for r in rated if r is None)
    tail = f" ({unknown} người chưa nhập xếp loại)" if unknown else ""
    return (
        f"Có {n}/{len(members)} thành viên được xếp loại «{least.title_vi}» trở lên năm "
        f"{f.year}, chưa đạt {p['pct']}%{tail}."
    )


def members_title_count(f: Facts, s: Subject, p: dict) -> str | None:
    members = _members(f, s)
    n = sum(1 for sid, _ in members if p["code"] in f.member_titles(sid))
    if n >= p["count"]:
        return None
    return f"Có {n} thành viên đạt «{f.name(p['code'])}» năm {f.year}, cần ít nhất {p['count']}."


def members_no_discipline(f: Facts, s: Subject, p: dict) -> str | None:
    least = DisciplineLevel(p["level"])
    hit = [
        f"{name} ({max(levels, key=lambda x: x.rank).title_vi.lower()})"
        for sid, name in _members(f, s)
        if (levels := f.disciplines.get(sid, {}).get(f.year))
        and max(lv.rank for lv in levels) >= least.rank
    ]
    if not hit:
        return None
    return (
        f"Thành viên bị kỷ luật năm {f.year} từ mức «{least.title_vi.lower()}» trở lên: "
        f"{', '.join(hit)}."
    )


def once_a_year(f: Facts, s: Subject, p: dict) -> str | None:
    if s.form in f.held(s, f.year, basis=False):
        return f"Đã có «{f.name(s.form)}» năm {f.year} trong lịch sử khen thưởng."
    return None


CHECKS = {
    "same_year_title": same_year_title,
    "consecutive_titles": consecutive_titles,
    "consecutive_ratings": consecutive_ratings,
    "min_rating": min_rating,
    "initiative": initiative,
    "members_title_share": members_title_share,
    "members_rating_share": members_rating_share,
    "members_title_count": members_title_count,
    "members_no_discipline": members_no_discipline,
    "once_a_year": once_a_year,
}


# --- reading the facts, and running the rules ---------------------------------------


def source_of(rule: AwardRule) -> str:
    return rule.legal_source + ("" if rule.confirmed else f" [{UNCONFIRMED}]")


def rules_for(codes: set[str]) -> dict[str, list[AwardRule]]:
    out: dict[str, list[AwardRule]] = defaultdict(list)
    if not codes:
        return out
    rows = db.session.execute(
        select(AwardForm.code, AwardRule)
        .join(AwardRule, AwardRule.award_form_id == AwardForm.id)
        .where(AwardForm.code.in_(codes), AwardRule.active.is_(True))
        .order_by(AwardRule.sort_order, AwardRule.id)
    )
    for code, rule in rows:
        out[code].append(rule)
    return out


def _load(campaign: Campaign, subjects, proposals, by_form) -> Facts:
    year = campaign.year
    years = set(range(year - 10, year + 1))
    codes = {s.form for s in subjects} | {
        r.params["code"] for rules in by_form.values() for r in rules if "code" in r.params
    }
    collective = [s for s in subjects if s.kind == NomineeKind.COLLECTIVE]
    units = {s.collective_unit_id or s.unit_id for s in collective}
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if units:
        for sid, unit_id, name in db.session.execute(
            select(Staff.id, Staff.unit_id, Staff.full_name)
            .where(one_of(Staff.unit_id, units), Staff.active.is_(True))
            .order_by(Staff.id)
        ):
            members[unit_id].append((sid, name))
    people = {s.staff_id for s in subjects if s.staff_id} | {
        sid for m in members.values() for sid, _ in m
    }
    folded = {s.folded for s in subjects if s.kind == NomineeKind.INDIVIDUAL}
    ask = dict(staff_ids=people, folded_names=folded, codes=codes, years=years)
    # What held() looks up by name: (name, the proposing unit) of each individual.
    pairs = {(s.folded, s.unit_id) for s in subjects if s.kind == NomineeKind.INDIVIDUAL}
    ratings: dict = defaultdict(dict)
    initiatives: dict = defaultdict(list)
    disciplines: dict = defaultdict(lambda: defaultdict(list))
    if people:
        for sid, y, rating in db.session.execute(
            select(StaffRating.staff_id, StaffRating.year, StaffRating.rating).where(
                one_of(StaffRating.staff_id, people), StaffRating.year.in_(years)
            )
        ):
            ratings[sid][y] = Rating(rating)
        for sid, day, scope in db.session.execute(
            select(Initiative.staff_id, Initiative.decision_date, Initiative.scope).where(
                one_of(Initiative.staff_id, people)
            )
        ):
            initiatives[sid].append((day.year, InitiativeScope(scope)))
        for sid, y, level in db.session.execute(
            select(Discipline.staff_id, Discipline.year, Discipline.level).where(
                one_of(Discipline.staff_id, people), Discipline.year == year
            )
        ):
            disciplines[sid][y].append(DisciplineLevel(level))
    titles, any_titles = titles_both(**ask, name_units=pairs)
    facts = Facts(
        year=year,
        names=dict(db.session.execute(select(AwardForm.code, AwardForm.name)).all()),
        titles=titles,
        any_titles=any_titles,
        ratings=ratings,
        initiatives=initiatives,
        disciplines=disciplines,
        members=members,
    )
    for pr in proposals:
        if pr.staff_id:
            facts.proposed_staff.setdefault(pr.staff_id, set()).add(pr.form)
        facts.proposed_name.setdefault((pr.kind, pr.folded), set()).add(pr.form)
    return facts


def evaluate(campaign: Campaign, subjects: list[Subject], proposals: list[Proposal]) -> list[tuple]:
    """Findings as tuples in Finding's field order (level, rule, message, source, id), for
    every subject, in the order of the subjects and of the form's rules."""
    by_form = rules_for({s.form for s in subjects})
    subjects = [s for s in subjects if by_form.get(s.form)]
    if not subjects:
        return []
    facts = _load(campaign, subjects, proposals, by_form)
    # Each rule's parameters parsed once, not once per subject (60,000 JSON parses at
    # province size); the checks only read them.
    params = {id(r): r.params for rules in by_form.values() for r in rules}
    found: list[tuple] = []
    for s in subjects:
        groups: dict[str | None, list] = {}
        for rule in by_form[s.form]:
            if rule.spec.subject not in (None, s.kind):
                continue
            try:
                outcome = CHECKS[rule.kind](facts, s, params[id(rule)])
                missing = False
            except Missing as gap:
                outcome, missing = str(gap), True
            if rule.route:
                groups.setdefault(rule.route, []).append((rule, outcome, missing))
            elif outcome is not None:
                level = "warning" if missing else rule.level
                found.append((level, rule.kind, outcome, source_of(rule), s.nominee_id))
        for route, results in groups.items():
            if any(outcome is None for _, outcome, _ in results):
                continue
            blocking = any(r.blocking and not missing for r, _, missing in results)
            words = "; ".join(f"({i}) {o}" for i, (_, o, _) in enumerate(results, 1))
            sources = list(dict.fromkeys(source_of(r) for r, _, _ in results))
            found.append(
                (
                    "error" if blocking else "warning",
                    results[0][0].kind,
                    f"{route}: chưa đạt cách nào — {words}",
                    "; ".join(sources),
                    s.nominee_id,
                )
            )
    return found
