"""Secret ballots in storage: nothing the database keeps pairs a member with a value, even for
someone who holds the key; after closing, the ballots are gone from the database files too.

The attacker modelled here reads the database (any column, SQLite's rowid, PostgreSQL's
xmin/ctid, the raw files) and also holds the ballot key (ballot_box._key).
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from dossier.council import ballot_box, erasure
from dossier.council import operations as ops
from dossier.council.models import SealedBallot
from dossier.enums import Role
from dossier.extensions import db
from tests import builders as b
from tests.council_builders import meeting

TWO = [("Lê Thị An", "LDTT"), ("Trần Văn Bình", "LDTT")]

# The raw files and the WAL checkpoint need commits that really happen (a test's rolled-back
# transaction keeps a reader open, so the checkpoint never finishes and nothing reaches disk).
pytestmark = pytest.mark.real_db


def _dialect() -> str:
    return db.engine.dialect.name


def _cast(m, user, votes: dict[int, bool]) -> None:
    ops.cast(user, m, votes=votes)
    db.session.commit()


def _ballots(meeting_id: int) -> list[tuple[str, int, bytes]]:
    return [
        tuple(r)
        for r in db.session.execute(
            select(SealedBallot.token, SealedBallot.nominee_id, SealedBallot.sealed).where(
                SealedBallot.meeting_id == meeting_id
            )
        )
    ]


def _three_votes():
    """3 members, 2 nominees, every member's ballot different from the others'."""
    m, d, chair, secretary, members = meeting(people=TWO)
    a, bn = sorted(r.nominee_id for r in ops.rows(m))
    votes = {
        members[0].id: {a: True, bn: False},
        members[1].id: {a: False, bn: True},
        members[2].id: {a: True, bn: True},
    }
    return m, chair, members[:3], (a, bn), votes


def test_no_rowid_or_transaction_mark_pairs_a_member_with_a_ballot(app):
    m, chair, voters, (a, bn), votes = _three_votes()
    for user in voters:
        _cast(m, user, votes[user.id])
    if _dialect() == "sqlite":
        # An ordinary SQLite table numbers its rows in insertion order: a receipt and the
        # ballot written with it would share their rank. These tables have no such number.
        for table in ("council_ballot_receipt", "council_sealed_ballot"):
            sql = db.session.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}
            )
            assert "WITHOUT ROWID" in sql
            with pytest.raises(OperationalError, match="rowid"):
                db.session.execute(text(f"SELECT rowid FROM {table}"))
            db.session.rollback()
    else:
        receipts = db.session.execute(
            text("SELECT xmin::text, member_id FROM council_ballot_receipt")
        ).all()
        sealed = db.session.execute(
            text("SELECT xmin::text, ctid::text, nominee_id FROM council_sealed_ballot")
        ).all()
        for member_id in votes:
            (txn,) = {x for x, mid in receipts if mid == member_id}  # the member's transaction
            for nid in (a, bn):
                of_nominee = [s for s in sealed if s.nominee_id == nid]
                marked = [s for s in of_nominee if s.xmin == txn]
                assert len(of_nominee) == 3
                # Either none of the nominee's ballots was written by this member's
                # transaction, or all of them were: the member's own cannot be told apart.
                assert marked == [] or len(marked) == len(of_nominee), (member_id, nid, sealed)
    # With the key, the stored values are the three ballots, and that is all one learns.
    opened = Counter(
        (nid, ballot_box.open_ballot(m.id, nid, blob)) for _, nid, blob in _ballots(m.id)
    )
    assert opened == Counter((nid, v[nid]) for v in votes.values() for nid in (a, bn))


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[pos + i]
        if i == 8:
            return (value << 8) | byte, pos + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    raise AssertionError("unreachable")


def _record(payload: bytes) -> list:
    """Decode an SQLite record (https://sqlite.org/fileformat.html#record_format)."""
    header_size, pos = _varint(payload, 0)
    types = []
    while pos < header_size:
        serial, pos = _varint(payload, pos)
        types.append(serial)
    values, body = [], header_size
    widths = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}
    for serial in types:
        width = widths.get(serial, (serial - 12) // 2 if serial >= 12 else 0)
        raw = payload[body : body + width]
        if 1 <= serial <= 6:
            values.append(int.from_bytes(raw, "big", signed=True))
        elif serial in (8, 9):
            values.append(serial - 8)
        else:
            values.append(raw)
        body += width
    return values


def _sqlite_writing_order(table: str) -> list[list]:
    """The rows of a one-page SQLite table in the order they were written.

    Rows are found in key order through the page's cell pointers, but each row's bytes are
    placed below the previous one's: a cell's offset in the page tells when it was written.
    """
    db.session.commit()  # the test's own transaction would hold the checkpoint back
    erasure.erase(db.engine)  # checkpoint: the pages into the main file
    data = Path(db.engine.url.database).read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    root = db.session.scalar(
        text("SELECT rootpage FROM sqlite_master WHERE name = :t"), {"t": table}
    )
    start = (root - 1) * page_size
    assert data[start] == 0x0A, "expected one leaf page of a table without rowid"
    cells = int.from_bytes(data[start + 3 : start + 5], "big")
    rows = []
    for i in range(cells):
        offset = int.from_bytes(data[start + 8 + 2 * i : start + 10 + 2 * i], "big")
        size, pos = _varint(data, start + offset)
        rows.append((offset, _record(data[pos : pos + size])))
    return [values for _, values in sorted(rows, key=lambda r: r[0], reverse=True)]


def _heap_order(table: str) -> list[int]:
    """PostgreSQL: nominee ids in heap order (ctid = page, slot), the order rows were added."""
    rows = db.session.execute(text(f"SELECT ctid::text, nominee_id FROM {table}")).all()
    ctid = lambda r: tuple(map(int, r[0][1:-1].split(",")))  # noqa: E731
    return [nid for _, nid in sorted(rows, key=ctid)]


@pytest.mark.real_db
def test_rows_are_written_in_a_random_order(app):
    """No writing order to match: a member's receipts and the ballots are each shuffled."""
    people = [(f"Nguyễn Văn Người{i}", "LDTT") for i in range(20)]
    m, d, chair, secretary, members = meeting(people=people)
    nominees = sorted(r.nominee_id for r in ops.rows(m))
    _cast(m, members[0], {nid: nid % 2 == 0 for nid in nominees})
    if _dialect() == "sqlite":
        # Both tables store (key columns first) nominee_id as their third value.
        receipts = [v[2] for v in _sqlite_writing_order("council_ballot_receipt")]
        ballots = [v[2] for v in _sqlite_writing_order("council_sealed_ballot")]
    else:
        receipts = _heap_order("council_ballot_receipt")
        ballots = _heap_order("council_sealed_ballot")
    assert sorted(receipts) == sorted(ballots) == nominees
    # Each order is one of 20! shuffles: equal to another by chance with p = 1/20! ≈ 4e-19.
    assert receipts != nominees and ballots != nominees and receipts != ballots


def test_each_vote_seals_the_nominees_ballots_anew(app):
    """Two copies of the database taken at different times share no ciphertext or token."""
    m, chair, voters, (a, bn), votes = _three_votes()
    seen_tokens, seen_blobs = set(), set()
    for k, user in enumerate(voters, start=1):
        _cast(m, user, votes[user.id])
        rows = _ballots(m.id)
        assert Counter(nid for _, nid, _ in rows) == {a: k, bn: k}
        tokens, blobs = {t for t, _, _ in rows}, {s for _, _, s in rows}
        assert not tokens & seen_tokens and not blobs & seen_blobs
        seen_tokens |= tokens
        seen_blobs |= blobs
    results = {r.nominee_id: r.agree for r in ops.close_vote(chair, m, version=m.version)}
    assert results == {a: 2, bn: 2}


def test_a_vote_on_some_nominees_reseals_only_theirs(app):
    m, chair, voters, (a, bn), votes = _three_votes()
    _cast(m, voters[0], votes[voters[0].id])
    before = {nid: blob for _, nid, blob in _ballots(m.id)}
    _cast(m, voters[1], {a: False})
    after = _ballots(m.id)
    assert [blob for _, nid, blob in after if nid == bn] == [before[bn]]
    assert before[a] not in {blob for _, nid, blob in after if nid == a}
    assert Counter(nid for _, nid, _ in after) == {a: 2, bn: 1}


# --- after closing: the files ---------------------------------------------------------------


def _database_files() -> list[Path]:
    """The files holding the tables (PostgreSQL: this database's directory, flushed first)."""
    if _dialect() == "sqlite":
        main = Path(db.engine.url.database)
        return [p for p in (main, Path(f"{main}-wal")) if p.exists()]
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("CHECKPOINT")  # dirty pages to the files
        data = conn.exec_driver_sql("SHOW data_directory").scalar()
        oid = conn.exec_driver_sql(
            "SELECT oid FROM pg_database WHERE datname = current_database()"
        ).scalar()
    base = Path(data) / "base" / str(oid)
    if not os.access(base, os.R_OK):
        pytest.skip(f"the PostgreSQL server's files ({base}) are not readable here")
    return [p for p in base.iterdir() if p.is_file()]


def _found(blobs: set[bytes]) -> set[bytes]:
    contents = [p.read_bytes() for p in _database_files()]
    return {blob for blob in blobs if any(blob in c for c in contents)}


@pytest.mark.real_db
@pytest.mark.parametrize("savepoint", [False, True], ids=["plain", "in-a-savepoint"])
def test_closing_erases_the_ballots_from_the_database_files(app, savepoint):
    """The act view closes the vote inside a savepoint (errors.acting): releasing it is not
    the commit, so the erasure waits for the request's own commit."""
    m, chair, voters, (a, bn), votes = _three_votes()
    ever: set[bytes] = set()  # every ciphertext any vote wrote, re-sealed ones included
    for user in voters:
        _cast(m, user, votes[user.id])
        ever |= {blob for _, _, blob in _ballots(m.id)}
    # A second meeting's open vote keeps live ballots in the same table and pages.
    office = b.user(Role.OFFICE)
    other = ops.create_meeting(
        office, m.campaign, held_on=date.today(), place="Phòng họp tầng 3", guests=None
    )
    ops.set_attendance(
        office, other, version=other.version, present_ids={x.member_id for x in m.attendance}
    )
    ops.open_vote(chair, other, version=other.version)
    db.session.commit()
    _cast(other, voters[0], {a: True, bn: False})
    kept = {blob for _, _, blob in _ballots(other.id)}
    if _dialect() == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE council_sealed_ballot")  # as autovacuum would
    current = {blob for _, _, blob in _ballots(m.id)}
    assert _found(current) == current  # the search finds ballots where they are
    db.session.commit()

    if savepoint:
        with db.session.begin_nested():  # what acting() wraps every act in
            ops.close_vote(chair, m, version=m.version)
    else:
        ops.close_vote(chair, m, version=m.version)
    db.session.commit()  # the erasure runs after this commit

    assert _found(ever) == set()
    assert _found(kept) == kept  # the other meeting's ballots are intact
    assert {blob for _, _, blob in _ballots(other.id)} == kept
