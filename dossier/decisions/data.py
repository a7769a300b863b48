"""What a decision prints, as plain data: the PDF and DOCX renderers read only this."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Awardee:
    name: str
    kind: str  # "individual" | "collective"
    position: str
    unit: str
    form_code: str
    form_name: str


@dataclass
class DecisionData:
    agency_parent: str  # "UBND TỈNH NINH THUẬN"
    agency_name: str  # "Sở Khoa học và Công nghệ" (headings upper-case it)
    agency_code: str  # "SKHCN" in "05/QĐ-SKHCN"
    place_name: str  # "Ninh Thuận"
    number: int | None  # None while a draft (printed "Số:      /QĐ-SKHCN")
    issued_on: date | None  # None while a draft
    subject: str  # trích yếu: "Về việc khen thưởng …"
    authority_title: str  # "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    legal_basis: list[str]  # căn cứ lines without the final ";" / "."
    articles: list[str]  # Điều 1, 2, 3 … bodies (the renderer adds the bold labels)
    awardees: list[Awardee]  # the appendix, in order: grouped by form, then unit, then name
    recipients: list[str]  # Nơi nhận, without "- " and ";" ("Lưu: VT, VP." added last)
    signer_lines: list[str]  # ["GIÁM ĐỐC"] or ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    signer_name: str
    appendix_title: str = "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG"
    corrects: str | None = None  # "Quyết định số 05/QĐ-SKHCN ngày 05/01/2026" for corrections
    draft: bool = True  # prints "DỰ THẢO" until issued
    extra: dict = field(default_factory=dict)
