"""The nominee list from Excel: the template round-trips; one bad row and nothing is imported."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dossier import audit
from dossier.enums import NomineeKind, Role
from dossier.errors import ConflictError, DomainError
from dossier.extensions import db
from dossier.nominations import operations
from dossier.nominations.importer import HEADERS, import_nominees
from dossier.nominations.models import Nominee
from tests import builders as b
from tests import dossier_builders as db_
from tests.dossier_builders import flashes


@pytest.fixture
def setup(app):
    unit = b.unit(name="Phòng Quản lý khoa học")
    head = b.user(Role.UNIT_HEAD, unit_obj=unit)
    b.staff(unit, "Nguyễn Văn Đức", position="Phó Trưởng phòng")
    b.staff(unit, "Trần Thị Hoa", hold="đang bị thanh tra")
    d = db_.dossier(unit)
    db.session.commit()
    return unit, head, d


def nominees() -> int:
    return db.session.scalar(select(func.count()).select_from(Nominee))


def run(head, d, rows, *, version=None, name="danh sách.xlsx", data=None):
    data = data if data is not None else db_.xlsx_bytes(rows)
    return import_nominees(
        head,
        d,
        version=d.version if version is None else version,
        file_storage=db_.upload(data, name),
    )


def refused(head, d, rows, **kw) -> DomainError:
    before = d.version
    with pytest.raises(DomainError) as info:
        run(head, d, rows, **kw)
    assert nominees() == 0 and d.version == before
    return info.value


GOOD = [
    [1, "Cá nhân", "nguyen van duc", "", "LDTT", 14, 1],  # in the register
    [2, "Cá nhân", "Lê Thị Mai", "Chuyên viên", "GK_CN", 15, 0],  # outside it
    [3, "Tập thể", "Tổ Hành chính – Tổng hợp", "", "TTLDTT", None, None],
]


def test_template_downloads_and_reimports_after_filling(app, as_user, setup):
    unit, head, d = setup
    client = as_user(head)
    resp = client.get(f"/ho-so/{d.id}/mau-danh-sach.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in resp.headers["Content-Disposition"]
    wb = load_workbook(BytesIO(resp.data))
    assert wb.sheetnames == ["Danh sách", "Hình thức"]
    ws = wb["Danh sách"]
    assert [c.value for c in ws[1]] == HEADERS and all(c.font.b for c in ws[1])
    assert ws.max_row == 3 and ws["A2"].value == "Ví dụ"
    assert ws.column_dimensions["C"].width >= 30
    assert any('"Cá nhân,Tập thể"' == v.formula1 for v in ws.data_validations.dataValidation)
    forms = {r[0]: r[2] for r in wb["Hình thức"].iter_rows(min_row=2, values_only=True) if r[1]}
    assert forms["LDTT"] == "Cá nhân" and forms["TTLDTT"] == "Tập thể"
    assert set(forms) == {f.code for f in d.campaign.award_forms}
    for row in GOOD:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    resp = client.post(
        f"/ho-so/{d.id}/nhap-danh-sach",
        {"version": d.version, "file": (BytesIO(out.getvalue()), "đã điền.xlsx")},
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#nhap-danh-sach")
    assert flashes(client) == [("success", "Đã nhập 3 người/tập thể vào danh sách đề nghị.")]
    by_name = {n.name: n for n in d.nominees}
    assert set(by_name) == {"Nguyễn Văn Đức", "Lê Thị Mai", "Tổ Hành chính – Tổng hợp"}
    duc = by_name["Nguyễn Văn Đức"]
    assert duc.staff_id is not None and duc.position == "Phó Trưởng phòng"
    assert (duc.votes_for, duc.votes_against) == (14, 1)
    mai = by_name["Lê Thị Mai"]
    assert mai.staff_id is None and mai.position == "Chuyên viên" and mai.votes_for == 15
    assert by_name["Tổ Hành chính – Tổng hợp"].kind == NomineeKind.COLLECTIVE
    actions = [e.action for e in audit.timeline("dossier", d.id)]
    assert actions == ["nominee_added"] * 3 + ["nominees_imported"]
    assert audit.timeline("dossier", d.id)[-1].payload == {"count": 3, "filename": "đã điền.xlsx"}


def test_every_add_gets_the_current_version_and_the_old_form_then_conflicts(app, setup):
    _, head, d = setup
    seen = d.version
    assert run(head, d, GOOD, version=seen) == 3
    db.session.commit()
    assert d.version > seen
    with pytest.raises(ConflictError):
        run(head, d, [[1, "Cá nhân", "Phạm Văn Nam", "", "LDTT", 1, 0]], version=seen)


def test_three_good_and_two_broken_rows_import_nothing(app, as_user, setup):
    _, head, d = setup
    rows = [
        GOOD[0],
        GOOD[1],
        [3, "Cá nhân", "", "", "LDTT", 1, 0],
        GOOD[2],
        [5, "Cá nhân", "Phạm Văn Nam", "", "KHONGCO", 1, 0],
    ]
    err = refused(head, d, rows)
    assert err.message == ("Chưa nhập được danh sách: có 2 dòng lỗi. Không dòng nào được nhập.")
    assert len(err.details) == 2
    assert err.details[0] == "Dòng 4: thiếu họ và tên / tên tập thể."
    assert err.details[1].startswith("Dòng 6: mã hình thức «KHONGCO» không có")
    client = as_user(head)
    client.post(
        f"/ho-so/{d.id}/nhap-danh-sach",
        {"version": d.version, "file": (BytesIO(db_.xlsx_bytes(rows)), "x.xlsx")},
    )
    [(category, message)] = flashes(client)
    assert category == "danger" and "có 2 dòng lỗi" in message
    assert "<li>Dòng 4: thiếu họ và tên" in message and "<li>Dòng 6:" in message
    assert nominees() == 0


@pytest.mark.parametrize(
    "row,expected",
    [
        ([1, "Cán bộ", "Phạm Văn Nam", "", "LDTT", 1, 0], "loại «Cán bộ» không hợp lệ"),
        (
            [1, "Tập thể", "Tổ Tài vụ", "", "LDTT", 1, 0],
            "hình thức «Lao động tiên tiến» chỉ dành cho cá nhân",
        ),
        (
            [1, "Cá nhân", "Phạm Văn Nam", "", "LDTT", -1, 0],
            "phiếu đồng ý phải là số nguyên không âm",
        ),
        (
            [1, "Cá nhân", "Phạm Văn Nam", "", "LDTT", 3, "hai"],
            "phiếu không đồng ý phải là số nguyên không âm (tệp có «hai»)",
        ),
        ([1, "Cá nhân", "Phạm Văn Nam", "", "LDTT", 2.5, 0], "phiếu đồng ý phải là số nguyên"),
        (
            [1, "cá nhân", "TRAN THI HOA", "", "LDTT", 1, 0],
            "Trần Thị Hoa đang bị xem xét (đang bị thanh tra); theo Nghị định 152/2025/NĐ-CP",
        ),
    ],
)
def test_row_errors_name_the_row_and_the_problem(app, setup, row, expected):
    _, head, d = setup
    err = refused(head, d, [GOOD[1], row])
    assert len(err.details) == 1
    assert err.details[0].startswith("Dòng 3: ") and expected in err.details[0]


def test_form_not_admitted_in_this_campaign(app, setup):
    _, head, d = setup
    d.campaign.award_forms = [f for f in d.campaign.award_forms if f.code != "GK_CN"]
    db.session.flush()
    err = refused(head, d, [GOOD[1]])
    assert err.details == [
        "Dòng 2: hình thức «Giấy khen của Giám đốc Sở (cá nhân)» không thuộc đợt thi đua này."
    ]


def test_duplicate_within_the_file_is_accent_and_case_insensitive(app, setup):
    _, head, d = setup
    err = refused(head, d, [GOOD[1], GOOD[2], [3, "Cá nhân", "LE THI MAI", "", "GK_CN", 1, 0]])
    assert err.details == ["Dòng 4: «LE THI MAI» trùng với dòng 2."]


def test_duplicate_with_an_existing_nominee(app, setup):
    _, head, d = setup
    form = next(f for f in d.campaign.award_forms if f.code == "LDTT")
    operations.add_nominee(
        head,
        d,
        version=d.version,
        kind=NomineeKind.INDIVIDUAL,
        award_form_id=form.id,
        name="Lê Thị Mai",
    )
    db.session.commit()
    with pytest.raises(DomainError) as info:
        run(head, d, [GOOD[2], [2, "Cá nhân", "lê thị mai", "", "LDTT", 1, 0]])
    assert info.value.details == [
        "Dòng 3: «lê thị mai» đã được đề nghị «Lao động tiên tiến» trong danh sách của hồ sơ này."
    ]
    assert nominees() == 1


def test_wrong_headers_are_named(app, setup):
    _, head, d = setup
    headers = ["STT", "Loại", "Họ tên", *HEADERS[3:]]
    err = refused(head, d, [], data=db_.xlsx_bytes([GOOD[1]], headers=headers))
    assert "Dòng tiêu đề không đúng mẫu" in err.message and HEADERS[2] in err.message
    assert err.details == [
        "Cột B: cần «Loại (Cá nhân/Tập thể)», tệp có «Loại».",
        "Cột C: cần «Họ và tên / Tên tập thể», tệp có «Họ tên».",
    ]


@pytest.mark.parametrize(
    "data,expected",
    [
        (db_.pdf_bytes(), "không phải bảng tính Excel (.xlsx)"),
        ("STT,Loại\n1,Cá nhân\n".encode(), "không phải bảng tính Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "định dạng Excel cũ (.xls)"),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused_clearly(app, setup, data, expected):
    _, head, d = setup
    err = refused(head, d, [], data=data, name="danh sách.xlsx")
    assert err.message.startswith("Tệp «danh sách.xlsx»") and expected in err.message


def test_only_example_and_blank_rows_is_refused(app, setup):
    _, head, d = setup
    err = refused(head, d, [["Ví dụ", "Cá nhân", "Nguyễn Văn A", "", "LDTT", 1, 0], []])
    assert "không có dòng nào để nhập" in err.message


def test_blank_rows_keep_excel_row_numbers(app, setup):
    _, head, d = setup
    err = refused(head, d, [GOOD[1], [], [], [4, "Cá nhân", "Phạm Văn Nam", "", "", 1, 0]])
    assert err.details == ["Dòng 5: thiếu mã hình thức."]


def test_a_refusal_while_adding_undoes_every_row_already_added(app, setup, monkeypatch):
    _, head, d = setup
    real, calls = operations.add_nominee, []

    def flaky(*args, **kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise DomainError("Quy tắc mới từ chối người này.")
        return real(*args, **kwargs)

    monkeypatch.setattr(operations, "add_nominee", flaky)
    before = d.version
    with pytest.raises(DomainError) as info:
        run(head, d, GOOD)
    assert info.value.details == ["Dòng 3: Quy tắc mới từ chối người này."]
    assert "có 1 dòng lỗi" in info.value.message
    db.session.commit()
    assert nominees() == 0 and audit.timeline("dossier", d.id) == []
    assert d.version == before


def test_submitted_dossier_refuses_the_import(app, as_user, setup):
    _, head, d = setup
    db_.set_state(d, "submitted")
    db.session.commit()
    with pytest.raises(DomainError, match="Hồ sơ đã nộp"):
        run(head, d, GOOD)
    resp = as_user(head).post(
        f"/ho-so/{d.id}/nhap-danh-sach",
        {"version": d.version, "file": (BytesIO(db_.xlsx_bytes(GOOD)), "x.xlsx")},
    )
    assert resp.status_code == 403 and nominees() == 0


def test_template_is_for_those_who_see_the_dossier(app, as_user, setup):
    _, _, d = setup
    assert (
        as_user(b.user(Role.UNIT_HEAD)).get(f"/ho-so/{d.id}/mau-danh-sach.xlsx").status_code == 403
    )


def test_dossier_page_carries_both_partials(app, as_user, setup):
    _, head, d = setup
    client = as_user(head)
    client.post(
        f"/ho-so/{d.id}/tep",
        {
            "version": d.version,
            "kind": "minutes_scan",
            "file": (BytesIO(db_.pdf_bytes()), "Biên bản họp.pdf"),
        },
    )
    html = client.get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert "Đã tải lên «Biên bản họp.pdf»." in html
    for marker in (
        'id="tep"',
        'data-testid="upload-form"',
        'data-testid="import-form"',
        f'href="/ho-so/{d.id}/mau-danh-sach.xlsx"',
        "Bản scan biên bản họp",
    ):
        assert marker in html
    db_.set_state(d, "submitted")
    db.session.commit()
    html = as_user(b.user(Role.OFFICE)).get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert "Biên bản họp.pdf" in html and 'data-testid="upload-form"' not in html
    assert 'data-testid="import-form"' not in html


def test_a_wrong_used_range_in_the_file_does_not_hide_rows(app, setup):
    import re
    import zipfile

    _, head, d = setup
    source, out = zipfile.ZipFile(BytesIO(db_.xlsx_bytes(GOOD))), BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:A1"', body)
            target.writestr(item, body)
    assert run(head, d, [], data=out.getvalue()) == 3


def test_too_many_rows_are_refused(app, setup, monkeypatch):
    from dossier.nominations import importer

    _, head, d = setup
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    assert "tối đa 2 dòng" in refused(head, d, GOOD).message
