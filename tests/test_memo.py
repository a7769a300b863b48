"""Small values kept while the content version stands (dossier/memo.py, issue 17): the
history page's count and filter choices, served again only while nothing they read has
changed; after any sequence of writes the page shows what a fresh count gives.

The harness never commits (each test's transaction is rolled back): `_commit()` does what a
commit does to the content version (versioning.committed) without ending the transaction.
"""

from __future__ import annotations

import re

from flask import current_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update

from dossier import memo, versioning
from dossier.extensions import db
from dossier.history import operations
from dossier.history.models import AwardRecord
from dossier.org.models import Unit
from dossier.text import fold
from tests.history_builders import org as org  # the fixture
from tests.history_builders import wired as wired  # the fixture (autouse)

COUNT = re.compile(r'data-testid="result-count">(?:Hơn )?([\d.]+) bản ghi')
UNIT_OPTION = re.compile(r'<option value="(\d+)" (?:selected)?>([^<]*)</option>')


def _commit() -> None:
    db.session.flush()
    versioning.committed(db.session.connection())


def _memo() -> memo.VersionMemo:
    return current_app.extensions["version_memo"]


def test_remember_serves_under_one_token_and_recomputes_after_a_write(app, org):
    operations.record_award(year=2024, staff=org.duc, award_code="LDTT")
    _commit()
    calls = []

    def count():
        calls.append(1)
        return db.session.scalar(select(func.count(AwardRecord.id)))

    token = memo.usable_token()
    assert token is not None
    assert memo.remember("n", count, token) == 1
    assert memo.remember("n", count, memo.usable_token()) == 1
    assert len(calls) == 1  # the second came from the memo

    operations.record_award(year=2023, staff=org.duc, award_code="LDTT")
    assert memo.usable_token() is None  # own writes, not committed: compute, keep nothing
    assert memo.remember("n", count, memo.usable_token()) == 2
    _commit()
    assert memo.remember("n", count, memo.usable_token()) == 2
    assert memo.remember("n", count, memo.usable_token()) == 2
    assert len(calls) == 3  # computed without a token, then once under the new one

    def writes_while_computing():
        operations.record_award(year=2022, staff=org.duc, award_code="LDTT")
        return count()

    before = _memo().entries.copy()
    assert memo.remember("m", writes_while_computing, memo.usable_token()) == 3
    assert _memo().entries == before  # what it read is not the token's data: not kept


def _shown(client, **params) -> tuple[int, dict[str, str]]:
    html = client.get("/lich-su/", query_string=params).get_data(as_text=True)
    units = dict(UNIT_OPTION.findall(html.split('id="don_vi"')[1].split("</select>")[0]))
    return int(COUNT.search(html).group(1).replace(".", "")), units


def _fresh(**params) -> tuple[int, dict[str, str]]:
    stmt = select(func.count(AwardRecord.id))
    if "nam" in params:
        stmt = stmt.where(AwardRecord.year == params["nam"])
    if "q" in params:
        stmt = stmt.where(AwardRecord.name_folded.contains(fold(params["q"])))
    units = {str(i): n for i, n in db.session.execute(select(Unit.id, Unit.name))}
    return db.session.scalar(stmt), units


def _add(org, i):
    person = (org.duc, org.hoa)[i % 2]
    operations.record_award(year=2020 + i % 4, staff=person, award_code="LDTT")


def _drop(org, i):
    ids = db.session.scalars(select(AwardRecord.id).order_by(AwardRecord.id)).all()
    if ids:
        db.session.execute(delete(AwardRecord).where(AwardRecord.id == ids[i % len(ids)]))


def _year(org, i):  # Core UPDATE: a record moves to another year
    db.session.execute(update(AwardRecord).values(year=2020 + (AwardRecord.id + i) % 4))


def _rename_unit(org, i):
    org.tdc.name = f"Chi cục Tiêu chuẩn {i}"


WRITES = [_add, _drop, _year, _rename_unit]
VIEWS = [{}, {"nam": 2021}, {"nam": 2023}, {"q": "duc"}, {"q": "Trần"}]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(WRITES),
            st.integers(0, 7),
            st.booleans(),  # committed (else the page is read with the write pending)
            st.sampled_from(VIEWS),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_the_page_shows_a_fresh_count_after_any_writes(app, as_user, org, steps):
    office = as_user(org.office)
    for i in range(3):
        _add(org, i)
    _commit()
    for params in VIEWS:  # every view remembered under the same token
        assert _shown(office, **params) == _fresh(**params)
    hits = _memo().hits
    for params in VIEWS:
        assert _shown(office, **params) == _fresh(**params)
    assert _memo().hits >= hits + 4 * len(VIEWS)  # count, codes, years, units: all kept
    for write, i, committed, params in steps:
        write(org, i)
        if committed:
            _commit()
        assert _shown(office, **params) == _fresh(**params)
        assert _shown(office, **params) == _fresh(**params)
    _commit()
    for params in VIEWS[:2]:
        assert _shown(office, **params) == _fresh(**params)
