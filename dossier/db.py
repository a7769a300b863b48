"""Declarative base, UTC-aware timestamps and naming conventions for Alembic."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DDL, DateTime, Index, MetaData, TypeDecorator, event
from sqlalchemy.orm import DeclarativeBase, registry

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; always returns aware UTC (SQLite drops tzinfo)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # One registry carries both, as Flask-SQLAlchemy + SQLAlchemy 2.1 require.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING),
        type_annotation_map={datetime: UTCDateTime()},
    )


# Name search ("có dấu hoặc không dấu": `name_folded LIKE '%…%'`) by trigram index on
# PostgreSQL (pg_trgm, a trusted extension since PostgreSQL 13: the database's owner may
# create it). SQLite has no such index; its search stays a scan of the folded names.
event.listen(
    Base.metadata,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)


def trigram_index(name: str, column: str) -> Index:
    """A GIN trigram index on `column`, created on PostgreSQL only."""
    return Index(
        name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}
    ).ddl_if(dialect="postgresql")


def made_on(dialect: str):
    """Alembic's `include_object` for a database of `dialect`: objects the models create
    there only (a `ddl_if` index such as the trigram ones) are left out elsewhere."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        ddl_if = getattr(obj, "_ddl_if", None)
        return ddl_if is None or ddl_if.dialect is None or ddl_if.dialect == dialect

    return include


def utcnow() -> datetime:
    return datetime.now(UTC)


# Every integer column (ids included) is INTEGER: 32 bits on PostgreSQL, 64 on SQLite. The
# app holds both to the smaller range, so the two backends answer alike.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class UnstorableValue(ValueError):
    """A parameter no column can hold: an integer beyond INTEGER's range, or a NUL."""


def _check_value(value) -> None:
    if isinstance(value, int) and not isinstance(value, bool):
        if not INT_MIN <= value <= INT_MAX:
            raise UnstorableValue("integer beyond the INTEGER range")
    elif isinstance(value, str) and "\x00" in value:
        raise UnstorableValue("NUL character in text")


def _check_parameters(parameters) -> None:
    if isinstance(parameters, dict):
        for value in parameters.values():
            _check_value(value)
    elif isinstance(parameters, list | tuple):
        for item in parameters:
            if isinstance(item, dict | list | tuple):
                _check_parameters(item)  # executemany: one set per row
            else:
                _check_value(item)


def configure_engine(engine) -> None:
    """No integer beyond INTEGER's range and no NUL ever reaches the driver: refused before.

    Input is checked at the edge (the URL converter, params.py, the base form); this is the
    floor under every path we missed. Python's sqlite3 raises OverflowError (not one of its
    own errors) beyond 64 bits, PostgreSQL a DataError beyond 32 bits and for a NUL; refused
    here, nothing has touched the connection, and the error handler answers 400.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_unstorable(conn, cursor, statement, parameters, context, executemany):
        _check_parameters(parameters)


def _open_transaction(dbapi_conn) -> bool:
    if hasattr(dbapi_conn, "in_transaction"):  # sqlite3
        return bool(dbapi_conn.in_transaction)
    info = getattr(dbapi_conn, "info", None)  # psycopg 3
    return info is not None and info.transaction_status != 0  # 0: IDLE


def configure_pool(engine) -> None:
    """No connection goes back to the pool inside a transaction, whatever left it there.

    SQLAlchemy rolls back on return only when it believes a transaction is open; a BEGIN it
    did not see (or a driver left in a state it did not report) would otherwise reach the
    next request still holding SQLite's write lock: every later write of that worker on the
    other connections waits out busy_timeout and fails with "database is locked".
    """
    import logging

    log = logging.getLogger(__name__)

    @event.listens_for(engine, "checkin")
    def _end_leftover_transaction(dbapi_conn, _record):
        if dbapi_conn is not None and _open_transaction(dbapi_conn):
            log.warning("a connection came back to the pool inside a transaction: rolled back")
            dbapi_conn.rollback()
