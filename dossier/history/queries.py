"""What the rules ask of the history: which titles a person held in which years."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select

from ..extensions import db
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
    if not (staff_ids or folded_names) or not codes or not years:
        return {}
    basis = [AwardRecord.counts_as_basis.is_(True)] if basis_only else []
    rows = db.session.execute(
        select(
            AwardRecord.staff_id,
            AwardRecord.name_folded,
            AwardRecord.unit_id,
            AwardRecord.year,
            AwardRecord.award_code,
        ).where(
            AwardRecord.year.in_(years),
            AwardRecord.award_code.in_(codes),
            AwardRecord.revoked_at.is_(None),
            *basis,
            or_(
                AwardRecord.staff_id.in_(staff_ids or {-1}),
                AwardRecord.name_folded.in_(folded_names or {""}),
            ),
        )
    )
    out: dict = defaultdict(lambda: defaultdict(set))
    for staff_id, folded, unit_id, year, code in rows:
        if staff_id is not None:
            out[("staff", staff_id)][year].add(code)
        else:
            out[("name", folded, unit_id)][year].add(code)
    return out
