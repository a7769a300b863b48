"""The council's minutes (biên bản họp Hội đồng Thi đua - Khen thưởng) as a PDF.

A pure render(MinutesData) -> bytes on the shared NĐ 30 layer (dossier.documents):
no Flask, no database. Everything printed comes from the MinutesData; counts in the
conclusion are computed from its results, so they always agree with the table.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
)

from ..documents import (
    build_pdf,
    get_styles,
    heading_block,
    nfc,
    para,
    place_date_line,
    register_fonts,
    title_block,
    vn_date,
    wrapped_table,
)
from ..documents.frame import TEXT_WIDTH, _recipient_lines, layout_table
from ..enums import AwardLevel
from ..timeutil import to_local
from .minutes_data import MemberLine, MinutesData, ResultLine

COUNCIL = "Hội đồng Thi đua - Khen thưởng"  # Luật Thi đua, khen thưởng 2022, Điều 90
OFFICE = "Văn phòng Sở"
# Paragraphs collapse runs of spaces: no-break spaces keep room for the number by hand.
BLANK_NUMBER = "Số:" + "\u00a0" * 8 + "/BB-HĐTĐKT"
BLANK_TIME = "…… giờ …… phút"
PAPER = "(phiếu giấy)"
HEADER = [
    "STT",
    "Họ và tên / Tập thể",
    "Đơn vị",
    "Phát ra",
    "Thu về",
    "Hợp lệ",
    "Đồng ý",
    "Tỷ lệ",
    "Kết quả",
]
# 165 mm (the NĐ 30 text width), measured in 10.5 pt: the count headers wrap
# in two ("Phát / ra", "Đồng / ý"); "STT", "Nguyễn Thị Thu Hằng", "Văn phòng Sở",
# "100,0%" and "Không đạt" each fit on one line.
WIDTHS_MM = [9.5, 41, 31, 12, 12, 12, 12, 15, 20.5]
ALIGN = ["CENTER", "LEFT", "LEFT"] + ["CENTER"] * 6
FONT_SIZE = 10.5
LEVELS = {
    AwardLevel.DIRECTOR: "thuộc thẩm quyền Giám đốc Sở",
    AwardLevel.UPWARD: "đề nghị cấp trên",
}
SIGNATURE_SPACE = 26 * mm
WITHHELD = "Không công bố"


def _style(name: str, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, parent=get_styles()["body"], **kw)


def _roman(n: int) -> str:
    if not 1 <= n < 40:
        return str(n)
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def groups(results: list[ResultLine]) -> list[tuple[str, list[ResultLine]]]:
    """Results per award form, forms in order of first appearance, rows in given order."""
    by_form: dict[str, list[ResultLine]] = {}
    for r in results:
        by_form.setdefault(r.form, []).append(r)
    return list(by_form.items())


def approved_list(data: MinutesData) -> list[ResultLine]:
    """The passed results, in the grouped order of the minutes (the decision reuses it)."""
    return [r for _, rows in groups(data.results) for r in rows if r.passed]


def _count_phrase(rows: list[ResultLine]) -> str:
    collectives = sum(r.kind == "collective" for r in rows)
    parts = [
        f"{n} {word}"
        for n, word in ((collectives, "tập thể"), (len(rows) - collectives, "cá nhân"))
        if n
    ]
    return ", ".join(parts) or "không có"


def _member(m: MemberLine) -> str:
    return " – ".join(x for x in (m.name, m.position, m.office) if x)


def _role_line(label: str, name: str, members: list[MemberLine]) -> str:
    m = next((m for m in members if m.name == name), None)
    return f"- {label}: " + (_member(m) if m else name) + "."


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(nfc(text)), style)


def _head(text: str, *, markup: bool = False) -> Flowable:
    """A heading or a lead-in line ("…, gồm:"): never left alone at the foot of a page."""
    p = para(text, markup=markup)
    p.keepWithNext = True
    return p


def _lines(items: list[str]) -> list[str]:
    """ "- a;", "- b;" … "- z.": the punctuation of an enumeration in a document."""
    return [f"{x}{';' if k < len(items) else '.'}" for k, x in enumerate(items, start=1)]


def _item_list(title: str, items: list[str]) -> list[Flowable]:
    item = _style("minutes_item", spaceAfter=1, firstLineIndent=0, leftIndent=1.27 * cm)
    numbered = _lines([f"{k}. {x}" for k, x in enumerate(items, start=1)])
    return [_head(title), *(_p(x, item) for x in numbered), Spacer(1, 5)]


def clock(moment) -> str:
    """ "08 giờ 30 phút" in local time, or the blank to fill by hand."""
    if moment is None:
        return BLANK_TIME
    local = to_local(moment)
    return f"{local:%H} giờ {local:%M} phút"


def _section_one(data: MinutesData) -> list[Flowable]:
    present = [m for m in data.members if m.present]
    absent = [m for m in data.members if not m.present]
    out = [
        _head("<b>I. Thời gian, địa điểm, thành phần</b>", markup=True),
        para(f"- Thời gian: vào lúc {clock(data.opened_at)}, {vn_date(data.meeting_date)}."),
        para(f"- Địa điểm: {data.meeting_place}."),
        para(_role_line("Chủ trì", data.chair, data.members)),
        para(_role_line("Thư ký", data.secretary, data.members)),
        *_item_list(
            f"- Thành viên Hội đồng có mặt ({len(present)}/{len(data.members)}):",
            [_member(m) for m in present],
        ),
    ]
    if absent:
        out += _item_list(
            f"- Thành viên Hội đồng vắng mặt ({len(absent)}):",
            [_member(m) + (", có ý kiến bằng văn bản" if m.written else "") for m in absent],
        )
    if data.guests:
        out += _item_list("- Khách mời:", data.guests)
    if data.quorum_words.strip():
        out.append(para(f"Hội đồng {data.quorum_words.strip().rstrip('.')}."))
    return out


def _table(data: MinutesData) -> Flowable:
    rows: list[list[str]] = []
    group_rows: dict[int, str] = {}
    for i, (form, lines) in enumerate(groups(data.results), start=1):
        level = LEVELS.get(lines[0].form_level, "")
        group_rows[len(rows)] = f"{_roman(i)}. {form} ({len(lines)})" + (
            f" – {level}" if level else ""
        )
        for r in lines:
            name = f"{r.name}\n{PAPER}" if r.method == "paper" else r.name
            rows.append(
                [
                    str(len(rows) + 1),
                    name,
                    r.unit,
                    str(r.issued),
                    str(r.returned),
                    "—" if r.withheld else str(r.valid),
                    "—" if r.withheld else str(r.agree),
                    r.percent,
                    WITHHELD if r.withheld else "Đạt" if r.passed else "Không đạt",
                ]
            )
    return wrapped_table(
        HEADER, rows, WIDTHS_MM, font_size=FONT_SIZE, group_rows=group_rows, align=ALIGN
    )


def _notes(data: MinutesData) -> list[Flowable]:
    note = _style(
        "minutes_note",
        fontName=register_fonts().italic,
        fontSize=12,
        leading=15,
        firstLineIndent=0,
        spaceAfter=1,
    )
    items = []
    for form, lines in groups(data.results):
        bases = {r.base for r in lines}
        base = f" ({bases.pop()})" if len(bases) == 1 else ""
        items.append(
            f"- {form}: đạt khi số phiếu đồng ý {lines[0].threshold} {lines[0].base_words}{base}"
        )
    if any(r.method == "paper" for r in data.results):
        items.append(
            f"- Dòng ghi {PAPER}: biểu quyết bằng phiếu giấy; các dòng khác: bỏ phiếu điện tử"
        )
    if any(r.withheld for r in data.results):
        items.append(
            f"- Dòng ghi «{WITHHELD}»: dưới {data.min_ballots} phiếu hợp lệ; để giữ bí mật "
            "phiếu kín, số phiếu không được công bố và trường hợp này không đạt"
        )
    return [
        KeepTogether([_p("Ghi chú:", note), *(_p(x, note) for x in _lines(items))]),
        Spacer(1, 6),
    ]


def _history(data: MinutesData) -> list[Flowable]:
    """The superseded rounds: kept in the minutes, never part of the result."""
    if not data.history:
        return []
    items = []
    for h in data.history:
        counts = (
            f"phát ra {h.issued}, thu về {h.returned}, không công bố (dưới "
            f"{data.min_ballots} phiếu hợp lệ)"
            if h.withheld
            else f"phát ra {h.issued}, thu về {h.returned}, hợp lệ {h.valid}, đồng ý "
            f"{h.agree} ({h.percent}), {'đạt' if h.passed else 'không đạt'}"
        )
        paper = ", phiếu giấy" if h.method == "paper" else ""
        items.append(f"- Lần {h.round}: {h.name} ({h.unit}), {h.form}{paper}: {counts}")
    return [
        _head(
            "Kết quả các lần biểu quyết trước (đã được thay thế bởi lần biểu quyết lại, "
            "mọi thành viên có mặt bỏ phiếu lại):"
        ),
        *(para(x) for x in _lines(items)),
    ]


def _recusals(data: MinutesData) -> list[Flowable]:
    if not data.recusals:
        return []
    items = [
        f"- {r.member} không biểu quyết đối với {r.nominee}"
        + (f" ({r.unit})" if r.unit else "")
        + (f": {r.reason.strip().rstrip('.')}" if r.reason.strip() else "")
        for r in data.recusals
    ]
    return [
        _head("Thành viên Hội đồng không tham gia biểu quyết:"),
        *(para(x) for x in _lines(items)),
    ]


def _section_two(data: MinutesData) -> list[Flowable]:
    out = [
        _head("<b>II. Nội dung</b>", markup=True),
        para(
            f"Hội đồng xem xét danh sách tổng hợp phiên bản số {data.list_version} do "
            f"{OFFICE} trình, gồm {len(data.results)} trường hợp đề nghị khen thưởng, và "
            "tiến hành biểu quyết theo quy định."
        ),
        # Not keepWithNext: a KeepTogether around a table taller than what is left of the
        # page pushes it whole to the next page. Start it on a new page only if fewer
        # than a few rows would fit here.
        CondPageBreak(45 * mm),
        para(
            "<b>Kết quả biểu quyết"
            + (f" (lần {data.round}, sau khi mở lại)" if data.round > 1 else "")
            + ":</b>",
            markup=True,
        ),
    ]
    if not data.results:
        return [*out, para("Không có trường hợp nào được đưa ra biểu quyết.")]
    return [
        *out,
        _table(data),
        Spacer(1, 6),
        *_notes(data),
        *_recusals(data),
        *_history(data),
    ]


def _who(r: ResultLine, shared: set[str], always: bool) -> str:
    """A name, with its unit when another nominee has the same name (or always)."""
    return f"{r.name} ({r.unit})" if r.unit and (always or r.name in shared) else r.name


def _conclusion(
    label: str, rows: list[ResultLine], shared: set[str], *, units: bool = False
) -> list[Flowable]:
    if not rows:
        return [para(f"{label}: không có.")]
    out = [_head(f"{label}: {_count_phrase(rows)}, gồm:")]
    items = [
        f"- {form} ({_count_phrase(lines)}): " + ", ".join(_who(r, shared, units) for r in lines)
        for form, lines in groups(rows)
    ]
    return out + [para(x) for x in _lines(items)]


def _section_three(data: MinutesData) -> list[Flowable]:
    approved = approved_list(data)
    failed = [r for _, rows in groups(data.results) for r in rows if not r.passed]
    seen: set[str] = set()
    shared = {r.name for r in data.results if r.name in seen or seen.add(r.name)}
    out = [_head("<b>III. Kết luận</b>", markup=True)]
    out += _conclusion(
        "1. Đề nghị Giám đốc Sở khen thưởng",
        [r for r in approved if r.form_level == "director"],
        shared,
    )
    out += _conclusion(
        "2. Đề nghị cấp trên khen thưởng",
        [r for r in approved if r.form_level != "director"],
        shared,
    )
    if failed:  # a short list: every name with its unit
        out += _conclusion("3. Không đạt số phiếu theo quy định", failed, shared, units=True)
    for k, reason in enumerate(data.reopened_reasons, start=1):
        out.append(
            para(
                f"Hội đồng đã mở lại việc biểu quyết (lần {k}), lý do: "
                f"{reason.strip().rstrip('.')}."
            )
        )
    return out


def _signatures(data: MinutesData) -> Flowable:
    """Closing sentence, then THƯ KÝ (left) and CHỦ TỊCH HỘI ĐỒNG (right), kept together."""

    def column(title: str, name: str) -> list[Flowable]:
        return [para(title, "signer"), Spacer(1, SIGNATURE_SPACE), para(name, "signer")]

    table = layout_table(
        [[column("THƯ KÝ", data.secretary), column("CHỦ TỊCH HỘI ĐỒNG", data.chair)]],
        [TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.55],
    )
    end_day = to_local(data.closed_at).date() if data.closed_at else data.meeting_date
    when = "cùng ngày" if end_day == data.meeting_date else vn_date(end_day)
    closing = para(
        f"Cuộc họp kết thúc vào lúc {clock(data.closed_at)} {when}; biên bản đã được "
        "thông qua trước Hội đồng./."
    )
    recipients = [para("Nơi nhận:", "noi_nhan")]
    recipients += [para(x, "recipient") for x in _recipient_lines(data.recipients, "Lưu: VT, VP.")]
    return KeepTogether([closing, Spacer(1, 12), table, Spacer(1, 6), *recipients])


def render(data: MinutesData) -> bytes:
    """The minutes: heading, title, I. time/place/attendance, II. the ballot results
    grouped by award form, III. conclusion, closing and the two signatures."""
    story: list[Flowable] = [
        heading_block(
            data.agency_name,
            "Hội đồng\nThi đua - Khen thưởng",  # never "HỘI ĐỒNG THI ĐUA" / "- KHEN THƯỞNG"
            f"Số: {data.number}" if data.number else BLANK_NUMBER,
            place_date_line(data.place_name, data.meeting_date),
        ),
        title_block(
            "Biên bản",
            f"Họp {COUNCIL} xét khen thưởng"
            + (f" năm {data.year}" if data.year else f": {data.campaign}"),
        ),
        *_section_one(data),
        *_section_two(data),
        *_section_three(data),
        _signatures(data),
    ]
    return build_pdf(
        story,
        title=f"Biên bản họp {COUNCIL} – xét khen thưởng năm {data.year or data.meeting_date.year}",
        author=f"{COUNCIL} {data.agency_name}",
        subject=f"Danh sách tổng hợp phiên bản số {data.list_version}",
        keywords=f"{data.agency_parent}; {data.agency_name}",
    )
