"""The award decision (Quyết định khen thưởng) as a PDF, laid out per NĐ 30/2020, Phụ lục I.

A pure render(DecisionData) -> bytes on the shared layer (dossier.documents): no Flask,
no database. The wording helpers here (number, date, caption, groups) are shared with
docx.py, so the PDF and the DOCX print the same text.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    ActionFlowable,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)

from ..documents import (
    build_pdf,
    doc_number,
    get_styles,
    heading_block,
    nfc,
    para,
    place_date_line,
    register_fonts,
    signature_block,
    title_block,
    vn_date,
    wrapped_table,
)
from ..documents.frame import MARGIN_LEFT, PAGE_HEIGHT, TEXT_WIDTH, balanced_lines
from ..timeutil import local_now
from .data import Awardee, DecisionData

KIND = "QĐ"
NBSP = "\u00a0"
# Paragraphs collapse runs of plain spaces: the blanks for hand-filled parts are no-break.
BLANK_NUMBER = NBSP * 8
BLANK_DAY = NBSP * 6
DRAFT_MARK = "DỰ THẢO"
APPENDIX_HEADER = ["STT", "Họ và tên", "Chức vụ", "Đơn vị"]
APPENDIX_WIDTHS_MM = [12, 48, 47, 58]  # 165 mm, the NĐ 30 text width
APPENDIX_FONT_SIZE = 12
ROMAN = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
]


# --- wording shared with docx.py ---------------------------------------------------------


def issued_on(data: DecisionData) -> dt.date | None:
    """The date, also when a frozen decision comes back from JSON as "2026-01-05"."""
    d = data.issued_on
    return dt.date.fromisoformat(d[:10]) if isinstance(d, str) and d else d or None


def number_line(data: DecisionData) -> str:
    """ "Số: 05/QĐ-SKHCN", or "Số:" and a no-break blank while the number is not given."""
    if data.number is None:
        return f"Số:{BLANK_NUMBER}/{KIND}-{nfc(data.agency_code)}"
    return doc_number(data.number, KIND, data.agency_code)


def _year(data: DecisionData) -> int:
    # A draft has no date yet; the caller may pin the year (extra["year"]) for
    # reproducible output, otherwise the current year is printed.
    d = issued_on(data)
    return d.year if d else int(data.extra.get("year", local_now().year))  # Vietnam's year


def date_line(data: DecisionData) -> str:
    """ "Ninh Thuận, ngày 05 tháng 01 năm 2026"; day and month left blank while undated."""
    d = issued_on(data)
    if d is not None:
        return place_date_line(data.place_name, d)
    return f"{nfc(data.place_name)}, ngày{BLANK_DAY}tháng{BLANK_DAY}năm {_year(data)}"


def issuer_words(data: DecisionData) -> str:
    """ "Giám đốc Sở Khoa học và Công nghệ" from the authority title and the agency name."""
    title, agency = nfc(data.authority_title), nfc(data.agency_name)
    if title.upper().endswith(agency.upper()) and len(title) > len(agency):
        head = title[: len(title) - len(agency)].strip()
        return f"{head.capitalize()} {agency}"
    return title.capitalize()


def appendix_caption(data: DecisionData) -> str:
    """ "(Kèm theo Quyết định số 05/QĐ-SKHCN ngày 05 tháng 01 năm 2026 của Giám đốc Sở …)"."""
    if data.number is None:
        return f"(Kèm theo Quyết định số{BLANK_NUMBER}/{KIND}-{nfc(data.agency_code)})"
    number = number_line(data).removeprefix("Số: ")
    when = f" {vn_date(d)}" if (d := issued_on(data)) else ""
    return f"(Kèm theo Quyết định số {number}{when} của {issuer_words(data)})"


def roman(n: int) -> str:
    return ROMAN[n - 1] if 1 <= n <= len(ROMAN) else str(n)


def count_phrase(people: list[Awardee]) -> str:
    """ "3 tập thể, 120 cá nhân", leaving out a zero part."""
    collectives = sum(a.kind == "collective" for a in people)
    parts = [(collectives, "tập thể"), (len(people) - collectives, "cá nhân")]
    return ", ".join(f"{n} {word}" for n, word in parts if n)


def appendix_groups(data: DecisionData) -> list[tuple[str, list[Awardee]]]:
    """[("I. Danh hiệu “Lao động tiên tiến” (123 cá nhân)", awardees), …] in list order.

    Grouped by the name the document prints: the Giấy khen of collectives and that of
    individuals (two catalogue forms) are one group, collectives first."""
    forms: dict[str, list[Awardee]] = {}
    for a in data.awardees:
        forms.setdefault(nfc(a.form_name), []).append(a)
    for people in forms.values():
        people.sort(key=lambda a: a.kind != "collective")  # stable: list order otherwise
    return [
        (f"{roman(i)}. {nfc(people[0].form_name)} ({count_phrase(people)})", people)
        for i, people in enumerate(forms.values(), start=1)
    ]


def basis_lines(data: DecisionData) -> list[str]:
    """The căn cứ lines, each ending ";" and the last "."."""
    items = [nfc(x).rstrip(";.").strip() for x in data.legal_basis]
    items = [x for x in items if x]
    return [x + (";" if k < len(items) - 1 else ".") for k, x in enumerate(items)]


def document_title(data: DecisionData) -> str:
    if data.number is None:
        return f"Dự thảo Quyết định – {nfc(data.subject)}"
    return f"Quyết định {number_line(data).removeprefix('Số: ')} – {nfc(data.subject)}"


# --- PDF --------------------------------------------------------------------------------


class _DraftMark(ActionFlowable):
    """Stamps "DỰ THẢO" in a box at the top left of every page (in the top margin).

    An ActionFlowable is applied to the doc template: there we chain the stamp onto the
    page template's onPage (pages to come) and stamp the page already begun.
    """

    def apply(self, doc) -> None:
        for template in doc.pageTemplates:
            template.onPage = _chain(template.onPage)
        _stamp(doc.canv)


def _chain(on_page):
    def both(canvas, doc):
        on_page(canvas, doc)
        _stamp(canvas)

    return both


def _stamp(canvas) -> None:
    font, size = register_fonts().bold, 11
    w = canvas.stringWidth(DRAFT_MARK, font, size)
    x, y = MARGIN_LEFT, PAGE_HEIGHT - 13 * mm
    canvas.saveState()
    canvas.setLineWidth(0.8)
    canvas.rect(x, y - 4, w + 10, size + 7)
    canvas.setFont(font, size)
    canvas.drawString(x + 5, y, DRAFT_MARK)
    canvas.restoreState()


def _centred(text: str, style: str, *, break_at: str = "") -> Paragraph:
    """A centred paragraph; if it needs two lines, break before break_at (so that "ngày
    05 tháng 01 năm 2026" stays whole), otherwise into even lines."""
    st, text = get_styles()[style], nfc(text)
    lines = [text]  # one line as is: balanced_lines would fold the no-break blanks

    def fits(x: str) -> bool:
        return stringWidth(x, st.fontName, st.fontSize) <= TEXT_WIDTH

    if not fits(text):
        head, _, tail = text.rpartition(break_at) if break_at else ("", "", text)
        tail = f"{break_at.strip()} {tail}"
        if head and fits(head) and fits(tail):
            lines = [head, tail]
        else:
            lines = balanced_lines(text, st.fontName, st.fontSize, TEXT_WIDTH)
    return Paragraph("<br/>".join(escape(x) for x in lines), st)


def appendix_table(data: DecisionData) -> Flowable:
    rows: list[list[str]] = []
    groups: dict[int, str] = {}
    for title, people in appendix_groups(data):
        groups[len(rows)] = title
        rows += [[str(k), a.name, a.position, a.unit] for k, a in enumerate(people, start=1)]
    if not rows:
        return para("(Danh sách chưa có tập thể, cá nhân nào.)", "center_italic")
    return wrapped_table(
        APPENDIX_HEADER, rows, APPENDIX_WIDTHS_MM, font_size=APPENDIX_FONT_SIZE, group_rows=groups
    )


def _with_last_article(last: list[Flowable], signature: Flowable) -> Flowable:
    """The signature never stands alone on a page: the last article goes with it.

    signature_block is itself a KeepTogether, and a KeepTogether nested in another one
    reports an "infinite" height (it forces a split), which would push both to the next
    page even where they fit: so its content is taken out and kept together with ours.
    """
    inner = signature._content if isinstance(signature, KeepTogether) else [signature]
    return KeepTogether([*last, *inner])


def render(data: DecisionData) -> bytes:
    """The decision (heading, title, căn cứ, articles, Nơi nhận and signer), then the
    appendix on a new page: title, caption and the list grouped by award form."""
    articles = [
        para(f"<b>Điều {k}.</b> {escape(nfc(body))}", markup=True)
        for k, body in enumerate(data.articles, start=1)
    ]
    story: list[Flowable] = [_DraftMark()] if data.draft else []
    story += [
        heading_block(data.agency_parent, data.agency_name, number_line(data), date_line(data)),
        title_block("Quyết định", data.subject),
        para(data.authority_title.upper(), "authority"),
        *(para(x, "can_cu") for x in basis_lines(data)),
        Spacer(1, 4),
        para("QUYẾT ĐỊNH:", "center_bold"),
        Spacer(1, 4),
        *articles[:-1],
        _with_last_article(
            articles[-1:], signature_block(data.recipients, data.signer_lines, data.signer_name)
        ),
        PageBreak(),
        _centred(data.appendix_title.upper(), "center_bold"),
        _centred(appendix_caption(data), "center_italic", break_at=" của "),
        Spacer(1, 4),
        appendix_table(data),
    ]
    return build_pdf(
        story,
        title=document_title(data),
        author=nfc(data.agency_name),
        subject=nfc(data.subject),
        keywords=DRAFT_MARK if data.draft else "",
    )
