"""Counts for the dashboard, the API and the yearly report: plain functions, one GROUP BY each.

Awards are read from the award history (`award_record`: the app's own issued decisions and
the imported archive), revoked ones left out, through its tally (`award_tally`, kept by
every write: history/tally.py), so a chart sums a few thousand cells, not every record.
A unit head's figures are their unit's only: `units` is None for every unit, else the set
of unit ids the reader may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from ..campaigns.models import AwardForm, Campaign
from ..enums import Gender, NomineeKind, UnitKind
from ..extensions import db
from ..history.tally import AwardTally
from ..nominations.models import Dossier
from ..org.models import Unit
from ..states import DOSSIER_EDITABLE, DossierState
from ..timeutil import now

DIMENSIONS = {
    "form": "Hình thức khen thưởng",
    "unit": "Phòng, đơn vị",
    "year": "Năm",
    "gender": "Giới tính (cá nhân)",
    "worker": "Lãnh đạo, quản lý và người lao động trực tiếp (cá nhân)",
}
UNKNOWN = "Không rõ"
WORKER_LABELS = {True: "Người lao động trực tiếp", False: "Lãnh đạo, quản lý, cán bộ khác"}


@dataclass(frozen=True)
class Filters:
    year_from: int | None = None
    year_to: int | None = None
    units: frozenset[int] | None = None  # None: every unit
    form_code: str | None = None
    kind: str | None = None  # NomineeKind value, or None for both


@dataclass
class Series:
    """One chart's data: (key, label, count) rows in display order, and the total."""

    dimension: str
    title: str
    rows: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r[2] for r in self.rows)


def _where(f: Filters) -> list:
    t = AwardTally
    where = []
    if f.year_from is not None:
        where.append(t.year >= f.year_from)
    if f.year_to is not None:
        where.append(t.year <= f.year_to)
    if f.units is not None:
        where.append(t.unit_id.in_(f.units or {-1}))
    if f.form_code:
        where.append(t.award_code == f.form_code)
    if f.kind:
        where.append(t.kind == f.kind)
    return where


def awards_by(dimension: str, f: Filters) -> Series:
    """Awards counted by one dimension (DIMENSIONS), under the filters: one GROUP BY over
    the tally (history/tally.py), kept equal to a count of the live award records."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    series = Series(dimension, DIMENSIONS[dimension])
    t = AwardTally
    where = _where(f)
    count = func.sum(t.n)
    if dimension == "year":
        stmt = select(t.year, count).where(*where).group_by(t.year).having(count > 0)
        series.rows = [(str(y), str(y), n) for y, n in db.session.execute(stmt.order_by(t.year))]
    elif dimension == "form":
        label = case((t.award_code == "", t.award_name), else_=t.award_code)
        stmt = (
            select(label, func.min(t.award_name), count)
            .where(*where)
            .group_by(label)
            .having(count > 0)
        )
        order = _form_order()
        rows = [(k, name, n) for k, name, n in db.session.execute(stmt)]
        series.rows = sorted(rows, key=lambda r: (order.get(r[0], 999), r[1]))
    elif dimension == "unit":
        by_unit = (
            select(t.unit_id, count.label("n"))
            .where(*where)
            .group_by(t.unit_id)
            .having(count > 0)
            .subquery()
        )
        stmt = select(by_unit.c.unit_id, Unit.name, Unit.sort_order, by_unit.c.n).outerjoin(
            Unit, Unit.id == by_unit.c.unit_id
        )
        rows = sorted(db.session.execute(stmt), key=lambda r: (r[2] or 9999, r[1] or ""))
        series.rows = [(str(uid or ""), name or UNKNOWN, n) for uid, name, _, n in rows]
    else:
        column = t.gender if dimension == "gender" else t.worker
        stmt = (
            select(column, count)
            .where(*where, t.kind == NomineeKind.INDIVIDUAL.value)
            .group_by(column)
            .having(count > 0)
        )
        found = {k or None: n for k, n in db.session.execute(stmt)}
        if dimension == "gender":
            keys = [(g.value, g.title_vi) for g in Gender]
        else:
            keys = [("true", WORKER_LABELS[True]), ("false", WORKER_LABELS[False])]
        series.rows = [(k, label, found.get(k, 0)) for k, label in keys]
        if found.get(None):
            series.rows.append(("unknown", UNKNOWN, found[None]))
    return series


def _form_order() -> dict[str, int]:
    return {
        code: order
        for code, order in db.session.execute(select(AwardForm.code, AwardForm.sort_order))
    }


def years(units: frozenset[int] | None = None) -> list[int]:
    stmt = select(AwardTally.year).where(AwardTally.n > 0).distinct()
    if units is not None:
        stmt = stmt.where(AwardTally.unit_id.in_(units or {-1}))
    return sorted(db.session.scalars(stmt), reverse=True)


# --- a campaign in progress ---------------------------------------------------------------


@dataclass
class UnitProgress:
    unit_id: int
    unit_name: str
    state: str  # the latest dossier's state, or "none"
    state_title: str
    submitted_at: object | None
    cutoff: object | None
    on_time: bool | None  # None: not submitted yet
    overdue: bool  # owes a dossier and the cut-off has passed
    errors: int
    warnings: int


@dataclass
class Progress:
    campaign_id: int
    campaign_name: str
    units: list[UnitProgress]

    def count(self, key: str) -> int:
        return sum(1 for u in self.units if getattr(u, key))

    @property
    def submitted(self) -> int:
        return sum(1 for u in self.units if u.on_time is not None)

    @property
    def not_submitted(self) -> int:
        return len(self.units) - self.submitted

    @property
    def findings(self) -> tuple[int, int]:
        return sum(u.errors for u in self.units), sum(u.warnings for u in self.units)


def progress(campaign: Campaign, units: frozenset[int] | None = None) -> Progress:
    """Each unit's dossier against its cut-off, with the automatic checks' findings."""
    from ..intake import findings  # the checks (heavy): loaded on use

    stmt = select(Unit).where(Unit.active, Unit.kind != UnitKind.LEADERSHIP)
    if units is not None:
        stmt = stmt.where(Unit.id.in_(units or {-1}))
    unit_rows = db.session.scalars(stmt.order_by(Unit.sort_order, Unit.name)).all()
    latest: dict[int, Dossier] = {}
    for d in db.session.scalars(
        select(Dossier).where(
            Dossier.campaign_id == campaign.id, Dossier.state != DossierState.WITHDRAWN
        )
    ):
        if d.unit_id not in latest or d.seq > latest[d.unit_id].seq:
            latest[d.unit_id] = d
    tally = findings.check(campaign).tally()  # kept while nothing changed
    moment = now()
    out = []
    for unit in unit_rows:
        d = latest.get(unit.id)
        cutoff = campaign.cutoff_for(unit.id)
        owes = d is None or d.state in DOSSIER_EDITABLE
        sent_at = None if owes else d.submitted_at
        errors, warnings = tally.get(d.id, [0, 0]) if d else (0, 0)
        out.append(
            UnitProgress(
                unit_id=unit.id,
                unit_name=unit.name,
                state=d.state if d else "none",
                state_title=DossierState(d.state).title_vi if d else "Chưa lập hồ sơ",
                submitted_at=sent_at,
                cutoff=cutoff,
                on_time=None if owes else (cutoff is None or sent_at < cutoff),
                overdue=owes and cutoff is not None and cutoff < moment,
                errors=errors,
                warnings=warnings,
            )
        )
    return Progress(campaign.id, campaign.name, out)


def progress_series(p: Progress) -> Series:
    """The progress chart: units by where their dossier stands."""
    buckets = [
        ("on_time", "Đã nộp đúng hạn", sum(1 for u in p.units if u.on_time is True)),
        ("late", "Đã nộp sau hạn (được gia hạn)", sum(1 for u in p.units if u.on_time is False)),
        (
            "pending",
            "Chưa nộp, còn hạn",
            sum(1 for u in p.units if u.on_time is None and not u.overdue),
        ),
        ("overdue", "Chưa nộp, quá hạn", sum(1 for u in p.units if u.overdue)),
    ]
    return Series("progress", "Tiến độ nộp hồ sơ của các đơn vị", buckets)


def findings_series(p: Progress) -> Series:
    rows = [
        (str(u.unit_id), u.unit_name, u.errors + u.warnings)
        for u in p.units
        if u.errors + u.warnings
    ]
    return Series("findings", "Kết quả kiểm tra tự động (lỗi và lưu ý) theo đơn vị", rows)
