"""Large sets sent as arrays on PostgreSQL (dossier/sql_sets.py: one_of, pair_in), and the
intake checks' history read narrowed to what they look up (history.queries.titles_both with
name_units): the same answers as the plain IN lists, on both backends, with sets above the
size where PostgreSQL switches to arrays."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from dossier.enums import NomineeKind
from dossier.extensions import db
from dossier.history.models import AwardRecord
from dossier.history.queries import titles_both
from dossier.sql_sets import SMALL, one_of, pair_in
from tests import builders as b

CODES = ["LDTT", "CSTDCS", "BK_CN", "GK"]
NAMES = [f"nguyen van {i}" for i in range(90)]


def _world(rng: random.Random):
    units = [b.unit(f"Phòng thử {i}", f"PT{i}") for i in range(6)]
    staff = [b.staff(rng.choice(units), f"Cán bộ {i}") for i in range(70)]
    db.session.flush()
    records = []
    for _ in range(700):
        linked = rng.random() < 0.35
        person = rng.choice(staff) if linked else None
        name = rng.choice(NAMES)
        records.append(
            AwardRecord(
                year=rng.randrange(2016, 2027),
                kind=NomineeKind.INDIVIDUAL,
                staff_id=person.id if person else None,
                unit_id=rng.choice([*[u.id for u in units], None]),
                name=name,
                name_folded=name,
                award_code=rng.choice(CODES),
                award_name="Danh hiệu",
                counts_as_basis=rng.random() < 0.8,
                source="import",
                revoked_at=datetime(2025, 1, 1, tzinfo=UTC) if rng.random() < 0.1 else None,
            )
        )
    for r in records:  # the table's CHECK: a revoked record says why
        if r.revoked_at is not None:
            r.revoked_reason = "Quyết định thu hồi."
    db.session.add_all(records)
    db.session.flush()
    return units, staff


def test_one_of_answers_as_in_does_small_and_large(app):
    rng = random.Random(7)
    _world(rng)
    all_ids = db.session.scalars(select(AwardRecord.id)).all()
    for size in (3, SMALL + 1, 400):
        ids = set(rng.sample(all_ids, min(size, len(all_ids))))
        names = set(rng.sample(NAMES, min(size, len(NAMES))))
        for column, values in ((AwardRecord.id, ids), (AwardRecord.name_folded, names)):
            want = set(db.session.scalars(select(AwardRecord.id).where(column.in_(values))))
            got = set(db.session.scalars(select(AwardRecord.id).where(one_of(column, values))))
            assert got == want and want, (size, column)
        rows = db.session.execute(select(AwardRecord.name_folded, AwardRecord.unit_id)).all()
        pairs = {tuple(r) for r in rng.sample(rows, min(size, len(rows))) if r[1] is not None}
        cols = (AwardRecord.name_folded, AwardRecord.unit_id)
        want = {
            i for i, n, u in db.session.execute(select(AwardRecord.id, *cols)) if (n, u) in pairs
        }
        got = set(db.session.scalars(select(AwardRecord.id).where(pair_in(*cols, pairs))))
        assert got == want and want, ("pairs", size)


@pytest.mark.parametrize("seed", range(4))
def test_narrowed_history_read_answers_every_lookup_as_the_full_read(app, seed):
    rng = random.Random(seed)
    units, staff = _world(rng)
    staff_ids = {s.id for s in rng.sample(staff, rng.choice([5, 60]))}
    pairs = {(rng.choice(NAMES), rng.choice(units).id) for _ in range(rng.choice([8, 80]))}
    names = {n for n, _ in pairs}
    ask = dict(
        staff_ids=staff_ids, folded_names=names, codes=set(CODES), years=set(range(2016, 2027))
    )
    full = titles_both(**ask)
    narrowed = titles_both(**ask, name_units=pairs)
    # Every key Facts.held() reads: the person, the name in the proposing unit, no unit.
    keys = [("staff", s) for s in staff_ids]
    keys += [("name", n, u) for n, u in pairs] + [("name", n, None) for n in names]
    for whole, narrow in zip(full, narrowed, strict=True):
        for key in keys:
            assert dict(narrow.get(key, {})) == dict(whole.get(key, {})), key
    # Namesakes elsewhere are not read any more (what made the read slow at province size).
    read = {k for part in narrowed for k in part}
    assert read <= set(keys)
    assert any(k not in set(keys) for part in full for k in part)
