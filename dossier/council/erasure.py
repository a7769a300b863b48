"""Deleted ballots leave the database files too, not only the table.

A DELETE only unlinks rows: the bytes stay in the file until reused. After the commit that
deleted ballots (closing a vote):
- SQLite: every connection runs with `secure_delete` (dossier/sqlite.py), so the pages the
  DELETE wrote have the ballots overwritten with zeros; a TRUNCATE checkpoint then copies
  those pages into the database file and empties the write-ahead log, which still held
  the pages as they were before.
- PostgreSQL: a plain VACUUM marks dead rows' space free but leaves their bytes in the
  page (measured: a deleted value is still in the table's file after VACUUM and CHECKPOINT),
  so `VACUUM FULL council_sealed_ballot` rewrites the table into a new file with the live
  rows only. The table holds only open votes' ballots: the rewrite takes milliseconds, but
  needs an exclusive lock; if that is not granted within LOCK_TIMEOUT, a plain VACUUM runs
  instead and a warning is logged. What neither reaches (WAL segments, archives, backups,
  the filesystem's free blocks) is in README "Secret ballots: what is stored".
Failures are logged, never raised: the vote is closed by then.
"""

from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

from ..extensions import db

log = logging.getLogger(__name__)
_PENDING = "erase_deleted_ballots"
LOCK_TIMEOUT = "10s"


def after_commit(session) -> None:
    """Ask for the erasure once `session` commits (a rollback drops the request)."""
    session.info[_PENDING] = True


def erase(engine) -> None:
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # no transaction: a checkpoint cannot run inside one
        try:
            cur = raw.cursor()
            busy, _, _ = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            cur.close()
        finally:
            raw.close()
        if busy:
            log.warning("wal_checkpoint(TRUNCATE) could not finish: readers still busy")
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            try:
                conn.exec_driver_sql("VACUUM FULL council_sealed_ballot")
            except DBAPIError:
                log.warning("VACUUM FULL council_sealed_ballot got no lock; plain VACUUM instead")
                conn.exec_driver_sql("VACUUM council_sealed_ballot")
            conn.exec_driver_sql("RESET lock_timeout")


def _on_commit(session) -> None:
    # SQLAlchemy sends after_commit for a released savepoint too (every act runs in one,
    # errors.acting): the ballots are still in the open transaction then; wait for the real one.
    if session.in_nested_transaction() or not session.info.pop(_PENDING, False):
        return
    try:
        erase(session.get_bind())
    except Exception:  # noqa: BLE001
        log.exception("erasing deleted ballots from the database files failed")


def _on_rollback(session) -> None:
    # A savepoint rolled back may have undone the deletes or not: keep the request then
    # (erasing with nothing deleted costs a little, missing a close leaves ballots on disk).
    if not session.in_nested_transaction():
        session.info.pop(_PENDING, None)


def init_app(app) -> None:
    with app.app_context():
        factory = db.session.session_factory
    if not event.contains(factory, "after_commit", _on_commit):
        event.listen(factory, "after_commit", _on_commit)
        event.listen(factory, "after_rollback", _on_rollback)
