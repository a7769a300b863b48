"""Control characters in an Excel import: the whole file is refused, each cell named by its row,
nothing saved. Excel stores such a character as "_xHHHH_" (ECMA-376); the import reads it as
Excel shows it, so a NUL or a BEL typed in Excel is caught too. Line breaks (Alt+Enter) and
tabs are whitespace: folded into one space, as before.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from dossier.campaigns.catalogue import ensure_default_forms
from dossier.enums import Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.history.importer import HEADERS as HISTORY_HEADERS
from dossier.history.importer import SHEET as HISTORY_SHEET
from dossier.history.models import AwardRecord
from dossier.nominations.importer import import_nominees
from dossier.nominations.models import Nominee
from tests import builders as b
from tests import dossier_builders as db_
from tests.test_control_chars import _snapshot


def _xlsx(headers, rows, sheet) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def dossier_and_head(app):
    unit = b.unit(name="Phòng Quản lý khoa học")
    head = b.user(Role.UNIT_HEAD, unit_obj=unit)
    d = db_.dossier(unit)
    db.session.commit()
    return d, head


@pytest.mark.parametrize("escape", ["_x0000_", "_x0007_", "_x001B_", "_x007F_"])
def test_nominee_import_refuses_control_characters_naming_rows(dossier_and_head, escape):
    d, head = dossier_and_head
    rows = [
        [1, "Cá nhân", "Lê Thị Mai", "Chuyên viên", "LDTT", 10, 0],
        [2, "Cá nhân", f"Trần{escape}Văn An", "Chuyên viên", "LDTT", 10, 0],
        [3, "Cá nhân", "Phạm Văn Nam", f"Kỹ sư{escape}", "LDTT", 10, 0],
    ]
    data = db_.xlsx_bytes(rows)
    before = db.session.scalar(select(func.count()).select_from(Nominee))
    with pytest.raises(DomainError) as err:
        import_nominees(head, d, version=d.version, file_storage=db_.upload(data, "x.xlsx"))
    assert "ký tự điều khiển" in err.value.message
    assert err.value.details == [
        "Dòng 3: cột «Họ và tên / Tên tập thể» chứa ký tự điều khiển không hợp lệ.",
        "Dòng 4: cột «Chức vụ» chứa ký tự điều khiển không hợp lệ.",
    ]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Nominee)) == before


def test_nominee_import_over_http_saves_nothing(dossier_and_head, as_user):
    d, head = dossier_and_head
    data = db_.xlsx_bytes([[1, "Cá nhân", "Lê_x0000_Mai", "", "LDTT", 10, 0]])
    client = as_user(head)
    before = _snapshot()
    resp = client.post(
        f"/ho-so/{d.id}/nhap-danh-sach",
        {"version": d.version, "file": (BytesIO(data), "x.xlsx")},
        follow_redirects=True,
    )
    assert "Dòng 2: cột «Họ và tên / Tên tập thể» chứa ký tự điều khiển" in resp.get_data(
        as_text=True
    )
    assert _snapshot() == before


def test_line_breaks_in_a_cell_are_folded_not_refused(dossier_and_head):
    d, head = dossier_and_head
    data = db_.xlsx_bytes([[1, "Cá nhân", "Lê Thị\nMai", "Chuyên\tviên", "LDTT", 10, 0]])
    import_nominees(head, d, version=d.version, file_storage=db_.upload(data, "x.xlsx"))
    db.session.commit()
    [n] = d.nominees
    assert (n.name, n.position) == ("Lê Thị Mai", "Chuyên viên")


def test_literal_escape_text_is_kept_as_typed(dossier_and_head):
    """Excel writes a typed "_x0041_" as "_x005F_x0041_": read back as typed."""
    d, head = dossier_and_head
    data = db_.xlsx_bytes([[1, "Cá nhân", "Tổ _x005F_x0041_ Một", "", "LDTT", 10, 0]])
    import_nominees(head, d, version=d.version, file_storage=db_.upload(data, "x.xlsx"))
    db.session.commit()
    assert d.nominees[0].name == "Tổ _x0041_ Một"


def test_history_import_refuses_control_characters_naming_rows(app, as_user):
    ensure_default_forms()
    office = b.user(Role.OFFICE)
    db.session.commit()
    row = [2024, "Cá nhân", "Nguyễn_x0007_An", None, None, "LDTT", "1/QĐ", "25/12/2024", "GĐ", None]
    good = [2024, "Cá nhân", "Lê Văn Bình", None, None, "LDTT", "1/QĐ", "25/12/2024", "GĐ", None]
    data = _xlsx(HISTORY_HEADERS, [good, row, [*good[:6], "2/QĐ_x0000_", *good[7:]]], HISTORY_SHEET)
    client = as_user(office)
    before = _snapshot()
    resp = client.post(
        "/lich-su/nhap",
        {"file": (BytesIO(data), "lưu trữ.xlsx")},
        page="/lich-su/",
        follow_redirects=True,
    )
    html = resp.get_data(as_text=True)
    assert "Dòng 3: cột «Họ và tên / Tên tập thể» chứa ký tự điều khiển" in html
    assert "Dòng 4: cột «Số quyết định» chứa ký tự điều khiển" in html
    assert _snapshot() == before
    assert db.session.scalar(select(func.count()).select_from(AwardRecord)) == 0
