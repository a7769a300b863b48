"""Demo award history: five years of the demo department, and synthetic bulk for benchmarks.

With it, the facts the award rules read: each person's yearly rating (excellent in a year
of CSTĐCS, good in a year of LĐTT, else «hoàn thành»), the recognised initiatives behind
each CSTĐCS, and one discipline, so the rules have something true to read.

Deterministic (seeded) and idempotent: a second run finds the records the first created.
Planted on purpose, so every rule of domain.md §3 has someone to show it on:
- QLKH:1 and TDC:1: Chiến sĩ thi đua cơ sở in both of the last two years (→ Bằng khen);
- TTUD:1: Chiến sĩ thi đua cơ sở three years running (→ Chiến sĩ thi đua cấp tỉnh);
- QLCN:1: two years running too, but the older one was revoked (→ not eligible);
- KHTC:2 and VP:4: one-off awards (đột xuất), TDC:3 a thematic one: none counts as a basis;
- BGD:0: a form of an old archive no longer in the catalogue, kept as written.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time

from sqlalchemy import insert, select

from .. import audit
from ..db import utcnow
from ..demo_org import UNITS, _people, build_org
from ..enums import NomineeKind
from ..extensions import db
from ..org.models import Agency, Staff, Unit
from ..text import fold
from ..timeutil import VN_TZ, cutoff_before, local_now, now
from . import tally
from .models import AwardRecord
from .operations import revoke

NAMES = {
    "LDTT": "Lao động tiên tiến",
    "CSTDCS": "Chiến sĩ thi đua cơ sở",
    "TTLDTT": "Tập thể lao động tiên tiến",
    "GK_CN": "Giấy khen của Giám đốc Sở (cá nhân)",
    "GK_TT": "Giấy khen của Giám đốc Sở (tập thể)",
    "TTLDXS": "Tập thể lao động xuất sắc",
    "BK_CN": "Bằng khen của Chủ tịch UBND tỉnh (cá nhân)",
}
TWO_RUNNING, THREE_RUNNING, REVOKED = ("QLKH:1", "TDC:1"), "TTUD:1", "QLCN:1"
# The award rules' facts planted for the campaign's year (demo_dossiers proposes them):
TWICE = "TDC:4"  # LĐTT already on record that year (the same title twice)
# Rated «hoàn thành nhiệm vụ», short of LĐTT's «hoàn thành tốt»: TTUD:1 is proposed by the
# demo; QLKH:3 waits for QLKH's head to propose them (tests/browser/test_rule_flow.py).
LOW_RATING = ("TTUD:1", "QLKH:3")
NO_INITIATIVE = "KHTC:1"  # proposed CSTĐCS without LĐTT nor an initiative that year
DISCIPLINED = "KHTC:4"  # a «cảnh cáo»: their collective fails «no member disciplined»
REVOKE_REASON = (
    "Quyết định số {number} ngày {day} của Giám đốc Sở: sáng kiến kê khai trong hồ "
    "sơ đề nghị không đúng sự thật (Luật Thi đua, khen thưởng, Chương VII)."
)


def campaign_year() -> int:
    """The year the demo campaign reviews (next year's once this year's cut-off has passed)."""
    year = local_now().year
    return year + 1 if cutoff_before(date(year, 12, 20)) < now() else year


class _Plan:
    """Rows for one bulk INSERT, with the demo's decisions numbered as a Sở numbers them."""

    def __init__(self, rng: random.Random):
        agency = Agency.get()
        self.rng, self.rows, self.stamp = rng, [], utcnow()
        self.today = local_now().date()
        self.director = f"Giám đốc {agency.name}"
        self.province = f"Chủ tịch UBND tỉnh {agency.place_name}"
        self.numbers: dict[tuple[int, str], tuple[str, date]] = {}

    def decision(self, year: int, which: str) -> tuple[str, date]:
        if (year, which) not in self.numbers:
            number, day = {
                "titles": (f"{self.rng.randint(180, 240)}/QĐ-SKHCN", date(year, 12, 24)),
                "gk": (f"{self.rng.randint(241, 260)}/QĐ-SKHCN", date(year, 12, 26)),
                "province": (f"{self.rng.randint(300, 900)}/QĐ-UBND", date(year + 1, 4, 15)),
                "one_off": (f"{self.rng.randint(60, 150)}/QĐ-SKHCN", date(year, 9, 12)),
                "revoke": (f"{self.rng.randint(20, 59)}/QĐ-SKHCN", date(year, 3, 10)),
            }[which]
            self.numbers[(year, which)] = number, min(day, self.today)
        return self.numbers[(year, which)]

    def add(
        self,
        year: int,
        code: str | None,
        *,
        staff: Staff | None = None,
        unit: Unit | None = None,
        name: str | None = None,
        which: str = "titles",
        basis: bool = True,
        award_name: str | None = None,
        issuer: str | None = None,
    ):
        number, day = self.decision(year, which)
        name = staff.full_name if staff else name or unit.name
        self.rows.append(
            dict(
                year=year,
                kind=(NomineeKind.INDIVIDUAL if staff else NomineeKind.COLLECTIVE).value,
                staff_id=staff.id if staff else None,
                unit_id=staff.unit_id if staff else unit.id,
                name=name,
                name_folded=fold(name),
                birth_date=staff.birth_date if staff else None,
                award_code=code,
                award_name=award_name or NAMES[code],
                decision_number=number,
                decision_date=day,
                issuer=issuer or (self.province if which == "province" else self.director),
                counts_as_basis=basis,
                source="import",
                decision_id=None,
                revoked_at=None,
                revoked_reason=None,
                created_at=self.stamp,
            )
        )


def build_history(people=None, extra_units=None, nominees_per_unit=None) -> list[str]:
    """The demo step: five years of history for the demo staff (and the synthetic units)."""
    people = people or build_org()
    notes = []
    ids = {p.id for p in people.values()}
    if db.session.scalar(select(AwardRecord.id).where(AwardRecord.staff_id.in_(ids)).limit(1)):
        notes.append("Lịch sử khen thưởng mẫu đã có sẵn, không tạo thêm.")
    else:
        notes.append(_demo(people))
    if extra_units:
        notes.append(_synthetic_units())
    return notes


def _demo(people: dict[str, Staff]) -> str:
    rng = random.Random(20211220)
    plan = _Plan(rng)
    last = campaign_year() - 1
    years = range(last - 4, last + 1)
    cstdcs = {key: set() for key in people}
    for key in TWO_RUNNING:
        cstdcs[key] |= {last - 1, last}
    cstdcs[THREE_RUNNING] |= {last - 2, last - 1, last}
    cstdcs[REVOKED] |= {last - 1, last}
    planted = {*TWO_RUNNING, THREE_RUNNING, REVOKED}
    for key, staff in people.items():
        for year in years:
            if year in cstdcs[key] or rng.random() < 0.85:
                plan.add(year, "LDTT", staff=staff)
                # Random ones never two years running: only the planted people are eligible.
                if (
                    rng.random() < 0.07
                    and key not in planted
                    and year - 1 not in cstdcs[key]
                    and year != last
                ):
                    cstdcs[key].add(year)
                if year in cstdcs[key]:
                    plan.add(year, "CSTDCS", staff=staff)
            if rng.random() < 0.1:
                plan.add(year, "GK_CN", staff=staff, which="gk")
    units = {code: db.session.scalar(select(Unit).where(Unit.code == code)) for code, *_ in UNITS}
    for code, unit in units.items():
        for year in years:
            if code != "BGD" and rng.random() < 0.9:
                plan.add(year, "TTLDTT", unit=unit)
            if rng.random() < 0.2:
                plan.add(year, "GK_TT", unit=unit, which="gk")
    plan.add(last - 2, "TTLDXS", unit=units["TDC"], which="province")
    plan.add(last - 3, "BK_CN", staff=people["BGD:1"], which="province")
    plan.add(
        last,
        "GK_CN",
        staff=people["KHTC:2"],
        which="one_off",
        basis=False,
        award_name="Giấy khen của Giám đốc Sở (đột xuất: ứng phó cơn bão số 5)",
    )
    plan.add(
        last - 1,
        "BK_CN",
        staff=people["VP:4"],
        which="province",
        basis=False,
        award_name="Bằng khen của Chủ tịch UBND tỉnh (đột xuất: Ngày hội Khởi nghiệp)",
    )
    plan.add(
        last - 2,
        "GK_CN",
        staff=people["TDC:3"],
        which="one_off",
        basis=False,
        award_name="Giấy khen chuyên đề: Phong trào thi đua cải cách hành chính",
    )
    plan.add(
        last - 4,
        None,
        staff=people["BGD:0"],
        which="province",
        award_name="Kỷ niệm chương Vì sự nghiệp khoa học và công nghệ",
        issuer="Bộ trưởng Bộ Khoa học và Công nghệ",
    )
    # Planted: TDC:4's LĐTT of the campaign's year is already on record (a paper decision),
    # so proposing it again trips the rule "the same yearly title not twice a year".
    plan.add(last + 1, "LDTT", staff=people[TWICE])
    db.session.execute(insert(AwardRecord.__table__), plan.rows)
    tally.add_rows(plan.rows)
    _facts(people, plan.rows, last)
    audit.record(
        actor=None,
        action="history_imported",
        object_type="history",
        data={"rows": len(plan.rows), "file": "dữ liệu mẫu"},
    )
    wrong = db.session.scalar(
        select(AwardRecord).where(
            AwardRecord.staff_id == people[REVOKED].id,
            AwardRecord.year == last - 1,
            AwardRecord.award_code == "CSTDCS",
        )
    )
    number, day = plan.decision(last, "revoke")
    revoke(
        None,
        wrong,
        REVOKE_REASON.format(number=number, day=f"{day:%d/%m/%Y}"),
        at=datetime.combine(day, time(8), VN_TZ),
    )
    return (
        f"Lịch sử khen thưởng {years[0]}–{last}: {len(plan.rows)} bản ghi (có khen thưởng "
        "đột xuất, chuyên đề và một khen thưởng bị thu hồi)."
    )


def _facts(people: dict[str, Staff], rows: list[dict], last: int) -> None:
    """Ratings, initiatives and a discipline consistent with the awards above."""
    from .facts import Discipline, Initiative, StaffRating

    held: dict[tuple[int, int], set[str]] = {}
    for r in rows:
        if r["staff_id"] and r["counts_as_basis"]:
            held.setdefault((r["staff_id"], r["year"]), set()).add(r["award_code"])
    ratings, initiatives = [], []
    for key, staff in people.items():
        for year in range(last - 4, last + 2):  # the campaign's year (last + 1) too
            codes = held.get((staff.id, year), set()) if year <= last else {"LDTT"}
            rating = "excellent" if "CSTDCS" in codes else "good" if "LDTT" in codes else "done"
            if year == last + 1 and key in LOW_RATING:
                rating = "done"
            ratings.append(dict(staff_id=staff.id, year=year, rating=rating))
            wants = "CSTDCS" in codes or (year == last + 1 and key != NO_INITIATIVE)
            if wants and (year <= last or key.endswith((":1", ":2"))):
                scope = "province" if key == THREE_RUNNING and year == last else "agency"
                title = f"Sáng kiến cải tiến quy trình số {staff.id}-{year}"
                initiatives.append(
                    dict(
                        staff_id=staff.id,
                        title=title,
                        title_folded=fold(title),
                        decision_number=f"{10 + staff.id % 80}/QĐ-SKHCN",
                        decision_date=min(date(year, 11, 20), local_now().date()),
                        scope=scope,
                    )
                )
    stamp = utcnow()
    db.session.execute(insert(StaffRating.__table__), [{**r, "created_at": stamp} for r in ratings])
    db.session.execute(
        insert(Initiative.__table__), [{**r, "created_at": stamp} for r in initiatives]
    )
    db.session.add(
        Discipline(
            staff_id=people[DISCIPLINED].id,
            year=last + 1,
            level="warning",
            decision_number="15/QĐ-SKHCN",
        )
    )
    db.session.flush()


def _synthetic_units() -> str:
    """LĐTT (and a few CSTĐCS) of the last two years for the benchmark units' staff."""
    rng = random.Random(4020)
    staff = db.session.scalars(
        select(Staff).join(Unit).where(Unit.code.like("TN%")).order_by(Staff.id)
    ).all()
    if not staff or db.session.scalar(
        select(AwardRecord.id).where(AwardRecord.staff_id == staff[0].id).limit(1)
    ):
        return "Lịch sử của đơn vị thử nghiệm: đã có hoặc không có đơn vị thử nghiệm."
    plan = _Plan(rng)
    last = campaign_year() - 1
    for person in staff:
        double = rng.random() < 0.1
        for year in (last - 1, last):
            if double or rng.random() < 0.8:
                plan.add(year, "LDTT", staff=person)
                if double:
                    plan.add(year, "CSTDCS", staff=person)
    db.session.execute(insert(AwardRecord.__table__), plan.rows)
    tally.add_rows(plan.rows)
    return f"Lịch sử của đơn vị thử nghiệm: {len(plan.rows)} bản ghi."


def bulk_history(n: int, *, seed: int = 7) -> int:
    """n synthetic records (the 100,000-record benchmark): people with runs of years."""
    rng = random.Random(seed)
    units = db.session.scalars(select(Unit.id)).all() or [None]
    last = local_now().year - 1
    stamp = utcnow()
    codes = ["LDTT"] * 8 + ["CSTDCS", "GK_CN"]
    batch, done = [], 0
    while done < n:
        name, _ = _people(rng, 1)[0]
        born = date(1960 + rng.randrange(40), rng.randrange(1, 13), rng.randrange(1, 29))
        unit_id, first = rng.choice(units), rng.randint(1990, last)
        for year in range(first, min(last, first + rng.randint(1, 12)) + 1):
            code = rng.choice(codes)
            batch.append(
                dict(
                    year=year,
                    kind="individual",
                    staff_id=None,
                    unit_id=unit_id,
                    name=name,
                    name_folded=fold(name),
                    birth_date=born,
                    award_code=code,
                    award_name=NAMES[code],
                    decision_number=f"{rng.randint(1, 400)}/QĐ-SKHCN",
                    decision_date=date(year, 12, 24),
                    issuer="Giám đốc Sở",
                    counts_as_basis=rng.random() > 0.02,
                    source="import",
                    decision_id=None,
                    revoked_at=None,
                    revoked_reason=None,
                    created_at=stamp,
                )
            )
            done += 1
            if done == n:
                break
        if len(batch) >= 10_000 or done == n:
            db.session.execute(insert(AwardRecord.__table__), batch)
            tally.add_rows(batch)
            batch = []
    return n
