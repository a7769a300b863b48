"""The database's content version: one random token, replaced by every transaction that
writes, read by any app server in one single-row query (issue 17).

A process-local cache of something computed from the data (the intake checks' findings,
intake/findings.py) is keyed by this token: when the token read now equals the one the
entry was computed under, nothing it reads has changed since, on this server or another.

- Every statement this process sends is looked at (an engine event, so ORM flushes, bulk
  statements and raw SQL alike): one that may write marks its connection's transaction.
- When a marked transaction commits, the token is replaced in that same transaction, just
  before the COMMIT: the new data and the new token become visible together, to everyone.
  The row is locked for that instant only (never while the transaction does its work), so
  writers do not queue behind each other for longer than a commit.
- A transaction with writes not committed yet must not use or fill a cache (its own view
  differs from everyone else's): `pending()` says so. A rollback drops the mark.
- The token is random, never a counter: a token written by a transaction that then rolled
  back never comes back, so an entry computed under it is never served for other data.

Writes to the tables in UNRELATED do not move the token: bookkeeping that every request or
sign-in makes, and that nothing cached here reads. A statement that may write and whose
table is not recognised counts as a write. Data changed behind the app's back (psql by
hand) is not seen: restart the app servers after such a change, or make any write.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import String, event, select
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


class ContentVersion(db.Model):
    __tablename__ = "content_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


# Bookkeeping written by requests that change no process data: sessions and sign-in limits,
# the audit chain (written beside every real change, and alone on sign-in), stored blobs
# (cached documents; an upload also writes its attachment row), the outbox, API token use.
UNRELATED = frozenset(
    {
        "content_version",
        "user_session",
        "rate_limit_counter",
        "audit_event",
        "audit_head",
        "audit_checkpoint",
        "blob",
        "outbox_message",
        "api_token",
    }
)
# Statements that never write (their first word).
_READS = frozenset(
    {"SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW", "SET"}
)
_TARGET = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
# A WITH statement reads unless one of its parts modifies data (PostgreSQL's
# "WITH ... DELETE", SQLite's "WITH ... INSERT"); string literals are not looked into.
_LITERAL = re.compile(r"'(?:[^']|'')*'")
_MODIFIES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE|REPLACE)\b", re.IGNORECASE)
_MARK = "content_written"  # key in the DBAPI connection's info: writes not committed yet


def writes(statement: str) -> bool:
    """Whether a statement may change data something cached reads."""
    head = statement.lstrip()[:80]
    first = head.split(None, 1)[0].upper() if head else ""
    if first in _READS:
        return False
    if first == "WITH":
        return bool(_MODIFIES.search(_LITERAL.sub("''", statement)))
    target = _TARGET.match(head)
    return not (target and target.group(1).lower() in UNRELATED)


def _on_execute(conn, cursor, statement, parameters, context, executemany) -> None:
    if writes(statement):
        conn.info[_MARK] = True


def _on_commit(conn) -> None:
    if conn.info.pop(_MARK, False):
        replace_token(conn.connection.dbapi_connection, conn.dialect.name)


def _on_rollback(conn) -> None:
    conn.info.pop(_MARK, None)


def _on_checkin(dbapi_conn, record) -> None:
    record.info.pop(_MARK, None)  # whatever ended its transaction ended its writes


_EXISTS = {
    "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'content_version'",
    "postgresql": "SELECT to_regclass('content_version') IS NOT NULL",
}


def replace_token(dbapi_conn, dialect: str) -> None:
    """A new random token, in the connection's open transaction. Straight on the driver's
    connection: the statement is not itself seen as a write. Skipped while the table does
    not exist (a migration that has not created it yet, or has dropped it)."""
    cur = dbapi_conn.cursor()
    try:
        cur.execute(_EXISTS.get(dialect, _EXISTS["sqlite"]))
        row = cur.fetchone()
        if not row or not row[0]:
            return
        token = secrets.token_hex(16)  # hex digits only: safe inside the statement
        cur.execute(
            "INSERT INTO content_version (id, token) VALUES (1, "
            f"'{token}') ON CONFLICT (id) DO UPDATE SET token = excluded.token"
        )
    finally:
        cur.close()


def committed(conn) -> None:
    """What a commit of `conn`'s transaction does here: a new token if it wrote. The tests'
    harness never commits (its transaction is rolled back): they call this instead."""
    _on_commit(conn)


def init_app(app) -> None:
    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", _on_execute)
        event.listen(engine, "commit", _on_commit)
        event.listen(engine, "rollback", _on_rollback)
        event.listen(engine.pool, "checkin", _on_checkin)


def pending() -> bool:
    """Whether this session's transaction holds changes not committed yet (flushed or not):
    then what it reads is not what the token stands for."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        return True
    return bool(session.connection().info.get(_MARK))


_TOKEN = select(ContentVersion.token).where(ContentVersion.id == 1)  # built once: keeps its key


def token() -> str | None:
    """The current token (None before the first write ever committed)."""
    return db.session.scalar(_TOKEN)
