"""The organisation: admin pages, Vietnamese names and order, bad input, the demo."""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select

from dossier.demo import load_demo
from dossier.enums import Role
from dossier.extensions import db
from dossier.org.models import Agency, RoleAssignment, Staff, Unit, User
from dossier.text import fold, sort_names
from tests import builders as b


def test_vietnamese_order_by_given_name_then_letters():
    names = [
        "Trần Văn Đức",
        "Nguyễn Thị Ánh",
        "Lê Văn Dũng",
        "Phạm Thị An",
        "Hoàng Văn Bình",
        "Võ Thị Ăn",
        "Đỗ Văn Âu",
        "Nguyễn Văn Hưng",
        "Nguyễn Thị Hà",
    ]
    assert sort_names(names) == [
        "Phạm Thị An",
        "Nguyễn Thị Ánh",
        "Võ Thị Ăn",
        "Đỗ Văn Âu",
        "Hoàng Văn Bình",
        "Lê Văn Dũng",
        "Trần Văn Đức",
        "Nguyễn Thị Hà",
        "Nguyễn Văn Hưng",
    ]


def test_same_given_name_sorts_by_middle_then_family():
    assert sort_names(["Trần Văn Minh", "Lê Văn Minh", "Nguyễn Đức Minh"]) == [
        "Nguyễn Đức Minh",
        "Lê Văn Minh",
        "Trần Văn Minh",
    ]


def test_fold_is_accent_and_case_insensitive():
    assert fold("NGUYỄN  Văn Đức") == fold("nguyen van duc")


def test_database_order_is_vietnamese(app):
    unit = b.unit()
    for name in ["Trần Văn Đức", "Lê Văn Dũng", "Nguyễn Thị Ánh"]:
        b.staff(unit, name)
    ordered = db.session.scalars(select(Staff.full_name).order_by(Staff.sort_key)).all()
    assert ordered == ["Nguyễn Thị Ánh", "Lê Văn Dũng", "Trần Văn Đức"]


def test_admin_edits_agency_and_documents_read_it(app, as_user):
    admin = as_user(b.user(Role.ADMIN))
    resp = admin.post(
        "/quan-tri/co-quan",
        {
            "parent_body": "UBND TỈNH KHÁNH HÒA",
            "name": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "short_code": "SKHCN",
            "place_name": "Khánh Hòa",
            "director_name": "Lê Văn Thắng",
            "director_title": "Giám đốc",
            "email": "",
        },
    )
    assert resp.status_code == 302
    assert Agency.get().parent_body == "UBND TỈNH KHÁNH HÒA"


def test_nfd_input_is_stored_nfc(app, as_user):
    admin = as_user(b.user(Role.ADMIN))
    unit = b.unit()
    nfd = unicodedata.normalize("NFD", "Huỳnh Thị Phượng")
    resp = admin.post(
        "/quan-tri/can-bo/moi",
        {"full_name": nfd, "position": "Chuyên viên", "unit_id": unit.id, "gender": "female"},
    )
    assert resp.status_code == 302
    stored = db.session.scalar(select(Staff).where(Staff.unit_id == unit.id))
    assert stored.full_name == unicodedata.normalize("NFC", "Huỳnh Thị Phượng")
    assert unicodedata.is_normalized("NFC", stored.full_name)


def test_overlong_and_malformed_fields_change_nothing(app, as_user):
    admin = as_user(b.user(Role.ADMIN))
    before = db.session.scalar(select(func.count()).select_from(Unit))
    resp = admin.post(
        "/quan-tri/don-vi/moi",
        {"name": "x" * 500, "code": "mã có dấu!", "kind": "division", "sort_order": "abc"},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Không được dài quá 200 ký tự." in html
    assert "Chỉ gồm chữ cái không dấu và chữ số." in html
    assert "Phải là số nguyên." in html
    assert db.session.scalar(select(func.count()).select_from(Unit)) == before


def test_unknown_choice_is_refused(app, as_user):
    admin = as_user(b.user(Role.ADMIN))
    resp = admin.post(
        "/quan-tri/don-vi/moi",
        {"name": "Phòng X", "code": "PX", "kind": "hacker", "sort_order": "1"},
    )
    assert "Lựa chọn không hợp lệ." in resp.get_data(as_text=True)


def test_duplicate_unit_is_refused_in_vietnamese(app, as_user):
    admin = as_user(b.user(Role.ADMIN))
    b.unit(name="Phòng Quản lý Khoa học", code="QLKH")
    resp = admin.post(
        "/quan-tri/don-vi/moi",
        {"name": "phòng quản lý khoa học", "code": "ZZ", "kind": "division", "sort_order": "1"},
    )
    assert resp.status_code == 422
    assert "trùng tên" in resp.get_data(as_text=True)


def test_admin_creates_account_and_grants_scoped_role(app, as_user, client):
    admin = as_user(b.user(Role.ADMIN))
    unit = b.unit()
    person = b.staff(unit, "Đặng Văn Thắng")
    resp = admin.post(
        "/quan-tri/tai-khoan/moi",
        {
            "username": "thang",
            "email": "",
            "staff_id": person.id,
            "password": "matkhau123",
            "active": "y",
        },
    )
    assert resp.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "thang"))
    page = f"/quan-tri/tai-khoan/{user.id}"
    # A unit role without a unit is refused with a clear message and nothing is stored.
    resp = admin.post(
        f"{page}/vai-tro",
        {"role-role": "unit_head", "role-unit_id": "0"},
        page=page,
        follow_redirects=True,
    )
    assert "gắn với một đơn vị" in resp.get_data(as_text=True)
    assert not db.session.scalars(
        select(RoleAssignment).where(RoleAssignment.user_id == user.id)
    ).all()
    resp = admin.post(
        f"{page}/vai-tro", {"role-role": "unit_head", "role-unit_id": unit.id}, page=page
    )
    assert resp.status_code == 302
    db.session.refresh(user)
    assert user.unit_ids(Role.UNIT_HEAD) == {unit.id}


def test_account_for_staff_who_has_one_is_refused(app, as_user):
    admin = as_user(b.user(Role.ADMIN))
    existing = b.user()
    resp = admin.post(
        "/quan-tri/tai-khoan/moi",
        {
            "username": "second",
            "staff_id": existing.staff_id,
            "password": "matkhau123",
            "active": "y",
        },
    )
    assert resp.status_code == 422 and "đã có tài khoản" in resp.get_data(as_text=True)


def test_admin_cannot_lock_themselves_out(app, as_user):
    me = b.user(Role.ADMIN)
    admin = as_user(me)
    assignment = me.roles[0]
    resp = admin.post(f"/quan-tri/vai-tro/{assignment.id}/go", follow_redirects=True)
    assert "Không thể tự gỡ quyền quản trị" in resp.get_data(as_text=True)
    db.session.refresh(me)
    assert me.has_role(Role.ADMIN)


def test_demo_is_realistic_and_idempotent(app):
    logins, _ = load_demo()
    db.session.commit()
    staff_count = db.session.scalar(select(func.count()).select_from(Staff))
    assert 55 <= staff_count <= 70
    roles = {r.role for u in db.session.scalars(select(User)) for r in u.roles}
    assert roles >= set(Role)
    unit_names = set(db.session.scalars(select(Unit.name)))
    assert {
        "Văn phòng Sở",
        "Thanh tra Sở",
        "Phòng Quản lý Khoa học",
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
    } <= unit_names
    load_demo()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Staff)) == staff_count
    names = db.session.scalars(select(Staff.full_name)).all()
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_healthz(app, client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
