"""Working days: Monday to Friday, less the Holiday rows the Văn phòng keeps.

Escalation counts how long a submitted dossier has waited in working days, so a dossier
submitted on a Friday before Tết is not "late" on the Monday after.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from .models import Holiday


def _holidays(first: date, last: date) -> set[date]:
    """Holiday days in [first, last] (inclusive): one query."""
    return set(
        db.session.scalars(select(Holiday.day).where(Holiday.day >= first, Holiday.day <= last))
    )


def _working(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start).

    Submitted on Thursday, a Monday holiday in between: Friday is 1, Tuesday 2, Wednesday 3.
    """
    if end < start:
        return -working_days_between(end, start)
    if end == start:
        return 0
    first = start + timedelta(days=1)
    holidays = _holidays(first, end)
    return sum(_working(first + timedelta(days=i), holidays) for i in range((end - first).days + 1))


def add_working_days(start: date, n: int) -> date:
    """The day `n` working days after `start` (before it if n < 0); `start` itself if n == 0."""
    if n == 0:
        return start
    step = 1 if n > 0 else -1
    left = abs(n)
    day = start
    # Fetch holidays a window at a time: a week holds at least five days, so 2n + 14 days
    # almost always suffices; a longer run of holidays just takes another window.
    span = 2 * left + 14
    while True:
        lo, hi = sorted((day + timedelta(days=step), day + timedelta(days=step * span)))
        holidays = _holidays(lo, hi)
        for _ in range(span):
            day += timedelta(days=step)
            if _working(day, holidays):
                left -= 1
                if left == 0:
                    return day
