"""Substitution: a named substitute for a dated period sees and acts on the delegated tasks,
and the audit trail names both people."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dossier import timeutil
from dossier.access import Action, can
from dossier.audit import AuditEvent, verify
from dossier.decisions.models import Decision
from dossier.enums import CouncilPosition, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.nominations import operations as dossier_ops
from dossier.nominations.models import Dossier
from dossier.org import delegation as ops
from dossier.org.models import Delegation
from dossier.states import DecisionTrigger
from dossier.workflow import allowed
from tests import builders as b
from tests import dossier_builders as db_
from tests.delegation_builders import TODAY, at, name, nothing_saved
from tests.delegation_builders import office as office  # the fixture
from tests.intake_builders import submitted


@pytest.mark.parametrize(
    "change, message",
    [
        ({"substitute": "self"}, "Không thể tự giao việc làm thay cho chính mình."),
        (
            {"end": TODAY - timedelta(days=0), "start": TODAY + timedelta(days=2)},
            "Ngày kết thúc (ngày 01 tháng 12 năm 2026) phải từ ngày bắt đầu (ngày 03 tháng 12 năm "
            "2026) trở đi.",
        ),
        ({"start": TODAY - timedelta(days=1)}, "Ngày bắt đầu không được trước hôm nay"),
        ({"end": TODAY + timedelta(days=400)}, "Thời gian làm thay dài nhất là 366 ngày."),
        ({"reason": "   "}, "Hãy ghi lý do vắng mặt"),
        ({"substitute": None}, "Hãy chọn người làm thay."),
    ],
)
def test_bad_periods_are_refused_and_change_nothing(office, change, message):
    chief, deputy = office
    substitute = (
        {"self": chief, None: None}.get(change.get("substitute"), deputy)
        if "substitute" in change
        else deputy
    )
    with pytest.raises(DomainError) as err:
        ops.create(
            chief,
            delegator=chief,
            substitute=substitute,
            starts_on=change.get("start", TODAY),
            ends_on=change.get("end", TODAY + timedelta(days=3)),
            reason=change.get("reason", "Nghỉ phép"),
        )
    assert message in err.value.message
    db.session.rollback()
    nothing_saved()


def test_inactive_substitute_overlap_and_council_only_are_refused(office):
    chief, deputy = office
    deputy.active = False
    with pytest.raises(DomainError, match="đã bị vô hiệu hóa"):
        name(chief, deputy)
    deputy.active = True
    name(chief, deputy)
    other = b.user(None)
    with pytest.raises(DomainError, match="thời gian trùng nhau"):
        name(chief, other, start=TODAY + timedelta(days=4), end=TODAY + timedelta(days=8))
    member = b.user(Role.COUNCIL, position=CouncilPosition.MEMBER, year=2026)
    with pytest.raises(DomainError, match="không có vai trò nào giao làm thay được"):
        name(member, other)


def test_rights_hold_exactly_over_the_period_and_not_the_council(office):
    chief, deputy = office
    from dossier.org.models import RoleAssignment

    # the chief also sits on the council: that seat is personal
    chief.roles.append(RoleAssignment(role=Role.COUNCIL, council_position="standing", year=2026))
    db.session.commit()
    name(chief, deputy, start=TODAY + timedelta(days=2), end=TODAY + timedelta(days=4))
    for day, expected in [
        (TODAY + timedelta(days=1), False),
        (TODAY + timedelta(days=2), True),
        (TODAY + timedelta(days=4), True),
        (TODAY + timedelta(days=5), False),
    ]:
        at(day, 23)
        assert deputy.has_role(Role.OFFICE) is expected, day
        assert bool(can(deputy, Action.REVIEW_DOSSIER)) is expected, day
        assert deputy.council_position() is None  # never a vote through substitution
    at(TODAY + timedelta(days=3))
    assert [r.role for r in deputy.own_roles()] == []


def test_substitute_acts_and_the_audit_names_both(office, as_user):
    chief, deputy = office
    campaign = db_.campaign()
    d, _ = submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    stranger = b.user(None)
    db.session.commit()
    assert as_user(deputy).get(f"/ho-so/{d.id}").status_code == 403  # before: nothing
    name(chief, deputy)
    client = as_user(deputy)
    page = client.get(f"/ho-so/{d.id}")
    assert page.status_code == 200
    resp = client.post(
        f"/ho-so/{d.id}/thao-tac/accept",
        {"version": d.version},
        page=f"/ho-so/{d.id}",
        follow_redirects=True,
    )
    assert "Đã tiếp nhận hồ sơ." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, d.id).state == "accepted"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accept"))
    assert event.actor_id == deputy.id
    assert event.actor_name == "Trần Thị Bình, Phó Chánh Văn phòng"
    assert event.on_behalf_of == "Chánh Văn phòng Lê Văn An"
    timeline = client.get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert "Trần Thị Bình, Phó Chánh Văn phòng</strong>, thay Chánh Văn phòng Lê Văn An" in timeline
    assert verify()[1] is None
    # the chief's own acts stay the chief's alone; a stranger still has nothing
    assert as_user(stranger).get(f"/ho-so/{d.id}").status_code == 403
    d2, _ = submitted(campaign, [("Phan Văn Tùng", "LDTT")])
    dossier_ops.accept(chief, d2, version=d2.version)
    db.session.commit()
    own = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "accept", AuditEvent.object_id == d2.id)
    )
    assert own.actor_name == "Lê Văn An" and own.on_behalf_of is None


def test_own_authority_is_not_recorded_as_substitution(office, as_user):
    """A unit head standing in for the Văn phòng still edits their own dossier as themselves,
    and a page that merely asks what the office could do does not change that."""
    chief, _ = office
    campaign = db_.campaign()
    d, head = submitted(campaign, [("Ngô Thị Yến", "LDTT")], state="draft")
    name(chief, head, by=b.user(Role.ADMIN))  # another unit's head: the admin names
    client = as_user(head)
    assert "Kiểm tra hồ sơ đã nộp" not in client.get("/").get_data(as_text=True)
    resp = client.post(
        f"/ho-so/{d.id}/to-trinh",
        {
            "version": d.version,
            "number": "9/TTr",
            "letter_date": "2026-12-01",
            "signer": "Thủ trưởng",
            "text": "",
        },
        page=f"/ho-so/{d.id}",
    )
    assert resp.status_code == 302
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "letter_updated")
        .order_by(AuditEvent.seq.desc())
    )
    assert event.actor_id == head.id
    assert event.on_behalf_of is None and event.actor_name == head.display_name
    # …while a check that passes only through the delegation says so, in its verdict
    verdict = can(head, Action.REVIEW_DOSSIER)
    assert verdict
    assert verdict.on_behalf_of.delegator_id == chief.id


def test_chains_and_inactive_people_grant_nothing(office):
    chief, deputy = office
    third = b.user(None)
    name(chief, deputy)
    with pytest.raises(DomainError, match="không có vai trò nào giao làm thay được"):
        name(deputy, third)  # the deputy holds the office role only as a substitute
    assert not can(third, Action.REVIEW_DOSSIER)
    chief.active = False
    db.session.commit()
    assert not can(deputy, Action.REVIEW_DOSSIER)  # the absent account was disabled
    with pytest.raises(DomainError, match="đã bị vô hiệu hóa"):
        ops.create(
            chief,
            delegator=chief,
            substitute=third,
            starts_on=TODAY + timedelta(30),
            ends_on=TODAY + timedelta(31),
            reason="Nghỉ phép",
        )


def test_the_director_role_goes_only_to_a_deputy_director(app):
    at(TODAY)
    lead = b.unit("Ban Giám đốc Sở", "BGD")
    director = b.user(Role.DIRECTOR, person=b.staff(lead, "Hồ Minh Long", position="Giám đốc"))
    deputy = b.user(None, person=b.staff(lead, "Nguyễn Đức Hải", position="Phó Giám đốc"))
    clerk = b.user(None, person=b.staff(name="Đặng Thu Trang", position="Chuyên viên"))
    with pytest.raises(DomainError, match="chỉ giao được cho Phó Giám đốc"):
        name(director, clerk)
    nothing_saved()
    name(director, deputy)
    assert allowed(deputy, Decision(awards=[]), DecisionTrigger.SIGN)  # the sign row
    from dossier.decisions.operations import signer_for

    lines, who, on_behalf = signer_for(deputy)
    assert lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and who == "Nguyễn Đức Hải"
    timeutil.freeze(None)


@pytest.mark.real_db  # two threads, two transactions
def test_two_overlapping_periods_at_once_give_one(office, as_user):
    """Two tabs name two different substitutes for the same days at the same moment."""
    chief, deputy = office
    other = b.user(None, person=b.staff(chief.staff.unit, "Phan Thị Hoa"))
    clients = [as_user(chief), as_user(chief)]
    tokens = [c.token("/tai-khoan/lam-thay") for c in clients]
    ids = [deputy.id, other.id]  # read before the commit: after it, a read would begin a
    db.session.commit()  # transaction here that holds SQLite's write lock
    barrier, results = threading.Barrier(2), [None, None]

    def run(i, substitute_id):
        barrier.wait()
        results[i] = (
            clients[i]
            .client.post(
                "/tai-khoan/lam-thay",
                data={
                    "csrf_token": tokens[i],
                    "substitute_id": substitute_id,
                    "starts_on": "2026-12-01",
                    "ends_on": "2026-12-04",
                    "reason": "Nghỉ phép",
                },
                follow_redirects=True,
            )
            .get_data(as_text=True)
        )

    threads = [threading.Thread(target=run, args=(i, ids[i])) for i in range(2)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert sum("Đã giao việc làm thay" in r for r in results) == 1
    assert sum("thời gian trùng nhau" in r for r in results) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 1
