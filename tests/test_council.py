"""The council: quorum, secret ballots, thresholds at their boundary, tallies, minutes."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from dossier import audit
from dossier.council import operations as ops
from dossier.council.models import BallotReceipt, Recusal, SealedBallot
from dossier.council.thresholds import passes
from dossier.enums import NomineeStatus, Role
from dossier.errors import DomainError
from dossier.extensions import db
from tests import builders as b
from tests.council_builders import meeting


def _vote_all(m, users, agree=True):
    for u in users:
        ops.cast(u, m, votes={r.nominee_id: agree for r in ops.rows(m)})
    db.session.commit()


@pytest.mark.parametrize(
    "agree,base,pct,strict,expected",
    [
        (27, 30, 90, False, True),
        (26, 30, 90, False, False),  # "từ 90% trở lên"
        (24, 30, 80, False, True),
        (23, 30, 80, False, False),
        (21, 30, 70, False, True),
        (20, 30, 70, False, False),
        (16, 30, 50, True, True),
        (15, 30, 50, True, False),  # "trên 50%"
        (7, 10, 70, False, True),
        (0, 0, 50, True, False),
    ],
)
def test_threshold_boundaries_in_integers(agree, base, pct, strict, expected):
    assert passes(agree, base, pct, strict) is expected


def test_quorum_two_thirds_is_met_at_8_of_12(app):
    m, _, chair, *_ = meeting(present=8, size=12, open_=False)  # 8 * 3 = 24 >= 24
    assert ops.quorum(m) == (8, 12, True)
    ops.open_vote(chair, m, version=m.version)
    assert m.state == "open"


def test_quorum_is_missed_at_7_of_12(app):
    m, _, chair, *_ = meeting(present=7, size=12, open_=False)
    with pytest.raises(DomainError, match="Chưa đủ số thành viên dự họp: có mặt 7/12"):
        ops.open_vote(chair, m, version=m.version)


def test_only_the_chair_opens_and_closes(app):
    m, _, chair, secretary, members = meeting(open_=False)
    with pytest.raises(DomainError, match="Chủ tịch"):
        ops.open_vote(members[0], m, version=m.version)
    ops.open_vote(chair, m, version=m.version)
    with pytest.raises(DomainError, match="Chủ tịch"):
        ops.close_vote(secretary, m, version=m.version)


def test_open_vote_passes_above_half_of_those_present(app):
    """LĐTT: open vote, "trên 50%" of members present (10 present): 6 passes, 5 fails."""
    m, d, chair, secretary, members = meeting(
        present=10, size=12, people=[("Lê Thị An", "LDTT"), ("Lê Văn Bình", "LDTT")]
    )
    voters = [chair, secretary, *members[:8]]
    a, bnom = sorted(ops.rows(m), key=lambda r: r.name)
    for i, u in enumerate(voters):
        ops.cast(u, m, votes={a.nominee_id: i < 6, bnom.nominee_id: i < 5})
    db.session.commit()
    results = {r.nominee_id: r for r in ops.close_vote(chair, m, version=m.version)}
    assert (results[a.nominee_id].agree, results[a.nominee_id].base) == (6, 10)
    assert results[a.nominee_id].passed and not results[bnom.nominee_id].passed


def test_secret_ballot_of_cstdcs_needs_70_percent_of_all_members(app):
    """CSTĐCS: secret, from 70% of ALL 10 members: 7 passes even if 2 were absent."""
    people = [("Võ Thị Hạnh", "CSTDCS"), ("Võ Thị Hạnh", "LDTT")] + [
        (f"Phan Văn Ai{i}", "LDTT") for i in range(8)
    ]
    m, d, chair, secretary, members = meeting(present=8, size=10, people=people, forms=("LDTT",))
    target = next(r for r in ops.rows(m) if r.form_code == "CSTDCS")
    present = [chair, secretary, *members[:6]]
    for i, u in enumerate(present):
        ops.cast(u, m, votes={target.nominee_id: i < 7})
    db.session.commit()
    result = next(
        r for r in ops.close_vote(chair, m, version=m.version) if r.nominee_id == target.nominee_id
    )
    assert (result.agree, result.base, result.passed) == (7, 10, True)


def test_each_member_votes_once_and_a_second_ballot_changes_nothing(app):
    m, d, chair, secretary, members = meeting()
    _vote_all(m, [members[0]])
    with pytest.raises(DomainError, match="chỉ bỏ phiếu một lần"):
        ops.cast(members[0], m, votes={r.nominee_id: False for r in ops.rows(m)})
    db.session.rollback()
    assert db.session.query(SealedBallot).count() == len(ops.rows(m))


def test_refusals_change_nothing(app):
    m, d, chair, secretary, members = meeting(present=11, size=12)
    absent = members[-1]
    rows = ops.rows(m)
    outsider = b.user(Role.OFFICE)
    cases = [
        (outsider, {rows[0].nominee_id: True}, "không có quyền"),
        (absent, {rows[0].nominee_id: True}, "Chỉ thành viên có mặt"),
        (members[0], {999999: True}, "không thuộc danh sách"),
        (members[0], {}, "Chưa chọn"),
    ]
    for user, votes, message in cases:
        with pytest.raises(DomainError, match=message):
            ops.cast(user, m, votes=votes)
        db.session.rollback()
    assert db.session.query(BallotReceipt).count() == 0
    ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    with pytest.raises(DomainError, match="không mở"):
        ops.cast(members[1], m, votes={rows[0].nominee_id: True})


def test_no_vote_on_oneself_and_recusals_are_recorded(app):
    m, d, chair, secretary, members = meeting()
    nominee = d.nominees[0]
    member = members[0]
    member.staff_id = nominee.staff_id  # the member is the nominee
    db.session.commit()
    with pytest.raises(DomainError, match="chính mình"):
        ops.cast(member, m, votes={nominee.id: True})
    db.session.rollback()
    other = next(r for r in ops.rows(m) if r.nominee_id != nominee.id)
    ops.cast(members[1], m, votes={}, recusals={other.nominee_id: "Cùng đơn vị"})
    db.session.commit()
    (recusal,) = db.session.scalars(select(Recusal)).all()
    assert recusal.reason == "Cùng đơn vị" and other.nominee_id not in ops.still_to_vote(
        m, members[1].id
    )
    with pytest.raises(DomainError, match="lý do"):
        ops.cast(members[2], m, votes={}, recusals={other.nominee_id: " "})


def test_paper_tally_refuses_impossible_counts(app):
    m, d, chair, secretary, members = meeting(present=10)
    nid = ops.rows(m)[0].nominee_id
    for numbers in [
        dict(issued=11, returned=10, valid=10, agree=9),  # issued > present
        dict(issued=10, returned=11, valid=10, agree=9),  # returned > issued
        dict(issued=10, returned=10, valid=11, agree=9),
        dict(issued=10, returned=10, valid=9, agree=10),
        dict(issued=10, returned=10, valid=9, agree=-1),
    ]:
        with pytest.raises(DomainError):
            ops.enter_paper_tally(secretary, m, nominee_id=nid, **numbers)
        db.session.rollback()
    with pytest.raises(DomainError, match="Thư ký"):
        ops.enter_paper_tally(
            members[0], m, nominee_id=nid, issued=10, returned=10, valid=9, agree=8
        )
    db.session.rollback()
    ops.enter_paper_tally(secretary, m, nominee_id=nid, issued=10, returned=10, valid=9, agree=8)
    db.session.commit()
    with pytest.raises(DomainError, match="phiếu giấy"):
        ops.cast(members[0], m, votes={nid: True})
    db.session.rollback()
    result = next(r for r in ops.close_vote(chair, m, version=m.version) if r.nominee_id == nid)
    assert (result.method, result.agree, result.valid, result.passed) == ("paper", 8, 9, True)


def test_written_view_of_an_absent_member_counts(app):
    """The issue's case: 5 agree of 11 present plus 1 written view is 6 of 12, not "54,5%":
    the written view is in the base as well, and "trên 50%" is not reached."""
    m, d, chair, secretary, members = meeting(present=11, size=12)
    absent = members[-1]
    rows = ops.rows(m)
    with pytest.raises(DomainError, match="vắng mặt"):
        ops.record_written(secretary, m, member_id=members[0].id, votes={rows[0].nominee_id: 1})
    db.session.rollback()
    ops.record_written(secretary, m, member_id=absent.id, votes={r.nominee_id: True for r in rows})
    present = [chair, secretary, *members[:-1]]
    for i, u in enumerate(present):
        ops.cast(u, m, votes={r.nominee_id: i < 5 for r in rows})
    db.session.commit()
    result = ops.close_vote(chair, m, version=m.version)[0]
    assert (result.agree, result.returned, result.issued, result.base) == (6, 12, 12, 12)
    assert not result.passed  # 6 * 100 > 50 * 12 is false


def test_close_sets_outcomes_and_moves_dossiers_reopen_needs_a_reason(app):
    m, d, chair, secretary, members = meeting()
    _vote_all(m, [chair, secretary, *members[:6]])  # 8 of 12 present agree: > 50%
    ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    assert d.state == "decided"
    assert {n.status for n in d.nominees} == {NomineeStatus.APPROVED}
    with pytest.raises(DomainError, match="lý do"):
        ops.reopen_vote(chair, m, version=m.version, reason="")
    db.session.rollback()
    ops.reopen_vote(chair, m, version=m.version, reason="Thành viên báo nhầm phiếu giấy.")
    db.session.commit()
    assert d.state == "council" and {n.status for n in d.nominees} == {NomineeStatus.PROPOSED}
    assert m.round == 2
    _vote_all(m, [chair, secretary, *members])  # a new round: everyone present votes again
    results = ops.close_vote(chair, m, version=m.version)
    assert results[0].agree == 12 and results[0].returned == 12 and results[0].round == 2
    assert [r.round for r in ops.history(m)] == [1] * len(ops.rows(m))  # superseded, kept
    events = [e.action for e in audit.timeline("meeting", m.id)]
    assert events.count("vote_closed") == 2 and "vote_reopened" in events


def test_running_counts_are_sealed(app, as_user):
    m, d, chair, secretary, members = meeting()
    _vote_all(m, [members[0], members[1]], agree=True)
    for user in (chair, b.user(Role.OFFICE)):
        html = as_user(user).get(f"/hoi-dong/{m.id}").get_data(as_text=True)
        assert "đã có <strong>2</strong> thành viên bỏ phiếu" in html
        assert "Đồng ý</th>" not in html.split('data-testid="list"')[-1]
        assert as_user(user).get(f"/hoi-dong/{m.id}/bien-ban.pdf").status_code == 302


def test_stored_data_cannot_join_a_ballot_to_its_voter(app):
    """Who voted and what was voted share no column beyond meeting and nominee, no order,
    no time; the value is sealed; the individual ballots are gone after the count."""
    m, d, chair, secretary, members = meeting()
    _vote_all(m, [members[0]], agree=True)
    _vote_all(m, [members[1]], agree=False)
    insp = inspect(db.session.connection())  # the test's own connection: its schema
    receipt_cols = {c["name"] for c in insp.get_columns("council_ballot_receipt")}
    ballot_cols = {c["name"] for c in insp.get_columns("council_sealed_ballot")}
    assert receipt_cols & ballot_cols == {"meeting_id", "nominee_id"}
    assert not {c for c in receipt_cols | ballot_cols if "time" in c or c.endswith("_at")}
    assert "id" not in receipt_cols and "member_id" not in ballot_cols
    assert insp.get_pk_constraint("council_sealed_ballot")["constrained_columns"] == ["token"]
    assert set(insp.get_pk_constraint("council_ballot_receipt")["constrained_columns"]) == {
        "meeting_id",
        "member_id",
        "nominee_id",
        "round",
    }  # no surrogate id that would show order
    tokens = db.session.scalars(select(SealedBallot.token)).all()
    assert len(set(tokens)) == len(tokens) and all(len(t) == 32 for t in tokens)
    blobs = db.session.scalars(select(SealedBallot.sealed)).all()
    assert len({len(x) for x in blobs}) == 1  # an agree and a disagree look alike
    assert len(set(blobs)) == len(blobs)  # even two agrees never repeat (random nonce)
    for event in audit.timeline("meeting", m.id):
        assert "agree" not in (event.data or "") and "True" not in (event.data or "")
    ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    assert db.session.query(SealedBallot).count() == 0
    assert db.session.query(BallotReceipt).count() == 2 * len(ops.rows(m))


def test_members_see_what_they_still_have_to_vote_on(app, as_user):
    m, d, chair, secretary, members = meeting()
    home = as_user(members[0]).get("/").get_data(as_text=True)
    assert "Bỏ phiếu:" in home and f"Còn {len(ops.rows(m))} người" in home
    _vote_all(m, [members[0]])
    assert "Bỏ phiếu:" not in as_user(members[0]).get("/").get_data(as_text=True)
    assert "Đóng biểu quyết khi đủ phiếu" in as_user(chair).get("/").get_data(as_text=True)


def test_navigation_shows_the_task_count(app, as_user):
    m, d, chair, secretary, members = meeting()
    html = as_user(members[0]).get("/dot-thi-dua/").get_data(as_text=True)
    assert 'data-testid="task-count">1<' in html
