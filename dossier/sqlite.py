"""SQLite as a real multi-user database: WAL, foreign keys, and writers that queue."""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import event


def configure_sqlite(engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the driver, emit BEGIN (the driver's own handling defers it).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        # Deleted rows are overwritten with zeros, not just unlinked: closed votes' ballots
        # must not stay readable in free space (council/erasure.py).
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # IMMEDIATE takes the write lock at the start, so two requests acting on one dossier
        # queue instead of failing with "database is locked" at commit (SQLITE_BUSY_SNAPSHOT).
        # Pages (GET/HEAD) only read: they begin deferred and run side by side under WAL.
        reading = has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
