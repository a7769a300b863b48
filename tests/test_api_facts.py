"""The API's imports of yearly ratings and initiatives (issue 18): the page's operation
(all rows or none, same checks, same audit event), its guard, the "facts:write" scope,
idempotent re-sends, Vietnamese 422s naming the item and field."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from dossier.access import Action, can
from dossier.api import operations as api_ops
from dossier.api.models import ApiToken
from dossier.api.operations import PREFIX, digest
from dossier.audit import AuditEvent
from dossier.campaigns.catalogue import ensure_default_forms
from dossier.enums import Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.history.facts import Initiative, StaffRating
from dossier.timeutil import local_now, now
from tests import builders as b
from tests.api_builders import bearer, token

QLKH = "Phòng Quản lý Khoa học"
YEAR = local_now().year - 1
RATINGS = "/api/v1/staff-facts/ratings"
INITIATIVES = "/api/v1/staff-facts/initiatives"


@pytest.fixture
def org(app):
    app.config["RATELIMIT_API"] = "100000/minute"
    ensure_default_forms()
    qlkh = b.unit(name=QLKH, code="QLKH")
    tdc = b.unit(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", code="TDC")
    duc = b.staff(qlkh, "Nguyễn Văn Đức")
    duc.birth_date = date(1985, 3, 15)
    hoa = b.staff(tdc, "Trần Thị Hoa")
    office = b.user(Role.OFFICE)
    head = b.user(Role.UNIT_HEAD, unit_obj=qlkh, username="head_qlkh")
    db.session.commit()
    return SimpleNamespace(qlkh=qlkh, tdc=tdc, duc=duc, hoa=hoa, office=office, head=head)


def rating(name="Nguyễn Văn Đức", unit="QLKH", value="excellent", year=YEAR, **extra) -> dict:
    return {"year": year, "full_name": name, "unit": unit, "rating": value, **extra}


def imports() -> list[dict]:
    rows = db.session.scalars(
        select(AuditEvent.data).where(AuditEvent.action == "staff_facts_imported")
    ).all()
    return [json.loads(r) for r in rows]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_ratings_import_is_idempotent_and_audited(app, client, org):
    secret = token(org.office)
    body = {"items": [rating(), rating("Trần Thị Hoa", "TDC", "good")]}
    resp = client.post(RATINGS, json=body, headers=bearer(secret))
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json() == {"kind": "ratings", "created": 2, "updated": 0, "rows": 2}
    # Sent again (the HR system retried), one value changed: updated, not duplicated.
    body["items"][0]["rating"] = "good"
    resp = client.post(RATINGS, json=body, headers=bearer(secret))
    assert resp.get_json() == {"kind": "ratings", "created": 0, "updated": 2, "rows": 2}
    assert count(StaffRating) == 2
    got = db.session.scalar(select(StaffRating).where(StaffRating.staff_id == org.duc.id))
    assert (got.year, got.rating) == (YEAR, "good")
    events = imports()
    assert [(e["kind"], e["file"], e["created"], e["updated"]) for e in events] == [
        ("xep-loai", "api", 2, 0),
        ("xep-loai", "api", 0, 2),
    ]


def test_a_bad_item_refuses_the_whole_batch_in_vietnamese(app, client, org):
    secret = token(org.office)
    body = {
        "items": [
            rating(),
            rating("Phạm Văn Không Có"),
            rating(year=1800),
            rating("Trần Thị Hoa", "TDC"),
            rating(),  # the first again
        ]
    }
    resp = client.post(RATINGS, json=body, headers=bearer(secret))
    out = resp.get_json()
    assert resp.status_code == 422
    assert "Không dòng nào được nhập" in out["message"]
    details = out["errors"]["details"]
    assert details[0].startswith("Mục 2 (items[1]): không có cán bộ «Phạm Văn Không Có»")
    assert details[1].startswith("Mục 3 (items[2]): năm 1800 ngoài khoảng")
    assert details[2] == "Mục 5 (items[4]): trùng với mục 1 (items[0])."
    assert count(StaffRating) == 0 and imports() == []


def test_a_malformed_body_is_named_field_by_field(app, client, org):
    secret = token(org.office)
    body = {"items": [{"year": "2024", "full_name": "", "unit": "QLKH", "rating": "giỏi"}]}
    resp = client.post(RATINGS, json=body, headers=bearer(secret))
    out = resp.get_json()
    assert resp.status_code == 422
    assert out["message"] == "Dữ liệu gửi lên không hợp lệ; không có gì được lưu."
    item = out["errors"]["json"]["items"]["0"]
    assert item["year"] == ["Giá trị không đúng kiểu."]
    assert item["full_name"] == ["Họ và tên: từ 1 đến 200 ký tự."]
    assert item["rating"][0].startswith("Xếp loại phải là một trong: excellent")
    resp = client.post(RATINGS, json={"items": [], "x": 1}, headers=bearer(secret))
    assert resp.get_json()["errors"]["json"] == {
        "items": ["Gửi từ 1 đến 5000 mục mỗi lần."],
        "x": ["Trường này không được chấp nhận."],
    }
    assert count(StaffRating) == 0


def test_initiatives_import_and_resend(app, client, org):
    secret = token(org.office)
    item = {
        "full_name": "Nguyễn Văn Đức",
        "unit": QLKH,
        "birth_date": "1985-03-15",
        "title": "Số hóa hồ sơ thi đua",
        "decision_number": "12/QĐ-SKHCN",
        "decision_date": f"{YEAR}-11-20",
        "scope": "agency",
    }
    assert client.post(INITIATIVES, json={"items": [item]}, headers=bearer(secret)).get_json() == {
        "kind": "initiatives",
        "created": 1,
        "updated": 0,
        "rows": 1,
    }
    item["scope"] = "province"
    resp = client.post(INITIATIVES, json={"items": [item]}, headers=bearer(secret))
    assert resp.get_json()["updated"] == 1 and count(Initiative) == 1
    assert db.session.scalar(select(Initiative.scope)) == "province"
    late = {**item, "title": "Khác", "decision_date": f"{local_now().year + 1}-01-01"}
    resp = client.post(INITIATIVES, json={"items": [late]}, headers=bearer(secret))
    assert resp.status_code == 422 and count(Initiative) == 1


def test_a_token_without_the_scope_is_refused(app, client, org):
    secret = token(org.office, facts=False)  # read and write, not facts:write
    resp = client.post(RATINGS, json={"items": [rating()]}, headers=bearer(secret))
    assert resp.status_code == 403
    assert resp.get_json()["message"] == "Mã truy cập này không có phạm vi “facts:write”."
    assert count(StaffRating) == 0


def _forced_token(owner) -> str:
    """A facts:write token the issuing operation would refuse this owner (e.g. given while
    they still worked in the Văn phòng): the API must still refuse what the pages refuse."""
    secret = PREFIX + "forced-" + str(owner.id) + "x" * 30
    db.session.add(
        ApiToken(
            user_id=owner.id,
            name="Cũ",
            token_hash=digest(secret),
            prefix=secret[:9],
            scopes="read facts:write",
            created_at=now(),
            created_by_id=owner.id,
            expires_at=now().replace(year=now().year + 1),
        )
    )
    db.session.commit()
    return secret


def test_a_unit_head_imports_nothing_as_on_the_pages(app, client, org):
    # The pages give the import to the Văn phòng only: the scope is not issued to a unit…
    with pytest.raises(DomainError) as info:
        api_ops.issue(org.head, org.head, name="x", scopes=["facts:write"], days=5)
    assert "facts:write" in info.value.details[0]
    assert not can(org.head, Action.EDIT_STAFF_FACTS)
    # …and a token carrying it anyway imports neither for another unit nor for their own.
    secret = _forced_token(org.head)
    for item in (rating("Trần Thị Hoa", "TDC"), rating()):
        resp = client.post(RATINGS, json={"items": [item]}, headers=bearer(secret))
        assert resp.status_code == 403, resp.get_json()
    assert count(StaffRating) == 0 and imports() == []


def test_the_token_page_offers_the_scope_only_to_whom_may_import(app, as_user, org):
    html = as_user(org.office).get("/tai-khoan/ma-truy-cap").get_data(as_text=True)
    assert 'name="facts"' in html
    head = as_user(org.head)
    assert 'name="facts"' not in head.get("/tai-khoan/ma-truy-cap").get_data(as_text=True)
    office = as_user(org.office)
    resp = office.post(
        "/tai-khoan/ma-truy-cap",
        data={"name": "Hệ thống nhân sự", "days": "30", "facts": "y"},
        page="/tai-khoan/ma-truy-cap",
    )
    assert resp.status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == org.office.id))
    assert row.scopes == "read facts:write"
    assert "nhập xếp loại, sáng kiến" in resp.get_data(as_text=True)


@pytest.mark.parametrize("role", [*Role])
def test_role_sweep_over_the_import_routes(app, client, org, role):
    """Every role, both routes, the documented example body: imported only by whom the
    pages let import (access.can), refused 403 otherwise; never a 500."""
    owner = b.user(role, unit_obj=org.qlkh if role in (Role.UNIT_HEAD, Role.UNIT_CLERK) else None)
    db.session.commit()
    secret = token(owner)
    allowed = bool(can(owner, Action.EDIT_STAFF_FACTS))
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in (RATINGS, INITIATIVES):
        body = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["example"]
        resp = client.post(path, json=body, headers=bearer(secret))
        if allowed:
            # The example names someone of QLKH; its year is the example's (maybe too old).
            assert resp.status_code in (200, 422), resp.get_json()
        else:
            assert resp.status_code == 403, (role, path, resp.get_json())
