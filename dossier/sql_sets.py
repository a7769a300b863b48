"""`column IN (a set of thousands)`, sent as one array parameter on PostgreSQL.

SQLAlchemy expands `in_()` into one bound parameter per value: at province size the intake
checks ask the history about 20,000 people and names, and building, splitting and sending
those 100,000 parameters cost seconds of CPU before the database saw the query (issue 17).
On PostgreSQL `column = ANY(%(values)s)` carries the set as one array, which the server
plans as it plans the IN list; SQLite keeps `IN`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ARRAY, any_, bindparam
from sqlalchemy.sql.elements import ColumnElement

from .extensions import db

SMALL = 50  # below this, an IN list is as cheap and reads better in a log


def one_of(column, values: Iterable) -> ColumnElement[bool]:
    """`column IN values`, as `column = ANY(array)` on PostgreSQL when the set is large."""
    values = list(values)
    if len(values) > SMALL and db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)
