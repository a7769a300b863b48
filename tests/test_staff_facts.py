"""The facts the award rules read: yearly ratings, initiatives, disciplines. Entered by the
person's unit on the person's page, imported from Excel all or nothing (row numbers)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from dossier.campaigns.catalogue import ensure_default_forms
from dossier.enums import Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.history import operations
from dossier.history.facts import Discipline, Initiative, StaffRating
from dossier.history.facts_import import SPECS, import_facts, template_xlsx
from dossier.timeutil import local_now
from tests import builders as b
from tests.dossier_builders import flashes, upload

QLKH = "Phòng Quản lý Khoa học"


@pytest.fixture
def org(app):
    ensure_default_forms()
    qlkh = b.unit(name=QLKH, code="QLKH")
    tdc = b.unit(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", code="TDC")
    duc = b.staff(qlkh, "Nguyễn Văn Đức")
    duc.birth_date = date(1985, 3, 15)
    twin = b.staff(qlkh, "Lê Thị Mai")
    twin.birth_date = date(1990, 1, 1)
    other = b.staff(qlkh, "Lê Thị Mai")
    other.birth_date = date(1992, 2, 2)
    hoa = b.staff(tdc, "Trần Thị Hoa")
    office = b.user(Role.OFFICE)
    head = b.user(Role.UNIT_HEAD, unit_obj=qlkh, username="head_qlkh")
    db.session.commit()
    return SimpleNamespace(qlkh=qlkh, tdc=tdc, duc=duc, hoa=hoa, office=office, head=head)


def xlsx(slug, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SPECS[slug].sheet
    ws.append(SPECS[slug].headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def refused(actor, slug, rows, **kw) -> DomainError:
    with pytest.raises(DomainError) as info:
        import_facts(actor, slug, upload(xlsx(slug, rows), "x.xlsx"), **kw)
    db.session.rollback()
    assert count(SPECS[slug].model) == 0
    return info.value


YEAR = local_now().year - 1


def test_ratings_import_all_rows(app, org):
    rows = [
        [YEAR, "nguyen van duc", None, QLKH, "Hoàn thành xuất sắc nhiệm vụ"],
        [YEAR, "Lê Thị Mai", "01/01/1990", "QLKH", "hoàn thành tốt nhiệm vụ"],
        [YEAR - 1, "Trần Thị Hoa", None, "Chi cục Tiêu chuẩn Đo lường Chất lượng", "good"],
    ]
    assert import_facts(org.office, "xep-loai", upload(xlsx("xep-loai", rows), "x.xlsx")) == 3
    got = db.session.scalar(select(StaffRating).where(StaffRating.staff_id == org.duc.id))
    assert (got.year, got.rating) == (YEAR, "excellent")


def test_import_refuses_unknown_people_duplicates_and_impossible_years_with_rows(app, org):
    err = refused(
        org.office,
        "xep-loai",
        [
            [YEAR, "Nguyễn Văn Đức", None, QLKH, "Hoàn thành tốt nhiệm vụ"],  # fine alone
            [YEAR, "Phạm Văn Không Có", None, QLKH, "Hoàn thành tốt nhiệm vụ"],
            [YEAR, "NGUYEN VAN DUC", None, QLKH, "Hoàn thành nhiệm vụ"],
            [1800, "Trần Thị Hoa", None, "TDC", "Hoàn thành tốt nhiệm vụ"],
            [YEAR + 5, "Trần Thị Hoa", None, "TDC", "Hoàn thành tốt nhiệm vụ"],
            [YEAR, "Lê Thị Mai", None, QLKH, "Hoàn thành tốt nhiệm vụ"],
            [YEAR, "Trần Thị Hoa", None, "TDC", "Giỏi"],
        ],
    )
    assert "Không dòng nào được nhập" in err.message
    assert err.details[0].startswith("Dòng 3: không có cán bộ «Phạm Văn Không Có»")
    assert err.details[1] == "Dòng 4: trùng với dòng 2."
    assert err.details[2].startswith("Dòng 5: năm 1800 ngoài khoảng")
    assert err.details[3].startswith(f"Dòng 6: năm {YEAR + 5} ngoài khoảng")
    assert "trùng tên với 2 cán bộ" in err.details[4] and err.details[4].startswith("Dòng 7")
    assert err.details[5].startswith("Dòng 8: giá trị «Giỏi» không hợp lệ")


def test_import_refuses_what_is_already_recorded(app, org):
    operations.set_rating(org.office, org.duc, year=YEAR, rating="good")
    db.session.commit()
    with pytest.raises(DomainError) as info:
        import_facts(
            org.office,
            "xep-loai",
            upload(
                xlsx("xep-loai", [[YEAR, "Nguyễn Văn Đức", None, QLKH, "Hoàn thành nhiệm vụ"]]), "x"
            ),
        )
    assert info.value.details == [
        "Dòng 2: đã có trong dữ liệu xếp loại chất lượng của «Nguyễn Văn Đức»."
    ]


def test_a_unit_imports_only_its_own_people(app, org):
    err = refused(
        org.head,
        "ky-luat",
        [[YEAR, "Trần Thị Hoa", None, "TDC", "Cảnh cáo", "3/QĐ"]],
        allowed_units={org.qlkh.id},
    )
    assert err.details == ["Dòng 2: «TDC» không phải đơn vị của bạn."]


def test_initiatives_and_disciplines_import(app, org):
    rows = [
        [YEAR, "Nguyễn Văn Đức", None, QLKH, "Số hóa hồ sơ", "12/QĐ", f"20/11/{YEAR}", "Cấp tỉnh"]
    ]
    assert import_facts(org.office, "sang-kien", upload(xlsx("sang-kien", rows), "x")) == 1
    assert db.session.scalar(select(Initiative.scope)) == "province"
    bad = [[YEAR, "Nguyễn Văn Đức", None, QLKH, "Khác", "13/QĐ", f"20/11/{YEAR - 1}", "Cấp tỉnh"]]
    with pytest.raises(DomainError) as info:
        import_facts(org.office, "sang-kien", upload(xlsx("sang-kien", bad), "x"))
    assert "không thuộc năm" in info.value.details[0]
    db.session.rollback()
    rows = [[YEAR, "Trần Thị Hoa", None, "TDC", "Cảnh cáo", "3/QĐ"]]
    assert import_facts(org.office, "ky-luat", upload(xlsx("ky-luat", rows), "x")) == 1
    assert db.session.scalar(select(Discipline.level)) == "warning"


def test_templates_open_with_their_headers(app, org):
    for slug, spec in SPECS.items():
        ws = load_workbook(BytesIO(template_xlsx(slug)))[spec.sheet]
        assert [c.value for c in ws[1]] == spec.headers


def test_the_unit_enters_facts_on_the_persons_page(app, as_user, org):
    page = f"/lich-su/ca-nhan/{org.duc.id}"
    head = as_user(org.head)
    resp = head.post(
        f"/can-bo/{org.duc.id}/xep-loai", {"year": str(YEAR), "rating": "good"}, page=page
    )
    assert resp.status_code == 302
    head.post(
        f"/can-bo/{org.duc.id}/sang-kien",
        {
            "title": "Phần mềm kiểm tra hồ sơ",
            "decision_number": "45/QĐ-SKHCN",
            "decision_date": f"{YEAR}-10-01",
            "scope": "agency",
        },
        page=page,
    )
    head.post(
        f"/can-bo/{org.duc.id}/ky-luat",
        {"year": str(YEAR), "level": "reprimand", "decision_number": ""},
        page=page,
    )
    html = head.get(page).get_data(as_text=True)
    assert f"Năm {YEAR}: <strong>Hoàn thành tốt nhiệm vụ</strong>" in html
    assert "Phần mềm kiểm tra hồ sơ – QĐ 45/QĐ-SKHCN" in html and "Khiển trách" in html
    # A bad year: refused in Vietnamese, nothing changed.
    head.post(f"/can-bo/{org.duc.id}/xep-loai", {"year": "0", "rating": "good"}, page=page)
    assert "không hợp lệ" in flashes(head)[-1][1]
    assert count(StaffRating) == 1
    # Another unit's head may not write, nor read the page.
    stranger = as_user(b.user(Role.UNIT_HEAD, unit_obj=org.tdc, username="head_tdc"))
    assert (
        stranger.post(
            f"/can-bo/{org.duc.id}/xep-loai", {"year": str(YEAR), "rating": "excellent"}
        ).status_code
        == 403
    )
    rating = db.session.scalar(select(StaffRating))
    assert stranger.post(f"/can-bo/xep-loai/{rating.id}/xoa").status_code == 403
    assert head.post(f"/can-bo/xep-loai/{rating.id}/xoa", page=page).status_code == 302
    assert count(StaffRating) == 0


def test_import_through_the_page(app, as_user, org):
    office = as_user(org.office)
    rows = [[YEAR, "Phạm Văn Không Có", None, QLKH, "Hoàn thành tốt nhiệm vụ"]]
    resp = office.post(
        "/can-bo/nhap/xep-loai",
        {"file": (BytesIO(xlsx("xep-loai", rows)), "x.xlsx"), "next": "/lich-su/"},
        page="/lich-su/",
        content_type="multipart/form-data",
    )
    assert resp.headers["Location"].endswith("/lich-su/")
    assert "Dòng 2: không có cán bộ" in flashes(office)[-1][1]
    assert office.get("/can-bo/mau/xep-loai.xlsx").status_code == 200
