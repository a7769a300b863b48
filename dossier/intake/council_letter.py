"""The Văn phòng's tờ trình to the council, with the consolidated list attached.

The Văn phòng is the council's standing secretariat: it submits the list it compiled.
A pure render(...) -> bytes; the numbers in the body are computed from the rows, so
they always agree with the attached list.
"""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable, PageBreak, Spacer

from ..documents import (
    build_pdf,
    heading_block,
    para,
    place_date_line,
    signature_block,
    title_block,
)
from ..enums import AwardLevel
from .export import (
    LIST_TITLE,
    count_phrase,
    form_summary,
    kind_counts,
    version_line,
)
from .export_pdf import list_story
from .listing import Consolidated

OFFICE = "Văn phòng"
COUNCIL = "Hội đồng Thi đua - Khen thưởng"
SIGNER_TITLE = "Chánh Văn phòng"
# Non-breaking spaces: a paragraph would squeeze plain ones into one and lose the gap.
BLANK_NUMBER = "Số:" + "\u00a0" * 8 + "/TTr-VP"
SECTIONS = {
    AwardLevel.DIRECTOR: "Thuộc thẩm quyền quyết định của Giám đốc Sở",
    AwardLevel.UPWARD: "Đề nghị cấp trên khen thưởng",
}


def _authority_paras(cons: Consolidated) -> list[Flowable]:
    """ "1. Thuộc thẩm quyền …:" and "2. Đề nghị cấp trên …:", each with "- form: counts;"."""
    summary = form_summary(cons)
    sections = [
        (heading, [s for s in summary if s[1] == level]) for level, heading in SECTIONS.items()
    ]
    # A form of an unknown level is still counted, under its own heading.
    sections.append(("Hình thức khác", [s for s in summary if s[1] not in SECTIONS]))
    sections = [(heading, forms) for heading, forms in sections if forms]
    out: list[Flowable] = []
    left = len(summary)
    for n, (heading, forms) in enumerate(sections, start=1):
        out.append(para(f"{n}. {heading}:"))
        for name, _, collectives, individuals in forms:
            left -= 1
            out.append(
                para(f"- {name}: {count_phrase(collectives, individuals)}" + (";" if left else "."))
            )
    return out


def _attachment_note(letter_number: str | None, letter_date: date) -> str:
    number = f" số {letter_number}" if letter_number else ""
    return f"(Kèm theo Tờ trình{number} ngày {letter_date:%d/%m/%Y} của {OFFICE})"


def render(
    cons: Consolidated,
    *,
    agency,
    version: int,
    letter_number: str | None,
    letter_date: date,
    signer_name: str = "",
    signer_lines: list[str] | None = None,
    plan_reference: str | None = None,
) -> bytes:
    """The tờ trình (page 1…) and, from a new page, the list as its appendix.

    agency: any object with name (sentence case) and place_name.
    letter_number: "12/TTr-VP", or None while the number is not yet issued.
    signer_lines: ["CHÁNH VĂN PHÒNG"], or ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"]
    while a deputy stands in (org/signers.py).
    """
    collectives, individuals = kind_counts(cons.rows)
    n_units = len({r.unit_id for r in cons.rows})
    number = f"Số: {letter_number}" if letter_number else BLANK_NUMBER
    basis = f"Thực hiện {plan_reference.strip().rstrip('.')}, " if plan_reference else ""
    story: list[Flowable] = [
        heading_block(agency.name, OFFICE, number, place_date_line(agency.place_name, letter_date)),
        title_block("Tờ trình", f"Về việc xét khen thưởng năm {cons.year}"),
        para(f"Kính gửi: {COUNCIL} {agency.name}", "center"),
        Spacer(1, 8),
        para(
            f"{basis}{OFFICE} (cơ quan thường trực của {COUNCIL}) đã tiếp nhận, kiểm tra hồ sơ "
            f"đề nghị khen thưởng năm {cons.year} của {n_units} đơn vị và tổng hợp danh sách "
            f"({version_line(version).lower()}) gồm {count_phrase(collectives, individuals)} "
            "được đề nghị, cụ thể như sau:"
        ),
        *_authority_paras(cons),
        para("(Có danh sách kèm theo)", "center_italic"),
        para(f"{OFFICE} kính trình {COUNCIL} xem xét, quyết định./."),
        signature_block(
            ["Như trên", "Giám đốc Sở (để b/c)"], signer_lines or [SIGNER_TITLE], signer_name
        ),
        PageBreak(),
        title_block(LIST_TITLE, f"Năm {cons.year}"),
        para(_attachment_note(letter_number, letter_date), "center_italic"),
        *list_story(cons, notes=True, levels=False),
    ]
    title = f"Tờ trình {letter_number or ''} – xét khen thưởng năm {cons.year}".replace("  ", " ")
    return build_pdf(
        story,
        title=title,
        author=f"{OFFICE} {agency.name}",
        subject=f"{LIST_TITLE} – {version_line(version)}",
    )
