"""Substitution on the pages: the to-do list, the delegation page, the admin naming a
substitute, and bad form input (split from test_delegation.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.access import Action, can
from dossier.enums import Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.inbox import tasks_for
from dossier.notify.models import Message
from dossier.org import delegation as ops
from dossier.org.models import Delegation
from tests import builders as b
from tests import dossier_builders as db_
from tests.delegation_builders import TODAY, name, nothing_saved
from tests.delegation_builders import office as office  # the fixture
from tests.intake_builders import submitted


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
