"""What the rules ask of the history: which titles a person held in which years."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, or_, select, text

from ..extensions import db
from ..sql_sets import one_of, pair_in
from .models import AwardRecord


def titles_by_year(
    *,
    staff_ids: set[int],
    folded_names: set[str],
    codes: set[str],
    years: set[int],
    basis_only: bool = True,
) -> dict[tuple, dict[int, set[str]]]:
    """{("staff", id) | ("name", folded, unit_id): {year: {codes}}} of awards that count.

    One query for a whole campaign: revoked awards are left out, and one-off/thematic ones
    too unless `basis_only` is False (NĐ 152/2025/NĐ-CP, Điều 4: they are no basis).
    Records linked to the staff register are keyed by the person; archive records that
    are not are keyed by name *and* unit, so a namesake elsewhere never inherits them.
    """
    basis, every = titles_both(
        staff_ids=staff_ids, folded_names=folded_names, codes=codes, years=years
    )
    return basis if basis_only else every


def titles_both(
    *,
    staff_ids: set[int],
    folded_names: set[str],
    codes: set[str],
    years: set[int],
    name_units: set[tuple[str, int]] | None = None,
) -> tuple[dict, dict]:
    """(titles_by_year(...), titles_by_year(..., basis_only=False)) from one query: the
    intake checks need both, over the same 20,000 people at province size.

    `name_units`, when given, is every (folded name, unit id) the caller will look up: the
    archive records read by name are then only those of that name in that unit or with no
    unit (a province's 4,500 names matched 120,000 records of namesakes elsewhere, none
    of which the checks read). Records linked to a person are read by staff id only."""
    if not (staff_ids or folded_names) or not codes or not years:
        return {}, {}
    by_name = one_of(AwardRecord.name_folded, folded_names or {""})
    if name_units is not None:
        by_name = and_(
            AwardRecord.staff_id.is_(None),
            by_name,
            or_(
                AwardRecord.unit_id.is_(None),
                pair_in(AwardRecord.name_folded, AwardRecord.unit_id, name_units),
            ),
        )
    rows = db.session.execute(
        select(
            AwardRecord.staff_id,
            AwardRecord.name_folded,
            AwardRecord.unit_id,
            AwardRecord.year,
            AwardRecord.award_code,
            AwardRecord.counts_as_basis,
        ).where(
            AwardRecord.year.in_(years),
            AwardRecord.award_code.in_(codes),
            AwardRecord.revoked_at.is_(None),
            or_(
                one_of(AwardRecord.staff_id, staff_ids or {-1}),
                by_name,
            ),
        )
    )
    basis: dict = defaultdict(lambda: defaultdict(set))
    every: dict = defaultdict(lambda: defaultdict(set))
    for staff_id, folded, unit_id, year, code, counts in rows:
        key = ("staff", staff_id) if staff_id is not None else ("name", folded, unit_id)
        every[key][year].add(code)
        if counts:
            basis[key][year].add(code)
    return basis, every


# The search page's choices, read by skip scans: one index probe per distinct value (a
# recursive query asking each time for the next value after the last), not a pass over the
# 400,000 records of a province (issue 17). Same results as SELECT DISTINCT / GROUP BY.
_YEARS = text(
    """
    WITH RECURSIVE y(year) AS (
        SELECT max(year) FROM award_record
        UNION ALL
        SELECT (SELECT max(year) FROM award_record WHERE year < y.year)
        FROM y WHERE y.year IS NOT NULL
    )
    SELECT year FROM y WHERE year IS NOT NULL
    """
)
_CODES = text(
    """
    WITH RECURSIVE c(code) AS (
        SELECT min(award_code) FROM award_record
        UNION ALL
        SELECT (SELECT min(award_code) FROM award_record WHERE award_code > c.code)
        FROM c WHERE c.code IS NOT NULL
    )
    SELECT code, (SELECT min(award_name) FROM award_record WHERE award_code = c.code)
    FROM c WHERE code IS NOT NULL
    """
)


def record_years() -> list[int]:
    """The years that have a record, newest first."""
    return list(db.session.scalars(_YEARS))


def record_codes() -> dict[str, str]:
    """{award code: its name} of the codes records carry (the first name in sort order)."""
    return dict(db.session.execute(_CODES).all())
