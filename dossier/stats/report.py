"""The yearly statistics report (số lượng danh hiệu thi đua và hình thức khen thưởng) as
data, XLSX and PDF; its rows and columns come from report_layout.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from io import BytesIO

from sqlalchemy import case, func, select

from ..campaigns.models import AwardForm
from ..enums import Gender, NomineeKind
from ..extensions import db
from ..history.models import AwardRecord
from ..org.models import Staff
from . import report_layout as layout
from .models import ReportSetting


@dataclass
class ReportRow:
    level: str
    code: str
    label: str
    counts: dict[str, int]


@dataclass
class YearReport:
    year: int
    units: frozenset[int] | None
    rows: list[ReportRow] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        return {k: sum(r.counts[k] for r in self.rows) for k, _ in layout.COLUMNS}


def build(year: int, units: frozenset[int] | None = None) -> YearReport:
    """One GROUP BY over the year's live awards, by form."""
    individual = AwardRecord.kind == NomineeKind.INDIVIDUAL.value
    key = func.coalesce(AwardRecord.award_code, AwardRecord.award_name)

    def n(cond):
        return func.sum(case((cond, 1), else_=0))

    stmt = (
        select(
            key,
            func.min(AwardRecord.award_name),
            func.count(AwardRecord.id),
            n(AwardRecord.kind == NomineeKind.COLLECTIVE.value),
            n(individual),
            n(individual & (Staff.gender == Gender.FEMALE.value)),
            n(individual & Staff.direct_worker.is_(True)),
        )
        .select_from(AwardRecord)
        .outerjoin(Staff, Staff.id == AwardRecord.staff_id)
        .where(AwardRecord.year == year, AwardRecord.revoked_at.is_(None))
        .group_by(key)
    )
    if units is not None:
        stmt = stmt.where(AwardRecord.unit_id.in_(units or {-1}))
    forms = {f.code: f for f in db.session.scalars(select(AwardForm))}
    report = YearReport(year, units)
    for code, name, total, coll, ind, women, direct in db.session.execute(stmt):
        form = forms.get(code)
        level = str(form.level) if form else "other"
        label = form.official_name if form else name
        counts = dict(
            zip(
                [k for k, _ in layout.COLUMNS],
                [int(total), int(coll or 0), int(ind or 0), int(women or 0), int(direct or 0)],
                strict=True,
            )
        )
        report.rows.append(ReportRow(level, code, label, counts))
    order = {k: i for i, (k, _) in enumerate(layout.LEVELS)}
    sort = {c: f.sort_order for c, f in forms.items()}
    report.rows.sort(key=lambda r: (order.get(r.level, 9), sort.get(r.code, 999), r.label))
    return report


def table(report: YearReport) -> list[list]:
    """Header, then each level's title and its rows, then the total: what both files print."""
    setting = ReportSetting.get()
    head = ["STT", "Danh hiệu thi đua, hình thức khen thưởng", *[t for _, t in setting.columns()]]
    out = [head]
    for level, title in setting.levels():
        rows = [r for r in report.rows if r.level == level]
        if not rows:
            continue
        out.append(["", title, *[sum(r.counts[k] for r in rows) for k, _ in layout.COLUMNS]])
        for i, r in enumerate(rows, 1):
            out.append([i, r.label, *[r.counts[k] for k, _ in layout.COLUMNS]])
    totals = report.totals()
    out.append(["", "Tổng cộng", *[totals[k] for k, _ in layout.COLUMNS]])
    return out


def to_xlsx(report: YearReport, agency_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..spreadsheet import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = f"Nam {report.year}"
    append_row(ws, [agency_name])
    setting = ReportSetting.get()
    append_row(ws, [_title(setting, report.year)])
    ws["A2"].font = Font(bold=True)
    append_row(ws, [f"Căn cứ biểu mẫu: {setting.source}"])
    append_row(ws, [])
    for row in table(report):
        append_row(ws, row)
    for cell in ws[5]:
        cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 60
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def to_pdf(report: YearReport, agency_name: str) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from ..documents.fonts import register_fonts

    fonts = register_fonts()
    setting = ReportSetting.get()
    body = ParagraphStyle("b", fontName=fonts.regular, fontSize=12, leading=15)
    title = ParagraphStyle("t", parent=body, fontName=fonts.bold, fontSize=13, alignment=1)
    note = ParagraphStyle("n", parent=body, fontName=fonts.italic, fontSize=10)
    cell = ParagraphStyle("c", parent=body, fontSize=11, leading=13)
    rows = table(report)
    data = [
        [Paragraph(escape(str(v)), cell) if j == 1 else str(v) for j, v in enumerate(r)]
        for r in rows
    ]
    t = Table(data, colWidths=[12 * mm, 95 * mm] + [30 * mm] * len(layout.COLUMNS), repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
                ("FONTNAME", (0, 0), (-1, 0), fonts.bold),
                ("FONTNAME", (0, -1), (-1, -1), fonts.bold),
                ("FONTSIZE", (0, 0), (-1, -1), 11),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("ALIGN", (2, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=25 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=_title(setting, report.year),
    )
    doc.build(
        [
            Paragraph(escape(agency_name.upper()), body),
            Spacer(1, 6 * mm),
            Paragraph(escape(_title(setting, report.year)), title),
            Paragraph(escape(f"Căn cứ biểu mẫu: {setting.source}"), note),
            Spacer(1, 4 * mm),
            t,
        ]
    )
    return out.getvalue()


def _title(setting: ReportSetting, year: int) -> str:
    return setting.title.replace("{year}", str(year))
