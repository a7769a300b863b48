"""The nominee list from Excel: a template to fill, and an all-or-nothing import.

Every row is checked before anything is added; one bad row and nothing is imported, with
each error named by the row number Excel shows. The rows are then added one by one through
`operations.add_nominee` (which checks its rules again and audits "nominee_added"), inside
a savepoint, and one "nominees_imported" event records the import as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO

from sqlalchemy import select

from ..campaigns.models import AwardForm
from ..enums import NomineeKind
from ..errors import DomainError
from ..extensions import db
from ..org.models import Staff
from ..spreadsheet import read_table
from ..text import fold, nfc
from . import operations
from .models import Dossier
from .operations import ensure_editable
from .storage import clean_filename

SHEET, FORMS_SHEET = "Danh sách", "Hình thức"
HEADERS = [
    "STT",
    "Loại (Cá nhân/Tập thể)",
    "Họ và tên / Tên tập thể",
    "Chức vụ",
    "Mã hình thức",
    "Phiếu đồng ý",
    "Phiếu không đồng ý",
]
WIDTHS = [8, 24, 38, 28, 16, 14, 20]
EXAMPLE = "Ví dụ"  # rows whose STT says so are skipped by the import
MAX_ROWS = 1000
MAX_VOTES = 100_000  # far above any unit's meeting, far below any overflow
MAX_LINES = 20000  # blank but formatted rows count too: reading stops somewhere
KINDS = {fold(k.title_vi): k for k in NomineeKind} | {k.value: k for k in NomineeKind}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Row:
    line: int
    kind: NomineeKind
    name: str
    position: str | None
    form: AwardForm
    staff: Staff | None
    votes_for: int | None
    votes_against: int | None


# --- the template ------------------------------------------------------------------


def template_xlsx(dossier: Dossier) -> bytes:
    # openpyxl (~0.3 s CPU to import) is loaded when a workbook is made, not at start-up.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..spreadsheet import append_row  # spreadsheet imports this package

    forms = list(dossier.campaign.award_forms)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    for col, width in zip("ABCDEFG", WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    person = next((f.code for f in forms if f.subject == NomineeKind.INDIVIDUAL), "")
    group = next((f.code for f in forms if f.subject == NomineeKind.COLLECTIVE), "")
    example_font = Font(italic=True, color="808080")
    for values in (
        [EXAMPLE, "Cá nhân", "Nguyễn Văn A", "Chuyên viên", person, 12, 0],
        [EXAMPLE, "Tập thể", dossier.unit.name, None, group, 12, 0],
    ):
        append_row(ws, values)  # the unit's name is typed by a user
        for cell in ws[ws.max_row]:
            cell.font = example_font
    kinds = DataValidation(
        type="list",
        formula1='"Cá nhân,Tập thể"',
        allow_blank=True,
        error="Chọn «Cá nhân» hoặc «Tập thể».",
        showErrorMessage=True,
    )
    votes = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        error="Số phiếu là số nguyên không âm.",
        showErrorMessage=True,
    )
    codes = DataValidation(
        type="list", formula1=f"='{FORMS_SHEET}'!$A$2:$A${len(forms) + 1}", allow_blank=True
    )
    for validation, ref in ((kinds, "B2:B1001"), (votes, "F2:G1001"), (codes, "E2:E1001")):
        validation.add(ref)
        ws.add_data_validation(validation)

    sheet = wb.create_sheet(FORMS_SHEET)
    sheet.append(["Mã hình thức", "Tên hình thức", "Dành cho"])
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for form in forms:
        append_row(sheet, [form.code, form.name, NomineeKind(form.subject).title_vi])
    for col, width in zip("ABC", (16, 52, 12), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.append([])
    sheet.append([f"Dòng có STT «{EXAMPLE}» ở trang «{SHEET}» được bỏ qua khi nhập."])
    sheet.append(
        [
            "Cá nhân có trong danh sách cán bộ của đơn vị được nhận theo họ tên; "
            "người ngoài danh sách được nhập theo họ tên ghi trong tệp."
        ]
    )
    sheet.append(["Số phiếu có thể để trống và ghi sau trong biên bản họp."])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading -----------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(nfc(str(value)).split())


def _count(value) -> int | None:
    """A vote count: blank, or a non-negative whole number (ValueError otherwise)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\d{1,9}", value.strip(), re.ASCII):
        value = int(value.strip())
    if not isinstance(value, int) or not 0 <= value <= MAX_VOTES:
        raise ValueError
    return value


def _read(file_storage) -> list[tuple[int, tuple]]:

    return read_table(
        file_storage,
        headers=HEADERS,
        sheet=SHEET,
        template="mẫu danh sách",
        max_rows=MAX_ROWS,
        max_lines=MAX_LINES,
    )[1]


# --- checking ----------------------------------------------------------------------


def _check(dossier: Dossier, raw: list[tuple[int, tuple]]) -> tuple[list[Row], list[str]]:
    forms = {f.code.upper(): f for f in db.session.scalars(select(AwardForm))}
    admitted = {f.id for f in dossier.campaign.award_forms}
    register: dict[str, list[Staff]] = {}
    for person in db.session.scalars(select(Staff).where(Staff.unit_id == dossier.unit_id)):
        register.setdefault(fold(person.full_name), []).append(person)
    seen: dict[tuple, int] = {}
    rows, errors = [], []
    for line, values in raw:
        problems: list[str] = []
        _, kind_text, name, position, code, agree, against = (_text(v) for v in values)
        kind = KINDS.get(fold(kind_text))
        if not kind_text:
            problems.append("thiếu loại (ghi «Cá nhân» hoặc «Tập thể»)")
        elif kind is None:
            problems.append(f"loại «{kind_text}» không hợp lệ (ghi «Cá nhân» hoặc «Tập thể»)")
        if not name:
            problems.append("thiếu họ và tên / tên tập thể")
        elif len(name) > 200:
            problems.append("họ tên / tên tập thể dài quá 200 ký tự")
        if len(position) > 120:
            problems.append("chức vụ dài quá 120 ký tự")
        form = forms.get(code.upper())
        if not code:
            problems.append("thiếu mã hình thức")
        elif form is None:
            problems.append(f"mã hình thức «{code}» không có (xem trang «{FORMS_SHEET}»)")
        elif form.id not in admitted:
            problems.append(f"hình thức «{form.name}» không thuộc đợt thi đua này")
        elif kind is not None and form.subject != kind:
            problems.append(
                f"hình thức «{form.name}» chỉ dành cho {NomineeKind(form.subject).title_vi.lower()}"
            )
        votes = []
        for label, value in (("phiếu đồng ý", values[5]), ("phiếu không đồng ý", values[6])):
            try:
                votes.append(_count(value))
            except ValueError:
                votes.append(None)
                problems.append(f"{label} phải là số nguyên không âm (tệp có «{_text(value)}»)")
        present = dossier.meeting_present
        if present is not None and None not in votes and sum(votes) > present:
            problems.append(f"tổng số phiếu ({sum(votes)}) vượt quá số người dự họp ({present})")
        staff = None
        if kind == NomineeKind.INDIVIDUAL and name:
            matches = register.get(fold(name), [])
            if len(matches) > 1:
                problems.append(
                    f"trùng tên với {len(matches)} cán bộ của đơn vị; hãy thêm người "
                    "này trên trang hồ sơ để chọn đúng người"
                )
            elif matches:
                staff = matches[0]
                if staff.on_hold:
                    problems.append(
                        f"{staff.full_name} đang bị xem xét ({staff.hold_reason}); theo Nghị "
                        "định 152/2025/NĐ-CP, Điều 4, chưa được đề nghị khen thưởng"
                    )
        if kind is not None and name:
            # One person may hold several forms; the same form twice is a duplicate.
            form_id = form.id if form is not None else None
            key = (("staff", staff.id) if staff else (kind.value, fold(name)), form_id)
            if key in seen:
                problems.append(f"«{name}» trùng với dòng {seen[key]}")
            else:
                seen[key] = line
            if form is not None and any(
                n.award_form_id == form.id
                and (
                    (staff is not None and n.staff_id == staff.id)
                    or (n.kind == kind and n.name_folded == fold(name))
                )
                for n in dossier.nominees
            ):
                problems.append(
                    f"«{name}» đã được đề nghị «{form.name}» trong danh sách của hồ sơ này"
                )
        if problems:
            errors.append(f"Dòng {line}: " + "; ".join(problems) + ".")
        else:
            rows.append(Row(line, kind, name, position or None, form, staff, *votes))
    return rows, errors


def _refused(details: list[str]) -> DomainError:
    return DomainError(
        f"Chưa nhập được danh sách: có {len(details)} dòng lỗi. Không dòng nào được nhập.",
        details=details,
    )


# --- importing ---------------------------------------------------------------------


def import_nominees(actor, dossier: Dossier, *, version, file_storage) -> int:
    operations.expect_version(dossier, version)
    ensure_editable(dossier)
    rows, errors = _check(dossier, _read(file_storage))
    if errors:
        raise _refused(errors)
    # add_nominee checks the version it is given, and each add bumps the version column
    # (its audit write flushes the dossier). The user's version was checked above, once;
    # every call is handed the version as it stands at that moment.
    with db.session.begin_nested():  # any refusal below undoes every row already added
        for row in rows:
            try:
                nominee = operations.add_nominee(
                    actor,
                    dossier,
                    version=dossier.version,
                    kind=row.kind,
                    award_form_id=row.form.id,
                    staff_id=row.staff.id if row.staff else None,
                    name=row.name,
                    position=row.position,
                )
            except DomainError as err:
                raise _refused([f"Dòng {row.line}: {err.message}"]) from err
            nominee.votes_for, nominee.votes_against = row.votes_for, row.votes_against
        operations._changed(
            actor,
            dossier,
            "nominees_imported",
            count=len(rows),
            filename=clean_filename(getattr(file_storage, "filename", None)),
        )
        db.session.flush()
    return len(rows)
