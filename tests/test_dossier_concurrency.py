"""Two people acting on one dossier at the same moment: one wins, nothing is doubled or lost."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from dossier.audit import AuditEvent, verify
from dossier.extensions import db
from dossier.nominations.models import Dossier, Snapshot
from tests.flow_builders import ready_dossier

# Threads race on real transactions: each commit must be seen by the others.
pytestmark = pytest.mark.real_db


def _race(clients, calls):
    """Run each call(client) in its own thread, released together by a barrier."""
    db.session.commit()  # the test's own transaction must not hold SQLite's write lock
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i):
        barrier.wait()
        results[i] = calls[i](clients[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_submits_at_once_give_one_submission(app, as_user):
    d, head = ready_dossier()
    clients = [as_user(head), as_user(head)]
    tokens = [c.token(f"/ho-so/{d.id}") for c in clients]
    version, url = d.version, f"/ho-so/{d.id}/thao-tac/submit"

    def submit(i):
        return lambda c: c.client.post(
            url, data={"csrf_token": tokens[i], "version": version}, follow_redirects=True
        )

    responses = _race(clients, [submit(0), submit(1)])
    pages = [r.get_data(as_text=True) for r in responses]
    assert sum("Đã nộp hồ sơ cho Văn phòng Sở." in p for p in pages) == 1
    assert sum(("người khác" in p) or ("đang ở trạng thái «Đã nộp»" in p) for p in pages) == 1
    db.session.expire_all()
    fresh = db.session.get(Dossier, d.id)
    assert fresh.state == "submitted" and fresh.revision == 1
    assert (
        db.session.scalar(
            select(func.count()).select_from(Snapshot).where(Snapshot.dossier_id == d.id)
        )
        == 1
    )
    submits = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.object_id == d.id, AuditEvent.action == "submit")
    )
    assert submits == 1
    assert verify()[1] is None


def test_two_editors_second_save_gets_a_conflict(app, as_user):
    d, head = ready_dossier()
    first, second = as_user(head), as_user(head)
    version = d.version  # both opened the page at this version
    r1 = first.post(
        f"/ho-so/{d.id}/to-trinh",
        {"version": version, "number": "20/TTr-QLKH", "signer": "Người A"},
        follow_redirects=True,
    )
    assert "Đã lưu tờ trình." in r1.get_data(as_text=True)
    r2 = second.post(
        f"/ho-so/{d.id}/to-trinh",
        {"version": version, "number": "21/TTr-QLKH", "signer": "Người B"},
        follow_redirects=True,
    )
    assert "vừa được người khác cập nhật" in r2.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, d.id).letter_number == "20/TTr-QLKH"


def test_concurrent_edits_lose_nothing(app, as_user):
    """Two saves with the right versions in a row both land; the audit chain stays whole."""
    d, head = ready_dossier()
    clients = [as_user(head), as_user(head)]
    tokens = [c.token(f"/ho-so/{d.id}") for c in clients]
    version, url = d.version, f"/ho-so/{d.id}/to-trinh"

    def save(i):
        return lambda c: c.client.post(
            url,
            data={
                "csrf_token": tokens[i],
                "version": version,
                "number": f"{30 + i}/TTr-QLKH",
                "signer": "X",
            },
            follow_redirects=True,
        )

    pages = [r.get_data(as_text=True) for r in _race(clients, [save(0), save(1)])]
    assert sum("Đã lưu tờ trình." in p for p in pages) == 1
    assert sum("người khác" in p for p in pages) == 1
    assert verify()[1] is None
