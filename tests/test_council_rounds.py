"""Rounds (issue 14): reopening starts a new round for everyone present; no published result
comes from fewer than the minimum of ballots, so close / reopen / close reveals nothing."""

from __future__ import annotations

import io

import pdfplumber

from dossier.council import operations as ops
from dossier.council.minutes import minutes_data
from dossier.council.minutes_pdf import render
from dossier.enums import NomineeStatus
from dossier.extensions import db
from tests.council_builders import meeting

PEOPLE = [("Lê Thị An", "LDTT"), ("Trần Văn Bình", "LDTT"), ("Phạm Thị Cúc", "LDTT")]


def _totals(results) -> dict[int, tuple]:
    return {r.nominee_id: (r.withheld, r.valid, r.agree) for r in results}


def test_the_reopen_attack_learns_nothing(app, as_user):
    """12 vote, the chair closes, reopens, the 13th votes, the chair closes again."""
    m, d, chair, secretary, members = meeting(present=13, size=13, people=PEOPLE)
    everyone = [chair, secretary, *members]
    twelve, thirteenth = everyone[:12], everyone[12]
    nominees = sorted(r.nominee_id for r in ops.rows(m))
    for i, u in enumerate(twelve):
        ops.cast(u, m, votes={nid: (i + k) % 3 != 0 for k, nid in enumerate(nominees)})
    db.session.commit()
    first = _totals(ops.close_vote(chair, m, version=m.version))
    db.session.commit()
    ops.reopen_vote(chair, m, version=m.version, reason="Một thành viên đến muộn.")
    db.session.commit()
    # The new round needs everyone: the 13th is not added to the 12 ballots counted before.
    assert ops.still_to_vote(m, twelve[0].id) == set(nominees)
    assert ops.progress(m) == {"voters": 0, "per_nominee": {}}
    ops.cast(thirteenth, m, votes={nid: True for nid in nominees})
    db.session.commit()
    second = ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    # Nothing from one ballot is published: no totals to difference against the first round.
    assert all(r.withheld and (r.valid, r.agree) == (0, 0) for r in second)
    assert all(r.returned == 1 for r in second)  # who voted is not secret; how is
    assert {n.status for n in d.nominees} == {NomineeStatus.REJECTED}
    # The first round is superseded, its totals kept (history), never mixed with round 2.
    assert _totals(ops.history(m)) == first
    html = as_user(chair).get(f"/hoi-dong/{m.id}").get_data(as_text=True)
    assert 'data-testid="withheld"' in html and 'data-testid="history"' in html


def _published(thirteenth_agrees: bool):
    """The attack, then everything it publishes: both rounds' results and the minutes."""
    conn = db.session.get_bind()
    run = conn.begin_nested()
    try:
        m, d, chair, secretary, members = meeting(present=13, size=13, people=PEOPLE)
        everyone = [chair, secretary, *members]
        nominees = sorted(r.nominee_id for r in ops.rows(m))
        for i, u in enumerate(everyone[:12]):
            ops.cast(u, m, votes={nid: (i + k) % 3 != 0 for k, nid in enumerate(nominees)})
        db.session.commit()
        ops.close_vote(chair, m, version=m.version)
        ops.reopen_vote(chair, m, version=m.version, reason="Một thành viên đến muộn.")
        db.session.commit()
        ops.cast(everyone[12], m, votes={nid: thirteenth_agrees for nid in nominees})
        db.session.commit()
        ops.close_vote(chair, m, version=m.version)
        db.session.commit()
        order = {nid: k for k, nid in enumerate(nominees)}  # ids differ between the runs
        results = sorted(
            (r.round, order[r.nominee_id], r.issued, r.returned, r.valid, r.agree, r.base)
            + (r.passed, r.withheld)
            for r in m.results
        )
        data = minutes_data(m)
        printed = [
            (x.issued, x.returned, x.valid, x.agree, x.base, x.percent, x.passed, x.withheld)
            for x in data.results
        ]
        history = [
            (h.round, h.issued, h.returned, h.valid, h.agree, h.percent, h.passed, h.withheld)
            for h in data.history
        ]
        return results, printed, history, {n.status for n in d.nominees}
    finally:
        db.session.remove()
        run.rollback()


def test_the_thirteenth_vote_changes_nothing_published(app):
    """Whatever the 13th member chose, the attack publishes exactly the same numbers."""
    assert _published(True) == _published(False)


def test_a_full_new_round_replaces_the_old_one(app):
    m, d, chair, secretary, members = meeting(present=12, size=12, people=PEOPLE[:1])
    (row,) = ops.rows(m)
    everyone = [chair, secretary, *members]
    for i, u in enumerate(everyone):
        ops.cast(u, m, votes={row.nominee_id: i < 5})  # 5 of 12: "trên 50%" fails
    db.session.commit()
    (r1,) = ops.close_vote(chair, m, version=m.version)
    assert (r1.agree, r1.passed, r1.round) == (5, False, 1)
    ops.reopen_vote(chair, m, version=m.version, reason="Thành viên xin biểu quyết lại.")
    db.session.commit()
    for i, u in enumerate(everyone):
        ops.cast(u, m, votes={row.nominee_id: i < 9})
    db.session.commit()
    (r2,) = ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    assert (r2.agree, r2.returned, r2.issued, r2.passed, r2.round) == (9, 12, 12, True, 2)
    assert m.current_results == [r2] and ops.history(m) == [r1]
    data = minutes_data(m)
    assert data.round == 2 and [(h.round, h.agree) for h in data.history] == [(1, 5)]
    with pdfplumber.open(io.BytesIO(render(data))) as pdf:
        flat = " ".join((p.extract_text() or "") for p in pdf.pages).replace("\n", " ")
    assert "Kết quả biểu quyết (lần 2, sau khi mở lại)" in flat
    assert "Kết quả các lần biểu quyết trước" in flat
    assert "Lần 1: Lê Thị An" in flat and "đồng ý 5 (41,6%), không đạt" in flat
    assert "mở lại việc biểu quyết (lần 1), lý do: Thành viên xin biểu quyết lại" in flat


def test_a_withheld_result_is_printed_as_such(app):
    m, d, chair, secretary, members = meeting(present=12, size=12, people=PEOPLE[:1])
    (row,) = ops.rows(m)
    ops.cast(members[0], m, votes={row.nominee_id: True})
    ops.cast(members[1], m, votes={row.nominee_id: False})
    db.session.commit()
    (r,) = ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    assert r.withheld and not r.passed and (r.returned, r.valid, r.agree) == (2, 0, 0)
    with pdfplumber.open(io.BytesIO(render(minutes_data(m)))) as pdf:
        flat = " ".join((p.extract_text() or "") for p in pdf.pages).replace("\n", " ")
    assert "Không công bố" in flat and "dưới 3 phiếu hợp lệ" in flat
