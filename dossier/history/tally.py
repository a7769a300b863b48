"""Awards counted per year, unit, form, kind, gender and direct worker: what the Thống kê
charts sum (a few thousand rows) instead of scanning every award record (200,000 at
province size).

Kept exact by every write, in the same transaction:
- ORM writes (an issued decision's awards, a record added by hand, a record deleted, a
  person's gender or direct-worker flag changed) through the session's flush events below;
- Core writes, which bypass the ORM (the archive import's bulk INSERT, a revocation's
  conditional UPDATE, the demo's bulk inserts), by calling `add_rows()` / `remove()` /
  `rebuild()` beside them.
A revoked award is not counted. tests/test_stats_tally.py compares it with a direct count
after random sequences of those writes (Hypothesis).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import (
    String,
    UniqueConstraint,
    bindparam,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..enums import NomineeKind
from ..extensions import db
from ..org.models import Staff
from .models import AwardRecord

INDIVIDUAL = NomineeKind.INDIVIDUAL.value
KEY = ("year", "unit_id", "award_code", "award_name", "kind", "gender", "worker")


class AwardTally(db.Model):
    """One cell: how many live awards share these values. '' and 0 stand for "none" (a
    unique key over NULLs would not hold): no unit, no form code, not a known person."""

    __tablename__ = "award_tally"
    __table_args__ = (UniqueConstraint(*KEY, name="award_tally_one_cell"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    unit_id: Mapped[int]  # 0: no unit
    award_code: Mapped[str] = mapped_column(String(20))  # '': a form no longer in the list
    award_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    gender: Mapped[str] = mapped_column(String(10))  # '': a collective or unknown person
    worker: Mapped[str] = mapped_column(String(5))  # 'true', 'false', '': as gender
    n: Mapped[int]


def _key(year, unit_id, code, award_name, kind, person: tuple | None) -> tuple:
    """person: (gender, direct_worker) of the record's staff member, None if none."""
    gender, worker = "", ""
    if kind == INDIVIDUAL and person is not None:
        gender, worker = person[0] or "", "true" if person[1] else "false"
    return (year, unit_id or 0, code or "", award_name, str(kind), gender, worker)


def _person(session, staff_id: int | None) -> tuple | None:
    if staff_id is None:
        return None
    staff = session.get(Staff, staff_id)
    return (staff.gender, staff.direct_worker) if staff is not None else None


def apply(deltas: Counter, session=None) -> None:
    """Add each delta to its cell (INSERT … ON CONFLICT DO UPDATE), then drop empty cells."""
    deltas = {k: d for k, d in deltas.items() if d}
    if not deltas:
        return
    # The session's connection, not session.execute(): this also runs inside a flush.
    conn = (session or db.session).connection()
    table = AwardTally.__table__
    ins = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
    stmt = ins.on_conflict_do_update(
        index_elements=list(KEY), set_={"n": table.c.n + ins.excluded.n}
    )
    rows = [dict(zip(KEY, k, strict=True), n=d) for k, d in deltas.items()]
    for start in range(0, len(rows), 5000):
        conn.execute(stmt, rows[start : start + 5000])
    gone = [{f"k_{c}": v for c, v in zip(KEY, k, strict=True)} for k, d in deltas.items() if d < 0]
    if gone:
        conn.execute(
            delete(table).where(table.c.n == 0, *(table.c[c] == bindparam(f"k_{c}") for c in KEY)),
            gone,
        )


def add_rows(rows: list[dict], sign: int = 1) -> None:
    """After a Core INSERT of award_record rows (dicts with the model's column names)."""
    ids = {r["staff_id"] for r in rows if r.get("staff_id") is not None}
    people = {}
    for start in range(0, len(ids), 5000):
        chunk = list(ids)[start : start + 5000]
        people.update(
            (sid, (g, w))
            for sid, g, w in db.session.execute(
                select(Staff.id, Staff.gender, Staff.direct_worker).where(Staff.id.in_(chunk))
            )
        )
    deltas: Counter = Counter()
    for r in rows:
        if r.get("revoked_at") is None:
            key = _key(
                r["year"],
                r.get("unit_id"),
                r.get("award_code"),
                r["award_name"],
                r["kind"],
                people.get(r.get("staff_id")),
            )
            deltas[key] += sign
    apply(deltas)


def remove(record: AwardRecord) -> None:
    """After a Core UPDATE revoked `record` (its attributes still the loaded ones)."""
    person = _person(db.session, record.staff_id)
    key = _key(
        record.year, record.unit_id, record.award_code, record.award_name, record.kind, person
    )
    apply(Counter({key: -1}))


def rebuild(session=None) -> None:
    """Count everything again (the migration, the demo, the benchmark's bulk load)."""
    session = session or db.session
    r, s = AwardRecord, Staff
    individual = (r.kind == INDIVIDUAL) & s.id.is_not(None)
    gender = case((individual, func.coalesce(s.gender, "")), else_="")
    worker = case((individual & s.direct_worker, "true"), (individual, "false"), else_="")
    cols = (
        r.year,
        func.coalesce(r.unit_id, 0),
        func.coalesce(r.award_code, ""),
        r.award_name,
        r.kind,
        gender,
        worker,
    )
    query = (
        select(*cols, func.count())
        .select_from(r)
        .outerjoin(s, s.id == r.staff_id)
        .where(r.revoked_at.is_(None))
        .group_by(*cols)
    )
    session.execute(delete(AwardTally))
    session.execute(insert(AwardTally).from_select([*KEY, "n"], query))


# --- ORM writes: counted at flush ----------------------------------------------------------

FIELDS = ("year", "unit_id", "award_code", "award_name", "kind", "staff_id", "revoked_at")


def _old(obj, name: str):
    history = inspect(obj).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(obj, name)


def _values(obj, old: bool) -> tuple:
    return tuple(_old(obj, f) if old else getattr(obj, f) for f in FIELDS)


def _count(session, deltas: Counter, values: tuple, sign: int, person=False) -> None:
    year, unit_id, code, name, kind, staff_id, revoked_at = values
    if revoked_at is None:
        who = _person(session, staff_id) if person is False else person
        deltas[_key(year, unit_id, code, name, kind, who)] += sign


@event.listens_for(Session, "before_flush")
def _before_flush(session, flush_context, instances) -> None:
    deltas: Counter = session.info.setdefault("award_tally", Counter())
    with session.no_autoflush:
        for obj in session.new:
            if isinstance(obj, AwardRecord):
                _count(session, deltas, _values(obj, False), +1)
        for obj in session.deleted:
            if isinstance(obj, AwardRecord):
                _count(session, deltas, _values(obj, True), -1)
        for obj in session.dirty:
            if isinstance(obj, AwardRecord) and session.is_modified(obj):
                before, after = _values(obj, True), _values(obj, False)
                if before != after:
                    _count(session, deltas, before, -1)
                    _count(session, deltas, after, +1)
            elif isinstance(obj, Staff) and session.is_modified(obj):
                _staff_moved(session, obj, deltas)


def _staff_moved(session, staff: Staff, deltas: Counter) -> None:
    """A person's gender or direct-worker flag changed: their live awards change cells."""
    old = (_old(staff, "gender"), _old(staff, "direct_worker"))
    new = (staff.gender, staff.direct_worker)
    if old == new or staff.id is None:
        return
    r = AwardRecord
    rows = session.execute(
        select(r.year, r.unit_id, r.award_code, r.award_name, r.kind, func.count())
        .where(r.staff_id == staff.id, r.revoked_at.is_(None))
        .group_by(r.year, r.unit_id, r.award_code, r.award_name, r.kind)
    ).all()
    for year, unit_id, code, name, kind, n in rows:
        deltas[_key(year, unit_id, code, name, kind, old)] -= n
        deltas[_key(year, unit_id, code, name, kind, new)] += n


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context) -> None:
    deltas = session.info.pop("award_tally", None)
    if deltas:
        apply(deltas, session)
