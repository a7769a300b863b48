"""The báo cáo thành tích (achievement report) in the sections of the decree's template.

I. Sơ lược lý lịch (name, date of birth, gender, hometown, unit, position, qualifications)
or, for a collective, Sơ lược đặc điểm, tình hình; II. Thành tích đạt được; III. Các hình
thức đã được khen thưởng, from the award history with each decision's number, date and
issuer; then the confirming head (left) and the reporter (right). A pure render(ReportData);
report_data(nominee) gathers it from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..documents import build_pdf, heading_block, para, title_block, wrapped_table
from ..documents.frame import TEXT_WIDTH, layout_table
from ..documents.text import nfc, place_date_line

BLANK_DATE = "ngày\u00a0\u00a0\u00a0\u00a0 tháng\u00a0\u00a0\u00a0\u00a0 năm"
AWARD_HEADER = ["Năm", "{kind}", "Số, ngày, tháng, năm của quyết định; cơ quan ban hành"]
AWARD_WIDTHS_MM = [18, 62, 85]
TITLE_WORDS = (
    "danh hiệu",
    "lao động tiên tiến",
    "chiến sĩ thi đua",
    "tập thể lao động",
    "cờ thi đua",
)


@dataclass
class AwardLine:
    year: int
    name: str
    decision: str  # "Quyết định số 05/QĐ-SKHCN ngày 05/01/2026 của Giám đốc Sở …"
    is_title: bool


@dataclass
class ReportData:
    parent_name: str  # "Sở Khoa học và Công nghệ" (the level above the unit)
    unit_name: str
    place_name: str
    report_date: date | None  # the head's confirmation; None: left blank
    year: int
    form_name: str  # "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    collective: bool
    name: str
    birth_date: date | None = None
    gender: str = ""  # "Nam" / "Nữ"
    hometown: str = ""
    workplace: str = ""
    position: str = ""
    qualifications: str = ""
    situation: str = ""
    duties: str = ""
    achievements: str = ""
    initiatives: str = ""
    awards: list[AwardLine] = field(default_factory=list)
    awards_text: str = ""  # what the unit typed, printed when the history has nothing
    head_title: str = "Thủ trưởng đơn vị"  # who confirms
    head_name: str = ""
    upper_title: str = ""  # for a collective: the level above confirms
    upper_name: str = ""


def _lines(text: str) -> list[Flowable]:
    return [para(x) for x in (text or "").splitlines() if x.strip()] or [para("…")]


def _field(label: str, value: str) -> Flowable:
    return para(f"- {label}: {value or '…'}")


def _awards(data: ReportData) -> list[Flowable]:
    out: list[Flowable] = [para("<b>III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG</b>", markup=True)]
    if not data.awards and data.awards_text.strip():
        return out + _lines(data.awards_text)
    for k, (label, titles) in enumerate(
        (("Danh hiệu thi đua", True), ("Hình thức khen thưởng", False)), start=1
    ):
        rows = [[str(a.year), a.name, a.decision] for a in data.awards if a.is_title == titles]
        out.append(para(f"{k}. {label}:"))
        if rows:
            header = [h.format(kind=label) for h in AWARD_HEADER]
            out.append(
                wrapped_table(header, rows, AWARD_WIDTHS_MM, align=["CENTER", "LEFT", "LEFT"])
            )
            out.append(Spacer(1, 6))
        else:
            out.append(para("Không có.", "center_italic"))
    return out


def _signatures(data: ReportData) -> Flowable:
    """The confirming head (left) and the reporter (right): titles, hints and names each on
    one row of a table, so the two names stand level whatever the titles' length."""
    confirm = "Xác nhận, đề nghị"
    if data.collective:
        left = (
            [data.upper_title or "Thủ trưởng đơn vị cấp trên trực tiếp", confirm],
            data.upper_name,
        )
        right = ([data.head_title or "Thủ trưởng đơn vị"], data.head_name)
        hints = ("(Ký, đóng dấu)", "(Ký, đóng dấu)")
    else:
        left = ([data.head_title or "Thủ trưởng đơn vị", confirm], data.head_name)
        right = (["Người báo cáo thành tích"], data.name)
        hints = ("(Ký, đóng dấu)", "(Ký, ghi rõ họ và tên)")

    def titles(lines: list[str]) -> list[Flowable]:
        return [para(t.upper(), "signer") for t in lines]

    table = layout_table(
        [
            [titles(left[0]), titles(right[0])],
            [para(hints[0], "center_italic"), para(hints[1], "center_italic")],
            [Spacer(1, 22 * mm), Spacer(1, 22 * mm)],
            [para(left[1] or "", "signer"), para(right[1] or "", "signer")],
        ],
        [TEXT_WIDTH * 0.5, TEXT_WIDTH * 0.5],
    )
    return KeepTogether([Spacer(1, 12), table])


def render(data: ReportData) -> bytes:
    when = (
        place_date_line(data.place_name, data.report_date)
        if data.report_date
        else f"{nfc(data.place_name)}, {BLANK_DATE} {data.year}"
    )
    story: list[Flowable] = [
        heading_block(data.parent_name, data.unit_name, "", when),
        title_block("Báo cáo thành tích", f"Đề nghị tặng {data.form_name}"),
    ]
    if data.collective:
        story += [
            para("<b>I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH</b>", markup=True),
            _field("Tên tập thể", data.name),
            *_lines(data.situation),
        ]
    else:
        born = f"{data.birth_date:%d/%m/%Y}" if data.birth_date else "…"
        story += [
            para("<b>I. SƠ LƯỢC LÝ LỊCH</b>", markup=True),
            _field("Họ và tên", data.name),
            para(f"- Sinh ngày, tháng, năm: {born}; giới tính: {data.gender or '…'}"),
            _field("Quê quán", data.hometown),
            _field("Đơn vị công tác", data.workplace),
            _field("Chức vụ", data.position),
            _field("Trình độ chuyên môn, nghiệp vụ", data.qualifications),
        ]
    story += [para("<b>II. THÀNH TÍCH ĐẠT ĐƯỢC</b>", markup=True)]
    if not data.collective:
        story += [para("1. Quyền hạn, nhiệm vụ được giao:"), *_lines(data.duties)]
    story += [
        para(f"{1 if data.collective else 2}. Thành tích đạt được:"),
        *_lines(data.achievements),
    ]
    if data.initiatives.strip():
        story += [
            para(f"{2 if data.collective else 3}. Sáng kiến, đề tài nghiên cứu:"),
            *_lines(data.initiatives),
        ]
    story += [*_awards(data), _signatures(data)]
    return build_pdf(
        story, title=f"Báo cáo thành tích – {nfc(data.name)}", author=nfc(data.unit_name)
    )


def is_title(name: str, code: str | None, titles_by_code: dict[str, bool]) -> bool:
    if code and code in titles_by_code:
        return titles_by_code[code]
    folded = name.casefold()
    return any(w in folded for w in TITLE_WORDS)


def report_data(nominee) -> ReportData:
    """The nominee's report with the history's awards (not revoked), oldest first."""
    from sqlalchemy import select

    from ..campaigns.models import AwardForm
    from ..enums import Gender, NomineeKind
    from ..extensions import db
    from ..history.models import AwardRecord
    from ..org.models import Agency
    from ..timeutil import to_local

    agency = Agency.get()
    r = nominee.report
    unit = nominee.dossier.unit
    collective = nominee.kind == NomineeKind.COLLECTIVE
    query = select(AwardRecord).where(AwardRecord.revoked_at.is_(None))
    if collective:
        query = query.where(
            AwardRecord.kind == NomineeKind.COLLECTIVE,
            AwardRecord.unit_id == (nominee.collective_unit_id or unit.id),
        )
    elif nominee.staff_id:
        query = query.where(AwardRecord.staff_id == nominee.staff_id)
    else:
        query = query.where(AwardRecord.id.is_(None))  # a person typed in: no history link
    titles = {f.code: f.is_title for f in db.session.scalars(select(AwardForm))}
    awards = [
        AwardLine(
            year=a.year,
            name=a.award_name,
            decision=" ".join(
                x
                for x in (
                    f"Quyết định số {a.decision_number}" if a.decision_number else "",
                    f"ngày {a.decision_date:%d/%m/%Y}" if a.decision_date else "",
                    f"của {a.issuer}" if a.issuer else "",
                )
                if x
            ),
            is_title=is_title(a.award_name, a.award_code, titles),
        )
        for a in db.session.scalars(query.order_by(AwardRecord.year, AwardRecord.decision_date))
    ]
    staff = nominee.staff
    gender = nominee.gender or (staff.gender if staff else None)
    head = r.confirmed_by if r is not None else None
    head_position = (head.staff.position if head is not None and head.staff else "") or ""
    data = ReportData(
        parent_name=agency.name,
        unit_name=unit.name,
        place_name=agency.place_name,
        report_date=to_local(r.confirmed_at).date() if r is not None and r.confirmed_at else None,
        year=nominee.dossier.campaign.year,
        form_name=nominee.award_form.official_name,
        collective=collective,
        name=nominee.name,
        birth_date=(r.birth_date if r is not None else None)
        or (staff.birth_date if staff else None),
        gender=Gender(gender).title_vi if gender in {g.value for g in Gender} else "",
        workplace=nominee.unit_label or unit.name,
        position=nominee.position or "",
        awards=awards,
        head_title=head_position or "Thủ trưởng đơn vị",
        head_name=head.display_name if head is not None else "",
        upper_title=f"{agency.director_title} {agency.name}" if collective else "",
        upper_name=agency.director_name if collective else "",
    )
    if r is not None:
        data.hometown, data.qualifications = r.hometown or "", r.qualifications or ""
        data.situation, data.duties = r.situation or "", r.duties or ""
        data.achievements, data.initiatives = r.achievements or "", r.initiatives or ""
        data.awards_text = r.awards_received or ""
    return data
