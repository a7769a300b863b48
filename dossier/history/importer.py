"""The award history from the paper archive: a template to fill, and an all-or-nothing import.

Built for whole archives (100,000 rows): the file is read and every row checked in Python
first (one query per lookup table, none per row); one bad row and nothing is imported, each
error named by the row number Excel shows. The rows then go in by bulk INSERT, with one
"history_imported" audit event for the import as a whole.

Award forms that no longer exist are kept as written (`award_code=None`), with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO

from sqlalchemy import insert, select

from .. import audit
from ..access import Action, can
from ..campaigns.models import AwardForm
from ..db import utcnow
from ..enums import NomineeKind
from ..errors import DomainError
from ..extensions import db
from ..nominations.importer import KINDS
from ..org.models import Staff, Unit
from ..params import DATE_MIN
from ..spreadsheet import append_row, read_table
from ..text import fold, nfc
from ..timeutil import local_now
from .models import AwardRecord
from .operations import FIRST_YEAR

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
MAX_LINES = 300_000  # blank but formatted rows count too: reading stops somewhere
ONE_OFF = {"x", "co", "1", "true", "dot xuat", "chuyen de", "dot xuat/chuyen de"}
NOT_ONE_OFF = {"", "khong", "0", "false"}
DATE_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
SUBJECT_SUFFIX = re.compile(r"\s*\((ca nhan|tap the)\)$")
BATCH = 10_000
LIMITS = (
    ("họ tên / tên tập thể", 2, 200),
    ("hình thức", 5, 200),
    ("số quyết định", 6, 60),
    ("cơ quan ban hành", 8, 200),
)
_fold = lru_cache(maxsize=4096)(fold)  # for the columns that repeat: kinds, units, forms


# --- the template ------------------------------------------------------------------


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


# --- reading (no database: the caller may hold no lock meanwhile) --------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # the common case first: a million cells in a whole archive
        return " ".join(unicodedata.normalize("NFC", value).split())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    return " ".join(nfc(str(value)).split())


def _year(value) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip(), re.ASCII):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10000:
        return value
    return None


def _date(value) -> date | None:
    """A real date cell, or dd/mm/yyyy text; ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError
    day, month, year = (int(g) for g in match.groups())
    return date(year, month, day)  # ValueError for 31/02/2024


def read_rows(file_storage) -> tuple[str, list[tuple[int, tuple]]]:
    """(file name, [(Excel row number, the row's values)]) or DomainError."""

    return read_table(
        file_storage,
        headers=HEADERS,
        sheet=SHEET,
        template="mẫu lịch sử khen thưởng",
        max_rows=MAX_ROWS,
        max_lines=MAX_LINES,
        short_headers=True,
    )


# --- checking ----------------------------------------------------------------------


class _Lookups:
    """Units, award forms, the staff register and the records already held: read once."""

    def __init__(self, years: set[int]):
        self.units: dict[str, int] = {}
        for unit_id, name, code in db.session.execute(select(Unit.id, Unit.name, Unit.code)):
            self.units[fold(name)] = unit_id
            self.units.setdefault(fold(code), unit_id)
        self.by_code: dict[str, AwardForm] = {}
        self.by_name: dict[str, list[AwardForm]] = {}
        for form in db.session.scalars(select(AwardForm).order_by(AwardForm.sort_order)):
            self.by_code[fold(form.code)] = form
            for key in {fold(form.name), SUBJECT_SUFFIX.sub("", fold(form.name))}:
                self.by_name.setdefault(key, []).append(form)
        self.register: dict[tuple[str, int], list[tuple[int, date | None, str]]] = {}
        for sid, full_name, unit_id, born in db.session.execute(
            select(Staff.id, Staff.full_name, Staff.unit_id, Staff.birth_date)
        ):
            self.register.setdefault((fold(full_name), unit_id), []).append((sid, born, full_name))
        self.held = {
            _key(*row)
            for row in db.session.execute(
                select(
                    AwardRecord.kind,
                    AwardRecord.name_folded,
                    AwardRecord.unit_id,
                    AwardRecord.birth_date,
                    AwardRecord.year,
                    AwardRecord.award_code,
                    AwardRecord.award_name,
                    AwardRecord.decision_number,
                ).where(AwardRecord.year.in_(years))
            )
        }

    def staff(self, folded: str, unit_id: int, birth: date | None) -> list[tuple]:
        people = self.register.get((folded, unit_id), [])
        if birth is not None:
            return [p for p in people if p[1] == birth] or [p for p in people if p[1] is None]
        return people


def _key(kind, folded, unit_id, birth, year, code, award_name, decision_number) -> tuple:
    return (
        str(kind),
        folded,
        unit_id,
        birth,
        year,
        code or fold(award_name),
        fold(decision_number or ""),
    )


def check_rows(raw: list[tuple[int, tuple]]) -> tuple[list[dict], list[str], list[str]]:
    """(rows ready for INSERT, errors, warnings), each message naming the Excel row."""
    this_year, today = local_now().year, local_now().date()
    look = _Lookups({y for _, v in raw if (y := _year(v[0])) is not None})
    seen: dict[tuple, int] = {}
    rows, errors, warnings = [], [], []
    stamp = utcnow()
    for line, values in raw:
        problems, notes = [], []
        texts = [_text(v) for v in values]
        _, kind_text, name, _, unit_text, form_text, number, _, issuer, flag = texts
        year = _year(values[0])
        if year is None:
            problems.append(f"năm «{texts[0]}» không hợp lệ" if texts[0] else "thiếu năm")
        elif not FIRST_YEAR <= year <= this_year:
            problems.append(f"năm {year} ngoài khoảng {FIRST_YEAR}–{this_year}")
        kind = KINDS.get(_fold(kind_text))
        if not kind_text:
            problems.append("thiếu loại (ghi «Cá nhân» hoặc «Tập thể»)")
        elif kind is None:
            problems.append(f"loại «{kind_text}» không hợp lệ (ghi «Cá nhân» hoặc «Tập thể»)")
        if not name:
            problems.append("thiếu họ và tên / tên tập thể")
        problems += [
            f"{label} dài quá {size} ký tự" for label, i, size in LIMITS if len(texts[i]) > size
        ]
        dates = []
        for label, value in (("ngày sinh", values[3]), ("ngày quyết định", values[7])):
            try:
                dates.append(_date(value))
            except ValueError:
                dates.append(None)
                problems.append(
                    f"{label} «{_text(value)}» không hợp lệ (ghi ngày/tháng/năm, ví dụ 25/12/2024)"
                )
                continue
            if dates[-1] is not None and dates[-1] > today:
                problems.append(f"{label} {dates[-1]:%d/%m/%Y} ở sau ngày hôm nay")
            elif dates[-1] is not None and dates[-1] < DATE_MIN:
                problems.append(f"{label} {dates[-1]:%d/%m/%Y} trước năm {DATE_MIN.year}")
        birth, decided = dates
        if birth is not None and kind == NomineeKind.COLLECTIVE:
            problems.append("tập thể không ghi ngày sinh")
        unit_id = look.units.get(_fold(unit_text)) if unit_text else None
        if unit_text and unit_id is None:
            problems.append(
                f"đơn vị «{unit_text}» không có trong danh mục (xem trang «{UNITS_SHEET}» của mẫu)"
            )
        elif not unit_text and kind == NomineeKind.COLLECTIVE:
            unit_id = look.units.get(_fold(name))  # the collective is a unit itself
        one_off = _fold(flag)
        if one_off not in ONE_OFF | NOT_ONE_OFF:
            problems.append(f"cột đột xuất/chuyên đề ghi «{flag}» (chỉ ghi «x» hoặc để trống)")
        form, folded_form = None, _fold(form_text)
        candidates = (
            [look.by_code[folded_form]]
            if folded_form in look.by_code
            else look.by_name.get(folded_form, [])
        )
        if not form_text:
            problems.append("thiếu hình thức khen thưởng")
        elif kind is not None and candidates:
            form = next((f for f in candidates if f.subject == kind), None)
            if form is None:
                problems.append(
                    f"hình thức «{candidates[0].name}» chỉ dành cho "
                    f"{NomineeKind(candidates[0].subject).title_vi.lower()}"
                )
        elif not candidates:
            notes.append(f"hình thức «{form_text}» không có trong danh mục, được lưu nguyên văn")
        folded = fold(name)
        staff_id = None
        if kind == NomineeKind.INDIVIDUAL and unit_id is not None and name:
            matches = look.staff(folded, unit_id, birth)
            if len(matches) == 1:
                staff_id, _, name = matches[0]  # the name as the register writes it
            elif matches:
                notes.append(
                    f"«{name}» trùng tên với {len(matches)} cán bộ của đơn vị, chưa "
                    "gắn với cán bộ nào (ghi ngày sinh để phân biệt)"
                )
        award_name = form.name if form else form_text
        if not problems:
            key = _key(
                kind.value,
                folded,
                unit_id,
                birth,
                year,
                form.code if form else None,
                award_name,
                number,
            )
            if key in look.held:
                problems.append(
                    f"«{name}» – {award_name} năm {year} đã có trong lịch sử khen thưởng"
                )
            elif key in seen:
                problems.append(f"trùng với dòng {seen[key]}")
            else:
                seen[key] = line
        if problems:
            errors.append(f"Dòng {line}: " + "; ".join(problems) + ".")
            continue
        warnings.extend(f"Dòng {line}: {note}." for note in notes)
        rows.append(
            dict(
                year=year,
                kind=kind.value,
                staff_id=staff_id,
                unit_id=unit_id,
                name=name,
                name_folded=folded,
                birth_date=birth,
                award_code=form.code if form else None,
                award_name=award_name,
                decision_number=number or None,
                decision_date=decided,
                issuer=issuer or None,
                counts_as_basis=one_off in NOT_ONE_OFF,
                source="import",
                decision_id=None,
                revoked_at=None,
                revoked_reason=None,
                created_at=stamp,
            )
        )
    return rows, errors, warnings


# --- importing ---------------------------------------------------------------------


def import_records(actor, file_storage, *, warnings: list[str] | None = None) -> int:
    """Import every row or none; `warnings` (if given) receives the rows kept as written."""
    filename, raw = read_rows(file_storage)
    rows, errors, notes = check_rows(raw)
    if errors:
        raise DomainError(
            f"Chưa nhập được lịch sử khen thưởng: có {len(errors)} dòng lỗi. "
            "Không dòng nào được nhập.",
            details=errors,
        )
    if warnings is not None:
        warnings.extend(notes)
    with db.session.begin_nested():  # a failure mid-way leaves no row behind
        for start in range(0, len(rows), BATCH):
            # Core INSERT on the table: the ORM's bulk path costs 40% more at 100,000 rows.
            db.session.execute(insert(AwardRecord.__table__), rows[start : start + BATCH])
        audit.record(
            actor=actor,
            action="history_imported",
            object_type="history",
            data={"rows": len(rows), "file": filename},
            verdict=can(actor, Action.REVIEW_DOSSIER),
        )
    return len(rows)
