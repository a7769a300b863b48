"""Yearly ratings, initiatives and disciplines from Excel: all or nothing, like the history.

Each kind has its own template (one sheet). Every row is checked before anything is
written; one bad row and nothing is imported, each error named by the row number Excel
shows: a person not in the staff register (or ambiguous), an impossible year, a value not
in the list, a row repeated in the file or already recorded.

`apply_rows` is the one operation behind both the page's Excel import and the API's
(dossier/api/facts.py): the API passes its items as the same row tuples, numbered from 1,
and asks that a row already recorded be replaced (a connected system re-sends).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from sqlalchemy import bindparam, insert, select

from .. import audit
from ..access import UNIT_ROLES, Action, Refused, can
from ..db import utcnow
from ..enums import DisciplineLevel, InitiativeScope, Rating, Role
from ..errors import DomainError
from ..extensions import db
from ..org.models import Staff, Unit
from ..spreadsheet import append_row, read_table
from ..text import fold
from ..timeutil import local_now
from .cells import cell_date as _date
from .cells import cell_text as _text
from .cells import cell_year as _year
from .facts import Discipline, Initiative, StaffRating
from .operations import FIRST_YEAR

MAX_ROWS, MAX_LINES = 50_000, 100_000
EXAMPLE = "Ví dụ"


@dataclass(frozen=True)
class Spec:
    slug: str
    title: str  # "xếp loại chất lượng"
    sheet: str
    headers: list[str]
    model: type


SPECS = {
    s.slug: s
    for s in (
        Spec(
            "xep-loai",
            "xếp loại chất lượng",
            "Xếp loại",
            ["Năm", "Họ và tên", "Ngày sinh", "Đơn vị", "Xếp loại"],
            StaffRating,
        ),
        Spec(
            "sang-kien",
            "sáng kiến",
            "Sáng kiến",
            [
                "Năm",
                "Họ và tên",
                "Ngày sinh",
                "Đơn vị",
                "Tên sáng kiến / đề tài",
                "Số quyết định công nhận",
                "Ngày quyết định",
                "Phạm vi",
            ],
            Initiative,
        ),
        Spec(
            "ky-luat",
            "kỷ luật",
            "Kỷ luật",
            ["Năm", "Họ và tên", "Ngày sinh", "Đơn vị", "Hình thức kỷ luật", "Số quyết định"],
            Discipline,
        ),
    )
}
CHOICES = {"xep-loai": Rating, "sang-kien": InitiativeScope, "ky-luat": DisciplineLevel}


def _choice(enum, text: str):
    folded = fold(text)
    return next((m for m in enum if folded in (fold(m.title_vi), m.value)), None)


def template_xlsx(slug: str) -> bytes:
    # openpyxl (~0.3 s CPU to import) is loaded when a workbook is made, not at start-up.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    spec = SPECS[slug]
    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet
    ws.append(spec.headers)
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    unit = db.session.scalar(select(Unit.name).where(Unit.active).order_by(Unit.sort_order))
    year = local_now().year
    enum = CHOICES[slug]
    example = {
        "xep-loai": [EXAMPLE, "Nguyễn Văn A", "15/03/1985", unit, Rating.GOOD.title_vi],
        "sang-kien": [
            EXAMPLE,
            "Nguyễn Văn A",
            "15/03/1985",
            unit,
            "Số hóa hồ sơ thi đua",
            "12/QĐ-SKHCN",
            f"20/11/{year}",
            InitiativeScope.AGENCY.title_vi,
        ],
        "ky-luat": [EXAMPLE, "Nguyễn Văn A", None, unit, "Khiển trách", "5/QĐ-SKHCN"],
    }[slug]
    append_row(ws, example)
    for i in range(len(spec.headers)):
        ws.column_dimensions[chr(65 + i)].width = 24
    notes = wb.create_sheet("Hướng dẫn")
    for line in (
        [f"Dòng có cột Năm ghi «{EXAMPLE}» được bỏ qua."],
        ["Nếu có dòng lỗi, không dòng nào được nhập."],
        ["Cán bộ được nhận theo họ tên và đơn vị; ghi ngày sinh khi đơn vị có người trùng tên."],
        ["Giá trị được chấp nhận:"],
        *([m.title_vi] for m in enum),
    ):
        append_row(notes, line)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class _Register:
    def __init__(self):
        self.units: dict[str, int] = {}
        for unit_id, name, code in db.session.execute(select(Unit.id, Unit.name, Unit.code)):
            self.units[fold(name)] = unit_id
            self.units.setdefault(fold(code), unit_id)
        self.people: dict[tuple[str, int], list[tuple[int, date | None]]] = {}
        for sid, name, unit_id, born in db.session.execute(
            select(Staff.id, Staff.full_name, Staff.unit_id, Staff.birth_date)
        ):
            self.people.setdefault((fold(name), unit_id), []).append((sid, born))


def _held(slug: str) -> dict[tuple, int]:
    """What is recorded already: the row's key -> its id."""
    if slug == "xep-loai":
        model, key = StaffRating, (StaffRating.staff_id, StaffRating.year)
    elif slug == "sang-kien":
        model = Initiative
        key = (Initiative.staff_id, Initiative.title_folded, Initiative.decision_number)
    else:
        model, key = Discipline, (Discipline.staff_id, Discipline.year, Discipline.level)
    return {tuple(row[1:]): row[0] for row in db.session.execute(select(model.id, *key))}


def row_label(line: int) -> str:
    """A row of the Excel file, as Excel numbers it."""
    return f"Dòng {line}"


def check_rows(
    slug: str,
    raw: list[tuple[int, tuple]],
    allowed_units: set[int] | None = None,
    *,
    update: bool = False,
    label=row_label,
) -> tuple[list[dict], list[str]]:
    """(rows ready to write, errors naming the row by `label`). A row already recorded is an
    error, or with `update` (the API's re-send) a row carrying the recorded one's "id"."""
    this_year, today, stamp = local_now().year, local_now().date(), utcnow()
    reg, held, enum = _Register(), _held(slug), CHOICES[slug]
    seen: dict[tuple, int] = {}
    rows, errors = [], []
    for line, values in raw:
        texts = [_text(v) for v in values]
        problems: list[str] = []
        year = _year(values[0])
        if year is None:
            problems.append(f"năm «{texts[0]}» không hợp lệ" if texts[0] else "thiếu năm")
        elif not FIRST_YEAR <= year <= this_year:
            problems.append(f"năm {year} ngoài khoảng {FIRST_YEAR}–{this_year}")
        name, unit_text = texts[1], texts[3]
        try:
            born = _date(values[2])
        except ValueError:
            born = None
            problems.append(f"ngày sinh «{texts[2]}» không hợp lệ")
        unit_id = reg.units.get(fold(unit_text)) if unit_text else None
        staff_id = None
        if not name or not unit_text:
            problems.append("thiếu họ tên hoặc đơn vị")
        elif unit_id is None:
            problems.append(f"đơn vị «{unit_text}» không có trong danh mục")
        elif allowed_units is not None and unit_id not in allowed_units:
            problems.append(f"«{unit_text}» không phải đơn vị của bạn")
        else:
            people = reg.people.get((fold(name), unit_id), [])
            if born is not None:
                people = [p for p in people if p[1] == born]
            if not people:
                problems.append(f"không có cán bộ «{name}» trong danh sách cán bộ của {unit_text}")
            elif len(people) > 1:
                problems.append(
                    f"«{name}» trùng tên với {len(people)} cán bộ của đơn vị: ghi ngày sinh"
                )
            else:
                staff_id = people[0][0]
        value_text = texts[4] if slug != "sang-kien" else texts[7]
        choice = _choice(enum, value_text)
        if choice is None:
            problems.append(
                f"giá trị «{value_text}» không hợp lệ (chọn: "
                + ", ".join(m.title_vi for m in enum)
                + ")"
            )
        row: dict = dict(staff_id=staff_id, created_at=stamp)
        if slug == "xep-loai":
            row.update(year=year, rating=choice and choice.value)
            key = (staff_id, year)
        elif slug == "ky-luat":
            number = texts[5][:60] or None
            row.update(year=year, level=choice and choice.value, decision_number=number)
            key = (staff_id, year, choice and choice.value)
        else:
            title, number = texts[4], texts[5]
            try:
                decided = _date(values[6])
            except ValueError:
                decided = None
                problems.append(f"ngày quyết định «{texts[6]}» không hợp lệ")
            if not title or not number or decided is None:
                problems.append("cần tên sáng kiến, số và ngày quyết định công nhận")
            elif decided > today:
                problems.append(f"ngày quyết định {decided:%d/%m/%Y} ở sau ngày hôm nay")
            elif year is not None and decided.year != year:
                problems.append(f"ngày quyết định {decided:%d/%m/%Y} không thuộc năm {year}")
            if len(title) > 300 or len(number) > 60:
                problems.append("tên sáng kiến hoặc số quyết định dài quá")
            row.update(
                title=title,
                title_folded=fold(title),
                decision_number=number,
                decision_date=decided,
                scope=choice and choice.value,
            )
            key = (staff_id, fold(title), number)
        if not problems:
            if key in held and not update:
                problems.append(f"đã có trong dữ liệu {SPECS[slug].title} của «{name}»")
            elif key in seen:
                problems.append(f"trùng với {label(seen[key]).lower()}")
            else:
                seen[key] = line
                if key in held:
                    row["id"] = held[key]
        if problems:
            errors.append(f"{label(line)}: " + "; ".join(problems) + ".")
        else:
            rows.append(row)
    return rows, errors


def importable_units(user) -> set[int] | None:
    """Whose facts `user` may import: None for every unit (the Văn phòng), else the units
    they work for; Refused if none. The pages' import and the API's both ask here."""
    if user.has_role(Role.OFFICE):
        return None
    units = set(user.unit_ids(*UNIT_ROLES))
    if not units:
        raise Refused("Anh/chị không có quyền nhập dữ liệu cán bộ.")
    return units


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int

    @property
    def rows(self) -> int:
        return self.created + self.updated


def apply_rows(
    actor,
    slug: str,
    raw: list[tuple[int, tuple]],
    *,
    source: str,
    allowed_units: set[int] | None,
    update: bool = False,
    label=row_label,
) -> Imported:
    """Check every row, then write them all or none, with one "staff_facts_imported" audit
    event. The Excel import (`source` = the file's name) and the API (`source` = "api",
    `update` = a re-sent row replaces the recorded one) both come here, after the same
    guard (EDIT_STAFF_FACTS), with `allowed_units` from importable_units()."""
    spec = SPECS[slug]
    rows, errors = check_rows(slug, raw, allowed_units, update=update, label=label)
    if errors:
        raise DomainError(
            f"Chưa nhập được {spec.title}: có {len(errors)} dòng lỗi. Không dòng nào được nhập.",
            details=errors,
        )
    if not rows:
        raise DomainError("Tệp không có dòng dữ liệu nào.")
    new = [r for r in rows if "id" not in r]
    changed = [r for r in rows if "id" in r]
    with db.session.begin_nested():
        if new:
            db.session.execute(insert(spec.model.__table__), new)
        if changed:
            _update_many(spec.model.__table__, changed)
        audit.record(
            actor=actor,
            action="staff_facts_imported",
            object_type="staff_facts",
            data={
                "kind": slug,
                "rows": len(rows),
                "file": source,
                "created": len(new),
                "updated": len(changed),
            },
            verdict=can(actor, Action.EDIT_STAFF_FACTS),
        )
    return Imported(len(new), len(changed))


def _update_many(table, rows: list[dict]) -> None:
    """UPDATE … WHERE id = :id for each row (one executemany), keeping created_at."""
    columns = [k for k in rows[0] if k not in ("id", "created_at")]
    stmt = (
        table.update()
        .where(table.c.id == bindparam("v_id"))
        .values({c: bindparam(f"v_{c}") for c in columns})
    )
    db.session.execute(stmt, [{f"v_{k}": r[k] for k in ("id", *columns)} for r in rows])


def import_facts(actor, slug: str, file_storage, *, allowed_units: set[int] | None = None) -> int:
    """The page's import: an Excel file, rows already recorded refused."""
    spec = SPECS[slug]
    filename, raw = read_table(
        file_storage,
        headers=spec.headers,
        sheet=spec.sheet,
        template=f"mẫu {spec.title}",
        max_rows=MAX_ROWS,
        max_lines=MAX_LINES,
    )
    raw = [(line, values) for line, values in raw if _text(values[0]) != EXAMPLE]
    return apply_rows(actor, slug, raw, source=filename, allowed_units=allowed_units).rows
