"""Helpers the award-rule tests share: the findings of one rule, a person by name, and
the facts the rules read (award history, yearly ratings)."""

from __future__ import annotations

from sqlalchemy import select

from dossier.extensions import db
from dossier.history.facts import StaffRating
from dossier.history.models import AwardRecord
from dossier.intake import rules
from dossier.org.models import Staff
from dossier.text import fold


def _found(c, kind):
    return [f for f in rules.build(c).all_findings if f.rule == kind]


def _staff(d, name):
    return db.session.scalar(
        select(Staff).where(Staff.unit_id == d.unit_id, Staff.full_name == name)
    )


def _history(name, year, code, staff=None, **kw):
    db.session.add(
        AwardRecord(
            year=year,
            kind="individual",
            name=name,
            name_folded=fold(name),
            staff_id=staff.id if staff else None,
            unit_id=staff.unit_id if staff else None,
            award_code=code,
            award_name=code,
            source="import",
            **kw,
        )
    )
    db.session.commit()


def _rating(staff, year, rating):
    row = db.session.scalar(
        select(StaffRating).where(StaffRating.staff_id == staff.id, StaffRating.year == year)
    )
    if row is None:
        db.session.add(StaffRating(staff_id=staff.id, year=year, rating=rating))
    else:
        row.rating = rating
    db.session.commit()
