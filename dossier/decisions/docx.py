"""The award decision as a DOCX for the office to edit: the same text as pdf.py.

A4, margins 20/20/30/15 mm, Times New Roman 14 pt (set for the East-Asian and complex
scripts too, so Word never substitutes a font for Vietnamese), the NĐ 30 heading and the
Nơi nhận / signer block as borderless tables, the appendix with a repeating header row.
The appendix is built with add_row().cells (linear); table.cell(i, j) in a loop is
quadratic in python-docx and is never used here.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml.etree import SubElement

from ..documents.frame import _recipient_lines  # the PDF's exact "- …;" / "- Lưu: …." lines
from ..documents.text import nfc
from ..text import xml_safe
from .data import DecisionData
from .pdf import (
    APPENDIX_HEADER,
    APPENDIX_WIDTHS_MM,
    DRAFT_MARK,
    appendix_caption,
    appendix_groups,
    basis_lines,
    date_line,
    document_title,
    number_line,
)


def _text(value: str) -> str:
    """Text as the document holds it: NFC, and what XML refuses (a control character already
    stored) shown as U+FFFD instead of failing the whole document."""
    return xml_safe(nfc(value))


FONT = "Times New Roman"
TEXT_WIDTH_MM = 165
HEADING_MM = (70, 95)  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" at 12 pt bold is 88 mm
SIGNATURE_MM = (74, 91)
CENTER, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
W_PPR, W_PSTYLE, W_KEEP_NEXT, W_JC, W_R, W_RPR, W_B, W_T, W_VAL = (
    qn(f"w:{t}") for t in ("pPr", "pStyle", "keepNext", "jc", "r", "rPr", "b", "t", "val")
)
# What may follow <w:pBdr> in our paragraphs' <w:pPr>, in schema order.
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
TABLE_STYLE = "Danh sách"  # paragraph style of the appendix cells (12 pt, no indent)


def _el(tag: str, **attrs: str):
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _fonts(rpr, size: float) -> None:
    """Times New Roman for every script (theme fonts dropped: they would win), the size
    for complex script too, and Vietnamese as the language (spelling, hyphenation)."""
    for tag in ("w:rFonts", "w:sz", "w:szCs", "w:lang"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    half_points = str(int(size * 2))
    # CT_RPr is a sequence: rFonts first; sz, szCs and lang at the end are in order.
    rpr.insert(0, _el("w:rFonts", ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT))
    rpr.append(_el("w:sz", val=half_points))
    rpr.append(_el("w:szCs", val=half_points))
    rpr.append(_el("w:lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA"))


def _setup(doc):
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.header_distance = Mm(10)
    # The template's other styles (Macro Text, HTML Code …) name Courier or theme fonts:
    # a document of the agency names Times New Roman only.
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        rfonts.attrib.clear()
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(qn(f"w:{attr}"), FONT)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    _fonts(defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"), 14)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")  # single spacing, no space after unless asked
    normal = doc.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), 14)
    normal.paragraph_format.line_spacing = 1.0
    cells = doc.styles.add_style(TABLE_STYLE, 1)  # 1: paragraph style
    cells.style_id, cells.base_style = "DanhSach", normal  # ASCII id, Vietnamese name
    _fonts(cells.element.get_or_add_rPr(), 12)
    return cells


def _p(
    box,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    align=CENTER,
    before: float = 0,
    after: float = 0,
    body: bool = False,
):
    """A paragraph in box (document or cell); body=True: justified, 1.27 cm indent, 6 pt."""
    p = box.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = JUSTIFY if body else align
    pf.space_before, pf.space_after = Pt(before), Pt(6 if body else after)
    if body:
        pf.first_line_indent = Mm(12.7)
    for k, line in enumerate(_text(text).split("\n") if text else []):
        run = p.add_run()
        if k:
            run.add_break()
        run.add_text(line)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
    return p


def _rule(box, width_mm: float, box_mm: float):
    """A short centred rule: an empty paragraph's bottom border, narrowed by indents."""
    p = _p(box, after=2)
    pf = p.paragraph_format
    pf.left_indent = pf.right_indent = Mm(max((box_mm - width_mm) / 2, 0))
    pf.line_spacing = Pt(3)
    ppr = p._p.get_or_add_pPr()
    bdr = _el("w:pBdr")
    bdr.append(_el("w:bottom", val="single", sz="6", space="1", color="000000"))
    ppr.insert_element_before(bdr, *PPR_AFTER_BORDER)  # the schema fixes the order
    return p


def _layout_table(doc, widths_mm: tuple[float, ...], rows: int = 1):
    """A borderless table of fixed column widths (heading, signer)."""
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    t.alignment, t.autofit = WD_TABLE_ALIGNMENT.CENTER, False
    tblpr = t._tbl.tblPr
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="nil"))
    tblpr.insert_element_before(
        borders,
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
    )
    for j, w in enumerate(widths_mm):
        t.columns[j].width = Mm(w)
        for row in t.rows:
            row.cells[j].width = Mm(w)
    return t


def _cell(table, i: int, j: int):
    """A cell of a small layout table, emptied of its first paragraph (we add our own)."""
    c = table.rows[i].cells[j]
    c._tc.remove(c.paragraphs[0]._p)
    return c


def _balanced(text: str, max_chars: int) -> str:
    """Two even lines ("SỞ KHOA HỌC" / "VÀ CÔNG NGHỆ") for a text a bit too long for one
    (Word would leave one word alone); anything longer is left to Word."""
    words = _text(text).split()
    if not max_chars < len(" ".join(words)) <= 2 * max_chars or len(words) < 2:
        return " ".join(words)
    half = len(" ".join(words)) / 2
    cut = min(range(1, len(words)), key=lambda k: abs(len(" ".join(words[:k])) - half))
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])


def _heading(doc, data: DecisionData) -> None:
    t = _layout_table(doc, HEADING_MM, rows=2)
    left, right = _cell(t, 0, 0), _cell(t, 0, 1)
    inner = HEADING_MM[0] - 4
    _p(left, _balanced(data.agency_parent.upper(), 30), size=12)
    agency = _balanced(data.agency_name.upper(), 24)  # ~2.7 mm a letter at 12 pt bold
    _p(left, agency, size=12, bold=True)
    widest = max(len(x) for x in agency.split("\n"))
    _rule(left, max(widest * 2.7 * 0.4, 20), inner)
    _p(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _p(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _rule(right, 57, HEADING_MM[1] - 4)
    _p(_cell(t, 1, 0), number_line(data), size=13, before=6)
    _p(_cell(t, 1, 1), date_line(data), size=14, italic=True, before=6)


def _signature(doc, data: DecisionData) -> None:
    t = _layout_table(doc, SIGNATURE_MM)
    t.rows[0]._tr.get_or_add_trPr().append(_el("w:cantSplit"))  # one block, one page
    left, right = _cell(t, 0, 0), _cell(t, 0, 1)
    _p(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT)
    for line in _recipient_lines(data.recipients, "Lưu: VT, VP."):
        _p(left, line, size=11, align=LEFT)
    for line in data.signer_lines:
        _p(right, line.upper(), bold=True)
    _p(right, data.signer_name, bold=True, before=80)  # room for signature and seal


def _field_page(p) -> None:
    fld = SubElement(p._p, qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
    SubElement(SubElement(fld, W_R), W_T).text = "2"  # Word updates it on each page


def _draft_run(p) -> None:
    run = p.add_run(DRAFT_MARK)
    run.bold, run.font.size = True, Pt(11)
    run._r.get_or_add_rPr().append(_el("w:bdr", val="single", sz="8", space="2", color="000000"))


def _headers(doc, draft: bool) -> None:
    """Page number centred in the top margin from page 2; "DỰ THẢO" boxed on each page."""
    sec = doc.sections[0]
    sec.different_first_page_header_footer = True
    first = sec.first_page_header.paragraphs[0]
    p = sec.header.paragraphs[0]
    if draft:
        _draft_run(first)
        _draft_run(p)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM / 2), WD_TAB_ALIGNMENT.CENTER)
        p.add_run("\t")
    else:
        p.alignment = CENTER
    _field_page(p)


def _appendix(doc, data: DecisionData, style) -> None:
    """Title, caption and the table; style: the cells' paragraph style."""
    sid = style.style_id
    title = _p(doc, data.appendix_title.upper(), bold=True)
    title.paragraph_format.page_break_before = True
    _p(doc, appendix_caption(data), italic=True, after=6)
    groups = appendix_groups(data)
    if not groups:
        _p(doc, "(Danh sách chưa có tập thể, cá nhân nào.)", italic=True)
        return
    n = len(APPENDIX_HEADER)
    table = doc.add_table(rows=1, cols=n, style="Table Grid")
    table.alignment, table.autofit = WD_TABLE_ALIGNMENT.CENTER, False
    for j, w in enumerate(APPENDIX_WIDTHS_MM):
        table.columns[j].width = Mm(w)  # add_row copies these to every new cell
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(_el("w:tblHeader", val="true"))
    for c, text, w in zip(header.cells, APPENDIX_HEADER, APPENDIX_WIDTHS_MM, strict=True):
        c.width = Mm(w)
        _fill(c, text, sid, bold=True, center=True)
    for title_text, people in groups:
        row = table.add_row()
        tcs = row._tr.tc_lst
        tcs[0].grid_span = n  # one cell across the row, built directly: merge() is O(rows)
        tcs[0].width = Mm(sum(APPENDIX_WIDTHS_MM))
        for tc in tcs[1:]:
            row._tr.remove(tc)
        _fill(row.cells[0], title_text, sid, bold=True, keep=True)  # keep with next row
        for k, a in enumerate(people, start=1):
            cells = table.add_row().cells
            _fill(cells[0], str(k), sid, center=True)
            for c, text in zip(cells[1:], (a.name, a.position, a.unit), strict=True):
                _fill(c, text, sid)


def _fill(
    cell, text: str, style_id: str, *, bold: bool = False, center: bool = False, keep: bool = False
) -> None:
    """Fill a new cell's empty paragraph; raw lxml, since python-docx's setters search
    every possible sibling on each call (2,000 rows: 1.75 s -> see bench/decision.py)."""
    p = cell._tc.p_lst[0]
    ppr = SubElement(p, W_PPR)  # children in schema order: pStyle, keepNext, jc
    SubElement(ppr, W_PSTYLE).set(W_VAL, style_id)
    if keep:
        SubElement(ppr, W_KEEP_NEXT)
    if center:
        SubElement(ppr, W_JC).set(W_VAL, "center")
    if text:
        r = SubElement(p, W_R)
        if bold:
            SubElement(SubElement(r, W_RPR), W_B)
        SubElement(r, W_T).text = _text(text)


def render(data: DecisionData) -> bytes:
    """The decision and its appendix as DOCX bytes (same wording as the PDF)."""
    doc = Document()
    doc._body.clear_content()  # drop the template's empty first paragraph
    cell_style = _setup(doc)
    _headers(doc, data.draft)
    _heading(doc, data)
    _p(doc, "QUYẾT ĐỊNH", bold=True, before=12)
    _p(doc, _balanced(data.subject, 66), bold=True)  # ~2.5 mm a letter at 14 pt bold
    _rule(doc, 50, TEXT_WIDTH_MM)
    _p(doc, data.authority_title.upper(), bold=True, before=12, after=6)
    for line in basis_lines(data):
        _p(doc, line, italic=True, body=True)
    _p(doc, "QUYẾT ĐỊNH:", bold=True, before=3, after=6)
    for k, body in enumerate(data.articles, start=1):
        p = _p(doc, body=True)
        p.add_run(f"Điều {k}.").bold = True
        p.add_run(f" {_text(body)}")
    # The signature never stands alone on a page: the last article goes with it.
    p.paragraph_format.keep_with_next, p.paragraph_format.space_after = True, Pt(12)
    _signature(doc, data)
    _appendix(doc, data, cell_style)
    props = doc.core_properties
    props.title, props.subject = _text(document_title(data)), _text(data.subject)
    props.author = props.last_modified_by = _text(data.agency_name)
    props.keywords, props.language = (DRAFT_MARK if data.draft else ""), "vi-VN"
    props.comments = ""  # the template says "generated by python-docx"
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
