"""Award history: the archive import is all-or-nothing, the pages, revocation, and what the
rules engine reads (revoked and one-off awards never count as a basis)."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from dossier import audit
from dossier.campaigns.catalogue import ensure_default_forms
from dossier.enums import NomineeKind, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.history import demo, operations, views
from dossier.history.importer import HEADERS, SHEET, import_records
from dossier.history.models import AwardRecord
from dossier.history.queries import titles_by_year
from dossier.text import fold
from tests import builders as b
from tests.dossier_builders import flashes, pdf_bytes, upload


@pytest.fixture(autouse=True)
def wired(app):
    """Until dossier/__init__.py registers the blueprint."""
    if "history" not in app.blueprints:
        app.register_blueprint(views.bp)


@pytest.fixture
def org(app):
    ensure_default_forms()
    qlkh = b.unit(name="Phòng Quản lý Khoa học", code="QLKH")
    tdc = b.unit(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", code="TDC")
    duc = b.staff(qlkh, "Nguyễn Văn Đức")
    duc.birth_date = date(1985, 3, 15)
    hoa = b.staff(tdc, "Trần Thị Hoa")
    office = b.user(Role.OFFICE)
    db.session.commit()
    return SimpleNamespace(qlkh=qlkh, tdc=tdc, duc=duc, hoa=hoa, office=office)


def xlsx(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def run(actor, rows=(), *, data=None, name="lịch sử.xlsx", warnings=None) -> int:
    return import_records(
        actor, upload(data if data is not None else xlsx(rows), name), warnings=warnings
    )


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(AwardRecord))


def refused(actor, rows=(), **kw) -> DomainError:
    with pytest.raises(DomainError) as info:
        run(actor, rows, **kw)
    db.session.rollback()
    assert count() == 0
    return info.value


QLKH = "Phòng Quản lý Khoa học"
GOOD = [
    [
        2024,
        "Cá nhân",
        "nguyen van duc",
        "15/03/1985",
        QLKH,
        "LĐTT",
        "125/QĐ-SKHCN",
        date(2024, 12, 25),
        "Giám đốc Sở",
        None,
    ],
    [
        2024,
        "Cá nhân",
        "Lê Thị Mai",
        None,
        "QLKH",
        "Chiến sĩ thi đua cơ sở",
        "125/QĐ-SKHCN",
        "25/12/2024",
        "Giám đốc Sở",
        None,
    ],
    ["2023", "Tập thể", QLKH, None, None, "TTLDTT", "98/QĐ-SKHCN", "20/12/2023", None, None],
    [
        2019,
        "Cá nhân",
        "Trần Thị Hoa",
        None,
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "Huy chương Vì sự nghiệp khoa học và công nghệ",
        "12/QĐ-BKHCN",
        None,
        "Bộ trưởng Bộ Khoa học và Công nghệ",
        "x",
    ],
]


def test_template_filled_and_imported(app, as_user, org):
    client = as_user(org.office)
    resp = client.get("/lich-su/mau.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(BytesIO(resp.data))
    assert wb.sheetnames == [SHEET, "Hình thức", "Đơn vị"]
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == HEADERS and ws["A2"].value == "Ví dụ"
    units = {r[0] for r in wb["Đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert {"Phòng Quản lý Khoa học", "Chi cục Tiêu chuẩn Đo lường Chất lượng"} <= units
    for row in GOOD:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    resp = client.post(
        "/lich-su/nhap", {"file": (BytesIO(out.getvalue()), "lưu trữ.xlsx")}, page="/lich-su/"
    )
    assert resp.status_code == 302
    (ok, done), (warn, note) = flashes(client)
    assert (ok, done) == ("success", "Đã nhập 4 bản ghi vào lịch sử khen thưởng.")
    assert warn == "warning" and "Dòng 8: hình thức «Huy chương Vì sự nghiệp" in note
    records = {r.name: r for r in db.session.scalars(select(AwardRecord))}
    duc = records["Nguyễn Văn Đức"]  # as the register writes it
    assert (duc.staff_id, duc.unit_id, duc.award_code, duc.source) == (
        org.duc.id,
        org.qlkh.id,
        "LDTT",
        "import",
    )
    assert duc.decision_date == date(2024, 12, 25) and duc.award_name == "Lao động tiên tiến"
    assert records["Lê Thị Mai"].award_code == "CSTDCS" and records["Lê Thị Mai"].staff_id is None
    unit = records[QLKH]
    assert (unit.kind, unit.unit_id, unit.year) == (NomineeKind.COLLECTIVE, org.qlkh.id, 2023)
    hoa = records["Trần Thị Hoa"]
    assert hoa.award_code is None and hoa.counts_as_basis is False and hoa.staff_id == org.hoa.id
    [event] = [
        e for e in db.session.scalars(select(audit.AuditEvent)) if e.action == "history_imported"
    ]
    assert event.payload == {"rows": 4, "file": "lưu trữ.xlsx"} and event.actor_id == org.office.id


def test_broken_rows_import_nothing_and_name_their_rows(app, as_user, org):
    rows = [
        GOOD[0],
        [1960, "Cá nhân", "Phạm Văn Nam", None, QLKH, "LDTT", None, None, None, None],
        [2024, "Cá nhân", "Phạm Văn Nam", None, QLKH, "LDTT", "1/QĐ", "31/02/2024", None, None],
        [2024, "Cá nhân", "Phạm Văn Nam", None, "Phòng Không Có", "LDTT", None, None, None, None],
        GOOD[1],
        [2024, "Cá nhân", "", None, QLKH, "LDTT", None, None, None, None],
        ["năm ngoái", "Cá nhân", "Lê Văn Tám", "1985", QLKH, "LDTT", None, None, None, "y"],
    ]
    err = refused(org.office, rows)
    assert err.message == (
        "Chưa nhập được lịch sử khen thưởng: có 5 dòng lỗi. Không dòng nào được nhập."
    )
    assert err.details[0] == f"Dòng 3: năm 1960 ngoài khoảng 1975–{date.today().year}."
    assert err.details[1].startswith("Dòng 4: ngày quyết định «31/02/2024» không hợp lệ")
    assert err.details[2].startswith("Dòng 5: đơn vị «Phòng Không Có» không có trong danh mục")
    assert err.details[3] == "Dòng 7: thiếu họ và tên / tên tập thể."
    assert err.details[4].startswith("Dòng 8: năm «năm ngoái» không hợp lệ; ngày sinh «1985»")
    assert "cột đột xuất/chuyên đề ghi «y»" in err.details[4]
    client = as_user(org.office)
    client.post("/lich-su/nhap", {"file": (BytesIO(xlsx(rows)), "x.xlsx")}, page="/lich-su/")
    [(category, message)] = flashes(client)
    assert category == "danger" and "có 5 dòng lỗi" in message
    assert "<li>Dòng 3: năm 1960" in message and "<li>Dòng 7: thiếu họ và tên" in message
    assert count() == 0


def test_form_of_the_wrong_kind_and_duplicates_are_errors(app, org):
    err = refused(
        org.office,
        [
            GOOD[0],
            GOOD[0],
            [2024, "Tập thể", "Tổ Tài vụ", None, QLKH, "LDTT", None, None, None, None],
        ],
    )
    assert err.details == [
        "Dòng 3: trùng với dòng 2.",
        "Dòng 4: hình thức «Lao động tiên tiến» chỉ dành cho cá nhân.",
    ]
    assert run(org.office, [GOOD[0]]) == 1
    db.session.commit()
    with pytest.raises(DomainError) as info:
        run(org.office, [GOOD[1], GOOD[0]])
    assert info.value.details == [
        "Dòng 3: «Nguyễn Văn Đức» – Lao động tiên tiến năm 2024 đã có trong lịch sử khen thưởng."
    ]


def test_unknown_form_is_kept_as_written_with_a_warning(app, org):
    warnings = []
    rows = [
        [2010, "Cá nhân", "Võ Thị Phượng", None, None, "Giấy khen", None, None, None, None],
        [
            2011,
            "Tập thể",
            "Tổ Hành chính",
            None,
            QLKH,
            "Giấy khen của Giám đốc Sở",
            None,
            None,
            None,
            None,
        ],
    ]
    assert run(org.office, rows, warnings=warnings) == 2
    assert warnings == [
        "Dòng 2: hình thức «Giấy khen» không có trong danh mục, được lưu nguyên văn."
    ]
    old, group = db.session.scalars(select(AwardRecord).order_by(AwardRecord.year)).all()
    assert (old.award_code, old.award_name, old.unit_id) == (None, "Giấy khen", None)
    assert group.award_code == "GK_TT"  # the name without «(tập thể)», chosen by the kind


def test_staff_matched_by_name_unit_and_birth_date(app, org):
    twin = b.staff(org.qlkh, "Nguyễn Văn Đức")
    twin.birth_date = date(1990, 1, 1)
    b.staff(org.tdc, "Nguyễn Văn Đức")
    db.session.commit()
    warnings = []
    rows = [
        [2024, "Cá nhân", "Nguyễn Văn Đức", "01/01/1990", QLKH, "LDTT", None, None, None, None],
        [2023, "Cá nhân", "Nguyễn Văn Đức", "15/03/1985", "QLKH", "LDTT", None, None, None, None],
        [2022, "Cá nhân", "Nguyễn Văn Đức", None, QLKH, "LDTT", None, None, None, None],
        [2022, "Cá nhân", "Nguyễn Văn Đức", "02/02/1970", QLKH, "GK_CN", None, None, None, None],
    ]
    assert run(org.office, rows, warnings=warnings) == 4
    by_year = {(r.year, r.award_code): r.staff_id for r in db.session.scalars(select(AwardRecord))}
    assert by_year == {
        (2024, "LDTT"): twin.id,
        (2023, "LDTT"): org.duc.id,
        (2022, "LDTT"): None,
        (2022, "GK_CN"): None,
    }
    assert warnings == [
        "Dòng 4: «Nguyễn Văn Đức» trùng tên với 2 cán bộ của đơn vị, chưa gắn "
        "với cán bộ nào (ghi ngày sinh để phân biệt)."
    ]


def test_wrong_headers_are_named(app, org):
    headers = ["Năm", "Loại", "Họ tên", *HEADERS[3:5], "Hình thức", *HEADERS[6:]]
    err = refused(org.office, data=xlsx([GOOD[0]], headers=headers))
    assert "Dòng tiêu đề không đúng mẫu" in err.message
    assert err.details == ["Cột C: cần «Họ và tên / Tên tập thể», tệp có «Họ tên»."]


@pytest.mark.parametrize(
    "data,expected",
    [
        (pdf_bytes(), "không phải bảng tính Excel (.xlsx)"),
        ("Năm,Loại\n2024,Cá nhân\n".encode(), "không phải bảng tính Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "định dạng Excel cũ (.xls)"),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused(app, org, data, expected):
    err = refused(org.office, data=data, name="lịch sử.xlsx")
    assert err.message.startswith("Tệp «lịch sử.xlsx»") and expected in err.message


def test_two_thousand_rows_in_one_import(app, org):
    rows = [
        [
            1990 + i % 35,
            "Cá nhân",
            f"Người Thứ {i}",
            None,
            QLKH if i % 2 else None,
            "LDTT",
            f"{i}/QĐ-SKHCN",
            "24/12/2020",
            None,
            None,
        ]
        for i in range(2000)
    ]
    assert run(org.office, rows) == 2000
    db.session.commit()
    assert count() == 2000
    assert db.session.scalar(select(func.count()).where(AwardRecord.unit_id == org.qlkh.id)) == 1000


def record(staff, year, code="LDTT", **kw) -> AwardRecord:
    return operations.record_award(year=year, staff=staff, award_code=code, **kw)


def test_record_award_takes_the_register_and_is_idempotent_per_decision(app, org):
    first = record(org.duc, 2025, decision_id=7, decision_number="5/QĐ-SKHCN")
    assert (first.name, first.unit_id, first.birth_date, first.source) == (
        "Nguyễn Văn Đức",
        org.qlkh.id,
        date(1985, 3, 15),
        "decision",
    )
    assert first.award_name == "Lao động tiên tiến" and first.name_folded == "nguyen van duc"
    assert record(org.duc, 2025, decision_id=7) is first
    with pytest.raises(DomainError, match="mã «KHONGCO»"):
        record(org.duc, 2025, "KHONGCO")


def test_titles_by_year_ignores_revoked_and_one_off(app, org):
    record(org.duc, 2024)
    revoked = record(org.duc, 2024, "CSTDCS")
    operations.revoke(org.office, revoked, "Quyết định thu hồi số 3/QĐ-SKHCN: kê khai sai.")
    record(org.duc, 2023, "CSTDCS", counts_as_basis=False)
    record(org.duc, 2022, "CSTDCS")
    operations.record_award(
        year=2023, name="Nguyễn Văn Đức", award_code="LDTT", source="import"
    )  # archive row tied to nobody
    out = titles_by_year(
        staff_ids={org.duc.id},
        folded_names={"nguyen van duc"},
        codes={"LDTT", "CSTDCS"},
        years={2022, 2023, 2024},
    )
    assert out[("staff", org.duc.id)] == {2024: {"LDTT"}, 2022: {"CSTDCS"}}
    # The archive row tied to nobody counts only for a namesake of the same unit (none here).
    assert out[("name", "nguyen van duc", None)] == {2023: {"LDTT"}}


def test_person_page_by_year_with_revoked_and_one_off(app, as_user, org):
    record(org.duc, 2023, "LDTT")
    record(org.duc, 2025, "LDTT", decision_number="201/QĐ-SKHCN", decision_date=date(2025, 12, 24))
    record(org.duc, 2024, "GK_CN", counts_as_basis=False, award_name="Giấy khen đột xuất")
    wrong = record(org.duc, 2024, "CSTDCS")
    operations.revoke(org.office, wrong, "Theo Quyết định số 9/QĐ-SKHCN: sáng kiến không có thật.")
    db.session.commit()
    html = as_user(org.office).get(f"/lich-su/ca-nhan/{org.duc.id}").get_data(as_text=True)
    assert [int(y) for y in _attr(html, "data-year")] == [2025, 2024, 2023]
    assert "Quyết định số 201/QĐ-SKHCN ngày 24/12/2025" in html
    assert "<del><strong>Chiến sĩ thi đua cơ sở</strong>" in html and "Đã thu hồi" in html
    assert "Lý do: Theo Quyết định số 9/QĐ-SKHCN: sáng kiến không có thật." in html
    assert "Giấy khen đột xuất" in html and "không dùng làm căn cứ" in html
    assert html.count('data-testid="revoke-form"') == 3  # every award not yet revoked


def _attr(html: str, name: str) -> list[str]:
    import re

    return re.findall(rf'{name}="([^"]+)"', html)


def test_who_sees_which_page(app, as_user, org):
    own = as_user(b.user(Role.UNIT_HEAD, unit_obj=org.qlkh))
    other = as_user(b.user(Role.UNIT_HEAD, unit_obj=org.tdc))
    office, director = as_user(org.office), as_user(b.user(Role.DIRECTOR))
    person, unit = f"/lich-su/ca-nhan/{org.duc.id}", f"/lich-su/don-vi/{org.qlkh.id}"
    assert other.get(person).status_code == 403 and other.get(unit).status_code == 403
    assert own.get(person).status_code == 200 and own.get(unit).status_code == 200
    for client in (office, director):
        assert [client.get(u).status_code for u in (person, unit, "/lich-su/")] == [200] * 3
    assert own.get("/lich-su/").status_code == 403
    assert own.get("/lich-su/mau.xlsx").status_code == 403
    assert director.get("/lich-su/mau.xlsx").status_code == 403
    assert office.get("/lich-su/don-vi/999999").status_code == 404
    assert office.get("/lich-su/ca-nhan/999999").status_code == 404


def test_every_history_route_is_guarded(app, client):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("history.")]
    assert len(rules) == 6
    for rule in rules:
        assert hasattr(app.view_functions[rule.endpoint], "_access"), rule.endpoint
        url = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
        if "GET" in rule.methods:
            assert "/dang-nhap" in client.get(url).headers["Location"]


def test_revoke_needs_a_reason_and_the_office(app, as_user, org):
    award = record(org.duc, 2024, "CSTDCS")
    db.session.commit()
    url, page = f"/lich-su/ban-ghi/{award.id}/thu-hoi", f"/lich-su/ca-nhan/{org.duc.id}"
    office = as_user(org.office)
    resp = office.post(url, {"reason": "   "}, page=page)
    assert resp.headers["Location"].endswith(page)
    assert "Cần ghi lý do thu hồi" in flashes(office)[0][1] and not award.revoked
    head = as_user(b.user(Role.UNIT_HEAD, unit_obj=org.qlkh))
    assert head.post(url, {"reason": "Sai."}, page=page).status_code == 403
    office.post(url, {"reason": "Quyết định số 4/QĐ-SKHCN: kê khai sai sáng kiến."}, page=page)
    db.session.refresh(award)
    assert award.revoked and award.revoked_reason.startswith("Quyết định số 4/QĐ-SKHCN")
    [event] = audit.timeline("award_record", award.id)
    assert event.action == "award_revoked" and event.actor_id == org.office.id
    with pytest.raises(DomainError, match="đã bị thu hồi"):
        operations.revoke(org.office, award, "Lần nữa.")


def test_search_is_accent_insensitive_filtered_and_paginated(app, as_user, org):
    record(org.duc, 2024)
    record(org.hoa, 2023)
    assert demo.bulk_history(120) == 120
    db.session.commit()
    client = as_user(org.office)
    html = client.get("/lich-su/?q=NGUYEN+VAN+DUC").get_data(as_text=True)
    assert f'href="/lich-su/ca-nhan/{org.duc.id}"' in html and "Trần Thị Hoa" not in html
    url = f"/lich-su/?q=tran+thi+hoa&nam=2023&don_vi={org.tdc.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Trần Thị Hoa" in html and "1 bản ghi" in html
    html = client.get("/lich-su/?page=2").get_data(as_text=True)
    assert "122 bản ghi, trang 2/3" in html and html.count("<tr><td>") == 50


def test_demo_history_is_deterministic_idempotent_and_plants_each_rule(app):
    [note] = demo.build_history()
    assert "bản ghi" in note
    assert demo.build_history() == ["Lịch sử khen thưởng mẫu đã có sẵn, không tạo thêm."]
    from dossier.demo_org import build_org

    people = build_org()
    last = demo.campaign_year() - 1
    ids = {key: people[key].id for key in ("QLKH:1", "TDC:1", "TTUD:1", "QLCN:1")}
    out = titles_by_year(
        staff_ids=set(ids.values()),
        folded_names=set(),
        codes={"CSTDCS"},
        years=set(range(last - 4, last + 1)),
    )

    def years(key):
        return sorted(y for y, codes in out[("staff", ids[key])].items() if "CSTDCS" in codes)

    assert years("QLKH:1") == years("TDC:1") == [last - 1, last]
    assert years("TTUD:1") == [last - 2, last - 1, last]
    assert years("QLCN:1") == [last]
    revoked = db.session.scalars(select(AwardRecord).where(AwardRecord.revoked_at.is_not(None)))
    assert [r.staff_id for r in revoked] == [ids["QLCN:1"]]
    assert db.session.scalar(select(func.count()).where(~AwardRecord.counts_as_basis)) == 3
    [kept] = db.session.scalars(select(AwardRecord).where(AwardRecord.award_code.is_(None)))
    assert fold(kept.award_name).startswith("ky niem chuong")


def test_unit_page_shows_collective_and_people_by_year(app, as_user, org):
    operations.record_award(
        year=2024, kind=NomineeKind.COLLECTIVE, name=QLKH, unit_id=org.qlkh.id, award_code="TTLDTT"
    )
    record(org.duc, 2024)
    record(org.duc, 2024, "CSTDCS")
    record(org.duc, 2023)
    record(org.hoa, 2024)  # another unit's
    db.session.commit()
    head = as_user(b.user(Role.UNIT_HEAD, unit_obj=org.qlkh))
    html = head.get(f"/lich-su/don-vi/{org.qlkh.id}").get_data(as_text=True)
    assert [int(y) for y in _attr(html, "data-year")] == [2024, 2023]
    assert "Tập thể lao động tiên tiến" in html and "Trần Thị Hoa" not in html
    assert html.count(f'href="/lich-su/ca-nhan/{org.duc.id}"') == 2  # one line a year
    assert 'data-testid="revoke-form"' not in html  # revoking is the Văn phòng's


def test_search_counts_and_pages_only_up_to_the_cap(app, as_user, org, monkeypatch):
    """Province size (issue 17): past the cap the page says "Hơn …", its pages stop there
    and a deeper ?page= shows the last of them; the rows stay in the index's order."""
    from dossier.history import views

    assert demo.bulk_history(130) == 130
    db.session.commit()
    monkeypatch.setattr(views, "SEARCH_CAP", 100)
    client = as_user(org.office)
    html = client.get("/lich-su/").get_data(as_text=True)
    assert "Hơn 100 bản ghi, trang 1/2" in html and html.count("<tr><td>") == 50
    deep = client.get("/lich-su/?page=9").get_data(as_text=True)
    assert "trang 2/2" in deep and deep.count("<tr><td>") == 50
    years = [int(y) for y in re.findall(r"<tr><td>(\d{4})</td>", html)]
    assert years == sorted(years, reverse=True)
    monkeypatch.setattr(views, "SEARCH_CAP", 10_000)
    assert "130 bản ghi, trang 1/3" in client.get("/lich-su/").get_data(as_text=True)
