"""Numbers from the agency's register (Nghị định 30/2020/NĐ-CP, Điều 15: the Văn thư gives
the number from the agency's sequence, which restarts each year).

A number is either the sequence's next (`take_next`) or one typed from the agency's own
document system (`take_typed`), checked unique for the issuer, kind and year. Both lock the
sequence's row first (an UPDATE holds its lock until the caller's transaction ends; SQLite
serialises writers anyway), so concurrent issues never share or skip a number; the unique
key on the entries is the backstop. "Next" skips numbers already typed, so the numbers the
sequence gives rise one by one and, with the typed ones, leave no gap. Nothing here commits.
"""

from __future__ import annotations

import re

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..access import Action, require
from ..enums import DocKind
from ..errors import ConflictError, DomainError
from ..extensions import db
from .models import RegisterEntry, RegisterSequence

MAX_NUMBER = 999_999  # an agency's yearly register; beyond it a typed number is a typo
_TYPED = re.compile(r"^\s*0*(\d{1,6})\s*(?:/\s*(\S+?)\s*)?$")


def code(number: int, kind: DocKind | str, issuer: str) -> str:
    """ "249/QĐ-SKHCN"; a leading zero below 10 (Nghị định 30/2020, Phụ lục I)."""
    return f"{number:02d}/{DocKind(kind).value}-{issuer}"


def parse_typed(text: str | None, kind: DocKind | str, issuer: str) -> int | None:
    """A number typed by the Văn thư: "249" or "249/QĐ-SKHCN". Blank: None (take the next).
    Anything else is refused in Vietnamese."""
    text = (text or "").strip()
    if not text:
        return None
    suffix = f"{DocKind(kind).value}-{issuer}"
    match = _TYPED.match(text)
    if match is None or int(match.group(1)) < 1:
        raise DomainError(
            f"Số văn bản «{text}» không hợp lệ: nhập một số nguyên dương, ví dụ 249 hoặc "
            f"249/{suffix}."
        )
    if match.group(2) and match.group(2).casefold() != suffix.casefold():
        raise DomainError(
            f"Số văn bản «{text}» có ký hiệu khác «{suffix}»: chỉ nhập số, hoặc số kèm đúng "
            "ký hiệu."
        )
    return int(match.group(1))


def _lock(issuer: str, kind: str, year: int, *, bump: int = 0) -> int:
    """Lock the sequence's row (creating it at 0 if the year has none) and move it by
    `bump`; returns its value after the move."""
    where = (
        (RegisterSequence.issuer == issuer)
        & (RegisterSequence.kind == kind)
        & (RegisterSequence.year == year)
    )
    value = db.session.execute(
        update(RegisterSequence)
        .where(where)
        .values(current=RegisterSequence.current + bump)
        .returning(RegisterSequence.current)
        .execution_options(synchronize_session=False)
    ).scalar()
    if value is not None:
        return value
    try:
        with db.session.begin_nested():  # the year's first number: create its sequence
            db.session.execute(
                insert(RegisterSequence).values(issuer=issuer, kind=kind, year=year, current=0)
            )
    except IntegrityError:  # another issue created it at the same moment: lock that one
        pass
    return _lock(issuer, kind, year, bump=bump)


def _taken(issuer: str, kind: str, year: int, number: int) -> bool:
    return (
        db.session.scalar(
            select(RegisterEntry.id).where(
                RegisterEntry.issuer == issuer,
                RegisterEntry.kind == kind,
                RegisterEntry.year == year,
                RegisterEntry.number == number,
            )
        )
        is not None
    )


def _enter(issuer, kind, year, number, *, typed, object_type, object_id, actor) -> int:
    try:
        with db.session.begin_nested():
            db.session.execute(
                insert(RegisterEntry).values(
                    issuer=issuer,
                    kind=kind,
                    year=year,
                    number=number,
                    typed=typed,
                    object_type=object_type,
                    object_id=object_id,
                    given_by_id=getattr(actor, "id", None),
                )
            )
    except IntegrityError as err:  # the backstop: the lock should have made this impossible
        raise ConflictError(_duplicate(number, kind, issuer, year)) from err
    return number


def _duplicate(number: int, kind: str, issuer: str, year: int) -> str:
    return (
        f"Số {code(number, kind, issuer)} năm {year} đã được cấp cho văn bản khác trong sổ; "
        "hãy nhập số khác hoặc lấy số tiếp theo."
    )


def take(
    kind: DocKind | str,
    issuer: str,
    year: int,
    *,
    typed: int | None = None,
    object_type: str,
    object_id: int,
    actor=None,
) -> int:
    """The number for one document: `typed` if given (checked unique), else the next."""
    kind = DocKind(kind).value
    if typed is None:
        while True:
            number = _lock(issuer, kind, year, bump=1)
            if not _taken(issuer, kind, year, number):  # a typed number sits there: skip it
                break
    else:
        if not 1 <= typed <= MAX_NUMBER:
            raise DomainError(f"Số văn bản phải từ 1 đến {MAX_NUMBER}.")
        _lock(issuer, kind, year)  # the same queue as "next": the check below stays true
        if _taken(issuer, kind, year, typed):
            raise DomainError(_duplicate(typed, kind, issuer, year))
        number = typed
    return _enter(
        issuer,
        kind,
        year,
        number,
        typed=typed is not None,
        object_type=object_type,
        object_id=object_id,
        actor=actor,
    )


def peek(kind: DocKind | str, issuer: str, year: int) -> int:
    """What "next" would give now (for the form's hint; not reserved)."""
    kind = DocKind(kind).value
    current = db.session.scalar(
        select(RegisterSequence.current).where(
            RegisterSequence.issuer == issuer,
            RegisterSequence.kind == kind,
            RegisterSequence.year == year,
        )
    )
    taken = set(
        db.session.scalars(
            select(RegisterEntry.number).where(
                RegisterEntry.issuer == issuer,
                RegisterEntry.kind == kind,
                RegisterEntry.year == year,
                RegisterEntry.number > (current or 0),
            )
        )
    )
    number = (current or 0) + 1
    while number in taken:
        number += 1
    return number


def set_current(actor, *, issuer: str, kind: DocKind | str, year: int, seen: int | None, value):
    """The Văn thư keeps the sequence in step with the agency's paper register: its last
    number given becomes `value`. `seen` is the value the page showed: if a number was given
    since, nothing changes and the page says so."""
    verdict = require(actor, Action.MANAGE_REGISTER, None, "Chỉ Văn thư sửa sổ đăng ký văn bản.")
    kind = DocKind(kind).value
    if not isinstance(value, int) or not 0 <= value <= MAX_NUMBER:
        raise DomainError(f"Số đã cấp gần nhất phải là số nguyên từ 0 đến {MAX_NUMBER}.")
    if not issuer.strip() or not 2000 <= year <= 2100:
        raise DomainError("Cơ quan ban hành và năm không hợp lệ.")
    before = _lock(issuer, kind, year)
    if seen is not None and seen != before:
        raise ConflictError(
            f"Sổ vừa cấp số khác (số đã cấp gần nhất nay là {before}); hãy tải lại trang."
        )
    db.session.execute(
        update(RegisterSequence)
        .where(
            RegisterSequence.issuer == issuer,
            RegisterSequence.kind == kind,
            RegisterSequence.year == year,
        )
        .values(current=value)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        actor=actor,
        action="register_set",
        object_type="register",
        data={"issuer": issuer, "kind": kind, "year": year, "from": before, "to": value},
        verdict=verdict,
    )
    return value


def sequences() -> list[RegisterSequence]:
    return list(
        db.session.scalars(
            select(RegisterSequence).order_by(
                RegisterSequence.year.desc(), RegisterSequence.kind, RegisterSequence.issuer
            )
        )
    )
