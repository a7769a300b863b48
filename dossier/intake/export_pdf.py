"""The consolidated list as PDF (danh sách tổng hợp), A4 portrait in the NĐ 30/2020 frame:
the council's copy and the body the tờ trình to the council reuses (council_letter.py).
The workbook and the wording shared with it live in export.py."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ..documents import build_pdf, heading_block, para, title_block, wrapped_table
from ..enums import AwardLevel
from .export import LEVELS, LIST_TITLE, _findings_note, roman, summary_line, version_line
from .listing import Consolidated

PDF_HEADER = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Ghi chú"]
PDF_WIDTHS_MM = [12, 44, 37, 34, 38]  # 165 mm: the NĐ 30 text width; STT fits "9999"
CLEAN_WIDTHS_MM = [12, 55, 46, 52]  # without "Ghi chú"
PDF_FONT_SIZE = 11


def list_table(cons: Consolidated, *, notes: bool = True, levels: bool = True) -> Flowable:
    """The list as a wrapped table: a group row per form ("I. Lao động tiên tiến (12)")
    and per unit ("1. Văn phòng Sở (3)"), STT continuous, short findings as notes.

    notes=False: no "Ghi chú" column (a list that leaves the Sở); levels=False: notes
    without "Lỗi:"/"Cảnh báo:" (the list the council receives)."""
    rows: list[list[str]] = []
    groups: dict[int, str] = {}
    for i, (form_name, units) in enumerate(cons.groups(), start=1):
        n_form = sum(len(unit_rows) for _, unit_rows in units)
        upward = " – đề nghị cấp trên" if units[0][1][0].form_level == AwardLevel.UPWARD else ""
        form_title = f"{roman(i)}. {form_name} ({n_form}){upward}"
        for j, (unit_name, unit_rows) in enumerate(units, start=1):
            unit_title = f"{j}. {unit_name} ({len(unit_rows)})"
            # wrapped_table takes one title per row: the form's first unit shares it.
            groups[len(rows)] = f"{form_title}\n{unit_title}" if j == 1 else unit_title
            for r in unit_rows:
                position = r.position or ("Tập thể" if r.kind == "collective" else "")
                row = [str(len(rows) + 1), r.name, position, r.unit_name]
                rows.append([*row, _findings_note(r, levels=levels)] if notes else row)
    if not rows:
        return para("Danh sách chưa có đề nghị nào.", "center_italic")
    header, widths = (PDF_HEADER, PDF_WIDTHS_MM) if notes else (PDF_HEADER[:4], CLEAN_WIDTHS_MM)
    return wrapped_table(header, rows, widths, font_size=PDF_FONT_SIZE, group_rows=groups)


def list_story(cons: Consolidated, *, notes: bool = True, levels: bool = True) -> list[Flowable]:
    """Summary, list-level findings and the table: the body shared by every list PDF."""
    story: list[Flowable] = [para(summary_line(cons))]
    for f in cons.list_findings if notes else []:
        label = f"{LEVELS.get(f.level, f.level)} (toàn danh sách)" if levels else "Ghi chú"
        story.append(para(f"{label}: {f.message}"))
    story.append(list_table(cons, notes=notes, levels=levels))
    return story


def to_pdf(cons: Consolidated, *, agency, version: int | None) -> bytes:
    """The list for the council, A4 portrait in the NĐ 30 frame.

    agency: any object with parent_body and name (sentence case). No date: the list is
    dated by the tờ trình that sends it (council_letter.py).
    """
    story: list[Flowable] = [
        heading_block(
            agency.parent_body,
            agency.name,
            version_line(version) if version is not None else "",
            "",
        ),
        title_block(LIST_TITLE, f"Năm {cons.year}"),
    ]
    if version is None:
        story.append(para(version_line(None), "center_italic"))
    story += list_story(cons, levels=version is None)
    return build_pdf(
        story,
        title=f"{LIST_TITLE} – {cons.campaign_name}",
        author=agency.name,
        subject=version_line(version),
        keywords=f"{cons.campaign_id} {cons.year}",
    )
