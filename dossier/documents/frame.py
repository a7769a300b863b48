"""The NĐ 30/2020 page frame (Phụ lục I) for reportlab platypus.

A4 portrait, margins 20/20/30/15 mm (top/bottom/left/right), page number centred in
the top margin from page 2, the two-column heading, the title, the signature block and
the paragraph styles. Names of agencies, place, code and signer are always parameters:
the 2025 reorganisation renamed them, so nothing here hard-codes them.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dossier.documents.fonts import register_fonts
from dossier.documents.text import nfc

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
RULE = 0.6  # pt; thin black rules as in the printed templates


@functools.cache
def get_styles() -> dict[str, ParagraphStyle]:
    """Named paragraph styles (sizes from domain.md §6); fonts registered on first use."""
    f = register_fonts()

    def st(name: str, size: float, font: str, align: int = TA_CENTER, **kw) -> ParagraphStyle:
        kw.setdefault("leading", round(size * 1.2, 1))
        return ParagraphStyle(name, fontName=font, fontSize=size, alignment=align, **kw)

    body = dict(align=TA_JUSTIFY, firstLineIndent=1.27 * cm, spaceAfter=6, leading=17.5)
    return {
        "body": st("body", 14, f.regular, **body),
        "can_cu": st("can_cu", 14, f.italic, **body),  # "Căn cứ …;" lines
        "parent_body": st("parent_body", 13, f.regular),
        "agency": st("agency", 13, f.bold),
        "national": st("national", 13, f.bold),
        "motto": st("motto", 14, f.bold),
        "number": st("number", 13, f.regular),
        "place_date": st("place_date", 14, f.italic),
        "title": st("title", 14, f.bold),
        "subject": st("subject", 14, f.bold),
        "authority": st("authority", 14, f.bold, spaceBefore=6, spaceAfter=6),
        "center": st("center", 14, f.regular),
        "center_bold": st("center_bold", 14, f.bold, spaceAfter=3),
        "center_italic": st("center_italic", 14, f.italic, spaceAfter=6),
        "noi_nhan": st("noi_nhan", 12, f.bold_italic, TA_LEFT),
        "recipient": st("recipient", 11, f.regular, TA_LEFT, leading=13),
        "signer": st("signer", 14, f.bold),
        "page_number": st("page_number", 13, f.regular),
    }


def para(text: str, style: str = "body", *, markup: bool = False) -> Paragraph:
    """A Paragraph in one of get_styles(); plain text is escaped unless markup=True."""
    text = nfc(text)
    return Paragraph(text if markup else escape(text), get_styles()[style])


def balanced_lines(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Split text into the fewest lines that fit, with line lengths as even as possible.

    Centred heading lines read badly when greedy wrapping leaves one word alone
    ("SỞ KHOA HỌC VÀ CÔNG" / "NGHỆ"); officials break them evenly by hand.
    """
    if "\n" in text:  # the caller broke it where it reads best
        return [" ".join(x.split()) for x in nfc(text).split("\n")]
    words = nfc(text).split()
    if not words or stringWidth(" ".join(words), font, size) <= max_width:
        return [" ".join(words)]

    def greedy(width: float) -> list[str]:
        lines, cur = [], ""
        for w in words:
            cand = f"{cur} {w}" if cur else w
            if cur and stringWidth(cand, font, size) > width:
                lines.append(cur)
                cur = w
            else:
                cur = cand
        return [*lines, cur]

    target = len(greedy(max_width))
    lo, hi = 0.0, max_width  # smallest width that still needs only `target` lines
    for _ in range(20):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if len(greedy(mid)) <= target else (mid, hi)
    return greedy(hi)


def _rule(width: float, before: float = 4, after: float = 0) -> HRFlowable:
    # The dot below (ạ, ệ, ộ) hangs under the baseline: keep the rule clear of it.
    return HRFlowable(
        width=width,
        thickness=RULE,
        color="black",
        lineCap="butt",
        spaceBefore=before,
        spaceAfter=after,
        hAlign="CENTER",
        vAlign="BOTTOM",
    )


def _width(text: str, style: str) -> float:
    s = get_styles()[style]
    return stringWidth(nfc(text), s.fontName, s.fontSize)


def _lines_para(lines: Sequence[str], style: str) -> Paragraph:
    return Paragraph("<br/>".join(escape(x) for x in lines), get_styles()[style])


def heading_block(
    parent_body: str,
    agency_name: str,
    number_line: str,
    place_date_line: str,
    national: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    motto: str = "Độc lập - Tự do - Hạnh phúc",
) -> Flowable:
    """The two-column heading: issuing body (left) and national title (right), then
    "Số: …" (left) level with the place and date (right)."""
    styles = get_styles()
    pad = 2
    # Right column as wide as its widest line, so the national title never wraps; the
    # issuing body takes the rest and wraps evenly if it must.
    right = (
        max(
            _width(national, "national"),
            _width(motto, "motto"),
            _width(place_date_line, "place_date"),
        )
        + 2 * pad
        + 1
    )
    right = min(right, TEXT_WIDTH * 0.64)
    left = TEXT_WIDTH - right
    lw = left - 2 * pad
    agency_lines = balanced_lines(agency_name.upper(), styles["agency"].fontName, 13, lw)
    agency_w = max(_width(x, "agency") for x in agency_lines)
    left_cell = [
        _lines_para(
            balanced_lines(parent_body.upper(), styles["parent_body"].fontName, 13, lw),
            "parent_body",
        ),
        _lines_para(agency_lines, "agency"),
        _rule(max(agency_w * 0.4, 20 * mm)),
    ]
    right_cell = [
        para(national.upper(), "national"),
        para(motto, "motto"),
        _rule(_width(motto, "motto")),
    ]
    return layout_table(
        [
            [left_cell, right_cell],
            [para(number_line, "number"), para(place_date_line, "place_date")],
        ],
        [left, right],
        [
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),  # also centres the rules in their column
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 8),  # gap between the rules and the Số line
        ],
        hAlign="CENTER",
    )


def layout_table(rows: list, col_widths: list[float], cmds: list[tuple] = (), **kw) -> Table:
    """A borderless table that places flowables side by side (heading, signatures).

    reportlab sets each cell's font before drawing it, Helvetica unless told otherwise,
    which declares an unembedded Helvetica in the PDF: every cell gets our serif.
    """
    table = Table(rows, colWidths=col_widths, **kw)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), register_fonts().regular, 13),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                *cmds,
            ]
        )
    )
    return table


def title_block(kind_title: str, subject: str = "") -> Flowable:
    """ "QUYẾT ĐỊNH" over "Về việc …", bold and centred, with a short rule below."""
    styles = get_styles()
    parts: list[Flowable] = [Spacer(1, 18), para(kind_title.upper(), "title")]
    widest = _width(kind_title.upper(), "title")
    if subject:
        lines = balanced_lines(subject, styles["subject"].fontName, 14, TEXT_WIDTH * 0.85)
        parts.append(_lines_para(lines, "subject"))
        widest = max(_width(x, "subject") for x in lines)
    parts += [_rule(min(max(widest * 0.4, 30 * mm), 60 * mm)), Spacer(1, 10)]
    return KeepTogether(parts)


def _recipient_lines(recipients: Iterable[str], archive: str) -> list[str]:
    # Callers may pass "UBND tỉnh (b/c)" or "- UBND tỉnh (b/c);": normalise both.
    items = [nfc(r).strip().removeprefix("-").strip().rstrip(";.").strip() for r in recipients]
    items = [r for r in items if r]
    if items and items[-1].startswith("Lưu"):
        archive = items.pop()
    return [f"- {r};" for r in items] + [f"- {archive.rstrip('.')}."]


def signature_block(
    recipients: list[str],
    signer_lines: list[str],
    signer_name: str,
    *,
    archive: str = "Lưu: VT, VP.",
    signature_space: float = 28 * mm,
    show_recipients: bool = True,
) -> Flowable:
    """ "Nơi nhận:" and the recipients (left) level with the signer's title, the space
    for signature and seal, and the signer's name (right). Never split across pages."""
    left: list[Flowable] = []
    if show_recipients:
        left = [para("Nơi nhận:", "noi_nhan")]
        left += [para(x, "recipient") for x in _recipient_lines(recipients, archive)]
    right: list[Flowable] = [para(x.upper(), "signer") for x in signer_lines]
    right += [Spacer(1, signature_space), para(signer_name, "signer")]
    table = layout_table([[left, right]], [TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.55])
    return KeepTogether([Spacer(1, 12), table])


def _draw_page_number(canvas, doc) -> None:
    # NĐ 30 numbers pages from 2, centred in the top margin.
    if canvas.getPageNumber() < 2:
        return
    s = get_styles()["page_number"]
    canvas.saveState()
    canvas.setFont(s.fontName, s.fontSize)
    y = PAGE_HEIGHT - MARGIN_TOP / 2 - s.fontSize * 0.35  # optically centred
    canvas.drawCentredString(MARGIN_LEFT + TEXT_WIDTH / 2, y, str(canvas.getPageNumber()))
    canvas.restoreState()


def build_pdf(
    flowables: list[Flowable], *, title: str, author: str, subject: str = "", keywords: str = ""
) -> bytes:
    """Lay out flowables in the NĐ 30 frame and return the PDF bytes (with metadata)."""
    fonts = register_fonts()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        title=nfc(title),
        author=nfc(author),
        subject=nfc(subject),
        keywords=nfc(keywords),
        creator="dossier",
        lang="vi-VN",
        # reportlab's canvas starts every page in Helvetica (declared, never embedded):
        # start it in our own serif instead, so the PDF names no other font.
        initialFontName=fonts.regular,
        initialFontSize=13,
    )
    # Zero frame padding (SimpleDocTemplate adds 6 pt): the text block must be exactly
    # the NĐ 30 margins, and TEXT_WIDTH-wide tables must fit it.
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        TEXT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="nd30", frames=[frame], onPage=_draw_page_number)])
    doc.build(list(flowables))
    return buf.getvalue()
