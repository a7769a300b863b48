"""The template of the award-history import: the sheet to fill, the award forms and the
units to choose from, and the notes on how rows are read."""

from __future__ import annotations

from io import BytesIO

from sqlalchemy import select

from ..campaigns.models import AwardForm
from ..enums import NomineeKind
from ..extensions import db
from ..org.models import Unit
from ..spreadsheet import append_row

SHEET, FORMS_SHEET, UNITS_SHEET = "Lịch sử khen thưởng", "Hình thức", "Đơn vị"
HEADERS = [
    "Năm",
    "Loại (Cá nhân/Tập thể)",
    "Họ và tên / Tên tập thể",
    "Ngày sinh",
    "Đơn vị",
    "Hình thức (mã hoặc tên)",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan ban hành",
    "Đột xuất/chuyên đề (x nếu có)",
]
WIDTHS = [10, 22, 34, 13, 40, 40, 18, 16, 40, 16]
EXAMPLE = "Ví dụ"  # rows whose first cell says so are skipped by the import
MAX_ROWS = 150_000


NOTES = (
    f"Dòng có cột Năm ghi «{EXAMPLE}» được bỏ qua khi nhập. Nếu có dòng lỗi, không dòng "
    "nào được nhập.",
    "Hình thức: ghi mã hoặc tên ở bảng trên; hình thức không còn trong danh mục (khen "
    "thưởng cũ) được lưu nguyên văn.",
    "Ngày: dạng ngày/tháng/năm (25/12/2024) hoặc ô định dạng ngày của Excel.",
    "Cá nhân trong danh sách cán bộ được nhận theo họ tên và đơn vị; ghi ngày sinh để "
    "phân biệt người trùng tên.",
    "Khen thưởng đột xuất, chuyên đề (ghi «x») không dùng làm căn cứ đề nghị khen thưởng "
    "cao hơn (Nghị định 152/2025/NĐ-CP, Điều 4).",
)


def _sheet(ws, header: list[str], rows, widths) -> None:
    from openpyxl.styles import Font, PatternFill

    ws.append(header)
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = width
    for row in rows:
        append_row(ws, row)  # unit and form names are typed by users


def template_xlsx() -> bytes:
    # openpyxl (~0.3 s CPU to import) is loaded when a workbook is made, not at start-up.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    forms = db.session.scalars(select(AwardForm).order_by(AwardForm.sort_order)).all()
    units = db.session.scalars(
        select(Unit).where(Unit.active).order_by(Unit.sort_order, Unit.name)
    ).all()
    unit, issuer = (units[0].name if units else ""), "Giám đốc Sở"
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _sheet(
        ws,
        HEADERS,
        [
            [
                EXAMPLE,
                "Cá nhân",
                "Nguyễn Văn A",
                "15/03/1985",
                unit,
                "LDTT",
                "125/QĐ-SKHCN",
                "25/12/2024",
                issuer,
                None,
            ],
            [
                EXAMPLE,
                "Tập thể",
                unit,
                None,
                None,
                "TTLDTT",
                "125/QĐ-SKHCN",
                "25/12/2024",
                issuer,
                None,
            ],
            [
                EXAMPLE,
                "Cá nhân",
                "Trần Thị B",
                None,
                unit,
                "Giấy khen",
                "37/QĐ-SKHCN",
                "12/09/2023",
                issuer,
                "x",
            ],
        ],
        WIDTHS,
    )
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.font = Font(italic=True, color="808080")
    for col in "DH":
        ws.column_dimensions[col].number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A2"
    for col, validation in (
        (
            "B",
            DataValidation(
                type="list",
                formula1='"Cá nhân,Tập thể"',
                showErrorMessage=True,
                error="Chọn «Cá nhân» hoặc «Tập thể».",
            ),
        ),
        (
            "J",
            DataValidation(
                type="list",
                formula1='"x"',
                showErrorMessage=True,
                error="Ghi «x» nếu là khen thưởng đột xuất hoặc chuyên đề.",
            ),
        ),
        ("E", DataValidation(type="list", formula1=f"='{UNITS_SHEET}'!$A$2:$A${len(units) + 1}")),
    ):
        validation.allow_blank = True
        validation.add(f"{col}2:{col}{MAX_ROWS + 1}")
        ws.add_data_validation(validation)
    _sheet(
        wb.create_sheet(FORMS_SHEET),
        ["Mã hình thức", "Tên hình thức", "Dành cho"],
        [
            *([f.code, f.name, NomineeKind(f.subject).title_vi] for f in forms),
            [],
            *([note] for note in NOTES),
        ],
        (16, 52, 12),
    )
    _sheet(
        wb.create_sheet(UNITS_SHEET),
        ["Tên đơn vị", "Mã"],
        ([u.name, u.code] for u in units),
        (60, 12),
    )
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
