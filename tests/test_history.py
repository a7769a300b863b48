"""Award history: the archive import is all-or-nothing, the pages, revocation, and what the
rules engine reads (revoked and one-off awards never count as a basis)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from dossier import audit
from dossier.enums import NomineeKind
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.history.importer import HEADERS, SHEET, import_records
from dossier.history.models import AwardRecord
from tests import builders as b
from tests.dossier_builders import flashes, pdf_bytes, upload
from tests.history_builders import QLKH
from tests.history_builders import org as org  # the fixture
from tests.history_builders import wired as wired  # the fixture (autouse)


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
