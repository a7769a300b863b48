"""`column IN (a set of thousands)`, sent as one array parameter on PostgreSQL.

SQLAlchemy expands `in_()` into one bound parameter per value: at province size the intake
checks ask the history about 20,000 people and names, and building, splitting and sending
those 100,000 parameters cost seconds of CPU before the database saw the query (issue 17).
On PostgreSQL `column = ANY(%(values)s)` carries the set as one array, which the server
plans as it plans the IN list; SQLite keeps `IN`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ARRAY, any_, bindparam, false, func, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from .extensions import db

SMALL = 50  # below this, an IN list is as cheap and reads better in a log


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _array(column, values: list):
    return bindparam(None, values, type_=ARRAY(column.type))


def one_of(column, values: Iterable) -> ColumnElement[bool]:
    """`column IN values`, as `column = ANY(array)` on PostgreSQL when the set is large."""
    values = list(values)
    if len(values) > SMALL and _postgresql():
        return column == any_(_array(column, values))
    return column.in_(values)


def pair_in(first, second, pairs: Iterable[tuple]) -> ColumnElement[bool]:
    """`(first, second) IN pairs`; on PostgreSQL, when the set is large, the pairs go as two
    arrays zipped by unnest."""
    pairs = sorted(pairs)
    if not pairs:
        return false()
    column = tuple_(first, second)
    if len(pairs) <= SMALL or not _postgresql():
        return column.in_(pairs)
    a, b = zip(*pairs, strict=True)
    return column.in_(
        select(func.unnest(_array(first, list(a))), func.unnest(_array(second, list(b))))
    )
