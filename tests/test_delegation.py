"""Substitution: a named substitute for a dated period sees and acts on the delegated tasks,
and the audit trail names both people."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from dossier import timeutil
from dossier.access import Action, can
from dossier.audit import AuditEvent, verify
from dossier.enums import CouncilPosition, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.inbox import tasks_for
from dossier.nominations import operations as dossier_ops
from dossier.nominations.models import Dossier
from dossier.notify.models import Message
from dossier.org import delegation as ops
from dossier.org.models import Delegation
from dossier.timeutil import VN_TZ
from tests import builders as b
from tests import dossier_builders as db_
from tests.intake_builders import submitted

TODAY = date(2026, 12, 1)


def at(day: date, hour: int = 9) -> None:
    timeutil.freeze(datetime.combine(day, time(hour), VN_TZ))


@pytest.fixture
def office(app):
    """The Chánh Văn phòng (office role) and the Phó (no role of their own)."""
    at(TODAY)
    unit = b.unit("Văn phòng Sở", "VP")
    chief = b.user(Role.OFFICE, person=b.staff(unit, "Lê Văn An", position="Chánh Văn phòng"))
    deputy = b.user(None, person=b.staff(unit, "Trần Thị Bình", position="Phó Chánh Văn phòng"))
    yield chief, deputy
    timeutil.freeze(None)


def name(
    chief, deputy, start=TODAY, end=TODAY + timedelta(days=4), reason="Nghỉ phép năm", by=None
):
    """`by` (default: the person away) names the substitute; across units it takes the
    admin."""
    d = ops.create(
        by or chief, delegator=chief, substitute=deputy, starts_on=start, ends_on=end, reason=reason
    )
    db.session.commit()
    return d


def nothing_saved() -> None:
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "delegation_created")
        )
        == 0
    )


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
    assert can(deputy, Action.SIGN_DECISION)
    from dossier.decisions.operations import signer_for

    lines, who, on_behalf = signer_for(deputy)
    assert lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and who == "Nguyễn Đức Hải"
    timeutil.freeze(None)


def test_inbox_labels_the_delegated_tasks_and_cancel_ends_them(office, as_user, app):
    chief, deputy = office
    campaign = db_.campaign()
    submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    with app.test_request_context():
        assert tasks_for(deputy) == []
    delegation = name(chief, deputy)
    with app.test_request_context():
        tasks = tasks_for(deputy)
    assert tasks and all(t.on_behalf_of == "Chánh Văn phòng Lê Văn An" for t in tasks)
    assert any(t.title.startswith("Kiểm tra hồ sơ đã nộp") for t in tasks)
    home = as_user(deputy).get("/").get_data(as_text=True)
    assert "Làm thay Chánh Văn phòng Lê Văn An (đến hết 05/12/2026)" in home
    assert "đang <strong>làm thay Chánh Văn phòng Lê Văn An</strong>" in home
    # a stranger cannot cancel; the chief can, and the rights end at once
    stranger = as_user(b.user(None))
    assert stranger.post(f"/lam-thay/{delegation.id}/huy", page="/").status_code == 403
    resp = as_user(chief).post(
        f"/lam-thay/{delegation.id}/huy", page="/tai-khoan/lam-thay", follow_redirects=True
    )
    assert "Đã hủy việc làm thay." in resp.get_data(as_text=True)
    db.session.expire_all()
    with app.test_request_context():
        assert tasks_for(deputy) == [] and not can(deputy, Action.REVIEW_DOSSIER)
    with pytest.raises(DomainError, match="đã hủy"):
        ops.cancel(chief, db.session.get(Delegation, delegation.id))


def test_the_page_names_a_substitute_and_explains_refusals(office, as_user):
    chief, deputy = office
    client = as_user(chief)
    page = client.get("/tai-khoan/lam-thay").get_data(as_text=True)
    assert "Người làm thay sẽ nhận các vai trò" in page and "Trần Thị Bình" in page
    form = {
        "substitute_id": deputy.id,
        "starts_on": "2026-12-05",
        "ends_on": "2026-12-03",
        "reason": "Đi công tác",
    }
    resp = client.post("/tai-khoan/lam-thay", form, page="/tai-khoan/lam-thay")
    assert resp.status_code == 422
    assert "phải từ ngày bắt đầu" in resp.get_data(as_text=True)
    resp = client.post(
        "/tai-khoan/lam-thay", {**form, "starts_on": "ngày mai"}, page="/tai-khoan/lam-thay"
    )
    assert resp.status_code == 422 and "Ngày không hợp lệ" in resp.get_data(as_text=True)
    resp = client.post(
        "/tai-khoan/lam-thay",
        {**form, "substitute_id": chief.id, "ends_on": "2026-12-09"},
        page="/tai-khoan/lam-thay",
    )
    assert resp.status_code == 422
    assert "Không thể tự giao việc làm thay cho chính mình." in resp.get_data(as_text=True)
    nothing_saved()
    resp = client.post(
        "/tai-khoan/lam-thay",
        {**form, "ends_on": "2026-12-09"},
        page="/tai-khoan/lam-thay",
        follow_redirects=True,
    )
    text = resp.get_data(as_text=True)
    assert "Đã giao việc làm thay" in text and "Sắp tới" in text
    # the substitute is told by e-mail, and sees it on their own page
    mail = db.session.scalar(select(Message).where(Message.event == "delegation_created"))
    assert mail.to_user_id == deputy.id
    assert "Chánh Văn phòng Lê Văn An" in mail.subject and "ngày 09 tháng 12" in mail.subject
    mine = as_user(deputy).get("/tai-khoan/lam-thay").get_data(as_text=True)
    assert "Tôi đang được giao làm thay" in mine and "Chánh Văn phòng Lê Văn An" in mine


def test_admin_names_a_substitute_for_someone_away(office, as_user):
    chief, deputy = office
    admin = as_user(b.user(Role.ADMIN))
    resp = admin.post(
        "/quan-tri/lam-thay",
        {
            "delegator_id": chief.id,
            "substitute_id": deputy.id,
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
            "reason": "Ốm đột xuất",
        },
        page="/quan-tri/lam-thay",
        follow_redirects=True,
    )
    assert "Đã giao việc làm thay" in resp.get_data(as_text=True)
    assert deputy.delegations_in_force() and can(deputy, Action.REVIEW_DOSSIER)
    # a plain user cannot name substitutes for others, nor open the admin page
    assert as_user(deputy).get("/quan-tri/lam-thay").status_code == 403
    with pytest.raises(DomainError, match="Chỉ người vắng mặt"):
        ops.create(
            deputy, delegator=chief, substitute=deputy, starts_on=TODAY, ends_on=TODAY, reason="x"
        )


def test_substitute_gets_copies_of_mail_meant_for_the_absent(office):
    chief, deputy = office
    campaign = db_.campaign()
    d, head = submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    stand_in = b.user(None)
    name(head, stand_in, by=b.user(Role.ADMIN))
    dossier_ops.return_for_revision(
        chief,
        d,
        version=d.version,
        comment=None,
        items=[{"nominee_id": None, "component": "minutes", "reason": "Thiếu chữ ký."}],
    )
    db.session.commit()
    copies = list(
        db.session.scalars(
            select(Message).where(Message.event == "dossier_returned").order_by(Message.id)
        )
    )
    assert [m.to_user_id for m in copies] == [head.id, stand_in.id]
    assert "Anh/chị nhận thư này vì đang làm thay" in copies[1].body_text
    assert "Anh/chị nhận thư này vì đang làm thay" not in copies[0].body_text


def test_council_mail_is_not_copied_but_unit_mail_is(office):
    """A unit head who also sits on the council is away: their substitute gets the unit's
    mail, never the council's (a vote is personal)."""
    from dossier.notify import recipients
    from dossier.org.models import RoleAssignment

    campaign = db_.campaign()
    d, head = submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    head.roles.append(RoleAssignment(role=Role.COUNCIL, council_position="member", year=2026))
    stand_in = b.user(None)
    name(head, stand_in, by=b.user(Role.ADMIN))
    sent = recipients.send(
        "vote_opened",
        [head],
        "delegation_created",
        substitutes=False,
        delegation=ops.given_by(head)[0],
        roles=[],
        starts_on="",
        ends_on="",
        link="/",
    )
    assert sent == 1
    sent = recipients.send(
        "dossier_accepted",
        [head],
        "dossier_accepted",
        dossier=d,
        unit=d.unit,
        campaign=campaign,
        link="/",
    )
    assert sent == 2
    db.session.flush()
    to = [
        m.to_user_id
        for m in db.session.scalars(
            select(Message)
            .where(Message.event.in_(["vote_opened", "dossier_accepted"]))
            .order_by(Message.id)
        )
    ]
    assert to == [head.id, head.id, stand_in.id]


def test_decision_mail_to_a_head_standing_in_lists_only_their_own_unit(office, app):
    from dossier.decisions import notifications
    from dossier.decisions.models import Decision, DecisionAward

    campaign = db_.campaign()
    _, head_a = submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    _, head_b = submitted(campaign, [("Phan Văn Tùng", "LDTT")])
    name(head_b, head_a, by=b.user(Role.ADMIN))  # head A stands in for head B
    unit_a, unit_b = head_a.own_roles()[0].unit_id, head_b.own_roles()[0].unit_id
    decision = Decision(
        campaign_id=campaign.id,
        subject="Về việc tặng Giấy khen",
        legal_basis="",
        articles=["Điều 1."],
        recipients="",
        state="draft",
        year=2026,
        created_by_id=head_a.id,
    )
    decision.awards = [
        DecisionAward(
            name="Tập thể A",
            kind="collective",
            unit_id=unit_a,
            unit="A",
            position="",
            form_code="GK_TT",
            form_name="Giấy khen",
            position_no=1,
        ),
        DecisionAward(
            name="Tập thể B",
            kind="collective",
            unit_id=unit_b,
            unit="B",
            position="",
            form_code="GK_TT",
            form_name="Giấy khen",
            position_no=2,
        ),
    ]
    db.session.add(decision)
    db.session.flush()
    with app.test_request_context():
        notifications.decision_issued(decision)
    db.session.flush()
    bodies = {
        (m.to_user_id, "vì đang làm thay" in m.body_text): m.body_text
        for m in db.session.scalars(select(Message).where(Message.event == "decision_issued"))
    }
    assert len(bodies) == 3  # A's own, B's own, A's copy of B's
    own_a = bodies[(head_a.id, False)]
    assert "Tập thể A" in own_a and "Tập thể B" not in own_a
    copy_b = bodies[(head_a.id, True)]  # the copy of B's message, marked as such
    assert "Tập thể B" in copy_b and "Tập thể A" not in copy_b
    db.session.rollback()


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


def test_a_user_names_only_someone_of_their_own_unit(office, as_user):
    """The list offers the delegator's unit only (no one sees the whole staff list), and a
    forged choice from another unit is refused; the admin can cross units."""
    chief, deputy = office
    outsider = b.user(None, person=b.staff(name="Võ Thị Mai", position="Chuyên viên"))
    page = as_user(chief).get("/tai-khoan/lam-thay").get_data(as_text=True)
    assert "Trần Thị Bình" in page and "Võ Thị Mai" not in page
    resp = as_user(chief).post(
        "/tai-khoan/lam-thay",
        {
            "substitute_id": outsider.id,
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
            "reason": "Nghỉ phép",
        },
        page="/tai-khoan/lam-thay",
    )
    assert resp.status_code == 422
    assert "phải là người cùng đơn vị" in resp.get_data(as_text=True)
    nothing_saved()
    admin_page = as_user(b.user(Role.ADMIN)).get("/quan-tri/lam-thay").get_data(as_text=True)
    assert "Võ Thị Mai" in admin_page
    name(chief, outsider, by=b.user(Role.ADMIN))
    assert outsider.delegations_in_force()


@pytest.mark.parametrize(
    "change, words",
    [
        ({"substitute_id": "abc"}, "Lựa chọn không hợp lệ"),
        ({"substitute_id": "0"}, "Hãy chọn người làm thay."),
        ({"substitute_id": "999999"}, "Hãy chọn người làm thay."),
        ({"reason": "x" * 301}, "300"),
        ({"starts_on": ""}, "không được để trống"),
        ({"ends_on": "31/02/2026"}, "Ngày không hợp lệ"),
    ],
)
def test_bad_form_input_is_refused_in_vietnamese(office, as_user, change, words):
    chief, deputy = office
    form = {
        "substitute_id": deputy.id,
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-02",
        "reason": "Nghỉ phép",
        **change,
    }
    resp = as_user(chief).post("/tai-khoan/lam-thay", form, page="/tai-khoan/lam-thay")
    assert resp.status_code == 422
    assert words in resp.get_data(as_text=True)
    nothing_saved()
