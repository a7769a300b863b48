"""Bounded pagination for lists that grow to hundreds of thousands of rows (issue 17).

The award history of a province holds some 400,000 records. Counting them all on every
page cost more than the page itself, and page 5,000 of a name-ordered list helps nobody:
the filters (year, unit, form, name) do. So the count stops at `cap` rows (`capped` then
says there are more, and the page says "hơn …"), the page numbers stop at the last page of
those, and the page's rows are found by their ids alone (an index-only scan of the sort
order's index), then loaded by id: no whole row is read that is not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from .extensions import db


class BoundedPagination(Pagination):
    """Flask-SQLAlchemy's pagination (`items`, `total`, `pages`, `iter_pages()`…) over a
    SELECT of ids (`keys`, filtered and ordered) and a loader of rows by id (`load`)."""

    capped = False

    def _query_items(self) -> list:
        keys: Select = self._query_args["keys"]
        ids = list(db.session.scalars(keys.limit(self.per_page).offset(self._query_offset)))
        load: Callable[[Sequence[int]], list] = self._query_args["load"]
        rows = {row.id: row for row in load(ids)} if ids else {}
        return [rows[i] for i in ids if i in rows]

    def _query_count(self) -> int:
        cap: int = self._query_args["cap"]
        first = self._query_args["keys"].order_by(None).limit(cap + 1).subquery()

        def count() -> int:
            return db.session.scalar(select(func.count()).select_from(first)) or 0

        remember = self._query_args["remember"]
        seen = remember(count) if remember else count()
        self.capped = seen > cap
        return min(seen, cap)


class RowPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a SELECT of columns: `items` are its rows
    (read-only named tuples, no ORM object made for them), turned by `shape` if given.
    The same two statements as `db.paginate` (the page, then its count)."""

    def _query_items(self) -> list:
        stmt: Select = self._query_args["select"]
        rows = db.session.execute(stmt.limit(self.per_page).offset(self._query_offset)).all()
        shape = self._query_args.get("shape")
        return [shape(row) for row in rows] if shape else rows

    def _query_count(self) -> int:
        stmt: Select = self._query_args["select"]
        inner = stmt.order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(inner)) or 0


def row_page(stmt: Select, *, page: int, per_page: int, shape=None) -> RowPagination:
    """Page `page` of `stmt`'s rows (past the last page: an empty page, as error_out=False)."""
    return RowPagination(
        page=page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        select=stmt,
        shape=shape,
    )


def bounded_page(keys: Select, load, *, page: int, per_page: int, cap: int, remember=None):
    """Page `page` (cut to the last page within `cap` rows) of `keys`' ids, loaded by `load`.

    `remember`: given the count's function, its value (memo.remember with the filters as
    key): the bounded count, up to `cap` + 1 rows read, is then kept while nothing changes."""
    page = max(1, min(page, max(cap // per_page, 1)))
    return BoundedPagination(
        page=page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        keys=keys,
        load=load,
        cap=cap,
        remember=remember,
    )


def page_window(page: int, pages: int, *, edge: int = 2, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first and last `edge` pages, `around` pages on
    each side of `page`, None where two or more numbers are left out ("…"). A list of 400 pages
    shows at most 2 × edge + 2 × around + 3 entries, not 400 links in a row (on a phone they
    were a row 1,300 px wide)."""
    if pages < 1:
        return []
    page = max(1, min(page, pages))
    keep = set(range(1, min(edge, pages) + 1))
    keep |= set(range(max(pages - edge + 1, 1), pages + 1))
    keep |= set(range(max(page - around, 1), min(page + around, pages) + 1))
    shown: list[int | None] = []
    last = 0
    for p in sorted(keep):
        if p == last + 2:
            shown.append(last + 1)  # "…" in place of one page hides it for nothing
        elif p > last + 2:
            shown.append(None)
        shown.append(p)
        last = p
    return shown
